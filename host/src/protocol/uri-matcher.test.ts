/** URI matching and method bits of 3.12.0's callback handlers (`AsyncURIMatcher`, `canHandle`). */
import { describe, expect, it } from 'vitest';
import { callbackCanHandle, httpAny, matchUri, methodBit, methodBits, uriMatcher, uriMatches, UriMatchers } from './uri-matcher.js';

const table = (uri: string, cases: Record<string, boolean>): void => {
  for (const [url, want] of Object.entries(cases)) expect(uriMatches(uri, url), `${uri} vs ${url}`).toBe(want);
};

describe('a plain string (auto-detected)', () => {
  it('backward compatible: exact, or the string plus "/" as a prefix', () => {
    expect(uriMatcher('/reset').type).toBe('backward-compatible');
    table('/reset', { '/reset': true, '/reset/': true, '/reset/x/y': true, '/resetx': false, '/Reset': false, '/': false, '': false });
    // The sketch's on("/"): "/" and "//anything" (wire doc §10).
    table('/', { '/': true, '//x': true, '/index.html': false });
  });
  it('trailing * is a plain prefix (no folder separator needed)', () => {
    expect(uriMatcher('/api*')).toMatchObject({ type: 'prefix', value: '/api' });
    table('/api*', { '/api': true, '/api/x': true, '/apix': true, '/ap': false });
    table('*', { '/': true, '/anything': true });
  });
  it('"/*." is an extension match: the part before it as a prefix, the extension as a suffix', () => {
    expect(uriMatcher('/img/*.png').type).toBe('extension');
    table('/img/*.png', { '/img/a.png': true, '/img/sub/a.png': true, '/imgX/a.png': true, '/img/a.jpg': false, '/other/a.png': false });
    table('/*.css', { '/style.css': true, '/x/y.css': true, '/style.cssx': false });
  });
  it('empty matches everything', () => {
    expect(uriMatcher('').type).toBe('all');
    table('', { '/': true, '/x': true });
  });
  it('^…$ is not a regex in the default build (no ASYNCWEBSERVER_REGEX)', () => {
    expect(uriMatcher('^/user/([0-9]+)$').type).toBe('backward-compatible');
    table('^/user/([0-9]+)$', { '/user/12': false, '^/user/([0-9]+)$': true });
  });
  it('with ASYNCWEBSERVER_REGEX: regex_search, groups become path args', () => {
    const m = uriMatcher('^/user/([0-9]+)$', { regexEnabled: true });
    expect(m.type).toBe('regex');
    expect(matchUri(m, '/user/42')).toEqual({ matches: true, pathArgs: ['42'] });
    expect(matchUri(m, '/user/x').matches).toBe(false);
    expect(matchUri(uriMatcher('^/A(b)?$', { regexEnabled: true, caseInsensitive: true }), '/a')).toEqual({ matches: true, pathArgs: [''] });
  });
  it('case-insensitive lower-cases pattern and URL (ASCII only)', () => {
    const m = uriMatcher('/Login', { caseInsensitive: true });
    expect(m.value).toBe('/login');
    expect(matchUri(m, '/LOGIN').matches).toBe(true);
    expect(matchUri(m, '/login/X').matches).toBe(true);
    expect(matchUri(uriMatcher('/\u00c9', { caseInsensitive: true }), '/\u00e9').matches).toBe(false);
  });
});

describe('factories', () => {
  it('exact, prefix, dir, ext, all, none', () => {
    expect(matchUri(UriMatchers.exact('/a'), '/a/').matches).toBe(false);
    expect(matchUri(UriMatchers.prefix('/a'), '/ab').matches).toBe(true);
    expect(UriMatchers.dir('/admin').value).toBe('/admin/');
    expect(UriMatchers.dir('').value).toBe('/');
    expect(matchUri(UriMatchers.dir('/admin'), '/admin').matches).toBe(false);
    expect(matchUri(UriMatchers.dir('/admin'), '/admin/users').matches).toBe(true);
    expect(matchUri(UriMatchers.ext('/d/*.pdf'), '/d/x.pdf').matches).toBe(true);
    expect(matchUri(UriMatchers.all(), '/z').matches).toBe(true);
    expect(matchUri(UriMatchers.none(), '/z').matches).toBe(false);
  });
});

describe('method bits', () => {
  it('GET … OPTIONS keep the values every library version has; each method its own bit', () => {
    expect([methodBit('GET'), methodBit('POST'), methodBit('DELETE'), methodBit('PUT'), methodBit('PATCH'), methodBit('HEAD'), methodBit('OPTIONS')]).toEqual([
      1, 2, 4, 8, 16, 32, 64,
    ]);
    const bits = Object.values(methodBits);
    expect(bits).toHaveLength(24);
    expect(new Set(bits).size).toBe(24);
    for (const v of bits) expect(v & (v - 1)).toBe(0);
    expect(httpAny).toBe(0xffffff);
  });
  it('names are case-sensitive; unknown tokens have no bit', () => {
    expect(methodBit('get')).toBe(0);
    expect(methodBit('FOO')).toBe(0);
    expect(methodBit('toString')).toBe(0);
    expect(methodBit('ACL')).not.toBe(0);
  });
});

describe('callbackCanHandle', () => {
  const route = { methods: methodBits.GET as number, matcher: uriMatcher('/reset') };
  const req = (method: string, url: string, connectionType: 'http' | 'ws' | 'event' = 'http') => ({ method, url, connectionType });
  it('method mask, URI, plain HTTP only', () => {
    expect(callbackCanHandle(route, req('GET', '/reset'))).toBe(true);
    expect(callbackCanHandle(route, req('POST', '/reset'))).toBe(false);
    expect(callbackCanHandle(route, req('GET', '/reset', 'event'))).toBe(false);
    expect(callbackCanHandle(route, req('GET', '/reset', 'ws'))).toBe(false);
    expect(callbackCanHandle({ ...route, methods: httpAny }, req('PROPFIND', '/reset/x'))).toBe(true);
    expect(callbackCanHandle({ ...route, methods: (methodBits.GET as number) | (methodBits.POST as number) }, req('POST', '/reset'))).toBe(true);
  });
  it('a handler without onRequest never handles', () => {
    expect(callbackCanHandle({ ...route, hasOnRequest: false }, req('GET', '/reset'))).toBe(false);
  });
});
