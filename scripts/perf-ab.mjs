#!/usr/bin/env node
// Two builds side by side: `node scripts/perf-ab.mjs distA distB [rounds]` opens each in
// its own headless Chromium and changes the cores, the server type and the mix on them in
// turn, edit by edit (the order alternating each round), so a machine that grows busier
// or quieter during the run weighs on both alike. Each edit is timed as scripts/perf.mjs
// times it (event to last DOM mutation). Prints p50 / p95 per build, for all edits and per
// input. How every speed change was judged: `make perf`'s figures move with the machine
// by more than most changes are worth. 300 rounds by default (900 edits per build).
import { launch } from '../tests/e2e/browser.mjs';
import { serve } from '../tests/e2e/serve.mjs';
import path from 'node:path';

const dirs = process.argv.slice(2, 4).map((d) => path.resolve(d));
if (dirs.length !== 2) {
  console.error('usage: node scripts/perf-ab.mjs distA distB [rounds]');
  process.exit(2);
}
const ROUNDS = Number(process.argv[4] ?? 300);

/** In the page: one change, its duration in ms (NaN when it changed nothing). */
async function change([selector, value, kind]) {
  const el = document.querySelector(selector);
  let last = 0;
  let seen = 0;
  const observer = new MutationObserver(() => { last = performance.now(); seen++; });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  el.value = value;
  const start = performance.now();
  el.dispatchEvent(new Event(kind, { bubbles: true }));
  for (let before = -1; before !== seen;) {
    before = seen;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  observer.disconnect();
  return seen === 0 ? NaN : last - start;
}

const SERVERS = ['sync', 'gthread', 'gevent', 'async'];
const MIXES = ['20,50,30', '100,0,0', '0,100,0', '0,0,100', '50,25,25', '10,80,10'];
const inputs = [
  ['cores', (i) => ['#f-cores', String(1 + (i % 32)), 'input']],
  ['server', (i) => ['#f-server', SERVERS[i % SERVERS.length], 'change']],
  ['mix', (i) => ['#f-mix', MIXES[i % MIXES.length], 'input']],
];

const sides = [];
try {
  for (const dir of dirs) {
    const browser = await launch();
    const server = await serve(dir);
    sides.push({ dir, browser, server, ms: inputs.map(() => []) });
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.waitForSelector('#f-cores');
    for (let i = 0; i < 30; i++) for (const [, next] of inputs) await page.evaluate(change, next(i + 1));
    sides.at(-1).page = page;
  }
  for (let i = 0; i < ROUNDS; i++) {
    for (const [k, [, next]] of inputs.entries()) {
      for (const side of i % 2 ? sides : [...sides].reverse()) side.ms[k].push(await side.page.evaluate(change, next(i)));
    }
  }
  const q = (ms, p) => {
    const s = ms.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)].toFixed(2);
  };
  for (const side of sides) {
    const per = inputs.map(([name], k) => `${name} ${q(side.ms[k], 0.5)}/${q(side.ms[k], 0.95)}`).join('  ');
    console.log(`${path.basename(side.dir).padEnd(16)} all p50 ${q(side.ms.flat(), 0.5)} p95 ${q(side.ms.flat(), 0.95)} ms | ${per}`);
  }
} finally {
  for (const side of sides) {
    await side.browser.close();
    side.server.close();
  }
}
