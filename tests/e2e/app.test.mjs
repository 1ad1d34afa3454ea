// End to end: the built dist/ served on loopback, used in headless Chromium as a person would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';
import { launch, open } from './browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '../../dist');
const out = path.join(here, 'out');
let browser;

before(async () => {
  assert.ok(fs.existsSync(path.join(dist, 'index.html')), 'dist/ is built (make dist)');
  fs.mkdirSync(out, { recursive: true });
  browser = await launch();
});
after(async () => { await browser?.close(); });

async function workersText(page) {
  return (await page.textContent('#v-workers')) ?? '';
}

test('a person types cores and picks a server: the recommendation, the chart and the file follow', async () => {
  const server = await serve(dist);
  try {
    const { page, problems } = await open(browser.context, server.url, server.origin);
    assert.match(await workersText(page), /8 processes/);
    await page.fill('#f-cores', '6');
    await page.selectOption('#f-server', 'sync');
    await page.waitForFunction(() => document.querySelector('#v-workers')?.textContent.includes('13 processes'));
    assert.match(await workersText(page), /2 × 6 cores \+ 1/);
    const chart = await page.innerHTML('#chart-workers');
    assert.match(chart, /this plan: 6 cores → 13 processes/);
    assert.match(await page.textContent('#file-text'), /workers = 13\n/);
    await page.screenshot({ path: path.join(out, 'app.png'), fullPage: true });
    await page.screenshot({ path: path.join(out, 'viewport.png') });
    assert.deepEqual(problems, []);
    await page.close();
  } finally { server.close(); }
});

test('bad input shows a message next to the field and never breaks the page', async () => {
  const server = await serve(dist);
  try {
    const { page, problems } = await open(browser.context, server.url, server.origin);
    for (const [bad, says] of [['0', '1–256 cores'], ['abc', 'not a whole number'], ['10000', '1–256 cores']]) {
      await page.fill('#f-cores', bad);
      await page.waitForFunction((s) => document.querySelector('#e-cores')?.textContent.includes(s), says);
      assert.match(await workersText(page), /8 processes/, 'the last valid plan stays on screen');
    }
    await page.fill('#f-cores', '2');
    await page.waitForFunction(() => document.querySelector('#e-cores')?.textContent === '');
    assert.match(await workersText(page), /4 processes/);
    assert.deepEqual(problems, []);
    await page.close();
  } finally { server.close(); }
});

test('dist/ works unchanged from a sub-path of a static host', async () => {
  const server = await serve(dist, '/some/sub/path/');
  try {
    const { page, problems } = await open(browser.context, server.url, server.origin);
    await page.fill('#f-cores', '3');
    await page.waitForFunction(() => document.querySelector('#v-workers')?.textContent.includes('6 processes'));
    assert.deepEqual(problems, []);
    await page.close();
  } finally { server.close(); }
});
