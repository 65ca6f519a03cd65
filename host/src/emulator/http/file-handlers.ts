/**
 * File responses: `request->send(SPIFFS, path, type)` and `serveStatic(uri, SPIFFS, path)`
 * (wire doc §5.1, §5.2), per profile.
 */
import { contentTypeFor } from '../../protocol/http-mime.js';
import type { HeaderList } from '../../protocol/http-response.js';
import type { FileSource } from '../app/file-source.js';
import type { EmuRequest } from './request.js';
import type { Handler } from './web-server.js';

const empty = new Uint8Array(0);

/** The fork's gzip ETag: the CRC32 trailer (4 bytes at size − 8) as uppercase hex in file byte order. */
export function gzipEtag(gz: Uint8Array): string {
  const crc = gz.subarray(Math.max(0, gz.length - 8), Math.max(0, gz.length - 4));
  return [...crc].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');
}

/** `Content-Disposition` of a file response: `attachment; filename="…"` for a download. */
export function disposition(request: EmuRequest, path: string, download = false): readonly [string, string] {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (download) return ['Content-Disposition', `attachment; filename="${name}"`];
  return ['Content-Disposition', request.profile.dispositionFilename ? `inline; filename="${name}"` : 'inline'];
}

/** `send(fs, path, type, download)` options; `headers` were added to the response after its constructor. */
export interface SendFileOptions {
  readonly download?: boolean;
  readonly headers?: HeaderList;
}

/** `request->send(fs, path, contentType[, download])`, or `beginResponse(fs, …)` + `addHeader` + `send`. */
export function sendFile(request: EmuRequest, fs: FileSource, path: string, contentType: string, o: SendFileOptions = {}): void {
  const fork = request.profile.tag === 'F';
  const plain = fs.read(path);
  const extra = o.headers ?? [];
  const disp = disposition(request, path, o.download);
  // The fork opens the file and tests available(): an empty file counts as missing.
  if (plain && (!fork || plain.length > 0)) {
    request.sendResponse({ status: 200, headers: [disp, ...extra], contentType, body: plain });
    return;
  }
  const gz = fs.read(`${path}.gz`);
  if (plain) {
    // Fork, zero-length file: the file exists, so `send(FS)` builds an AsyncFileResponse,
    // which finds nothing `available()` and falls back to the .gz (no ETag on this path);
    // without one the response source is invalid and `_send` answers 500.
    if (!gz) return request.send(500, 'text/plain', 'Invalid data in handler');
    const headers = [['Content-Encoding', 'gzip'], disp, ...extra] as const;
    return request.sendResponse({ status: 200, headers, contentType, body: gz });
  }
  const inm = request.header('If-None-Match');
  if (!gz) {
    if (!fork || inm !== undefined) request.send(404);
    else request.send(request.profile.sendFileMissing.status, 'text/plain', request.profile.sendFileMissing.body);
    return;
  }
  const headers: Array<readonly [string, string]> = [['Content-Encoding', 'gzip']];
  if (fork) {
    // `_getEtag` fails (seek to size − 8) on a file shorter than the gzip trailer.
    if (inm !== undefined && gz.length < 8) return request.send(404);
    const etag = `"${gzipEtag(gz)}"`;
    if (inm === etag) return request.send(304);
    headers.push(['ETag', etag], ['Cache-Control', 'no-cache']);
  }
  headers.push(disp, ...extra);
  request.sendResponse({ status: 200, headers, contentType, body: gz });
}

/** A file `_getFile` found: the name asked for, the bytes opened, and whether they are the .gz. */
interface StaticHit {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly gzip: boolean;
}

/** `setDefaultFile` / `setCacheControl` of a static handler. */
export interface StaticOptions {
  /** Default `index.htm`; empty = a directory URL finds nothing. */
  readonly defaultFile?: string;
  /** `Cache-Control` value; default (and when empty) `no-cache`. */
  readonly cacheControl?: string;
}

/** `serveStatic(uri, fs, path[, cache_control])`, with its default file and cache control. */
export class StaticHandler implements Handler {
  private readonly uri: string;
  private readonly path: string;
  private defaultFile: string;
  private cacheControl: string;
  /** The file canHandle found, kept for handleRequest (the library's `_tempFile`). */
  private readonly hits = new WeakMap<EmuRequest, StaticHit>();
  /** 1.2.4's adaptive lookup order (`_gzipFirst`, `_gzipStats` seeded 0xF8). */
  private gzipFirst = false;
  private gzipStats = 0xf8;

  constructor(
    uri: string,
    private readonly fs: FileSource,
    path: string,
    options: StaticOptions = {},
  ) {
    // The constructor strips a trailing "/" from both (so "/" becomes "").
    this.uri = uri.endsWith('/') ? uri.slice(0, -1) : uri;
    this.path = path.endsWith('/') ? path.slice(0, -1) : path;
    this.defaultFile = options.defaultFile ?? 'index.htm';
    this.cacheControl = options.cacheControl ?? '';
  }

  /** `setDefaultFile(name)`. */
  setDefaultFile(name: string): this {
    this.defaultFile = name;
    return this;
  }

  /** `setCacheControl(value)`. */
  setCacheControl(value: string): this {
    this.cacheControl = value;
    return this;
  }

  private get cacheControlValue(): string {
    return this.cacheControl || 'no-cache';
  }

  canHandle(request: EmuRequest): boolean {
    const head = request.head;
    if (head.method !== 'GET' || head.connectionType !== 'http' || !head.url.startsWith(this.uri)) return false;
    const hit = this.find(head.url, request.profile.staticGzipOrder === 'adaptive');
    if (hit) this.hits.set(request, hit);
    return hit !== undefined;
  }

  handleRequest(request: EmuRequest): void {
    const found = this.hits.get(request);
    if (!found) return request.send(404);
    const { name, bytes, gzip } = found;
    const contentType = contentTypeFor(request.profile, name);
    const headers: Array<readonly [string, string]> = gzip ? [['Content-Encoding', 'gzip']] : [];
    headers.push(disposition(request, name));
    if (request.profile.staticEtag) {
      // The fork takes the ETag from the gzip trailer whenever the opened file's name ends in
      // .gz (also for a direct `GET /x.gz`); a file too short for a trailer is a 404.
      const fromTrailer = gzip || name.endsWith('.gz');
      if (fromTrailer && bytes.length < 8) return request.send(404);
      // Otherwise the file's last-write time when it is > 0 (a signed time_t), else its size.
      const lastWrite = this.fs.lastWrite?.(name) ?? 0;
      const etag = fromTrailer ? `"${gzipEtag(bytes)}"` : `"${hex8(lastWrite > 0 ? lastWrite : bytes.length)}"`;
      if (request.header('If-None-Match') === etag) return this.notModified(request);
      headers.push(['ETag', etag], ['Cache-Control', this.cacheControlValue]);
    }
    request.sendResponse({ status: 200, headers, contentType, body: bytes });
  }

  /** `AsyncBasicResponse(304)` plus Cache-Control; no ETag (fork `handleRequest`). */
  private notModified(request: EmuRequest): void {
    const headers: HeaderList = [['Cache-Control', this.cacheControlValue]];
    request.sendResponse({ status: 304, headers, body: empty, connectionClose: 'constructor' });
  }

  /** `_getFile`: the file, its .gz, or (for a directory-like URL) `<dir>/index.htm(.gz)`. */
  private find(url: string, adaptive: boolean): StaticHit | undefined {
    const rel = url.slice(this.uri.length);
    const skipFile = rel.length === 0 || rel.endsWith('/');
    let path = this.path + rel;
    if (!skipFile) {
      const hit = this.tryBoth(path, adaptive);
      if (hit) return hit;
    }
    if (this.defaultFile === '') return undefined;
    if (!path.endsWith('/')) path += '/';
    return this.tryBoth(`${path}${this.defaultFile}`, adaptive);
  }

  /**
   * `_fileExists`/`_searchFile`: the plain file first, then the .gz; 1.2.4 tries the .gz first
   * while more than 4 of its last 8 hits were gzip (an 8-bit history, updated on every hit).
   */
  private tryBoth(name: string, adaptive: boolean): StaticHit | undefined {
    const gzFirst = adaptive && this.gzipFirst;
    const plain = (): StaticHit | undefined => {
      const bytes = this.fs.read(name);
      return bytes ? { name, bytes, gzip: false } : undefined;
    };
    const gz = (): StaticHit | undefined => {
      const bytes = this.fs.read(`${name}.gz`);
      return bytes ? { name, bytes, gzip: true } : undefined;
    };
    const hit = gzFirst ? (gz() ?? plain()) : (plain() ?? gz());
    if (hit && adaptive) {
      this.gzipStats = ((this.gzipStats << 1) | (hit.gzip ? 1 : 0)) & 0xff;
      this.gzipFirst = this.gzipStats === 0xff || (this.gzipStats !== 0 && bitCount(this.gzipStats) > 4);
    }
    return hit;
  }
}

function bitCount(n: number): number {
  let c = 0;
  for (let v = n; v !== 0; v &= v - 1) c++;
  return c;
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}
