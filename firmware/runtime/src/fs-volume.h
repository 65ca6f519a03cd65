// The runtime's side of the board's file systems, shared by SPIFFS.cpp's and LittleFS's objects
// (fs.cpp, littlefs.cpp): which volumes begin() mounted, where, and the board calls every volume
// makes. Internal to the runtime; sketches never include it.
#pragma once

#include <stdint.h>

#include <string>

namespace esp_sse {
namespace fsvol {

/** Whether `volume` (0 SPIFFS, 1 LittleFS) is mounted. */
bool mounted(uint32_t volume);
/** Records a begin() that succeeded (`basePath` is what error lines print before a path) or an end(). */
void setMounted(uint32_t volume, bool on, const char *basePath);
/** The mount point begin() was given ("/spiffs", "/littlefs"). */
std::string basePath(uint32_t volume);
/** A write the runtime does not emulate yet: the board refuses it and prints why. Always false. */
bool refusedWrite(uint32_t volume, const char *path, const char *what);

/** `totalBytes()` / `usedBytes()` of a volume: the board's `fsInfo` (0 when not mounted). */
size_t totalBytes(uint32_t volume);
size_t usedBytes(uint32_t volume);

}  // namespace fsvol
}  // namespace esp_sse
