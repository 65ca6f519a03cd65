// Every warning the runtime sends the board (`warn` frames: code, message, hint), in one place.
// Each is sent once per boot (link::warnOnce); the board prints it on the host, not on UART0.
#pragma once

namespace esp_sse {
namespace warning {

struct Warning {
  const char *code;
  const char *message;
  const char *hint;
};

// --- the link -------------------------------------------------------------------------------------
constexpr Warning frameSize{"emulate.sketch-frame-size",
                            "the sketch produced a frame over the link's 16 MiB limit; it was dropped",
                            "send less at once (a response or Serial write of this size would not fit the board's RAM either)"};
constexpr Warning unknownHandler{"emulate.sketch-link", "the board sent a request for a handler the app does not have",
                                 "a bug in esp-sse: please report it"};

// --- the board's peripherals ------------------------------------------------------------------------
constexpr Warning serial1{"emulate.sketch-serial1",
                          "the sketch uses Serial1/Serial2: the emulated board has only UART0 wired, so their output is "
                          "dropped and they never receive anything",
                          "print to Serial to see the output in the emulator"};
constexpr Warning serialOnReceive{"emulate.sketch-serial-onreceive",
                                  "Serial.onReceive() callbacks are not emulated yet: the callback is never called",
                                  "poll Serial.available() in loop() instead"};
constexpr Warning softAp{"emulate.sketch-softap",
                         "the sketch starts a soft AP: the emulator has no access point, only the station the board serves on",
                         "reach the emulated board at its station address (see `esp-sse emulate` output)"};
constexpr Warning deepSleep{"emulate.sketch-deep-sleep", "ESP.deepSleep() is emulated as an immediate restart",
                            "the board reboots the sketch; RTC memory is not kept"};
constexpr Warning taskDelete{"emulate.sketch-task-delete", "vTaskDelete() of another task is not emulated: it keeps running",
                             "let the task end itself with vTaskDelete(NULL)"};

// --- the web server ----------------------------------------------------------------------------------
constexpr Warning customHandler{"emulate.sketch-handler",
                                "the sketch adds a handler class of its own (server.addHandler): custom handlers cannot be "
                                "emulated yet, so the board never routes a request to it",
                                "use server.on(uri, method, callback) for what it serves"};
constexpr Warning filter{"emulate.sketch-filter",
                         "handler filters (setFilter) are not emulated: the board routes by URI and method only",
                         "the filter is never called; every request that matches is handled"};
constexpr Warning auth{"emulate.sketch-auth", "HTTP authentication is not emulated yet: every request is let through",
                       "test authentication on a board"};
constexpr Warning matcher{"emulate.sketch-matcher",
                          "a route uses an AsyncURIMatcher factory (exact/prefix/dir/ext/all) or a modifier: the board "
                          "matches its URI the way the plain string implies",
                          "write the URI as a string (\"/api/*\", \"/*.jpg\", \"/path\")"};
constexpr Warning staticOptions{"emulate.sketch-static",
                                "serveStatic's setLastModified/setTemplateProcessor/setTryGzipFirst/setIsDir are not "
                                "modelled yet: the board serves the files as without them",
                                "check those headers and placeholders on a board"};
constexpr Warning removeHandler{"emulate.sketch-remove-handler",
                                "server.removeHandler() is not emulated yet: the board keeps the route",
                                "register routes once in setup()"};
constexpr Warning upload{"emulate.sketch-upload", "file uploads (onFileUpload, onUpload) are not emulated yet",
                         "test uploads on a board"};
constexpr Warning requestBody{"emulate.sketch-request-body", "server.onRequestBody() is not emulated yet: it is never called",
                              "give the route a body handler: server.on(uri, method, onRequest, nullptr, onBody)"};
constexpr Warning serverReset{"emulate.sketch-reset", "server.reset() is not emulated yet: the board keeps the routes it was given",
                              "register routes once in setup()"};
constexpr Warning nullResponse{"emulate.sketch-null-response",
                               "request->send(nullptr): the board closes the connection without a response; the emulator "
                               "answers 500",
                               "check the beginResponse() call that returned nullptr"};
constexpr Warning clientClose{"emulate.sketch-client-close",
                              "closing a connection from the sketch (client()->close()) is not emulated yet: the board keeps it",
                              "answer the request instead"};
constexpr Warning headerReplace{"emulate.sketch-header-replace",
                                "a response replaces a DefaultHeaders header (or a basic response's Connection) with "
                                "addHeader: the emulator sends both",
                                "check that response's headers on a board"};
constexpr Warning chunked{"emulate.sketch-chunked",
                          "chunked responses are not emulated yet: the filler is read to its end and sent with a Content-Length",
                          "check the chunked framing on a board"};
constexpr Warning sseAuthorize{"emulate.sketch-sse-authorize",
                               "AsyncEventSource::authorizeConnect() is not emulated yet: every client may connect",
                               "check the authorization on a board"};

}  // namespace warning
}  // namespace esp_sse
