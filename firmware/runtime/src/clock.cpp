// The board's clock in the app: esp_timer_get_time() (64-bit µs since boot) is the source;
// millis()/micros() are its 32-bit views, as arduino-esp32 derives them. The board hands over
// its boot instant: ESP_SSE_BOOT_MONO_NS (CLOCK_MONOTONIC ns at boot, the same clock as Node's
// process.hrtime) and ESP_SSE_BOOT_MILLIS (millis() at that instant; near 2^32 tests the wrap).
// Without them the app's own start is boot and millis() starts at 0.
//
// delay(ms) is vTaskDelay(ms) on the board: the task wakes when the tick count (one per ms)
// reaches the count at the call plus ms, i.e. at a tick boundary, so a loop of a short body and
// delay(20) runs every 20 ms exactly, and the host's late wake-ups (within a tick) do not add up.
// Nor do longer ones: the time a thread waited for one of the host's cores (the kernel's
// run-queue wait, /proc/thread-self/schedstat) since its last delay began is not the board's,
// so the next delay counts from the tick the board would have called it in (ticks::delayFrom).
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>

#include "Arduino.h"
#include "link.h"
#include "ticks.h"

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
  esp_sse::link::sendHeld();  // what an onConnect holds back does not wait out a sleep
  if (ns <= 0) return;
  timespec left = {time_t(ns / 1000000000), long(ns % 1000000000)};
  while (nanosleep(&left, &left) != 0 && errno == EINTR) {
  }
}

/** µs this thread has been runnable but waiting for a core, per the kernel; -1 if it does not say. */
int64_t hostWaitUs() {
  thread_local const int fd = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char text[96];
  const ssize_t n = pread(fd, text, sizeof text - 1, 0);
  if (n <= 0) return -1;
  text[n] = '\0';
  unsigned long long running = 0;
  unsigned long long waiting = 0;
  if (sscanf(text, "%llu %llu", &running, &waiting) != 2) return -1;
  return int64_t(waiting / 1000);
}

/** The calling thread's last delay: the tick it woke at, and its host wait when it began. */
struct LastDelay {
  int64_t wokeTick = -1;
  int64_t hostWaitUs = -1;
};
thread_local LastDelay lastDelay;

}  // namespace

namespace esp_sse {
namespace ticks {

int64_t delayFrom(int64_t nowUs, int64_t wokeTick, int64_t hostWaitUs) {
  const int64_t nowTick = nowUs / 1000;
  if (wokeTick < 0 || hostWaitUs <= 0) return nowTick;
  return std::max(wokeTick, std::min(nowTick, (nowUs - hostWaitUs) / 1000));
}

int64_t now() { return esp_timer_get_time() / 1000; }

int64_t startMonoNs(int64_t tick) { return boot().monoNs + (tick * 1000 - boot().micros) * 1000; }

void sleepUntil(int64_t tick) {
  esp_sse::link::sendHeld();  // what an onConnect holds back does not wait out a sleep
  const int64_t ns = startMonoNs(tick);
  const timespec at = {time_t(ns / 1000000000), long(ns % 1000000000)};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, nullptr) == EINTR) {
  }
}

}  // namespace ticks
}  // namespace esp_sse

extern "C" int64_t esp_timer_get_time(void) { return boot().micros + (monotonicNs() - boot().monoNs) / 1000; }

unsigned long millis(void) { return (unsigned long)(uint32_t)(esp_timer_get_time() / 1000); }

unsigned long micros(void) { return (unsigned long)(uint32_t)esp_timer_get_time(); }

void delay(uint32_t ms) {
  if (ms == 0) {
    yield();  // vTaskDelay(0): a yield
    return;
  }
  const int64_t nowUs = esp_timer_get_time();
  const int64_t wait = hostWaitUs();
  const int64_t waited = wait >= 0 && lastDelay.hostWaitUs >= 0 ? wait - lastDelay.hostWaitUs : 0;
  const int64_t from = esp_sse::ticks::delayFrom(nowUs, lastDelay.wokeTick, waited);
  lastDelay = {from + ms, wait};
  esp_sse::ticks::sleepUntil(from + ms);
}

void delayMicroseconds(uint32_t us) { sleepNs(int64_t(us) * 1000); }

void yield(void) {
  esp_sse::link::sendHeld();
  sched_yield();
}
