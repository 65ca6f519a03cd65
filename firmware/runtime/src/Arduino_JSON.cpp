// JSONVar/JSON: cJSON 1.7.14's unformatted printer (behaviour, not code; the parser is in
// Arduino_JSON-parse.cpp) and Arduino_JSON 0.2.0's JSONVar semantics. See Arduino_JSON.h.
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
#include "json-node.h"

namespace esp_sse_json {

namespace {

bool is(const Node *n, Kind k) { return n != nullptr && n->kind == k; }

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
  return JSONVar(esp_sse_json::parseDocument(s), nullptr);
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
