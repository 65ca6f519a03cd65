// Host mirror of arduino-esp32 2.0.x libraries/SPIFFS/src/SPIFFS.h. Declarations only.
#pragma once

#include <FS.h>

namespace fs {
class SPIFFSFS : public FS {
public:
  SPIFFSFS();
  bool begin(bool formatOnFail = false, const char *basePath = "/spiffs", uint8_t maxOpenFiles = 10,
             const char *partitionLabel = NULL);
  size_t totalBytes();
  size_t usedBytes();
};
}  // namespace fs

extern fs::SPIFFSFS SPIFFS;
