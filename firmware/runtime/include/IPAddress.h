// Arduino `IPAddress` (IPv4) for the host runtime, with the API and output of arduino-esp32
// 2.0.17's cores/esp32/IPAddress.{h,cpp} (LGPL-2.1; behaviour mirrored, code ours). The uint32_t
// form is the board's: the four octets in memory order on a little-endian CPU, so
// IPAddress(192, 168, 4, 1) converts to 0x0104A8C0 and back, whatever the host's byte order.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "Print.h"
#include "Printable.h"
#include "WString.h"

/** Four octets; prints as dotted decimal. */
class IPAddress : public Printable {
private:
  uint8_t _bytes[4];

public:
  /** 0.0.0.0 */
  IPAddress();
  IPAddress(uint8_t first_octet, uint8_t second_octet, uint8_t third_octet, uint8_t fourth_octet);
  /** The board's in-memory form: the lowest byte is the first octet. */
  IPAddress(uint32_t address);
  /** Four bytes, first octet first. */
  IPAddress(const uint8_t *address);
  virtual ~IPAddress() {}

  /**
   * Parses "a.b.c.d" (decimal, each at most 255, exactly three dots). On failure returns false;
   * octets already parsed have been stored.
   */
  bool fromString(const char *address);
  bool fromString(const String &address) { return fromString(address.c_str()); }

  operator uint32_t() const;
  bool operator==(const IPAddress &addr) const;
  bool operator==(const uint8_t *addr) const;
  uint8_t operator[](int index) const { return _bytes[index]; }
  uint8_t &operator[](int index) { return _bytes[index]; }
  IPAddress &operator=(const uint8_t *address);
  IPAddress &operator=(uint32_t address);

  /** "a.b.c.d" */
  virtual size_t printTo(Print &p) const;
  String toString() const;
};

// The core defines this constant; a system header may already have made it a macro.
#ifndef INADDR_NONE
const IPAddress INADDR_NONE(0, 0, 0, 0);
#endif
