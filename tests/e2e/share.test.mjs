// End to end: sharing by link, keeping plans in the browser and in files, and working
// offline, with the built dist/ served on loopback (at the root and under a sub-path).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';
import { launch, open, openFiles } from './browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '../../dist');
let browser;

before(async () => {
  assert.ok(fs.existsSync(path.join(dist, 'sw.js')), 'dist/ is built with its service worker (make dist)');
  browser = await launch();
});
after(async () => { await browser?.close(); });

/** Runs `body` with dist/ (or `root`) served at `prefix`; each server is a new origin. */
async function served(body, { prefix = '/', root = dist } = {}) {
  const server = await serve(root, prefix);
  try { await body(server); } finally { server.close(); }
}

const workers = async (page) => (await page.textContent('#v-workers')) ?? '';
const hash = (page) => page.evaluate(() => location.hash);
async function until(page, fn, arg) { await page.waitForFunction(fn, arg, { timeout: 10_000 }); }
async function waitWorkers(page, n) {
  await until(page, (n) => document.querySelector('#v-workers')?.textContent.includes(`${n} processes`), n);
}
async function reload(page) { await page.reload(); await page.waitForSelector('#f-cores'); }
/** Waits until the service worker controls the page, its release cached. */
async function controlled(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await until(page, () => navigator.serviceWorker.controller !== null);
}

test('a link opens its plan; editing rewrites the link without adding history; a reload shows the same plan', async () => {
  await served(async (server) => {
    const { page, problems } = await open(browser.context, `${server.url}#v=1&cores=6&server=sync`, server.origin);
    await waitWorkers(page, 13);
    assert.equal(await page.inputValue('#f-cores'), '6');
    assert.equal(await page.inputValue('#f-server'), 'sync');
    const steps = await page.evaluate(() => history.length);
    for (const cores of ['5', '4', '3']) await page.fill('#f-cores', cores);
    await until(page, () => location.hash === '#v=1&cores=3&server=sync');
    assert.equal(await page.evaluate(() => history.length), steps, 'replaceState, no history entries');
    await reload(page);
    await waitWorkers(page, 7);
    assert.equal(await page.inputValue('#f-cores'), '3');
    assert.equal(await page.textContent('#notices'), '');
    // Pasting another link in the address bar only changes the fragment: it opens too.
    await page.evaluate(() => { location.hash = 'v=1&tier=large'; });
    await until(page, () => document.querySelector('#f-cores')?.value === '8');
    assert.equal(await page.inputValue('#f-tier'), 'large');
    assert.deepEqual(problems, []);
    await page.close();
  });
});

test('a link with unknown keys or invalid values opens with notices; no link can break the page', async () => {
  await served(async (server) => {
    const link = `${server.url}#v=1&cores=0&colour=blue&server=tornado&replicas=3`;
    const { page, problems } = await open(browser.context, link, server.origin);
    const notices = await page.textContent('#notices');
    assert.match(notices, /The link: cores — 0 is out of range; enter 1–256 cores; the default \(4\) is used\./);
    assert.match(notices, /server — 'tornado' is not one of/);
    assert.match(notices, /does not know; they were ignored: 'colour'/);
    assert.equal(await page.inputValue('#f-replicas'), '3');
    await waitWorkers(page, 8);
    assert.equal(await hash(page), '#v=1&replicas=3', 'the link now says what is shown');
    await page.click('#dismiss-notices');
    assert.equal(await page.textContent('#notices'), '');
    const nasty = ['%', '%E0%A4%A', 'v=%FF%FE', 'cores=1e999', 'name=%3Cimg%20src=x%20onerror=alert(1)%3E',
      'v=99&&&==&cores', 'mix=-1,-1,102', `cores=${'9'.repeat(5000)}`, `${'x'.repeat(20000)}=1`, 'v=1&' + 'k=1&'.repeat(3000)];
    for (const fragment of nasty) {
      await page.goto('about:blank');
      await page.goto(`${server.url}#${fragment}`);
      await page.waitForSelector('#f-cores');
      await page.fill('#f-cores', '2');
      await waitWorkers(page, 4);
    }
    assert.equal(await page.$('img[src="x"]'), null);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

test('without a link the last plan comes back; a link wins over it; bad kept data gives a notice', async () => {
  await served(async (server) => {
    const { page, problems } = await open(browser.context, server.url, server.origin);
    await page.fill('#f-cores', '5');
    await waitWorkers(page, 10);
    await page.goto(server.url);
    await page.waitForSelector('#f-cores');
    assert.equal(await page.inputValue('#f-cores'), '5');
    assert.equal(await hash(page), '#v=1&cores=5');
    await page.goto(`${server.url}#v=1&cores=2`);
    await page.reload();
    await page.waitForSelector('#f-cores');
    assert.equal(await page.inputValue('#f-cores'), '2');
    await page.evaluate(() => localStorage.setItem('planner.plan', '{"someone":"else"}'));
    await page.goto('about:blank');
    await page.goto(server.url);
    await page.waitForSelector('#f-cores');
    assert.match(await page.textContent('#notices'), /kept in this browser is not a plan this planner can read/);
    assert.equal(await page.inputValue('#f-cores'), '4');
    assert.deepEqual(problems, []);
    await page.close();
  });
});

test('saved plans: save, open, rename, delete and undo; they stay after a reload', async () => {
  await served(async (server) => {
    const { page, problems } = await open(browser.context, `${server.url}#v=1&cores=6`, server.origin);
    // The files' worker reads and writes the saved plans: each answer comes a moment
    // after the click, so the checks wait for it.
    const says = (text) => until(page, (t) => document.querySelector('#keep-status')?.textContent === t, text);
    const listed = (names) => until(page, (want) => JSON.stringify([...document.querySelectorAll('#saved-list .saved-name')]
      .map((e) => e.textContent)) === want, JSON.stringify(names));
    await page.fill('#save-name', 'alpha');
    await page.click('#save-plan');
    await says("Saved 'alpha'.");
    await page.fill('#f-cores', '2');
    await page.fill('#save-name', 'beta');
    await page.click('#save-plan');
    await listed(['alpha', 'beta']);
    await page.click('[aria-label="Open alpha"]');
    await until(page, () => document.querySelector('#f-cores')?.value === '6');
    await until(page, () => location.hash === '#v=1&cores=6');
    await page.click('[aria-label="Rename alpha"]');
    await page.fill('.rename-name', 'beta');
    await page.click('.rename-ok');
    await says("Not renamed: a saved plan is already named 'beta'.");
    await page.click('[aria-label="Rename alpha"]');
    await page.fill('.rename-name', 'gamma');
    await page.press('.rename-name', 'Enter');
    await listed(['beta', 'gamma']);
    await page.click('[aria-label="Delete beta"]');
    await listed(['gamma']);
    await page.click('#undo-delete');
    await listed(['beta', 'gamma']);
    await page.click('[aria-label="Delete beta"]');
    await says("Deleted 'beta'. Undo");
    await reload(page);
    await listed(['gamma']);
    await page.click('[aria-label="Open gamma"]');
    await until(page, () => document.querySelector('#f-cores')?.value === '6');
    // Unreadable saved plans: a message, the plan on screen untouched.
    await page.evaluate(() => localStorage.setItem('planner.saved', '{"format":"capacity-planner-saved-plans",'));
    await reload(page);
    await until(page, () => /saved plans in this browser could not be read: it is not JSON/.test(document.querySelector('#keep-status')?.textContent));
    assert.equal(await page.inputValue('#f-cores'), '6');
    assert.deepEqual(problems, []);
    await page.close();
  });
});

test('export and import a plan file; a corrupt or foreign file gives a message and keeps the plan', async () => {
  await served(async (server) => {
    const { page, problems } = await open(browser.context, `${server.url}#v=1&tier=large&server=gthread`, server.origin);
    await page.fill('#save-name', 'Shop API');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-plan')]);
    assert.equal(download.suggestedFilename(), 'Shop-API.plan.json');
    const text = fs.readFileSync(await download.path(), 'utf8');
    assert.deepEqual(JSON.parse(text), { format: 'capacity-planner-plan', version: 1, name: 'Shop API', plan: 'v=1&tier=large&server=gthread' });
    await page.click('.reset');
    await waitWorkers(page, 8);
    const file = (name, body) => ({ name, mimeType: 'application/json', buffer: Buffer.from(body) });
    await page.setInputFiles('#import-plan', file('Shop-API.plan.json', text));
    await until(page, () => document.querySelector('#f-cores')?.value === '8');
    assert.equal(await page.inputValue('#f-server'), 'gthread');
    assert.equal(await page.textContent('#keep-status'), 'Opened the plan in Shop-API.plan.json.');
    const bad = [
      ['broken.json', '{"format":"capacity-planner-plan","version":1,"plan":"v=1&co', /broken.json was not imported: it is not JSON/],
      ['package.json', '{"name":"x","version":"1.0.0"}', /package.json was not imported: it is not a capacity planner file/],
      ['future.json', '{"format":"capacity-planner-plan","version":2,"plan":"v=2"}', /future.json was not imported: it has format version 2/],
      ['photo.json', '\u0000\u0089PNG\r\n', /photo.json was not imported: it is not JSON/],
      ['huge.json', 'x'.repeat(200_000), /huge.json was not imported: it is 200000 bytes/],
    ];
    for (const [name, body, says] of bad) {
      await page.setInputFiles('#import-plan', file(name, body));
      await until(page, (n) => document.querySelector('#keep-status')?.textContent.startsWith(n), name);
      assert.match(await page.textContent('#keep-status'), says);
      assert.match(await page.textContent('#keep-status'), /The plan on screen is unchanged\.$/);
      assert.equal(await page.inputValue('#f-cores'), '8');
      assert.equal(await hash(page), '#v=1&tier=large&server=gthread');
    }
    assert.deepEqual(problems, []);
    await page.close();
  });
});

test('copy link puts the plan\'s link on the clipboard', async () => {
  await served(async (server) => {
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    const { page, problems } = await open(browser.context, `${server.url}#v=1&cores=3`, server.origin);
    await page.click('#copy-link');
    await until(page, () => document.querySelector('#keep-status')?.textContent.startsWith('Link copied'));
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${server.url}#v=1&cores=3`);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

for (const prefix of ['/', '/some/sub/path/']) {
  test(`after one visit the app loads and works offline (served at ${prefix})`, async () => {
    const server = await serve(dist, prefix);
    let page;
    try {
      const opened = await open(browser.context, `${server.url}#v=1&cores=6`, server.origin);
      page = opened.page;
      await controlled(page);
      const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
      assert.equal(scope, server.url);
      const manifest = await page.evaluate(async () => (await fetch(document.querySelector('link[rel=manifest]').href)).json());
      assert.deepEqual([manifest.start_url, manifest.scope], ['./', './']);
      server.close();
      await browser.context.setOffline(true);
      await reload(page);
      assert.equal(await page.inputValue('#f-cores'), '6');
      await page.fill('#f-cores', '3');
      await waitWorkers(page, 6);
      await until(page, () => location.hash === '#v=1&cores=3');
      // The files' worker, never loaded before going offline, comes from the cache too:
      // it keeps the saved plans and writes the files.
      await page.fill('#save-name', 'offline');
      await page.click('#save-plan');
      await until(page, () => document.querySelector('#keep-status')?.textContent === "Saved 'offline'.");
      assert.equal(await page.textContent('#saved-list .saved-name'), 'offline');
      await openFiles(page);
      await until(page, () => document.querySelector('#file-text')?.textContent.includes('\nworkers = 6  # '));
      // "Compare plans": its code, never loaded before going offline, comes from the cache too.
      await page.click('summary:has-text("Compare plans")');
      await page.getByRole('button', { name: 'Pin this plan as A' }).click();
      await until(page, () => document.querySelector('#compare-status')?.textContent === 'The plan on the form is pinned as A.');
      assert.deepEqual(opened.problems, []);
      // Last, as the failed request logs a console error: the network really is off.
      const network = await page.evaluate(() => fetch('./not-in-the-release').then(() => 'reached', () => 'offline'));
      assert.equal(network, 'offline', 'the network is really off');
    } finally {
      await browser.context.setOffline(false);
      await page?.close();
      server.close();
    }
  });
}

test('a new release is offered and applied only when the person accepts; the old cache goes', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'planner-release-'));
  fs.cpSync(dist, root, { recursive: true });
  try {
    await served(async (server) => {
      const { page, problems } = await open(browser.context, `${server.url}#v=1&cores=6`, server.origin);
      await controlled(page);
      const caches = () => page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('planner:')));
      assert.equal((await caches()).length, 1);
      // The next release: another page and another worker. (The built page is minified:
      // it has no <head> tag, but a <title>.)
      const index = path.join(root, 'index.html');
      fs.writeFileSync(index, fs.readFileSync(index, 'utf8').replace('<title>', '<meta name="release" content="two"><title>'));
      const sw = path.join(root, 'sw.js');
      fs.writeFileSync(sw, fs.readFileSync(sw, 'utf8').replace(/const RELEASE = '[^']*'/, "const RELEASE = 'two'"));
      await reload(page);
      await page.waitForSelector('#update-reload', { timeout: 15_000 });
      assert.equal(await page.$('meta[name=release]'), null, 'the page still runs the release it loaded');
      assert.equal((await caches()).length, 2, 'the new release is cached beside the old one');
      await page.fill('#f-cores', '3');
      await until(page, () => location.hash === '#v=1&cores=3');
      await Promise.all([page.waitForNavigation(), page.click('#update-reload')]);
      await page.waitForSelector('#f-cores');
      assert.notEqual(await page.$('meta[name=release]'), null, 'the new release runs');
      assert.equal(await page.inputValue('#f-cores'), '3', 'the plan survives the update');
      assert.equal(await page.$('#update'), null);
      await until(page, async () => (await caches.keys()).filter((k) => k.startsWith('planner:')).length === 1);
      assert.match((await caches())[0], /:two$/);
      assert.deepEqual(problems, []);
      await page.close();
    }, { root });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
