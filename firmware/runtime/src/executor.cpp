// The async_tcp executor (see executor.h).
#include "executor.h"

#include <pthread.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "panic.h"

namespace esp_sse {
namespace executor {

namespace {

struct Queue {
  std::mutex lock;
  std::condition_variable ready;
  std::deque<std::function<void()>> tasks;
  std::once_flag started;
  /** CLOCK_MONOTONIC ms when the running task started; 0 while the task waits for work. */
  std::atomic<int64_t> busySince{0};
};

/** The board's task watchdog timeout (CONFIG_ESP_TASK_WDT_TIMEOUT_S = 5). */
constexpr int64_t kTaskWatchdogMs = 5000;

int64_t nowMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

Queue &queue() {
  static Queue *q = new Queue;  // never destroyed: the thread outlives static destruction
  return *q;
}

/**
 * The task watchdog, as on the board: async_tcp is fed each time it takes an event, so one
 * callback that runs for 5 s fires it. Timed here, in the app, so a board that is slow to read
 * the link (thousands of clients) never mistakes its own backlog for a stuck callback.
 */
void watch() {
  Queue &q = queue();
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const int64_t since = q.busySince.load();
    if (since != 0 && nowMs() - since >= kTaskWatchdogMs) panic::report("task_wdt", 0, 0, "async_tcp");
  }
}

/** True on the async_tcp thread (set by the thread itself: no id published across threads). */
thread_local bool isAsyncTcp = false;

void run() {
  isAsyncTcp = true;
  panic::threadInit();
  pthread_setname_np(pthread_self(), "async_tcp");
  Queue &q = queue();
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(q.lock);
      q.ready.wait(lock, [&] { return !q.tasks.empty(); });
      task = std::move(q.tasks.front());
      q.tasks.pop_front();
    }
    q.busySince.store(nowMs());
    task();
    q.busySince.store(0);
  }
}

}  // namespace

void post(std::function<void()> task) {
  Queue &q = queue();
  std::lock_guard<std::mutex> lock(q.lock);
  q.tasks.push_back(std::move(task));
  q.ready.notify_one();
}

void start() {
  Queue &q = queue();
  std::call_once(q.started, [&] {
    std::thread(run).detach();
    std::thread(watch).detach();
  });
}

bool onThread() { return isAsyncTcp; }

namespace {
/** BoardWaits open on this thread: only the outermost one counts (a call's wait holds a write's). */
thread_local int openWaits = 0;
}  // namespace

// While the wait lasts the watchdog sees no running task (busySince 0); afterwards the task's
// start moves later by the wait. Only this thread writes busySince while a task runs.
BoardWait::BoardWait() : startedMs_(0), taskSince_(0) {
  if (openWaits++ != 0 || !onThread()) return;
  taskSince_ = queue().busySince.exchange(0);
  if (taskSince_ != 0) startedMs_ = nowMs();
}

BoardWait::~BoardWait() {
  openWaits--;
  if (startedMs_ == 0) return;
  queue().busySince.store(taskSince_ + (nowMs() - startedMs_));
}

}  // namespace executor
}  // namespace esp_sse
