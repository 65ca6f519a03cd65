// esp-sse native runtime: ESPAsyncWebServer 3.12.0's handler classes (src/WebHandlerImpl.h).
#ifndef ASYNCWEBSERVERHANDLERIMPL_H_
#define ASYNCWEBSERVERHANDLERIMPL_H_

#include <time.h>

/**
 * serveStatic(): the board serves the files itself (from its own file system model). Default
 * file and cache control reach it; last-modified, template processor and gzip preference are
 * not modelled yet (one warning).
 */
class AsyncStaticWebHandler : public AsyncWebHandler {
  using File = fs::File;
  using FS = fs::FS;

protected:
  String _uri;
  String _path;
  String _default_file;
  String _cache_control;
  uint32_t _volume;  // the file system it serves from (FS::_volume())

public:
  AsyncStaticWebHandler(const char *uri, FS &fs, const char *path, const char *cache_control);
  bool canHandle(AsyncWebServerRequest *request) const override final;
  void handleRequest(AsyncWebServerRequest *request) override final;
  AsyncStaticWebHandler &setTryGzipFirst(bool value);
  AsyncStaticWebHandler &setIsDir(bool isDir);
  AsyncStaticWebHandler &setDefaultFile(const char *filename);
  AsyncStaticWebHandler &setCacheControl(const char *cache_control);
  AsyncStaticWebHandler &setLastModified(const char *last_modified);
  AsyncStaticWebHandler &setLastModified(struct tm *last_modified);
  AsyncStaticWebHandler &setLastModified(time_t last_modified);
  AsyncStaticWebHandler &setLastModified();
  AsyncStaticWebHandler &setTemplateProcessor(AwsTemplateProcessor newCallback);

protected:
  bool _register() override;
};

/** server.on(): the sketch's callbacks, run on the async_tcp thread for the board's requests. */
class AsyncCallbackWebHandler : public AsyncWebHandler {
  friend struct esp_sse::web::Access;

protected:
  String _uri;
  WebRequestMethodComposite _method;
  ArRequestHandlerFunction _onRequest;
  ArUploadHandlerFunction _onUpload;
  ArBodyHandlerFunction _onBody;
  bool _isRegex;
  /** Runtime-internal: registered with the board (later changes are sent again). */
  bool _registered = false;
  bool _plainUri = true;

public:
  AsyncCallbackWebHandler() : _uri(), _method(HTTP_ANY), _onRequest(NULL), _onUpload(NULL), _onBody(NULL), _isRegex(false) {}
  void setUri(AsyncURIMatcher uri);
  void setMethod(WebRequestMethodComposite method);
  void onRequest(ArRequestHandlerFunction fn) { _onRequest = fn; }
  void onUpload(ArUploadHandlerFunction fn);
  void onBody(ArBodyHandlerFunction fn);

  bool canHandle(AsyncWebServerRequest *request) const override final;
  void handleRequest(AsyncWebServerRequest *request) override final;
  void handleUpload(AsyncWebServerRequest *request, const String &filename, size_t index, uint8_t *data, size_t len,
                    bool final) override final;
  void handleBody(AsyncWebServerRequest *request, uint8_t *data, size_t len, size_t index, size_t total) override final;
  bool isRequestHandlerTrivial() const override final { return !_onRequest; }

protected:
  bool _register() override;
};

#endif /* ASYNCWEBSERVERHANDLERIMPL_H_ */
