// esp-sse native runtime: the face of ESP32Async/AsyncTCP that ESPAsyncWebServer hands out. The
// board owns every connection; an AsyncClient here only describes one (addresses and ports
// from the board's `request` frame).
#pragma once

#include <stdint.h>

#include "Arduino.h"
#include "IPAddress.h"

class AsyncClient {
public:
  AsyncClient() {}
  AsyncClient(const IPAddress &remote, uint16_t remotePort, const IPAddress &local, uint16_t localPort)
    : _remoteIP(remote), _localIP(local), _remotePort(remotePort), _localPort(localPort) {}

  IPAddress remoteIP() const { return _remoteIP; }
  uint16_t remotePort() const { return _remotePort; }
  IPAddress localIP() const { return _localIP; }
  uint16_t localPort() const { return _localPort; }
  uint32_t getRemoteAddress() const { return uint32_t(_remoteIP); }
  uint16_t getRemotePort() const { return _remotePort; }
  uint32_t getLocalAddress() const { return uint32_t(_localIP); }
  uint16_t getLocalPort() const { return _localPort; }

  /** The board keeps the connection; the app cannot see it close. */
  bool connected() const { return true; }
  bool disconnected() const { return false; }
  bool freeable() const { return false; }
  bool canSend() const { return true; }
  /** Closing a connection from the sketch is not emulated (one warning); the board keeps it. */
  void close(bool now = false);
  void abort() { close(true); }
  size_t space() const { return 5744; }  // lwIP's TCP send buffer on the board
  void setNoDelay(bool) {}
  bool getNoDelay() { return false; }
  void setRxTimeout(uint32_t) {}
  void setAckTimeout(uint32_t) {}

private:
  IPAddress _remoteIP;
  IPAddress _localIP;
  uint16_t _remotePort = 0;
  uint16_t _localPort = 80;
};

class AsyncServer;
