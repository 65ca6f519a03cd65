// esp-sse native runtime: arduino-esp32 2.x logging. log_e/w/i/d/v print on UART0 as
// "[%6u][E][file:line] func(): message\r\n" (milliseconds since boot, the file's basename) when
// CORE_DEBUG_LEVEL (0 none … 5 verbose) lets them through; otherwise they compile to nothing
// and their arguments are not evaluated, as on the board. ESP_LOGx go the same way with
// "[tag] " in front (the core builds with CONFIG_ARDUHAL_ESP_LOG).
#pragma once

#include <stdint.h>

#define ARDUHAL_LOG_LEVEL_NONE (0)
#define ARDUHAL_LOG_LEVEL_ERROR (1)
#define ARDUHAL_LOG_LEVEL_WARN (2)
#define ARDUHAL_LOG_LEVEL_INFO (3)
#define ARDUHAL_LOG_LEVEL_DEBUG (4)
#define ARDUHAL_LOG_LEVEL_VERBOSE (5)

#ifndef CORE_DEBUG_LEVEL
#define CORE_DEBUG_LEVEL 0
#endif
#ifndef ARDUHAL_LOG_LEVEL
#define ARDUHAL_LOG_LEVEL CORE_DEBUG_LEVEL
#endif

#ifdef __cplusplus
extern "C" {
#endif
/** printf to UART0 (what the log macros call). Like the core's, it has no format attribute. */
int log_printf(const char *fmt, ...);
/** The part of `path` after its last '/'. */
const char *pathToFileName(const char *path);
int64_t esp_timer_get_time(void);
#ifdef __cplusplus
}
#endif

#define ARDUHAL_LOG_FORMAT(letter, format)                                                             \
  "[%6u][" #letter "][%s:%u] %s(): " format "\r\n", (unsigned int)(esp_timer_get_time() / 1000ULL), \
      pathToFileName(__FILE__), (unsigned int)__LINE__, __FUNCTION__

#if ARDUHAL_LOG_LEVEL >= ARDUHAL_LOG_LEVEL_VERBOSE
#define log_v(format, ...) log_printf(ARDUHAL_LOG_FORMAT(V, format), ##__VA_ARGS__)
#else
#define log_v(format, ...) do {} while (0)
#endif
#if ARDUHAL_LOG_LEVEL >= ARDUHAL_LOG_LEVEL_DEBUG
#define log_d(format, ...) log_printf(ARDUHAL_LOG_FORMAT(D, format), ##__VA_ARGS__)
#else
#define log_d(format, ...) do {} while (0)
#endif
#if ARDUHAL_LOG_LEVEL >= ARDUHAL_LOG_LEVEL_INFO
#define log_i(format, ...) log_printf(ARDUHAL_LOG_FORMAT(I, format), ##__VA_ARGS__)
#else
#define log_i(format, ...) do {} while (0)
#endif
#if ARDUHAL_LOG_LEVEL >= ARDUHAL_LOG_LEVEL_WARN
#define log_w(format, ...) log_printf(ARDUHAL_LOG_FORMAT(W, format), ##__VA_ARGS__)
#else
#define log_w(format, ...) do {} while (0)
#endif
#if ARDUHAL_LOG_LEVEL >= ARDUHAL_LOG_LEVEL_ERROR
#define log_e(format, ...) log_printf(ARDUHAL_LOG_FORMAT(E, format), ##__VA_ARGS__)
#else
#define log_e(format, ...) do {} while (0)
#endif

#define isr_log_v log_v
#define isr_log_d log_d
#define isr_log_i log_i
#define isr_log_w log_w
#define isr_log_e log_e

#undef ESP_LOGE
#undef ESP_LOGW
#undef ESP_LOGI
#undef ESP_LOGD
#undef ESP_LOGV
#define ESP_LOGE(tag, format, ...) log_e("[%s] " format, tag, ##__VA_ARGS__)
#define ESP_LOGW(tag, format, ...) log_w("[%s] " format, tag, ##__VA_ARGS__)
#define ESP_LOGI(tag, format, ...) log_i("[%s] " format, tag, ##__VA_ARGS__)
#define ESP_LOGD(tag, format, ...) log_d("[%s] " format, tag, ##__VA_ARGS__)
#define ESP_LOGV(tag, format, ...) log_v("[%s] " format, tag, ##__VA_ARGS__)
#define ESP_EARLY_LOGE ESP_LOGE
#define ESP_EARLY_LOGW ESP_LOGW
#define ESP_EARLY_LOGI ESP_LOGI
#define ESP_EARLY_LOGD ESP_LOGD
#define ESP_EARLY_LOGV ESP_LOGV
