#!/usr/bin/env node
// How soon a first visit can use the page: N cold loads (RUNS, 20 by default) of a release
// build served on loopback (tests/e2e/serve.mjs: .wasm as application/wasm, no compression)
// in headless Debian Chromium at 1440 × 900 (WIDTH=390 for a phone's width). Each load
// gets a fresh browser context: an empty HTTP cache (so no cached wasm code either), no
// service worker, no localStorage. One load before them warms the browser process up and
// is not counted.
//
// "First interactive", precisely: the time from the navigation's start (0 of the page's
// performance.now(), its timeOrigin) to the moment the page's answer to an edit is drawn.
// A script injected before the page's own (addInitScript) watches the DOM (a
// MutationObserver); as soon as the verdict #v-verdict is in it, it types one more core
// into #f-cores (an `input` event, as a person's key would). When the summary's
// #v-workers shows the new number (seen by the observer right after Yew's patch: "edit
// answered"), it waits for the next frame (requestAnimationFrame, then a task queued
// from it, which runs once that frame is painted): that is the moment. So it holds the
// HTML, the JS and the wasm fetched, the wasm compiled, the app started, its first
// render, what the browser does before Yew goes on (the first frame, when Yew yields to
// it), the edit handled (the model and the DOM patch) and the frame that shows it.
// Also printed: "verdict", when #v-verdict first appears (the first render is in the
// DOM); "edit answered"; "charts", when the throughput chart is first in the DOM (the app
// may draw the charts after the first paint); and when the wasm's response ended
// (resource timing). Each as p50 / p95 / min / max in ms.
//
// `node scripts/first-load.mjs [dir…]` (dist/ by default): with several builds, the loads
// alternate between them, so the machine's drift weighs on each alike. The machine's load
// average is printed before and after: measure when it is low. `make first-load` runs it.
import { chromium } from 'playwright-core';
import os from 'node:os';
import path from 'node:path';
import { FLAGS } from '../tests/e2e/browser.mjs';
import { served, dist } from '../tests/e2e/serve.mjs';

const RUNS = Number(process.env.RUNS ?? 20);
const WIDTH = Number(process.env.WIDTH ?? 1440);
const roots = process.argv.length > 2 ? process.argv.slice(2).map((d) => path.resolve(d)) : [dist];

// Runs in the page before any of its scripts.
const probe = () => {
  const at = {};
  window.__firstLoad = new Promise((resolve) => {
    let before = null;
    const finish = () => {
      observer.disconnect();
      const wasm = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm'));
      resolve({ ...at, wasm: wasm[0]?.responseEnd, wasmRequests: wasm.length });
    };
    const check = () => {
      const now = performance.now();
      if (at.verdict === undefined && document.getElementById('v-verdict')) {
        at.verdict = now;
        const cores = document.getElementById('f-cores');
        before = document.querySelector('#v-workers .number')?.textContent;
        cores.value = String(Number(cores.value) + 1);
        cores.dispatchEvent(new InputEvent('input', { bubbles: true }));
      }
      if (at.verdict !== undefined && at.answered === undefined && document.querySelector('#v-workers .number')?.textContent !== before) {
        at.answered = now;
        requestAnimationFrame(() => setTimeout(() => {
          at.interactive = performance.now();
          if (at.charts !== undefined) finish(); else setTimeout(finish, 5000);
        }));
      }
      if (at.charts === undefined && document.getElementById('chart-throughput')) at.charts = now;
      if (at.interactive !== undefined && at.charts !== undefined) finish();
    };
    const observer = new MutationObserver(check);
    observer.observe(document, { childList: true, subtree: true, characterData: true });
  });
};

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
const stats = (ms) => {
  const s = [...ms].sort((a, b) => a - b);
  return `p50 ${quantile(s, 0.5).toFixed(0)}  p95 ${quantile(s, 0.95).toFixed(0)}  min ${s[0].toFixed(0)}  max ${s.at(-1).toFixed(0)} ms`;
};
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

console.log(`first-load: ${RUNS} cold loads of each build at ${WIDTH} px; load average before: ${load()}`);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: FLAGS });
const seen = roots.map(() => ({ interactive: [], verdict: [], answered: [], charts: [], wasm: [] }));
try {
  // One server per build, each its own origin.
  const serve = (i, body) => (i === roots.length ? body([]) :
    served((server) => serve(i + 1, (rest) => body([server, ...rest])), { root: roots[i] }));
  await serve(0, async (servers) => {
    for (let run = -1; run < RUNS; run++) {
      for (const [i, server] of servers.entries()) {
        const context = await browser.newContext({ viewport: { width: WIDTH, height: 900 } });
        await context.addInitScript(probe);
        const page = await context.newPage();
        const errors = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(server.url);
        const t = await page.evaluate(() => window.__firstLoad);
        await context.close();
        if (errors.length) throw new Error(errors.join('; '));
        if (t.wasmRequests !== 1) throw new Error(`${roots[i]}: the wasm was fetched ${t.wasmRequests} times`);
        if (run < 0) continue;
        for (const k of Object.keys(seen[i])) seen[i][k].push(t[k] ?? NaN);
        if (process.env.DEBUG) console.log(roots[i], JSON.stringify(t));
      }
    }
  });
} finally {
  await browser.close();
}
for (const [i, root] of roots.entries()) {
  console.log(path.relative(process.cwd(), root) || '.');
  console.log(`  first interactive  ${stats(seen[i].interactive)}`);
  console.log(`  verdict in the DOM ${stats(seen[i].verdict)}`);
  console.log(`  edit answered      ${stats(seen[i].answered)}`);
  console.log(`  charts in the DOM  ${stats(seen[i].charts)}`);
  console.log(`  wasm response end  ${stats(seen[i].wasm)}`);
}
console.log(`load average after: ${load()}`);
