// esp-sse native runtime: ESPAsyncWebServer 3.12.0's request, its parameters and headers, as
// handlers see them (the board parsed the request; the app gets it in a `request` frame, see
// web-request.cpp). Included by ESPAsyncWebServer.h, which sketches include.
#pragma once

#include <Arduino.h>
#include <FS.h>

#include <functional>
#include <list>
#include <memory>
#include <string>
#include <vector>

#include "AsyncTCP.h"
#include "AsyncWebServerTypes.h"

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
