// The async_tcp executor (see executor.h).
#include "executor.h"

#include <pthread.h>

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
  std::thread::id thread;
};

Queue &queue() {
  static Queue *q = new Queue;  // never destroyed: the thread outlives static destruction
  return *q;
}

void run() {
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
    task();
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
    std::thread t(run);
    q.thread = t.get_id();
    t.detach();
  });
}

bool onThread() { return std::this_thread::get_id() == queue().thread; }

}  // namespace executor
}  // namespace esp_sse
