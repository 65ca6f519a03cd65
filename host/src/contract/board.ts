/**
 * The board's interface as data. `firmware/src/main.cpp` mirrors these values (a test checks
 * that the two agree); the emulator implements them; clients and tests import them.
 */

/** HTTP routes the firmware registers, in registration order. */
export const routes = {
  /** `server.on("/")` → index.html from SPIFFS. */
  root: '/',
  /** `AsyncEventSource events("/sse")`. */
  sse: '/sse',
  /** `server.on("/reset")` → pushes one event to every client, answers `OK`. */
  reset: '/reset',
} as const;

/** The file `/` serves from SPIFFS: `request->send(SPIFFS, "/index.html", "text/html")`. */
export const indexFile = '/index.html';
/** Content type the `/` handler passes for {@link indexFile}. */
export const indexContentType = 'text/html';

/**
 * Headers the firmware adds to every response through `DefaultHeaders::Instance().addHeader()`
 * before any handler is registered: CORS, so a page served elsewhere can read the board's stream.
 */
export const defaultHeaders = { 'Access-Control-Allow-Origin': '*' } as const;

/** Body and content type of the `/reset` reply. */
export const resetReply = { status: 200, contentType: 'text/plain', body: 'OK' } as const;

/** Sent to each new SSE client from onConnect: `client->send("hello!", NULL, millis(), 10000)`. */
export const hello = { data: 'hello!', retryMs: 10000 } as const;

/** SSE event names. */
export const events = {
  /** The 50 Hz stream. Payload: {@link TimeReading}. */
  reading: 'time_reading',
  /** Pushed once by `/reset`. Payload: {@link TimeReading}. */
  reset: 'reset',
} as const;

/** JSON payload of `time_reading` and `reset`: Arduino_JSON stores `String(millis())`, a JSON string. */
export interface TimeReading {
  time: string;
}
/** Payload field names, in the order the firmware sets them. */
export const readingFields = ['time'] as const;

/** The loop: `delay(20)` between sends. */
export const loopDelayMs = 20;

/** Serial settings and the exact lines the sketch prints. */
export const serial = {
  baud: 115200,
  lines: {
    spiffsMounted: 'SPIFFS mounted successfully',
    spiffsError: 'An error has occurred while mounting SPIFFS',
    wifiConnecting: 'Connecting to WiFi ..',
    /** printf format; `%u` is `client->lastId()`. */
    reconnect: 'Client reconnected! Last message ID that it got is: %u',
    mdnsStarted: 'mDNS responder started: %s.local',
    httpStarted: 'HTTP server started',
    /** Printed instead of {@link serial.lines.mdnsStarted} when `MDNS.begin()` fails. */
    mdnsError: 'Error starting mDNS responder',
  },
} as const;

/** Formats the reconnect line the sketch prints for a Last-Event-ID. */
export function reconnectLine(lastId: number): string {
  return serial.lines.reconnect.replace('%u', String(lastId >>> 0));
}

/** mDNS identity: `MDNS.begin(hostname)`, `MDNS.addService("http","tcp",80)` and TXT items. */
export const mdns = {
  hostname: 'esp-sse',
  service: '_http._tcp',
  port: 80,
  /** TXT items that let `discover` tell an esp-sse board from any other HTTP device. */
  txt: {
    /** Marks the device as an esp-sse board. */
    fw: 'esp-sse',
    /** Firmware version, see {@link firmwareVersion}. */
    version: '0.1.0',
    /** Path of the event stream. */
    sse: '/sse',
  },
} as const;

export const firmwareVersion = mdns.txt.version;
