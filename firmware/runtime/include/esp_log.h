// esp-sse native runtime: ESP_LOGx, routed as the Arduino core routes them (esp32-hal-log.h).
#pragma once

#include "esp32-hal-log.h"
