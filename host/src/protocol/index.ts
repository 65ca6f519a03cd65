/**
 * Pure codecs over bytes: Server-Sent Events (encode as the board's library does, parse
 * incrementally as a browser does), SLIP framing, the ESP32 ROM loader's packets, RFC 2217
 * (serial over telnet), and the ESPAsyncWebServer wire profiles the emulator reproduces.
 */
export { SseParser, type SseMessage } from './sse-parser.js';
export { encodeSseEvent, formatSseEvent, type SseEventArgs, type SseDialect } from './sse-encode.js';
export { slipEncode, SlipDecoder, SLIP_MAX_FRAME, type SlipNoise, type SlipDecoderOptions } from './slip.js';
export { encodeCommand, decodeCommand, encodeResponse, decodeResponse, romChecksum, type RomCommand, type RomResponse, type DecodeResult } from './rom-packet.js';
export { Op, opName, type OpName } from './rom-opcodes.js';
export { TelnetParser, MAX_SUBNEGOTIATION, type TelnetEvent, encodeBaud, decodeBaud } from './rfc2217.js';
export { TelnetOptions, type TelnetOptionPolicy, type NegotiationResult } from './telnet-options.js';
export { profileIds, defaultProfileId, isProfileId, profiles, type ProfileId, type WireProfile } from './http-profiles.js';
export { parseLastEventId } from './http-text.js';
