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

/** A query, form or file parameter. */
class AsyncWebParameter {
private:
  String _name;
  String _value;
  size_t _size;
  bool _isForm;
  bool _isFile;

public:
  AsyncWebParameter(const String &name, const String &value, bool form = false, bool file = false, size_t size = 0)
    : _name(name), _value(value), _size(size), _isForm(form), _isFile(file) {}
  const String &name() const { return _name; }
  const String &value() const { return _value; }
  size_t size() const { return _size; }
  bool isPost() const { return _isForm; }
  bool isFile() const { return _isFile; }
};

/** A request or response header. */
class AsyncWebHeader {
private:
  String _name;
  String _value;

public:
  AsyncWebHeader() {}
  AsyncWebHeader(const AsyncWebHeader &) = default;
  AsyncWebHeader(AsyncWebHeader &&) = default;
  AsyncWebHeader(const char *name, const char *value) : _name(name), _value(value) {}
  AsyncWebHeader(const String &name, const String &value) : _name(name), _value(value) {}
  AsyncWebHeader &operator=(const AsyncWebHeader &) = default;
  AsyncWebHeader &operator=(AsyncWebHeader &&other) = default;

  const String &name() const { return _name; }
  const String &value() const { return _value; }
  /** "name: value\r\n". */
  String toString() const;
  operator bool() const { return _name.length(); }

  static const AsyncWebHeader parse(const String &data) { return parse(data.c_str()); }
  /** "Name: value" (a trailing CR/LF ignored); an invalid header when there is no colon. */
  static const AsyncWebHeader parse(const char *data);
};

typedef enum { RCT_NOT_USED = -1, RCT_DEFAULT = 0, RCT_HTTP, RCT_WS, RCT_EVENT, RCT_MAX } RequestedConnectionType;

typedef enum {
  AUTH_NONE = 0,
  AUTH_BASIC = 1,
  AUTH_DIGEST = 2,
  AUTH_BEARER = 3,
  AUTH_OTHER = 4,
  AUTH_DENIED = 255,
} AsyncAuthType;

typedef std::function<size_t(uint8_t *, size_t, size_t)> AwsResponseFiller;
typedef std::function<String(const String &)> AwsTemplateProcessor;

/**
 * One request the board routed to a handler of this sketch. It lives until its handler returned
 * and it was answered (a template response: until its placeholders were filled).
 */
class AsyncWebServerRequest {
  using File = fs::File;
  using FS = fs::FS;
  friend struct esp_sse::web::Access;

private:
  uint32_t _id;  // the board's request frame id
  AsyncClient _clientInfo;
  AsyncWebServer *_server = nullptr;
  AsyncWebHandler *_handler = nullptr;
  AsyncWebServerResponse *_response = nullptr;
  std::atomic<bool> _sent{false};
  std::atomic<int> _holds{2};  // the dispatch and the answer; a pending template adds one
  uint8_t _version = 1;
  WebRequestMethodComposite _method = HTTP_GET;
  String _methodName;
  String _url;
  String _host;
  String _contentType;
  size_t _contentLength = 0;
  std::string _body;
  std::list<AsyncWebHeader> _headers;
  std::list<AsyncWebParameter> _params;

  explicit AsyncWebServerRequest(uint32_t id);

public:
  File _tempFile;
  void *_tempObject = nullptr;

  ~AsyncWebServerRequest();

  AsyncClient *client() { return &_clientInfo; }
  uint8_t version() const { return _version; }
  WebRequestMethodComposite method() const { return _method; }
  const String &url() const { return _url; }
  const String &host() const { return _host; }
  const String &contentType() const { return _contentType; }
  size_t contentLength() const { return _contentLength; }
  bool multipart() const;

  const char *methodToString() const;
  const char *requestedConnTypeToString() const;
  RequestedConnectionType requestedConnType() const { return RCT_HTTP; }
  bool isExpectedRequestedConnType(RequestedConnectionType erct1, RequestedConnectionType erct2 = RCT_NOT_USED,
                                   RequestedConnectionType erct3 = RCT_NOT_USED) const;
  bool isWebSocketUpgrade() const { return false; }
  bool isSSE() const { return false; }
  bool isHTTP() const { return true; }
  /** Accepted; never called (the app does not see connections close). */
  void onDisconnect(ArDisconnectHandler fn);

  /** Authentication is not emulated yet (one warning): every request passes. */
  bool authenticate(const char *hash) const;
  bool authenticate(const char *username, const char *credentials, const char *realm = NULL, bool isHash = false) const;
  void requestAuthentication(const char *realm = nullptr, bool isDigest = true) {
    requestAuthentication(isDigest ? AsyncAuthType::AUTH_DIGEST : AsyncAuthType::AUTH_BASIC, realm);
  }
  void requestAuthentication(AsyncAuthType method, const char *realm = nullptr, const char *_authFailMsg = nullptr);
  AsyncAuthType authType() const { return AUTH_NONE; }

  void setHandler(AsyncWebHandler *handler) { _handler = handler; }

  [[deprecated("All headers are now collected. Use removeHeader(name) or AsyncHeaderFreeMiddleware if you really need to free some headers.")]]
  void addInterestingHeader(__attribute__((unused)) const char *name) {}
  [[deprecated("All headers are now collected. Use removeHeader(name) or AsyncHeaderFreeMiddleware if you really need to free some headers.")]]
  void addInterestingHeader(__attribute__((unused)) const String &name) {}

  /** A basic response with `Location` added after construction. */
  void redirect(const char *url, int code = 302);
  void redirect(const String &url, int code = 302) { return redirect(url.c_str(), code); }

  /** Sends the response (one `response` frame) and deletes it. A second send is ignored. */
  void send(AsyncWebServerResponse *response);
  AsyncWebServerResponse *getResponse() const { return _response; }

  void send(int code, const char *contentType = asyncsrv::empty, const char *content = asyncsrv::empty,
            AwsTemplateProcessor callback = nullptr) {
    send(beginResponse(code, contentType, content, callback));
  }
  void send(int code, const String &contentType, const char *content = asyncsrv::empty,
            AwsTemplateProcessor callback = nullptr) {
    send(beginResponse(code, contentType.c_str(), content, callback));
  }
  void send(int code, const String &contentType, const String &content, AwsTemplateProcessor callback = nullptr) {
    send(beginResponse(code, contentType.c_str(), content.c_str(), callback));
  }
  void send(int code, const char *contentType, const uint8_t *content, size_t len,
            AwsTemplateProcessor callback = nullptr) {
    send(beginResponse(code, contentType, content, len, callback));
  }
  void send(int code, const String &contentType, const uint8_t *content, size_t len,
            AwsTemplateProcessor callback = nullptr) {
    send(beginResponse(code, contentType, content, len, callback));
  }

  /** The file if it exists (or, unless download, its .gz twin), else 404. */
  void send(FS &fs, const String &path, const char *contentType = asyncsrv::empty, bool download = false,
            AwsTemplateProcessor callback = nullptr);
  void send(FS &fs, const String &path, const String &contentType, bool download = false,
            AwsTemplateProcessor callback = nullptr) {
    send(fs, path, contentType.c_str(), download, callback);
  }
  void send(File content, const String &path, const char *contentType = asyncsrv::empty, bool download = false,
            AwsTemplateProcessor callback = nullptr) {
    if (content) {
      send(beginResponse(content, path, contentType, download, callback));
    } else {
      send(404);
    }
  }
  void send(File content, const String &path, const String &contentType, bool download = false,
            AwsTemplateProcessor callback = nullptr) {
    send(content, path, contentType.c_str(), download, callback);
  }
  void send(Stream &stream, const char *contentType, size_t len, AwsTemplateProcessor callback = nullptr) {
    send(beginResponse(stream, contentType, len, callback));
  }
  void send(Stream &stream, const String &contentType, size_t len, AwsTemplateProcessor callback = nullptr) {
    send(beginResponse(stream, contentType, len, callback));
  }
  void send(const char *contentType, size_t len, AwsResponseFiller callback, AwsTemplateProcessor templateCallback = nullptr) {
    send(beginResponse(contentType, len, callback, templateCallback));
  }
  void send(const String &contentType, size_t len, AwsResponseFiller callback,
            AwsTemplateProcessor templateCallback = nullptr) {
    send(beginResponse(contentType, len, callback, templateCallback));
  }
  void sendChunked(const char *contentType, AwsResponseFiller callback, AwsTemplateProcessor templateCallback = nullptr) {
    send(beginChunkedResponse(contentType, callback, templateCallback));
  }
  void sendChunked(const String &contentType, AwsResponseFiller callback, AwsTemplateProcessor templateCallback = nullptr) {
    send(beginChunkedResponse(contentType, callback, templateCallback));
  }

  [[deprecated("Replaced by send(int code, const String& contentType, const uint8_t* content, size_t len, AwsTemplateProcessor callback = nullptr)")]]
  void send_P(int code, const String &contentType, const uint8_t *content, size_t len, AwsTemplateProcessor callback = nullptr) {
    send(code, contentType, content, len, callback);
  }
  [[deprecated("Replaced by send(int code, const String& contentType, const char* content = asyncsrv::empty, AwsTemplateProcessor callback = nullptr)")]]
  void send_P(int code, const String &contentType, PGM_P content, AwsTemplateProcessor callback = nullptr) {
    send(code, contentType, content, callback);
  }

  AsyncWebServerResponse *beginResponse(int code, const char *contentType = asyncsrv::empty,
                                        const char *content = asyncsrv::empty, AwsTemplateProcessor callback = nullptr);
  AsyncWebServerResponse *beginResponse(int code, const String &contentType, const char *content = asyncsrv::empty,
                                        AwsTemplateProcessor callback = nullptr) {
    return beginResponse(code, contentType.c_str(), content, callback);
  }
  AsyncWebServerResponse *beginResponse(int code, const String &contentType, const String &content,
                                        AwsTemplateProcessor callback = nullptr) {
    return beginResponse(code, contentType.c_str(), content.c_str(), callback);
  }
  AsyncWebServerResponse *beginResponse(int code, const char *contentType, const uint8_t *content, size_t len,
                                        AwsTemplateProcessor callback = nullptr);
  AsyncWebServerResponse *beginResponse(int code, const String &contentType, const uint8_t *content, size_t len,
                                        AwsTemplateProcessor callback = nullptr) {
    return beginResponse(code, contentType.c_str(), content, len, callback);
  }
  AsyncWebServerResponse *beginResponse(FS &fs, const String &path, const char *contentType = asyncsrv::empty,
                                        bool download = false, AwsTemplateProcessor callback = nullptr);
  AsyncWebServerResponse *beginResponse(FS &fs, const String &path, const String &contentType = emptyString,
                                        bool download = false, AwsTemplateProcessor callback = nullptr) {
    return beginResponse(fs, path, contentType.c_str(), download, callback);
  }
  AsyncWebServerResponse *beginResponse(File content, const String &path, const char *contentType = asyncsrv::empty,
                                        bool download = false, AwsTemplateProcessor callback = nullptr);
  AsyncWebServerResponse *beginResponse(File content, const String &path, const String &contentType = emptyString,
                                        bool download = false, AwsTemplateProcessor callback = nullptr) {
    return beginResponse(content, path, contentType.c_str(), download, callback);
  }
  AsyncWebServerResponse *beginResponse(Stream &stream, const char *contentType, size_t len,
                                        AwsTemplateProcessor callback = nullptr);
  AsyncWebServerResponse *beginResponse(Stream &stream, const String &contentType, size_t len,
                                        AwsTemplateProcessor callback = nullptr) {
    return beginResponse(stream, contentType.c_str(), len, callback);
  }
  AsyncWebServerResponse *beginResponse(const char *contentType, size_t len, AwsResponseFiller callback,
                                        AwsTemplateProcessor templateCallback = nullptr);
  AsyncWebServerResponse *beginResponse(const String &contentType, size_t len, AwsResponseFiller callback,
                                        AwsTemplateProcessor templateCallback = nullptr) {
    return beginResponse(contentType.c_str(), len, callback, templateCallback);
  }
  AsyncWebServerResponse *beginChunkedResponse(const char *contentType, AwsResponseFiller callback,
                                               AwsTemplateProcessor templateCallback = nullptr);
  AsyncWebServerResponse *beginChunkedResponse(const String &contentType, AwsResponseFiller callback,
                                               AwsTemplateProcessor templateCallback = nullptr) {
    return beginChunkedResponse(contentType.c_str(), callback, templateCallback);
  }
  AsyncResponseStream *beginResponseStream(const char *contentType, size_t bufferSize = RESPONSE_STREAM_BUFFER_SIZE);
  AsyncResponseStream *beginResponseStream(const String &contentType, size_t bufferSize = RESPONSE_STREAM_BUFFER_SIZE) {
    return beginResponseStream(contentType.c_str(), bufferSize);
  }

  [[deprecated("Replaced by beginResponse(int code, const String& contentType, const uint8_t* content, size_t len, AwsTemplateProcessor callback = nullptr)")]]
  AsyncWebServerResponse *beginResponse_P(int code, const String &contentType, const uint8_t *content, size_t len,
                                          AwsTemplateProcessor callback = nullptr) {
    return beginResponse(code, contentType.c_str(), content, len, callback);
  }
  [[deprecated("Replaced by beginResponse(int code, const String& contentType, const char* content = asyncsrv::empty, AwsTemplateProcessor callback = nullptr)")]]
  AsyncWebServerResponse *beginResponse_P(int code, const String &contentType, PGM_P content,
                                          AwsTemplateProcessor callback = nullptr);

  bool isSent() const { return _sent; }

  const AsyncWebParameter *getParam(const char *name, bool post = false, bool file = false) const;
  const AsyncWebParameter *getParam(const String &name, bool post = false, bool file = false) const {
    return getParam(name.c_str(), post, file);
  };
  const AsyncWebParameter *getParam(size_t num) const;
  const AsyncWebParameter *getParam(int num) const { return num < 0 ? nullptr : getParam((size_t)num); }

  size_t args() const { return params(); }
  const String &arg(const char *name) const;
  const String &arg(const String &name) const { return arg(name.c_str()); };
  const String &arg(size_t i) const;
  const String &arg(int i) const { return i < 0 ? emptyString : arg((size_t)i); };
  const String &argName(size_t i) const;
  const String &argName(int i) const { return i < 0 ? emptyString : argName((size_t)i); };
  bool hasArg(const char *name) const;
  bool hasArg(const String &name) const { return hasArg(name.c_str()); };

  const String &header(const char *name) const;
  const String &header(const String &name) const { return header(name.c_str()); };
  const String &header(size_t i) const;
  const String &header(int i) const { return i < 0 ? emptyString : header((size_t)i); };
  const String &headerName(size_t i) const;
  const String &headerName(int i) const { return i < 0 ? emptyString : headerName((size_t)i); };
  size_t headers() const;

  bool hasHeader(const char *name) const;
  bool hasHeader(const String &name) const { return hasHeader(name.c_str()); };
  const AsyncWebHeader *getHeader(const char *name) const;
  const AsyncWebHeader *getHeader(const String &name) const { return getHeader(name.c_str()); };
  const AsyncWebHeader *getHeader(size_t num) const;
  const AsyncWebHeader *getHeader(int num) const { return num < 0 ? nullptr : getHeader((size_t)num); };
  const std::list<AsyncWebHeader> &getHeaders() const { return _headers; }
  size_t getHeaderNames(std::vector<const char *> &names) const;
  bool removeHeader(const char *name);
  void removeHeaders() { _headers.clear(); }

  size_t params() const;
  bool hasParam(const char *name, bool post = false, bool file = false) const;
  bool hasParam(const String &name, bool post = false, bool file = false) const {
    return hasParam(name.c_str(), post, file);
  };

  String urlDecode(const String &text) const;
};

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
