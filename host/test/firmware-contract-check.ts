/**
 * Compares the sketch with host/src/contract/board.ts, in both directions: every path, event
 * name, payload field, Serial line, default header and mDNS name the sketch uses must be in
 * the contract, and everything in the contract must be in the sketch. Returns the
 * disagreements as sentences (empty = they agree).
 */
import * as contract from '../src/contract/index.js';
import {
  evaluate,
  findCalls,
  functionBody,
  stringConstants,
  stringLiterals,
  stripComments,
  type Call,
  type Value,
} from './firmware-sketch-scan.js';

const show = (v: unknown): string => JSON.stringify(v);
const isExpr = (v: Value, expr: string): boolean => typeof v === 'object' && v !== null && v.expr === expr;

export function checkAgreement(sketch: string): string[] {
  const src = stripComments(sketch);
  const consts = stringConstants(src);
  const val = (call: Call | undefined, i: number): Value => evaluate(call?.args[i], consts);
  const problems: string[] = [];
  const expectEq = (what: string, actual: unknown, expected: unknown): void => {
    if (show(actual) !== show(expected)) problems.push(`${what}: sketch has ${show(actual)}, contract has ${show(expected)}`);
  };
  const setDiff = (what: string, sketchSide: Iterable<unknown>, contractSide: Iterable<unknown>): void => {
    const a = new Set([...sketchSide].map(show));
    const b = new Set([...contractSide].map(show));
    for (const x of a) if (!b.has(x)) problems.push(`${what}: ${x} is in the sketch but not in the contract`);
    for (const x of b) if (!a.has(x)) problems.push(`${what}: ${x} is in the contract but not in the sketch`);
  };

  // --- HTTP: server port, routes in registration order, what each answers -----------------
  const serverDecl = /AsyncWebServer\s+(\w+)\s*\(\s*(\d+)\s*\)/.exec(src);
  const server = serverDecl?.[1] ?? 'server';
  expectEq('HTTP port (AsyncWebServer) = advertised mDNS port', Number(serverDecl?.[2]), contract.mdns.port);
  const sources = [...src.matchAll(/AsyncEventSource\s+(\w+)\s*\(\s*("[^"]*")\s*\)/g)];
  const eventsVar = sources[0]?.[1] ?? 'events';
  const ons = findCalls(src, `${server}.on`);
  const added = findCalls(src, `${server}.addHandler`);
  const registered: { at: number; route: Value }[] = ons.map((c) => ({ at: c.at, route: val(c, 0) }));
  for (const [, name, url] of sources) {
    const add = added.find((c) => c.args[0] === `&${name}`);
    if (!add) problems.push(`AsyncEventSource ${name} is never added with ${server}.addHandler(&${name})`);
    else registered.push({ at: add.at, route: evaluate(url, consts) });
  }
  registered.sort((a, b) => a.at - b.at);
  expectEq('routes in registration order', registered.map((r) => r.route), Object.values(contract.routes));
  for (const on of ons) expectEq(`method of ${server}.on(${on.args[0]})`, on.args[1], 'HTTP_GET');

  const statics = findCalls(src, `${server}.serveStatic`);
  expectEq('serveStatic(uri, fs, path)', statics.map((c) => [val(c, 0), c.args[1], val(c, 2)]), [['/', 'SPIFFS', '/']]);
  const rootOn = ons.find((c) => val(c, 0) === contract.routes.root);
  const sseAdd = added.find((c) => c.args[0] === `&${eventsVar}`);
  if (statics[0] && rootOn && sseAdd && !(rootOn.at < statics[0].at && statics[0].at < sseAdd.at)) {
    problems.push('serveStatic must be registered after on("/") and before the event source (wire doc §10)');
  }
  const begin = findCalls(src, `${server}.begin`)[0];
  const lastRegistration = Math.max(...registered.map((r) => r.at), ...statics.map((s) => s.at));
  if (!begin || begin.at < lastRegistration) problems.push(`${server}.begin() must come after every handler`);

  const headers = findCalls(src, 'DefaultHeaders::Instance().addHeader');
  expectEq('DefaultHeaders', Object.fromEntries(headers.map((c) => [val(c, 0), val(c, 1)])), contract.defaultHeaders);
  const firstHandler = Math.min(...registered.map((r) => r.at), ...statics.map((s) => s.at));
  if (headers.some((h) => h.at > firstHandler)) problems.push('DefaultHeaders must be added before the first handler');

  const rootBody = rootOn?.args[2] ?? '';
  const fileSend = findCalls(rootBody, 'request->send')[0];
  expectEq('the / handler', [fileSend?.args[0], val(fileSend, 1), val(fileSend, 2)], [
    'SPIFFS',
    contract.indexFile,
    contract.indexContentType,
  ]);
  const resetOn = ons.find((c) => val(c, 0) === contract.routes.reset);
  const resetBody = resetOn?.args[2] ?? '';
  const reply = findCalls(resetBody, 'request->send')[0];
  expectEq('the /reset reply', { status: val(reply, 0), contentType: val(reply, 1), body: val(reply, 2) }, contract.resetReply);

  // Every path-like literal in the sketch is one the contract knows, and vice versa.
  const contractPaths = [...Object.values(contract.routes), contract.indexFile, contract.mdns.txt.sse];
  setDiff('paths', stringLiterals(src).filter((s) => s.startsWith('/')), contractPaths);

  // --- SSE: hello!, event names, payload ------------------------------------------------------
  const onConnect = findCalls(src, `${eventsVar}.onConnect`)[0]?.args[0] ?? '';
  const hello = findCalls(onConnect, 'client->send')[0];
  expectEq('hello! data', val(hello, 0), contract.hello.data);
  expectEq('hello! event name', val(hello, 1), null);
  if (!isExpr(val(hello, 2), 'millis()')) problems.push('hello! id must be millis()');
  expectEq('hello! retry', val(hello, 3), contract.hello.retryMs);

  const loop = functionBody(src, /void\s+loop\s*\(\s*\)/).body;
  const sends = findCalls(src, `${eventsVar}.send`);
  setDiff('event names', sends.map((c) => val(c, 1)), Object.values(contract.events));
  const loopSends = findCalls(loop, `${eventsVar}.send`);
  expectEq('event sent by loop()', loopSends.map((c) => val(c, 1)), [contract.events.reading]);
  expectEq('event sent by /reset', findCalls(resetBody, `${eventsVar}.send`).map((c) => val(c, 1)), [contract.events.reset]);
  for (const c of sends) {
    if (!isExpr(val(c, 2), 'millis()')) problems.push(`${val(c, 1)} id must be millis()`);
  }
  const payloadFns = new Set(sends.map((c) => /^(\w+)\(\)\.c_str\(\)$/.exec(c.args[0] ?? '')?.[1]));
  if (payloadFns.size !== 1 || payloadFns.has(undefined)) {
    problems.push('every event must carry the one payload builder: events.send(<fn>().c_str(), …)');
  }
  const [payloadFn] = [...payloadFns];
  const builder = payloadFn ? functionBody(src, new RegExp(`String\\s+${payloadFn}\\s*\\(\\s*\\)`)).body : '';
  const fields = [...builder.matchAll(/(\w+)\["([^"]+)"\]\s*=\s*([^;]+);/g)];
  expectEq('payload fields', fields.map((f) => f[2]), contract.readingFields);
  for (const f of fields) expectEq(`payload field ${f[2]} value`, f[3]?.trim(), 'String(millis())');
  if (!/JSON\.stringify\(\s*\w+\s*\)/.test(builder)) problems.push('the payload must be JSON.stringify(readings)');

  const delays = findCalls(loop, 'delay').map((c) => val(c, 0));
  expectEq('loop() delay', delays, [contract.loopDelayMs]);

  // --- Serial ---------------------------------------------------------------------------------
  expectEq('Serial.begin baud', findCalls(src, 'Serial.begin').map((c) => val(c, 0)), [contract.serial.baud]);
  const printed: string[] = [];
  for (const fn of ['Serial.print', 'Serial.println', 'Serial.printf']) {
    for (const c of findCalls(src, fn)) {
      const text = val(c, 0);
      if (typeof text === 'string') printed.push(fn === 'Serial.printf' ? text.replace(/\n$/, '') : text);
    }
  }
  setDiff('Serial lines', printed, Object.values(contract.serial.lines));

  // --- mDNS -------------------------------------------------------------------------------------
  expectEq('MDNS.begin hostname', findCalls(src, 'MDNS.begin').map((c) => val(c, 0)), [contract.mdns.hostname]);
  const started = findCalls(src, 'Serial.printf').find((c) => val(c, 0) === `${contract.serial.lines.mdnsStarted}\n`);
  expectEq('hostname printed in the mDNS line', val(started, 1), contract.mdns.hostname);
  const services = findCalls(src, 'MDNS.addService').map((c) => [`_${val(c, 0)}._${val(c, 1)}`, val(c, 2)]);
  expectEq('mDNS services', services, [[contract.mdns.service, contract.mdns.port]]);
  const txt = findCalls(src, 'MDNS.addServiceTxt');
  for (const c of txt) expectEq('TXT item service', `_${val(c, 0)}._${val(c, 1)}`, contract.mdns.service);
  setDiff('mDNS TXT items', txt.map((c) => [val(c, 2), val(c, 3)]), Object.entries(contract.mdns.txt));

  return problems;
}
