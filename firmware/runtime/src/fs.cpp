// fs::File and fs::FS over the board's file systems (see FS.h, SPIFFS.h, LittleFS.h), and the
// SPIFFS object. Every read is a call naming the volume (field c): fsRead brings a whole file
// (or says it is a directory), fsList a directory's entries.
#include <stdlib.h>
#include <string.h>

#include <atomic>
#include <string>
#include <vector>

#include "FS.h"
#include "SPIFFS.h"
#include "frame.h"
#include "fs-volume.h"
#include "link.h"

namespace lk = esp_sse::link;
namespace fv = esp_sse::fsvol;

namespace fs {

struct FileData {
  uint32_t volume = 0;
  std::string path;
  bool directory = false;
  bool open = true;
  std::string bytes;  // a file's content
  size_t pos = 0;
  bool listed = false;  // a directory's entries, fetched at the first openNextFile()
  std::vector<std::string> entries;
  size_t next = 0;
};

}  // namespace fs

namespace {

constexpr uint32_t kNone = 0, kFile = 1, kDirectory = 2;
constexpr uint32_t kVolumes = 2;

std::atomic<bool> mountedVolumes[kVolumes];
std::string basePaths[kVolumes] = {"/spiffs", "/littlefs"};

/** The file system's own checks before it asks the flash: mounted, and an absolute path. */
bool usable(const fs::FS &fs, const char *path) {
  if (!fs._mounted()) return false;
  if (!path || path[0] != '/') {
    log_e("%s does not start with /", path ? path : "(null)");
    return false;
  }
  return true;
}

std::shared_ptr<fs::FileData> readFromBoard(uint32_t volume, const char *path) {
  lk::Frame reply = lk::call(lk::callOp::fsRead, 0, path, std::string(), volume);
  if (reply.a == kNone) return nullptr;
  auto data = std::make_shared<fs::FileData>();
  data->volume = volume;
  data->path = path;
  data->directory = reply.a == kDirectory;
  if (reply.a == kFile) data->bytes = std::move(reply.s1);
  return data;
}

}  // namespace

namespace esp_sse {
namespace fsvol {

bool mounted(uint32_t volume) { return volume < kVolumes && mountedVolumes[volume]; }

void setMounted(uint32_t volume, bool on, const char *basePath) {
  if (volume >= kVolumes) return;
  if (on && basePath) basePaths[volume] = basePath;
  mountedVolumes[volume] = on;
}

std::string basePath(uint32_t volume) { return volume < kVolumes ? basePaths[volume] : std::string(); }

bool refusedWrite(uint32_t volume, const char *path, const char *what) {
  lk::call(lk::callOp::fsWrite, 0, path ? path : "", what, volume);
  return false;
}

size_t totalBytes(uint32_t volume) {
  return mounted(volume) ? lk::call(lk::callOp::fsInfo, 0, std::string(), std::string(), volume).a : 0;
}

size_t usedBytes(uint32_t volume) {
  return mounted(volume) ? lk::call(lk::callOp::fsInfo, 0, std::string(), std::string(), volume).b : 0;
}

}  // namespace fsvol
}  // namespace esp_sse

namespace fs {

// --- File ---------------------------------------------------------------------------------------------

size_t File::write(uint8_t) { return 0; }
size_t File::write(const uint8_t *, size_t) { return 0; }

int File::available() {
  if (!*this || _p->directory) return 0;
  return int(_p->bytes.size() - _p->pos);
}

int File::read() {
  uint8_t c;
  return read(&c, 1) == 1 ? c : -1;
}

int File::peek() {
  if (!*this || _p->directory || _p->pos >= _p->bytes.size()) return -1;
  return uint8_t(_p->bytes[_p->pos]);
}

void File::flush() {}

size_t File::read(uint8_t *buf, size_t size) {
  if (!*this || _p->directory) return 0;
  const size_t n = std::min(size, _p->bytes.size() - _p->pos);
  memcpy(buf, _p->bytes.data() + _p->pos, n);
  _p->pos += n;
  return n;
}

bool File::seek(uint32_t pos, SeekMode mode) {
  if (!*this || _p->directory) return false;
  long target = mode == SeekSet ? long(pos) : mode == SeekCur ? long(_p->pos) + long(pos) : long(_p->bytes.size()) + long(pos);
  if (target < 0 || size_t(target) > _p->bytes.size()) return false;
  _p->pos = size_t(target);
  return true;
}

size_t File::position() const { return *this ? _p->pos : 0; }
size_t File::size() const { return *this && !_p->directory ? _p->bytes.size() : 0; }
bool File::setBufferSize(size_t) { return bool(*this); }

void File::close() {
  if (_p) _p->open = false;
  _p.reset();
}

File::operator bool() const { return _p && _p->open; }
time_t File::getLastWrite() { return 0; }
const char *File::path() const { return *this ? _p->path.c_str() : nullptr; }
uint32_t File::_volume() const { return _p ? _p->volume : 0; }

const char *File::name() const {
  if (!*this) return nullptr;
  const char *slash = strrchr(_p->path.c_str(), '/');
  return slash ? slash + 1 : _p->path.c_str();
}

boolean File::isDirectory(void) { return *this && _p->directory; }

boolean File::seekDir(long position) {
  if (!isDirectory()) return false;
  _p->next = size_t(position);
  return true;
}

File File::openNextFile(const char *) {
  if (!isDirectory()) return File();
  if (!_p->listed) {
    // fsList: a = how many entries; l1 = their full paths, each followed by its size as
    // decimal text when the board sends sizes (2·a items) and alone when it does not (a items).
    lk::Frame reply = lk::call(lk::callOp::fsList, 0, _p->path, std::string(), _p->volume);
    const size_t step = reply.l1.size() == size_t(reply.a) * 2 && reply.a > 0 ? 2 : 1;
    for (size_t i = 0; i < reply.l1.size(); i += step) _p->entries.push_back(reply.l1[i]);
    _p->listed = true;
  }
  while (_p->next < _p->entries.size()) {
    if (auto data = readFromBoard(_p->volume, _p->entries[_p->next++].c_str())) return File(data);
  }
  return File();
}

String File::getNextFileName(void) {
  boolean dir;
  return getNextFileName(&dir);
}

String File::getNextFileName(boolean *isDir) {
  File next = openNextFile();
  if (!next) return String();
  if (isDir) *isDir = next.isDirectory();
  return String(next.path());
}

void File::rewindDirectory(void) {
  if (isDirectory()) _p->next = 0;
}

// --- FS -----------------------------------------------------------------------------------------------

bool FS::_mounted() const { return fv::mounted(_volumeId); }

File FS::open(const char *path, const char *mode, const bool) {
  if (!usable(*this, path)) return File();
  if (!mode || strcmp(mode, "r") != 0) {
    fv::refusedWrite(_volumeId, path, mode ? mode : "");
    return File();
  }
  auto data = readFromBoard(_volumeId, path);
  if (!data) {
    log_e("%s%s does not exist, no permits for creation", fv::basePath(_volumeId).c_str(), path);
    return File();
  }
  return File(data);
}

bool FS::exists(const char *path) { return usable(*this, path) && readFromBoard(_volumeId, path) != nullptr; }
bool FS::remove(const char *path) { return usable(*this, path) && fv::refusedWrite(_volumeId, path, "remove"); }

bool FS::rename(const char *pathFrom, const char *pathTo) {
  if (!usable(*this, pathFrom) || !usable(*this, pathTo)) return false;
  return fv::refusedWrite(_volumeId, pathFrom, (std::string("rename ") + pathTo).c_str());
}

bool FS::mkdir(const char *path) { return usable(*this, path) && fv::refusedWrite(_volumeId, path, "mkdir"); }
bool FS::rmdir(const char *path) { return usable(*this, path) && fv::refusedWrite(_volumeId, path, "rmdir"); }

// --- SPIFFSFS -----------------------------------------------------------------------------------------

SPIFFSFS::SPIFFSFS() : FS(lk::volume::spiffs) {}
SPIFFSFS::~SPIFFSFS() {}

bool SPIFFSFS::begin(bool formatOnFail, const char *basePath, uint8_t, const char *partitionLabel) {
  if (fv::mounted(_volumeId)) return true;
  lk::Frame reply = lk::call(lk::callOp::fsBegin, formatOnFail ? 1 : 0, partitionLabel ? partitionLabel : "", std::string(), _volumeId);
  fv::setMounted(_volumeId, reply.a != 0, basePath);
  return reply.a != 0;
}

bool SPIFFSFS::format() { return fv::refusedWrite(_volumeId, "/", "format"); }

size_t SPIFFSFS::totalBytes() { return fv::totalBytes(_volumeId); }

size_t SPIFFSFS::usedBytes() { return fv::usedBytes(_volumeId); }

void SPIFFSFS::end() { fv::setMounted(_volumeId, false, nullptr); }

}  // namespace fs

fs::SPIFFSFS SPIFFS;
