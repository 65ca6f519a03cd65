// The sketch link's frame codec: the C++ twin of host/src/protocol/sketch-link.ts (that file is
// the contract; keep the numbers and the field order here in step with it). Pure: no I/O.
//
// A frame is `u32 length | u8 type | u32 id | a b c d (u32) | s1 s2 s3 s4 (bytes) | l1 (list)`,
// little-endian; `length` counts every byte after itself; `bytes` = u32 length + bytes; `list`
// = u32 count + that many `bytes`.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <vector>

namespace esp_sse {
namespace link {

/** `linkAbi` in sketch-link.ts: sent in HELLO; the board refuses another. */
constexpr uint32_t kAbi = 2;
/** `maxFrameBytes`: the largest frame either side accepts. */
constexpr uint32_t kMaxFrameBytes = 16u * 1024u * 1024u;
/** The smallest valid `length`: type, id, four numbers, four empty strings, an empty list. */
constexpr uint32_t kMinFrameBytes = 1 + 4 + 16 + 16 + 4;

/** Frame types (`T`). 1–63 app → board, 64–127 board → app. */
namespace type {
constexpr uint8_t hello = 1, serialTx = 2, call = 3, route = 4, response = 5, sseSend = 6, done = 7,
                  restart = 8, panic = 9, warn = 10, appReply = 11, sseClose = 12, mdns = 13;
constexpr uint8_t reply = 64, request = 65, sseConnect = 66, sseDisconnect = 67, serialRx = 68,
                  templ = 69;  // `template` in the TS file (a C++ keyword here)
}  // namespace type

/** What a `call` asks (`CallOp`, field a). */
namespace callOp {
constexpr uint32_t serverBegin = 1, mdnsBegin = 2, fsBegin = 3, fsRead = 4, fsList = 5, fsInfo = 6,
                   sseCount = 7, fsWrite = 8, fsFormat = 9;
}
/** What a `route` frame does (`RouteOp`, field a). */
namespace routeOp {
constexpr uint32_t on = 1, serveStatic = 2, events = 3, notFound = 4, defaultHeader = 5,
                   defaultFile = 6, cacheControl = 7;
}
/** `response` kinds (`ResponseKind`, field a). */
namespace responseKind {
constexpr uint32_t basic = 1, file = 2, fileTemplate = 3, textTemplate = 4;
/** Field d of a response. */
constexpr uint32_t flagDownload = 1, flagConnectionAfterHeaders = 2;
/** Bits 8–15 of field d of a file response: the volume the file is on (`volume`). */
constexpr uint32_t volumeShift = 8;
}  // namespace responseKind
/**
 * Which file system a file call (field c), a serveStatic route (field c) or a file response
 * (bits 8–15 of d) means (`Volume`).
 */
namespace volume {
constexpr uint32_t spiffs = 0, littlefs = 1;
}

/** One frame; unused fields are 0 or empty. Byte strings are std::string (binary-safe). */
struct Frame {
  uint8_t type = 0;
  uint32_t id = 0;
  uint32_t a = 0, b = 0, c = 0, d = 0;
  std::string s1, s2, s3, s4;
  std::vector<std::string> l1;
};

/** The encoded size of `f`, length prefix included. */
size_t encodedSize(const Frame &f);

/** Appends the encoding of `f` to `out`. The caller checks the size against kMaxFrameBytes. */
void encode(const Frame &f, std::string &out);

/** A byte string that does not own its bytes. */
struct Bytes {
  const char *data;
  size_t size;
};

/**
 * Encodes a frame without a list into `out` (no allocation: safe in a signal handler).
 * Returns the bytes written, or 0 when `cap` is too small.
 */
size_t encodeFlat(uint8_t type, uint32_t id, const uint32_t nums[4], const Bytes strs[4], uint8_t *out,
                  size_t cap);

/**
 * Decodes one frame body (the `length` bytes after the prefix) into `out`.
 * Returns nullptr, or a static description of what is wrong.
 */
const char *decodeBody(const uint8_t *body, size_t size, Frame &out);

}  // namespace link
}  // namespace esp_sse
