/**
 * The sketch (firmware/src/main.cpp) and the host's contract (host/src/contract/board.ts)
 * agree on every path, event name, payload field, Serial line, default header and mDNS name,
 * in both directions. The mutation cases prove the check notices a disagreement.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { checkAgreement } from './firmware-contract-check.js';
import { sketchPath } from './firmware-helpers.js';

let sketch = '';
beforeAll(async () => {
  sketch = await readFile(sketchPath, 'utf8');
});

describe('firmware and contract agree', () => {
  it('finds no disagreement between main.cpp and contract/board.ts', () => {
    expect(checkAgreement(sketch)).toEqual([]);
  });
});

/** Each edit makes the sketch disagree with the contract in one way the check must report. */
const disagreements: { name: string; from: string | RegExp; to: string; report: RegExp }[] = [
  { name: 'renamed event', from: '"time_reading"', to: '"time_readings"', report: /event names: "time_readings" is in the sketch/ },
  { name: 'renamed route', from: 'server.on("/reset"', to: 'server.on("/rst"', report: /"\/rst" is in the sketch but not in the contract/ },
  { name: 'SSE path', from: 'events("/sse")', to: 'events("/events")', report: /routes in registration order/ },
  { name: 'handler order', from: /(\s+server\.serveStatic\([^;]+;)([\s\S]+?)(\n\s+server\.on\("\/reset")/, to: '$2$1$3', report: /serveStatic|routes/ },
  { name: 'payload field', from: 'readings["time"]', to: 'readings["t"]', report: /payload fields/ },
  { name: 'payload type', from: '= String(millis());', to: '= millis();', report: /payload field time value/ },
  { name: 'hello! retry', from: 'millis(), 10000)', to: 'millis(), 5000)', report: /hello! retry/ },
  { name: 'hello! text', from: 'client->send("hello!"', to: 'client->send("hi!"', report: /hello! data/ },
  { name: 'loop rate', from: 'delay(20)', to: 'delay(10)', report: /loop\(\) delay/ },
  { name: 'Serial line wording', from: '"HTTP server started"', to: '"HTTP server running"', report: /Serial lines: "HTTP server running" is in the sketch/ },
  { name: 'missing Serial line', from: /\s+Serial\.println\("SPIFFS mounted successfully"\);/, to: '', report: /"SPIFFS mounted successfully" is in the contract but not in the sketch/ },
  { name: 'baud', from: 'Serial.begin(115200)', to: 'Serial.begin(9600)', report: /Serial.begin baud/ },
  { name: 'hostname', from: 'kHostname = "esp-sse"', to: 'kHostname = "esp32"', report: /MDNS.begin hostname/ },
  { name: 'missing TXT item', from: /\s+MDNS\.addServiceTxt\("http", "tcp", "version", "0\.1\.0"\);/, to: '', report: /TXT items: \["version","0.1.0"\] is in the contract/ },
  { name: 'extra TXT item', from: 'MDNS.addService("http", "tcp", 80);', to: 'MDNS.addService("http", "tcp", 80);\n  MDNS.addServiceTxt("http", "tcp", "x", "y");', report: /\["x","y"\] is in the sketch/ },
  { name: 'service type', from: 'MDNS.addService("http", "tcp", 80)', to: 'MDNS.addService("esp", "tcp", 80)', report: /mDNS services/ },
  { name: 'CORS header', from: '"Access-Control-Allow-Origin", "*"', to: '"Access-Control-Allow-Origin", "http://x"', report: /DefaultHeaders/ },
  { name: 'reset reply', from: 'send(200, "text/plain", "OK")', to: 'send(200, "text/plain", "done")', report: /the \/reset reply/ },
  { name: 'index file', from: '"/index.html", "text/html"', to: '"/main.html", "text/html"', report: /the \/ handler/ },
];

describe('the agreement check reports a sketch that drifted from the contract', () => {
  for (const d of disagreements) {
    it(d.name, () => {
      const mutated = sketch.replace(d.from, d.to);
      expect(mutated, 'the edit must apply to main.cpp').not.toBe(sketch);
      const problems = checkAgreement(mutated);
      expect(problems.join('\n')).toMatch(d.report);
    });
  }
});
