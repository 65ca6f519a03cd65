// The async_tcp task: one FIFO executor thread that runs every web handler, body callback,
// event-source onConnect/onDisconnect and template processor, one at a time, concurrently with
// loop(). As on the board it starts at the first server.begin(); work queued earlier waits.
//
// It also reads the sketch link whenever it has nothing to run, so a board event that arrives
// while it idles (a client's connect: its hello!) runs on the thread that read it, with no wake-up
// of a second thread between the board's frame and the callback. While a task runs (and before
// server.begin()) a standby reader thread reads instead, so replies to calls and UART input keep
// flowing; async_tcp takes the role back when it is idle again. One thread reads at a time.
#pragma once

#include <functional>

namespace esp_sse {
namespace executor {

/** Queues `task` (any thread; the link's readers post board events). */
void post(std::function<void()> task);

/** Starts the standby reader (at link connect); async_tcp reads too once started. */
void startReading();

/** Starts the async_tcp thread once; later calls do nothing. */
void start();

/** True on the async_tcp thread. */
bool onThread();

/** Held by a thread waiting in link::call(): someone must read the link for its reply. */
class ReaderWanted {
 public:
  ReaderWanted();
  ~ReaderWanted();
  ReaderWanted(const ReaderWanted &) = delete;
  ReaderWanted &operator=(const ReaderWanted &) = delete;
};

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
