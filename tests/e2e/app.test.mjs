// End to end: the built dist/ served on loopback, used in headless Chromium as a person would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';
import { launch, open, openFiles, openSettings } from './browser.mjs';

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

/**
 * The chart `id`'s "Download SVG" file read by the browser's XML parser, and the chart as
 * the page drew (and patched) it: each element's name, sorted attributes (`xmlns`
 * aside) and text. `error` is the parser's complaint, if any.
 */
async function downloadAndPage(page, id) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(`#${id}-download`)]);
  assert.equal(file.suggestedFilename(), `${id}.svg`);
  const svg = fs.readFileSync(await file.path(), 'utf8');
  const parsed = await page.evaluate(([id, svg]) => {
    const elements = (root) => [root, ...root.querySelectorAll('*')].map((e) => {
      const attrs = [...e.attributes].filter((a) => a.name !== 'xmlns').map((a) => `${a.name}="${a.value}"`).sort();
      return `${e.localName} ${attrs.join(' ')}${e.childElementCount ? '' : `|${e.textContent}`}`;
    });
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    const error = doc.querySelector('parsererror')?.textContent ?? null;
    const root = doc.documentElement;
    return { error, namespace: root.namespaceURI, file: elements(root), page: elements(document.querySelector(`#${id} svg`)) };
  }, [id, svg]);
  return { svg, ...parsed };
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
    await openFiles(page);
    await page.waitForFunction(() => document.querySelector('#file-text')?.textContent.includes('\nworkers = 13  # '));
    await page.screenshot({ path: path.join(out, 'app.png'), fullPage: true });
    await page.screenshot({ path: path.join(out, 'viewport.png') });
    assert.deepEqual(problems, []);
    await page.close();
  } finally { server.close(); }
});

test('the settings list loads when opened, from the files\' worker, and follows each edit', async () => {
  const server = await serve(dist);
  try {
    const fetched = [];
    // The page's requests and its workers', not the service worker's precaching.
    browser.context.on('request', (r) => { if (!r.serviceWorker()) fetched.push(new URL(r.url()).pathname); });
    const { page, problems } = await open(browser.context, server.url, server.origin);
    assert.equal(await page.$('.details .setting'), null, 'not listed until opened');
    const wasm = () => fetched.filter((p) => p.endsWith('files_bg.wasm')).length;
    assert.ok(fetched.some((p) => p.endsWith('.wasm')), `the page's own wasm is seen: ${fetched}`);
    assert.equal(wasm(), 0, 'the first load has no exporter');
    await openSettings(page);
    assert.equal(wasm(), 1);
    const workers = () => page.textContent('#s-gunicorn-workers .v');
    assert.equal(await workers(), '8 processes');
    assert.match(await page.textContent('#s-postgres-max_connections .why'), /—/, 'each value with its source');
    const opened = () => page.$$eval('#settings-list details[open]', (ds) => ds.map((d) => d.id));
    assert.deepEqual(await opened(), ['d-gunicorn', 'd-postgres']);
    // What the person opens and closes stays so through the edits.
    await page.click('#d-nginx summary');
    await page.click('#d-postgres summary');
    await page.fill('#f-cores', '6');
    await page.selectOption('#f-server', 'sync');
    await page.waitForFunction(() => document.querySelector('#s-gunicorn-workers .v')?.textContent === '13 processes');
    assert.deepEqual(await opened(), ['d-gunicorn', 'd-nginx']);
    // The files panel asks the same worker: it loads once.
    await openFiles(page);
    assert.equal(wasm(), 1);
    assert.match(await page.textContent('#file-text'), /\nworkers = 13 {2}# /);
    assert.deepEqual(problems, []);
    await page.close();
  } finally { server.close(); }
});

test('bad input shows a message next to the field and never breaks the page', async () => {
  const server = await serve(dist);
  try {
    const { page, problems } = await open(browser.context, server.url, server.origin);
    for (const [bad, says] of [['0', '1–256 cores'], ['2.5', 'not a whole number'], ['10000', '1–256 cores']]) {
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

test('the export panel: a tab per file, one file downloaded, all of them as one zip', async () => {
  const server = await serve(dist);
  try {
    const { page, problems } = await open(browser.context, server.url, server.origin);
    assert.equal(await page.$('.files [role=tab]'), null, 'the files load when the panel opens');
    await openFiles(page);
    const tabs = async () => page.$$eval('.files [role=tab]', (els) => els.map((e) => e.textContent));
    assert.deepEqual(await tabs(), ['gunicorn.conf.py', 'app.service', '.env', 'nginx.conf', 'postgresql.conf', 'redis.conf',
      'sysctl.conf', 'limits.conf', 'sysctl-database.conf', 'limits-database.conf', 'alerts.rules.yml', 'plan.url']);
    await page.click('.files [role=tab]:text-is("nginx.conf")');
    await page.waitForFunction(() => document.querySelector('#file-text')?.textContent.startsWith('# nginx.conf generated'));
    assert.match(await page.textContent('#file-text'), /limit_req zone=auth burst=10 nodelay;/);

    await page.selectOption('#f-platform', 'k8s');
    await page.waitForFunction(() => [...document.querySelectorAll('.files [role=tab]')].some((t) => t.textContent === 'kubernetes.yaml'));
    assert.ok(!(await tabs()).includes('app.service'), 'no systemd unit on Kubernetes');

    const [one] = await Promise.all([page.waitForEvent('download'), page.click('#download-file')]);
    assert.equal(one.suggestedFilename(), 'nginx.conf');
    assert.match(fs.readFileSync(await one.path(), 'utf8'), /^# nginx.conf generated by the capacity planner\n/);

    const [all] = await Promise.all([page.waitForEvent('download'), page.click('#download-all')]);
    assert.equal(all.suggestedFilename(), 'app-config.zip');
    const zip = path.join(out, 'app-config.zip');
    await all.saveAs(zip);
    const bytes = fs.readFileSync(zip);
    assert.equal(bytes.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
    for (const name of ['app-config/kubernetes.yaml', 'app-config/deployment.nix', 'app-config/plan.url']) {
      assert.ok(bytes.includes(Buffer.from(name)), `${name} in the zip`);
    }
    assert.deepEqual(problems, []);
    await page.close();
  } finally { server.close(); }
});

test('the four charts: words for each, the plan marker follows the cores, a standalone SVG download drawn as the page shows it, the theme', async () => {
  const server = await serve(dist);
  try {
    const { page, problems } = await open(browser.context, server.url, server.origin);
    const ids = ['chart-throughput', 'chart-latency', 'chart-memory', 'chart-connections'];
    // The charts are drawn once the page's first frame is painted and the browser idle
    // (ui::use_painted): wait for them, then each must show.
    await page.waitForSelector('#chart-connections svg');
    for (const id of ids) {
      assert.ok(await page.isVisible(`#${id} svg`), `${id} is drawn`);
      assert.ok((await page.textContent(`#${id}-text`)).length > 40, `${id} says its numbers in words`);
    }
    assert.match(await page.innerHTML('#chart-throughput'), /this plan: 4 cores → 988 r\/s/);
    assert.match(await page.textContent('#chart-throughput-text'), /The plan \(4 cores\) sustains 988 r\/s/);
    await page.fill('#f-cores', '12');
    await page.waitForFunction(() => document.querySelector('#chart-throughput')?.innerHTML.includes('this plan: 12 cores'));
    assert.doesNotMatch(await page.innerHTML('#chart-throughput'), /this plan: 4 cores/);
    await page.locator('#chart-throughput').screenshot({ path: path.join(out, 'chart-throughput.png') });

    // Each download is a well-formed standalone SVG, drawn exactly as the page shows the
    // chart after the edit (the page patched its elements; the file is written afresh).
    for (const id of ids) {
      const { svg, error, namespace, file, page: shown } = await downloadAndPage(page, id);
      assert.equal(error, null, `${id}: the XML parser rejects the download`);
      assert.equal(namespace, 'http://www.w3.org/2000/svg', id);
      assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.match(svg, /fill="#1B1F24"/, 'concrete light colours');
      assert.doesNotMatch(svg, /var\(/);
      assert.ok(file.length > 20, `${id}: ${file.length} elements`);
      assert.deepEqual(shown, file, `${id}: the page and the download differ`);
    }

    // The inline charts follow the theme: the OS's, or the page's data-theme.
    const titleFill = () => page.$eval('#chart-memory svg text', (t) => getComputedStyle(t).fill);
    assert.equal(await titleFill(), 'rgb(27, 31, 36)');
    await page.emulateMedia({ colorScheme: 'dark' });
    assert.equal(await titleFill(), 'rgb(230, 233, 237)');
    await page.locator('#chart-memory').screenshot({ path: path.join(out, 'chart-memory-dark.png') });
    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));
    assert.equal(await titleFill(), 'rgb(27, 31, 36)');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
    assert.equal(await titleFill(), 'rgb(230, 233, 237)');
    assert.deepEqual(problems, []);
    await page.close();
  } finally { server.close(); }
});
