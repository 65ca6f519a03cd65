// esp-sse native runtime: arduino-esp32 2.0.17's LittleFS object, backed by the board's LittleFS
// model: begin() mounts the data partition labelled `partitionLabel` ("spiffs" by default, as
// on the board) out of the emulated flash; a partition that holds no LittleFS fails with the
// board's log lines, or is formatted first when `formatOnFail`. Reads as for SPIFFS (FS.h);
// writes are refused as for SPIFFS.
#pragma once

#include <string>

#include "FS.h"

namespace fs {

class LittleFSFS : public FS {
public:
  LittleFSFS();
  ~LittleFSFS();
  /** Asks the board to mount the partition; true when it did (after formatting it, if asked). */
  bool begin(bool formatOnFail = false, const char *basePath = "/littlefs", uint8_t maxOpenFiles = 10,
             const char *partitionLabel = "spiffs");
  /** Writes an empty LittleFS into the partition (esp_littlefs_format); true when it did. */
  bool format();
  size_t totalBytes();
  size_t usedBytes();
  void end();

private:
  std::string _label = "spiffs";
};

}  // namespace fs

extern fs::LittleFSFS LittleFS;
