/**
 * A compiled sketch's `request->send(...)`, turned into the library's bytes by the board's
 * models: the `response` frame says which response the sketch built (sketch-link.ts
 * `ResponseKind`), and the same code that answers for the TypeScript model writes it.
 */
import { chunkCapacities, chunkTemplateBody, parseTemplate } from '../../protocol/http-template.js';
import { assembleResponseHead, type HeaderList } from '../../protocol/http-response.js';
import { latin1, ResponseKind, text, type Frame } from '../../protocol/sketch-link.js';
import { disposition, sendFile } from '../http/file-handlers.js';
import type { EmuRequest } from '../http/request.js';
import type { FileSource } from './file-source.js';

/** Asks the app's template processor for each placeholder name, in order (one round trip). */
export type TemplateValues = (requestId: number, names: string[]) => Promise<string[]>;

/** Response flags (`d` of the frame). */
const download = 1;
const connectionAfterHeaders = 2;

function pairs(list: readonly Uint8Array[]): Array<readonly [string, string]> {
  const out: Array<readonly [string, string]> = [];
  for (let i = 0; i + 1 < list.length; i += 2) out.push([latin1(list[i]!), latin1(list[i + 1]!)]);
  return out;
}

/** Answers `req` as the `response` frame `f` says. */
export async function respond(req: EmuRequest, f: Frame, files: FileSource, values: TemplateValues): Promise<void> {
  const status = f.c;
  const contentType = latin1(f.s1);
  const headers = pairs(f.l1);
  switch (f.a) {
    case ResponseKind.basic:
      req.sendBasic(status, contentType, f.s2, headers, f.d & connectionAfterHeaders ? 'respond' : 'constructor');
      return;
    case ResponseKind.file:
      sendFile(req, files, text(f.s2), contentType, { download: (f.d & download) !== 0, headers });
      return;
    case ResponseKind.fileTemplate: {
      const path = text(f.s2);
      const source = files.read(path);
      // No plain file: the library's file response serves the .gz or answers as for a missing
      // file, and a gzip body is never templated.
      if (!source || source.length === 0) {
        await values(f.b, []);
        sendFile(req, files, path, contentType, { download: (f.d & download) !== 0, headers });
        return;
      }
      await sendTemplate(req, f, source, contentType, [disposition(req, path, (f.d & download) !== 0), ...headers], values);
      return;
    }
    case ResponseKind.textTemplate:
      await sendTemplate(req, f, f.s2, contentType, headers, values);
      return;
    default:
      throw new Error(`the sketch sent a response of kind ${f.a}, which this emulator does not know`);
  }
}

/** A template response: chunked, `Connection` after its own headers (AsyncAbstractResponse). */
async function sendTemplate(req: EmuRequest, f: Frame, source: Uint8Array, contentType: string, headers: HeaderList, values: TemplateValues): Promise<void> {
  const names = parseTemplate(source).parts.flatMap((p) => ('name' in p ? [p.name] : []));
  const got = await values(f.b, names);
  // The processor's answers by name, in the order it gave them.
  const byName = new Map<string, string[]>();
  names.forEach((n, i) => byName.set(n, [...(byName.get(n) ?? []), got[i] ?? '']));
  const processor = (n: string): string => byName.get(n)?.shift() ?? '';
  const spec = {
    status: f.c,
    defaultHeaders: req.defaultHeaderList,
    headers,
    connectionClose: 'respond' as const,
    contentType,
    chunked: true,
  };
  const head = assembleResponseHead(req.profile, req.head.version, spec);
  const body = chunkTemplateBody(source, processor, chunkCapacities(head.length));
  req.sendRaw(head, body);
}
