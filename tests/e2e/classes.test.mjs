// End to end: request classes — add one, rename it, give it a share, remove another;
// the link carries them and a reload shows the same classes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, until, withPlanner } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const names = (page) => page.$$eval('.class-rows tbody tr', (rows) => rows.map((r) => r.querySelector('input').value));
const column = (page, key) => page.$$eval(`.class-rows input[id^="f-${key}-"]`, (xs) => xs.map((x) => x.value));

test('a class is added, renamed and given a share, another removed; the link reloads the same classes', () => withPlanner(browser, async (page) => {
  assert.deepEqual(await names(page), ['CPU-bound', 'I/O-bound', 'mixed']);
  // By keyboard: focus Add class and press Enter.
  await page.focus('#add-class');
  await page.keyboard.press('Enter');
  await until(page, () => document.querySelectorAll('.class-rows tbody tr').length === 4);
  await page.fill('#f-classes-3', 'search');
  await page.fill('#f-mix-3', '10');
  await page.fill('#f-mix-1', '40');
  await page.fill('#f-cpu_ms-3', '3');
  await page.fill('#f-p95-3', '80');
  await page.click('[aria-label="Remove CPU-bound"]');
  await until(page, () => document.querySelectorAll('.class-rows tbody tr').length === 3);
  assert.deepEqual(await names(page), ['I/O-bound', 'mixed', 'search']);
  assert.deepEqual(await column(page, 'mix'), ['60', '30', '10']);
  // The address follows the edits (replacing the history entry).
  await until(page, () => location.hash.includes('mix=60,30,10') && location.hash.includes('p95='));
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /classes=I%2FO-bound,mixed,search/);
  assert.match(hash, /p95=200,200,80/);
  await page.reload();
  await page.waitForSelector('#f-classes-2');
  assert.deepEqual(await names(page), ['I/O-bound', 'mixed', 'search']);
  assert.deepEqual(await column(page, 'cpu_ms'), ['1', '2.5', '3']);
  assert.deepEqual(await column(page, 'p95'), ['200', '200', '80']);
  assert.equal(await page.evaluate(() => location.hash), hash);
  assert.equal(await page.getAttribute('#f-wait_ms-2', 'aria-label'), 'Wait ms of search');
}));
