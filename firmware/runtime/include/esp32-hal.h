// esp-sse native runtime: arduino-esp32 2.x's esp32-hal.h family (clock, GPIO, analog, LEDC,
// CPU) for a sketch running as a host process. Time is the board's: millis()/micros() start
// at ESP_SSE_BOOT_MILLIS and follow the host's monotonic clock. Pins do nothing visible:
// digitalRead returns what was written (HIGH for an unwritten INPUT_PULLUP pin).
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "esp32-hal-log.h"
#include "esp_arduino_version.h"
#include "esp_system.h"
#include "esp_timer.h"

#ifndef F_CPU
#define F_CPU (240000000U)
#endif
#define ARDUINO_RUNNING_CORE 1
#define ARDUINO_EVENT_RUNNING_CORE 1
#define NOP() asm volatile("nop")

// --- esp32-hal-gpio.h --------------------------------------------------------------------------
#define LOW 0x0
#define HIGH 0x1

#define INPUT 0x01
#define OUTPUT 0x03
#define PULLUP 0x04
#define INPUT_PULLUP 0x05
#define PULLDOWN 0x08
#define INPUT_PULLDOWN 0x09
#define OPEN_DRAIN 0x10
#define OUTPUT_OPEN_DRAIN 0x12
#define ANALOG 0xC0

#define DISABLED 0x00
#define RISING 0x01
#define FALLING 0x02
#define CHANGE 0x03
#define ONLOW 0x04
#define ONHIGH 0x05
#define ONLOW_WE 0x0C
#define ONHIGH_WE 0x0D

#define digitalPinIsValid(pin) ((pin) < 40)
#define digitalPinCanOutput(pin) ((pin) < 34)

#ifdef __cplusplus
extern "C" {
#endif

// --- esp32-hal-misc.c ----------------------------------------------------------------------------
/** Gives the CPU to other threads (sched_yield); it does not sleep. */
void yield(void);
/** Milliseconds since boot, wrapping at 2^32 like the board's 32-bit `unsigned long`. */
unsigned long millis(void);
/** Microseconds since boot, wrapping at 2^32. */
unsigned long micros(void);
/** Sleeps `ms` milliseconds (the board: vTaskDelay with a 1 ms tick). */
void delay(uint32_t ms);
void delayMicroseconds(uint32_t us);
uint32_t getCpuFrequencyMhz(void);
bool setCpuFrequencyMhz(uint32_t cpu_freq_mhz);
uint32_t getXtalFrequencyMhz(void);
uint32_t getApbFrequency(void);
float temperatureRead(void);
void enableLoopWDT(void);
void disableLoopWDT(void);
bool feedLoopWDT(void);
void enableCore0WDT(void);
void disableCore0WDT(void);
void enableCore1WDT(void);
void disableCore1WDT(void);
void initArduino(void);

// --- esp32-hal-gpio.h --------------------------------------------------------------------------
void pinMode(uint8_t pin, uint8_t mode);
void digitalWrite(uint8_t pin, uint8_t val);
int digitalRead(uint8_t pin);
void attachInterrupt(uint8_t pin, void (*handler)(void), int mode);
void attachInterruptArg(uint8_t pin, void (*handler)(void *), void *arg, int mode);
void detachInterrupt(uint8_t pin);

// --- esp32-hal-adc.h / esp32-hal-dac.h / esp32-hal-touch.h ---------------------------------------
uint16_t analogRead(uint8_t pin);
uint32_t analogReadMilliVolts(uint8_t pin);
void analogReadResolution(uint8_t bits);
void analogSetWidth(uint8_t bits);
void dacWrite(uint8_t pin, uint8_t value);
uint16_t touchRead(uint8_t pin);

// --- esp32-hal-ledc.h --------------------------------------------------------------------------
double ledcSetup(uint8_t channel, double freq, uint8_t resolution_bits);
void ledcWrite(uint8_t channel, uint32_t duty);
double ledcWriteTone(uint8_t channel, double freq);
uint32_t ledcRead(uint8_t channel);
double ledcReadFreq(uint8_t channel);
void ledcAttachPin(uint8_t pin, uint8_t channel);
void ledcDetachPin(uint8_t pin);
void analogWrite(uint8_t pin, int value);

#ifdef __cplusplus
}
#endif
