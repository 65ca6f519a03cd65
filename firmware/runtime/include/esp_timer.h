// esp-sse native runtime: the ESP-IDF timer clock (microseconds since boot, 64-bit).
#pragma once

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif
/** Microseconds since the board's boot: ESP_SSE_BOOT_MILLIS·1000 + host monotonic time since then. */
int64_t esp_timer_get_time(void);
#ifdef __cplusplus
}
#endif
