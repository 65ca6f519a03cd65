/**
 * The messages between the emulator and its SSE writer processes (`--sse-writers N`). The
 * emulator hands each established event-stream socket to a writer (`adopt`, with the socket
 * as the IPC handle) and then sends every message once per writer instead of once per socket;
 * the writer owns the socket from then on. Bytes travel as latin1 strings (one char per byte,
 * lossless over the JSON channel).
 */

/** Emulator → writer. */
export type ToWriter =
  /** Take this socket (the message's handle) as client `id`; its head and `hello!` are already sent. */
  | { readonly t: 'adopt'; readonly id: number }
  /** One encoded message to every client (`events.send()`). */
  | { readonly t: 'all'; readonly b: string }
  /** One encoded message to one client (`client->send()`). */
  | { readonly t: 'one'; readonly id: number; readonly b: string }
  /** Close every client gracefully (FIN). */
  | { readonly t: 'end' }
  /** Reset every client (RST) and exit: the board lost power. */
  | { readonly t: 'reset' };

/** Writer → emulator. */
export type FromWriter =
  /** Listening for messages. */
  | { readonly t: 'ready' }
  /** Client `id`'s connection closed (or its socket arrived already closed). */
  | { readonly t: 'closed'; readonly id: number }
  /** A message to client `id` was dropped: its 32-message queue was full. */
  | { readonly t: 'dropped'; readonly id: number };

export const bytesToWire = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
export const bytesFromWire = (text: string): Buffer => Buffer.from(text, 'latin1');
