// Used by scripts/check-map-formats.
// Parses mermaid text files with mermaid's own parser (jsdom stands in for the browser DOM).
import { JSDOM } from 'jsdom';
import fs from 'node:fs';
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });
let bad = 0;
for (const f of process.argv.slice(2)) {
  const text = fs.readFileSync(f, 'utf8');
  try {
    const r = await mermaid.parse(text);
    console.log(`ok ${f} (${r.diagramType})`);
  } catch (e) {
    bad++;
    console.log(`FAIL ${f}: ${String(e.message || e).slice(0, 400)}`);
  }
}
process.exit(bad ? 1 : 0);
