// Arduino String: memory, conversions, concatenation and comparison (search, editing and parsing
// are in WString-edit.cpp, numbers to text in WString-number.cpp). The behaviour (not the
// code) follows arduino-esp32 2.0.17 cores/esp32/WString.cpp and stdlib_noniso.c; see WString.h.
#include "WString.h"

#include <math.h>
#include <stdlib.h>

// --- construction ------------------------------------------------------------------------------

String::String(const char *cstr) {
  init();
  if (cstr) copy(cstr, strlen(cstr));
}

String::String(const char *cstr, unsigned int length) {
  init();
  if (cstr) copy(cstr, length);
}

String::String(const String &value) {
  init();
  *this = value;
}

String::String(String &&rval) {
  init();
  move(rval);
}

String::String(StringSumHelper &&rval) {
  init();
  move(rval);
}

String::String(char c) {
  init();
  char text[2] = {c, '\0'};
  *this = text;
}

String::~String() { invalidate(); }

// --- memory ------------------------------------------------------------------------------------

void String::init(void) {
  buf_ = nullptr;
  cap_ = 0;
  len_ = 0;
}

void String::invalidate(void) {
  free(buf_);
  init();
}

void String::setLen(unsigned int len) {
  len_ = len;
  if (buf_) buf_[len] = '\0';
}

bool String::reserve(unsigned int size) {
  if (buf_ && cap_ >= size) return true;
  if (!changeBuffer(size)) return false;
  if (len_ == 0) buf_[0] = '\0';
  return true;
}

bool String::changeBuffer(unsigned int maxStrLen) {
  if (maxStrLen > CAPACITY_MAX) return false;
  size_t newSize = (maxStrLen + 16) & ~static_cast<size_t>(0xf);
  if (newSize > CAPACITY_MAX) return false;
  char *grown = static_cast<char *>(realloc(buf_, newSize));
  if (!grown) return false;
  if (!buf_) grown[0] = '\0';
  buf_ = grown;
  cap_ = static_cast<unsigned int>(newSize - 1);
  setLen(len_);
  return true;
}

String &String::copy(const char *cstr, unsigned int length) {
  if (!reserve(length)) {
    invalidate();
    return *this;
  }
  memmove(buf_, cstr, length);
  setLen(length);
  return *this;
}

void String::move(String &rhs) {
  free(buf_);
  buf_ = rhs.buf_;
  cap_ = rhs.cap_;
  len_ = rhs.len_;
  rhs.init();
}

String &String::operator=(const String &rhs) {
  if (this == &rhs) return *this;
  if (rhs.buf_) {
    copy(rhs.buf_, rhs.len_);
  } else {
    invalidate();
  }
  return *this;
}

String &String::operator=(String &&rval) {
  if (this != &rval) move(rval);
  return *this;
}

String &String::operator=(StringSumHelper &&rval) {
  if (this != &rval) move(rval);
  return *this;
}

String &String::operator=(const char *cstr) {
  if (cstr) {
    copy(cstr, strlen(cstr));
  } else {
    invalidate();
  }
  return *this;
}

// --- concat ------------------------------------------------------------------------------------

bool String::concat(const String &s) {
  if (&s != this) return concat(s.buf_, s.len_);
  if (!buf_) return false;
  if (len_ == 0) return true;
  unsigned int newlen = 2 * len_;
  if (!reserve(newlen)) return false;
  memmove(buf_ + len_, buf_, len_);
  setLen(newlen);
  return true;
}

bool String::concat(const char *cstr, unsigned int length) {
  if (!cstr) return false;
  if (length == 0) return true;
  unsigned int newlen = len_ + length;
  if (newlen < len_) return false;
  // `cstr` may point into this String, whose buffer reserve() may move.
  bool inside = buf_ && cstr >= buf_ && cstr < buf_ + len_;
  size_t offset = inside ? static_cast<size_t>(cstr - buf_) : 0;
  if (!reserve(newlen)) return false;
  if (inside) cstr = buf_ + offset;
  memmove(buf_ + len_, cstr, length);
  setLen(newlen);
  return true;
}

bool String::concat(const char *cstr) {
  if (!cstr) return false;
  return concat(cstr, strlen(cstr));
}

bool String::concat(char c) { return concat(&c, 1); }


// --- operator+ ---------------------------------------------------------------------------------

namespace {
/** `+` appends to its (temporary) left operand; a failed append leaves it invalid. */
template <typename T> StringSumHelper &appendOrInvalidate(const StringSumHelper &lhs, T rhs) {
  StringSumHelper &sum = const_cast<StringSumHelper &>(lhs);
  if (!sum.concat(rhs)) static_cast<String &>(sum) = String(static_cast<const char *>(nullptr));
  return sum;
}
}  // namespace

StringSumHelper &operator+(const StringSumHelper &lhs, const String &rhs) { return appendOrInvalidate(lhs, rhs); }
StringSumHelper &operator+(const StringSumHelper &lhs, const char *cstr) { return appendOrInvalidate(lhs, cstr); }
StringSumHelper &operator+(const StringSumHelper &lhs, char c) { return appendOrInvalidate(lhs, c); }
StringSumHelper &operator+(const StringSumHelper &lhs, unsigned char num) { return appendOrInvalidate(lhs, num); }
StringSumHelper &operator+(const StringSumHelper &lhs, int num) { return appendOrInvalidate(lhs, num); }
StringSumHelper &operator+(const StringSumHelper &lhs, unsigned int num) { return appendOrInvalidate(lhs, num); }
StringSumHelper &operator+(const StringSumHelper &lhs, long num) { return appendOrInvalidate(lhs, num); }
StringSumHelper &operator+(const StringSumHelper &lhs, unsigned long num) { return appendOrInvalidate(lhs, num); }
StringSumHelper &operator+(const StringSumHelper &lhs, float num) { return appendOrInvalidate(lhs, num); }
StringSumHelper &operator+(const StringSumHelper &lhs, double num) { return appendOrInvalidate(lhs, num); }
StringSumHelper &operator+(const StringSumHelper &lhs, long long num) { return appendOrInvalidate(lhs, num); }
StringSumHelper &operator+(const StringSumHelper &lhs, unsigned long long num) {
  return appendOrInvalidate(lhs, num);
}

// --- comparison --------------------------------------------------------------------------------

int String::compareTo(const String &s) const {
  if (!buf_ || !s.buf_) {
    if (s.buf_ && s.len_ > 0) return 0 - static_cast<unsigned char>(s.buf_[0]);
    if (buf_ && len_ > 0) return static_cast<unsigned char>(buf_[0]);
    return 0;
  }
  return strcmp(buf_, s.buf_);
}

bool String::equals(const String &s) const { return length() == s.length() && compareTo(s) == 0; }

bool String::equals(const char *cstr) const {
  if (length() == 0) return cstr == nullptr || *cstr == '\0';
  if (cstr == nullptr) return buf_[0] == '\0';
  return strcmp(buf_, cstr) == 0;
}

bool String::equalsIgnoreCase(const String &s) const {
  if (this == &s) return true;
  if (length() != s.length()) return false;
  if (length() == 0) return true;
  for (const char *a = buf_, *b = s.buf_; *a; ++a, ++b) {
    char la = (*a >= 'A' && *a <= 'Z') ? static_cast<char>(*a + 32) : *a;
    char lb = (*b >= 'A' && *b <= 'Z') ? static_cast<char>(*b + 32) : *b;
    if (la != lb) return false;
  }
  return true;
}

unsigned char String::equalsConstantTime(const String &s) const {
  if (length() != s.length()) return 0;
  if (length() == 0) return 1;
  unsigned int differences = 0;
  for (unsigned int i = 0; i < len_; ++i) differences += buf_[i] != s.buf_[i];
  return differences == 0;
}

bool String::startsWith(const String &prefix) const {
  if (length() < prefix.length()) return false;
  return startsWith(prefix, 0);
}

bool String::startsWith(const String &prefix, unsigned int offset) const {
  if (!buf_ || !prefix.buf_ || prefix.len_ > len_ || offset > len_ - prefix.len_) return false;
  return strncmp(buf_ + offset, prefix.buf_, prefix.len_) == 0;
}

bool String::endsWith(const String &suffix) const {
  if (length() < suffix.length() || !buf_ || !suffix.buf_) return false;
  return strcmp(buf_ + len_ - suffix.len_, suffix.buf_) == 0;
}

// --- character access --------------------------------------------------------------------------

char String::charAt(unsigned int index) const { return (*this)[index]; }

void String::setCharAt(unsigned int index, char c) {
  if (index < length()) buf_[index] = c;
}

char &String::operator[](unsigned int index) {
  static char scratch;
  if (index >= length()) {
    scratch = '\0';
    return scratch;
  }
  return buf_[index];
}

char String::operator[](unsigned int index) const { return index < length() ? buf_[index] : '\0'; }

void String::getBytes(unsigned char *buf, unsigned int bufsize, unsigned int index) const {
  if (!bufsize || !buf) return;
  if (index >= length()) {
    buf[0] = 0;
    return;
  }
  unsigned int n = bufsize - 1;
  if (n > len_ - index) n = len_ - index;
  strncpy(reinterpret_cast<char *>(buf), buf_ + index, n);
  buf[n] = 0;
}

const String emptyString;
