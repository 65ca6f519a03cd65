// The emulator's SSE writer in C++: one epoll loop that owns event-stream sockets and writes
// each message the emulator sends it to every socket (`--sse-writers N` when a C++ compiler
// is found; docs/sse-writers.md). It does what host/src/emulator/http/sse-writer-process.ts
// does, message for message, without a JavaScript runtime between the message and the
// kernel's write: the emulator still produces every byte; this program only copies them out.
//
// It speaks Node's IPC channel (ipc-channel.h) as a child spawned with an 'ipc' stdio entry:
// the channel's fd is in NODE_CHANNEL_FD; each message is one line of JSON (json-line.h reads
// it). A socket arrives as
// {"cmd":"NODE_HANDLE","type":"net.Socket","msg":<our message>} with the fd attached
// (SCM_RIGHTS) to the bytes of that line, and Node sends nothing more until it reads
// {"cmd":"NODE_HANDLE_ACK"}. Our messages are those of sse-writer-protocol.ts.
//
// The queue rule is SocketQueue's (socket-queue.ts): a message counts as queued until the
// kernel has taken all of its bytes; with 32 queued, a message for that client is dropped
// and reported.

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "ipc-channel.h"
#include "json-line.h"

namespace {

using sse_writer::Channel;
using sse_writer::Json;
using sse_writer::JsonReader;

constexpr size_t kMaxQueued = 32;  // sseMaxQueuedMessages (wire doc §4)

// ---- clients ----

struct Client {
  int fd;
  long id;
  std::string out;              // bytes the kernel has not taken yet
  uint64_t written = 0;         // bytes offered so far
  std::deque<uint64_t> ends;    // cumulative end offsets of messages not fully taken
  bool finSent = false;
  bool endWanted = false;       // FIN once `out` is empty
  bool peerEnded = false;       // close once `out` is empty (as Node without allowHalfOpen)
  bool watchingOut = false;
  size_t slot = 0;              // index in Writer::order_
  bool gone = false;            // dropped; freed after the current batch of events
};

class Writer {
 public:
  Writer(int ep, Channel& ch) : ep_(ep), ch_(ch) {}

  void onChannelLine(const std::string& line) {
    Json m;
    if (!JsonReader(line).parse(m) || m.kind != Json::Object) {
      fprintf(stderr, "sse-writer: ignored a message it cannot read: %.80s\n", line.c_str());
      return;
    }
    const Json* cmd = m.get("cmd");
    if (cmd && cmd->kind == Json::String) {
      if (cmd->text == "NODE_HANDLE") {
        int fd = ch_.takeFd();
        post("{\"cmd\":\"NODE_HANDLE_ACK\"}");
        const Json* inner = m.get("msg");
        if (inner) handle(*inner, fd);
        else if (fd >= 0) close(fd);
      }
      return;  // Node's other internal messages do not concern a writer
    }
    handle(m, -1);
  }

  void onClientEvent(Client* c, uint32_t events) {
    if (c->gone) return;
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP)) {
      char scratch[4096];
      for (;;) {
        ssize_t n = recv(c->fd, scratch, sizeof scratch, MSG_DONTWAIT);
        if (n > 0) continue;  // the request is complete: later bytes are read and ignored (wire doc §6.1)
        if (n == 0) {
          c->peerEnded = true;
          c->endWanted = true;  // Node without allowHalfOpen ends its side too: no more writes
          break;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) break;
        drop(c);
        return;
      }
    }
    if (!flush(c)) return;
    settleEnd(c);
  }

  void resetAllAndExit() {
    for (Client* c : order_) {
      if (!c) continue;
      if (!c->endWanted) {  // RST, as resetSocket(): a socket already ended (by us or the peer) just closes
        linger l{1, 0};
        setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
      }
      close(c->fd);
    }
    exit(0);
  }

  void post(const std::string& line) {
    if (ch_.send(line)) watchChannelOut(true);
  }

  /** Frees the clients dropped during the last batch of events (the batch may still name them). */
  void freeGone() {
    for (Client* c : graveyard_) delete c;
    graveyard_.clear();
  }

  void watchChannelOut(bool on) {
    epoll_event ev{};
    ev.events = EPOLLIN | (on ? EPOLLOUT : 0u);
    ev.data.ptr = nullptr;
    epoll_ctl(ep_, EPOLL_CTL_MOD, ch_.fd(), &ev);
  }

 private:
  int ep_;
  Channel& ch_;
  std::unordered_map<long, Client*> byId_;
  std::vector<Client*> order_;  // adoption order, as the Node writer's Map; null = gone
  size_t gone_ = 0;
  std::vector<Client*> graveyard_;

  void handle(const Json& m, int fd) {
    const Json* t = m.get("t");
    const std::string kind = t && t->kind == Json::String ? t->text : "";
    const Json* id = m.get("id");
    const Json* bytes = m.get("b");
    if (kind == "adopt" && id) {
      adopt(static_cast<long>(id->number), fd);
      return;
    }
    if (fd >= 0) close(fd);
    if (kind == "all" && bytes) {
      for (size_t k = 0; k < order_.size(); k++)
        if (order_[k]) offer(order_[k], bytes->text);
      compact();
    } else if (kind == "one" && id && bytes) {
      auto it = byId_.find(static_cast<long>(id->number));
      if (it != byId_.end()) offer(it->second, bytes->text);
    } else if (kind == "end") {
      for (Client* c : order_)
        if (c) {
          c->endWanted = true;
          settleEnd(c);
        }
    } else if (kind == "reset") {
      resetAllAndExit();
    }
  }

  void report(const char* what, long id) {
    char line[64];
    snprintf(line, sizeof line, "{\"t\":\"%s\",\"id\":%ld}", what, id);
    post(line);
  }

  void adopt(long id, int fd) {
    if (fd < 0) {
      report("closed", id);  // the socket closed before it could be sent
      return;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    auto* c = new Client{};
    c->fd = fd;
    c->id = id;
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.ptr = c;
    if (epoll_ctl(ep_, EPOLL_CTL_ADD, fd, &ev) != 0) {
      close(fd);
      delete c;
      report("closed", id);
      return;
    }
    byId_[id] = c;
    c->slot = order_.size();
    order_.push_back(c);
    // A FIN that came before the handle would not wake epoll again: look now.
    onClientEvent(c, EPOLLIN);
  }

  size_t queued(Client* c) {
    const uint64_t taken = c->written - c->out.size();  // bytes the kernel took
    while (!c->ends.empty() && c->ends.front() <= taken) c->ends.pop_front();
    return c->ends.size();
  }

  void offer(Client* c, const std::string& bytes) {
    if (c->finSent || c->endWanted) return;  // not writable any more, as a Node socket after end()
    if (queued(c) >= kMaxQueued) {
      report("dropped", c->id);
      return;
    }
    c->out += bytes;
    c->written += bytes.size();
    c->ends.push_back(c->written);
    if (flush(c)) settleEnd(c);
  }

  // Writes what the kernel takes; false when the client is gone (reported).
  bool flush(Client* c) {
    size_t sent = 0;
    while (sent < c->out.size()) {
      ssize_t n = send(c->fd, c->out.data() + sent, c->out.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        sent += static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      drop(c);
      return false;
    }
    if (sent > 0) c->out.erase(0, sent);
    bool wantOut = !c->out.empty();
    if (wantOut != c->watchingOut) {
      epoll_event ev{};
      ev.events = EPOLLIN | EPOLLRDHUP | (wantOut ? EPOLLOUT : 0u);
      ev.data.ptr = c;
      epoll_ctl(ep_, EPOLL_CTL_MOD, c->fd, &ev);
      c->watchingOut = wantOut;
    }
    return true;
  }

  // FIN after the last byte when the emulator or the peer ended; close once both have.
  void settleEnd(Client* c) {
    if (!c->out.empty()) return;
    if (c->endWanted && !c->finSent) {  // a peer's FIN sets endWanted too
      shutdown(c->fd, SHUT_WR);
      c->finSent = true;
    }
    if (c->peerEnded && c->finSent) drop(c);
  }

  void drop(Client* c) {  // closes, reports and forgets the client
    if (c->gone) return;
    epoll_ctl(ep_, EPOLL_CTL_DEL, c->fd, nullptr);
    close(c->fd);
    byId_.erase(c->id);
    order_[c->slot] = nullptr;
    gone_++;
    c->gone = true;
    report("closed", c->id);
    graveyard_.push_back(c);
  }

  void compact() {
    if (gone_ * 2 < order_.size()) return;
    std::vector<Client*> kept;
    kept.reserve(order_.size() - gone_);
    for (Client* c : order_)
      if (c) {
        c->slot = kept.size();
        kept.push_back(c);
      }
    order_.swap(kept);
    gone_ = 0;
  }
};

}  // namespace

int main() {
  const char* channelFd = getenv("NODE_CHANNEL_FD");
  if (!channelFd) {
    fprintf(stderr, "sse-writer: started without NODE_CHANNEL_FD; the emulator starts this program itself\n");
    return 2;
  }
  Channel ch(atoi(channelFd));
  int ep = epoll_create1(EPOLL_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = nullptr;  // null: the channel
  if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, ch.fd(), &ev) != 0) {
    perror("sse-writer: epoll");
    return 1;
  }
  Writer w(ep, ch);
  w.post("{\"t\":\"ready\"}");
  epoll_event events[256];
  std::string line;
  for (;;) {
    int n = epoll_wait(ep, events, 256, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      perror("sse-writer: epoll_wait");
      w.resetAllAndExit();
    }
    for (int k = 0; k < n; k++) {
      if (events[k].data.ptr == nullptr) {
        if (events[k].events & EPOLLOUT) {
          if (!ch.flush()) w.watchChannelOut(false);
        }
        if (events[k].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
          bool open = ch.read();
          while (ch.nextLine(line)) w.onChannelLine(line);
          if (!open) w.resetAllAndExit();  // the emulator went away: as the board losing power
        }
      } else {
        w.onClientEvent(static_cast<Client*>(events[k].data.ptr), events[k].events);
      }
    }
    w.freeGone();
  }
}
