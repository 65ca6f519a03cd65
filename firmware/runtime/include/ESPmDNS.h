// esp-sse native runtime: arduino-esp32 2.0.17's MDNS object. The board owns the mDNS responder:
// begin() asks it to answer for "<hostname>.local", addService/addServiceTxt tell it what to
// announce (service and proto as the sketch wrote them, with or without the leading "_"; the
// board normalises). Queries find nothing.
#pragma once

#include "Arduino.h"
#include "IPAddress.h"

class MDNSResponder {
public:
  MDNSResponder();
  ~MDNSResponder();
  bool begin(const String &hostName) { return begin(hostName.c_str()); }
  bool begin(const char *hostName);
  void end();

  void setInstanceName(String name);
  void setInstanceName(const char *name) { setInstanceName(String(name)); }
  void setInstanceName(char *name) { setInstanceName(String(name)); }

  bool addService(char *service, char *proto, uint16_t port);
  bool addService(const char *service, const char *proto, uint16_t port) {
    return addService((char *)service, (char *)proto, port);
  }
  bool addService(String service, String proto, uint16_t port) {
    return addService(service.c_str(), proto.c_str(), port);
  }

  bool addServiceTxt(char *name, char *proto, char *key, char *value);
  void addServiceTxt(const char *name, const char *proto, const char *key, const char *value) {
    addServiceTxt((char *)name, (char *)proto, (char *)key, (char *)value);
  }
  void addServiceTxt(String name, String proto, String key, String value) {
    addServiceTxt(name.c_str(), proto.c_str(), key.c_str(), value.c_str());
  }

  void enableArduino(uint16_t port = 3232, bool auth = false);
  void disableArduino();
  void enableWorkstation(int interface = 0);
  void disableWorkstation();

  IPAddress queryHost(char *host, uint32_t timeout = 2000);
  IPAddress queryHost(const char *host, uint32_t timeout = 2000) { return queryHost((char *)host, timeout); }
  IPAddress queryHost(String host, uint32_t timeout = 2000) { return queryHost(host.c_str(), timeout); }

  int queryService(char *service, char *proto);
  int queryService(const char *service, const char *proto) { return queryService((char *)service, (char *)proto); }
  int queryService(String service, String proto) { return queryService(service.c_str(), proto.c_str()); }

  String hostname(int idx);
  IPAddress IP(int idx);
  uint16_t port(int idx);
  int numTxt(int idx);
  String txt(int idx, int txtIdx);
};

extern MDNSResponder MDNS;
