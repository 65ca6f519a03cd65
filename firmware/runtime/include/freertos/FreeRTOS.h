// esp-sse native runtime: FreeRTOS types and tick arithmetic as ESP-IDF 4.4 configures them for
// arduino-esp32 (1000 Hz tick). Tasks are host threads (task.h), semaphores host mutexes and
// condition variables (semphr.h).
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef uint32_t TickType_t;
typedef int BaseType_t;
typedef unsigned int UBaseType_t;
typedef uint32_t StackType_t;

#define configTICK_RATE_HZ 1000
#define configMAX_PRIORITIES 25
#define configMINIMAL_STACK_SIZE 768
#define portTICK_PERIOD_MS ((TickType_t)1000 / configTICK_RATE_HZ)
#define portTICK_RATE_MS portTICK_PERIOD_MS
#define portMAX_DELAY ((TickType_t)0xffffffffUL)
#define pdMS_TO_TICKS(xTimeInMs) ((TickType_t)(((TickType_t)(xTimeInMs) * (TickType_t)configTICK_RATE_HZ) / (TickType_t)1000U))
#define pdTICKS_TO_MS(xTicks) ((TickType_t)((uint64_t)(xTicks) * 1000 / configTICK_RATE_HZ))

#define pdFALSE ((BaseType_t)0)
#define pdTRUE ((BaseType_t)1)
#define pdPASS (pdTRUE)
#define pdFAIL (pdFALSE)
#define errCOULD_NOT_ALLOCATE_REQUIRED_MEMORY (-1)

#define tskNO_AFFINITY ((BaseType_t)0x7FFFFFFF)
#define tskIDLE_PRIORITY ((UBaseType_t)0U)

/** A spinlock on the board; a host mutex here (portENTER_CRITICAL and friends). */
typedef struct {
  void *impl;
} portMUX_TYPE;
#define portMUX_INITIALIZER_UNLOCKED {0}

#ifdef __cplusplus
extern "C" {
#endif
void vPortEnterCritical(portMUX_TYPE *mux);
void vPortExitCritical(portMUX_TYPE *mux);
/** 1 on loopTask (core 1, as on the board), 0 on every other thread. */
BaseType_t xPortGetCoreID(void);
#ifdef __cplusplus
}
#endif

#define portENTER_CRITICAL(mux) vPortEnterCritical(mux)
#define portEXIT_CRITICAL(mux) vPortExitCritical(mux)
#define portENTER_CRITICAL_ISR(mux) vPortEnterCritical(mux)
#define portEXIT_CRITICAL_ISR(mux) vPortExitCritical(mux)
#define portENTER_CRITICAL_SAFE(mux) vPortEnterCritical(mux)
#define portEXIT_CRITICAL_SAFE(mux) vPortExitCritical(mux)
#define portYIELD_FROM_ISR() do {} while (0)
#define portNUM_PROCESSORS 2
