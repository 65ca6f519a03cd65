// Host mirror of arduino-esp32 2.0.x libraries/ESPmDNS/src/ESPmDNS.h (read at 0f17f7d).
// Declarations only.
#pragma once

#include <Arduino.h>

class MDNSResponder {
public:
  MDNSResponder();
  ~MDNSResponder();
  bool begin(const String &hostName);
  bool begin(const char *hostName);
  void end();

  bool addService(char *service, char *proto, uint16_t port);
  bool addService(const char *service, const char *proto, uint16_t port);
  bool addService(String service, String proto, uint16_t port);

  bool addServiceTxt(char *name, char *proto, char *key, char *value);
  void addServiceTxt(const char *name, const char *proto, const char *key, const char *value);
  void addServiceTxt(String name, String proto, String key, String value);
};

extern MDNSResponder MDNS;
