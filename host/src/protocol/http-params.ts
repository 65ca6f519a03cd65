/**
 * Request parameters as ESPAsyncWebServer 3.12.0 collects them (src/WebRequest.cpp):
 * `_addGetParams` for the query, then the body's: `_parsePlainPostChar` for a form body,
 * `_parseMultipartPostByte` for multipart/form-data. Order = the library's `_params` order.
 *
 * - Names and values go through the library's `urlDecode` (`%XX` when two characters follow,
 *   `+` → space), form-body values included; a parameter whose decoded name is empty is dropped.
 * - Query: split at `&`, name and value at the first `=`; no `=` → empty value.
 * - Form body (`post`): `application/x-www-form-urlencoded…` (case-sensitive prefix of the
 *   media type), or exactly `text/plain` when the body starts with a name and its first `=` has
 *   something after it. Fields end at `&` or a NUL byte. A field that starts with `{` or `[` or
 *   has no `=` past its first byte is one parameter named `body`. Any other body is not parsed
 *   (the sketch gets it through onBody). The library applies the text/plain test to the first
 *   TCP segment of the body; here it is applied to the whole body.
 * - multipart/form-data: a field is `(name, value, post)`; a file is `(name, filename, post,
 *   file, size)` once its closing boundary has been read. After each file every post+file
 *   parameter named `name` or `filename` is removed (the library's clean-up of the
 *   Content-Disposition entries it added, which also removes a file field called so).
 *   Values are not URL-decoded there.
 *
 * Strings hold bytes as latin1 characters.
 */
import { decodeUrl, trimArduino } from './http-text.js';

export interface RequestParam {
  readonly name: string;
  readonly value: string;
  /** From the body (`isPost()`). */
  readonly post: boolean;
  /** An uploaded file (`isFile()`): `value` is its file name. */
  readonly file: boolean;
  /** `size()`: a file's length, else 0. */
  readonly size: number;
}

const param = (name: string, value: string, post = false, file = false, size = 0): RequestParam => ({ name, value, post, file, size });

/**
 * The parameters of a request: query first, then the body's (see the module comment).
 * `contentType` is the Content-Type header value as received.
 */
export function parseParams(query: string, body?: Uint8Array, contentType = ''): RequestParam[] {
  const params = queryParams(query);
  if (body && body.length > 0) params.push(...bodyParams(body, contentType));
  return params;
}

/** `_addGetParams`. */
export function queryParams(query: string): RequestParam[] {
  const out: RequestParam[] = [];
  let start = 0;
  while (start < query.length) {
    let end = query.indexOf('&', start);
    if (end < 0) end = query.length;
    let equal = query.indexOf('=', start);
    if (equal < 0 || equal > end) equal = end;
    const name = decodeUrl(query.slice(start, equal));
    const value = decodeUrl(equal + 1 < end ? query.slice(equal + 1, end) : '');
    if (name.length) out.push(param(name, value));
    start = end + 1;
  }
  return out;
}

/** What the library does with a body of this Content-Type. */
export function bodyKind(body: Uint8Array, contentType: string): 'form' | 'multipart' | 'raw' {
  if (contentType.slice(0, 10).toLowerCase() === 'multipart/') return 'multipart';
  const semi = contentType.indexOf(';');
  const mediaType = trimArduino(semi < 0 ? contentType : contentType.slice(0, semi));
  if (mediaType.startsWith('application/x-www-form-urlencoded')) return 'form';
  if (mediaType === 'text/plain' && looksLikeForm(body)) return 'form';
  return 'raw';
}

/** A name character for the text/plain test: not NUL, `{`, `[`, `&` or `=`. */
function isParamChar(c: number): boolean {
  return c !== 0 && c !== 0x7b && c !== 0x5b && c !== 0x26 && c !== 0x3d;
}

/** text/plain counts as a form when the first non-name byte is `=`, with at least one byte after it. */
function looksLikeForm(body: Uint8Array): boolean {
  if (!isParamChar(body[0] ?? 0)) return false;
  let k = 0;
  while (k < body.length && isParamChar(body[k] as number)) k++;
  return k + 1 < body.length && body[k] === 0x3d;
}

function bodyParams(body: Uint8Array, contentType: string): RequestParam[] {
  const kind = bodyKind(body, contentType);
  if (kind === 'form') return formParams(body);
  if (kind === 'multipart') {
    const boundary = multipartBoundary(contentType);
    return boundary === undefined ? [] : multipartParams(body, boundary);
  }
  return [];
}

/** `_parsePlainPostChar` over the whole body. */
export function formParams(body: Uint8Array): RequestParam[] {
  const out: RequestParam[] = [];
  let field = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as number;
    if (c !== 0 && c !== 0x26) field += String.fromCharCode(c);
    if (c === 0 || c === 0x26 || i === body.length - 1) {
      let name = 'body';
      let value = field;
      const eq = field.indexOf('=');
      if (field[0] !== '{' && field[0] !== '[' && eq > 0) {
        name = field.slice(0, eq);
        value = field.slice(eq + 1);
      }
      name = decodeUrl(name);
      if (name.length) out.push(param(name, decodeUrl(value), true));
      field = '';
    }
  }
  return out;
}

/**
 * The `boundary=` parameter of a multipart Content-Type (token, or quoted with `\` escapes),
 * 1–70 characters; `undefined` where the library aborts the request (RST) instead. Malformed
 * values are handled as in the library's current source; the 3.12.0 tag's handling of them is
 * UNVERIFIED.
 */
export function multipartBoundary(contentType: string): string | undefined {
  const params = contentType.split(';').slice(1);
  for (const raw of params) {
    const p = raw.replace(/^[ \t]+/, '');
    if (p.length > 9 && p.slice(0, 9).toLowerCase() === 'boundary=') {
      let v = p.slice(9).replace(/^[ \t]+/, '');
      if (v.startsWith('"')) {
        const m = /^"((?:\\.|[^"\\])*)"/.exec(v);
        if (!m) return undefined;
        v = (m[1] as string).replace(/\\(.)/g, '$1');
      } else {
        v = v.replace(/[ \t]+$/, '');
      }
      return v.length >= 1 && v.length <= 70 ? v : undefined;
    }
  }
  return undefined;
}

/** Arduino `String::substring(left, right)` with the C++ unsigned conversions (-1 → end). */
function substring(s: string, left: number, right = s.length): string {
  let l = left >>> 0;
  let r = right >>> 0;
  if (l > r) [l, r] = [r, l];
  if (l >= s.length) return '';
  return s.slice(l, Math.min(r, s.length));
}

type MultipartState =
  | 'boundary' | 'headers' | 'data' | 'cr' | 'dash1' | 'dash2' | 'boundary-or-data' | 'dash3-or-cr' | 'lf' | 'finished' | 'error';

/** `_parseMultipartPostByte` over the whole body. */
export function multipartParams(body: Uint8Array, boundary: string): RequestParam[] {
  const out: RequestParam[] = [];
  const b = boundary;
  let state: MultipartState = 'boundary';
  let line = '';
  let itemName = '';
  let itemFilename = '';
  let itemValue = '';
  let itemIsFile = false;
  let itemSize = 0;
  let position = 0;
  let contentLength = body.length;

  const write = (s: string): void => {
    itemSize += s.length;
    if (!itemIsFile) itemValue += s;
  };
  const field = (text: string): void => {
    // `name="x"; filename="y"`: the value starts two characters after `=` and stops one before `;`.
    const name = substring(text, 0, text.indexOf('='));
    const hasMore = text.indexOf(';') > 0;
    const value = substring(text, text.indexOf('=') + 2, hasMore ? text.indexOf(';') - 1 : text.length - 1);
    if (name === 'name') itemName = value;
    else if (name === 'filename') {
      itemFilename = value;
      itemIsFile = true;
    }
  };
  const header = (h: string): void => {
    if (h.length > 12 && h.slice(0, 12).toLowerCase() === 'content-type') {
      itemIsFile = true;
    } else if (h.length > 19 && h.slice(0, 19).toLowerCase() === 'content-disposition') {
      let rest = substring(h, h.indexOf(';') + 2);
      while (rest.indexOf(';') > 0) {
        field(rest);
        rest = substring(rest, rest.indexOf(';') + 2);
      }
      field(rest);
      if (itemIsFile && itemName.length && itemFilename.length) out.push(param('name', itemName, true, true), param('filename', itemFilename, true, true));
    }
  };
  const step = (c: number, index: number): void => {
    const ch = String.fromCharCode(c);
    switch (state) {
      case 'data':
        if (ch !== '\r') write(ch);
        else state = 'cr';
        return;
      case 'boundary':
        if (index < 2) {
          if (ch !== '-') state = 'error';
        } else if (index - 2 < b.length) {
          if (b[index - 2] !== ch) state = 'error';
        } else if (index - 2 === b.length) {
          if (ch !== '\r') state = 'error';
        } else if (index - 3 === b.length) {
          if (ch !== '\n') state = 'error';
          else {
            state = 'headers';
            itemIsFile = false;
          }
        }
        return;
      case 'headers':
        if (ch !== '\r' && ch !== '\n') line += ch;
        if (ch === '\n') {
          if (line.length) header(line);
          else {
            state = 'data';
            itemSize = 0;
            itemValue = '';
          }
          line = '';
        }
        return;
      case 'cr':
        if (ch !== '\n') return reprocess('\r', c, index);
        state = 'dash1';
        return;
      case 'dash1':
        if (ch !== '-') return reprocess('\r\n', c, index);
        state = 'dash2';
        return;
      case 'dash2':
        if (ch !== '-') return reprocess('\r\n-', c, index);
        state = 'boundary-or-data';
        position = 0;
        return;
      case 'boundary-or-data':
        if (position < b.length && b[position] !== ch) return reprocess(`\r\n--${b.slice(0, position)}`, c, index);
        if (position === b.length - 1) {
          state = 'dash3-or-cr';
          if (!itemIsFile) out.push(param(itemName, itemValue, true));
          else {
            out.push(param(itemName, itemFilename, true, true, itemSize));
            for (let i = out.length - 1; i >= 0; i--) {
              const p = out[i] as RequestParam;
              if (p.post && p.file && (p.name === 'name' || p.name === 'filename')) out.splice(i, 1);
            }
            itemIsFile = false;
          }
        } else {
          position++;
        }
        return;
      case 'dash3-or-cr':
        // `--` after the boundary ends the body; the library cuts the request there.
        if (ch === '-' && contentLength !== index + 4) contentLength = index + 4;
        if (ch === '\r') state = 'lf';
        else if (ch === '-' && contentLength === index + 4) state = 'finished';
        else reprocess(`\r\n--${b}`, c, index);
        return;
      case 'lf':
        if (ch === '\n') {
          state = 'headers';
          itemIsFile = false;
        } else {
          reprocess(`\r\n--${b}\r`, c, index);
        }
        return;
      default:
        return;
    }
  };
  /** Not a boundary after all: the bytes taken for one are data; look at this byte again. */
  const reprocess = (taken: string, c: number, index: number): void => {
    state = 'data';
    write(taken);
    step(c, index);
  };
  for (let i = 0; i < body.length; i++) {
    if (i === 0) {
      line = '';
      itemName = '';
      itemFilename = '';
    }
    step(body[i] as number, i);
  }
  return out;
}
