// Host mirror of ESP32Async/AsyncTCP src/AsyncTCP.h. The sketch calls nothing in it directly;
// ESPAsyncWebServer hands out `AsyncClient *`, declared here as the real header does.
#pragma once

#include <Arduino.h>

class AsyncClient;
class AsyncServer;
