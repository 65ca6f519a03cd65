// Arduino `String` for the host runtime, with the observable behaviour of arduino-esp32 2.0.17's
// cores/esp32/WString.{h,cpp} (LGPL-2.1; semantics mirrored, no code taken). Facts it follows:
// - numbers: ints through ltoa/ultoa-style digits, lowercase letters; `String(int, base)` goes
//   through newlib's itoa (a minus sign only in base 10, other bases print the 32-bit two's
//   complement); `String(long, base)` through the core's ltoa (a minus sign in every base);
//   `String(unsigned char)` is a number, `String(char)` a character.
// - floating point: the core's dtostrf (add half a unit in the last place, then truncate digit by
//   digit; "nan", "inf" — also for -inf), width decimalPlaces + 2, so `String(5.0, 0)` is " 5";
//   concat/+=/+ of a float or double always use 2 decimals.
// - memory: a buffer of (len + 16) & ~15 bytes; above CAPACITY_MAX (65535, no PSRAM) the change
//   fails: concat returns false and leaves the String unchanged, `a + b` makes an invalid String.
// - an invalid String (from a null `const char *`) has c_str() == nullptr and length() == 0.
// - 64-bit host: `long`/`unsigned long` are 64 bits here and are formatted as given.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

// Flash strings (PROGMEM, PGM_P, PSTR): pgmspace.h, as the core's WString.h includes it.
#include <pgmspace.h>

/** Never defined: a distinct pointer type for strings made with F(). */
class __FlashStringHelper;
#ifndef FPSTR
#define FPSTR(pstr_pointer) (reinterpret_cast<const __FlashStringHelper *>(pstr_pointer))
#endif
#ifndef F
#define F(string_literal) (FPSTR(PSTR(string_literal)))
#endif

class StringSumHelper;

/**
 * A growable, NUL-terminated byte string. Every mutating call that needs memory either succeeds
 * or leaves the String as it was (concat returns false; `+=` says nothing).
 */
class String {
  // "safe bool": `if (s)` is false only for an invalid String.
  typedef void (String::*StringIfHelperType)() const;
  void StringIfHelper() const {}

public:
  /** A copy of `cstr`; a null pointer makes an invalid String. */
  String(const char *cstr = "");
  /** The first `length` bytes of `cstr` (NULs included). */
  String(const char *cstr, unsigned int length);
  String(const uint8_t *cstr, unsigned int length) : String(reinterpret_cast<const char *>(cstr), length) {}
  String(const String &str);
  String(const __FlashStringHelper *str) : String(reinterpret_cast<const char *>(str)) {}
  String(String &&rval);
  String(StringSumHelper &&rval);
  /** One character; `String('\0')` is empty. */
  explicit String(char c);
  /** A number, not a character: `String((unsigned char)65)` is "65". */
  explicit String(unsigned char value, unsigned char base = 10);
  explicit String(int value, unsigned char base = 10);
  explicit String(unsigned int value, unsigned char base = 10);
  explicit String(long value, unsigned char base = 10);
  explicit String(unsigned long value, unsigned char base = 10);
  /** dtostrf with `decimalPlaces` decimals: `String(3.14159)` is "3.14". */
  explicit String(float value, unsigned int decimalPlaces = 2);
  explicit String(double value, unsigned int decimalPlaces = 2);
  explicit String(long long value, unsigned char base = 10);
  explicit String(unsigned long long value, unsigned char base = 10);
  ~String(void);

  /** Makes room for `size` characters; false (String unchanged) past CAPACITY_MAX. */
  bool reserve(unsigned int size);
  unsigned int length(void) const { return buf_ ? len_ : 0; }
  void clear(void) { setLen(0); }
  bool isEmpty(void) const { return length() == 0; }

  String &operator=(const String &rhs);
  String &operator=(const char *cstr);
  String &operator=(const __FlashStringHelper *str) { return *this = reinterpret_cast<const char *>(str); }
  String &operator=(String &&rval);
  String &operator=(StringSumHelper &&rval);

  /** Appends; false (String unchanged) when the argument is null/invalid or memory runs out. */
  bool concat(const String &str);
  bool concat(const char *cstr);
  bool concat(const char *cstr, unsigned int length);
  bool concat(const uint8_t *cstr, unsigned int length) { return concat(reinterpret_cast<const char *>(cstr), length); }
  /** Appends one byte, even '\0'. */
  bool concat(char c);
  bool concat(unsigned char num);
  bool concat(int num);
  bool concat(unsigned int num);
  bool concat(long num);
  bool concat(unsigned long num);
  /** Always 2 decimals. */
  bool concat(float num);
  bool concat(double num);
  bool concat(long long num);
  bool concat(unsigned long long num);
  bool concat(const __FlashStringHelper *str) { return concat(reinterpret_cast<const char *>(str)); }

  /** concat() that ignores failure. */
  String &operator+=(const String &rhs) {
    concat(rhs);
    return *this;
  }
  String &operator+=(const char *rhs) {
    concat(rhs);
    return *this;
  }
  String &operator+=(char rhs) {
    concat(rhs);
    return *this;
  }
  String &operator+=(unsigned char rhs) {
    concat(rhs);
    return *this;
  }
  String &operator+=(int rhs) {
    concat(rhs);
    return *this;
  }
  String &operator+=(unsigned int rhs) {
    concat(rhs);
    return *this;
  }
  String &operator+=(long rhs) {
    concat(rhs);
    return *this;
  }
  String &operator+=(unsigned long rhs) {
    concat(rhs);
    return *this;
  }
  String &operator+=(float rhs) {
    concat(rhs);
    return *this;
  }
  String &operator+=(double rhs) {
    concat(rhs);
    return *this;
  }
  String &operator+=(long long rhs) {
    concat(rhs);
    return *this;
  }
  String &operator+=(unsigned long long rhs) {
    concat(rhs);
    return *this;
  }
  String &operator+=(const __FlashStringHelper *rhs) {
    concat(rhs);
    return *this;
  }

  friend StringSumHelper &operator+(const StringSumHelper &lhs, const String &rhs);
  friend StringSumHelper &operator+(const StringSumHelper &lhs, const char *cstr);
  friend StringSumHelper &operator+(const StringSumHelper &lhs, char c);
  friend StringSumHelper &operator+(const StringSumHelper &lhs, unsigned char num);
  friend StringSumHelper &operator+(const StringSumHelper &lhs, int num);
  friend StringSumHelper &operator+(const StringSumHelper &lhs, unsigned int num);
  friend StringSumHelper &operator+(const StringSumHelper &lhs, long num);
  friend StringSumHelper &operator+(const StringSumHelper &lhs, unsigned long num);
  friend StringSumHelper &operator+(const StringSumHelper &lhs, float num);
  friend StringSumHelper &operator+(const StringSumHelper &lhs, double num);
  friend StringSumHelper &operator+(const StringSumHelper &lhs, long long num);
  friend StringSumHelper &operator+(const StringSumHelper &lhs, unsigned long long num);

  operator StringIfHelperType() const { return buf_ ? &String::StringIfHelper : 0; }
  /** strcmp order; an invalid String sorts like an empty one. */
  int compareTo(const String &s) const;
  bool equals(const String &s) const;
  bool equals(const char *cstr) const;
  bool operator==(const String &rhs) const { return equals(rhs); }
  bool operator==(const char *cstr) const { return equals(cstr); }
  bool operator!=(const String &rhs) const { return !equals(rhs); }
  bool operator!=(const char *cstr) const { return !equals(cstr); }
  bool operator<(const String &rhs) const { return compareTo(rhs) < 0; }
  bool operator>(const String &rhs) const { return compareTo(rhs) > 0; }
  bool operator<=(const String &rhs) const { return compareTo(rhs) <= 0; }
  bool operator>=(const String &rhs) const { return compareTo(rhs) >= 0; }
  /** ASCII case folding. */
  bool equalsIgnoreCase(const String &s) const;
  /** 1 when equal, 0 otherwise; the time depends only on the length. */
  unsigned char equalsConstantTime(const String &s) const;
  bool startsWith(const String &prefix) const;
  bool startsWith(const char *prefix) const { return startsWith(String(prefix)); }
  bool startsWith(const __FlashStringHelper *prefix) const { return startsWith(reinterpret_cast<const char *>(prefix)); }
  bool startsWith(const String &prefix, unsigned int offset) const;
  bool endsWith(const String &suffix) const;
  bool endsWith(const char *suffix) const { return endsWith(String(suffix)); }
  bool endsWith(const __FlashStringHelper *suffix) const { return endsWith(reinterpret_cast<const char *>(suffix)); }

  /** '\0' past the end. */
  char charAt(unsigned int index) const;
  /** Ignored past the end. */
  void setCharAt(unsigned int index, char c);
  char operator[](unsigned int index) const;
  /** Past the end: a scratch byte, reset to '\0' on each such call. */
  char &operator[](unsigned int index);
  /** Copies up to bufsize - 1 bytes from `index` and a NUL. */
  void getBytes(unsigned char *buf, unsigned int bufsize, unsigned int index = 0) const;
  void toCharArray(char *buf, unsigned int bufsize, unsigned int index = 0) const {
    getBytes(reinterpret_cast<unsigned char *>(buf), bufsize, index);
  }
  /** nullptr for an invalid String. */
  const char *c_str() const { return buf_; }
  char *begin() { return buf_; }
  char *end() { return buf_ + length(); }
  const char *begin() const { return c_str(); }
  const char *end() const { return c_str() + length(); }

  /** Searches stop at the first NUL, as strchr/strstr do; -1 when not found. */
  int indexOf(char ch) const { return indexOf(ch, 0); }
  int indexOf(char ch, unsigned int fromIndex) const;
  int indexOf(const String &str) const { return indexOf(str, 0); }
  int indexOf(const String &str, unsigned int fromIndex) const;
  int lastIndexOf(char ch) const { return lastIndexOf(ch, len_ - 1); }
  int lastIndexOf(char ch, unsigned int fromIndex) const;
  int lastIndexOf(const String &str) const { return lastIndexOf(str, len_ - str.len_); }
  int lastIndexOf(const String &str, unsigned int fromIndex) const;
  /** [beginIndex, endIndex), indices swapped when reversed, clamped to the length. */
  String substring(unsigned int beginIndex) const { return substring(beginIndex, len_); }
  String substring(unsigned int beginIndex, unsigned int endIndex) const;

  void replace(char find, char replace);
  /** Non-overlapping occurrences; when `replace` is longer they are replaced from the right. */
  void replace(const String &find, const String &replace);
  void replace(const char *find, const String &replace) { this->replace(String(find), replace); }
  void replace(const __FlashStringHelper *find, const String &replace) {
    this->replace(reinterpret_cast<const char *>(find), replace);
  }
  void replace(const char *find, const char *replace) { this->replace(String(find), String(replace)); }
  void replace(const __FlashStringHelper *find, const char *replace) {
    this->replace(reinterpret_cast<const char *>(find), String(replace));
  }
  void replace(const __FlashStringHelper *find, const __FlashStringHelper *replace) {
    this->replace(reinterpret_cast<const char *>(find), reinterpret_cast<const char *>(replace));
  }
  void remove(unsigned int index);
  void remove(unsigned int index, unsigned int count);
  void toLowerCase(void);
  void toUpperCase(void);
  /** Strips isspace() bytes from both ends. */
  void trim(void);

  /** atol/atof of the text (0 for an invalid String). */
  long toInt(void) const;
  float toFloat(void) const;
  double toDouble(void) const;

protected:
  enum { CAPACITY_MAX = 65535 };

  char *buf_;          // nullptr: invalid
  unsigned int cap_;   // characters that fit, not counting the NUL
  unsigned int len_;

  void init(void);
  void invalidate(void);
  void setLen(unsigned int len);
  bool changeBuffer(unsigned int maxStrLen);
  String &copy(const char *cstr, unsigned int length);
  void move(String &rhs);
};

/** The left operand of `+`: the result of one `+` is appended to by the next. */
class StringSumHelper : public String {
public:
  StringSumHelper(const String &s) : String(s) {}
  StringSumHelper(const char *p) : String(p) {}
  StringSumHelper(char c) : String(c) {}
  StringSumHelper(unsigned char num) : String(num) {}
  StringSumHelper(int num) : String(num) {}
  StringSumHelper(unsigned int num) : String(num) {}
  StringSumHelper(long num) : String(num) {}
  StringSumHelper(unsigned long num) : String(num) {}
  StringSumHelper(float num) : String(num) {}
  StringSumHelper(double num) : String(num) {}
  StringSumHelper(long long num) : String(num) {}
  StringSumHelper(unsigned long long num) : String(num) {}
};

inline StringSumHelper &operator+(const StringSumHelper &lhs, const __FlashStringHelper *rhs) {
  return lhs + reinterpret_cast<const char *>(rhs);
}

/** An empty String, for functions that return `const String &`. */
extern const String emptyString;
