// UART0's receive buffer, filled by the link's reader thread from `serialRx` frames.
#pragma once

#include <stddef.h>

namespace esp_sse {
namespace serial {

/** Appends what fits of `n` bytes to UART0's RX buffer; the rest is dropped (a full FIFO). */
void rxAppend(const char *data, size_t n);

}  // namespace serial
}  // namespace esp_sse
