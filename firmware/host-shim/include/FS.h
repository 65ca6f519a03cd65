// Host mirror of arduino-esp32 2.0.x libraries/FS/src/FS.h: only the names the sketch and the
// mirrored ESPAsyncWebServer.h use. Declarations only.
#pragma once

#include <Arduino.h>

namespace fs {
class FS {
public:
  bool exists(const char *path);
  bool exists(const String &path);
};
}  // namespace fs

#ifndef FS_NO_GLOBALS
using fs::FS;
#endif
