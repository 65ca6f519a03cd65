// esp-sse native runtime: the parts of ESP-IDF 4.4's esp_system.h sketches call.
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef enum {
  ESP_RST_UNKNOWN,
  ESP_RST_POWERON,
  ESP_RST_EXT,
  ESP_RST_SW,
  ESP_RST_PANIC,
  ESP_RST_INT_WDT,
  ESP_RST_TASK_WDT,
  ESP_RST_WDT,
  ESP_RST_DEEPSLEEP,
  ESP_RST_BROWNOUT,
  ESP_RST_SDIO,
} esp_reset_reason_t;

#ifdef __cplusplus
extern "C" {
#endif
/** Sends `restart` to the board and waits to be replaced. */
void esp_restart(void) __attribute__((noreturn));
/** ESP_SSE_RESET_REASON (a number of the enum above) or ESP_RST_POWERON. */
esp_reset_reason_t esp_reset_reason(void);
uint32_t esp_get_free_heap_size(void);
uint32_t esp_get_minimum_free_heap_size(void);
const char *esp_get_idf_version(void);
/** 32 random bits from the host's CSPRNG (the ESP32's comes from its RF noise). */
uint32_t esp_random(void);
void esp_fill_random(void *buf, size_t len);
#ifdef __cplusplus
}
#endif
