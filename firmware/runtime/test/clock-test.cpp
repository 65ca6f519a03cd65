// Prints one `name<TAB>value` line per case about the app's clock and tick
// (host/test/firmware-runtime-clock.test.ts holds the expected values). Run with
// ESP_SSE_BOOT_MONO_NS and ESP_SSE_BOOT_MILLIS set, as the board starts the app.
#include <stdio.h>
#include <time.h>

#include "Arduino.h"
#include "../src/link.h"
#include "../src/ticks.h"

// The clock is built here without the link: a sleep has no held events to send first.
void esp_sse::link::sendHeld() {}

namespace {

long long monoNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void show(const char *name, long long value) { printf("%s\t%lld\n", name, value); }

}  // namespace

int main() {
  using namespace esp_sse;
  // Where ticks start on the host's monotonic clock, relative to the boot instant.
  const long long boot = ticks::startMonoNs(4294967290LL);
  show("start.boot-tick-offset", ticks::startMonoNs(4294967290LL) - boot);
  show("start.plus-20-ticks", ticks::startMonoNs(4294967310LL) - boot);
  // delay(20) from inside a tick: never back before the boundary 20 ticks after the call's tick.
  const long long tick = ticks::now();
  delay(20);
  const long long woke = monoNs();
  show("delay.not-before-boundary", woke >= ticks::startMonoNs(tick + 20) ? 1 : 0);
  show("delay.tick-count-advanced", ticks::now() - tick >= 20 ? 1 : 0);
  // The tick a delay counts from, with the host's wait for a core since the last delay began.
  show("from.first-delay", ticks::delayFrom(120500, -1, 3000));
  show("from.no-host-wait", ticks::delayFrom(123400, 120, 0));
  show("from.host-wait-3ms", ticks::delayFrom(123400, 120, 3000));
  show("from.host-wait-part", ticks::delayFrom(125900, 120, 2000));
  show("from.never-before-wake", ticks::delayFrom(123400, 120, 10000));
  // millis() is the low 32 bits of the tick count (the boot is 6 ms before the wrap).
  show("tick.millis-low-32", (long long)(millis() == (unsigned long)(uint32_t)ticks::now()));
  return 0;
}
