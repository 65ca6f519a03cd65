/**
 * Content-Type from a file name, per library version (wire doc §5.2,
 * `AsyncFileResponse::_setContentType` [1.2.4] / `_setContentTypeFromPath` [fork ≥ 3.8.1]).
 */
import type { WireProfile } from './http-profiles.js';

/** 1.2.4: an `endsWith` chain in this order; the first match wins; default text/plain. */
const originalChain: ReadonlyArray<readonly [string, string]> = [
  ['.html', 'text/html'],
  ['.htm', 'text/html'],
  ['.css', 'text/css'],
  ['.json', 'application/json'],
  ['.js', 'application/javascript'],
  ['.png', 'image/png'],
  ['.gif', 'image/gif'],
  ['.jpg', 'image/jpeg'],
  ['.ico', 'image/x-icon'],
  ['.svg', 'image/svg+xml'],
  ['.eot', 'font/eot'],
  ['.woff', 'font/woff'],
  ['.woff2', 'font/woff2'],
  ['.ttf', 'font/ttf'],
  ['.xml', 'text/xml'],
  ['.pdf', 'application/pdf'],
  ['.zip', 'application/zip'],
  ['.gz', 'application/x-gzip'],
];

/** Fork: exact match of the text after the last dot; default application/octet-stream. */
const forkTable: Readonly<Record<string, string>> = {
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  js: 'text/javascript',
  mjs: 'text/javascript',
  json: 'application/json',
  png: 'image/png',
  ico: 'image/x-icon',
  svg: 'image/svg+xml',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
  woff2: 'font/woff2',
  woff: 'font/woff',
  ttf: 'font/ttf',
  xml: 'text/xml',
  pdf: 'application/pdf',
  mp4: 'video/mp4',
  opus: 'audio/opus',
  webm: 'video/webm',
  txt: 'text/plain',
};

export function contentTypeFor(profile: WireProfile, path: string): string {
  if (profile.mime === 'original') {
    for (const [ext, type] of originalChain) if (path.endsWith(ext)) return type;
    return 'text/plain';
  }
  const dot = path.lastIndexOf('.');
  if (dot < 0) return 'application/octet-stream';
  return forkTable[path.slice(dot + 1)] ?? 'application/octet-stream';
}
