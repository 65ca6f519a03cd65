// Arduino `Print` for the host runtime, with the output of arduino-esp32 2.0.17's
// cores/esp32/Print.{h,cpp} (LGPL-2.1; semantics mirrored, no code taken):
// - integers: digits with UPPERCASE letters (`print(255, HEX)` is "FF", unlike `String(255, HEX)`);
//   a minus sign only in base 10; base 0 writes the value as one byte; `unsigned char` prints as
//   a number. A negative `int` in another base prints 32 bits ("FFFFFFFF"), as on the board;
//   `long` is 64 bits on this host and prints as given.
// - double: its own algorithm, not dtostrf: "nan", "inf" (either sign), "ovf" beyond
//   ±4294967040, else sign, integer part, '.', and `digits` digits after adding half a unit.
// - println() ends lines with "\r\n"; printf() formats with vsnprintf.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "Printable.h"
#include "WString.h"

#define DEC 10
#define HEX 16
#define OCT 8
#define BIN 2

/**
 * A byte sink with text formatting. Subclasses implement write(uint8_t) and may override the
 * buffer write for speed; every print/println/printf ends up in those two.
 */
class Print {
private:
  int write_error;

protected:
  void setWriteError(int err = 1) { write_error = err; }

public:
  Print() : write_error(0) {}
  virtual ~Print() {}
  int getWriteError() { return write_error; }
  void clearWriteError() { setWriteError(0); }

  /** Writes one byte; returns 1 when it was taken, 0 when not. */
  virtual size_t write(uint8_t) = 0;
  /** Writes `size` bytes; the default calls write(uint8_t) for each and sums the results. */
  virtual size_t write(const uint8_t *buffer, size_t size);
  /** A NUL-terminated string; 0 for a null pointer. */
  size_t write(const char *str) {
    if (str == NULL) return 0;
    return write(reinterpret_cast<const uint8_t *>(str), strlen(str));
  }
  size_t write(const char *buffer, size_t size) { return write(reinterpret_cast<const uint8_t *>(buffer), size); }

  /** Formats with vsnprintf (64-byte stack buffer, heap when longer); returns bytes written. */
  size_t printf(const char *format, ...) __attribute__((format(printf, 2, 3)));

  /** Room for writing without blocking; 0 means "a write may block". */
  virtual int availableForWrite() { return 0; }
  virtual void flush() {}

  size_t print(const __FlashStringHelper *ifsh) { return print(reinterpret_cast<const char *>(ifsh)); }
  size_t print(const String &s);
  size_t print(const char str[]);
  size_t print(char c);
  size_t print(unsigned char b, int base = DEC);
  size_t print(int n, int base = DEC);
  size_t print(unsigned int n, int base = DEC);
  size_t print(long n, int base = DEC);
  size_t print(unsigned long n, int base = DEC);
  size_t print(long long n, int base = DEC);
  size_t print(unsigned long long n, int base = DEC);
  size_t print(double n, int digits = 2);
  size_t print(const Printable &x);
  /** strftime with `format` (default "%c") into 64 bytes; prints nothing when it does not fit. */
  size_t print(struct tm *timeinfo, const char *format = NULL);

  size_t println(const __FlashStringHelper *ifsh) { return println(reinterpret_cast<const char *>(ifsh)); }
  size_t println(const String &s);
  size_t println(const char str[]);
  size_t println(char c);
  size_t println(unsigned char b, int base = DEC);
  size_t println(int n, int base = DEC);
  size_t println(unsigned int n, int base = DEC);
  size_t println(long n, int base = DEC);
  size_t println(unsigned long n, int base = DEC);
  size_t println(long long n, int base = DEC);
  size_t println(unsigned long long n, int base = DEC);
  size_t println(double n, int digits = 2);
  size_t println(const Printable &x);
  size_t println(struct tm *timeinfo, const char *format = NULL);
  /** "\r\n". */
  size_t println(void);

private:
  size_t printNumber(unsigned long long n, uint8_t base);
  size_t printFloat(double number, uint8_t digits);
};
