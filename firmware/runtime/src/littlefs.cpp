// The LittleFS object (LittleFS.h). The board mounts, formats and reads the partition; the
// esp_littlefs lines a failed mount prints come from the board, the core's own log_e line
// from here (arduino-esp32 2.0.17 libraries/LittleFS/src/LittleFS.cpp).
#include <string>

#include "LittleFS.h"
#include "frame.h"
#include "fs-volume.h"
#include "link.h"

namespace lk = esp_sse::link;
namespace fv = esp_sse::fsvol;

namespace fs {

LittleFSFS::LittleFSFS() : FS(lk::volume::littlefs) {}
LittleFSFS::~LittleFSFS() {}

bool LittleFSFS::begin(bool formatOnFail, const char *basePath, uint8_t, const char *partitionLabel) {
  _label = partitionLabel ? partitionLabel : "";
  if (fv::mounted(_volumeId)) {
    log_w("LittleFS Already Mounted!");
    return true;
  }
  // reply: a = mounted, b = the esp_err_t esp_vfs_littlefs_register returned last.
  lk::Frame reply = lk::call(lk::callOp::fsBegin, formatOnFail ? 1 : 0, _label, std::string(), _volumeId);
  if (reply.a == 0) {
    // The core's log_e, with the file and line the board prints ("[E][LittleFS.cpp:98] begin(): "
    // as 2.0.17-era boards show it, clevercoffee #529) rather than this file's.
#if ARDUHAL_LOG_LEVEL >= ARDUHAL_LOG_LEVEL_ERROR
    log_printf("[%6u][E][LittleFS.cpp:98] begin(): Mounting LittleFS failed! Error: %d\r\n",
               (unsigned int)(esp_timer_get_time() / 1000ULL), int(int32_t(reply.b)));
#endif
    return false;
  }
  fv::setMounted(_volumeId, true, basePath);
  return true;
}

bool LittleFSFS::format() {
  lk::Frame reply = lk::call(lk::callOp::fsFormat, 0, _label, std::string(), _volumeId);
  if (reply.a == 0) {
    log_e("Formatting LittleFS failed! Error: %d", int32_t(reply.b));
    return false;
  }
  return true;
}

size_t LittleFSFS::totalBytes() { return fv::totalBytes(_volumeId); }

size_t LittleFSFS::usedBytes() { return fv::usedBytes(_volumeId); }

void LittleFSFS::end() { fv::setMounted(_volumeId, false, nullptr); }

}  // namespace fs

fs::LittleFSFS LittleFS;
