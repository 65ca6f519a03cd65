// Crashes in the app become one `panic` frame the board prints as the ESP32's panic text.
// Internal to the runtime.
#pragma once

#include <stdint.h>

namespace esp_sse {
namespace panic {

/** The exit code after a panic frame: the board reads it as "the app crashed and said why". */
constexpr int kExitCode = 70;

/**
 * Installs the SIGSEGV/SIGBUS/SIGFPE/SIGILL/SIGABRT handlers and the terminate handler. Runs
 * from a constructor before the sketch's global objects are built, so they are covered too.
 */
void install();

/** Gives the calling thread its own signal stack (every thread the runtime starts calls it). */
void threadInit();

/**
 * Writes one `panic` frame straight to the link (async-signal-safe: no allocation, no blocking
 * lock) and _exit(kExitCode). `detail` may be null (the backtrace is used).
 */
[[noreturn]] void report(const char *reason, uintptr_t faultAddress, uintptr_t pc, const char *detail);

}  // namespace panic
}  // namespace esp_sse
