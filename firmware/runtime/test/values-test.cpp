// Exercises the runtime's value types and prints one line per case: `name<TAB>value`, the value
// with bytes outside printable ASCII (and '\') written as \xNN. The expected values live in
// host/test/firmware-runtime-values.test.ts; this program only reports what the code does.
// The cases are in values-string.cpp, values-io.cpp and values-json.cpp; this file holds the
// output, the fake core clock and main().
#include "values-test.h"

// --- stand-ins for the runtime core ------------------------------------------------------------
// A fake clock that advances 1 ms per yield(), masked to 32 bits as the runtime's millis() is.
// C linkage, as the core (esp32-hal.h) declares them.
unsigned long long fakeClock = 0;
unsigned long yields = 0;
extern "C" {
unsigned long millis(void) { return static_cast<unsigned long>(fakeClock & 0xFFFFFFFFull); }
void delay(uint32_t ms) { fakeClock += ms; }
void yield(void) {
  ++fakeClock;
  ++yields;
}
}

// --- output ------------------------------------------------------------------------------------

void emitBytes(const char *name, const char *bytes, size_t length) {
  printf("%s\t", name);
  for (size_t i = 0; i < length; ++i) {
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      putchar(c);
    } else {
      printf("\\x%02x", c);
    }
  }
  putchar('\n');
}

void emit(const char *name, const std::string &value) { emitBytes(name, value.data(), value.size()); }
void emit(const char *name, const char *value) { emit(name, std::string(value ? value : "(null)")); }
void emit(const char *name, const String &value) {
  if (value.c_str() == nullptr) {
    emit(name, "(invalid)");
  } else {
    emitBytes(name, value.c_str(), value.length());
  }
}
void emit(const char *name, long long value) { emit(name, std::to_string(value)); }
void emit(const char *name, int value) { emit(name, static_cast<long long>(value)); }
void emit(const char *name, unsigned long value) { emit(name, std::to_string(value)); }
void emit(const char *name, bool value) { emit(name, value ? "true" : "false"); }

int main() {
  stringNumbers();
  stringConcat();
  stringCapacity();
  stringCompare();
  stringAccessAndSearch();
  stringEdit();
  stringInvalid();
  print();
  stream();
  ipAddress();
  jsonBuild();
  jsonNumbers();
  jsonAccess();
  jsonParse();
  return 0;
}
