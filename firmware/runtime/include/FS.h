// esp-sse native runtime: arduino-esp32 2.0.17's FS.h (namespace fs: File, FS). The board owns
// the flash: opening a file reads it whole from the board's SPIFFS or LittleFS model into the File, so
// reading, seeking and walking a directory are local after open(). Writes are not emulated
// yet: open for "w"/"a", remove, rename, mkdir, rmdir ask the board, which refuses (and says
// so); they return an invalid File / false, as a full or read-only flash would.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <memory>

#include "Arduino.h"

namespace fs {

#define FILE_READ "r"
#define FILE_WRITE "w"
#define FILE_APPEND "a"

enum SeekMode { SeekSet = 0, SeekCur = 1, SeekEnd = 2 };

/** An open file's bytes and position, or a directory's listing (runtime-internal). */
struct FileData;
class FS;

class File : public Stream {
public:
  File() {}
  explicit File(std::shared_ptr<FileData> data) : _p(std::move(data)) {}

  size_t write(uint8_t) override;
  size_t write(const uint8_t *buf, size_t size) override;
  int available() override;
  int read() override;
  int peek() override;
  void flush();
  size_t read(uint8_t *buf, size_t size);
  size_t readBytes(char *buffer, size_t length) { return read((uint8_t *)buffer, length); }

  bool seek(uint32_t pos, SeekMode mode);
  bool seek(uint32_t pos) { return seek(pos, SeekSet); }
  size_t position() const;
  size_t size() const;
  bool setBufferSize(size_t size);
  void close();
  operator bool() const;
  time_t getLastWrite();
  const char *path() const;
  /** The part of path() after its last '/' (arduino-esp32 2.x). */
  const char *name() const;
  /** Runtime-internal: the volume the file was read from (0 SPIFFS, 1 LittleFS). */
  uint32_t _volume() const;

  boolean isDirectory(void);
  boolean seekDir(long position);
  File openNextFile(const char *mode = FILE_READ);
  String getNextFileName(void);
  String getNextFileName(boolean *isDir);
  void rewindDirectory(void);

  using Print::write;

protected:
  std::shared_ptr<FileData> _p;
};

class FS {
public:
  /** `volume` tells the board which file system: 0 SPIFFS, 1 LittleFS (the link's `Volume`). */
  explicit FS(uint32_t volume = 0) : _volumeId(volume) {}
  virtual ~FS() {}

  File open(const char *path, const char *mode = FILE_READ, const bool create = false);
  File open(const String &path, const char *mode = FILE_READ, const bool create = false) {
    return open(path.c_str(), mode, create);
  }

  bool exists(const char *path);
  bool exists(const String &path) { return exists(path.c_str()); }

  bool remove(const char *path);
  bool remove(const String &path) { return remove(path.c_str()); }

  bool rename(const char *pathFrom, const char *pathTo);
  bool rename(const String &pathFrom, const String &pathTo) { return rename(pathFrom.c_str(), pathTo.c_str()); }

  bool mkdir(const char *path);
  bool mkdir(const String &path) { return mkdir(path.c_str()); }

  bool rmdir(const char *path);
  bool rmdir(const String &path) { return rmdir(path.c_str()); }

  /** Runtime-internal: whether begin() mounted it (set by SPIFFSFS / LittleFSFS). */
  bool _mounted() const;
  /** Runtime-internal: which file system it is (0 SPIFFS, 1 LittleFS). */
  uint32_t _volume() const { return _volumeId; }

protected:
  uint32_t _volumeId;
};

}  // namespace fs

#ifndef FS_NO_GLOBALS
using fs::File;
using fs::FS;
using fs::SeekCur;
using fs::SeekEnd;
using fs::SeekMode;
using fs::SeekSet;
#endif
