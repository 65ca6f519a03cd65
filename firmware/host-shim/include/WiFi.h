// Host mirror of arduino-esp32 2.0.x libraries/WiFi/src/{WiFiType.h, WiFiGeneric.h, WiFiSTA.h,
// WiFi.h} plus the wl_status_t enum from wl_definitions.h. Declarations only.
#pragma once

#include <Arduino.h>

typedef enum {
  WIFI_MODE_NULL = 0,
  WIFI_MODE_STA,
  WIFI_MODE_AP,
  WIFI_MODE_APSTA,
  WIFI_MODE_MAX
} wifi_mode_t;
#define WIFI_OFF WIFI_MODE_NULL
#define WIFI_STA WIFI_MODE_STA
#define WIFI_AP WIFI_MODE_AP
#define WIFI_AP_STA WIFI_MODE_APSTA

typedef enum {
  WL_NO_SHIELD = 255,
  WL_IDLE_STATUS = 0,
  WL_NO_SSID_AVAIL = 1,
  WL_SCAN_COMPLETED = 2,
  WL_CONNECTED = 3,
  WL_CONNECT_FAILED = 4,
  WL_CONNECTION_LOST = 5,
  WL_DISCONNECTED = 6
} wl_status_t;

class WiFiGenericClass {
public:
  static bool mode(wifi_mode_t);
  static wifi_mode_t getMode();
  bool setSleep(bool enabled);
};

class WiFiSTAClass {
public:
  wl_status_t begin(const char *ssid, const char *passphrase = NULL, int32_t channel = 0,
                    const uint8_t *bssid = NULL, bool connect = true);
  wl_status_t begin(const String &ssid, const String &passphrase = (const char *)NULL,
                    int32_t channel = 0, const uint8_t *bssid = NULL, bool connect = true);
  bool setAutoReconnect(bool autoReconnect);
  IPAddress localIP();
  static wl_status_t status();
};

class WiFiClass : public WiFiGenericClass, public WiFiSTAClass {};

extern WiFiClass WiFi;
