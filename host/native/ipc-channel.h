// The SSE writer's end of Node's IPC channel (a child started with an 'ipc' stdio entry; the
// descriptor is in NODE_CHANNEL_FD): JSON lines both ways, and the descriptors Node attaches
// (SCM_RIGHTS) to the line of a NODE_HANDLE message, kept in order for those lines.
#pragma once

#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <string>

namespace sse_writer {

constexpr int kMaxFdsPerRead = 64;

class Channel {
 public:
  explicit Channel(int fd) : fd_(fd) {}
  int fd() const { return fd_; }

  // Queues one line for the emulator; true when bytes wait for EPOLLOUT.
  bool send(const std::string& line) {
    out_ += line;
    out_ += '\n';
    return flush();
  }
  bool flush() {
    while (!out_.empty()) {
      ssize_t n = ::send(fd_, out_.data(), out_.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        out_.erase(0, static_cast<size_t>(n));
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        return errno == EAGAIN || errno == EWOULDBLOCK;  // otherwise the emulator is gone: reading sees it
      }
    }
    return false;
  }

  // Reads what is there; false when the emulator closed the channel.
  bool read() {
    char buf[65536];
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFdsPerRead)];
    for (;;) {
      iovec iov{buf, sizeof buf};
      msghdr m{};
      m.msg_iov = &iov;
      m.msg_iovlen = 1;
      m.msg_control = control;
      m.msg_controllen = sizeof control;
      ssize_t n = recvmsg(fd_, &m, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
      if (n < 0) {
        if (errno == EINTR) continue;
        return errno == EAGAIN || errno == EWOULDBLOCK;
      }
      for (cmsghdr* c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t k = 0; k < count; k++) {
          int fd;
          memcpy(&fd, CMSG_DATA(c) + k * sizeof(int), sizeof fd);
          fds_.push_back(fd);
        }
      }
      if (n == 0) return false;
      in_.append(buf, static_cast<size_t>(n));
    }
  }

  // The next complete line, if any.
  bool nextLine(std::string& line) {
    size_t nl = in_.find('\n', inHead_);
    if (nl == std::string::npos) {
      in_.erase(0, inHead_);
      inHead_ = 0;
      return false;
    }
    line.assign(in_, inHead_, nl - inHead_);
    inHead_ = nl + 1;
    return true;
  }

  // The fd that came with the next NODE_HANDLE line (they arrive in order); -1 if none did.
  int takeFd() {
    if (fds_.empty()) return -1;
    int fd = fds_.front();
    fds_.pop_front();
    return fd;
  }

 private:
  int fd_;
  std::string in_;
  size_t inHead_ = 0;
  std::string out_;
  std::deque<int> fds_;
};

}  // namespace sse_writer
