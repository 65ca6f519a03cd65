// The ESP object, esp_system.h and the board's identity from the environment (see Esp.h).
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "Arduino.h"
#include "board-env.h"
#include "frame.h"
#include "link.h"
#include "warnings.h"

namespace esp_sse {
namespace board {

const uint8_t *mac() {
  static const struct Mac {
    uint8_t b[6] = {0x24, 0x0a, 0xc4, 0xab, 0xcd, 0xef};  // the board's DEFAULT_MAC
    Mac() {
      const char *env = getenv("ESP_SSE_MAC");
      if (!env) return;
      char hex[13];
      size_t n = 0;
      for (const char *p = env; *p && n < 13; p++) {
        if (*p == ':' || *p == '-') continue;
        if (!isxdigit(uint8_t(*p))) return;
        hex[n++] = *p;
      }
      if (n != 12) return;
      for (int i = 0; i < 6; i++) {
        const char pair[3] = {hex[2 * i], hex[2 * i + 1], 0};
        b[i] = uint8_t(strtoul(pair, nullptr, 16));
      }
    }
  } value;
  return value.b;
}

const std::string &ip() {
  static const std::string value = [] {
    const char *env = getenv("ESP_SSE_IP");
    return std::string(env && *env ? env : "127.0.0.1");
  }();
  return value;
}

}  // namespace board
}  // namespace esp_sse

EspClass ESP;

namespace {
// A board running Wi-Fi, AsyncTCP and a web server: ~250 kB of its ~330 kB internal heap free.
constexpr uint32_t kHeapSize = 337000, kFreeHeap = 250000, kMinFreeHeap = 235000, kMaxAlloc = 110580;
}  // namespace

void EspClass::restart() { esp_restart(); }

extern "C" void esp_restart(void) {
  esp_sse::link::Frame f;
  f.type = esp_sse::link::type::restart;
  esp_sse::link::send(f);
  // The board kills this process and starts the next boot; nothing after this may run.
  for (;;) pause();
}

extern "C" esp_reset_reason_t esp_reset_reason(void) {
  const char *env = getenv("ESP_SSE_RESET_REASON");
  return env && *env ? esp_reset_reason_t(atoi(env)) : ESP_RST_POWERON;
}

extern "C" uint32_t esp_get_free_heap_size(void) { return kFreeHeap; }
extern "C" uint32_t esp_get_minimum_free_heap_size(void) { return kMinFreeHeap; }
extern "C" const char *esp_get_idf_version(void) { return "v4.4.7"; }

uint32_t EspClass::getHeapSize() { return kHeapSize; }
uint32_t EspClass::getFreeHeap() { return kFreeHeap; }
uint32_t EspClass::getMinFreeHeap() { return kMinFreeHeap; }
uint32_t EspClass::getMaxAllocHeap() { return kMaxAlloc; }
uint32_t EspClass::getPsramSize() { return 0; }
uint32_t EspClass::getFreePsram() { return 0; }
uint32_t EspClass::getMinFreePsram() { return 0; }
uint32_t EspClass::getMaxAllocPsram() { return 0; }

// host/src/emulator/rom/registers.ts: package 1 (D0WD) at revision 3, which the core names so.
uint16_t EspClass::getChipRevision() { return 3; }
const char *EspClass::getChipModel() { return "ESP32-D0WD-V3"; }
uint8_t EspClass::getChipCores() { return 2; }
uint32_t EspClass::getCycleCount() { return uint32_t(esp_timer_get_time() * 240); }
const char *EspClass::getSdkVersion() { return esp_get_idf_version(); }

void EspClass::deepSleep(uint32_t) {
  esp_sse::link::warnOnce(esp_sse::warning::deepSleep);
  esp_restart();
}

uint32_t EspClass::getFlashChipSize() { return 4 * 1024 * 1024; }
uint32_t EspClass::getFlashChipSpeed() { return 40000000; }
FlashMode_t EspClass::getFlashChipMode() { return FM_DIO; }

uint32_t EspClass::getSketchSize() { return 900000; }
String EspClass::getSketchMD5() { return String("00000000000000000000000000000000"); }
uint32_t EspClass::getFreeSketchSpace() { return 1310720; }  // the default partition table's app slot

uint64_t EspClass::getEfuseMac() {
  const uint8_t *m = esp_sse::board::mac();
  uint64_t v = 0;
  for (int i = 5; i >= 0; i--) v = (v << 8) | m[i];
  return v;
}
