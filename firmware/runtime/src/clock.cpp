// The board's clock in the app: esp_timer_get_time() (64-bit µs since boot) is the source;
// millis()/micros() are its 32-bit views, as arduino-esp32 derives them. The board hands over
// its boot instant: ESP_SSE_BOOT_MONO_NS (CLOCK_MONOTONIC ns at boot, the same clock as Node's
// process.hrtime) and ESP_SSE_BOOT_MILLIS (millis() at that instant; near 2^32 tests the wrap).
// Without them the app's own start is boot and millis() starts at 0.
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>

#include "Arduino.h"

namespace {

struct Boot {
  int64_t monoNs;
  int64_t micros;  // esp_timer_get_time() at monoNs
};

int64_t monotonicNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

const Boot &boot() {
  static const Boot b = [] {
    const char *mono = getenv("ESP_SSE_BOOT_MONO_NS");
    const char *ms = getenv("ESP_SSE_BOOT_MILLIS");
    Boot v;
    v.monoNs = mono && *mono ? int64_t(strtoull(mono, nullptr, 10)) : monotonicNs();
    v.micros = ms && *ms ? int64_t(strtoull(ms, nullptr, 10)) * 1000 : 0;
    return v;
  }();
  return b;
}

/** Sleeps the whole duration: nanosleep resumes with what is left after a signal. */
void sleepNs(int64_t ns) {
  if (ns <= 0) return;
  timespec left = {time_t(ns / 1000000000), long(ns % 1000000000)};
  while (nanosleep(&left, &left) != 0 && errno == EINTR) {
  }
}

}  // namespace

extern "C" int64_t esp_timer_get_time(void) { return boot().micros + (monotonicNs() - boot().monoNs) / 1000; }

unsigned long millis(void) { return (unsigned long)(uint32_t)(esp_timer_get_time() / 1000); }

unsigned long micros(void) { return (unsigned long)(uint32_t)esp_timer_get_time(); }

void delay(uint32_t ms) { sleepNs(int64_t(ms) * 1000000); }

void delayMicroseconds(uint32_t us) { sleepNs(int64_t(us) * 1000); }

void yield(void) { sched_yield(); }
