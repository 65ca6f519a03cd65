// The app's entry point (a sketch has no main): connect the sketch link, then run the sketch
// the way arduino-esp32 2.x does: a loopTask thread calls setup() once and loop() forever. The
// async_tcp thread starts later, at the first server.begin(). The process ends when the board
// closes the link (exit 0), after a panic frame (70), on a frame it cannot trust (3), or when
// the board kills it (restart).
#include <pthread.h>
#include <unistd.h>

#include <thread>

#include "Arduino.h"
#include "link.h"
#include "panic.h"

namespace {

void loopTask() {
  esp_sse::panic::threadInit();
  pthread_setname_np(pthread_self(), "loopTask");
  setup();
  for (;;) loop();
}

}  // namespace

int main() {
  esp_sse::link::start();  // sends hello (unless a global constructor already printed)
  std::thread(loopTask).detach();
  for (;;) pause();  // the reader thread and loopTask do the work
}
