#pragma once

#include "esp_system.h"
