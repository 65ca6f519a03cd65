// AsyncWebServerRequest: built from the board's `request` frame; its answers become `response`
// frames (see ESPAsyncWebServer.h and sketch-link.ts for the fields).
#include <stdlib.h>
#include <string.h>

#include "ESPAsyncWebServer.h"
#include "board-env.h"
#include "executor.h"
#include "link.h"
#include "warnings.h"
#include "web-internal.h"

namespace lk = esp_sse::link;
using esp_sse::web::Access;

namespace {

String str(const std::string &s) { return String(s.c_str(), (unsigned int)s.size()); }

WebRequestMethodComposite methodBit(uint32_t bit) { return WebRequestMethodComposite(bit); }

/** What the library's parser treats as part of a form field name (`__is_param_char`). */
bool paramChar(char c) { return c && c != '{' && c != '[' && c != '&' && c != '='; }

}  // namespace

AsyncWebServerRequest::AsyncWebServerRequest(uint32_t id) : _id(id) {}

AsyncWebServerRequest::~AsyncWebServerRequest() {
  // As the library does: the sketch's per-request allocation is freed with the request.
  if (_tempObject) free(_tempObject);
  if (_tempFile) _tempFile.close();
}

AsyncWebServerRequest *Access::newRequest(const lk::Frame &f) {
  auto *r = new AsyncWebServerRequest(f.id);
  r->_method = methodBit(f.b);
  r->_version = uint8_t(f.c);
  r->_methodName = str(f.s1);
  r->_url = str(f.s2);
  r->_body = f.s4;
  // l1: header name, value pairs, "", param name, value, flags triples, "", remote address.
  const auto &l = f.l1;
  size_t i = 0;
  for (; i < l.size() && !l[i].empty(); i += 2) {
    r->_headers.emplace_back(str(l[i]), i + 1 < l.size() ? str(l[i + 1]) : String());
  }
  for (i++; i < l.size() && !l[i].empty(); i += 3) {
    const std::string flags = i + 2 < l.size() ? l[i + 2] : std::string();
    const bool post = flags.find('p') != std::string::npos, file = flags.find('f') != std::string::npos;
    r->_params.emplace_back(str(l[i]), i + 1 < l.size() ? str(l[i + 1]) : String(), post, file,
                            file && i + 1 < l.size() ? l[i + 1].size() : 0);
  }
  i++;
  IPAddress remote, local;
  if (i < l.size()) remote.fromString(l[i].c_str());
  local.fromString(esp_sse::board::ip().c_str());
  r->_clientInfo = AsyncClient(remote, uint16_t(f.d), local, 80);
  if (const AsyncWebHeader *h = r->getHeader("Host")) r->_host = h->value();
  if (const AsyncWebHeader *h = r->getHeader("Content-Type")) {
    // The library keeps the type without its parameters ("; charset=…", "; boundary=…").
    const int semicolon = h->value().indexOf(';');
    r->_contentType = semicolon < 0 ? h->value() : h->value().substring(0, semicolon);
  }
  if (const AsyncWebHeader *h = r->getHeader("Content-Length")) {
    r->_contentLength = size_t(strtoul(h->value().c_str(), nullptr, 10));
  } else {
    r->_contentLength = r->_body.size();
  }
  return r;
}

bool Access::plainBody(const AsyncWebServerRequest &r) {
  if (r._body.empty() || r.multipart()) return false;
  if (r._contentType.startsWith("application/x-www-form-urlencoded")) return false;
  if (r._contentType == "text/plain" && paramChar(r._body[0])) {
    // "a=b" sent as text/plain is parsed as a form too.
    size_t i = 0;
    while (i < r._body.size() && paramChar(r._body[i++])) {
    }
    if (i < r._body.size() && r._body[i - 1] == '=') return false;
  }
  return true;
}

void Access::handlerReturned(AsyncWebServerRequest *r) { release(r); }

bool AsyncWebServerRequest::multipart() const { return _contentType.startsWith("multipart/"); }

const char *AsyncWebServerRequest::methodToString() const {
  if (_method == HTTP_ANY) return "ANY";
  if (_method & HTTP_GET) return "GET";
  if (_method & HTTP_POST) return "POST";
  if (_method & HTTP_DELETE) return "DELETE";
  if (_method & HTTP_PUT) return "PUT";
  if (_method & HTTP_PATCH) return "PATCH";
  if (_method & HTTP_HEAD) return "HEAD";
  if (_method & HTTP_OPTIONS) return "OPTIONS";
  return "UNKNOWN";
}

const char *AsyncWebServerRequest::requestedConnTypeToString() const { return "HTTP"; }

bool AsyncWebServerRequest::isExpectedRequestedConnType(RequestedConnectionType a, RequestedConnectionType b,
                                                        RequestedConnectionType c) const {
  return a == RCT_DEFAULT || a == RCT_HTTP || b == RCT_DEFAULT || b == RCT_HTTP || c == RCT_DEFAULT || c == RCT_HTTP;
}

void AsyncWebServerRequest::onDisconnect(ArDisconnectHandler) {}

namespace {
void authNotModelled() {
  esp_sse::link::warnOnce(esp_sse::warning::auth);
}
}  // namespace

bool AsyncWebServerRequest::authenticate(const char *) const {
  authNotModelled();
  return true;
}

bool AsyncWebServerRequest::authenticate(const char *, const char *, const char *, bool) const {
  authNotModelled();
  return true;
}

void AsyncWebServerRequest::requestAuthentication(AsyncAuthType, const char *, const char *) {
  authNotModelled();
  send(401);
}

void AsyncWebServerRequest::redirect(const char *url, int code) {
  AsyncWebServerResponse *response = beginResponse(code);
  response->addHeader("Location", url);
  send(response);
}

void AsyncWebServerRequest::send(AsyncWebServerResponse *response) {
  if (!response) {
    esp_sse::link::warnOnce(esp_sse::warning::nullResponse);
    response = beginResponse(500);
  }
  if (_sent.exchange(true)) {
    delete response;  // answered already: the library ignores a second answer
    return;
  }
  _response = response;
  lk::Frame frame = Access::describe(*response, _id);
  // Kept before the frame goes: the board's `template` call may come back at once.
  if (AwsTemplateProcessor &processor = Access::processor(*response)) {
    esp_sse::web::keepTemplate(_id, std::move(processor), this);
  }
  lk::send(frame);
  _response = nullptr;
  delete response;
  // The answer's hold goes after the current async_tcp task: a sketch may still read the
  // request right after send(), in its handler or on another thread.
  esp_sse::executor::post([this] { Access::release(this); });
}

AsyncWebServerResponse *AsyncWebServerRequest::beginResponse(int code, const char *contentType, const char *content,
                                                             AwsTemplateProcessor callback) {
  if (callback) {
    return new AsyncProgmemResponse(code, contentType, (const uint8_t *)content, strlen(content), callback);
  }
  return new AsyncBasicResponse(code, contentType, content);
}

AsyncWebServerResponse *AsyncWebServerRequest::beginResponse(int code, const char *contentType, const uint8_t *content,
                                                             size_t len, AwsTemplateProcessor callback) {
  return new AsyncProgmemResponse(code, contentType, content, len, callback);
}

AsyncWebServerResponse *AsyncWebServerRequest::beginResponse_P(int code, const String &contentType, PGM_P content,
                                                               AwsTemplateProcessor callback) {
  return beginResponse(code, contentType.c_str(), content, callback);
}

void AsyncWebServerRequest::send(FS &fs, const String &path, const char *contentType, bool download,
                                 AwsTemplateProcessor callback) {
  if (fs.exists(path) || (!download && fs.exists(path + ".gz"))) {
    send(beginResponse(fs, path, contentType, download, callback));
  } else {
    send(404);
  }
}

AsyncWebServerResponse *AsyncWebServerRequest::beginResponse(FS &fs, const String &path, const char *contentType,
                                                             bool download, AwsTemplateProcessor callback) {
  return new AsyncFileResponse(fs, path, contentType, download, callback);
}

AsyncWebServerResponse *AsyncWebServerRequest::beginResponse(File content, const String &path, const char *contentType,
                                                             bool download, AwsTemplateProcessor callback) {
  return new AsyncFileResponse(content, path, contentType, download, callback);
}

AsyncWebServerResponse *AsyncWebServerRequest::beginResponse(Stream &stream, const char *contentType, size_t len,
                                                             AwsTemplateProcessor callback) {
  return new AsyncStreamResponse(stream, contentType, len, callback);
}

AsyncWebServerResponse *AsyncWebServerRequest::beginResponse(const char *contentType, size_t len,
                                                             AwsResponseFiller callback,
                                                             AwsTemplateProcessor templateCallback) {
  return new AsyncCallbackResponse(contentType, len, callback, templateCallback);
}

AsyncWebServerResponse *AsyncWebServerRequest::beginChunkedResponse(const char *contentType, AwsResponseFiller callback,
                                                                    AwsTemplateProcessor templateCallback) {
  return new AsyncChunkedResponse(contentType, callback, templateCallback);
}

AsyncResponseStream *AsyncWebServerRequest::beginResponseStream(const char *contentType, size_t bufferSize) {
  return new AsyncResponseStream(contentType, bufferSize);
}

// --- parameters and headers ---------------------------------------------------------------------------

const AsyncWebParameter *AsyncWebServerRequest::getParam(const char *name, bool post, bool file) const {
  for (const auto &p : _params) {
    if (p.name() == name && p.isPost() == post && p.isFile() == file) return &p;
  }
  return nullptr;
}

const AsyncWebParameter *AsyncWebServerRequest::getParam(size_t num) const {
  if (num >= _params.size()) return nullptr;
  auto it = _params.begin();
  std::advance(it, num);
  return &*it;
}

size_t AsyncWebServerRequest::params() const { return _params.size(); }

bool AsyncWebServerRequest::hasParam(const char *name, bool post, bool file) const {
  return getParam(name, post, file) != nullptr;
}

const String &AsyncWebServerRequest::arg(const char *name) const {
  for (const auto &p : _params) {
    if (p.name() == name) return p.value();
  }
  return emptyString;
}

const String &AsyncWebServerRequest::arg(size_t i) const {
  const AsyncWebParameter *p = getParam(i);
  return p ? p->value() : emptyString;
}

const String &AsyncWebServerRequest::argName(size_t i) const {
  const AsyncWebParameter *p = getParam(i);
  return p ? p->name() : emptyString;
}

bool AsyncWebServerRequest::hasArg(const char *name) const {
  for (const auto &p : _params) {
    if (p.name() == name) return true;
  }
  return false;
}

const AsyncWebHeader *AsyncWebServerRequest::getHeader(const char *name) const {
  for (const auto &h : _headers) {
    if (h.name().equalsIgnoreCase(name)) return &h;
  }
  return nullptr;
}

const AsyncWebHeader *AsyncWebServerRequest::getHeader(size_t num) const {
  if (num >= _headers.size()) return nullptr;
  auto it = _headers.begin();
  std::advance(it, num);
  return &*it;
}

const String &AsyncWebServerRequest::header(const char *name) const {
  const AsyncWebHeader *h = getHeader(name);
  return h ? h->value() : emptyString;
}

const String &AsyncWebServerRequest::header(size_t i) const {
  const AsyncWebHeader *h = getHeader(i);
  return h ? h->value() : emptyString;
}

const String &AsyncWebServerRequest::headerName(size_t i) const {
  const AsyncWebHeader *h = getHeader(i);
  return h ? h->name() : emptyString;
}

size_t AsyncWebServerRequest::headers() const { return _headers.size(); }
bool AsyncWebServerRequest::hasHeader(const char *name) const { return getHeader(name) != nullptr; }

size_t AsyncWebServerRequest::getHeaderNames(std::vector<const char *> &names) const {
  for (const auto &h : _headers) names.push_back(h.name().c_str());
  return names.size();
}

bool AsyncWebServerRequest::removeHeader(const char *name) {
  const size_t before = _headers.size();
  _headers.remove_if([name](const AsyncWebHeader &h) { return h.name().equalsIgnoreCase(name); });
  return _headers.size() != before;
}

String AsyncWebServerRequest::urlDecode(const String &text) const {
  std::string out;
  const char *s = text.c_str();
  const size_t n = text.length();
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '%' && i + 2 < n && isxdigit(uint8_t(s[i + 1])) && isxdigit(uint8_t(s[i + 2]))) {
      const char hex[3] = {s[i + 1], s[i + 2], 0};
      out.push_back(char(strtoul(hex, nullptr, 16)));
      i += 2;
    } else if (s[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return str(out);
}

// --- AsyncWebHeader -----------------------------------------------------------------------------------

String AsyncWebHeader::toString() const {
  String s;
  s.reserve(_name.length() + _value.length() + 4);
  s.concat(_name);
  s.concat(": ");
  s.concat(_value);
  s.concat("\r\n");
  return s;
}

const AsyncWebHeader AsyncWebHeader::parse(const char *data) {
  if (!data) return AsyncWebHeader();
  const char *colon = strchr(data, ':');
  if (!colon) return AsyncWebHeader();
  std::string name(data, size_t(colon - data));
  const char *v = colon + 1;
  while (*v == ' ') v++;
  std::string value(v);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
  return AsyncWebHeader(str(name), str(value));
}

// --- AsyncClient (AsyncTCP.h) ----------------------------------------------------------------------

void AsyncClient::close(bool) {
  esp_sse::link::warnOnce(esp_sse::warning::clientClose);
}
