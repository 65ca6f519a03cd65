// The web classes' runtime side: handler registry, route frames and the friend struct that reads
// the public classes' internals. Internal to the runtime.
#pragma once

#include <stdint.h>

#include <string>

#include "ESPAsyncWebServer.h"
#include "frame.h"

namespace esp_sse {
namespace web {

/** Field c of a RouteOp.on frame (route flags). */
namespace routeFlag {
constexpr uint32_t body = 1, upload = 2, request = 4;
}

/** Sends a `route` frame: a = op, b = handler id, c, s1, s2, s3. */
void sendRoute(uint32_t op, uint32_t handler, uint32_t c, const std::string &s1, const std::string &s2 = std::string(),
               const std::string &s3 = std::string(), uint32_t d = 0);

/** The handlers the board can name in a `request` / `sseConnect`. Any thread. */
void registerCallback(uint32_t id, AsyncCallbackWebHandler *handler);
AsyncCallbackWebHandler *findCallback(uint32_t id);
void registerSource(uint32_t id, AsyncEventSource *source);
AsyncEventSource *findSource(uint32_t id);

/** A new id for a handler or event source (1, 2, …). */
uint32_t nextHandlerId();

struct Access {
  // --- handlers (web-server.cpp) ---
  static uint32_t linkId(const AsyncWebHandler &h) { return h._linkId; }
  static bool registerWith(AsyncWebHandler &h) { return h._register(); }
  static bool hasBody(const AsyncCallbackWebHandler &h) { return bool(h._onBody); }
  static bool hasUpload(const AsyncCallbackWebHandler &h) { return bool(h._onUpload); }

  // --- requests (web-request.cpp) ---
  /** Builds the request of a `request` frame (fields: see sketch-link.ts), holding it once. */
  static AsyncWebServerRequest *newRequest(const link::Frame &f);
  static uint32_t requestId(const AsyncWebServerRequest &r) { return r._id; }
  static std::string &body(AsyncWebServerRequest &r) { return r._body; }
  static void setHandler(AsyncWebServerRequest &r, AsyncWebHandler *h) { r._handler = h; }
  static void hold(AsyncWebServerRequest *r) { r->_holds++; }
  /** Drops one hold; the last one deletes the request. */
  static void release(AsyncWebServerRequest *r) {
    if (--r->_holds == 0) delete r;
  }
  /** The handler returned: without an answer the request waits for a later send(). */
  static void handlerReturned(AsyncWebServerRequest *r);
  /** True for a body the library hands to onBody (not a form, not multipart). */
  static bool plainBody(const AsyncWebServerRequest &r);

  // --- responses (web-response.cpp) ---
  /** The `response` frame for `resp` answering request `requestId`. */
  static link::Frame describe(const AsyncWebServerResponse &resp, uint32_t requestId);
  static AwsTemplateProcessor &processor(AsyncWebServerResponse &resp) { return resp._callback; }

  // --- event sources (event-source.cpp) ---
  static void clientConnected(AsyncEventSource &source, uint32_t clientId, uint32_t lastId);
  static void clientDisconnected(AsyncEventSource &source, uint32_t clientId);
};

/** Template responses waiting for the board's `template` call (web-dispatch.cpp). */
void keepTemplate(uint32_t requestId, AwsTemplateProcessor processor, AsyncWebServerRequest *request);

}  // namespace web
}  // namespace esp_sse
