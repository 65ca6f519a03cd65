/** Content-Type by file name per library version (wire doc §5.2). */
import { describe, expect, it } from 'vitest';
import { contentTypeFor } from './http-mime.js';
import { profiles } from './http-profiles.js';

const fork = profiles['esp32async-3.12.0'];
const original = profiles['me-no-dev-1.2.4'];

describe('contentTypeFor', () => {
  it.each([
    // name, 1.2.4, fork
    ['/index.html', 'text/html', 'text/html'],
    ['/a.htm', 'text/html', 'text/html'],
    ['/app.js', 'application/javascript', 'text/javascript'],
    ['/app.mjs', 'text/plain', 'text/javascript'],
    ['/style.css', 'text/css', 'text/css'],
    ['/d.json', 'application/json', 'application/json'],
    ['/i.ico', 'image/x-icon', 'image/x-icon'],
    ['/i.svg', 'image/svg+xml', 'image/svg+xml'],
    ['/i.jpg', 'image/jpeg', 'image/jpeg'],
    ['/i.webp', 'text/plain', 'image/webp'],
    ['/f.woff2', 'font/woff2', 'font/woff2'],
    ['/f.eot', 'font/eot', 'application/octet-stream'],
    ['/notes.txt', 'text/plain', 'text/plain'],
    ['/x.zip', 'application/zip', 'application/octet-stream'],
    ['/x.gz', 'application/x-gzip', 'application/octet-stream'],
    ['/README', 'text/plain', 'application/octet-stream'],
    ['/a.HTML', 'text/plain', 'application/octet-stream'],
  ])('%s', (name, o, f) => {
    expect(contentTypeFor(original, name)).toBe(o);
    expect(contentTypeFor(fork, name)).toBe(f);
  });
});
