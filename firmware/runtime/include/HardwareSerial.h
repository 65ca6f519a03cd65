// esp-sse native runtime: arduino-esp32 2.0.17's HardwareSerial. Serial (UART0) is the board's
// UART0: each write call becomes one `serialTx` frame; bytes the board receives arrive in a
// 256-byte RX buffer (excess dropped, as the board's driver drops them). As on the board,
// output before begin() (or after end()) is discarded. Serial1/Serial2 have no wire in the
// emulator: their output is dropped, with one warning.
#pragma once

#include <stdint.h>

#include <functional>

#include "Stream.h"

#define SERIAL_5N1 0x8000010
#define SERIAL_6N1 0x8000014
#define SERIAL_7N1 0x8000018
#define SERIAL_8N1 0x800001c
#define SERIAL_5N2 0x8000030
#define SERIAL_6N2 0x8000034
#define SERIAL_7N2 0x8000038
#define SERIAL_8N2 0x800003c
#define SERIAL_5E1 0x8000012
#define SERIAL_6E1 0x8000016
#define SERIAL_7E1 0x800001a
#define SERIAL_8E1 0x800001e
#define SERIAL_5E2 0x8000032
#define SERIAL_6E2 0x8000036
#define SERIAL_7E2 0x800003a
#define SERIAL_8E2 0x800003e
#define SERIAL_5O1 0x8000013
#define SERIAL_6O1 0x8000017
#define SERIAL_7O1 0x800001b
#define SERIAL_8O1 0x800001f
#define SERIAL_5O2 0x8000033
#define SERIAL_6O2 0x8000037
#define SERIAL_7O2 0x800003b
#define SERIAL_8O2 0x800003f

typedef enum {
  UART_NO_ERROR,
  UART_BREAK_ERROR,
  UART_BUFFER_FULL_ERROR,
  UART_FIFO_OVF_ERROR,
  UART_FRAME_ERROR,
  UART_PARITY_ERROR
} hardwareSerial_error_t;

typedef std::function<void(void)> OnReceiveCb;
typedef std::function<void(hardwareSerial_error_t)> OnReceiveErrorCb;

class HardwareSerial : public Stream {
public:
  explicit HardwareSerial(int uart_nr);
  ~HardwareSerial();

  /** Accepted as given; the board's UART runs at the baud it was set to by its own model. */
  void begin(unsigned long baud, uint32_t config = SERIAL_8N1, int8_t rxPin = -1, int8_t txPin = -1,
             bool invert = false, unsigned long timeout_ms = 20000UL, uint8_t rxfifo_full_thrhd = 112);
  void end(bool fullyTerminate = true);
  void updateBaudRate(unsigned long baud);
  uint32_t baudRate();

  int available(void) override;
  int availableForWrite(void);
  int peek(void) override;
  int read(void) override;
  size_t read(uint8_t *buffer, size_t size);
  inline size_t read(char *buffer, size_t size) { return read((uint8_t *)buffer, size); }
  size_t readBytes(uint8_t *buffer, size_t length);
  size_t readBytes(char *buffer, size_t length) { return readBytes((uint8_t *)buffer, length); }
  void flush(void);
  void flush(bool txOnly);

  size_t write(uint8_t) override;
  size_t write(const uint8_t *buffer, size_t size) override;
  inline size_t write(const char *buffer, size_t size) { return write((const uint8_t *)buffer, size); }
  inline size_t write(const char *s) { return write((const uint8_t *)s, strlen(s)); }
  inline size_t write(unsigned long n) { return write((uint8_t)n); }
  inline size_t write(long n) { return write((uint8_t)n); }
  inline size_t write(unsigned int n) { return write((uint8_t)n); }
  inline size_t write(int n) { return write((uint8_t)n); }

  operator bool() const;

  void setDebugOutput(bool enabled);
  void setRxInvert(bool invert);
  /** The RX buffer (256 bytes by default); like the board, at least 129 bytes and before begin(). */
  size_t setRxBufferSize(size_t new_size);
  size_t setTxBufferSize(size_t new_size);
  bool setPins(int8_t rxPin, int8_t txPin, int8_t ctsPin = -1, int8_t rtsPin = -1);
  bool setRxTimeout(uint8_t symbols_timeout);
  bool setRxFIFOFull(uint8_t fifoBytes);
  /** Accepted but never called (not emulated yet; a warning says so). */
  void onReceive(OnReceiveCb function, bool onlyOnTimeout = false);
  void onReceiveError(OnReceiveErrorCb function);

private:
  int _uart_nr;
  bool _begun = false;
  unsigned long _baud = 0;
  /** Serial1/Serial2: output has nowhere to go; say so once. */
  bool _outputWired() const;
};

extern HardwareSerial Serial;
extern HardwareSerial Serial1;
extern HardwareSerial Serial2;
