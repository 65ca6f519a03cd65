// Arduino String: search, editing (replace, remove, case, trim) and parsing to numbers. The
// behaviour (not the code) follows arduino-esp32 2.0.17 cores/esp32/WString.cpp; see WString.h.
#include "WString.h"

#include <stdlib.h>

namespace {
bool isSpace(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
}  // namespace

// --- search ------------------------------------------------------------------------------------

int String::indexOf(char ch, unsigned int fromIndex) const {
  if (fromIndex >= length()) return -1;
  const char *found = strchr(buf_ + fromIndex, ch);
  return found ? static_cast<int>(found - buf_) : -1;
}

int String::indexOf(const String &str, unsigned int fromIndex) const {
  if (fromIndex >= length() || !str.buf_) return -1;
  const char *found = strstr(buf_ + fromIndex, str.buf_);
  return found ? static_cast<int>(found - buf_) : -1;
}

int String::lastIndexOf(char ch, unsigned int fromIndex) const {
  if (fromIndex >= length()) return -1;
  // strrchr over the text cut after `fromIndex`: it stops at the first NUL.
  unsigned int limit = static_cast<unsigned int>(strnlen(buf_, fromIndex + 1));
  if (ch == '\0') return static_cast<int>(limit);
  for (unsigned int i = limit; i-- > 0;) {
    if (buf_[i] == ch) return static_cast<int>(i);
  }
  return -1;
}

int String::lastIndexOf(const String &str, unsigned int fromIndex) const {
  if (str.length() == 0 || length() == 0 || str.len_ > len_) return -1;
  if (fromIndex >= len_) fromIndex = len_ - 1;
  int found = -1;
  for (const char *p = buf_; p <= buf_ + fromIndex; ++p) {
    p = strstr(p, str.buf_);
    if (!p) break;
    if (static_cast<unsigned int>(p - buf_) <= fromIndex) found = static_cast<int>(p - buf_);
  }
  return found;
}

String String::substring(unsigned int left, unsigned int right) const {
  if (left > right) {
    unsigned int swap = right;
    right = left;
    left = swap;
  }
  String out;
  if (left >= length()) return out;
  if (right > len_) right = len_;
  out.copy(buf_ + left, right - left);
  return out;
}

// --- modification ------------------------------------------------------------------------------

void String::replace(char find, char replace) {
  if (!buf_) return;
  for (char *p = buf_; *p; ++p) {
    if (*p == find) *p = replace;
  }
}

void String::replace(const String &find, const String &replace) {
  if (length() == 0 || find.length() == 0) return;
  const char *with = replace.buf_ ? replace.buf_ : "";
  unsigned int withLen = replace.length();
  if (withLen <= find.len_) {
    // Left to right, in place.
    char *readFrom = buf_;
    char *writeTo = buf_;
    char *foundAt;
    while ((foundAt = strstr(readFrom, find.buf_)) != nullptr) {
      size_t n = static_cast<size_t>(foundAt - readFrom);
      memmove(writeTo, readFrom, n);
      writeTo += n;
      memmove(writeTo, with, withLen);
      writeTo += withLen;
      readFrom = foundAt + find.len_;
    }
    size_t rest = strlen(readFrom);
    memmove(writeTo, readFrom, rest);
    setLen(static_cast<unsigned int>(writeTo + rest - buf_));
    return;
  }
  // Growing: the size is counted left to right, then the core replaces from the right
  // (lastIndexOf), which differs for overlapping matches: "aaa" "aa"->"bbb" gives "abbb".
  unsigned int diff = withLen - find.len_;
  unsigned int size = len_;
  for (const char *p = buf_; (p = strstr(p, find.buf_)) != nullptr; p += find.len_) size += diff;
  if (size == len_) return;
  if (size > cap_ && !changeBuffer(size)) return;
  int index = static_cast<int>(len_) - 1;
  while (index >= 0 && (index = lastIndexOf(find, static_cast<unsigned int>(index))) >= 0) {
    if (len_ + diff > cap_ && !changeBuffer(len_ + diff)) return;
    char *tail = buf_ + index + find.len_;
    memmove(tail + diff, tail, len_ - static_cast<unsigned int>(tail - buf_));
    memmove(buf_ + index, with, withLen);
    setLen(len_ + diff);
    --index;
  }
}

void String::remove(unsigned int index) { remove(index, static_cast<unsigned int>(-1)); }

void String::remove(unsigned int index, unsigned int count) {
  if (index >= length() || count == 0) return;
  if (count > len_ - index) count = len_ - index;
  unsigned int newlen = len_ - count;
  memmove(buf_ + index, buf_ + index + count, newlen - index);
  setLen(newlen);
}

void String::toLowerCase(void) {
  if (!buf_) return;
  for (char *p = buf_; *p; ++p) {
    if (*p >= 'A' && *p <= 'Z') *p = static_cast<char>(*p + 32);
  }
}

void String::toUpperCase(void) {
  if (!buf_) return;
  for (char *p = buf_; *p; ++p) {
    if (*p >= 'a' && *p <= 'z') *p = static_cast<char>(*p - 32);
  }
}

void String::trim(void) {
  if (!buf_ || len_ == 0) return;
  char *begin = buf_;
  while (isSpace(static_cast<unsigned char>(*begin))) ++begin;
  char *end = buf_ + len_ - 1;
  while (end >= begin && isSpace(static_cast<unsigned char>(*end))) --end;
  unsigned int newlen = static_cast<unsigned int>(end + 1 - begin);
  if (begin > buf_) memmove(buf_, begin, newlen);
  setLen(newlen);
}

// --- parsing -----------------------------------------------------------------------------------

long String::toInt(void) const { return buf_ ? atol(buf_) : 0; }

float String::toFloat(void) const { return buf_ ? static_cast<float>(atof(buf_)) : 0; }

double String::toDouble(void) const { return buf_ ? atof(buf_) : 0.0; }
