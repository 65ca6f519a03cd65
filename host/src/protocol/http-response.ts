/**
 * Response-head assembly per library version (`AsyncWebServerResponse::_assembleHead`,
 * wire doc §1.2, §6.1, §8). The header list a response carries is: DefaultHeaders (copied in
 * the base constructor), then the headers its constructor/`_respond` added; the two versions
 * differ in where Content-Length, Content-Type and Accept-Ranges go.
 */
import type { WireProfile } from './http-profiles.js';

export type HeaderList = ReadonlyArray<readonly [string, string]>;

/** A response object before assembly. */
export interface ResponseSpec {
  readonly status: number;
  /** DefaultHeaders first, then the response's own headers, in insertion order. */
  readonly headers: HeaderList;
  /** `undefined` ⇒ no Content-Length line (`_sendContentLength = false`, e.g. SSE). */
  readonly contentLength?: number;
  /** Empty/undefined ⇒ no Content-Type line. */
  readonly contentType?: string;
}

/** Reason phrases (`responseCodeToString`) for the codes this firmware can produce. */
export const reasonPhrases: Readonly<Record<number, string>> = {
  100: 'Continue',
  200: 'OK',
  304: 'Not Modified',
  404: 'Not Found',
  500: 'Internal Server Error',
  501: 'Not Implemented',
};

/** Raw line written for `Expect: 100-continue` (no headers at all, §8). */
export const continueLine = 'HTTP/1.1 100 Continue\r\n\r\n';

/** Assembles the status line and header block, ending in the blank line. */
export function assembleResponseHead(profile: WireProfile, version: 0 | 1, spec: ResponseSpec): string {
  const lines: Array<readonly [string, string]> = [];
  const length = spec.contentLength === undefined ? [] : [['Content-Length', String(spec.contentLength)] as const];
  const type = spec.contentType ? [['Content-Type', spec.contentType] as const] : [];
  const ranges = version ? [['Accept-Ranges', 'none'] as const] : [];
  if (profile.headerLayout === 'original') {
    lines.push(...length, ...type, ...spec.headers, ...ranges);
  } else {
    lines.push(...spec.headers, ...ranges, ...length, ...type);
  }
  let out = `HTTP/1.${version} ${spec.status} ${reasonPhrases[spec.status] ?? ''}\r\n`;
  for (const [name, value] of lines) out += `${name}: ${value}\r\n`;
  return `${out}\r\n`;
}
