// AsyncEventSource and its clients over the board's event streams (see AsyncEventSource.h).
#include "AsyncEventSource.h"
#include "board-env.h"
#include "link.h"
#include "warnings.h"
#include "web-internal.h"

namespace lk = esp_sse::link;
using esp_sse::web::Access;

namespace {

/** `sseSend`: a = source, b = client (0 = all), c = id, d = retry, s1/s2 message/event, s3 which are not NULL. */
void sendEvent(uint32_t source, uint32_t client, const char *message, const char *event, uint32_t id,
               uint32_t reconnect) {
  lk::Frame f;
  f.type = lk::type::sseSend;
  f.a = source;
  f.b = client;
  f.c = id;
  f.d = reconnect;
  if (message) {
    f.s1 = message;
    f.s3 += 'm';
  }
  if (event) {
    f.s2 = event;
    f.s3 += 'e';
  }
  lk::send(f);
}

void sendClose(uint32_t source, uint32_t client) {
  lk::Frame f;
  f.type = lk::type::sseClose;
  f.a = source;
  f.b = client;
  lk::send(f);
}

}  // namespace

// --- AsyncEventSourceClient --------------------------------------------------------------------------

AsyncEventSourceClient::AsyncEventSourceClient(AsyncEventSource *server, uint32_t clientId, uint32_t lastId)
  : _server(server), _linkId(clientId), _lastId(lastId) {
  IPAddress local;
  local.fromString(esp_sse::board::ip().c_str());
  _clientInfo = AsyncClient(IPAddress(), 0, local, 80);
}

AsyncEventSourceClient::~AsyncEventSourceClient() {}

bool AsyncEventSourceClient::send(const char *message, const char *event, uint32_t id, uint32_t reconnect) {
  if (!_connected) return false;
  sendEvent(Access::linkId(*_server), _linkId, message, event, id, reconnect);
  return true;
}

void AsyncEventSourceClient::close() {
  if (_connected) sendClose(Access::linkId(*_server), _linkId);
}

// --- AsyncEventSource -------------------------------------------------------------------------------

bool AsyncEventSource::_register() {
  esp_sse::web::registerSource(_linkId, this);
  esp_sse::web::sendRoute(esp_sse::link::routeOp::events, _linkId, 0, _url.c_str());
  return true;
}

void AsyncEventSource::close() { sendClose(_linkId, 0); }

AsyncEventSource::SendStatus AsyncEventSource::send(const char *message, const char *event, uint32_t id,
                                                    uint32_t reconnect) {
  sendEvent(_linkId, 0, message, event, id, reconnect);
  return ENQUEUED;
}

void AsyncEventSource::authorizeConnect(ArAuthorizeConnectHandler) {
  esp_sse::link::warnOnce(esp_sse::warning::sseAuthorize);
}

size_t AsyncEventSource::count() const { return lk::call(lk::callOp::sseCount, _linkId).a; }

bool AsyncEventSource::canHandle(AsyncWebServerRequest *) const { return false; }
void AsyncEventSource::handleRequest(AsyncWebServerRequest *) {}

void Access::clientConnected(AsyncEventSource &source, uint32_t clientId, uint32_t lastId) {
  AsyncEventSourceClient *client = new AsyncEventSourceClient(&source, clientId, lastId);
  {
    std::lock_guard<std::recursive_mutex> lock(source._client_queue_lock);
    source._clients[clientId] = client;
  }
  if (source._connectcb) source._connectcb(client);
}

void Access::clientDisconnected(AsyncEventSource &source, uint32_t clientId) {
  AsyncEventSourceClient *client = nullptr;
  {
    std::lock_guard<std::recursive_mutex> lock(source._client_queue_lock);
    auto it = source._clients.find(clientId);
    if (it == source._clients.end()) return;
    client = it->second;
    source._clients.erase(it);
  }
  client->_connected = false;
  if (source._disconnectcb) source._disconnectcb(client);
  // Not deleted: a sketch that kept the pointer sees connected() == false instead of freed memory.
}
