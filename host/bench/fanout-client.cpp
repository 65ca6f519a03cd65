// Fan-out bench client (see fanout.ts): N event-stream connections on one epoll loop, so the
// clients cost a few microseconds per event and the figures are about the server, not about
// the client's runtime. Usage: fanout-client HOST PORT COUNT WINDOW_MS PROBE_EVERY_MS
// Prints "connected <ramp_ms>" once every connection got its first event, waits for a line
// on stdin, measures for WINDOW_MS, prints one JSON result line and exits.
//
// Two clocks per event: when the kernel received it (SO_TIMESTAMPNS, stamped as the segment
// arrives on loopback, i.e. while the server writes it) and when this process read it. The
// first is about the server; the second adds this process's own wait for a core, which on a
// machine shared with the server is the bench's cost, not the board's. Both are reported.
//
// The clients share the server's cores, so what they spend is taken from the server: each
// event costs them one recvmsg (a second one only when the buffer filled), and they ACK every
// second segment rather than every one (TCP_QUICKACK off puts the connection in Linux's
// "interactive" delayed-ACK mode; a lone small segment would otherwise be ACKed as soon as it
// is read). On loopback every ACK runs the server socket's receive path inside the client's
// syscall. Measured at 2,000 clients: the clients' CPU from ~80 % to ~60 % of a core.
#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <utility>
#include <vector>

// CLOCK_REALTIME: the clock the kernel's receive timestamps use.
static double nowMs() {
  timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

struct Conn {
  int fd = -1;
  bool probe = false, connected = false, ended = false, lastLf = false;
  double connectedAt = 0, firstAt = -1, last = -1, lastRx = -1, windowFirst = -1, windowLast = -1;
  long inWindow = 0;
};

static const double binMs = 0.1;
static const int bins = 10000;
static std::vector<long> hist(bins, 0);      // gaps by kernel receive time
static std::vector<long> histRead(bins, 0);  // gaps by read time
static std::vector<Conn *> conns;
static std::vector<double> probes;
static bool windowOpen = false;
static int epfd;
static sockaddr_in addr;
static std::string request;

static Conn *openConn(bool probe) {
  Conn *c = new Conn();
  c->probe = probe;
  c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int one = 1;
  setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt(c->fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
  int r = connect(c->fd, (sockaddr *)&addr, sizeof addr);
  if (r < 0 && errno != EINPROGRESS) {
    perror("connect");
    exit(2);
  }
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP;
  ev.data.ptr = c;
  epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev);
  return c;
}

static void closeConn(Conn *c) {
  epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, nullptr);
  close(c->fd);
  c->ended = true;
}

static void count(std::vector<long> &h, double gap) {
  int b = (int)(gap / binMs);
  h[b < 0 ? 0 : b < bins ? b : bins - 1]++;
}

// `events` complete events arrived in one read at read time `t`; the kernel received the last
// of their bytes at `rx`. Events read together count one gap and then zero gaps, on both clocks.
static void onEvents(Conn *c, int events, double t, double rx) {
  if (events == 0) return;
  if (c->firstAt < 0) {
    c->firstAt = t;
    if (c->probe) {
      probes.push_back(rx - c->connectedAt);
      closeConn(c);
      return;
    }
    c->last = t;
    c->lastRx = rx;
    if (--events == 0) return;  // hello!
  }
  if (windowOpen) {
    for (int k = 0; k < events; k++) {
      if (c->windowFirst >= 0) {
        count(hist, k == 0 ? rx - c->lastRx : 0);
        count(histRead, k == 0 ? t - c->last : 0);
      }
      if (c->windowFirst < 0) c->windowFirst = rx;
      c->windowLast = rx;
      c->inWindow++;
    }
  }
  c->last = t;
  c->lastRx = rx;
}

static void handle(Conn *c, uint32_t ev) {
  static char buf[65536];
  double t = nowMs();
  if (!c->connected && (ev & EPOLLOUT)) {
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err) {
      closeConn(c);
      return;
    }
    c->connected = true;
    c->connectedAt = nowMs();  // the request goes out now
    if (write(c->fd, request.data(), request.size()) < 0) {
      closeConn(c);
      return;
    }
    int zero = 0;
    setsockopt(c->fd, IPPROTO_TCP, TCP_QUICKACK, &zero, sizeof zero);
    epoll_event e{};
    e.events = EPOLLIN | EPOLLRDHUP;
    e.data.ptr = c;
    epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &e);
  }
  if (ev & EPOLLIN) {
    for (;;) {
      iovec iov{buf, sizeof buf};
      alignas(cmsghdr) char control[256];
      msghdr msg{};
      msg.msg_iov = &iov;
      msg.msg_iovlen = 1;
      msg.msg_control = control;
      msg.msg_controllen = sizeof control;
      ssize_t n = recvmsg(c->fd, &msg, 0);
      double rx = t;
      for (cmsghdr *cm = CMSG_FIRSTHDR(&msg); n > 0 && cm; cm = CMSG_NXTHDR(&msg, cm)) {
        if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS) {
          timespec ts;
          memcpy(&ts, CMSG_DATA(cm), sizeof ts);
          rx = ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
        }
      }
      if (n > 0) {
        int events = 0;
        for (ssize_t i = 0; i < n; i++) {
          bool lf = buf[i] == '\n';
          if (lf && c->lastLf) events++;
          c->lastLf = lf;
        }
        onEvents(c, events, t, rx);
        if (c->ended || n < (ssize_t)sizeof buf) break;  // drained; level-triggered epoll says if more came
      } else if (n == 0 || errno != EAGAIN) {
        closeConn(c);
        return;
      } else {
        break;
      }
    }
  }
  if ((ev & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) && !c->ended) closeConn(c);
}

static void poll(int timeoutMs, bool *stdinLine) {
  epoll_event evs[512];
  int n = epoll_wait(epfd, evs, 512, timeoutMs);
  for (int i = 0; i < n; i++) {
    if (evs[i].data.ptr == nullptr) {
      char b[64];
      if (read(0, b, sizeof b) >= 0 && stdinLine) *stdinLine = true;
      continue;
    }
    handle((Conn *)evs[i].data.ptr, evs[i].events);
  }
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: %s HOST PORT COUNT WINDOW_MS PROBE_EVERY_MS\n", argv[0]);
    return 2;
  }
  const char *host = argv[1];
  int port = atoi(argv[2]), count = atoi(argv[3]);
  double windowMs = atof(argv[4]), probeEvery = atof(argv[5]);
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  inet_pton(AF_INET, host, &addr.sin_addr);
  request = std::string("GET /sse HTTP/1.1\r\nHost: ") + host + ":" + argv[2] + "\r\nAccept: text/event-stream\r\n\r\n";
  epfd = epoll_create1(0);
  epoll_event sev{};
  sev.events = EPOLLIN;
  sev.data.ptr = nullptr;
  epoll_ctl(epfd, EPOLL_CTL_ADD, 0, &sev);

  // Ramp: at most 64 connections waiting for their first event at a time.
  double t0 = nowMs();
  int opened = 0;
  for (;;) {
    int pending = 0, ready = 0;
    for (Conn *c : conns) {
      if (c->ended) continue;
      if (c->firstAt < 0) pending++;
      else ready++;
    }
    while (opened < count && pending < 64) {
      conns.push_back(openConn(false));
      opened++;
      pending++;
    }
    if (opened == count && pending == 0) break;
    poll(100, nullptr);
  }
  long lostAtRamp = 0;
  for (Conn *c : conns) lostAtRamp += c->ended;
  printf("connected %.1f %ld\n", nowMs() - t0, (long)conns.size() - lostAtRamp);
  fflush(stdout);

  bool go = false;
  while (!go) poll(100, &go);
  windowOpen = true;
  double start = nowMs(), nextProbe = start;
  std::vector<Conn *> probeConns;
  while (nowMs() - start < windowMs) {
    if (probeEvery > 0 && nowMs() >= nextProbe) {
      probeConns.push_back(openConn(true));
      nextProbe += probeEvery;
    }
    poll(1, nullptr);
  }
  windowOpen = false;

  long lost = 0;
  std::string out = "{\"rates\":[";
  bool first = true;
  for (Conn *c : conns) {
    if (c->ended) {
      lost++;
      continue;
    }
    double rate = c->inWindow > 1 && c->windowLast > c->windowFirst ? (c->inWindow - 1) * 1000.0 / (c->windowLast - c->windowFirst) : 0;
    char b[32];
    snprintf(b, sizeof b, "%s%.3f", first ? "" : ",", rate);
    out += b;
    first = false;
  }
  out += "],\"firstEventMs\":[";
  for (size_t i = 0; i < probes.size(); i++) {
    char b[32];
    snprintf(b, sizeof b, "%s%.3f", i ? "," : "", probes[i]);
    out += b;
  }
  for (auto [name, h] : {std::make_pair("gaps", &hist), std::make_pair("gapsRead", &histRead)}) {
    out += std::string("],\"") + name + "\":[";
    first = true;
    for (int i = 0; i < bins; i++) {
      if (!(*h)[i]) continue;
      char b[48];
      snprintf(b, sizeof b, "%s[%d,%ld]", first ? "" : ",", i, (*h)[i]);
      out += b;
      first = false;
    }
  }
  char tail[96];
  snprintf(tail, sizeof tail, "],\"lost\":%ld,\"rampMs\":%.1f}\n", lost, 0.0);
  out += tail;
  fputs(out.c_str(), stdout);
  fflush(stdout);
  return 0;
}
