#!/usr/bin/env node
// Why a slow edit is slow: `node scripts/perf-trace.mjs` makes scripts/perf.mjs's edits
// (RUNS=n of each input, 100 by default) with Chromium's tracing on, back to back or,
// with PACED=1, each once the previous one is drawn, and prints for the slowest 5 % of
// them the wall time of the page's JS (the event handler and Yew's render, the traced
// FunctionCall events) beside the CPU time the main thread got for it, and which other
// threads of Chromium ran meanwhile (ms). A wall time well above the CPU time is an edit
// that waited for a core. Needs a release build in dist/ (`make release`).
import { chromium } from 'playwright-core';
import { FLAGS } from '../tests/e2e/browser.mjs';
import { served } from '../tests/e2e/serve.mjs';
import { edit, inputs } from './edits.mjs';

const RUNS = Number(process.env.RUNS ?? 100);
const PACED = process.env.PACED === '1';
const CATEGORIES = ['devtools.timeline', 'v8', 'blink.user_timing', 'toplevel', 'cc', 'viz', 'gpu',
  'disabled-by-default-v8.gc', 'v8.wasm'];

// A browser of its own, not tests/e2e/browser.mjs's persistent context: tracing every
// process needs the browser's own CDP session, which a persistent context does not give.
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: FLAGS });
try {
  await served(async (server) => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(server.url);
    await page.waitForSelector('#f-cores');
    // Every process's events (the GPU process's compositing too), not only the page's.
    const cdp = await browser.newBrowserCDPSession();
    const events = [];
    cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
    const complete = new Promise((resolve) => cdp.on('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.start', { traceConfig: { includedCategories: CATEGORIES } });
    for (const [, next] of Object.entries(inputs)) {
      // As in scripts/perf.mjs: a few changes first, then the measured ones, each marked
      // in the trace (user timing) from its event to its last mutation.
      for (let i = 0; i < 10; i++) await edit(page, next(i + 1), { paced: PACED });
      for (let i = 0; i < RUNS; i++) await edit(page, next(i), { paced: PACED, mark: true });
      await page.click('.reset');
    }
    await cdp.send('Tracing.end');
    await complete;
    report(events);
  });
} finally {
  await browser.close();
}

/** The slowest 5 % of the marked edits, each with its main-thread and other threads' time. */
function report(events) {
  const marks = (ph) => events.filter((e) => e.name === 'edit' && e.ph === ph).sort((a, b) => a.ts - b.ts);
  const [begins, ends] = [marks('b'), marks('e')];
  const complete = events.filter((e) => e.ph === 'X' && e.dur);
  const main = complete.find((e) => e.name === 'EventDispatch');
  if (!main || begins.length === 0) throw new Error('the trace holds no marked edit or no event dispatch');
  const names = {};
  for (const e of events) {
    if (e.ph === 'M') names[e.name === 'process_name' ? `process:${e.pid}` : `thread:${e.pid}:${e.tid}`] = e.args.name;
  }
  const thread = (e) => `${names[`process:${e.pid}`] ?? e.pid}/${names[`thread:${e.pid}:${e.tid}`] ?? e.tid}`;
  // Each thread's outermost events: what it was doing, not counted twice.
  const outer = [];
  const byThread = new Map();
  for (const e of complete) {
    const key = `${e.pid}:${e.tid}`;
    if (!byThread.has(key)) byThread.set(key, []);
    byThread.get(key).push(e);
  }
  for (const list of byThread.values()) {
    let end = -Infinity;
    for (const e of list.sort((a, b) => a.ts - b.ts)) if (e.ts >= end) { outer.push(e); end = e.ts + e.dur; }
  }
  const rows = begins.map((b, k) => {
    const from = b.ts;
    const to = ends[k].ts;
    const js = complete.filter((e) => e.name === 'FunctionCall' && e.pid === main.pid && e.tid === main.tid && e.ts >= from && e.ts < to);
    const others = {};
    for (const e of outer) {
      if (e.pid === main.pid && e.tid === main.tid) continue;
      const overlap = Math.min(to, e.ts + e.dur) - Math.max(from, e.ts);
      if (overlap > 0) others[thread(e)] = (others[thread(e)] ?? 0) + overlap / 1000;
    }
    return {
      ms: (to - from) / 1000,
      wall: js.reduce((s, e) => s + e.dur, 0) / 1000,
      cpu: js.reduce((s, e) => s + (e.tdur ?? 0), 0) / 1000,
      others: Object.entries(others).filter(([, ms]) => ms >= 0.5).sort((a, b) => b[1] - a[1]),
    };
  });
  rows.sort((a, b) => b.ms - a.ms);
  const slow = rows.slice(0, Math.ceil(rows.length * 0.05));
  const rest = rows.slice(slow.length);
  const mean = (list, f) => (list.reduce((s, r) => s + f(r), 0) / list.length).toFixed(2);
  console.log(`trace: ${rows.length} edits ${PACED ? 'paced' : 'back to back'}; slowest ${slow.length}: render ms, the page's JS wall / CPU ms, other threads ms`);
  for (const r of slow) {
    const others = r.others.map(([name, ms]) => `${name} ${ms.toFixed(1)}`).join(', ');
    console.log(`trace: ${r.ms.toFixed(1).padStart(5)}  js ${r.wall.toFixed(1)} / ${r.cpu.toFixed(1)}  ${others}`);
  }
  console.log(`trace: the slowest 5 %: js wall ${mean(slow, (r) => r.wall)} / cpu ${mean(slow, (r) => r.cpu)} ms; the rest: render ${mean(rest, (r) => r.ms)}, js wall ${mean(rest, (r) => r.wall)} / cpu ${mean(rest, (r) => r.cpu)} ms`);
}
