// The values-test program's shared parts: one output line per case (`name<TAB>value`, bytes
// outside printable ASCII and '\' as \xNN), the fake core clock, and the Print and Stream
// stand-ins the cases write to and read from. See values-test.cpp.
#pragma once

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <string>

#include "Arduino_JSON.h"
#include "IPAddress.h"
#include "Print.h"
#include "Stream.h"
#include "WString.h"

/** The fake core clock (values-test.cpp): ms advanced by delay() and 1 per yield(). */
extern unsigned long long fakeClock;
extern unsigned long yields;

void emitBytes(const char *name, const char *bytes, size_t length);
void emit(const char *name, const std::string &value);
void emit(const char *name, const char *value);
void emit(const char *name, const String &value);
void emit(const char *name, long long value);
void emit(const char *name, int value);
void emit(const char *name, unsigned long value);
void emit(const char *name, bool value);


/** A Print that keeps what it is given. */
class Capture : public Print {
public:
  using Print::write;
  size_t write(uint8_t b) override {
    text += static_cast<char>(b);
    return 1;
  }
  std::string take() {
    std::string out;
    out.swap(text);
    return out;
  }
  std::string text;
};

/** A Stream over fixed bytes: read()/peek() return -1 once they are used up. */
class FixedStream : public Stream {
public:
  explicit FixedStream(const char *bytes) : data(bytes) {}
  using Print::write;
  size_t write(uint8_t) override { return 0; }
  int available() override { return static_cast<int>(data.size() - pos); }
  int read() override { return pos < data.size() ? static_cast<unsigned char>(data[pos++]) : -1; }
  int peek() override { return pos < data.size() ? static_cast<unsigned char>(data[pos]) : -1; }
  std::string data;
  size_t pos = 0;
};

// The cases, one function per area (values-string.cpp, values-io.cpp, values-json.cpp).
void stringNumbers();
void stringConcat();
void stringCapacity();
void stringCompare();
void stringAccessAndSearch();
void stringEdit();
void stringInvalid();
void print();
void stream();
void ipAddress();
void jsonBuild();
void jsonNumbers();
void jsonAccess();
void jsonParse();
