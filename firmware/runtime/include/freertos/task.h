// esp-sse native runtime: FreeRTOS tasks as detached host threads. Priority and core are
// accepted and ignored; stack depth is accepted (host threads get the host's default stack).
#pragma once

#include "FreeRTOS.h"

typedef void (*TaskFunction_t)(void *);
typedef struct tskTaskControlBlock *TaskHandle_t;

#ifdef __cplusplus
extern "C" {
#endif
BaseType_t xTaskCreatePinnedToCore(TaskFunction_t pvTaskCode, const char *pcName, uint32_t usStackDepth,
                                   void *pvParameters, UBaseType_t uxPriority, TaskHandle_t *pvCreatedTask,
                                   BaseType_t xCoreID);
BaseType_t xTaskCreate(TaskFunction_t pvTaskCode, const char *pcName, uint32_t usStackDepth, void *pvParameters,
                       UBaseType_t uxPriority, TaskHandle_t *pvCreatedTask);
/** NULL = the calling task, which ends; another task cannot be ended from outside here. */
void vTaskDelete(TaskHandle_t xTaskToDelete);
void vTaskDelay(const TickType_t xTicksToDelay);
BaseType_t xTaskDelayUntil(TickType_t *const pxPreviousWakeTime, const TickType_t xTimeIncrement);
void vTaskDelayUntil(TickType_t *const pxPreviousWakeTime, const TickType_t xTimeIncrement);
/** millis() as ticks. */
TickType_t xTaskGetTickCount(void);
TickType_t xTaskGetTickCountFromISR(void);
TaskHandle_t xTaskGetCurrentTaskHandle(void);
char *pcTaskGetName(TaskHandle_t xTaskToQuery);
UBaseType_t uxTaskGetStackHighWaterMark(TaskHandle_t xTask);
UBaseType_t uxTaskPriorityGet(TaskHandle_t xTask);
void vTaskPrioritySet(TaskHandle_t xTask, UBaseType_t uxNewPriority);
void vTaskSuspendAll(void);
BaseType_t xTaskResumeAll(void);
#ifdef __cplusplus
}
#endif

#define taskYIELD() yield()
#define pcTaskGetTaskName pcTaskGetName
#define taskENTER_CRITICAL(mux) portENTER_CRITICAL(mux)
#define taskEXIT_CRITICAL(mux) portEXIT_CRITICAL(mux)
