// The async_tcp task: one FIFO executor thread that runs every web handler, body callback,
// event-source onConnect/onDisconnect and template processor, one at a time, concurrently with
// loop(). As on the board it starts at the first server.begin(); work queued earlier waits.
#pragma once

#include <functional>

namespace esp_sse {
namespace executor {

/** Queues `task` (any thread; the link's reader posts board events). */
void post(std::function<void()> task);

/** Starts the async_tcp thread once; later calls do nothing. */
void start();

/** True on the async_tcp thread. */
bool onThread();

/**
 * Marks a wait for the board (a link write the board is slow to read, a call's reply) on the
 * async_tcp thread: its duration does not count towards the task watchdog, which times the
 * sketch's callback, not the host's emulator. Elsewhere it does nothing.
 */
class BoardWait {
 public:
  BoardWait();
  ~BoardWait();
  BoardWait(const BoardWait &) = delete;
  BoardWait &operator=(const BoardWait &) = delete;

 private:
  long long startedMs_;
  long long taskSince_;
};

}  // namespace executor
}  // namespace esp_sse
