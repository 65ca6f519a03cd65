// esp-sse native runtime: ESP32Async/ESPAsyncWebServer 3.12.0's public API as sketches use it,
// with the real classes, overloads and default arguments so that a call resolves as on the
// board. The board owns HTTP: it parses requests, picks the handler (the routes registered here
// are sent to it) and writes every byte of every response. The app runs the handlers on its
// async_tcp thread and answers with response descriptors (kind, status, type, content or file,
// headers, template processor). Middleware, rewrites, WebSockets and uploads are not here yet.
#ifndef _ESPAsyncWebServer_H_
#define _ESPAsyncWebServer_H_

#include <Arduino.h>
#include <FS.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <vector>

#include "AsyncTCP.h"

#include "AsyncWebServerTypes.h"
#include "AsyncWebServerRequest.h"

/** How a route's URI matches (the board applies the rule the URI string implies). */
class AsyncURIMatcher {
public:
  static constexpr uint16_t None = 0;
  static constexpr uint16_t CaseInsensitive = (1 << 0);

  AsyncURIMatcher() : _value(), _type(Type::None), _modifiers(None) {}
  AsyncURIMatcher(const char *uri, uint16_t modifiers = None) : AsyncURIMatcher(String(uri), modifiers) {}
  AsyncURIMatcher(String uri, uint16_t modifiers = None) : _value(uri), _type(Type::FromString), _modifiers(modifiers) {}

  static inline AsyncURIMatcher all() { return AsyncURIMatcher(String(), Type::All, None); }
  static inline AsyncURIMatcher none() { return AsyncURIMatcher(String(), Type::None, None); }
  static inline AsyncURIMatcher exact(String c, uint16_t modifiers = None) { return AsyncURIMatcher(c, Type::Exact, modifiers); }
  static inline AsyncURIMatcher prefix(String c, uint16_t modifiers = None) { return AsyncURIMatcher(c, Type::Prefix, modifiers); }
  static inline AsyncURIMatcher dir(String c, uint16_t modifiers = None) {
    if (!c.length()) return AsyncURIMatcher(String("/"), Type::Prefix, modifiers);
    if (c[c.length() - 1] != '/') c.concat('/');
    return AsyncURIMatcher(c, Type::Prefix, modifiers);
  }
  static inline AsyncURIMatcher ext(String c, uint16_t modifiers = None) { return AsyncURIMatcher(c, Type::Extension, modifiers); }

  /** Runtime-internal: the URI sent to the board; false when its matching rule cannot be sent. */
  const String &_uri() const { return _value; }
  bool _plain() const { return _type == Type::FromString && _modifiers == None; }

private:
  enum class Type { None, All, Exact, Prefix, Extension, FromString };
  AsyncURIMatcher(String uri, Type type, uint16_t modifiers) : _value(uri), _type(type), _modifiers(modifiers) {}
  String _value;
  Type _type;
  uint16_t _modifiers;
};

using ArRequestFilterFunction = std::function<bool(AsyncWebServerRequest *request)>;
bool ON_STA_FILTER(AsyncWebServerRequest *request);
bool ON_AP_FILTER(AsyncWebServerRequest *request);

/** A handler the server holds. Only the library's own kinds can be emulated. */
class AsyncWebHandler {
  friend struct esp_sse::web::Access;

protected:
  ArRequestFilterFunction _filter = nullptr;
  /** Runtime-internal: the id the board knows this handler by. */
  uint32_t _linkId;

public:
  AsyncWebHandler();
  virtual ~AsyncWebHandler() {}
  /** Not emulated (one warning): the board routes by URI and method only. */
  AsyncWebHandler &setFilter(ArRequestFilterFunction fn);
  /** Not emulated yet (one warning): requests are not authenticated. */
  AsyncWebHandler &setAuthentication(const char *username, const char *password,
                                     AsyncAuthType authMethod = AsyncAuthType::AUTH_DIGEST);
  AsyncWebHandler &setAuthentication(const String &username, const String &password,
                                     AsyncAuthType authMethod = AsyncAuthType::AUTH_DIGEST) {
    return setAuthentication(username.c_str(), password.c_str(), authMethod);
  };
  bool filter(AsyncWebServerRequest *request) { return _filter == NULL || _filter(request); }
  virtual bool canHandle(AsyncWebServerRequest *request __attribute__((unused))) const { return false; }
  virtual void handleRequest(__attribute__((unused)) AsyncWebServerRequest *request) {}
  virtual void handleUpload(__attribute__((unused)) AsyncWebServerRequest *request,
                            __attribute__((unused)) const String &filename, __attribute__((unused)) size_t index,
                            __attribute__((unused)) uint8_t *data, __attribute__((unused)) size_t len,
                            __attribute__((unused)) bool final) {}
  virtual void handleBody(__attribute__((unused)) AsyncWebServerRequest *request, __attribute__((unused)) uint8_t *data,
                          __attribute__((unused)) size_t len, __attribute__((unused)) size_t index,
                          __attribute__((unused)) size_t total) {}
  virtual bool isRequestHandlerTrivial() const { return true; }

protected:
  /** Runtime-internal: registers this handler with the board; false for kinds it cannot serve. */
  virtual bool _register();
};

typedef enum { RESPONSE_SETUP, RESPONSE_HEADERS, RESPONSE_CONTENT, RESPONSE_WAIT_ACK, RESPONSE_END, RESPONSE_FAILED } WebResponseState;

/**
 * A response descriptor. Its headers are the ones the sketch adds (DefaultHeaders and the
 * headers the library adds itself are the board's), with addHeader's replace rules.
 */
class AsyncWebServerResponse {
  friend struct esp_sse::web::Access;

protected:
  int _code;
  std::list<AsyncWebHeader> _headers;
  String _contentType;
  size_t _contentLength;
  WebResponseState _state;
  /** Runtime-internal: the `response` frame this becomes (see web-response.cpp). */
  uint32_t _kind;
  uint32_t _flags;
  std::string _content;  // content (basic/textTemplate) or path (file kinds)
  AwsTemplateProcessor _callback;

  static bool headerMustBePresentOnce(const String &name);

public:
  static const char *responseCodeToString(int code);

  AsyncWebServerResponse();
  virtual ~AsyncWebServerResponse() {}
  void setCode(int code);
  int code() const { return _code; }
  void setContentLength(size_t len);
  void setContentType(const String &type) { setContentType(type.c_str()); }
  void setContentType(const char *type);
  bool addHeader(AsyncWebHeader &&header, bool replaceExisting = true);
  bool addHeader(const AsyncWebHeader &header, bool replaceExisting = true) {
    return header && addHeader(header.name(), header.value(), replaceExisting);
  }
  bool addHeader(const char *name, const char *value, bool replaceExisting = true);
  bool addHeader(const String &name, const String &value, bool replaceExisting = true) {
    return addHeader(name.c_str(), value.c_str(), replaceExisting);
  }
  bool addHeader(const char *name, long value, bool replaceExisting = true) {
    return addHeader(name, String(value), replaceExisting);
  }
  bool addHeader(const String &name, long value, bool replaceExisting = true) {
    return addHeader(name.c_str(), value, replaceExisting);
  }
  bool removeHeader(const char *name);
  bool removeHeader(const char *name, const char *value);
  const AsyncWebHeader *getHeader(const char *name) const;
  const std::list<AsyncWebHeader> &getHeaders() const { return _headers; }

  virtual bool _started() const { return _state > RESPONSE_SETUP; }
  virtual bool _finished() const { return _state > RESPONSE_WAIT_ACK; }
  virtual bool _failed() const { return _state == RESPONSE_FAILED; }
  virtual bool _sourceValid() const { return false; }
};

typedef std::function<void(AsyncWebServerRequest *request)> ArRequestHandlerFunction;
typedef std::function<void(AsyncWebServerRequest *request, const String &filename, size_t index, uint8_t *data,
                           size_t len, bool final)>
  ArUploadHandlerFunction;
typedef std::function<void(AsyncWebServerRequest *request, uint8_t *data, size_t len, size_t index, size_t total)>
  ArBodyHandlerFunction;

/**
 * The server: registrations go to the board as they happen; begin() starts the async_tcp
 * thread and asks the board to listen (it binds its own port; the one given here is ignored).
 */
class AsyncWebServer {
  friend struct esp_sse::web::Access;

protected:
  uint16_t _port;
  std::list<AsyncWebHandler *> _handlers;  // not owned: sketches add static objects (&events)
  AsyncCallbackWebHandler *_catchAllHandler;

public:
  AsyncWebServer(uint16_t port);
  ~AsyncWebServer();

  void begin();
  void end();

  AsyncWebHandler &addHandler(AsyncWebHandler *handler);
  bool removeHandler(AsyncWebHandler *handler);

  AsyncCallbackWebHandler &on(AsyncURIMatcher uri, ArRequestHandlerFunction onRequest) {
    return on(std::move(uri), HTTP_ANY, onRequest);
  }
  AsyncCallbackWebHandler &on(AsyncURIMatcher uri, WebRequestMethodComposite method, ArRequestHandlerFunction onRequest,
                              ArUploadHandlerFunction onUpload = nullptr, ArBodyHandlerFunction onBody = nullptr);

  AsyncStaticWebHandler &serveStatic(const char *uri, fs::FS &fs, const char *path, const char *cache_control = NULL);

  void onNotFound(ArRequestHandlerFunction fn);
  /** Not emulated yet (one warning). */
  void onFileUpload(ArUploadHandlerFunction fn);
  /** Not emulated yet (one warning). */
  void onRequestBody(ArBodyHandlerFunction fn);
  AsyncWebHandler &catchAllHandler() const;

  /** Not emulated yet (one warning): the board keeps the routes it was given. */
  void reset();
};

/** Headers added to every response; each one is sent to the board as it is added. */
class DefaultHeaders {
  using headers_t = std::list<AsyncWebHeader>;
  headers_t _headers;

public:
  DefaultHeaders() = default;

  using ConstIterator = headers_t::const_iterator;

  void addHeader(const String &name, const String &value);

  ConstIterator begin() const { return _headers.begin(); }
  ConstIterator end() const { return _headers.end(); }

  DefaultHeaders(DefaultHeaders const &) = delete;
  DefaultHeaders &operator=(DefaultHeaders const &) = delete;

  static DefaultHeaders &Instance() {
    static DefaultHeaders instance;
    return instance;
  }
};

#include "AsyncEventSource.h"
#include "WebHandlerImpl.h"
#include "WebResponseImpl.h"

#endif /* _ESPAsyncWebServer_H_ */
