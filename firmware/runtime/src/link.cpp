// The app's end of the sketch link (see link.h).
#include "link.h"
#include "warnings.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "executor.h"
#include "panic.h"

namespace esp_sse {
namespace link {

namespace {

constexpr int kDefaultFd = 3;
/** Exit codes the board reads (see the report / docs): link gone, no link, bad frame. */
constexpr int kExitBoardGone = 0, kExitNoLink = 2, kExitBadFrame = 3;

int linkFd = -1;
std::once_flag started;
std::mutex writer;

/** A caller blocked in call(), waiting for the reply with its id. */
struct Waiter {
  bool ready = false;
  Frame reply;
};
std::mutex waitersLock;
std::condition_variable waitersChanged;
std::map<uint32_t, Waiter *> waiters;
std::atomic<uint32_t> nextCallId{1};

std::mutex warnedLock;
std::set<std::string> warned;

[[noreturn]] void boardGone() { _exit(kExitBoardGone); }

void writeFrame(const Frame &f);

/** Writes all of `data`; the lock is held by the caller. */
void writeAll(const char *data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(linkFd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EPIPE || errno == ECONNRESET) boardGone();
      fprintf(stderr, "esp-sse runtime: writing the sketch link failed: %s\n", strerror(errno));
      _exit(kExitBadFrame);
    }
    data += n;
    size -= size_t(n);
  }
}

void deliverReply(Frame &&f) {
  std::lock_guard<std::mutex> lock(waitersLock);
  auto it = waiters.find(f.id);
  if (it == waiters.end()) fail("a reply whose id matches no call");
  it->second->reply = std::move(f);
  it->second->ready = true;
  waiters.erase(it);
  waitersChanged.notify_all();
}

/** Bytes read from the link and not yet a whole frame; only the reader role's holder touches it. */
std::vector<uint8_t> inbox(64 * 1024);
size_t inboxHave = 0;
/** True on the thread that holds the reader role, while it reads (a call from there could never return). */
thread_local bool reading = false;

/** Handles every whole frame in the inbox, in order; keeps the rest. */
void handleFrames() {
  size_t at = 0, need = 0;
  while (inboxHave - at >= 4) {
    const uint8_t *p = inbox.data() + at;
    const uint32_t length = uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
    if (length < kMinFrameBytes || length > kMaxFrameBytes) fail("a frame length outside 41..16 MiB");
    if (inboxHave - at - 4 < length) {
      need = size_t(length) + 4;
      break;
    }
    Frame f;
    if (const char *problem = decodeBody(p + 4, length, f)) fail(problem);
    at += 4 + size_t(length);
    if (f.type == type::reply) {
      deliverReply(std::move(f));
    } else {
      onBoardFrame(std::move(f));
    }
  }
  if (at > 0) {
    memmove(inbox.data(), inbox.data() + at, inboxHave - at);
    inboxHave -= at;
  }
  if (inbox.size() < need) inbox.resize(need);
}

}  // namespace

void pump(int wakeFd) {
  reading = true;
  pollfd fds[2] = {{linkFd, POLLIN, 0}, {wakeFd, POLLIN, 0}};
  while (poll(fds, 2, -1) < 0) {
    if (errno != EINTR) boardGone();
  }
  if (fds[1].revents & POLLIN) {
    uint64_t count;
    (void)!::read(wakeFd, &count, sizeof count);
  }
  if (fds[0].revents) {
    if (inboxHave == inbox.size()) inbox.resize(inbox.size() * 2);
    const ssize_t n = ::recv(linkFd, inbox.data() + inboxHave, inbox.size() - inboxHave, MSG_DONTWAIT);
    if (n == 0) boardGone();
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) boardGone();
    if (n > 0) {
      inboxHave += size_t(n);
      handleFrames();
    }
  }
  reading = false;
}

namespace {

void connect() {
  const char *env = getenv("ESP_SSE_LINK_FD");
  linkFd = env && *env ? atoi(env) : kDefaultFd;
  if (linkFd < 0 || fcntl(linkFd, F_GETFD) < 0) {
    fprintf(stderr,
            "esp-sse runtime: no sketch link on fd %d (ESP_SSE_LINK_FD). This program is the sketch's app: "
            "the board starts it (esp-sse emulate), it does not run on its own.\n",
            linkFd);
    _exit(kExitNoLink);
  }
  fcntl(linkFd, F_SETFD, FD_CLOEXEC);
  signal(SIGPIPE, SIG_IGN);  // a closed link is EPIPE from write(), handled there
  Frame hello;
  hello.type = type::hello;
  hello.a = kAbi;
  hello.b = uint32_t(getpid());
  writeFrame(hello);  // not send(): that would wait for this very start()
  executor::startReading();
}

}  // namespace

void start() { std::call_once(started, connect); }

namespace {

/** What this thread holds back while an onConnect runs (HoldClientEvents). */
struct Held {
  bool on = false;
  uint32_t source = 0;
  uint32_t client = 0;
  std::string bytes;
};
thread_local Held held;
constexpr size_t kHoldMaxBytes = 64 * 1024;

/** Appends `f` encoded to `out`; false (and the warning) when it is too large to send. */
bool encodeChecked(const Frame &f, std::string &out) {
  if (encodedSize(f) - 4 > kMaxFrameBytes) {
    esp_sse::link::warnOnce(esp_sse::warning::frameSize);
    return false;
  }
  encode(f, out);
  return true;
}

void writeBytes(const std::string &bytes) {
  executor::BoardWait wait;  // a board slow to read the link is not the callback's time
  std::lock_guard<std::mutex> lock(writer);
  writeAll(bytes.data(), bytes.size());
}

void writeFrame(const Frame &f) {
  std::string bytes;
  if (encodeChecked(f, bytes)) writeBytes(bytes);
}

}  // namespace

void send(const Frame &f) {
  start();
  if (!held.on) {
    writeFrame(f);
    return;
  }
  encodeChecked(f, held.bytes);
  const bool toClient = f.type == type::sseSend && f.a == held.source && f.b == held.client;
  if (!toClient || held.bytes.size() >= kHoldMaxBytes) sendHeld();
}

void sendHeld() {
  if (held.bytes.empty()) return;
  std::string bytes;
  bytes.swap(held.bytes);
  writeBytes(bytes);
}

HoldClientEvents::HoldClientEvents(uint32_t source, uint32_t client) {
  sendHeld();
  held.on = true;
  held.source = source;
  held.client = client;
}

HoldClientEvents::~HoldClientEvents() {
  sendHeld();
  held.on = false;
}

Frame call(uint32_t op, uint32_t b, const std::string &s1, const std::string &s2, uint32_t c) {
  start();
  if (reading) {
    fprintf(stderr, "esp-sse runtime: a call from the link's reader thread would never get its reply\n");
    abort();
  }
  uint32_t id = nextCallId.fetch_add(1);
  if (id == 0) id = nextCallId.fetch_add(1);
  Waiter waiter;
  {
    std::lock_guard<std::mutex> lock(waitersLock);
    waiters[id] = &waiter;
  }
  Frame f;
  f.type = type::call;
  f.id = id;
  f.a = op;
  f.b = b;
  f.c = c;
  f.s1 = s1;
  f.s2 = s2;
  executor::BoardWait wait;  // nor the board's time to answer
  executor::ReaderWanted reader;
  send(f);
  std::unique_lock<std::mutex> lock(waitersLock);
  waitersChanged.wait(lock, [&] { return waiter.ready; });
  return std::move(waiter.reply);
}

void warnOnce(const char *code, const char *message, const char *hint) {
  {
    std::lock_guard<std::mutex> lock(warnedLock);
    if (!warned.insert(code).second) return;
  }
  Frame f;
  f.type = type::warn;
  f.s1 = code;
  f.s2 = message;
  f.s3 = hint ? hint : "";
  send(f);
}

void fail(const char *what) {
  std::string message = "the app could not trust a frame from the board: ";
  message += what;
  fprintf(stderr, "esp-sse runtime: %s\n", message.c_str());
  if (linkFd >= 0 && tryLockWriter(100)) {
    Frame f;
    f.type = type::warn;
    f.s1 = "emulate.sketch-link";
    f.s2 = message;
    f.s3 = "a bug in esp-sse (the board and the app disagree on the sketch link): please report it";
    std::string bytes;
    encode(f, bytes);
    writeAll(bytes.data(), bytes.size());
  }
  _exit(kExitBadFrame);
}

int fd() { return linkFd; }

bool tryLockWriter(int ms) {
  const timespec pause = {0, 1000 * 1000};
  for (int i = 0; i <= ms; i++) {
    if (writer.try_lock()) return true;
    nanosleep(&pause, nullptr);
  }
  return false;
}

}  // namespace link
}  // namespace esp_sse
