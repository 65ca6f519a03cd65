// esp-sse native runtime: arduino-esp32 2.0.17's WiFi object for the emulated station. Any
// credentials connect: status() is WL_CONNECTED right after begin(). The address is the
// board's (ESP_SSE_IP), the MAC its eFuse MAC (ESP_SSE_MAC). Events are accepted, never raised.
// The soft AP is not emulated (one warning); softAPIP() answers the core's default 192.168.4.1.
#pragma once

#include <functional>

#include "Arduino.h"
#include "IPAddress.h"
#include "WiFiType.h"

typedef void (*WiFiEventCb)(arduino_event_id_t event);
typedef std::function<void(arduino_event_id_t event, arduino_event_info_t info)> WiFiEventFuncCb;
typedef void (*WiFiEventSysCb)(arduino_event_t *event);

class WiFiGenericClass {
public:
  wifi_event_id_t onEvent(WiFiEventCb cbEvent, arduino_event_id_t event = ARDUINO_EVENT_MAX);
  wifi_event_id_t onEvent(WiFiEventFuncCb cbEvent, arduino_event_id_t event = ARDUINO_EVENT_MAX);
  wifi_event_id_t onEvent(WiFiEventSysCb cbEvent, arduino_event_id_t event = ARDUINO_EVENT_MAX);
  void removeEvent(WiFiEventCb cbEvent, arduino_event_id_t event = ARDUINO_EVENT_MAX);
  void removeEvent(WiFiEventSysCb cbEvent, arduino_event_id_t event = ARDUINO_EVENT_MAX);
  void removeEvent(wifi_event_id_t id);

  static bool mode(wifi_mode_t);
  static wifi_mode_t getMode();
  int32_t channel(void);
  void persistent(bool persistent);
  void enableLongRange(bool enable);
  bool enableSTA(bool enable);
  bool enableAP(bool enable);
  bool setSleep(bool enabled);
  bool getSleep();
  bool setTxPower(wifi_power_t power);
  wifi_power_t getTxPower();
  static const char *getHostname();
  static bool setHostname(const char *hostname);
  static bool hostname(const String &aHostname) { return setHostname(aHostname.c_str()); }
  static int hostByName(const char *aHostname, IPAddress &aResult);
};

class WiFiSTAClass {
public:
  wl_status_t begin(const char *ssid, const char *passphrase = NULL, int32_t channel = 0, const uint8_t *bssid = NULL,
                    bool connect = true);
  wl_status_t begin(const String &ssid, const String &passphrase = (const char *)NULL, int32_t channel = 0,
                    const uint8_t *bssid = NULL, bool connect = true) {
    return begin(ssid.c_str(), passphrase.c_str(), channel, bssid, connect);
  }
  wl_status_t begin(char *ssid, char *passphrase = NULL, int32_t channel = 0, const uint8_t *bssid = NULL,
                    bool connect = true);
  wl_status_t begin();

  bool config(IPAddress local_ip, IPAddress gateway, IPAddress subnet, IPAddress dns1 = (uint32_t)0x00000000,
              IPAddress dns2 = (uint32_t)0x00000000);
  bool reconnect();
  bool disconnect(bool wifioff = false, bool eraseap = false);
  bool eraseAP(void);
  bool isConnected();
  bool setAutoConnect(bool autoConnect);
  bool getAutoConnect();
  bool setAutoReconnect(bool autoReconnect);
  bool getAutoReconnect();
  uint8_t waitForConnectResult(unsigned long timeoutLength = 60000);

  IPAddress localIP();
  uint8_t *macAddress(uint8_t *mac);
  String macAddress();
  IPAddress subnetMask();
  IPAddress gatewayIP();
  IPAddress dnsIP(uint8_t dns_no = 0);
  IPAddress broadcastIP();
  IPAddress networkID();
  uint8_t subnetCIDR();

  static wl_status_t status();
  String SSID() const;
  String psk() const;
  uint8_t *BSSID();
  String BSSIDstr();
  int8_t RSSI();
};

class WiFiAPClass {
public:
  bool softAP(const char *ssid, const char *passphrase = NULL, int channel = 1, int ssid_hidden = 0,
              int max_connection = 4, bool ftm_responder = false);
  bool softAP(const String &ssid, const String &passphrase = emptyString, int channel = 1, int ssid_hidden = 0,
              int max_connection = 4, bool ftm_responder = false) {
    return softAP(ssid.c_str(), passphrase.c_str(), channel, ssid_hidden, max_connection, ftm_responder);
  }
  bool softAPConfig(IPAddress local_ip, IPAddress gateway, IPAddress subnet, IPAddress dhcp_lease_start = (uint32_t)0);
  bool softAPdisconnect(bool wifioff = false);
  uint8_t softAPgetStationNum();
  IPAddress softAPIP();
  IPAddress softAPBroadcastIP();
  IPAddress softAPNetworkID();
  uint8_t softAPSubnetCIDR();
  const char *softAPgetHostname();
  bool softAPsetHostname(const char *hostname);
  uint8_t *softAPmacAddress(uint8_t *mac);
  String softAPmacAddress(void);
  String softAPSSID(void) const;
};

class WiFiScanClass {
public:
  /** No networks are visible to the emulated station. */
  int16_t scanNetworks(bool async = false, bool show_hidden = false, bool passive = false, uint32_t max_ms_per_chan = 300,
                       uint8_t channel = 0, const char *ssid = nullptr, const uint8_t *bssid = nullptr);
  int16_t scanComplete();
  void scanDelete();
  String SSID(uint8_t networkItem);
  wifi_auth_mode_t encryptionType(uint8_t networkItem);
  int32_t RSSI(uint8_t networkItem);
  int32_t channel(uint8_t networkItem);
};

class WiFiClass : public WiFiGenericClass, public WiFiSTAClass, public WiFiScanClass, public WiFiAPClass {
public:
  using WiFiGenericClass::channel;
  using WiFiSTAClass::BSSID;
  using WiFiSTAClass::BSSIDstr;
  using WiFiSTAClass::RSSI;
  using WiFiSTAClass::SSID;
  using WiFiScanClass::channel;
  using WiFiScanClass::encryptionType;
  using WiFiScanClass::RSSI;
  using WiFiScanClass::SSID;

  void printDiag(Print &dest);
};

extern WiFiClass WiFi;
