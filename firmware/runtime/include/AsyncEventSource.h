// esp-sse native runtime: ESPAsyncWebServer 3.12.0's event source (src/AsyncEventSource.h). The
// board owns the event stream connections and their queues: send() becomes an `sseSend` frame
// (client 0 = every client); `sseConnect`/`sseDisconnect` from the board create and retire the
// AsyncEventSourceClient objects and run onConnect/onDisconnect on the async_tcp thread.
#pragma once

#include <Arduino.h>

#include <map>
#include <memory>
#include <mutex>

#include "AsyncTCP.h"
#include "ESPAsyncWebServer.h"

#ifndef SSE_MAX_QUEUED_MESSAGES
#define SSE_MAX_QUEUED_MESSAGES 32
#endif
#define SSE_MIN_INFLIGH 2 * 1460
#define SSE_MAX_INFLIGH 16 * 1024

class AsyncEventSource;
class AsyncEventSourceClient;
using ArEventHandlerFunction = std::function<void(AsyncEventSourceClient *client)>;
using ArAuthorizeConnectHandler = ArRequestFilterFunction;

/** One connected event-stream client, as the board reported it. */
class AsyncEventSourceClient {
  friend struct esp_sse::web::Access;

private:
  AsyncClient _clientInfo;
  AsyncEventSource *_server;
  uint32_t _linkId;  // the board's client id
  uint32_t _lastId;
  std::atomic<bool> _connected{true};
  size_t _max_inflight{SSE_MAX_INFLIGH};

  AsyncEventSourceClient(AsyncEventSource *server, uint32_t clientId, uint32_t lastId);

public:
  ~AsyncEventSourceClient();

  bool send(const char *message, const char *event = NULL, uint32_t id = 0, uint32_t reconnect = 0);
  bool send(const String &message, const String &event, uint32_t id = 0, uint32_t reconnect = 0) {
    return send(message.c_str(), event.c_str(), id, reconnect);
  }
  bool send(const String &message, const char *event, uint32_t id = 0, uint32_t reconnect = 0) {
    return send(message.c_str(), event, id, reconnect);
  }

  void close();

  AsyncClient *client() { return &_clientInfo; }
  bool connected() const { return _connected; }
  uint32_t lastId() const { return _lastId; }
  /** The board keeps the queue: 0 here. */
  size_t packetsWaiting() const { return 0; }
  void set_max_inflight_bytes(size_t value) { _max_inflight = value; }
  size_t get_max_inflight_bytes() const { return _max_inflight; }
};

class AsyncEventSource : public AsyncWebHandler {
  friend struct esp_sse::web::Access;

private:
  String _url;
  mutable std::recursive_mutex _client_queue_lock;
  std::map<uint32_t, AsyncEventSourceClient *> _clients;
  ArEventHandlerFunction _connectcb = nullptr;
  ArEventHandlerFunction _disconnectcb = nullptr;

public:
  typedef enum {
    DISCARDED = 0,
    ENQUEUED = 1,
    PARTIALLY_ENQUEUED = 2,
  } SendStatus;

  AsyncEventSource(const char *url) : _url(url) {}
  AsyncEventSource(const String &url) : _url(url) {}
  ~AsyncEventSource() { close(); }

  const char *url() const { return _url.c_str(); }
  /** Closes every client (`sseClose`, client 0). */
  void close();

  void onConnect(ArEventHandlerFunction cb) { _connectcb = cb; }

  /** One `sseSend` to every client; the board queues and drops as the board would: ENQUEUED here. */
  SendStatus send(const char *message, const char *event = NULL, uint32_t id = 0, uint32_t reconnect = 0);
  SendStatus send(const String &message, const String &event, uint32_t id = 0, uint32_t reconnect = 0) {
    return send(message.c_str(), event.c_str(), id, reconnect);
  }
  SendStatus send(const String &message, const char *event, uint32_t id = 0, uint32_t reconnect = 0) {
    return send(message.c_str(), event, id, reconnect);
  }

  void onDisconnect(ArEventHandlerFunction cb) { _disconnectcb = cb; }
  /** Not emulated yet (one warning): every client may connect. */
  void authorizeConnect(ArAuthorizeConnectHandler cb);

  /** Asks the board (a call): its connected clients of this source. */
  size_t count() const;
  size_t avgPacketsWaiting() const { return 0; }

  bool canHandle(AsyncWebServerRequest *request) const final;
  void handleRequest(AsyncWebServerRequest *request) final;

protected:
  bool _register() override;
};
