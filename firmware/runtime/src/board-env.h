// What the board tells the app about itself through the environment at spawn.
#pragma once

#include <stdint.h>

#include <string>

namespace esp_sse {
namespace board {

/** ESP_SSE_MAC: 12 hex digits ("aabbccddeeff"; ':' or '-' allowed); default 24:0a:c4:ab:cd:ef. */
const uint8_t *mac();

/** ESP_SSE_IP: the station's dotted address; default "127.0.0.1". */
const std::string &ip();

}  // namespace board
}  // namespace esp_sse
