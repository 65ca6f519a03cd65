// The sketch link's frame codec (see frame.h).
#include "frame.h"

#include <string.h>

namespace esp_sse {
namespace link {

namespace {

void putU32(std::string &out, uint32_t v) {
  const char b[4] = {char(v), char(v >> 8), char(v >> 16), char(v >> 24)};
  out.append(b, 4);
}

void putBytes(std::string &out, const std::string &s) {
  putU32(out, uint32_t(s.size()));
  out.append(s);
}

uint32_t getU32(const uint8_t *p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

/** A bounds-checked cursor over a frame body. */
struct Reader {
  const uint8_t *p;
  size_t left;
  bool u32(uint32_t &v) {
    if (left < 4) return false;
    v = getU32(p);
    p += 4;
    left -= 4;
    return true;
  }
  bool bytes(std::string &s) {
    uint32_t n;
    if (!u32(n) || n > left) return false;
    s.assign(reinterpret_cast<const char *>(p), n);
    p += n;
    left -= n;
    return true;
  }
};

}  // namespace

size_t encodedSize(const Frame &f) {
  size_t size = 4 + 1 + 4 + 16 + 4 * 4 + f.s1.size() + f.s2.size() + f.s3.size() + f.s4.size() + 4;
  for (const auto &item : f.l1) size += 4 + item.size();
  return size;
}

void encode(const Frame &f, std::string &out) {
  const size_t size = encodedSize(f);
  out.reserve(out.size() + size);
  putU32(out, uint32_t(size - 4));
  out.push_back(char(f.type));
  putU32(out, f.id);
  putU32(out, f.a);
  putU32(out, f.b);
  putU32(out, f.c);
  putU32(out, f.d);
  putBytes(out, f.s1);
  putBytes(out, f.s2);
  putBytes(out, f.s3);
  putBytes(out, f.s4);
  putU32(out, uint32_t(f.l1.size()));
  for (const auto &item : f.l1) putBytes(out, item);
}

size_t encodeFlat(uint8_t type, uint32_t id, const uint32_t nums[4], const Bytes strs[4], uint8_t *out,
                  size_t cap) {
  size_t size = 4 + 1 + 4 + 16 + 16 + 4;
  for (int i = 0; i < 4; i++) size += strs[i].size;
  if (size > cap) return 0;
  size_t at = 0;
  auto u32 = [&](uint32_t v) {
    out[at++] = uint8_t(v);
    out[at++] = uint8_t(v >> 8);
    out[at++] = uint8_t(v >> 16);
    out[at++] = uint8_t(v >> 24);
  };
  u32(uint32_t(size - 4));
  out[at++] = type;
  u32(id);
  for (int i = 0; i < 4; i++) u32(nums[i]);
  for (int i = 0; i < 4; i++) {
    u32(uint32_t(strs[i].size));
    if (strs[i].size) memcpy(out + at, strs[i].data, strs[i].size);
    at += strs[i].size;
  }
  u32(0);  // an empty list
  return at;
}

const char *decodeBody(const uint8_t *body, size_t size, Frame &out) {
  if (size < kMinFrameBytes) return "a frame shorter than its fixed fields";
  out.type = body[0];
  Reader r{body + 1, size - 1};
  uint32_t count = 0;
  if (!r.u32(out.id) || !r.u32(out.a) || !r.u32(out.b) || !r.u32(out.c) || !r.u32(out.d) || !r.bytes(out.s1) ||
      !r.bytes(out.s2) || !r.bytes(out.s3) || !r.bytes(out.s4) || !r.u32(count)) {
    return "its fields overrun its length";
  }
  if (count > r.left / 4) return "its list cannot fit";
  out.l1.clear();
  out.l1.reserve(count);
  for (uint32_t i = 0; i < count; i++) {
    out.l1.emplace_back();
    if (!r.bytes(out.l1.back())) return "a list item overruns the frame";
  }
  if (r.left != 0) return "bytes after its last field";
  return nullptr;
}

}  // namespace link
}  // namespace esp_sse
