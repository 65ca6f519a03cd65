// Fault and abort handlers, the terminate handler and __assert_fail (see panic.h).
//
// The frame (sketch-link.ts): a = fault address (low 32 bits), b = program counter, s1 = reason,
// s2 = detail (the backtrace as space-separated hex addresses, or the assert text for `assert`),
// s3 = the crashing thread's name (loopTask, async_tcp, a task's name). Addresses inside the
// sketch's executable are given relative to its load address (the same numbers when it is linked
// without PIE), so `addr2line -e <exe>` takes them as they are; others (libc) are absolute.
#include "panic.h"

#include <assert.h>
#include <cxxabi.h>
#include <errno.h>
#include <execinfo.h>
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include <atomic>
#include <exception>
#include <string>
#include <typeinfo>

#include "frame.h"
#include "link.h"

namespace esp_sse {
namespace panic {

namespace {

constexpr size_t kAltStackBytes = 64 * 1024;
constexpr int kMaxFrames = 48;

/** The executable's load address and the range of its loaded segments. */
uintptr_t exeBase = 0, exeLow = 0, exeHigh = 0;
/** The fd the link will use, for a panic before the link started (then hello goes first). */
int plannedFd = 3;
/** Set by the terminate handler: the sketch frame that threw, for "abort() was called at PC". */
std::atomic<uintptr_t> abortCaller{0};
std::atomic<bool> reporting{false};

bool inExe(uintptr_t a) { return a >= exeLow && a < exeHigh; }
uintptr_t shown(uintptr_t a) { return inExe(a) ? a - exeBase : a; }

int findExe(struct dl_phdr_info *info, size_t, void *) {
  exeBase = info->dlpi_addr;
  exeLow = UINTPTR_MAX;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const auto &ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_LOAD) continue;
    const uintptr_t lo = info->dlpi_addr + ph.p_vaddr, hi = lo + ph.p_memsz;
    if (lo < exeLow) exeLow = lo;
    if (hi > exeHigh) exeHigh = hi;
  }
  return 1;  // the first entry is the executable
}

/** Appends "0x<hex>" to `out` (no snprintf: this runs in signal handlers). */
size_t putHex(char *out, uintptr_t v) {
  char tmp[18];
  int n = 0;
  do {
    tmp[n++] = "0123456789abcdef"[v & 15];
    v >>= 4;
  } while (v);
  out[0] = '0';
  out[1] = 'x';
  for (int i = 0; i < n; i++) out[2 + i] = tmp[n - 1 - i];
  return size_t(n) + 2;
}

/** The first sketch-executable frame after a frame outside it (the caller of abort/throw). */
uintptr_t callerInExe(void *const *frames, int n, int from) {
  bool leftExe = false;
  for (int i = from; i < n; i++) {
    const uintptr_t a = uintptr_t(frames[i]);
    if (!inExe(a)) leftExe = true;
    else if (leftExe) return a;
  }
  return 0;
}

void writeAll(int fd, const uint8_t *p, size_t n) {
  while (n > 0) {
    ssize_t k = ::write(fd, p, n);
    if (k < 0) {
      if (errno == EINTR) continue;
      return;
    }
    p += k;
    n -= size_t(k);
  }
}

void onSignal(int sig, siginfo_t *info, void *context) {
  const auto *uc = static_cast<const ucontext_t *>(context);
  const uintptr_t pc = uintptr_t(uc->uc_mcontext.gregs[REG_RIP]);
  uintptr_t address = uintptr_t(info->si_addr);
  const char *reason = "abort";
  switch (sig) {
    case SIGSEGV:
    case SIGBUS: {
      // x86-64 page-fault error code: bit 1 = the access was a write, bit 4 = an instruction fetch.
      const auto err = uc->uc_mcontext.gregs[REG_ERR];
      reason = (err & 16) ? "InstrFetchProhibited" : (err & 2) ? "StoreProhibited" : "LoadProhibited";
      break;
    }
    case SIGFPE: reason = "IntegerDivideByZero"; break;
    case SIGILL: reason = "IllegalInstruction"; break;
    default: address = 0; break;  // SIGABRT
  }
  report(reason, address, sig == SIGABRT ? 0 : pc, nullptr);
}

/** What libstdc++'s verbose terminate handler prints, sent as UART0 output, then abort(). */
[[noreturn]] void onTerminate() {
  void *frames[kMaxFrames];
  const int n = backtrace(frames, kMaxFrames);
  abortCaller = callerInExe(frames, n, 0);
  std::string text;
  if (std::type_info *t = abi::__cxa_current_exception_type()) {
    int status = 0;
    char *name = abi::__cxa_demangle(t->name(), nullptr, nullptr, &status);
    text = "terminate called after throwing an instance of '";
    text += status == 0 && name ? name : t->name();
    text += "'\n";
    free(name);
    try {
      throw;
    } catch (const std::exception &e) {
      text += "  what():  ";
      text += e.what();
      text += "\n";
    } catch (...) {
    }
  } else {
    text = "terminate called without an active exception\n";
  }
  link::Frame f;
  f.type = link::type::serialTx;
  f.s1 = text;
  link::send(f);
  abort();
}

}  // namespace

void install() {
  dl_iterate_phdr(findExe, nullptr);
  if (const char *env = getenv("ESP_SSE_LINK_FD")) plannedFd = atoi(env);
  void *warm[2];
  backtrace(warm, 2);  // loads libgcc's unwinder now: loading it inside a handler could deadlock
  threadInit();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = onSignal;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) sigaction(sig, &sa, nullptr);
  std::set_terminate(onTerminate);
}

void threadInit() {
  stack_t ss;
  memset(&ss, 0, sizeof ss);
  ss.ss_sp = malloc(kAltStackBytes);  // lives as long as the thread; threads here never end
  ss.ss_size = kAltStackBytes;
  if (ss.ss_sp) sigaltstack(&ss, nullptr);
}

void report(const char *reason, uintptr_t faultAddress, uintptr_t pc, const char *detail) {
  if (reporting.exchange(true)) {
    // Another thread is already reporting: wait for its _exit.
    const timespec second = {1, 0};
    for (;;) nanosleep(&second, nullptr);
  }
  void *frames[kMaxFrames];
  const int n = backtrace(frames, kMaxFrames);
  // Skip the handler's own frames: start at the faulting instruction when the unwinder shows it;
  // for abort (no such instruction), after the signal trampoline (the first frame outside the
  // executable: __restore_rt in libc).
  int from = 0;
  for (int i = 0; i < n; i++) {
    if (pc ? uintptr_t(frames[i]) == pc : !inExe(uintptr_t(frames[i]))) {
      from = pc ? i : i + 1;
      break;
    }
  }
  if (pc == 0) {
    // abort: "abort() was called at PC" names the sketch code that called it (or threw).
    pc = abortCaller ? uintptr_t(abortCaller) : callerInExe(frames, n, 0);
  }
  static char trace[kMaxFrames * 20];
  size_t len = 0;
  for (int i = from; i < n; i++) {
    if (len) trace[len++] = ' ';
    len += putHex(trace + len, shown(uintptr_t(frames[i])));
  }
  char name[17] = {0};
  prctl(PR_GET_NAME, name, 0, 0, 0);
  const uint32_t nums[4] = {uint32_t(faultAddress), uint32_t(shown(pc)), 0, 0};
  const link::Bytes strs[4] = {{reason, strlen(reason)},
                               {detail ? detail : trace, detail ? strlen(detail) : len},
                               {name, strlen(name)},
                               {"", 0}};
  static uint8_t out[4096];
  size_t size = link::encodeFlat(link::type::panic, 0, nums, strs, out, sizeof out);
  int fd = link::fd();
  if (fd < 0) {
    // The link never started (a crash in a global constructor before any output): hello first.
    fd = plannedFd;
    uint8_t hello[64];
    const uint32_t hn[4] = {link::kAbi, uint32_t(getpid()), 0, 0};
    const link::Bytes none[4] = {{"", 0}, {"", 0}, {"", 0}, {"", 0}};
    writeAll(fd, hello, link::encodeFlat(link::type::hello, 0, hn, none, hello, sizeof hello));
  } else {
    link::tryLockWriter(200);  // a frame half-written by another thread would garble ours
  }
  writeAll(fd, out, size);
  _exit(kExitCode);
}

/** Before the sketch's global constructors (priority 101 is the earliest for programs). */
__attribute__((constructor(101))) void installEarly() { install(); }

}  // namespace panic
}  // namespace esp_sse

/**
 * glibc's assert() ends here; ours replaces glibc's for the sketch. The ESP32 (IDF 4.4) prints
 * "assert failed: <func> <file>:<line> (<expr>)"; the detail carries the part after the colon.
 */
extern "C" void __assert_fail(const char *expr, const char *file, unsigned int line, const char *func) noexcept {
  const char *base = strrchr(file, '/');
  base = base ? base + 1 : file;
  static char detail[1024];
  snprintf(detail, sizeof detail, "%s %s:%u (%s)", func ? func : "??", base, line, expr);
  esp_sse::panic::report("assert", 0, uintptr_t(__builtin_return_address(0)), detail);
}
