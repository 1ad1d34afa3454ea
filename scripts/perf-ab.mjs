#!/usr/bin/env node
// Two builds side by side: `node scripts/perf-ab.mjs distA distB [rounds]` opens each in
// its own headless Chromium and changes the cores, the server type and the mix on them in
// turn, edit by edit (the order alternating each round), so a machine that grows busier
// or quieter during the run weighs on both alike. Each edit is timed as scripts/perf.mjs
// times it (event to last DOM mutation) and made, as there, once the previous one is
// drawn. Prints p50 / p95 per build, for all edits and per input. How every speed change
// was judged: `make perf`'s figures move with the machine by more than most changes are
// worth. 300 rounds by default (900 edits per build).
import { launch } from '../tests/e2e/browser.mjs';
import { serve } from '../tests/e2e/serve.mjs';
import path from 'node:path';
import { edit, inputs } from './edits.mjs';

const dirs = process.argv.slice(2, 4).map((d) => path.resolve(d));
if (dirs.length !== 2) {
  console.error('usage: node scripts/perf-ab.mjs distA distB [rounds]');
  process.exit(2);
}
const ROUNDS = Number(process.argv[4] ?? 300);

const named = Object.entries(inputs);

const sides = [];
try {
  for (const dir of dirs) {
    const browser = await launch();
    const server = await serve(dir);
    sides.push({ dir, browser, server, ms: named.map(() => []) });
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.waitForSelector('#f-cores');
    for (let i = 0; i < 31; i++) for (const [, next] of named) await edit(page, next(i + 1));
    sides.at(-1).page = page;
  }
  for (let i = 0; i < ROUNDS; i++) {
    for (const [k, [, next]] of named.entries()) {
      for (const side of i % 2 ? sides : [...sides].reverse()) side.ms[k].push((await edit(side.page, next(i)))[0]);
    }
  }
  const q = (ms, p) => {
    const s = [...ms].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)].toFixed(2);
  };
  for (const side of sides) {
    const per = named.map(([name], k) => `${name} ${q(side.ms[k], 0.5)}/${q(side.ms[k], 0.95)}`).join('  ');
    console.log(`${path.basename(side.dir).padEnd(16)} all p50 ${q(side.ms.flat(), 0.5)} p95 ${q(side.ms.flat(), 0.95)} ms | ${per}`);
  }
} finally {
  for (const side of sides) {
    await side.browser.close();
    side.server.close();
  }
}
