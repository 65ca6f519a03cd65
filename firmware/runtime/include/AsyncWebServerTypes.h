// esp-sse native runtime: the names every part of ESPAsyncWebServer 3.12.0's API shares (version
// macros, forward declarations, the method bits, the callback types); included by
// ESPAsyncWebServer.h, which sketches include.
#pragma once

#include <stdint.h>

#include <functional>

#define ASYNCWEBSERVER_FORK_ESP32Async
#define ASYNCWEBSERVER_VERSION "3.12.0"
#define ASYNCWEBSERVER_VERSION_MAJOR 3
#define ASYNCWEBSERVER_VERSION_MINOR 12
#define ASYNCWEBSERVER_VERSION_REVISION 0

class AsyncWebServer;
class AsyncWebServerRequest;
class AsyncWebServerResponse;
class AsyncWebHeader;
class AsyncWebParameter;
class AsyncWebHandler;
class AsyncStaticWebHandler;
class AsyncCallbackWebHandler;
class AsyncResponseStream;
class AsyncEventSource;

namespace esp_sse {
namespace web {
/** The runtime's access to the web classes' internals (web-*.cpp). */
struct Access;
}  // namespace web
}  // namespace esp_sse

namespace asyncsrv {
static constexpr const char *empty = "";
}

#ifndef WEBSERVER_H
typedef enum {
  HTTP_GET = 0b00000001,
  HTTP_POST = 0b00000010,
  HTTP_DELETE = 0b00000100,
  HTTP_PUT = 0b00001000,
  HTTP_PATCH = 0b00010000,
  HTTP_HEAD = 0b00100000,
  HTTP_OPTIONS = 0b01000000,
  HTTP_ANY = 0b01111111,
} WebRequestMethod;
#endif

// if this value is returned when asked for data, packet will not be sent and you will be asked for data again
#define RESPONSE_TRY_AGAIN 0xFFFFFFFF
#define RESPONSE_STREAM_BUFFER_SIZE 1460

typedef uint8_t WebRequestMethodComposite;
typedef std::function<void(void)> ArDisconnectHandler;
