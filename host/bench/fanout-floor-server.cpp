// Fan-out bench baseline "raw c" (see fanout.ts): the least any server can do for the same
// stream on this machine, so the emulator's figures can be read against the machine's floor.
// One epoll loop: accept, wait for the request's blank line, send the head and hello!, then at
// every tick of the board's schedule write one event to every stream. No HTTP parsing, no queue
// model, no runtime. Usage: fanout-floor-server PERIOD_MS; prints its port, runs until killed.
#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include <vector>

struct Conn {
  int fd;
  std::string request;
  long stream = -1;  // index in `streams` once the head is sent
};

static const char head[] =
    "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n"
    "Accept-Ranges: none\r\nContent-Type: text/event-stream\r\n\r\nretry: 10000\nid: 1\ndata: hello!\n\n";
static std::vector<Conn *> streams;
static int epfd;

static void drop(Conn *c) {
  epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, nullptr);
  close(c->fd);
  if (c->stream >= 0) {
    Conn *last = streams.back();
    streams[c->stream] = last;
    last->stream = c->stream;
    streams.pop_back();
  }
  delete c;
}

static timespec at(double ms) {
  return timespec{(time_t)(ms / 1e3), (long)((ms - (time_t)(ms / 1e3) * 1e3) * 1e6)};
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s PERIOD_MS\n", argv[0]);
    return 2;
  }
  const double period = atof(argv[1]);
  signal(SIGPIPE, SIG_IGN);
  int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(ls, (sockaddr *)&addr, sizeof addr) < 0 || listen(ls, 4096) < 0 || getsockname(ls, (sockaddr *)&addr, &len) < 0) {
    perror("listen");
    return 2;
  }
  printf("%d\n", ntohs(addr.sin_port));
  fflush(stdout);

  epfd = epoll_create1(0);
  int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = &ls;
  epoll_ctl(epfd, EPOLL_CTL_ADD, ls, &ev);
  ev.data.ptr = &tfd;
  epoll_ctl(epfd, EPOLL_CTL_ADD, tfd, &ev);

  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  const double t0 = now.tv_sec * 1e3 + now.tv_nsec / 1e6;
  long n = 0;
  itimerspec due{{0, 0}, at(t0)};
  timerfd_settime(tfd, TFD_TIMER_ABSTIME, &due, nullptr);

  const int one = 1;
  char buf[4096];
  epoll_event evs[256];
  for (;;) {
    int k = epoll_wait(epfd, evs, 256, -1);
    for (int i = 0; i < k; i++) {
      void *p = evs[i].data.ptr;
      if (p == &ls) {
        for (int fd; (fd = accept4(ls, nullptr, nullptr, SOCK_NONBLOCK)) >= 0;) {
          setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          epoll_event ce{};
          ce.events = EPOLLIN;
          ce.data.ptr = new Conn{fd, ""};
          epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ce);
        }
      } else if (p == &tfd) {
        // One tick per turn (as the emulator's scheduler), the next one due on the schedule.
        uint64_t expirations;
        if (read(tfd, &expirations, sizeof expirations) < 0) continue;
        long ms = (long)(n * period) + 1;
        char event[96];
        int size = snprintf(event, sizeof event, "id: %ld\nevent: time_reading\ndata: {\"time\":\"%ld\"}\n\n", ms, ms);
        for (size_t s = 0; s < streams.size(); s++) {
          if (write(streams[s]->fd, event, size) < 0 && errno != EAGAIN) shutdown(streams[s]->fd, SHUT_RDWR);
        }
        n++;
        due.it_value = at(t0 + n * period);
        timerfd_settime(tfd, TFD_TIMER_ABSTIME, &due, nullptr);
      } else {
        Conn *c = (Conn *)p;
        ssize_t r = read(c->fd, buf, sizeof buf);
        if (r == 0 || (r < 0 && errno != EAGAIN)) {
          drop(c);
        } else if (r > 0 && c->stream < 0) {
          c->request.append(buf, r);
          if (c->request.find("\r\n\r\n") == std::string::npos) continue;
          if (write(c->fd, head, sizeof head - 1) < 0) {
            drop(c);
            continue;
          }
          c->stream = (long)streams.size();
          streams.push_back(c);
        }
      }
    }
  }
}
