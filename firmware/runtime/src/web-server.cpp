// AsyncWebServer, its handlers and DefaultHeaders: every registration becomes a `route` frame
// the board routes by (see ESPAsyncWebServer.h).
#include <map>
#include <mutex>

#include "ESPAsyncWebServer.h"
#include "executor.h"
#include "link.h"
#include "warnings.h"
#include "web-internal.h"

namespace lk = esp_sse::link;
using esp_sse::web::Access;

namespace esp_sse {
namespace web {

namespace {
std::mutex registryLock;
std::map<uint32_t, AsyncCallbackWebHandler *> callbacks;
std::map<uint32_t, AsyncEventSource *> sources;
std::atomic<uint32_t> handlerIds{1};
}  // namespace

uint32_t nextHandlerId() { return handlerIds++; }

void sendRoute(uint32_t op, uint32_t handler, uint32_t c, const std::string &s1, const std::string &s2,
               const std::string &s3, uint32_t d) {
  lk::Frame f;
  f.type = lk::type::route;
  f.a = op;
  f.b = handler;
  f.c = c;
  f.d = d;
  f.s1 = s1;
  f.s2 = s2;
  f.s3 = s3;
  lk::send(f);
}

void registerCallback(uint32_t id, AsyncCallbackWebHandler *handler) {
  std::lock_guard<std::mutex> lock(registryLock);
  callbacks[id] = handler;
}

AsyncCallbackWebHandler *findCallback(uint32_t id) {
  std::lock_guard<std::mutex> lock(registryLock);
  auto it = callbacks.find(id);
  return it == callbacks.end() ? nullptr : it->second;
}

void registerSource(uint32_t id, AsyncEventSource *source) {
  std::lock_guard<std::mutex> lock(registryLock);
  sources[id] = source;
}

AsyncEventSource *findSource(uint32_t id) {
  std::lock_guard<std::mutex> lock(registryLock);
  auto it = sources.find(id);
  return it == sources.end() ? nullptr : it->second;
}

}  // namespace web
}  // namespace esp_sse

bool ON_STA_FILTER(AsyncWebServerRequest *) { return true; }
bool ON_AP_FILTER(AsyncWebServerRequest *) { return false; }

// --- AsyncWebHandler ------------------------------------------------------------------------------

AsyncWebHandler::AsyncWebHandler() : _linkId(esp_sse::web::nextHandlerId()) {}

AsyncWebHandler &AsyncWebHandler::setFilter(ArRequestFilterFunction fn) {
  _filter = fn;
  esp_sse::link::warnOnce(esp_sse::warning::filter);
  return *this;
}

AsyncWebHandler &AsyncWebHandler::setAuthentication(const char *, const char *, AsyncAuthType) {
  esp_sse::link::warnOnce(esp_sse::warning::auth);
  return *this;
}

bool AsyncWebHandler::_register() {
  esp_sse::link::warnOnce(esp_sse::warning::customHandler);
  return false;
}

// --- AsyncCallbackWebHandler ---------------------------------------------------------------------

bool AsyncCallbackWebHandler::_register() {
  if (!_plainUri) {
    esp_sse::link::warnOnce(esp_sse::warning::matcher);
  }
  esp_sse::web::registerCallback(_linkId, this);
  uint32_t flags = 0;
  if (_onBody) flags |= esp_sse::web::routeFlag::body;
  if (_onUpload) flags |= esp_sse::web::routeFlag::upload;
  if (_onRequest) flags |= esp_sse::web::routeFlag::request;
  esp_sse::web::sendRoute(esp_sse::link::routeOp::on, _linkId, _method, _uri.c_str(), std::string(), std::string(), flags);
  _registered = true;
  return true;
}

void AsyncCallbackWebHandler::setUri(AsyncURIMatcher uri) {
  _uri = uri._uri();
  _plainUri = uri._plain();
  if (_registered) Access::registerWith(*this);
}

void AsyncCallbackWebHandler::setMethod(WebRequestMethodComposite method) {
  _method = method;
  if (_registered) Access::registerWith(*this);
}

void AsyncCallbackWebHandler::onUpload(ArUploadHandlerFunction fn) {
  _onUpload = fn;
  if (_registered) Access::registerWith(*this);
}

void AsyncCallbackWebHandler::onBody(ArBodyHandlerFunction fn) {
  _onBody = fn;
  if (_registered) Access::registerWith(*this);
}

bool AsyncCallbackWebHandler::canHandle(AsyncWebServerRequest *request) const {
  return _onRequest && (_method & request->method());
}

void AsyncCallbackWebHandler::handleRequest(AsyncWebServerRequest *request) {
  if (_onRequest) {
    _onRequest(request);
  } else {
    request->send(404, "text/plain", "Not found");
  }
}

void AsyncCallbackWebHandler::handleUpload(AsyncWebServerRequest *request, const String &filename, size_t index,
                                           uint8_t *data, size_t len, bool final) {
  if (_onUpload) _onUpload(request, filename, index, data, len, final);
}

void AsyncCallbackWebHandler::handleBody(AsyncWebServerRequest *request, uint8_t *data, size_t len, size_t index,
                                         size_t total) {
  if (_onBody) _onBody(request, data, len, index, total);
}

// --- AsyncStaticWebHandler -----------------------------------------------------------------------

AsyncStaticWebHandler::AsyncStaticWebHandler(const char *uri, FS &fs, const char *path, const char *cache_control)
  : _uri(uri), _path(path), _default_file("index.htm"), _cache_control(cache_control ? cache_control : ""),
    _volume(fs._volume()) {}

bool AsyncStaticWebHandler::_register() {
  esp_sse::web::sendRoute(esp_sse::link::routeOp::serveStatic, _linkId, _volume, _uri.c_str(), _path.c_str(), _cache_control.c_str());
  return true;
}

bool AsyncStaticWebHandler::canHandle(AsyncWebServerRequest *) const { return false; }
void AsyncStaticWebHandler::handleRequest(AsyncWebServerRequest *) {}

AsyncStaticWebHandler &AsyncStaticWebHandler::setDefaultFile(const char *filename) {
  _default_file = filename ? filename : "";
  esp_sse::web::sendRoute(esp_sse::link::routeOp::defaultFile, _linkId, 0, std::string(), _default_file.c_str());
  return *this;
}

AsyncStaticWebHandler &AsyncStaticWebHandler::setCacheControl(const char *cache_control) {
  _cache_control = cache_control ? cache_control : "";
  esp_sse::web::sendRoute(esp_sse::link::routeOp::cacheControl, _linkId, 0, std::string(), _cache_control.c_str());
  return *this;
}

namespace {
void staticNotModelled() {
  esp_sse::link::warnOnce(esp_sse::warning::staticOptions);
}
}  // namespace

AsyncStaticWebHandler &AsyncStaticWebHandler::setTryGzipFirst(bool) {
  staticNotModelled();
  return *this;
}
AsyncStaticWebHandler &AsyncStaticWebHandler::setIsDir(bool) {
  staticNotModelled();
  return *this;
}
AsyncStaticWebHandler &AsyncStaticWebHandler::setLastModified(const char *) {
  staticNotModelled();
  return *this;
}
AsyncStaticWebHandler &AsyncStaticWebHandler::setLastModified(struct tm *) {
  staticNotModelled();
  return *this;
}
AsyncStaticWebHandler &AsyncStaticWebHandler::setLastModified(time_t) {
  staticNotModelled();
  return *this;
}
AsyncStaticWebHandler &AsyncStaticWebHandler::setLastModified() {
  staticNotModelled();
  return *this;
}
AsyncStaticWebHandler &AsyncStaticWebHandler::setTemplateProcessor(AwsTemplateProcessor) {
  staticNotModelled();
  return *this;
}

// --- AsyncWebServer ---------------------------------------------------------------------------------

AsyncWebServer::AsyncWebServer(uint16_t port) : _port(port), _catchAllHandler(new AsyncCallbackWebHandler()) {}

AsyncWebServer::~AsyncWebServer() {}

void AsyncWebServer::begin() {
  esp_sse::executor::start();
  lk::Frame reply = lk::call(lk::callOp::serverBegin, _port);
  (void)reply;  // a refusal is the board's to report
}

void AsyncWebServer::end() {}

AsyncWebHandler &AsyncWebServer::addHandler(AsyncWebHandler *handler) {
  _handlers.emplace_back(handler);
  Access::registerWith(*handler);
  return *handler;
}

bool AsyncWebServer::removeHandler(AsyncWebHandler *) {
  esp_sse::link::warnOnce(esp_sse::warning::removeHandler);
  return false;
}

AsyncCallbackWebHandler &AsyncWebServer::on(AsyncURIMatcher uri, WebRequestMethodComposite method,
                                            ArRequestHandlerFunction onRequest, ArUploadHandlerFunction onUpload,
                                            ArBodyHandlerFunction onBody) {
  auto *handler = new AsyncCallbackWebHandler();
  handler->setUri(uri);
  handler->setMethod(method);
  handler->onRequest(onRequest);
  handler->onUpload(onUpload);
  handler->onBody(onBody);
  addHandler(handler);
  return *handler;
}

AsyncStaticWebHandler &AsyncWebServer::serveStatic(const char *uri, fs::FS &fs, const char *path,
                                                   const char *cache_control) {
  auto *handler = new AsyncStaticWebHandler(uri, fs, path, cache_control);
  addHandler(handler);
  return *handler;
}

void AsyncWebServer::onNotFound(ArRequestHandlerFunction fn) {
  _catchAllHandler->onRequest(fn);
  esp_sse::web::registerCallback(Access::linkId(*_catchAllHandler), _catchAllHandler);
  esp_sse::web::sendRoute(esp_sse::link::routeOp::notFound, Access::linkId(*_catchAllHandler), 0, std::string());
}

void AsyncWebServer::onFileUpload(ArUploadHandlerFunction) {
  esp_sse::link::warnOnce(esp_sse::warning::upload);
}

void AsyncWebServer::onRequestBody(ArBodyHandlerFunction) {
  esp_sse::link::warnOnce(esp_sse::warning::requestBody);
}

AsyncWebHandler &AsyncWebServer::catchAllHandler() const { return *_catchAllHandler; }

void AsyncWebServer::reset() {
  esp_sse::link::warnOnce(esp_sse::warning::serverReset);
}

// --- DefaultHeaders -----------------------------------------------------------------------------------

void DefaultHeaders::addHeader(const String &name, const String &value) {
  _headers.emplace_back(name, value);
  esp_sse::web::sendRoute(esp_sse::link::routeOp::defaultHeader, 0, 0, name.c_str(), value.c_str());
}
