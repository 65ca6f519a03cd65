// The app's end of the sketch link (fd 3, a socketpair the board made): one writer lock for every
// thread, calls that block until the board's reply, and pump(), with which the thread that holds
// the reader role (see executor.h) reads the link and hands every other board frame to
// onBoardFrame(). Internal to the runtime; sketches never include it.
#pragma once

#include <stdint.h>

#include <string>

#include "frame.h"
#include "warnings.h"

namespace esp_sse {
namespace link {

/**
 * Connects on first use (from main() or an earlier global constructor): reads ESP_SSE_LINK_FD
 * (default 3), sends `hello` (abi, pid) and starts the link's readers. Idempotent, thread-safe.
 * No link on that fd: a line on stderr and _exit(2).
 */
void start();

/** Sends one frame, whole, from any thread. The board gone (EPIPE): _exit(0). */
void send(const Frame &f);

/**
 * While an onConnect runs on this thread: the events it sends that client wait, and leave with
 * the next other frame this thread sends (normally the `done`) in one write, so the board reads
 * them together in one wake-up instead of two. No broadcast reaches the client before its
 * `done` anyway (docs/sketch-link.md). What may block first sends what waits: a call(), a
 * delay or yield (sendHeld()); so does more than 64 KiB waiting, and the end of the scope.
 */
class HoldClientEvents {
 public:
  HoldClientEvents(uint32_t source, uint32_t client);
  ~HoldClientEvents();
  HoldClientEvents(const HoldClientEvents &) = delete;
  HoldClientEvents &operator=(const HoldClientEvents &) = delete;
};

/** Sends what this thread holds (see HoldClientEvents) now; nothing to do when it holds none. */
void sendHeld();

/**
 * Sends a `call` (a = op, b, s1, s2, c) with a fresh id and blocks until the board's `reply`
 * with that id, which it returns. Any thread, but not from inside pump() (the reply could never
 * arrive).
 */
Frame call(uint32_t op, uint32_t b = 0, const std::string &s1 = std::string(),
           const std::string &s2 = std::string(), uint32_t c = 0);

/** Sends `warn` (code, message, hint) the first time `code` is seen; later ones are dropped. */
void warnOnce(const char *code, const char *message, const char *hint);
inline void warnOnce(const warning::Warning &w) { warnOnce(w.code, w.message, w.hint); }

/** A frame from the board could not be trusted: `warn` if the link still works, then _exit(3). */
[[noreturn]] void fail(const char *what);

/**
 * Waits until the link or `wakeFd` (an eventfd) is readable; reads what the link has and handles
 * every whole frame: replies to their callers, the others to onBoardFrame(). Returns after one
 * read, or when woken. Only the holder of the reader role calls it. The board gone: _exit(0).
 */
void pump(int wakeFd);

/** For the panic handler: the link's fd (-1 before start) and a bounded try of the writer lock. */
int fd();
bool tryLockWriter(int ms);

}  // namespace link

/**
 * Every board frame other than `reply`, delivered in order inside pump() (web-dispatch.cpp).
 * It must not block and must not make calls.
 */
void onBoardFrame(link::Frame &&f);

}  // namespace esp_sse
