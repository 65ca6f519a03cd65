// The emulated station (see WiFi.h). State is plain and local: nothing here reaches the board,
// which already answers on ESP_SSE_IP.
#include <stdio.h>
#include <string.h>

#include <atomic>
#include <mutex>
#include <string>

#include "WiFi.h"
#include "board-env.h"
#include "link.h"
#include "warnings.h"

WiFiClass WiFi;

namespace {

std::mutex stateLock;
std::atomic<wifi_mode_t> currentMode{WIFI_MODE_NULL};
std::atomic<wl_status_t> currentStatus{WL_IDLE_STATUS};
std::string ssid, passphrase;
std::string hostName;
bool hostnameSet = false;

IPAddress parse(const std::string &text) {
  IPAddress ip;
  ip.fromString(text.c_str());
  return ip;
}

String macText(const uint8_t *m) {
  char text[18];
  snprintf(text, sizeof text, "%02X:%02X:%02X:%02X:%02X:%02X", m[0], m[1], m[2], m[3], m[4], m[5]);
  return String(text);
}

void softApNotEmulated() {
  esp_sse::link::warnOnce(esp_sse::warning::softAp);
}

}  // namespace

// --- WiFiGenericClass ----------------------------------------------------------------------------

wifi_event_id_t WiFiGenericClass::onEvent(WiFiEventCb, arduino_event_id_t) { return 0; }
wifi_event_id_t WiFiGenericClass::onEvent(WiFiEventFuncCb, arduino_event_id_t) { return 0; }
wifi_event_id_t WiFiGenericClass::onEvent(WiFiEventSysCb, arduino_event_id_t) { return 0; }
void WiFiGenericClass::removeEvent(WiFiEventCb, arduino_event_id_t) {}
void WiFiGenericClass::removeEvent(WiFiEventSysCb, arduino_event_id_t) {}
void WiFiGenericClass::removeEvent(wifi_event_id_t) {}

bool WiFiGenericClass::mode(wifi_mode_t m) {
  if (m == WIFI_MODE_AP || m == WIFI_MODE_APSTA) softApNotEmulated();
  currentMode = m;
  if (m == WIFI_MODE_NULL) currentStatus = WL_NO_SHIELD;
  return true;
}

wifi_mode_t WiFiGenericClass::getMode() { return currentMode; }
int32_t WiFiGenericClass::channel(void) { return 6; }
void WiFiGenericClass::persistent(bool) {}
void WiFiGenericClass::enableLongRange(bool) {}
bool WiFiGenericClass::enableSTA(bool enable) {
  const int m = currentMode;
  return mode(wifi_mode_t(enable ? (m | WIFI_MODE_STA) : (m & ~WIFI_MODE_STA)));
}
bool WiFiGenericClass::enableAP(bool enable) {
  const int m = currentMode;
  return mode(wifi_mode_t(enable ? (m | WIFI_MODE_AP) : (m & ~WIFI_MODE_AP)));
}
bool WiFiGenericClass::setSleep(bool) { return true; }
bool WiFiGenericClass::getSleep() { return true; }
bool WiFiGenericClass::setTxPower(wifi_power_t) { return true; }
wifi_power_t WiFiGenericClass::getTxPower() { return WIFI_POWER_19_5dBm; }

const char *WiFiGenericClass::getHostname() {
  std::lock_guard<std::mutex> lock(stateLock);
  if (!hostnameSet) {
    // The core's default: "esp32-" and the last three MAC bytes in upper-case hex.
    const uint8_t *m = esp_sse::board::mac();
    char text[16];
    snprintf(text, sizeof text, "esp32-%02X%02X%02X", m[3], m[4], m[5]);
    hostName = text;
    hostnameSet = true;
  }
  return hostName.c_str();
}

bool WiFiGenericClass::setHostname(const char *name) {
  std::lock_guard<std::mutex> lock(stateLock);
  hostName = name ? name : "";
  hostnameSet = true;
  return true;
}

int WiFiGenericClass::hostByName(const char *, IPAddress &result) {
  result = IPAddress();
  return 0;
}

// --- WiFiSTAClass ----------------------------------------------------------------------------------

wl_status_t WiFiSTAClass::begin(const char *name, const char *pass, int32_t, const uint8_t *, bool connect) {
  {
    std::lock_guard<std::mutex> lock(stateLock);
    ssid = name ? name : "";
    passphrase = pass ? pass : "";
  }
  if (!(currentMode & WIFI_MODE_STA)) currentMode = wifi_mode_t(currentMode | WIFI_MODE_STA);
  currentStatus = connect ? WL_CONNECTED : WL_DISCONNECTED;
  return currentStatus;
}

wl_status_t WiFiSTAClass::begin(char *name, char *pass, int32_t channel, const uint8_t *bssid, bool connect) {
  return begin((const char *)name, (const char *)pass, channel, bssid, connect);
}

wl_status_t WiFiSTAClass::begin() {
  if (!(currentMode & WIFI_MODE_STA)) currentMode = wifi_mode_t(currentMode | WIFI_MODE_STA);
  currentStatus = WL_CONNECTED;
  return currentStatus;
}

bool WiFiSTAClass::config(IPAddress, IPAddress, IPAddress, IPAddress, IPAddress) { return true; }
bool WiFiSTAClass::reconnect() {
  currentStatus = WL_CONNECTED;
  return true;
}
bool WiFiSTAClass::disconnect(bool wifioff, bool) {
  currentStatus = WL_DISCONNECTED;
  if (wifioff) currentMode = wifi_mode_t(currentMode & ~WIFI_MODE_STA);
  return true;
}
bool WiFiSTAClass::eraseAP(void) { return true; }
bool WiFiSTAClass::isConnected() { return currentStatus == WL_CONNECTED; }
bool WiFiSTAClass::setAutoConnect(bool) { return true; }
bool WiFiSTAClass::getAutoConnect() { return true; }
bool WiFiSTAClass::setAutoReconnect(bool) { return true; }
bool WiFiSTAClass::getAutoReconnect() { return true; }
uint8_t WiFiSTAClass::waitForConnectResult(unsigned long) { return currentStatus; }

IPAddress WiFiSTAClass::localIP() {
  return currentStatus == WL_CONNECTED ? parse(esp_sse::board::ip()) : IPAddress();
}

uint8_t *WiFiSTAClass::macAddress(uint8_t *mac) {
  memcpy(mac, esp_sse::board::mac(), 6);
  return mac;
}

String WiFiSTAClass::macAddress() { return macText(esp_sse::board::mac()); }
IPAddress WiFiSTAClass::subnetMask() { return IPAddress(255, 255, 255, 0); }

IPAddress WiFiSTAClass::gatewayIP() {
  IPAddress ip = localIP();
  return IPAddress(ip[0], ip[1], ip[2], 1);
}

IPAddress WiFiSTAClass::dnsIP(uint8_t) { return gatewayIP(); }

IPAddress WiFiSTAClass::broadcastIP() {
  IPAddress ip = localIP();
  return IPAddress(ip[0], ip[1], ip[2], 255);
}

IPAddress WiFiSTAClass::networkID() {
  IPAddress ip = localIP();
  return IPAddress(ip[0], ip[1], ip[2], 0);
}

uint8_t WiFiSTAClass::subnetCIDR() { return 24; }
wl_status_t WiFiSTAClass::status() { return currentStatus; }

String WiFiSTAClass::SSID() const {
  std::lock_guard<std::mutex> lock(stateLock);
  return currentStatus == WL_CONNECTED ? String(ssid.c_str()) : String();
}

String WiFiSTAClass::psk() const {
  std::lock_guard<std::mutex> lock(stateLock);
  return String(passphrase.c_str());
}

uint8_t *WiFiSTAClass::BSSID() {
  static uint8_t bssid[6] = {0x24, 0x0a, 0xc4, 0x00, 0x00, 0x01};
  return bssid;
}

String WiFiSTAClass::BSSIDstr() { return macText(BSSID()); }
int8_t WiFiSTAClass::RSSI() { return currentStatus == WL_CONNECTED ? -45 : 0; }

// --- WiFiAPClass ------------------------------------------------------------------------------------

bool WiFiAPClass::softAP(const char *, const char *, int, int, int, bool) {
  softApNotEmulated();
  currentMode = wifi_mode_t(currentMode | WIFI_MODE_AP);
  return true;
}

bool WiFiAPClass::softAPConfig(IPAddress, IPAddress, IPAddress, IPAddress) {
  softApNotEmulated();
  return true;
}

bool WiFiAPClass::softAPdisconnect(bool) {
  currentMode = wifi_mode_t(currentMode & ~WIFI_MODE_AP);
  return true;
}

uint8_t WiFiAPClass::softAPgetStationNum() { return 0; }
IPAddress WiFiAPClass::softAPIP() { return IPAddress(192, 168, 4, 1); }
IPAddress WiFiAPClass::softAPBroadcastIP() { return IPAddress(192, 168, 4, 255); }
IPAddress WiFiAPClass::softAPNetworkID() { return IPAddress(192, 168, 4, 0); }
uint8_t WiFiAPClass::softAPSubnetCIDR() { return 24; }
const char *WiFiAPClass::softAPgetHostname() { return WiFiGenericClass::getHostname(); }
bool WiFiAPClass::softAPsetHostname(const char *) { return true; }

uint8_t *WiFiAPClass::softAPmacAddress(uint8_t *mac) {
  // The soft AP's MAC is the station MAC plus one in the last byte.
  memcpy(mac, esp_sse::board::mac(), 6);
  mac[5] = uint8_t(mac[5] + 1);
  return mac;
}

String WiFiAPClass::softAPmacAddress(void) {
  uint8_t mac[6];
  return macText(softAPmacAddress(mac));
}

String WiFiAPClass::softAPSSID(void) const { return String(); }

// --- WiFiScanClass ----------------------------------------------------------------------------------

int16_t WiFiScanClass::scanNetworks(bool, bool, bool, uint32_t, uint8_t, const char *, const uint8_t *) { return 0; }
int16_t WiFiScanClass::scanComplete() { return 0; }
void WiFiScanClass::scanDelete() {}
String WiFiScanClass::SSID(uint8_t) { return String(); }
wifi_auth_mode_t WiFiScanClass::encryptionType(uint8_t) { return WIFI_AUTH_OPEN; }
int32_t WiFiScanClass::RSSI(uint8_t) { return 0; }
int32_t WiFiScanClass::channel(uint8_t) { return 0; }

void WiFiClass::printDiag(Print &dest) {
  dest.print("Mode: STA\nChannel: 6\nSSID (");
  dest.print(SSID());
  dest.println(")");
}
