// esp-sse native runtime: arduino-esp32 2.0.17's ESP object, answering as the emulated board
// (an ESP32-D0WD-V3, revision 3, 240 MHz, 4 MB flash, ESP-IDF v4.4.7). Heap figures are a steady
// plausible number: host allocations are not counted.
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef enum { FM_QIO = 0x00, FM_QOUT = 0x01, FM_DIO = 0x02, FM_DOUT = 0x03, FM_FAST_READ = 0x04, FM_SLOW_READ = 0x05, FM_UNKNOWN = 0xff } FlashMode_t;

class String;

class EspClass {
public:
  EspClass() {}
  ~EspClass() {}
  /** Sends `restart` to the board, then waits: the board ends this process and boots again. */
  void restart();

  uint32_t getHeapSize();
  uint32_t getFreeHeap();
  uint32_t getMinFreeHeap();
  uint32_t getMaxAllocHeap();
  uint32_t getPsramSize();
  uint32_t getFreePsram();
  uint32_t getMinFreePsram();
  uint32_t getMaxAllocPsram();

  uint16_t getChipRevision();
  const char *getChipModel();
  uint8_t getChipCores();
  uint32_t getCpuFreqMHz() { return 240; }
  /** CPU cycles at 240 MHz since boot (the Xtensa CCOUNT register wraps at 2^32 likewise). */
  uint32_t getCycleCount();
  const char *getSdkVersion();

  void deepSleep(uint32_t time_us);

  uint32_t getFlashChipSize();
  uint32_t getFlashChipSpeed();
  FlashMode_t getFlashChipMode();

  uint32_t getSketchSize();
  String getSketchMD5();
  uint32_t getFreeSketchSpace();

  /** The station MAC (ESP_SSE_MAC), byte 0 of the MAC in the lowest byte. */
  uint64_t getEfuseMac();
};

extern EspClass ESP;
