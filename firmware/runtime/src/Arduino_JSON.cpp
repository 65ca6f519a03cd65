// JSONVar/JSON: the value tree, cJSON 1.7.14's unformatted printer and parser (behaviour, not
// code), and Arduino_JSON 0.2.0's JSONVar semantics. See Arduino_JSON.h for the facts.
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memory>
#include <string>
#include <vector>

#include "Arduino_JSON.h"

namespace esp_sse_json {

enum class Kind { False, True, Null, Number, Text, Array, Object };

/** One JSON value; a container owns its items. */
struct Node {
  explicit Node(Kind k) : kind(k) {}
  ~Node() {
    for (Node *item : items) delete item;
  }
  Node(const Node &) = delete;
  Node &operator=(const Node &) = delete;

  Kind kind;
  double number = 0;
  std::string text;          // Text: the value (a C string: no NUL inside)
  bool hasKey = false;       // set for object members (and kept by copies of them)
  std::string key;
  std::vector<Node *> items;  // Array/Object
};

namespace {

bool is(const Node *n, Kind k) { return n != nullptr && n->kind == k; }

Node *makeNumber(double d) {
  Node *n = new Node(Kind::Number);
  n->number = d;
  return n;
}

Node *makeText(const char *s) {
  Node *n = new Node(Kind::Text);
  n->text = s;
  return n;
}

Node *duplicate(const Node *n) {
  if (n == nullptr) return nullptr;
  Node *copy = new Node(n->kind);
  copy->number = n->number;
  copy->text = n->text;
  copy->hasKey = n->hasKey;
  copy->key = n->key;
  for (const Node *item : n->items) copy->items.push_back(duplicate(item));
  return copy;
}

/** cJSON's valueint: the double saturated to the int range. */
int toInt(double d) {
  if (d >= INT_MAX) return INT_MAX;
  if (d <= static_cast<double>(INT_MIN)) return INT_MIN;
  if (isnan(d)) return 0;
  return static_cast<int>(d);
}

/** cJSON's compare_double (1.7.13+): equal within DBL_EPSILON relative to the larger. */
bool nearlyEqual(double a, double b) {
  double larger = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
  return fabs(a - b) <= larger * DBL_EPSILON;
}

size_t indexOf(const Node *container, const Node *item) {
  for (size_t i = 0; i < container->items.size(); ++i) {
    if (container->items[i] == item) return i;
  }
  return container->items.size();
}

Node *member(const Node *object, const char *key) {
  for (Node *item : object->items) {
    if (item->hasKey && strcmp(item->key.c_str(), key) == 0) return item;
  }
  return nullptr;
}

bool equal(const Node *a, const Node *b) {
  if (a == nullptr || b == nullptr || a->kind != b->kind) return false;
  if (a == b) return true;
  switch (a->kind) {
    case Kind::Number:
      return nearlyEqual(a->number, b->number);
    case Kind::Text:
      return a->text == b->text;
    case Kind::Array:
      if (a->items.size() != b->items.size()) return false;
      for (size_t i = 0; i < a->items.size(); ++i) {
        if (!equal(a->items[i], b->items[i])) return false;
      }
      return true;
    case Kind::Object:
      for (const Node *item : a->items) {
        if (!equal(item, member(b, item->key.c_str()))) return false;
      }
      for (const Node *item : b->items) {
        if (!equal(item, member(a, item->key.c_str()))) return false;
      }
      return true;
    default:
      return true;  // null, true, false
  }
}

// --- printing (cJSON print_value, unformatted) --------------------------------------------------

void printText(const char *s, std::string &out) {
  out += '"';
  for (const unsigned char *p = reinterpret_cast<const unsigned char *>(s); *p; ++p) {
    switch (*p) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (*p < 32) {
          char escape[8];
          snprintf(escape, sizeof(escape), "\\u%04x", *p);
          out += escape;
        } else {
          out += static_cast<char>(*p);
        }
    }
  }
  out += '"';
}

void printNumber(double d, std::string &out) {
  if (isnan(d) || isinf(d)) {
    out += "null";
    return;
  }
  char text[32];
  snprintf(text, sizeof(text), "%1.15g", d);
  double back = 0;
  if (sscanf(text, "%lg", &back) != 1 || !nearlyEqual(back, d)) snprintf(text, sizeof(text), "%1.17g", d);
  out += text;
}

void printNode(const Node *n, std::string &out) {
  switch (n->kind) {
    case Kind::False: out += "false"; break;
    case Kind::True: out += "true"; break;
    case Kind::Null: out += "null"; break;
    case Kind::Number: printNumber(n->number, out); break;
    case Kind::Text: printText(n->text.c_str(), out); break;
    case Kind::Array:
      out += '[';
      for (size_t i = 0; i < n->items.size(); ++i) {
        if (i > 0) out += ',';
        printNode(n->items[i], out);
      }
      out += ']';
      break;
    case Kind::Object:
      out += '{';
      for (size_t i = 0; i < n->items.size(); ++i) {
        if (i > 0) out += ',';
        printText(n->items[i]->key.c_str(), out);
        out += ':';
        printNode(n->items[i], out);
      }
      out += '}';
      break;
  }
}

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
}  // namespace esp_sse_json

using esp_sse_json::Kind;
using esp_sse_json::Node;

// --- JSONVar -------------------------------------------------------------------------------------

JSONVar::JSONVar(Node *json, Node *parent) : _json(json), _parent(parent) {}

JSONVar::JSONVar() : JSONVar(nullptr, nullptr) {}
JSONVar::JSONVar(bool b) : JSONVar() { *this = b; }
JSONVar::JSONVar(int i) : JSONVar() { *this = i; }
JSONVar::JSONVar(long l) : JSONVar() { *this = l; }
JSONVar::JSONVar(unsigned long ul) : JSONVar() { *this = ul; }
JSONVar::JSONVar(double d) : JSONVar() { *this = d; }
JSONVar::JSONVar(const char *s) : JSONVar() { *this = s; }
JSONVar::JSONVar(const String &s) : JSONVar() { *this = s; }
JSONVar::JSONVar(std::nullptr_t) : JSONVar() { *this = nullptr; }

JSONVar::JSONVar(const JSONVar &v) : JSONVar(esp_sse_json::duplicate(v._json), nullptr) {}

JSONVar::JSONVar(JSONVar &&v) : JSONVar() {
  std::swap(_json, v._json);
  std::swap(_parent, v._parent);
}

JSONVar::~JSONVar() {
  if (_parent == nullptr) delete _json;
}

size_t JSONVar::printTo(Print &p) const {
  if (_json == nullptr) return 0;
  std::string out;
  esp_sse_json::printNode(_json, out);
  return p.print(out.c_str());
}

JSONVar::operator bool() const { return esp_sse_json::is(_json, Kind::True); }

JSONVar::operator int() const {
  return esp_sse_json::is(_json, Kind::Number) ? esp_sse_json::toInt(_json->number) : 0;
}

JSONVar::operator long() const { return static_cast<int>(*this); }

JSONVar::operator double() const { return esp_sse_json::is(_json, Kind::Number) ? _json->number : NAN; }

JSONVar::operator const char *() const {
  return esp_sse_json::is(_json, Kind::Text) ? _json->text.c_str() : nullptr;
}

void JSONVar::replaceJson(Node *json) {
  Node *old = _json;
  _json = json;
  if (old == nullptr) return;
  if (_parent == nullptr) {
    delete old;
    return;
  }
  // In a container: the new value takes the old one's place (and key), or nothing changes
  // when there is no new value, as with cJSON's replace functions.
  size_t at = esp_sse_json::indexOf(_parent, old);
  if (json == nullptr || at == _parent->items.size()) return;
  if (_parent->kind == Kind::Object) {
    json->hasKey = true;
    json->key = old->key;
  }
  _parent->items[at] = json;
  delete old;
}

void JSONVar::operator=(const JSONVar &v) {
  if (&v != &undefined) {
    replaceJson(esp_sse_json::duplicate(v._json));
    return;
  }
  if (esp_sse_json::is(_parent, Kind::Object) && _json != nullptr) {
    Node *gone = esp_sse_json::member(_parent, _json->key.c_str());
    if (gone) {
      _parent->items.erase(_parent->items.begin() + static_cast<long>(esp_sse_json::indexOf(_parent, gone)));
      delete gone;
    }
    _json = nullptr;
    _parent = nullptr;
  } else {
    replaceJson(new Node(Kind::Null));
  }
}

JSONVar &JSONVar::operator=(JSONVar &&v) {
  std::swap(_json, v._json);
  std::swap(_parent, v._parent);
  return *this;
}

void JSONVar::operator=(bool b) { replaceJson(new Node(b ? Kind::True : Kind::False)); }
void JSONVar::operator=(int i) { replaceJson(esp_sse_json::makeNumber(i)); }
void JSONVar::operator=(long l) { replaceJson(esp_sse_json::makeNumber(static_cast<double>(l))); }
void JSONVar::operator=(unsigned long ul) { replaceJson(esp_sse_json::makeNumber(static_cast<double>(ul))); }
void JSONVar::operator=(double d) { replaceJson(esp_sse_json::makeNumber(d)); }
void JSONVar::operator=(const char *s) { replaceJson(s ? esp_sse_json::makeText(s) : nullptr); }
void JSONVar::operator=(const String &s) { *this = s.c_str(); }
void JSONVar::operator=(std::nullptr_t) { replaceJson(new Node(Kind::Null)); }

bool JSONVar::operator==(const JSONVar &v) const {
  return esp_sse_json::equal(_json, v._json) || (_json == nullptr && v._json == nullptr);
}

bool JSONVar::operator==(std::nullptr_t) const { return esp_sse_json::is(_json, Kind::Null); }

JSONVar JSONVar::operator[](const char *key) {
  if (!esp_sse_json::is(_json, Kind::Object)) replaceJson(new Node(Kind::Object));
  if (key == nullptr) return JSONVar(nullptr, _json);
  Node *item = esp_sse_json::member(_json, key);
  if (item == nullptr) {
    item = new Node(Kind::Null);
    item->hasKey = true;
    item->key = key;
    _json->items.push_back(item);
  }
  return JSONVar(item, _json);
}

JSONVar JSONVar::operator[](const String &key) { return (*this)[key.c_str()]; }

JSONVar JSONVar::operator[](int index) {
  if (!esp_sse_json::is(_json, Kind::Array)) replaceJson(new Node(Kind::Array));
  if (index < 0) return JSONVar(nullptr, _json);
  while (static_cast<size_t>(index) >= _json->items.size()) _json->items.push_back(new Node(Kind::Null));
  return JSONVar(_json->items[static_cast<size_t>(index)], _json);
}

JSONVar JSONVar::operator[](const JSONVar &key) {
  if (esp_sse_json::is(_json, Kind::Array) && esp_sse_json::is(key._json, Kind::Number)) {
    return (*this)[static_cast<int>(key)];
  }
  if (esp_sse_json::is(_json, Kind::Object) && esp_sse_json::is(key._json, Kind::Text)) {
    return (*this)[static_cast<const char *>(key)];
  }
  return JSONVar(nullptr, nullptr);
}

int JSONVar::length() const {
  if (esp_sse_json::is(_json, Kind::Text)) {
    // The library measures cJSON's `string` (the key); without a key it would crash.
    return static_cast<int>(strlen(_json->hasKey ? _json->key.c_str() : _json->text.c_str()));
  }
  if (esp_sse_json::is(_json, Kind::Array)) return static_cast<int>(_json->items.size());
  return -1;
}

JSONVar JSONVar::keys() const {
  if (!esp_sse_json::is(_json, Kind::Object)) return JSONVar(nullptr, nullptr);
  Node *names = new Node(Kind::Array);
  for (const Node *item : _json->items) names->items.push_back(esp_sse_json::makeText(item->key.c_str()));
  return JSONVar(names, nullptr);
}

bool JSONVar::hasOwnProperty(const char *key) const {
  return esp_sse_json::is(_json, Kind::Object) && key != nullptr && esp_sse_json::member(_json, key) != nullptr;
}

bool JSONVar::hasOwnProperty(const String &key) const { return hasOwnProperty(key.c_str()); }

JSONVar JSONVar::parse(const char *s) {
  if (s == nullptr) return JSONVar();
  return JSONVar(esp_sse_json::Parser(s).document(), nullptr);
}

JSONVar JSONVar::parse(const String &s) { return parse(s.c_str()); }

String JSONVar::stringify(const JSONVar &value) {
  if (value._json == nullptr) return String(static_cast<const char *>(nullptr));
  std::string out;
  esp_sse_json::printNode(value._json, out);
  return String(out.c_str());
}

String JSONVar::typeof_(const JSONVar &value) {
  const Node *json = value._json;
  if (json == nullptr) return "undefined";
  switch (json->kind) {
    case Kind::False:
    case Kind::True: return "boolean";
    case Kind::Null: return "null";
    case Kind::Number: return "number";
    case Kind::Text: return "string";
    case Kind::Array: return "array";
    case Kind::Object: return "object";
  }
  return "unknown";
}

JSONVar undefined;

// --- JSON ----------------------------------------------------------------------------------------

JSONClass::JSONClass() {}
JSONClass::~JSONClass() {}
JSONVar JSONClass::parse(const char *s) { return JSONVar::parse(s); }
JSONVar JSONClass::parse(const String &s) { return JSONVar::parse(s); }
String JSONClass::stringify(const JSONVar &value) { return JSONVar::stringify(value); }
String JSONClass::typeof_(const JSONVar &value) { return JSONVar::typeof_(value); }

JSONClass JSON;
