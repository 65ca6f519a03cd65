// Response descriptors (see WebResponseImpl.h): what each library response class becomes in a
// `response` frame: a = kind, b = request id, c = status, d = flags, s1 = content type,
// s2 = content or path, l1 = the sketch's headers as name, value pairs.
#include <string.h>

#include "ESPAsyncWebServer.h"
#include "link.h"
#include "warnings.h"
#include "web-internal.h"

namespace lk = esp_sse::link;
namespace kind = esp_sse::link::responseKind;
using esp_sse::web::Access;

namespace {

/** Headers the library keeps once per response (`T_only_once_headers`, src/literals.h). */
const char *const onlyOnce[] = {"Accept-Ranges",
                                "Content-Length",
                                "Content-Type",
                                "Connection",
                                "Access-Control-Allow-Credentials",
                                "Access-Control-Allow-Headers",
                                "Access-Control-Allow-Methods",
                                "Access-Control-Allow-Origin",
                                "Access-Control-Max-Age",
                                "Origin",
                                "Date",
                                "Digest",
                                "ETag",
                                "Last-Modified",
                                "Location",
                                "Retry-After",
                                "Transfer-Encoding",
                                "Content-Location",
                                "Server",
                                "WWW-Authenticate"};

/** A header the response already has from DefaultHeaders or its construction (the board adds those). */
bool boardHeader(const char *name, bool basic) {
  if (basic && strcasecmp(name, "Connection") == 0) return true;
  for (const auto &h : DefaultHeaders::Instance()) {
    if (h.name().equalsIgnoreCase(name)) return true;
  }
  return false;
}

/** Reads a filler to its end (RESPONSE_TRY_AGAIN: ask again), at most `limit` bytes. */
std::string drain(const AwsResponseFiller &filler, size_t limit) {
  std::string out;
  uint8_t buf[1460];
  int retries = 0;
  while (filler && out.size() < limit) {
    const size_t n = filler(buf, std::min(sizeof buf, limit - out.size()), out.size());
    if (n == RESPONSE_TRY_AGAIN) {
      if (++retries > 10000) break;
      yield();
      continue;
    }
    if (n == 0) break;
    out.append(reinterpret_cast<const char *>(buf), n);
  }
  return out;
}

}  // namespace

lk::Frame Access::describe(const AsyncWebServerResponse &resp, uint32_t requestId) {
  lk::Frame f;
  f.type = lk::type::response;
  f.a = resp._kind;
  f.b = requestId;
  f.c = uint32_t(resp._code);
  f.d = resp._flags;
  f.s1 = resp._contentType.c_str();
  f.s2 = resp._content;
  for (const auto &h : resp._headers) {
    f.l1.emplace_back(h.name().c_str(), h.name().length());
    f.l1.emplace_back(h.value().c_str(), h.value().length());
  }
  return f;
}

// --- AsyncWebServerResponse ---------------------------------------------------------------------------

AsyncWebServerResponse::AsyncWebServerResponse()
  : _code(0), _contentType(), _contentLength(0), _state(RESPONSE_SETUP), _kind(kind::basic), _flags(0) {}

bool AsyncWebServerResponse::headerMustBePresentOnce(const String &name) {
  for (const char *h : onlyOnce) {
    if (name.equalsIgnoreCase(h)) return true;
  }
  return false;
}

const char *AsyncWebServerResponse::responseCodeToString(int code) {
  switch (code) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 203: return "Non-Authoritative Information";
    case 204: return "No Content";
    case 205: return "Reset Content";
    case 206: return "Partial Content";
    case 300: return "Multiple Choices";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 305: return "Use Proxy";
    case 307: return "Temporary Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 407: return "Proxy Authentication Required";
    case 408: return "Request Time-out";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Request Entity Too Large";
    case 414: return "Request-URI Too Large";
    case 415: return "Unsupported Media Type";
    case 416: return "Requested Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Time-out";
    case 505: return "HTTP Version Not Supported";
    case 507: return "Insufficient Storage";
    default: return "Unknown code";
  }
}

void AsyncWebServerResponse::setCode(int code) {
  if (!_started()) _code = code;
}

void AsyncWebServerResponse::setContentLength(size_t len) {
  if (!_started()) _contentLength = len;
}

void AsyncWebServerResponse::setContentType(const char *type) {
  if (!_started()) _contentType = type;
}

bool AsyncWebServerResponse::addHeader(AsyncWebHeader &&header, bool replaceExisting) {
  if (!header) return false;
  return addHeader(header.name().c_str(), header.value().c_str(), replaceExisting);
}

bool AsyncWebServerResponse::addHeader(const char *name, const char *value, bool replaceExisting) {
  for (auto i = _headers.begin(); i != _headers.end(); ++i) {
    if (!i->name().equalsIgnoreCase(name)) continue;
    if (replaceExisting) {
      _headers.erase(i);
      break;
    }
    if (headerMustBePresentOnce(i->name())) return false;
    break;
  }
  if (boardHeader(name, _kind == kind::basic && !(_flags & kind::flagConnectionAfterHeaders))) {
    if (!replaceExisting && headerMustBePresentOnce(String(name))) return false;
    if (replaceExisting) {
      esp_sse::link::warnOnce(esp_sse::warning::headerReplace);
    }
  }
  _headers.emplace_back(name, value);
  return true;
}

bool AsyncWebServerResponse::removeHeader(const char *name) {
  for (auto i = _headers.begin(); i != _headers.end(); ++i) {
    if (i->name().equalsIgnoreCase(name)) {
      _headers.erase(i);
      return true;
    }
  }
  return false;
}

bool AsyncWebServerResponse::removeHeader(const char *name, const char *value) {
  for (auto i = _headers.begin(); i != _headers.end(); ++i) {
    if (i->name().equalsIgnoreCase(name) && i->value().equalsIgnoreCase(value)) {
      _headers.erase(i);
      return true;
    }
  }
  return false;
}

const AsyncWebHeader *AsyncWebServerResponse::getHeader(const char *name) const {
  for (const auto &h : _headers) {
    if (h.name().equalsIgnoreCase(name)) return &h;
  }
  return nullptr;
}

// --- the response classes ---------------------------------------------------------------------------

AsyncBasicResponse::AsyncBasicResponse(int code, const char *contentType, const char *content) {
  _code = code;
  _contentType = contentType ? contentType : "";
  _content = content ? content : "";
  _contentLength = _content.size();
}

AsyncAbstractResponse::AsyncAbstractResponse(AwsTemplateProcessor callback) {
  _callback = callback;
  _kind = callback ? kind::textTemplate : kind::basic;
  _flags = kind::flagConnectionAfterHeaders;
}

AsyncProgmemResponse::AsyncProgmemResponse(int code, const char *contentType, const uint8_t *content, size_t len,
                                           AwsTemplateProcessor callback)
  : AsyncAbstractResponse(callback) {
  _code = code;
  _contentType = contentType ? contentType : "";
  if (content) _content.assign(reinterpret_cast<const char *>(content), len);
  _contentLength = _content.size();
}

AsyncFileResponse::AsyncFileResponse(FS &fs, const String &path, const char *contentType, bool download,
                                     AwsTemplateProcessor callback)
  : AsyncAbstractResponse(callback) {
  _code = 200;
  _kind = callback ? kind::fileTemplate : kind::file;
  _flags |= download ? kind::flagDownload : 0;
  _flags |= fs._volume() << kind::volumeShift;
  _contentType = contentType ? contentType : "";
  _content = path.c_str();
}

AsyncFileResponse::AsyncFileResponse(File content, const String &path, const char *contentType, bool download,
                                     AwsTemplateProcessor callback)
  : AsyncAbstractResponse(callback) {
  // The board serves the file again by its own path (on its volume); `path` names it for type
  // and disposition.
  _code = 200;
  _kind = callback ? kind::fileTemplate : kind::file;
  _flags |= download ? kind::flagDownload : 0;
  _flags |= content._volume() << kind::volumeShift;
  _contentType = contentType ? contentType : "";
  _content = content ? content.path() : path.c_str();
}

AsyncStreamResponse::AsyncStreamResponse(Stream &stream, const char *contentType, size_t len,
                                         AwsTemplateProcessor callback)
  : AsyncAbstractResponse(callback) {
  _code = 200;
  _contentType = contentType ? contentType : "";
  while (_content.size() < len) {
    const int c = stream.read();
    if (c < 0) break;
    _content.push_back(char(c));
  }
  _contentLength = len;
}

AsyncCallbackResponse::AsyncCallbackResponse(const char *contentType, size_t len, AwsResponseFiller callback,
                                             AwsTemplateProcessor templateCallback)
  : AsyncAbstractResponse(templateCallback) {
  _code = 200;
  _contentType = contentType ? contentType : "";
  _content = drain(callback, len);
  _contentLength = len;
}

AsyncChunkedResponse::AsyncChunkedResponse(const char *contentType, AwsResponseFiller callback,
                                           AwsTemplateProcessor templateCallback)
  : AsyncAbstractResponse(templateCallback) {
  esp_sse::link::warnOnce(esp_sse::warning::chunked);
  _code = 200;
  _contentType = contentType ? contentType : "";
  _content = drain(callback, size_t(16) * 1024 * 1024);
}

AsyncResponseStream::AsyncResponseStream(const char *contentType, size_t bufferSize) {
  _code = 200;
  _contentType = contentType ? contentType : "";
  _content.reserve(bufferSize);
}

size_t AsyncResponseStream::write(const uint8_t *data, size_t len) {
  if (_started()) return 0;
  _content.append(reinterpret_cast<const char *>(data), len);
  return len;
}

size_t AsyncResponseStream::write(uint8_t data) { return write(&data, 1); }
