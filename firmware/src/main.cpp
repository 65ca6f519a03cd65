// esp-sse firmware: an ESP32 that serves a live page over Server-Sent Events.
//
//   /        index.html from SPIFFS (the page in firmware/data/)
//   /sse     AsyncEventSource: "hello!" on connect, then `time_reading` at 50 Hz
//   /reset   pushes one `reset` event to every client, answers "OK"
//
// Every path, event name, payload field, Serial line and mDNS name below is also in
// host/src/contract/board.ts; host/test/firmware-contract.test.ts checks that the two agree,
// and host/test/firmware-compile.test.ts compiles this file against firmware/runtime/include/;
// `esp-sse emulate` builds and runs it against the whole runtime.

#include <Arduino.h>
#include <WiFi.h>
#include <AsyncTCP.h>
#include <ESPAsyncWebServer.h>
#include <ESPmDNS.h>
#include <SPIFFS.h>
#include <Arduino_JSON.h>

// Wi-Fi credentials come from the build environment (platformio.ini turns the WIFI_SSID and
// WIFI_PASSWORD environment variables into these macros); they are never committed.
#if !defined(WIFI_SSID) || !defined(WIFI_PASSWORD)
#error "WIFI_SSID / WIFI_PASSWORD are not defined. Build with PlatformIO after: export WIFI_SSID='your network' WIFI_PASSWORD='its password' (see firmware/README.md)."
#else
static_assert(sizeof(WIFI_SSID) > 1,
              "WIFI_SSID is empty: export WIFI_SSID='your network' (and WIFI_PASSWORD) before `pio run`, see firmware/README.md");
#endif

static const char *const kSsid = WIFI_SSID;
static const char *const kPassword = WIFI_PASSWORD;

// mDNS identity: "<kHostname>.local" and an _http._tcp service whose TXT items let
// `esp-sse discover` tell this board from any other HTTP device.
static const char *const kHostname = "esp-sse";

AsyncWebServer server(80);
AsyncEventSource events("/sse");

// The JSON payload of `time_reading` and `reset`: {"time":"<millis>"}. Arduino_JSON stores
// String(millis()) as a JSON string. The JSONVar is local because the loop task and the
// async_tcp task (the /reset handler) both build payloads.
static String readingJson() {
  JSONVar readings;
  readings["time"] = String(millis());
  return JSON.stringify(readings);
}

static void initSpiffs() {
  if (SPIFFS.begin()) {
    Serial.println("SPIFFS mounted successfully");
  } else {
    // Keep going: the event stream and /reset work without the filesystem.
    Serial.println("An error has occurred while mounting SPIFFS");
  }
}

static void initWifi() {
  WiFi.mode(WIFI_STA);
  WiFi.begin(kSsid, kPassword);
  Serial.print("Connecting to WiFi ..");
  while (WiFi.status() != WL_CONNECTED) {
    Serial.print('.');
    delay(1000);
  }
  Serial.println(WiFi.localIP());
}

static void initMdns() {
  if (!MDNS.begin(kHostname)) {
    Serial.println("Error starting mDNS responder");
    return;
  }
  MDNS.addService("http", "tcp", 80);
  MDNS.addServiceTxt("http", "tcp", "fw", "esp-sse");
  MDNS.addServiceTxt("http", "tcp", "version", "0.1.0");
  MDNS.addServiceTxt("http", "tcp", "sse", "/sse");
  Serial.printf("mDNS responder started: %s.local\n", kHostname);
}

static void initServer() {
  // Added to every response created from now on, SSE included, so a page served from
  // elsewhere can read the board's stream. Must come before any handler answers.
  DefaultHeaders::Instance().addHeader("Access-Control-Allow-Origin", "*");

  // Registration order matters: the first handler whose canHandle() succeeds wins.
  server.on("/", HTTP_GET, [](AsyncWebServerRequest *request) {
    request->send(SPIFFS, "/index.html", "text/html");
  });
  server.serveStatic("/", SPIFFS, "/");

  events.onConnect([](AsyncEventSourceClient *client) {
    if (client->lastId()) {
      Serial.printf("Client reconnected! Last message ID that it got is: %u\n", (unsigned int)client->lastId());
    }
    // id = millis(), and ask the browser to wait 10 s before reconnecting.
    client->send("hello!", NULL, millis(), 10000);
  });
  server.addHandler(&events);

  server.on("/reset", HTTP_GET, [](AsyncWebServerRequest *request) {
    events.send(readingJson().c_str(), "reset", millis());
    request->send(200, "text/plain", "OK");
  });

  server.begin();
  Serial.println("HTTP server started");
}

void setup() {
  Serial.begin(115200);
  initSpiffs();
  initWifi();
  initMdns();
  initServer();
}

void loop() {
  events.send(readingJson().c_str(), "time_reading", millis());
  delay(20);
}
