// Host mirror of ESP32Async/ESPAsyncWebServer 3.12.0 src/ESPAsyncWebServer.h and
// src/AsyncEventSource.h (which the real header includes at its end): the classes, overloads
// and default arguments of every call the sketch makes, copied as signatures only.
// Declarations only; nothing is linked.
#pragma once

#include <Arduino.h>
#include <AsyncTCP.h>
#include <FS.h>

#include <functional>
#include <list>

class AsyncWebServer;
class AsyncWebServerRequest;
class AsyncWebServerResponse;
class AsyncWebHandler;
class AsyncStaticWebHandler;
class AsyncCallbackWebHandler;

// src/literals.h
namespace asyncsrv {
static constexpr const char *empty = "";
}

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

typedef uint8_t WebRequestMethodComposite;
typedef std::function<String(const String &)> AwsTemplateProcessor;

class AsyncWebHeader {
public:
  AsyncWebHeader(const char *name, const char *value);
  AsyncWebHeader(const String &name, const String &value);
};

class AsyncWebServerRequest {
  using FS = fs::FS;

public:
  AsyncClient *client();
  const String &url() const;

  void send(AsyncWebServerResponse *response);
  void send(int code, const char *contentType = asyncsrv::empty, const char *content = asyncsrv::empty,
            AwsTemplateProcessor callback = nullptr);
  void send(int code, const String &contentType, const char *content = asyncsrv::empty,
            AwsTemplateProcessor callback = nullptr);
  void send(int code, const String &contentType, const String &content, AwsTemplateProcessor callback = nullptr);
  void send(FS &fs, const String &path, const char *contentType = asyncsrv::empty, bool download = false,
            AwsTemplateProcessor callback = nullptr);
  void send(FS &fs, const String &path, const String &contentType, bool download = false,
            AwsTemplateProcessor callback = nullptr);
};

class AsyncURIMatcher {
public:
  static constexpr uint16_t None = 0;
  AsyncURIMatcher();
  AsyncURIMatcher(const char *uri, uint16_t modifiers = None);
  AsyncURIMatcher(String uri, uint16_t modifiers = None);
};

class AsyncWebHandler {
public:
  AsyncWebHandler() {}
  virtual ~AsyncWebHandler() {}
  virtual bool canHandle(AsyncWebServerRequest *request) const;
  virtual void handleRequest(AsyncWebServerRequest *request);
};

class AsyncStaticWebHandler : public AsyncWebHandler {
public:
  AsyncStaticWebHandler &setDefaultFile(const char *filename);
  AsyncStaticWebHandler &setCacheControl(const char *cache_control);
};

class AsyncCallbackWebHandler : public AsyncWebHandler {};

typedef std::function<void(AsyncWebServerRequest *request)> ArRequestHandlerFunction;
typedef std::function<void(AsyncWebServerRequest *request, const String &filename, size_t index, uint8_t *data,
                           size_t len, bool final)>
  ArUploadHandlerFunction;
typedef std::function<void(AsyncWebServerRequest *request, uint8_t *data, size_t len, size_t index, size_t total)>
  ArBodyHandlerFunction;

class AsyncWebServer {
public:
  AsyncWebServer(uint16_t port);
  ~AsyncWebServer();
  void begin();
  void end();
  AsyncWebHandler &addHandler(AsyncWebHandler *handler);
  AsyncCallbackWebHandler &on(AsyncURIMatcher uri, ArRequestHandlerFunction onRequest);
  AsyncCallbackWebHandler &on(AsyncURIMatcher uri, WebRequestMethodComposite method, ArRequestHandlerFunction onRequest,
                              ArUploadHandlerFunction onUpload = nullptr, ArBodyHandlerFunction onBody = nullptr);
  AsyncStaticWebHandler &serveStatic(const char *uri, fs::FS &fs, const char *path, const char *cache_control = NULL);
  void onNotFound(ArRequestHandlerFunction fn);
};

class DefaultHeaders {
public:
  DefaultHeaders() = default;
  void addHeader(const String &name, const String &value);
  static DefaultHeaders &Instance();
  DefaultHeaders(DefaultHeaders const &) = delete;
  DefaultHeaders &operator=(DefaultHeaders const &) = delete;
};

// --- src/AsyncEventSource.h ------------------------------------------------------------------
class AsyncEventSource;
class AsyncEventSourceClient;
using ArEventHandlerFunction = std::function<void(AsyncEventSourceClient *client)>;

class AsyncEventSourceClient {
public:
  bool send(const char *message, const char *event = NULL, uint32_t id = 0, uint32_t reconnect = 0);
  bool send(const String &message, const String &event, uint32_t id = 0, uint32_t reconnect = 0);
  bool send(const String &message, const char *event, uint32_t id = 0, uint32_t reconnect = 0);
  void close();
  AsyncClient *client();
  bool connected() const;
  uint32_t lastId() const;
  size_t packetsWaiting() const;
};

class AsyncEventSource : public AsyncWebHandler {
public:
  typedef enum {
    DISCARDED = 0,
    ENQUEUED = 1,
    PARTIALLY_ENQUEUED = 2,
  } SendStatus;

  AsyncEventSource(const char *url);
  AsyncEventSource(const String &url);
  ~AsyncEventSource();
  const char *url() const;
  void close();
  void onConnect(ArEventHandlerFunction cb);
  void onDisconnect(ArEventHandlerFunction cb);
  SendStatus send(const char *message, const char *event = NULL, uint32_t id = 0, uint32_t reconnect = 0);
  SendStatus send(const String &message, const String &event, uint32_t id = 0, uint32_t reconnect = 0);
  SendStatus send(const String &message, const char *event, uint32_t id = 0, uint32_t reconnect = 0);
  size_t count() const;
  size_t avgPacketsWaiting() const;
  bool canHandle(AsyncWebServerRequest *request) const final;
  void handleRequest(AsyncWebServerRequest *request) final;
};
