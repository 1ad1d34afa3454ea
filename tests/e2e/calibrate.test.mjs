// "Calibrate from a load test": a wrk sweep pasted into the panel is read and fitted by
// the config files' worker, shown as a row per run and a chart, applied to the plan
// ("Use these figures") and undone; junk is a message naming its line. axe checks the
// panel open and filled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, withPlanner, until } from './browser.mjs';
import { axe } from './axe.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const SWEEP = fs.readFileSync(path.join(here, '../fixtures/loadtest/wrk-sweep.txt'), 'utf8');
const HOST = '#v=1&cores=2&server=gthread&workers=2&threads=8&db=none&proxy=none&cache=none';
let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** axe's violations on the page as it is, one line each. */
const violations = async (page) => (await axe(page)).violations;

/** Opens the panel: its form comes from the config files' worker. */
async function openPanel(page) {
  await page.click('summary:has-text("Calibrate from a load test")');
  await page.getByLabel('Load-test output', { exact: true }).waitFor();
}

test('a pasted wrk sweep is a row per run and a chart, applied to the plan and undone', async () => {
  await withPlanner(browser, async (page) => {
    await openPanel(page);
    const output = page.getByLabel('Load-test output', { exact: true });
    await output.fill(SWEEP);
    await page.getByRole('button', { name: 'Calibrate', exact: true }).click();
    await page.waitForSelector('#calibrate-runs tbody tr');
    const rows = await page.$$eval('#calibrate-runs tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    assert.equal(rows.length, 4);
    assert.deepEqual(rows.map((r) => r[0]), ['line 1', 'line 14', 'line 27', 'line 40']);
    assert.deepEqual(rows.map((r) => r[2]), ['1', '2', '4', '8']);
    assert.equal(rows[3][1], 'wrk');
    assert.equal(rows[3][9], '0');
    // The chart: an image named by its title, the measured points, the model and the USL.
    const chart = await page.$eval('#calibrate-chart', (f) => ({
      label: f.querySelector('[role=img]').getAttribute('aria-label'), svg: !!f.querySelector('svg'), text: f.textContent,
    }));
    assert.equal(chart.label, 'Throughput against concurrency');
    assert.ok(chart.svg && chart.text.includes('USL fit') && chart.text.includes('8 connections: 2,845 r/s measured'), chart.text);
    assert.match(await page.textContent('#calibrate-fit'), /CPU per request: [\d.]+ ms/);
    assert.deepEqual(await violations(page), [], 'the panel open and filled');

    const hash = await page.evaluate(() => location.hash);
    const cpu = await page.inputValue('#f-cpu_ms-0');
    await page.getByRole('link', { name: 'Use these figures' }).click();
    await until(page, (h) => location.hash !== h, hash);
    const applied = await page.evaluate(() => location.hash);
    assert.match(applied, /cores=2/);
    assert.match(applied, /wait_ms=/);
    await until(page, (c) => document.querySelector('#f-cpu_ms-0').value !== c, cpu);
    // The plan says where its figures come from; editing one of them takes the mark off.
    const day = new Date().toISOString().slice(0, 10);
    assert.match(await page.inputValue('#f-measured'), new RegExp(`^wrk: 4 runs, [\\d.]+ % rms, ${day}$`));
    assert.match(applied, /measured=wrk/);
    assert.deepEqual(await violations(page), [], 'a calibrated plan applied');

    // Undo, from the keyboard.
    await page.focus('#calibrate-undo');
    await page.keyboard.press('Enter');
    await until(page, (h) => location.hash === h, hash);
    await until(page, (c) => document.querySelector('#f-cpu_ms-0').value === c, cpu);

    // An edit after calibrating: "Use these figures" fits this plan first (the figures
    // refreshed, nothing applied), so using them never undoes the edit.
    await page.getByRole('button', { name: 'Calibrate', exact: true }).click();
    await until(page, () => document.querySelector('#calibrate-use'));
    const before = await page.getAttribute('#calibrate-use', 'data-asked');
    await page.fill('#f-cores', '3');
    await until(page, () => /cores=3/.test(location.hash));
    const edited = await page.evaluate(() => location.hash);
    await page.getByRole('link', { name: 'Use these figures' }).click();
    await until(page, (b) => document.querySelector('#calibrate-use')?.getAttribute('data-asked') !== b, before);
    assert.equal(await page.evaluate(() => location.hash), edited, 'the edit kept, nothing applied yet');
    assert.match(await page.getAttribute('#calibrate-use', 'data-asked'), /cores=3/);
    await page.getByRole('link', { name: 'Use these figures' }).click();
    await until(page, (h) => location.hash !== h, edited);
    assert.match(await page.evaluate(() => location.hash), /cores=3/, 'the calibrated plan keeps the edit');
    await until(page, () => document.querySelector('#f-measured').value !== '');
    await page.fill('#f-wait_ms-0', '7');
    await until(page, () => document.querySelector('#f-measured').value === '' && !/measured=/.test(location.hash));

    // Junk: a message naming the line, read out.
    await output.fill('hello\nthis is not a load test');
    await page.getByRole('button', { name: 'Calibrate', exact: true }).click();
    await page.waitForSelector('#calibrate-result [role=alert]');
    assert.match(await page.textContent('#calibrate-result [role=alert]'), /^Not a load-test output: line 1: /);
    assert.deepEqual(await violations(page), [], 'the panel with an error');
  }, HOST);
});

test('a file dropped on the text area is read by the worker and calibrated', async () => {
  await withPlanner(browser, async (page) => {
    await openPanel(page);
    const dropped = await page.evaluateHandle((text) => {
      const d = new DataTransfer();
      d.items.add(new File([text], 'sweep.txt', { type: 'text/plain' }));
      return d;
    }, SWEEP);
    await page.dispatchEvent('#calibrate-text', 'dragover', { dataTransfer: dropped });
    await page.dispatchEvent('#calibrate-text', 'drop', { dataTransfer: dropped });
    await page.waitForSelector('#calibrate-runs tbody tr:nth-child(4)');
    assert.equal(await page.inputValue('#calibrate-text'), SWEEP);
  }, HOST);
});

test('a picked file is read by the worker into the text area and calibrated', async () => {
  await withPlanner(browser, async (page) => {
    await openPanel(page);
    await page.setInputFiles('#calibrate-file', path.join(here, '../fixtures/loadtest/wrk-sweep.txt'));
    await page.getByRole('button', { name: 'Calibrate', exact: true }).click();
    await page.waitForSelector('#calibrate-runs tbody tr:nth-child(4)');
    assert.equal(await page.inputValue('#calibrate-text'), SWEEP);
    assert.equal(await page.inputValue('#calibrate-file'), '', 'the file input is empty again');
  }, HOST);
});
