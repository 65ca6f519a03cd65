/** Request parameters as 3.12.0 collects them (query, form body, multipart). */
import { describe, expect, it } from 'vitest';
import { bodyKind, multipartBoundary, parseParams, type RequestParam } from './http-params.js';

const b = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const get = (name: string, value: string): RequestParam => ({ name, value, post: false, file: false, size: 0 });
const post = (name: string, value: string): RequestParam => ({ name, value, post: true, file: false, size: 0 });
const file = (name: string, value: string, size: number): RequestParam => ({ name, value, post: true, file: true, size });

describe('query (_addGetParams)', () => {
  it('the fixture x_echo request: q=hi%20there', () => {
    expect(parseParams('q=hi%20there')).toEqual([get('q', 'hi there')]);
  });
  it('+ is a space, %XX needs two characters, bad hex stops the number', () => {
    expect(parseParams('a=1+2&b=%41%4&c=%zz&d=%2g')).toEqual([get('a', '1 2'), get('b', 'A%4'), get('c', '\0'), get('d', '\x02')]);
  });
  it('no "=" → empty value; first "=" splits; empty names dropped; order kept, duplicates kept', () => {
    expect(parseParams('flag&x=a=b&=v&&y=&x=2')).toEqual([get('flag', ''), get('x', 'a=b'), get('y', ''), get('x', '2')]);
  });
  it('names are decoded too', () => {
    expect(parseParams('a%5Bb%5D=1')).toEqual([get('a[b]', '1')]);
  });
});

describe('form body (_parsePlainPostChar)', () => {
  it('x-www-form-urlencoded after the query, decoded, post', () => {
    expect(parseParams('q=1', b('a=x+y&b=%26'), 'application/x-www-form-urlencoded')).toEqual([get('q', '1'), post('a', 'x y'), post('b', '&')]);
  });
  it('charset parameter and spaces around the media type are fine; the prefix is case-sensitive', () => {
    expect(parseParams('', b('a=1'), ' application/x-www-form-urlencoded ; charset=UTF-8')).toEqual([post('a', '1')]);
    expect(parseParams('', b('a=1'), 'Application/X-WWW-Form-Urlencoded')).toEqual([]);
  });
  it('a field starting with { or [ or without "=" is one "body" parameter (still URL-decoded)', () => {
    expect(parseParams('', b('{"a":"b+c"}'), 'application/x-www-form-urlencoded')).toEqual([post('body', '{"a":"b c"}')]);
    expect(parseParams('', b('plain&k=v'), 'application/x-www-form-urlencoded')).toEqual([post('body', 'plain'), post('k', 'v')]);
    expect(parseParams('', b('=x'), 'application/x-www-form-urlencoded')).toEqual([post('body', '=x')]);
  });
  it('& and NUL end a field; a trailing & adds nothing', () => {
    expect(parseParams('', b('a=1\0b=2&'), 'application/x-www-form-urlencoded')).toEqual([post('a', '1'), post('b', '2')]);
  });
  it('text/plain is a form only when it starts name= with something after the =', () => {
    expect(bodyKind(b('a=1&b=2'), 'text/plain')).toBe('form');
    expect(parseParams('', b('a=1&b=2'), 'text/plain')).toEqual([post('a', '1'), post('b', '2')]);
    expect(bodyKind(b('a='), 'text/plain')).toBe('raw');
    expect(bodyKind(b('hello'), 'text/plain')).toBe('raw');
    expect(bodyKind(b('{"a":1}'), 'text/plain')).toBe('raw');
    expect(bodyKind(b('a=1'), 'text/plain; charset=utf-8')).toBe('form');
    expect(bodyKind(b('a=1'), 'Text/Plain')).toBe('raw');
  });
  it('other bodies (JSON, octets) give no parameters', () => {
    expect(parseParams('x=1', b('{"a":1}'), 'application/json')).toEqual([get('x', '1')]);
    expect(parseParams('', b('a=1'), '')).toEqual([]);
  });
});

describe('multipart/form-data (_parseMultipartPostByte)', () => {
  const B = '----WebKitFormBoundaryX';
  const part = (headers: string, value: string): string => `--${B}\r\n${headers}\r\n\r\n${value}\r\n`;
  const form = (...parts: string[]): Uint8Array => b(`${parts.join('')}--${B}--\r\n`);
  const ct = `multipart/form-data; boundary=${B}`;

  it('fields (not URL-decoded) and a file (name = field name, value = file name, size)', () => {
    const body = form(
      part('Content-Disposition: form-data; name="user"', 'a+b%20c'),
      part('Content-Disposition: form-data; name="fw"; filename="fw.bin"\r\nContent-Type: application/octet-stream', 'BIN\r\n--DATA'),
      part('Content-Disposition: form-data; name="note"', 'line1\r\nline2'),
    );
    expect(parseParams('q=1', body, ct)).toEqual([get('q', '1'), post('user', 'a+b%20c'), file('fw', 'fw.bin', 11), post('note', 'line1\r\nline2')]);
  });
  it('a file field called "name" is removed by the clean-up after the file (library quirk)', () => {
    const body = form(part('Content-Disposition: form-data; name="name"; filename="x.txt"', 'abc'));
    expect(parseParams('', body, ct)).toEqual([]);
  });
  it('a wrong first boundary stops parsing', () => {
    expect(parseParams('', b('--other\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--other--\r\n'), ct)).toEqual([]);
  });
  it('boundary parameter: token or quoted, 1–70 characters, any position', () => {
    expect(multipartBoundary('multipart/form-data; boundary=abc')).toBe('abc');
    expect(multipartBoundary('multipart/form-data; charset=x; BOUNDARY="a b\\"c"')).toBe('a b"c');
    expect(multipartBoundary('multipart/form-data')).toBeUndefined();
    expect(multipartBoundary(`multipart/form-data; boundary=${'x'.repeat(71)}`)).toBeUndefined();
  });
});
