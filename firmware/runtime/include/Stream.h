// Arduino `Stream` for the host runtime: the API of arduino-esp32 2.0.17's cores/esp32/Stream.h
// (the ArduinoCore-API parser: LookaheadMode, ignore character, findMulti). Behaviour mirrored,
// code ours. Reads wait up to the timeout (default 1000 ms) on millis(), calling yield() while no
// byte is there; elapsed time is taken modulo 2^32 as the board's 32-bit millis() would give it.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "Print.h"
#include "WString.h"

/** How parseInt()/parseFloat() treat the bytes before the number. */
enum LookaheadMode {
  SKIP_ALL,        // skip anything that cannot start a number
  SKIP_NONE,       // the next byte must start the number, else 0 and nothing is consumed
  SKIP_WHITESPACE  // skip ' ', '\t', '\r', '\n' only
};

#define NO_IGNORE_CHAR '\x01'  // a byte never found in a number

/**
 * A readable byte source with timed parsing helpers. Subclasses implement available(), read()
 * and peek(): read()/peek() return a byte 0..255, or -1 when none is there (they must not block).
 */
class Stream : public Print {
protected:
  unsigned long _timeout;      // ms to wait for the next byte
  unsigned long _startMillis;  // when the current timed read began
  /** read() retried until a byte comes or the timeout passes; -1 on timeout. */
  int timedRead();
  /** peek() likewise. */
  int timedPeek();
  /** Peeks past bytes that cannot start a number (per `lookahead`); -1 when none starts one. */
  int peekNextDigit(LookaheadMode lookahead, bool detectDecimal);

public:
  virtual int available() = 0;
  virtual int read() = 0;
  virtual int peek() = 0;

  Stream() : _timeout(1000), _startMillis(0) {}
  virtual ~Stream() {}

  /** Milliseconds each timed read waits for a byte (default 1000). */
  void setTimeout(unsigned long timeout);
  unsigned long getTimeout(void) { return _timeout; }

  /** Reads until `target` has been read (true) or a read times out (false). */
  bool find(const char *target);
  bool find(const uint8_t *target) { return find(reinterpret_cast<const char *>(target)); }
  bool find(const char *target, size_t length);
  bool find(const uint8_t *target, size_t length) { return find(reinterpret_cast<const char *>(target), length); }
  bool find(char target) { return find(&target, 1); }
  /** As find(), but false as soon as `terminator` has been read. */
  bool findUntil(const char *target, const char *terminator);
  bool findUntil(const uint8_t *target, const char *terminator) {
    return findUntil(reinterpret_cast<const char *>(target), terminator);
  }
  bool findUntil(const char *target, size_t targetLen, const char *terminate, size_t termLen);
  bool findUntil(const uint8_t *target, size_t targetLen, const char *terminate, size_t termLen) {
    return findUntil(reinterpret_cast<const char *>(target), targetLen, terminate, termLen);
  }

  /**
   * The next integer: skips per `lookahead`, then reads '-' and digits (skipping `ignore`) until
   * another byte comes or a read times out; 0 when no number came.
   */
  long parseInt(LookaheadMode lookahead = SKIP_ALL, char ignore = NO_IGNORE_CHAR);
  /** As parseInt(), with one '.' allowed. */
  float parseFloat(LookaheadMode lookahead = SKIP_ALL, char ignore = NO_IGNORE_CHAR);

  /** Reads up to `length` bytes (no NUL added); fewer when a read times out. */
  virtual size_t readBytes(char *buffer, size_t length);
  virtual size_t readBytes(uint8_t *buffer, size_t length) {
    return readBytes(reinterpret_cast<char *>(buffer), length);
  }
  /** As readBytes(), also stopping at `terminator`, which is consumed but not stored. */
  size_t readBytesUntil(char terminator, char *buffer, size_t length);
  size_t readBytesUntil(char terminator, uint8_t *buffer, size_t length) {
    return readBytesUntil(terminator, reinterpret_cast<char *>(buffer), length);
  }

  /** Everything until a read times out. */
  virtual String readString();
  /** Everything until `terminator` (consumed, not included) or a timeout. */
  String readStringUntil(char terminator);

protected:
  long parseInt(char ignore) { return parseInt(SKIP_ALL, ignore); }
  float parseFloat(char ignore) { return parseFloat(SKIP_ALL, ignore); }

  /** One of the strings findMulti() looks for; `index` is its matched prefix length. */
  struct MultiTarget {
    const char *str;
    size_t len;
    size_t index;
  };
  /** Reads until one target has been read: its position in `targets`, or -1 on timeout. */
  int findMulti(struct MultiTarget *targets, int tCount);
};

#undef NO_IGNORE_CHAR
