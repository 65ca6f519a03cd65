// Arduino String: numbers to text (the numeric constructors and concat overloads). The
// behaviour (not the code) follows arduino-esp32 2.0.17 cores/esp32/WString.cpp and
// stdlib_noniso.c (ltoa/ultoa/dtostrf); see WString.h.
#include "WString.h"

#include <math.h>
#include <stdlib.h>

namespace {

const char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";

// Room for any 64-bit number in base 2, a sign and the NUL.
constexpr size_t kNumberBuffer = 2 + 8 * sizeof(unsigned long long);

/** Digits of `value` in `base`, lowercase, written into `out`. */
void unsignedText(unsigned long long value, unsigned base, char *out) {
  char reversed[kNumberBuffer];
  size_t n = 0;
  do {
    reversed[n++] = kDigits[value % base];
    value /= base;
  } while (value != 0);
  while (n > 0) *out++ = reversed[--n];
  *out = '\0';
}

/**
 * The core's ltoa/lltoa/ultoa/ulltoa (stdlib_noniso.c): bases 2..16 only (else empty text), and
 * a negative number prints as '-' and its magnitude in every base.
 */
void coreIntText(bool negative, unsigned long long magnitude, unsigned base, char *out) {
  if (base < 2 || base > 16) {
    *out = '\0';
    return;
  }
  if (negative) *out++ = '-';
  unsignedText(magnitude, base, out);
}

/**
 * newlib's itoa/utoa, which the core does not override: bases 2..36 (else empty text); a minus
 * sign only in base 10, other bases print the 32-bit two's complement.
 */
void newlibIntText(int value, bool isSigned, unsigned base, char *out) {
  if (base < 2 || base > 36) {
    *out = '\0';
    return;
  }
  unsigned int bits = static_cast<unsigned int>(value);
  if (isSigned && base == 10 && value < 0) {
    *out++ = '-';
    bits = 0u - bits;
  }
  unsignedText(bits, base, out);
}

unsigned long long magnitude(long long value) {
  return value < 0 ? 0ull - static_cast<unsigned long long>(value) : static_cast<unsigned long long>(value);
}

}  // namespace

/**
 * The core's dtostrf(number, width, prec): "nan"/"inf" (either sign) as they are; otherwise add
 * 1 / (2 * 10^prec), count the integer digits, pad with spaces on the left to `width`, then emit
 * digits by truncation. The arithmetic is done in the same order so the digits match the board.
 * `out` needs prec + 320 bytes.
 */
static void fixedPointText(double number, int width, unsigned int prec, char *out) {
  if (isnan(number)) {
    strcpy(out, "nan");
    return;
  }
  if (isinf(number)) {
    strcpy(out, "inf");
    return;
  }
  int pad = width;
  if (prec > 0) pad -= static_cast<int>(prec) + 1;
  bool negative = number < 0.0;
  if (negative) {
    --pad;
    number = -number;
  }
  double rounding = 2.0;
  for (unsigned int i = 0; i < prec; ++i) rounding *= 10.0;
  number += 1.0 / rounding;
  double scale = 1.0;
  unsigned int intDigits = 1;
  while (number >= 10.0 * scale) {
    scale *= 10.0;
    ++intDigits;
  }
  number /= scale;
  pad -= static_cast<int>(intDigits);
  while (pad-- > 0) *out++ = ' ';
  if (negative) *out++ = '-';
  for (unsigned int left = intDigits + prec; left > 0; --left) {
    int digit = number >= 9.0 ? 9 : static_cast<int>(number);
    *out++ = static_cast<char>('0' + digit);
    if (left - 1 == prec && prec > 0) *out++ = '.';
    number -= digit;
    number *= 10.0;
  }
  *out = '\0';
}

// --- numeric constructors ----------------------------------------------------------------------

String::String(unsigned char value, unsigned char base) {
  init();
  char text[kNumberBuffer];
  newlibIntText(value, false, base, text);
  *this = text;
}

String::String(int value, unsigned char base) {
  init();
  char text[kNumberBuffer];
  newlibIntText(value, true, base, text);
  *this = text;
}

String::String(unsigned int value, unsigned char base) {
  init();
  char text[kNumberBuffer];
  newlibIntText(static_cast<int>(value), false, base, text);
  *this = text;
}

String::String(long value, unsigned char base) {
  init();
  char text[kNumberBuffer];
  coreIntText(value < 0, magnitude(value), base, text);
  *this = text;
}

String::String(unsigned long value, unsigned char base) {
  init();
  char text[kNumberBuffer];
  coreIntText(false, value, base, text);
  *this = text;
}

String::String(long long value, unsigned char base) {
  init();
  char text[kNumberBuffer];
  coreIntText(value < 0, magnitude(value), base, text);
  *this = text;
}

String::String(unsigned long long value, unsigned char base) {
  init();
  char text[kNumberBuffer];
  coreIntText(false, value, base, text);
  *this = text;
}

String::String(float value, unsigned int decimalPlaces) : String(static_cast<double>(value), decimalPlaces) {}

String::String(double value, unsigned int decimalPlaces) {
  init();
  char *text = static_cast<char *>(malloc(decimalPlaces + 320));
  if (text) {
    fixedPointText(value, static_cast<int>(decimalPlaces + 2), decimalPlaces, text);
    *this = text;
    free(text);
  } else {
    *this = "nan";  // what the core stores when it cannot allocate
  }
}

// --- appending numbers -------------------------------------------------------------------------

bool String::concat(unsigned char num) { return concat(String(num)); }
bool String::concat(int num) { return concat(String(num)); }
bool String::concat(unsigned int num) { return concat(String(num)); }
bool String::concat(long num) { return concat(String(num)); }
bool String::concat(unsigned long num) { return concat(String(num)); }
bool String::concat(long long num) { return concat(String(num)); }
bool String::concat(unsigned long long num) { return concat(String(num)); }
bool String::concat(float num) { return concat(static_cast<double>(num)); }

bool String::concat(double num) {
  char text[320 + 2];
  fixedPointText(num, 4, 2, text);
  return concat(text, static_cast<unsigned int>(strlen(text)));
}
