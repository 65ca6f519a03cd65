// Arduino `Printable` (arduino-esp32 2.0.17 cores/esp32/Printable.h): an object that knows how to
// print itself, so `Print::print(obj)` works for it.
#pragma once

#include <stddef.h>

class Print;

/** Implemented by values that can be printed: `Serial.print(ip)`, `Serial.print(jsonVar)`. */
class Printable {
public:
  virtual ~Printable() {}
  /** Writes the value to `p`; returns the number of bytes written. */
  virtual size_t printTo(Print &p) const = 0;
};
