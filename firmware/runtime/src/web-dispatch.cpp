// Board frames other than replies: where the reader thread sends each one, and what the
// async_tcp thread does with the web ones (then `done`, or `appReply` for a template).
#include <map>
#include <mutex>

#include "AsyncEventSource.h"
#include "ESPAsyncWebServer.h"
#include "executor.h"
#include "link.h"
#include "warnings.h"
#include "serial-rx.h"
#include "web-internal.h"

namespace lk = esp_sse::link;
using esp_sse::web::Access;

namespace {

struct PendingTemplate {
  AwsTemplateProcessor processor;
  AsyncWebServerRequest *request;
};
std::mutex templatesLock;
std::map<uint32_t, PendingTemplate> templates;

void sendDone(uint32_t id) {
  lk::Frame f;
  f.type = lk::type::done;
  f.id = id;
  lk::send(f);
}

/** A request for one of the sketch's callback handlers: body first (if any), then onRequest. */
void runRequest(const lk::Frame &f) {
  AsyncCallbackWebHandler *handler = esp_sse::web::findCallback(f.a);
  AsyncWebServerRequest *request = Access::newRequest(f);
  if (!handler) {
    esp_sse::link::warnOnce(esp_sse::warning::unknownHandler);
    request->send(500);
  } else {
    Access::setHandler(*request, handler);
    std::string &body = Access::body(*request);
    if (Access::hasBody(*handler) && Access::plainBody(*request)) {
      handler->handleBody(request, reinterpret_cast<uint8_t *>(&body[0]), body.size(), 0, body.size());
    }
    if (Access::hasUpload(*handler) && request->multipart()) {
      esp_sse::link::warnOnce(esp_sse::warning::upload);
    }
    handler->handleRequest(request);
  }
  Access::handlerReturned(request);
  sendDone(f.id);
}

void runConnect(const lk::Frame &f) {
  lk::HoldClientEvents hold(f.a, f.b);  // its hello! and the done leave in one write
  if (AsyncEventSource *source = esp_sse::web::findSource(f.a)) Access::clientConnected(*source, f.b, f.c);
  sendDone(f.id);
}

void runDisconnect(const lk::Frame &f) {
  if (AsyncEventSource *source = esp_sse::web::findSource(f.a)) Access::clientDisconnected(*source, f.b);
  sendDone(f.id);
}

/** The processor's value for each placeholder name, in order; then the processor is dropped. */
void runTemplate(const lk::Frame &f) {
  PendingTemplate pending{nullptr, nullptr};
  {
    std::lock_guard<std::mutex> lock(templatesLock);
    auto it = templates.find(f.a);
    if (it != templates.end()) {
      pending = std::move(it->second);
      templates.erase(it);
    }
  }
  lk::Frame reply;
  reply.type = lk::type::appReply;
  reply.id = f.id;
  for (const auto &name : f.l1) {
    String value = pending.processor ? pending.processor(String(name.c_str(), (unsigned int)name.size())) : String();
    reply.l1.emplace_back(value.c_str(), value.length());
  }
  lk::send(reply);
  if (pending.request) Access::release(pending.request);
}

}  // namespace

namespace esp_sse {

namespace web {

void keepTemplate(uint32_t requestId, AwsTemplateProcessor processor, AsyncWebServerRequest *request) {
  Access::hold(request);
  std::lock_guard<std::mutex> lock(templatesLock);
  templates[requestId] = PendingTemplate{std::move(processor), request};
}

}  // namespace web

void onBoardFrame(link::Frame &&f) {
  switch (f.type) {
    case link::type::serialRx:
      serial::rxAppend(f.s1.data(), f.s1.size());
      break;
    case link::type::request:
      executor::post([f = std::move(f)] { runRequest(f); });
      break;
    case link::type::sseConnect:
      executor::post([f = std::move(f)] { runConnect(f); });
      break;
    case link::type::sseDisconnect:
      executor::post([f = std::move(f)] { runDisconnect(f); });
      break;
    case link::type::templ:
      executor::post([f = std::move(f)] { runTemplate(f); });
      break;
    default:
      link::fail("a frame type the app does not take from the board");
  }
}

}  // namespace esp_sse
