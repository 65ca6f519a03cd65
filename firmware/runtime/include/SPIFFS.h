// esp-sse native runtime: arduino-esp32 2.0.17's SPIFFS object, backed by the board's SPIFFS
// model (the image flashed to the emulated board's spiffs partition).
#pragma once

#include "FS.h"

namespace fs {

class SPIFFSFS : public FS {
public:
  SPIFFSFS();
  ~SPIFFSFS();
  /** Asks the board to mount its spiffs partition; true when it did. */
  bool begin(bool formatOnFail = false, const char *basePath = "/spiffs", uint8_t maxOpenFiles = 10,
             const char *partitionLabel = NULL);
  /** Not emulated yet: the board refuses (false). */
  bool format();
  size_t totalBytes();
  size_t usedBytes();
  void end();
};

}  // namespace fs

extern fs::SPIFFSFS SPIFFS;
