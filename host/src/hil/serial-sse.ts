import { request, type ClientRequest } from 'node:http';
import { SseParser, type SseMessage } from '../protocol/sse-parser.js';
import { waitOn } from './wait-on.js';

/** A minimal SSE subscription for the serial-side checks (they need to send `Last-Event-ID`). */
export interface SseStream {
  /** Resolves with the first event that matches, or rejects after `timeoutMs`. */
  next(match: (m: SseMessage) => boolean, timeoutMs: number): Promise<SseMessage>;
  close(): void;
}

/** Opens `GET <url>` with `Accept: text/event-stream` and optional `Last-Event-ID`. */
export function openSse(url: string, opts: { lastEventId?: string } = {}): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const parser = new SseParser();
    const seen: SseMessage[] = [];
    const waiters = new Set<() => void>();
    let req: ClientRequest | undefined;
    let ended: Error | undefined;
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (opts.lastEventId !== undefined) headers['last-event-id'] = opts.lastEventId;
    req = request(url, { headers }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`GET ${url} answered ${res.statusCode}`));
        return;
      }
      res.on('data', (chunk: Buffer) => {
        seen.push(...parser.push(chunk));
        waiters.forEach((w) => w());
      });
      const stop = (e: Error) => {
        ended ??= e;
        waiters.forEach((w) => w());
      };
      res.on('end', () => stop(new Error('stream ended')));
      res.on('error', stop);
      resolve({
        next(match, timeoutMs) {
          return waitOn(waiters, () => {
            const i = seen.findIndex(match);
            if (i >= 0) return { value: seen.splice(0, i + 1)[i]! };
            if (ended) throw ended;
            return undefined;
          }, timeoutMs, () => new Error(`no matching event within ${timeoutMs} ms`));
        },
        close() {
          req?.destroy();
        },
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** `GET url` → status and body text (5 s limit). */
export function httpGet(url: string, timeoutMs = 5000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
