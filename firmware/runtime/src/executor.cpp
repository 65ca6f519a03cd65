// The async_tcp executor and the link's readers (see executor.h).
#include "executor.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "link.h"
#include "panic.h"

namespace esp_sse {
namespace executor {

namespace {

/** Who reads the link now. */
enum class Reader { none, asyncTcp, standby };

struct State {
  std::mutex lock;
  /** async_tcp waits here for a task or for the reader role. */
  std::condition_variable asyncTcpWaits;
  /** The standby reader waits here until it is needed (see standbyNeeded). */
  std::condition_variable standbyWaits;
  std::deque<std::function<void()>> tasks;
  std::once_flag started;
  /** The async_tcp thread exists (after the first server.begin()). */
  bool running = false;
  /** async_tcp is running a task (not reading, not waiting), since busyFromUs. */
  bool busy = false;
  int64_t busyFromUs = 0;
  /** Threads blocked in link::call(), waiting for a reply someone has to read. */
  int callers = 0;
  Reader reader = Reader::none;
  /** Wake the standby reader out of its poll (async_tcp wants the role back). */
  int standbyWake = -1;
  /** Wake async_tcp out of its poll (another thread queued a task). */
  int asyncTcpWake = -1;
  /** CLOCK_MONOTONIC ms when the running task started; 0 while none runs. */
  std::atomic<int64_t> busySince{0};
};

/** The board's task watchdog timeout (CONFIG_ESP_TASK_WDT_TIMEOUT_S = 5). */
constexpr int64_t kTaskWatchdogMs = 5000;

/**
 * How long a task runs before the standby reader takes the link (for UART input and the board's
 * other frames; a waiting call() wakes it at once). Shorter tasks, such as an onConnect that sends
 * hello!, never wake a second thread. The watchdog thread, every kWatchPeriodUs, wakes it.
 */
constexpr int64_t kStandbyAfterUs = 2000;
constexpr int64_t kWatchPeriodUs = 10000;

int64_t nowUs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

int64_t nowMs() { return nowUs() / 1000; }

State &state() {
  static State *s = new State;  // never destroyed: the threads outlive static destruction
  return *s;
}

/** The standby should read now: nobody does, and async_tcp cannot (see runStandby). */
bool standbyNeeded(const State &s) {
  if (s.reader != Reader::none) return false;
  return !s.running || s.callers > 0 || (s.busy && nowUs() - s.busyFromUs >= kStandbyAfterUs);
}

void signal(int fd) {
  const uint64_t one = 1;
  while (::write(fd, &one, sizeof one) < 0 && errno == EINTR) {
  }
}

/** True on the async_tcp thread (set by the thread itself: no id published across threads). */
thread_local bool isAsyncTcp = false;

/**
 * The task watchdog, as on the board: async_tcp is fed each time it takes an event, so one
 * callback that runs for 5 s fires it. Timed here, in the app, so a board that is slow to read
 * the link (thousands of clients) never mistakes its own backlog for a stuck callback.
 */
void watch() {
  State &s = state();
  for (;;) {
    std::this_thread::sleep_for(std::chrono::microseconds(kWatchPeriodUs));
    const int64_t since = s.busySince.load();
    if (since != 0 && nowMs() - since >= kTaskWatchdogMs) panic::report("task_wdt", 0, 0, "async_tcp");
    // A task that runs on: the standby takes the link (nobody woke it when the task started).
    std::lock_guard<std::mutex> lock(s.lock);
    if (standbyNeeded(s)) s.standbyWaits.notify_one();
  }
}

/**
 * async_tcp: runs queued tasks; with none, it reads the link itself, so a board event that
 * arrives while it idles runs at once on this thread (no hand-over between threads).
 */
void runAsyncTcp() {
  isAsyncTcp = true;
  panic::threadInit();
  pthread_setname_np(pthread_self(), "async_tcp");
  State &s = state();
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(s.lock);
      for (;;) {
        if (!s.tasks.empty()) {
          task = std::move(s.tasks.front());
          s.tasks.pop_front();
          s.busy = true;
          s.busyFromUs = nowUs();
          break;
        }
        if (s.reader == Reader::none) {
          s.reader = Reader::asyncTcp;
          break;
        }
        signal(s.standbyWake);  // the standby reads: ask for the role back
        s.asyncTcpWaits.wait(lock);
      }
    }
    if (!task) {
      link::pump(s.asyncTcpWake);
      std::lock_guard<std::mutex> lock(s.lock);
      s.reader = Reader::none;
      if (standbyNeeded(s)) s.standbyWaits.notify_one();  // a call waits for its reply
      continue;
    }
    s.busySince.store(nowMs());
    task();
    s.busySince.store(0);
    std::lock_guard<std::mutex> lock(s.lock);
    s.busy = false;
  }
}

/**
 * The standby reader: reads the link while async_tcp cannot (before server.begin(), for a thread
 * waiting in a call, and while a task runs longer than kStandbyAfterUs), so replies and UART input
 * keep arriving; gives the role back when async_tcp asks.
 */
void runStandby() {
  panic::threadInit();
  pthread_setname_np(pthread_self(), "sketch-link");
  State &s = state();
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(s.lock);
      s.standbyWaits.wait(lock, [&] { return standbyNeeded(s); });
      s.reader = Reader::standby;
    }
    link::pump(s.standbyWake);
    std::lock_guard<std::mutex> lock(s.lock);
    s.reader = Reader::none;
    s.asyncTcpWaits.notify_one();
  }
}

}  // namespace

void post(std::function<void()> task) {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.lock);
  s.tasks.push_back(std::move(task));
  if (isAsyncTcp) return;  // it reads or runs: it sees the task next
  if (s.reader == Reader::asyncTcp) signal(s.asyncTcpWake);
  s.asyncTcpWaits.notify_one();
}

void startReading() {
  State &s = state();
  s.standbyWake = eventfd(0, EFD_CLOEXEC);
  s.asyncTcpWake = eventfd(0, EFD_CLOEXEC);
  if (s.standbyWake < 0 || s.asyncTcpWake < 0) link::fail("no eventfd for the link's readers");
  std::thread(runStandby).detach();
}

void start() {
  State &s = state();
  std::call_once(s.started, [&] {
    {
      std::lock_guard<std::mutex> lock(s.lock);
      s.running = true;
    }
    std::thread(runAsyncTcp).detach();
    std::thread(watch).detach();
  });
}

bool onThread() { return isAsyncTcp; }

ReaderWanted::ReaderWanted() {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.lock);
  s.callers++;
  if (standbyNeeded(s)) s.standbyWaits.notify_one();
}

ReaderWanted::~ReaderWanted() {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.lock);
  s.callers--;
}

namespace {
/** BoardWaits open on this thread: only the outermost one counts (a call's wait holds a write's). */
thread_local int openWaits = 0;
}  // namespace

// While the wait lasts the watchdog sees no running task (busySince 0); afterwards the task's
// start moves later by the wait. Only this thread writes busySince while a task runs.
BoardWait::BoardWait() : startedMs_(0), taskSince_(0) {
  if (openWaits++ != 0 || !onThread()) return;
  taskSince_ = state().busySince.exchange(0);
  if (taskSince_ != 0) startedMs_ = nowMs();
}

BoardWait::~BoardWait() {
  openWaits--;
  if (startedMs_ == 0) return;
  state().busySince.store(taskSince_ + (nowMs() - startedMs_));
}

}  // namespace executor
}  // namespace esp_sse
