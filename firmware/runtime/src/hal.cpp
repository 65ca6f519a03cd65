// Pins, analog, LEDC, random and the core's small helpers. Nothing here reaches the board: pins
// keep what was written so digitalRead() answers it back; analog inputs read 0.
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>

#include <atomic>
#include <mutex>

#include "Arduino.h"

namespace {

constexpr int kPins = 40;
std::atomic<uint8_t> pinLevel[kPins];
std::atomic<bool> pinWritten[kPins];

bool validPin(uint8_t pin) { return pin < kPins; }

std::atomic<bool> hardwareRandom{true};
std::mutex randLock;

}  // namespace

void pinMode(uint8_t pin, uint8_t mode) {
  if (!validPin(pin)) return;
  // An input with a pull-up that nothing drove reads HIGH; OUTPUT (0x03) has bit 0x02.
  if ((mode & PULLUP) && !(mode & 0x02) && !pinWritten[pin]) pinLevel[pin] = HIGH;
}

void digitalWrite(uint8_t pin, uint8_t val) {
  if (!validPin(pin)) return;
  pinLevel[pin] = val ? HIGH : LOW;
  pinWritten[pin] = true;
}

int digitalRead(uint8_t pin) { return validPin(pin) ? pinLevel[pin].load() : LOW; }

void attachInterrupt(uint8_t, void (*)(void), int) {}
void attachInterruptArg(uint8_t, void (*)(void *), void *, int) {}
void detachInterrupt(uint8_t) {}

uint16_t analogRead(uint8_t) { return 0; }
uint32_t analogReadMilliVolts(uint8_t) { return 0; }
void analogReadResolution(uint8_t) {}
void analogSetWidth(uint8_t) {}
void dacWrite(uint8_t, uint8_t) {}
uint16_t touchRead(uint8_t) { return 0; }

double ledcSetup(uint8_t, double freq, uint8_t) { return freq; }
void ledcWrite(uint8_t, uint32_t) {}
double ledcWriteTone(uint8_t, double freq) { return freq; }
uint32_t ledcRead(uint8_t) { return 0; }
double ledcReadFreq(uint8_t) { return 0; }
void ledcAttachPin(uint8_t, uint8_t) {}
void ledcDetachPin(uint8_t) {}
void analogWrite(uint8_t, int) {}

void tone(uint8_t, unsigned int, unsigned long) {}
void noTone(uint8_t) {}

unsigned long pulseIn(uint8_t, uint8_t, unsigned long) { return 0; }
unsigned long pulseInLong(uint8_t, uint8_t, unsigned long) { return 0; }

uint8_t shiftIn(uint8_t, uint8_t, uint8_t) { return 0; }
void shiftOut(uint8_t, uint8_t, uint8_t, uint8_t) {}

uint32_t getCpuFrequencyMhz(void) { return 240; }
bool setCpuFrequencyMhz(uint32_t mhz) { return mhz == 240 || mhz == 160 || mhz == 80; }
uint32_t getXtalFrequencyMhz(void) { return 40; }
uint32_t getApbFrequency(void) { return 80000000; }
float temperatureRead(void) { return 53.3f; }
void enableLoopWDT(void) {}
void disableLoopWDT(void) {}
bool feedLoopWDT(void) { return true; }
void enableCore0WDT(void) {}
void disableCore0WDT(void) {}
void enableCore1WDT(void) {}
void disableCore1WDT(void) {}

// --- random: the core uses the hardware RNG until randomSeed() with a non-zero seed ------------

extern "C" uint32_t esp_random(void) {
  uint32_t v;
  while (getrandom(&v, sizeof v, 0) != ssize_t(sizeof v)) {
  }
  return v;
}

extern "C" void esp_fill_random(void *buf, size_t len) {
  auto *p = static_cast<uint8_t *>(buf);
  while (len > 0) {
    const ssize_t n = getrandom(p, len, 0);
    if (n > 0) {
      p += n;
      len -= size_t(n);
    }
  }
}

void randomSeed(unsigned long seed) {
  if (seed == 0) return;
  std::lock_guard<std::mutex> lock(randLock);
  srand(unsigned(seed));
  hardwareRandom = false;
}

/** A value in [0, howbig): 32 random bits scaled by multiplication, rejecting the biased tail. */
long random(long howbig) {
  if (howbig <= 0) return 0;
  const uint32_t range = uint32_t(howbig);
  for (;;) {
    uint32_t x;
    if (hardwareRandom) {
      x = esp_random();
    } else {
      std::lock_guard<std::mutex> lock(randLock);
      x = uint32_t(rand()) ^ (uint32_t(rand()) << 16);
    }
    const uint64_t m = uint64_t(x) * range;
    const uint32_t low = uint32_t(m);
    if (low >= (0u - range) % range) return long(m >> 32);
  }
}

long random(long howsmall, long howbig) {
  if (howsmall >= howbig) return howsmall;
  return random(howbig - howsmall) + howsmall;
}

long map(long x, long in_min, long in_max, long out_min, long out_max) {
  const long run = in_max - in_min;
  if (run == 0) {
    log_e("map(): Invalid input range, min == max");
    return -1;
  }
  return (x - in_min) * (out_max - out_min) / run + out_min;
}

uint16_t makeWord(uint16_t w) { return w; }
uint16_t makeWord(byte h, byte l) { return uint16_t((h << 8) | l); }

// --- time of day: the host's wall clock stands in for SNTP ---------------------------------------

extern "C" void configTime(long gmtOffset_sec, int daylightOffset_sec, const char *, const char *, const char *) {
  // POSIX TZ offsets are west-positive: UTC+1 is "UTC-1".
  char tz[32];
  const long west = -(gmtOffset_sec + daylightOffset_sec);
  snprintf(tz, sizeof tz, "UTC%c%ld:%02ld", west < 0 ? '-' : '+', labs(west) / 3600, (labs(west) % 3600) / 60);
  setenv("TZ", tz, 1);
  tzset();
}

extern "C" void configTzTime(const char *tz, const char *, const char *, const char *) {
  setenv("TZ", tz, 1);
  tzset();
}

extern "C" bool getLocalTime(struct tm *info, uint32_t) {
  const time_t now = time(nullptr);
  localtime_r(&now, info);
  return true;
}
