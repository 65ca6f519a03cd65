// JSONVar's parser: cJSON 1.7.14's cJSON_Parse (behaviour, not code). See Arduino_JSON.h.
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <memory>
#include <string>

#include "json-node.h"

namespace esp_sse_json {
namespace {

// --- parsing (cJSON_Parse: not null-terminated-required, nesting limit 1000) ------------------

using Owned = std::unique_ptr<Node>;

class Parser {
public:
  /** The text including its NUL, as cJSON_Parse sees it. */
  explicit Parser(const char *s)
      : p_(reinterpret_cast<const unsigned char *>(s)), end_(p_ + strlen(s) + 1) {}

  Node *document() {
    if (canAccess(4) && memcmp(p_, "\xEF\xBB\xBF", 3) == 0) p_ += 3;  // UTF-8 BOM
    skipSpace();
    return value().release();
  }

private:
  static constexpr size_t kNestingLimit = 1000;

  bool canAccess(size_t i) const { return p_ + i < end_; }
  bool canRead(size_t n) const { return p_ + n <= end_; }

  // cJSON treats every byte <= 32 as white space, and stops on the final NUL.
  void skipSpace() {
    while (canAccess(0) && *p_ <= 32) ++p_;
    if (p_ == end_) --p_;
  }

  Owned value() {
    if (canRead(4) && memcmp(p_, "null", 4) == 0) return literal(Kind::Null, 4);
    if (canRead(5) && memcmp(p_, "false", 5) == 0) return literal(Kind::False, 5);
    if (canRead(4) && memcmp(p_, "true", 4) == 0) return literal(Kind::True, 4);
    if (!canAccess(0)) return nullptr;
    if (*p_ == '"') {
      std::string s;
      if (!text(s)) return nullptr;
      Owned n(new Node(Kind::Text));
      n->text = s;
      return n;
    }
    if (*p_ == '-' || (*p_ >= '0' && *p_ <= '9')) return number();
    if (*p_ == '[') return container(Kind::Array, ']');
    if (*p_ == '{') return container(Kind::Object, '}');
    return nullptr;
  }

  Owned literal(Kind kind, size_t length) {
    p_ += length;
    return Owned(new Node(kind));
  }

  // The longest run of [0-9+-eE.] (at most 63 bytes) goes to strtod, which may use less of it.
  Owned number() {
    char digits[64];
    size_t i = 0;
    for (; i < sizeof(digits) - 1 && canAccess(i); ++i) {
      unsigned char c = p_[i];
      if (!((c >= '0' && c <= '9') || c == '+' || c == '-' || c == 'e' || c == 'E' || c == '.')) break;
      digits[i] = static_cast<char>(c);
    }
    digits[i] = '\0';
    char *after = nullptr;
    double d = strtod(digits, &after);
    if (after == digits) return nullptr;
    p_ += after - digits;
    return Owned(makeNumber(d));
  }

  static unsigned hex4(const unsigned char *s) {
    unsigned h = 0;
    for (int i = 0; i < 4; ++i) {
      unsigned char c = s[i];
      unsigned digit;
      if (c >= '0' && c <= '9') {
        digit = c - '0';
      } else if (c >= 'A' && c <= 'F') {
        digit = c - 'A' + 10u;
      } else if (c >= 'a' && c <= 'f') {
        digit = c - 'a' + 10u;
      } else {
        return 0;  // cJSON: a bad digit makes the whole escape U+0000
      }
      h = h << 4 | digit;
    }
    return h;
  }

  /** One \u escape (or a surrogate pair) at `s` as UTF-8; the bytes consumed, 0 on error. */
  static size_t utf16(const unsigned char *s, const unsigned char *stop, std::string &out) {
    if (stop - s < 6) return 0;
    unsigned long codepoint = hex4(s + 2);
    size_t consumed = 6;
    if (codepoint >= 0xDC00 && codepoint <= 0xDFFF) return 0;
    if (codepoint >= 0xD800 && codepoint <= 0xDBFF) {
      const unsigned char *low = s + 6;
      if (stop - low < 6 || low[0] != '\\' || low[1] != 'u') return 0;
      unsigned second = hex4(low + 2);
      if (second < 0xDC00 || second > 0xDFFF) return 0;
      codepoint = 0x10000 + (((codepoint & 0x3FF) << 10) | (second & 0x3FF));
      consumed = 12;
    }
    if (codepoint < 0x80) {
      out += static_cast<char>(codepoint);
    } else if (codepoint < 0x800) {
      out += static_cast<char>(0xC0 | (codepoint >> 6));
      out += static_cast<char>(0x80 | (codepoint & 0x3F));
    } else if (codepoint < 0x10000) {
      out += static_cast<char>(0xE0 | (codepoint >> 12));
      out += static_cast<char>(0x80 | ((codepoint >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (codepoint & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (codepoint >> 18));
      out += static_cast<char>(0x80 | ((codepoint >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((codepoint >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (codepoint & 0x3F));
    }
    return consumed;
  }

  bool text(std::string &out) {
    if (!canAccess(0) || *p_ != '"') return false;
    const unsigned char *close = p_ + 1;
    while (close < end_ && *close != '"') {
      if (*close == '\\') {
        if (close + 1 >= end_) return false;
        ++close;
      }
      ++close;
    }
    if (close >= end_) return false;
    for (const unsigned char *r = p_ + 1; r < close;) {
      if (*r != '\\') {
        out += static_cast<char>(*r++);
        continue;
      }
      size_t consumed = 2;
      switch (r[1]) {
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case '"':
        case '\\':
        case '/': out += static_cast<char>(r[1]); break;
        case 'u':
          consumed = utf16(r, close, out);
          if (consumed == 0) return false;
          break;
        default:
          return false;
      }
      r += consumed;
    }
    out.resize(strlen(out.c_str()));  // a C string: a decoded U+0000 ends it
    p_ = close + 1;
    return true;
  }

  Owned container(Kind kind, char closing) {
    if (depth_ >= kNestingLimit) return nullptr;
    ++depth_;
    Owned n(new Node(kind));
    ++p_;
    skipSpace();
    if (canAccess(0) && *p_ == closing) {
      ++p_;
      --depth_;
      return n;
    }
    if (!canAccess(0)) return nullptr;
    bool first = true;
    do {
      if (!first) ++p_;  // past the ','
      first = false;
      skipSpace();
      std::string key;
      if (kind == Kind::Object) {
        if (!text(key)) return nullptr;
        skipSpace();
        if (!canAccess(0) || *p_ != ':') return nullptr;
        ++p_;
        skipSpace();
      }
      Owned item = value();
      if (!item) return nullptr;
      if (kind == Kind::Object) {
        item->hasKey = true;
        item->key = key;
      }
      n->items.push_back(item.release());
      skipSpace();
    } while (canAccess(0) && *p_ == ',');
    if (!canAccess(0) || *p_ != closing) return nullptr;
    ++p_;
    --depth_;
    return n;
  }

  const unsigned char *p_;
  const unsigned char *end_;
  size_t depth_ = 0;
};

}  // namespace

Node *parseDocument(const char *s) { return Parser(s).document(); }

}  // namespace esp_sse_json
