// Print: number and text formatting. Output follows arduino-esp32 2.0.17 cores/esp32/Print.cpp
// (see Print.h for the facts); the code is ours.
#include "Print.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

size_t Print::write(const uint8_t *buffer, size_t size) {
  size_t n = 0;
  while (size--) n += write(*buffer++);
  return n;
}

size_t Print::printf(const char *format, ...) {
  char local[64];
  char *text = local;
  va_list args;
  va_list sizing;
  va_start(args, format);
  va_copy(sizing, args);
  int len = vsnprintf(local, sizeof(local), format, sizing);
  va_end(sizing);
  if (len < 0) {
    va_end(args);
    return 0;
  }
  if (static_cast<size_t>(len) >= sizeof(local)) {
    text = static_cast<char *>(malloc(static_cast<size_t>(len) + 1));
    if (text == NULL) {
      va_end(args);
      return 0;
    }
    vsnprintf(text, static_cast<size_t>(len) + 1, format, args);
  }
  va_end(args);
  size_t written = write(reinterpret_cast<const uint8_t *>(text), static_cast<size_t>(len));
  if (text != local) free(text);
  return written;
}

size_t Print::print(const String &s) { return write(s.c_str(), s.length()); }

size_t Print::print(const char str[]) { return write(str); }

size_t Print::print(char c) { return write(static_cast<uint8_t>(c)); }

size_t Print::print(unsigned char b, int base) { return print(static_cast<unsigned long>(b), base); }

size_t Print::print(int n, int base) {
  // The board's long is 32 bits: a negative int in base 2/8/16 shows 32 bits, not 64.
  if (n < 0 && base != 0 && base != 10) return printNumber(static_cast<unsigned int>(n), static_cast<uint8_t>(base));
  return print(static_cast<long>(n), base);
}

size_t Print::print(unsigned int n, int base) { return print(static_cast<unsigned long>(n), base); }

size_t Print::print(long n, int base) { return print(static_cast<long long>(n), base); }

size_t Print::print(unsigned long n, int base) { return print(static_cast<unsigned long long>(n), base); }

size_t Print::print(long long n, int base) {
  if (base == 0) return write(static_cast<uint8_t>(n));
  if (base == 10 && n < 0) {
    size_t sign = print('-');
    return sign + printNumber(0ull - static_cast<unsigned long long>(n), 10);
  }
  return printNumber(static_cast<unsigned long long>(n), static_cast<uint8_t>(base));
}

size_t Print::print(unsigned long long n, int base) {
  if (base == 0) return write(static_cast<uint8_t>(n));
  return printNumber(n, static_cast<uint8_t>(base));
}

size_t Print::print(double n, int digits) { return printFloat(n, static_cast<uint8_t>(digits)); }

size_t Print::print(const Printable &x) { return x.printTo(*this); }

size_t Print::print(struct tm *timeinfo, const char *format) {
  char text[64];
  size_t written = strftime(text, sizeof(text), format ? format : "%c", timeinfo);
  if (written == 0) return 0;
  return print(text);
}

size_t Print::println(void) { return print("\r\n"); }

size_t Print::println(const String &s) { return print(s) + println(); }
size_t Print::println(const char str[]) { return print(str) + println(); }
size_t Print::println(char c) { return print(c) + println(); }
size_t Print::println(unsigned char b, int base) { return print(b, base) + println(); }
size_t Print::println(int n, int base) { return print(n, base) + println(); }
size_t Print::println(unsigned int n, int base) { return print(n, base) + println(); }
size_t Print::println(long n, int base) { return print(n, base) + println(); }
size_t Print::println(unsigned long n, int base) { return print(n, base) + println(); }
size_t Print::println(long long n, int base) { return print(n, base) + println(); }
size_t Print::println(unsigned long long n, int base) { return print(n, base) + println(); }
size_t Print::println(double n, int digits) { return print(n, digits) + println(); }
size_t Print::println(const Printable &x) { return print(x) + println(); }
size_t Print::println(struct tm *timeinfo, const char *format) { return print(timeinfo, format) + println(); }

size_t Print::printNumber(unsigned long long n, uint8_t base) {
  char text[8 * sizeof(unsigned long long) + 1];
  char *p = &text[sizeof(text) - 1];
  *p = '\0';
  if (base < 2) base = 10;  // the core's guard against base 1
  do {
    unsigned digit = static_cast<unsigned>(n % base);
    n /= base;
    *--p = static_cast<char>(digit < 10 ? '0' + digit : 'A' + digit - 10);
  } while (n);
  return write(p);
}

size_t Print::printFloat(double number, uint8_t digits) {
  if (isnan(number)) return print("nan");
  if (isinf(number)) return print("inf");
  // The core's empirical limit: past it the integer part would not fit its 32-bit unsigned long.
  if (number > 4294967040.0 || number < -4294967040.0) return print("ovf");
  size_t n = 0;
  if (number < 0.0) {
    n += print('-');
    number = -number;
  }
  double rounding = 0.5;
  for (uint8_t i = 0; i < digits; ++i) rounding /= 10.0;
  number += rounding;
  unsigned long intPart = static_cast<unsigned long>(number);
  double remainder = number - static_cast<double>(intPart);
  n += print(intPart);
  if (digits > 0) n += print('.');
  while (digits-- > 0) {
    remainder *= 10.0;
    unsigned int digit = static_cast<unsigned int>(remainder);
    n += print(digit);
    remainder -= digit;
  }
  return n;
}
