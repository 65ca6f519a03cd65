// esp-sse native runtime: ESPAsyncWebServer 3.12.0's response classes (src/WebResponseImpl.h).
// Each one is built into a descriptor at construction: contents are copied (the board writes
// the bytes), so a stream or filler is read to its end right away.
#ifndef ASYNCWEBSERVERRESPONSEIMPL_H_
#define ASYNCWEBSERVERRESPONSEIMPL_H_

#ifdef Arduino_h
// arduino is not compatible with std::vector
#undef min
#undef max
#endif
#include <memory>
#include <vector>

/** send(code, type, text): `Connection` added at construction, Content-Length known. */
class AsyncBasicResponse : public AsyncWebServerResponse {
public:
  explicit AsyncBasicResponse(int code, const char *contentType = asyncsrv::empty, const char *content = asyncsrv::empty);
  AsyncBasicResponse(int code, const String &contentType, const String &content = emptyString)
    : AsyncBasicResponse(code, contentType.c_str(), content.c_str()) {}
  bool _sourceValid() const override final { return true; }
};

/** Files, streams, fillers, byte arrays, templates: `Connection` added when sent, after the headers. */
class AsyncAbstractResponse : public AsyncWebServerResponse {
public:
  AsyncAbstractResponse(AwsTemplateProcessor callback = nullptr);
  virtual ~AsyncAbstractResponse() {}
  virtual bool _sourceValid() const { return false; }
  virtual size_t _fillBuffer(uint8_t *buf __attribute__((unused)), size_t maxLen __attribute__((unused))) { return 0; }
};

#ifndef TEMPLATE_PLACEHOLDER
#define TEMPLATE_PLACEHOLDER '%'
#endif

#define TEMPLATE_PARAM_NAME_LENGTH 32

class AsyncFileResponse : public AsyncAbstractResponse {
  using File = fs::File;
  using FS = fs::FS;

public:
  AsyncFileResponse(FS &fs, const String &path, const char *contentType = asyncsrv::empty, bool download = false,
                    AwsTemplateProcessor callback = nullptr);
  AsyncFileResponse(FS &fs, const String &path, const String &contentType, bool download = false,
                    AwsTemplateProcessor callback = nullptr)
    : AsyncFileResponse(fs, path, contentType.c_str(), download, callback) {}
  AsyncFileResponse(File content, const String &path, const char *contentType = asyncsrv::empty, bool download = false,
                    AwsTemplateProcessor callback = nullptr);
  AsyncFileResponse(File content, const String &path, const String &contentType, bool download = false,
                    AwsTemplateProcessor callback = nullptr)
    : AsyncFileResponse(content, path, contentType.c_str(), download, callback) {}
  bool _sourceValid() const override final { return true; }
};

class AsyncStreamResponse : public AsyncAbstractResponse {
public:
  AsyncStreamResponse(Stream &stream, const char *contentType, size_t len, AwsTemplateProcessor callback = nullptr);
  AsyncStreamResponse(Stream &stream, const String &contentType, size_t len, AwsTemplateProcessor callback = nullptr)
    : AsyncStreamResponse(stream, contentType.c_str(), len, callback) {}
  bool _sourceValid() const override final { return true; }
};

class AsyncCallbackResponse : public AsyncAbstractResponse {
public:
  AsyncCallbackResponse(const char *contentType, size_t len, AwsResponseFiller callback,
                        AwsTemplateProcessor templateCallback = nullptr);
  AsyncCallbackResponse(const String &contentType, size_t len, AwsResponseFiller callback,
                        AwsTemplateProcessor templateCallback = nullptr)
    : AsyncCallbackResponse(contentType.c_str(), len, callback, templateCallback) {}
  bool _sourceValid() const override final { return true; }
};

/** Not emulated as chunked yet (one warning): the filler is read to its end and sent whole. */
class AsyncChunkedResponse : public AsyncAbstractResponse {
public:
  AsyncChunkedResponse(const char *contentType, AwsResponseFiller callback, AwsTemplateProcessor templateCallback = nullptr);
  AsyncChunkedResponse(const String &contentType, AwsResponseFiller callback, AwsTemplateProcessor templateCallback = nullptr)
    : AsyncChunkedResponse(contentType.c_str(), callback, templateCallback) {}
  bool _sourceValid() const override final { return true; }
};

class AsyncProgmemResponse : public AsyncAbstractResponse {
public:
  AsyncProgmemResponse(int code, const char *contentType, const uint8_t *content, size_t len,
                       AwsTemplateProcessor callback = nullptr);
  AsyncProgmemResponse(int code, const String &contentType, const uint8_t *content, size_t len,
                       AwsTemplateProcessor callback = nullptr)
    : AsyncProgmemResponse(code, contentType.c_str(), content, len, callback) {}
  bool _sourceValid() const override final { return true; }
};

/** beginResponseStream(): a Print collecting the body. */
class AsyncResponseStream : public AsyncAbstractResponse, public Print {
public:
  AsyncResponseStream(const char *contentType, size_t bufferSize);
  AsyncResponseStream(const String &contentType, size_t bufferSize) : AsyncResponseStream(contentType.c_str(), bufferSize) {}
  bool _sourceValid() const override final { return (_state < RESPONSE_END); }
  size_t write(const uint8_t *data, size_t len) override;
  size_t write(uint8_t data) override;
  size_t available() const { return _content.size(); }
  using Print::write;
};

#endif /* ASYNCWEBSERVERRESPONSEIMPL_H_ */
