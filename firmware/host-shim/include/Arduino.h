// Host mirror of the arduino-esp32 core headers the sketch reaches through <Arduino.h>.
// Declarations only, with the signatures of arduino-esp32 2.0.x (the core that PlatformIO's
// espressif32 6.12.0 platform bundles): cores/esp32/{WString.h, Printable.h, Print.h, Stream.h,
// IPAddress.h, HardwareSerial.h, esp32-hal.h}. Only what firmware/src uses is declared, so a
// call the real core does not have fails to compile. Nothing here is linked or run.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

// --- cores/esp32/WString.h -------------------------------------------------------------------
class String {
public:
  String(const char *cstr = "");
  String(const String &str);
  String(String &&rval);
  explicit String(char c);
  explicit String(unsigned char, unsigned char base = 10);
  explicit String(int, unsigned char base = 10);
  explicit String(unsigned int, unsigned char base = 10);
  explicit String(long, unsigned char base = 10);
  explicit String(unsigned long, unsigned char base = 10);
  ~String(void);
  String &operator=(const String &rhs);
  String &operator=(const char *cstr);
  String &operator=(String &&rval);
  const char *c_str() const;
  unsigned int length(void) const;
};

// --- cores/esp32/Printable.h -----------------------------------------------------------------
class Print;
class Printable {
public:
  virtual ~Printable() {}
  virtual size_t printTo(Print &p) const = 0;
};

// --- cores/esp32/Print.h ---------------------------------------------------------------------
#define DEC 10
class Print {
public:
  virtual ~Print() {}
  virtual size_t write(uint8_t) = 0;
  // The real declaration carries the printf format attribute, so -Wformat checks our calls.
  size_t printf(const char *format, ...) __attribute__((format(printf, 2, 3)));
  size_t print(const String &);
  size_t print(const char[]);
  size_t print(char);
  size_t print(int, int = DEC);
  size_t print(unsigned int, int = DEC);
  size_t print(long, int = DEC);
  size_t print(unsigned long, int = DEC);
  size_t print(const Printable &);
  size_t println(const String &s);
  size_t println(const char[]);
  size_t println(char);
  size_t println(int, int = DEC);
  size_t println(unsigned int, int = DEC);
  size_t println(long, int = DEC);
  size_t println(unsigned long, int = DEC);
  size_t println(const Printable &);
  size_t println(void);
};

// --- cores/esp32/Stream.h --------------------------------------------------------------------
class Stream : public Print {};

// --- cores/esp32/IPAddress.h -----------------------------------------------------------------
class IPAddress : public Printable {
public:
  IPAddress();
  IPAddress(uint32_t address);
  size_t printTo(Print &p) const override;
  String toString() const;
};

// --- cores/esp32/HardwareSerial.h ------------------------------------------------------------
#define SERIAL_8N1 0x800001c
class HardwareSerial : public Stream {
public:
  HardwareSerial(int uart_nr);
  size_t write(uint8_t) override;
  void begin(unsigned long baud, uint32_t config = SERIAL_8N1, int8_t rxPin = -1, int8_t txPin = -1,
             bool invert = false, unsigned long timeout_ms = 20000UL, uint8_t rxfifo_full_thrhd = 112);
};
extern HardwareSerial Serial;

// --- cores/esp32/esp32-hal-misc.c (declared in esp32-hal.h) ----------------------------------
// `unsigned long` is 32 bits on the ESP32; on a 64-bit host it is wider, which only matters to
// code that relies on the wrap, and the sketch does not.
unsigned long millis(void);
void delay(uint32_t);

void setup(void);
void loop(void);
