// Temporary: CPU profile of the page's edits, self time by function.
import { launch } from '../tests/e2e/browser.mjs';
import { serve } from '../tests/e2e/serve.mjs';
import { edit, inputs } from './edits.mjs';
const dir = process.argv[2];
const browser = await launch();
const server = await serve(dir);
const page = await browser.context.newPage();
await page.goto(server.url);
await page.waitForSelector('#f-cores');
const named = Object.entries(inputs);
for (let i = 0; i < 20; i++) for (const [, next] of named) await edit(page, next(i + 1));
const cdp = await browser.context.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
await cdp.send('Profiler.start');
let total = 0;
for (let i = 0; i < 100; i++) for (const [, next] of named) total += (await edit(page, next(i + 21)))[0];
const { profile } = await cdp.send('Profiler.stop');
const self = new Map();
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const dt = profile.timeDeltas;
const counts = new Map();
profile.samples.forEach((id, k) => counts.set(id, (counts.get(id) ?? 0) + (dt[k] ?? 0)));
for (const [id, us] of counts) {
  const n = byId.get(id);
  const name = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}`;
  self.set(name, (self.get(name) ?? 0) + us);
}
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, 45);
console.log(`edits 300, render total ${total.toFixed(0)} ms`);
for (const [name, us] of rows) console.log((us / 1000).toFixed(1).padStart(8), 'ms', name.slice(0, 110));
await browser.close?.();
server.close?.();
process.exit(0);
