// Where an edit's time goes: a CPU profile of 100 edits of one input (cores, server or mix;
// all three without one) after 20 to warm up, and each function's time per edit: inclusive
// (with what it calls) and its own.
// `node scripts/prof-incl.mjs DIST [input]`; DIST a release build whose wasm keeps its names
// (index.html's wasm-opt parameters with -g added). TOP=n prints n functions (70).
import { launch } from '../tests/e2e/browser.mjs';
import { serve } from '../tests/e2e/serve.mjs';
import { edit, inputs } from './edits.mjs';
const dir = process.argv[2];
const only = process.argv[3];
const browser = await launch();
const server = await serve(dir);
const page = await browser.context.newPage();
await page.goto(server.url);
await page.waitForSelector('#f-cores');
const named = Object.entries(inputs).filter(([k]) => !only || k === only);
for (let i = 0; i < 20; i++) for (const [, next] of named) await edit(page, next(i + 1));
const cdp = await browser.context.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
await cdp.send('Profiler.start');
let total = 0, n = 0;
for (let i = 0; i < 100; i++) for (const [, next] of named) { total += (await edit(page, next(i + 21)))[0]; n++; }
const { profile } = await cdp.send('Profiler.stop');
const byId = new Map(profile.nodes.map((x) => [x.id, x]));
const parent = new Map();
for (const x of profile.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
const name = (x) => `${x.callFrame.functionName || '(anon)'}`.replace(/::h[0-9a-f]{16}$/, '').slice(0, 100);
const incl = new Map();
const own = new Map();
const dt = profile.timeDeltas;
profile.samples.forEach((id, k) => {
  const leaf = name(byId.get(id));
  own.set(leaf, (own.get(leaf) ?? 0) + (dt[k] ?? 0));
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const nm = name(byId.get(cur));
    if (seen.has(nm)) continue;
    seen.add(nm);
    incl.set(nm, (incl.get(nm) ?? 0) + (dt[k] ?? 0));
  }
});
const rows = [...incl].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 70));
console.log(`edits ${n}, render mean ${(total / n).toFixed(2)} ms`);
console.log('  inclusive       own  ms an edit');
for (const [nm, us] of rows) console.log((us / 1000 / n).toFixed(3).padStart(10), ((own.get(nm) ?? 0) / 1000 / n).toFixed(3).padStart(9), ' ', nm);
await browser.close?.();
server.close?.();
process.exit(0);
