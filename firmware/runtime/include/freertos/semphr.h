// esp-sse native runtime: FreeRTOS semaphores (mutex, recursive mutex, binary, counting) on host
// mutexes and condition variables. Give/take from any thread; the ISR variants are the same calls.
#pragma once

#include "FreeRTOS.h"

typedef struct QueueDefinition *SemaphoreHandle_t;

#ifdef __cplusplus
extern "C" {
#endif
SemaphoreHandle_t xSemaphoreCreateMutex(void);
SemaphoreHandle_t xSemaphoreCreateRecursiveMutex(void);
SemaphoreHandle_t xSemaphoreCreateBinary(void);
SemaphoreHandle_t xSemaphoreCreateCounting(UBaseType_t uxMaxCount, UBaseType_t uxInitialCount);
BaseType_t xSemaphoreTake(SemaphoreHandle_t xSemaphore, TickType_t xBlockTime);
BaseType_t xSemaphoreGive(SemaphoreHandle_t xSemaphore);
BaseType_t xSemaphoreTakeRecursive(SemaphoreHandle_t xMutex, TickType_t xBlockTime);
BaseType_t xSemaphoreGiveRecursive(SemaphoreHandle_t xMutex);
UBaseType_t uxSemaphoreGetCount(SemaphoreHandle_t xSemaphore);
void vSemaphoreDelete(SemaphoreHandle_t xSemaphore);
#ifdef __cplusplus
}
#endif

#define xSemaphoreTakeFromISR(s, woken) xSemaphoreTake((s), 0)
#define xSemaphoreGiveFromISR(s, woken) xSemaphoreGive(s)
