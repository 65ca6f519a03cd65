// Stream: timed reads and the parsing helpers. Behaviour follows the ArduinoCore-API Stream that
// arduino-esp32 2.0.17 ships (see Stream.h); the code is ours.
#include "Stream.h"

#include <string.h>

// Defined by the runtime core with C linkage, as arduino-esp32's esp32-hal.h declares them.
// Declared here rather than included, so the value types build without the rest of the core.
extern "C" {
unsigned long millis(void);
void yield(void);
}

namespace {
/** The board's millis() is 32 bits: elapsed time survives its wrap only in 32-bit arithmetic. */
unsigned long elapsedSince(unsigned long start) { return static_cast<uint32_t>(millis() - start); }
}  // namespace

int Stream::timedRead() {
  _startMillis = millis();
  do {
    int c = read();
    if (c >= 0) return c;
    yield();
  } while (elapsedSince(_startMillis) < _timeout);
  return -1;
}

int Stream::timedPeek() {
  _startMillis = millis();
  do {
    int c = peek();
    if (c >= 0) return c;
    yield();
  } while (elapsedSince(_startMillis) < _timeout);
  return -1;
}

int Stream::peekNextDigit(LookaheadMode lookahead, bool detectDecimal) {
  for (;;) {
    int c = timedPeek();
    if (c < 0 || c == '-' || (c >= '0' && c <= '9') || (detectDecimal && c == '.')) return c;
    if (lookahead == SKIP_NONE) return -1;
    if (lookahead == SKIP_WHITESPACE && c != ' ' && c != '\t' && c != '\r' && c != '\n') return -1;
    read();  // discard what cannot start a number
  }
}

void Stream::setTimeout(unsigned long timeout) { _timeout = timeout; }

bool Stream::find(const char *target) { return findUntil(target, strlen(target), NULL, 0); }

bool Stream::find(const char *target, size_t length) { return findUntil(target, length, NULL, 0); }

bool Stream::findUntil(const char *target, const char *terminator) {
  return findUntil(target, strlen(target), terminator, strlen(terminator));
}

bool Stream::findUntil(const char *target, size_t targetLen, const char *terminate, size_t termLen) {
  MultiTarget targets[2] = {{target, targetLen, 0}, {terminate, termLen, 0}};
  return findMulti(targets, terminate == NULL ? 1 : 2) == 0;
}

int Stream::findMulti(struct MultiTarget *targets, int tCount) {
  // An empty target has been found before anything is read.
  for (int i = 0; i < tCount; ++i) {
    if (targets[i].len == 0) return i;
  }
  for (;;) {
    int c = timedRead();
    if (c < 0) return -1;
    for (int i = 0; i < tCount; ++i) {
      MultiTarget &t = targets[i];
      const unsigned char *s = reinterpret_cast<const unsigned char *>(t.str);
      if (s[t.index] == c) {
        if (++t.index == t.len) return i;
        continue;
      }
      // Mismatch: keep the longest prefix of the target that ends the bytes read so far, so
      // "aab" is found in "aaab".
      size_t k = t.index;
      while (k > 0 && !(s[k - 1] == c && memcmp(s, s + t.index - k + 1, k - 1) == 0)) --k;
      t.index = k;
    }
  }
}

long Stream::parseInt(LookaheadMode lookahead, char ignore) {
  bool negative = false;
  long value = 0;
  int c = peekNextDigit(lookahead, false);
  if (c < 0) return 0;
  do {
    if (static_cast<char>(c) == ignore) {
      // skipped, e.g. a thousands separator
    } else if (c == '-') {
      negative = true;
    } else if (c >= '0' && c <= '9') {
      value = value * 10 + c - '0';
    }
    read();
    c = timedPeek();
  } while ((c >= '0' && c <= '9') || static_cast<char>(c) == ignore);
  return negative ? -value : value;
}

float Stream::parseFloat(LookaheadMode lookahead, char ignore) {
  bool negative = false;
  bool fractionPart = false;
  double value = 0.0;
  double fraction = 1.0;
  int c = peekNextDigit(lookahead, true);
  if (c < 0) return 0;
  do {
    if (static_cast<char>(c) == ignore) {
      // skipped
    } else if (c == '-') {
      negative = true;
    } else if (c == '.') {
      fractionPart = true;
    } else if (c >= '0' && c <= '9') {
      if (fractionPart) {
        fraction *= 0.1;
        value += fraction * (c - '0');
      } else {
        value = value * 10 + (c - '0');
      }
    }
    read();
    c = timedPeek();
  } while ((c >= '0' && c <= '9') || (c == '.' && !fractionPart) || static_cast<char>(c) == ignore);
  return static_cast<float>(negative ? -value : value);
}

size_t Stream::readBytes(char *buffer, size_t length) {
  size_t count = 0;
  while (count < length) {
    int c = timedRead();
    if (c < 0) break;
    *buffer++ = static_cast<char>(c);
    ++count;
  }
  return count;
}

size_t Stream::readBytesUntil(char terminator, char *buffer, size_t length) {
  size_t index = 0;
  while (index < length) {
    int c = timedRead();
    if (c < 0 || c == static_cast<unsigned char>(terminator)) break;
    *buffer++ = static_cast<char>(c);
    ++index;
  }
  return index;
}

String Stream::readString() {
  String ret;
  int c = timedRead();
  while (c >= 0) {
    ret += static_cast<char>(c);
    c = timedRead();
  }
  return ret;
}

String Stream::readStringUntil(char terminator) {
  String ret;
  int c = timedRead();
  while (c >= 0 && c != static_cast<unsigned char>(terminator)) {
    ret += static_cast<char>(c);
    c = timedRead();
  }
  return ret;
}
