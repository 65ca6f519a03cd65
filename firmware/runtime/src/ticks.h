// The board's FreeRTOS tick (CONFIG_FREERTOS_HZ = 1000 in arduino-esp32): one tick per
// millisecond of esp_timer_get_time(), so tick n starts at n·1000 µs of the board's clock.
#pragma once

#include <stdint.h>

namespace esp_sse {
namespace ticks {

/** The tick count now: esp_timer_get_time() / 1000, 64 bits (xTaskGetTickCount is its low 32). */
int64_t now();

/** CLOCK_MONOTONIC ns at which tick `tick` starts (the board's boot instant from the board). */
int64_t startMonoNs(int64_t tick);

/**
 * Blocks until the tick count reaches `tick` (returns at once if it has): how a task blocked
 * by vTaskDelay/xTaskDelayUntil wakes, at a tick boundary. Resumes after signals.
 */
void sleepUntil(int64_t tick);

/**
 * The tick a delay that starts now (`nowUs`, esp_timer_get_time()) counts from: the tick of
 * `nowUs`, or earlier by the time the host kept the calling thread waiting for a core
 * (`hostWaitUs`) since its last delay began, its wake-up included; never before the tick that
 * delay woke at (`wokeTick`, -1 for none). On the board the task runs at its wake tick, so a
 * loop of a short body and delay(20) calls delay in that tick; a host busy elsewhere must not
 * make it drift.
 */
int64_t delayFrom(int64_t nowUs, int64_t wokeTick, int64_t hostWaitUs);

}  // namespace ticks
}  // namespace esp_sse
