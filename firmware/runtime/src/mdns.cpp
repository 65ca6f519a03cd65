// MDNS (see ESPmDNS.h): calls and `mdns` frames to the board's responder.
#include "ESPmDNS.h"
#include "frame.h"
#include "link.h"

namespace lk = esp_sse::link;

MDNSResponder MDNS;

namespace {

void sendMdns(uint32_t what, uint32_t port, const char *service, const char *proto, const char *key,
              const char *value) {
  lk::Frame f;
  f.type = lk::type::mdns;
  f.a = what;
  f.b = port;
  f.s1 = service ? service : "";
  f.s2 = proto ? proto : "";
  f.s3 = key ? key : "";
  f.s4 = value ? value : "";
  lk::send(f);
}

}  // namespace

MDNSResponder::MDNSResponder() {}
MDNSResponder::~MDNSResponder() {}

bool MDNSResponder::begin(const char *hostName) {
  return lk::call(lk::callOp::mdnsBegin, 0, hostName ? hostName : "").a != 0;
}

void MDNSResponder::end() {}
void MDNSResponder::setInstanceName(String) {}

bool MDNSResponder::addService(char *service, char *proto, uint16_t port) {
  sendMdns(1, port, service, proto, nullptr, nullptr);
  return true;
}

bool MDNSResponder::addServiceTxt(char *name, char *proto, char *key, char *value) {
  sendMdns(2, 0, name, proto, key, value);
  return true;
}

void MDNSResponder::enableArduino(uint16_t, bool) {}
void MDNSResponder::disableArduino() {}
void MDNSResponder::enableWorkstation(int) {}
void MDNSResponder::disableWorkstation() {}
IPAddress MDNSResponder::queryHost(char *, uint32_t) { return IPAddress(); }
int MDNSResponder::queryService(char *, char *) { return 0; }
String MDNSResponder::hostname(int) { return String(); }
IPAddress MDNSResponder::IP(int) { return IPAddress(); }
uint16_t MDNSResponder::port(int) { return 0; }
int MDNSResponder::numTxt(int) { return 0; }
String MDNSResponder::txt(int, int) { return String(); }
