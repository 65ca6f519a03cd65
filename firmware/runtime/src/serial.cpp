// Serial, Serial1, Serial2 and the core's log output (see HardwareSerial.h).
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <mutex>
#include <string>

#include "Arduino.h"
#include "frame.h"
#include "link.h"
#include "warnings.h"
#include "serial-rx.h"

namespace {

constexpr size_t kDefaultRxBytes = 256;  // arduino-esp32's default RX buffer
constexpr size_t kMaxRxBytes = 64 * 1024;
constexpr size_t kMinRxBytes = 129;  // the board refuses sizes up to its 128-byte hardware FIFO

/** UART0's RX ring. Plain statics, ready before any constructor runs (the reader may be early). */
std::mutex rxLock;
uint8_t rxRing[kMaxRxBytes];
size_t rxCapacity = kDefaultRxBytes, rxHead = 0, rxCount = 0;

void sendTx(const uint8_t *data, size_t size) {
  esp_sse::link::Frame f;
  f.type = esp_sse::link::type::serialTx;
  f.s1.assign(reinterpret_cast<const char *>(data), size);
  esp_sse::link::send(f);
}

}  // namespace

namespace esp_sse {
namespace serial {

void rxAppend(const char *data, size_t n) {
  std::lock_guard<std::mutex> lock(rxLock);
  for (size_t i = 0; i < n && rxCount < rxCapacity; i++) {
    rxRing[(rxHead + rxCount) % rxCapacity] = uint8_t(data[i]);
    rxCount++;
  }
}

}  // namespace serial
}  // namespace esp_sse

HardwareSerial Serial(0);
HardwareSerial Serial1(1);
HardwareSerial Serial2(2);

HardwareSerial::HardwareSerial(int uart_nr) : _uart_nr(uart_nr) {}
HardwareSerial::~HardwareSerial() {}

bool HardwareSerial::_outputWired() const {
  if (_uart_nr == 0) return true;
  esp_sse::link::warnOnce(esp_sse::warning::serial1);
  return false;
}

void HardwareSerial::begin(unsigned long baud, uint32_t, int8_t, int8_t, bool, unsigned long, uint8_t) {
  _outputWired();
  _baud = baud;
  _begun = true;
}

void HardwareSerial::end(bool) {
  _begun = false;
  if (_uart_nr != 0) return;
  std::lock_guard<std::mutex> lock(rxLock);
  rxHead = rxCount = 0;
}

void HardwareSerial::updateBaudRate(unsigned long baud) { _baud = baud; }
uint32_t HardwareSerial::baudRate() { return uint32_t(_baud); }

int HardwareSerial::available(void) {
  if (_uart_nr != 0) return 0;
  std::lock_guard<std::mutex> lock(rxLock);
  return int(rxCount);
}

int HardwareSerial::availableForWrite(void) { return _begun ? 128 : 0; }

int HardwareSerial::peek(void) {
  if (_uart_nr != 0) return -1;
  std::lock_guard<std::mutex> lock(rxLock);
  return rxCount ? rxRing[rxHead] : -1;
}

int HardwareSerial::read(void) {
  uint8_t c;
  return read(&c, 1) == 1 ? c : -1;
}

size_t HardwareSerial::read(uint8_t *buffer, size_t size) {
  if (_uart_nr != 0) return 0;
  std::lock_guard<std::mutex> lock(rxLock);
  size_t n = 0;
  while (n < size && rxCount > 0) {
    buffer[n++] = rxRing[rxHead];
    rxHead = (rxHead + 1) % rxCapacity;
    rxCount--;
  }
  return n;
}

size_t HardwareSerial::readBytes(uint8_t *buffer, size_t length) {
  // Like the core: whatever arrives within the timeout, without the per-byte Stream loop.
  size_t got = 0;
  const unsigned long start = millis();
  while (got < length) {
    got += read(buffer + got, length - got);
    if (got == length || millis() - start >= getTimeout()) break;
    delay(1);
  }
  return got;
}

void HardwareSerial::flush(void) {}
void HardwareSerial::flush(bool) {}

size_t HardwareSerial::write(uint8_t c) { return write(&c, 1); }

size_t HardwareSerial::write(const uint8_t *buffer, size_t size) {
  // The board's uartWriteBuf() drops output while the driver is not installed, yet reports it written.
  if (_begun && size > 0 && _outputWired()) sendTx(buffer, size);
  return size;
}

HardwareSerial::operator bool() const { return _begun; }

void HardwareSerial::setDebugOutput(bool) {}
void HardwareSerial::setRxInvert(bool) {}

size_t HardwareSerial::setRxBufferSize(size_t new_size) {
  if (_begun || new_size < kMinRxBytes || _uart_nr != 0) return 0;
  std::lock_guard<std::mutex> lock(rxLock);
  rxCapacity = new_size < kMaxRxBytes ? new_size : kMaxRxBytes;
  rxHead = rxCount = 0;
  return rxCapacity;
}

size_t HardwareSerial::setTxBufferSize(size_t new_size) { return new_size; }
bool HardwareSerial::setPins(int8_t, int8_t, int8_t, int8_t) { return true; }
bool HardwareSerial::setRxTimeout(uint8_t) { return true; }
bool HardwareSerial::setRxFIFOFull(uint8_t) { return true; }

void HardwareSerial::onReceive(OnReceiveCb, bool) {
  esp_sse::link::warnOnce(esp_sse::warning::serialOnReceive);
}

void HardwareSerial::onReceiveError(OnReceiveErrorCb) {}

// --- the core's log output (esp32-hal-log.h): straight to UART0, begun or not, like ets_printf ---

extern "C" int log_printf(const char *fmt, ...) {
  char small[256];
  va_list args;
  va_start(args, fmt);
  int n = vsnprintf(small, sizeof small, fmt, args);
  va_end(args);
  if (n < 0) return n;
  if (size_t(n) < sizeof small) {
    sendTx(reinterpret_cast<const uint8_t *>(small), size_t(n));
    return n;
  }
  std::string big(size_t(n) + 1, '\0');
  va_start(args, fmt);
  vsnprintf(&big[0], big.size(), fmt, args);
  va_end(args);
  sendTx(reinterpret_cast<const uint8_t *>(big.data()), size_t(n));
  return n;
}

extern "C" const char *pathToFileName(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}
