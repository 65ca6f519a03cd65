// IPAddress: IPv4 octets, their uint32_t form, parsing and printing (see IPAddress.h).
#include "IPAddress.h"

#include <stdio.h>
#include <string.h>

IPAddress::IPAddress() { memset(_bytes, 0, sizeof(_bytes)); }

IPAddress::IPAddress(uint8_t first_octet, uint8_t second_octet, uint8_t third_octet, uint8_t fourth_octet) {
  _bytes[0] = first_octet;
  _bytes[1] = second_octet;
  _bytes[2] = third_octet;
  _bytes[3] = fourth_octet;
}

IPAddress::IPAddress(uint32_t address) { *this = address; }

IPAddress::IPAddress(const uint8_t *address) { memcpy(_bytes, address, sizeof(_bytes)); }

IPAddress &IPAddress::operator=(const uint8_t *address) {
  memcpy(_bytes, address, sizeof(_bytes));
  return *this;
}

IPAddress &IPAddress::operator=(uint32_t address) {
  for (int i = 0; i < 4; ++i) _bytes[i] = static_cast<uint8_t>(address >> (8 * i));
  return *this;
}

IPAddress::operator uint32_t() const {
  return static_cast<uint32_t>(_bytes[0]) | static_cast<uint32_t>(_bytes[1]) << 8 |
         static_cast<uint32_t>(_bytes[2]) << 16 | static_cast<uint32_t>(_bytes[3]) << 24;
}

bool IPAddress::operator==(const IPAddress &addr) const { return memcmp(_bytes, addr._bytes, sizeof(_bytes)) == 0; }

bool IPAddress::operator==(const uint8_t *addr) const { return memcmp(_bytes, addr, sizeof(_bytes)) == 0; }

bool IPAddress::fromString(const char *address) {
  // 2.0.x's parser: digits accumulate (an empty part counts as 0), '.' stores an octet.
  unsigned int acc = 0;
  int dots = 0;
  for (; *address; ++address) {
    char c = *address;
    if (c >= '0' && c <= '9') {
      acc = acc * 10 + static_cast<unsigned int>(c - '0');
      if (acc > 255) return false;
    } else if (c == '.') {
      if (dots == 3) return false;
      _bytes[dots++] = static_cast<uint8_t>(acc);
      acc = 0;
    } else {
      return false;
    }
  }
  if (dots != 3) return false;
  _bytes[3] = static_cast<uint8_t>(acc);
  return true;
}

size_t IPAddress::printTo(Print &p) const {
  size_t n = 0;
  for (int i = 0; i < 3; ++i) {
    n += p.print(_bytes[i], DEC);
    n += p.print('.');
  }
  n += p.print(_bytes[3], DEC);
  return n;
}

String IPAddress::toString() const {
  char text[16];
  snprintf(text, sizeof(text), "%u.%u.%u.%u", _bytes[0], _bytes[1], _bytes[2], _bytes[3]);
  return String(text);
}
