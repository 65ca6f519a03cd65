// FreeRTOS on host threads (see freertos/*.h).
#include <pthread.h>
#include <string.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "Arduino.h"
#include "link.h"
#include "warnings.h"
#include "panic.h"
#include "ticks.h"

struct tskTaskControlBlock {
  TaskFunction_t code;
  void *parameter;
  std::string name;
};

namespace {

thread_local tskTaskControlBlock *currentTask = nullptr;

void *runTask(void *arg) {
  auto *task = static_cast<tskTaskControlBlock *>(arg);
  currentTask = task;
  esp_sse::panic::threadInit();
  pthread_setname_np(pthread_self(), task->name.substr(0, 15).c_str());
  task->code(task->parameter);
  // A FreeRTOS task must not return; on the board that is an abort.
  abort();
}

}  // namespace

extern "C" BaseType_t xTaskCreatePinnedToCore(TaskFunction_t code, const char *name, uint32_t, void *parameter,
                                              UBaseType_t, TaskHandle_t *created, BaseType_t) {
  auto *task = new tskTaskControlBlock{code, parameter, name ? name : ""};
  pthread_t thread;
  if (pthread_create(&thread, nullptr, runTask, task) != 0) {
    delete task;
    return errCOULD_NOT_ALLOCATE_REQUIRED_MEMORY;
  }
  pthread_detach(thread);
  if (created) *created = task;
  return pdPASS;
}

extern "C" BaseType_t xTaskCreate(TaskFunction_t code, const char *name, uint32_t depth, void *parameter,
                                  UBaseType_t priority, TaskHandle_t *created) {
  return xTaskCreatePinnedToCore(code, name, depth, parameter, priority, created, tskNO_AFFINITY);
}

extern "C" void vTaskDelete(TaskHandle_t task) {
  if (task == nullptr || task == currentTask) pthread_exit(nullptr);
  esp_sse::link::warnOnce(esp_sse::warning::taskDelete);
}

extern "C" void vTaskDelay(const TickType_t ticks) { delay(ticks * portTICK_PERIOD_MS); }

extern "C" BaseType_t xTaskDelayUntil(TickType_t *const previous, const TickType_t increment) {
  const TickType_t wake = *previous + increment;
  const int64_t now = esp_sse::ticks::now();
  *previous = wake;
  const TickType_t ahead = TickType_t(wake - TickType_t(now));
  if (ahead > increment) return pdFALSE;  // already late
  esp_sse::ticks::sleepUntil(now + ahead);
  return pdTRUE;
}

extern "C" void vTaskDelayUntil(TickType_t *const previous, const TickType_t increment) {
  xTaskDelayUntil(previous, increment);
}

extern "C" TickType_t xTaskGetTickCount(void) { return TickType_t(millis()); }
extern "C" TickType_t xTaskGetTickCountFromISR(void) { return TickType_t(millis()); }
extern "C" TaskHandle_t xTaskGetCurrentTaskHandle(void) { return currentTask; }

extern "C" char *pcTaskGetName(TaskHandle_t task) {
  static thread_local char name[16];
  if (task) return const_cast<char *>(task->name.c_str());
  pthread_getname_np(pthread_self(), name, sizeof name);
  return name;
}

extern "C" UBaseType_t uxTaskGetStackHighWaterMark(TaskHandle_t) { return 4096; }
extern "C" UBaseType_t uxTaskPriorityGet(TaskHandle_t) { return 1; }
extern "C" void vTaskPrioritySet(TaskHandle_t, UBaseType_t) {}
extern "C" void vTaskSuspendAll(void) {}
extern "C" BaseType_t xTaskResumeAll(void) { return pdFALSE; }

extern "C" BaseType_t xPortGetCoreID(void) {
  char name[16] = {0};
  pthread_getname_np(pthread_self(), name, sizeof name);
  return strcmp(name, "loopTask") == 0 ? 1 : 0;
}

// --- critical sections: one recursive host mutex per portMUX_TYPE, made on first use -----------

namespace {
std::mutex muxCreate;
}

extern "C" void vPortEnterCritical(portMUX_TYPE *mux) {
  {
    std::lock_guard<std::mutex> lock(muxCreate);
    if (!mux->impl) mux->impl = new std::recursive_mutex;
  }
  static_cast<std::recursive_mutex *>(mux->impl)->lock();
}

extern "C" void vPortExitCritical(portMUX_TYPE *mux) { static_cast<std::recursive_mutex *>(mux->impl)->unlock(); }

// --- semaphores -------------------------------------------------------------------------------------

struct QueueDefinition {
  enum Kind { mutex, recursive, counting } kind;
  std::mutex lock;
  std::condition_variable changed;
  UBaseType_t count, max;
  std::thread::id holder;
  UBaseType_t depth = 0;
};

namespace {

SemaphoreHandle_t make(QueueDefinition::Kind kind, UBaseType_t max, UBaseType_t initial) {
  auto *s = new QueueDefinition;
  s->kind = kind;
  s->max = max;
  s->count = initial;
  return s;
}

/** Waits until `ready` or `ticks` pass (portMAX_DELAY: forever). */
template <typename Ready>
bool waitFor(QueueDefinition *s, std::unique_lock<std::mutex> &lock, TickType_t ticks, Ready ready) {
  if (ticks == portMAX_DELAY) {
    s->changed.wait(lock, ready);
    return true;
  }
  return s->changed.wait_for(lock, std::chrono::milliseconds(ticks * portTICK_PERIOD_MS), ready);
}

}  // namespace

extern "C" SemaphoreHandle_t xSemaphoreCreateMutex(void) { return make(QueueDefinition::mutex, 1, 1); }
extern "C" SemaphoreHandle_t xSemaphoreCreateRecursiveMutex(void) { return make(QueueDefinition::recursive, 1, 1); }
extern "C" SemaphoreHandle_t xSemaphoreCreateBinary(void) { return make(QueueDefinition::counting, 1, 0); }
extern "C" SemaphoreHandle_t xSemaphoreCreateCounting(UBaseType_t max, UBaseType_t initial) {
  return make(QueueDefinition::counting, max, initial);
}

extern "C" BaseType_t xSemaphoreTake(SemaphoreHandle_t s, TickType_t ticks) {
  std::unique_lock<std::mutex> lock(s->lock);
  if (!waitFor(s, lock, ticks, [s] { return s->count > 0; })) return pdFALSE;
  s->count--;
  s->holder = std::this_thread::get_id();
  return pdTRUE;
}

extern "C" BaseType_t xSemaphoreGive(SemaphoreHandle_t s) {
  std::lock_guard<std::mutex> lock(s->lock);
  if (s->count >= s->max) return pdFALSE;
  s->count++;
  s->changed.notify_all();
  return pdTRUE;
}

extern "C" BaseType_t xSemaphoreTakeRecursive(SemaphoreHandle_t s, TickType_t ticks) {
  std::unique_lock<std::mutex> lock(s->lock);
  const auto self = std::this_thread::get_id();
  if (s->count == 0 && s->holder == self) {
    s->depth++;
    return pdTRUE;
  }
  if (!waitFor(s, lock, ticks, [s] { return s->count > 0; })) return pdFALSE;
  s->count = 0;
  s->holder = self;
  s->depth = 1;
  return pdTRUE;
}

extern "C" BaseType_t xSemaphoreGiveRecursive(SemaphoreHandle_t s) {
  std::lock_guard<std::mutex> lock(s->lock);
  if (s->count != 0 || s->holder != std::this_thread::get_id()) return pdFALSE;
  if (--s->depth == 0) {
    s->count = 1;
    s->holder = std::thread::id();
    s->changed.notify_all();
  }
  return pdTRUE;
}

extern "C" UBaseType_t uxSemaphoreGetCount(SemaphoreHandle_t s) {
  std::lock_guard<std::mutex> lock(s->lock);
  return s->count;
}

extern "C" void vSemaphoreDelete(SemaphoreHandle_t s) { delete s; }
