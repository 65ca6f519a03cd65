// A reader for the JSON that Node's IPC channel carries to the SSE writer (sse-writer.cpp):
// objects, strings, numbers and literals; arrays are read and dropped. Strings are latin1 as
// Node's JSON.stringify writes them (sse-writer-protocol.ts sends bytes as one character each),
// so each code point becomes one byte. Depth is bounded; anything else is a parse failure.
#pragma once

#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

namespace sse_writer {

struct Json {
  enum Kind { Null, Bool, Number, String, Object, Array } kind = Null;
  double number = 0;
  std::string text;  // String: the string as bytes (code points up to 0xFF as one byte each)
  std::map<std::string, Json> fields;
  const Json* get(const char* name) const {
    auto it = fields.find(name);
    return it == fields.end() ? nullptr : &it->second;
  }
};

class JsonReader {
 public:
  explicit JsonReader(const std::string& s) : s_(s) {}
  bool parse(Json& out) {
    if (!value(out, 0)) return false;
    blanks();
    return i_ == s_.size();
  }

 private:
  const std::string& s_;
  size_t i_ = 0;

  void blanks() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r' || s_[i_] == '\n')) i_++;
  }
  bool literal(const char* word) {
    size_t n = strlen(word);
    if (s_.compare(i_, n, word) != 0) return false;
    i_ += n;
    return true;
  }
  bool value(Json& out, int depth) {
    if (depth > 8) return false;
    blanks();
    if (i_ >= s_.size()) return false;
    char c = s_[i_];
    if (c == '{') return object(out, depth);
    if (c == '[') return array(out, depth);
    if (c == '"') {
      out.kind = Json::String;
      return string(out.text);
    }
    if (literal("true")) { out.kind = Json::Bool; out.number = 1; return true; }
    if (literal("false")) { out.kind = Json::Bool; return true; }
    if (literal("null")) return true;
    char* end = nullptr;
    out.number = strtod(s_.c_str() + i_, &end);
    if (end == s_.c_str() + i_) return false;
    out.kind = Json::Number;
    i_ = end - s_.c_str();
    return true;
  }
  bool object(Json& out, int depth) {
    out.kind = Json::Object;
    return items('}', [&] {
      blanks();
      std::string name;
      if (i_ >= s_.size() || s_[i_] != '"' || !string(name)) return false;
      blanks();
      if (i_ >= s_.size() || s_[i_++] != ':') return false;
      return value(out.fields[name], depth + 1);
    });
  }
  bool array(Json& out, int depth) {
    out.kind = Json::Array;
    return items(']', [&] {
      Json ignored;
      return value(ignored, depth + 1);
    });
  }
  // The opening bracket, then `item`s separated by commas up to `close` (none is fine).
  template <typename Item>
  bool items(char close, Item item) {
    i_++;
    blanks();
    if (i_ < s_.size() && s_[i_] == close) { i_++; return true; }
    for (;;) {
      if (!item()) return false;
      blanks();
      if (i_ >= s_.size()) return false;
      char c = s_[i_++];
      if (c == close) return true;
      if (c != ',') return false;
    }
  }
  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  // A latin1 string as Node's JSON.stringify writes it: every code point is at most 0xFF, so
  // each one becomes one byte (escapes for controls, '"' and '\\'; two UTF-8 bytes above 0x7F).
  bool string(std::string& out) {
    i_++;
    while (i_ < s_.size()) {
      unsigned char c = s_[i_++];
      if (c == '"') return true;
      if (c == '\\') {
        if (i_ >= s_.size()) return false;
        char e = s_[i_++];
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            if (i_ + 4 > s_.size()) return false;
            int v = 0;
            for (int k = 0; k < 4; k++) {
              int h = hex(s_[i_++]);
              if (h < 0) return false;
              v = v * 16 + h;
            }
            if (v > 0xFF) return false;
            out += static_cast<char>(v);
            break;
          }
          default: return false;
        }
      } else if (c < 0x80) {
        out += static_cast<char>(c);
      } else if ((c & 0xE0) == 0xC0 && i_ < s_.size()) {
        unsigned v = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s_[i_++]) & 0x3Fu);
        if (v > 0xFF) return false;
        out += static_cast<char>(v);
      } else {
        return false;
      }
    }
    return false;
  }
};

}  // namespace sse_writer
