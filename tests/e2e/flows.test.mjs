// End to end: the main flows of a person planning a deployment — a tier preset, the
// mix and what limits the plan, a warning and its fix, a config file copied.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, shows, until, withPlanner, openFiles } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const planner = (body, url) => withPlanner(browser, body, url);

test('a tier sets cores and RAM; editing them shows Custom; reset goes back to Medium', () => planner(async (page) => {
  assert.equal(await page.inputValue('#f-tier'), 'medium');
  await page.selectOption('#f-tier', 'large');
  await shows(page, '#v-workers', '16 processes');
  assert.deepEqual([await page.inputValue('#f-cores'), await page.inputValue('#f-ram')], ['8', '16']);
  await page.fill('#f-cores', '6');
  await shows(page, '#v-workers', '12 processes');
  assert.equal(await page.inputValue('#f-tier'), 'custom');
  await page.fill('#f-ram', '4');
  await page.fill('#f-cores', '2');
  await until(page, () => document.querySelector('#f-tier').value === 'small');
  await page.click('.reset');
  await shows(page, '#v-workers', '8 processes');
  assert.deepEqual([await page.inputValue('#f-tier'), await page.inputValue('#f-cores')], ['medium', '4']);
}));

test('the mix and the server decide what limits the plan: CPU, worker slots, database connections', () => planner(async (page) => {
  await shows(page, '#v-bottleneck', 'CPU');
  await page.fill('#f-mix-0', '0');
  await page.fill('#f-mix-1', '100');
  await page.fill('#f-mix-2', '0');
  await page.selectOption('#f-server', 'sync');
  await shows(page, '#v-bottleneck', 'worker slots');
  await page.selectOption('#f-server', 'async');
  await shows(page, '#v-bottleneck', 'CPU');
  await page.fill('#f-db_hold_ms', '500');
  await shows(page, '#v-bottleneck', 'database connections');
  await shows(page, '#tier-plan', 'database connections');
}));

test('a warning says what to change, and goes once it is done', () => planner(async (page) => {
  await shows(page, '#warnings-title', 'Warnings (1)'); // the note that nginx's host names are a placeholder
  await page.fill('#f-replicas', '20');
  const warning = '#warnings [data-code="pgbouncer-required"]';
  await page.waitForSelector(warning);
  assert.match(await page.textContent(warning), /Turn PgBouncer on \(pool_mode = transaction\): 3,200 client connections/);
  // A configuration that fails is never green: the verdict leads with it.
  assert.equal(await page.getAttribute('#v-verdict', 'data-fit'), 'broken');
  assert.match(await page.textContent('#v-verdict'), /^Broken\. The configuration fails as written: The fleet's pools may open 3,200 connections/);
  assert.equal(await page.getAttribute(warning, 'data-severity'), 'error');
  await page.selectOption('#f-pgbouncer', 'on');
  await page.waitForSelector(warning, { state: 'detached' });
  assert.notEqual(await page.getAttribute('#v-verdict', 'data-fit'), 'broken');
  // 20 nodes share the database: its connections or its host's CPU come first.
  await shows(page, '#v-bottleneck', 'database');
}));

test('a missed target comes with changes that meet it: one click applies one, another undoes it', () => planner(async (page) => {
  await page.fill('#f-rps', '2500');
  await until(page, () => document.querySelector('#v-verdict')?.dataset.fit === 'over-capacity');
  // Over capacity no time is given as a latency.
  // uvicorn refuses what its slots do not hold (503): no time, the share refused.
  await shows(page, '#v-p95', '% refused');
  assert.match(await page.textContent('#v-p95'), /uvicorn refuses about \d+ % of requests \(503\)/);
  // The search runs in the files' worker, off the edit's path: the list follows.
  await page.waitForSelector('#suggestions li');
  const items = await page.$$eval('#suggestions li span', (ss) => ss.map((s) => s.textContent));
  assert.ok(items.length >= 2, items.join('\n'));
  assert.ok(items.every((t) => t.endsWith('at 2,500 r/s.')), items.join('\n'));
  const last = items.at(-1);
  assert.match(last, /^3 nodes instead of 1, with PgBouncer: /);
  // Applied: the fields change together, the verdict turns green, the link follows.
  await page.click('#suggestions li:last-child .apply');
  await until(page, () => document.querySelector('#v-verdict')?.dataset.fit === 'headroom');
  assert.deepEqual([await page.inputValue('#f-replicas'), await page.inputValue('#f-pgbouncer')], ['3', 'on']);
  assert.equal(await page.textContent('#applied'), `Applied: ${last} Undo`);
  await until(page, () => location.hash.includes('replicas=3') && location.hash.includes('pgbouncer=on'));
  assert.equal(await page.$('#suggestions'), null, 'a plan that meets its target needs none');
  await page.click('#undo-suggestion');
  await until(page, () => document.querySelector('#v-verdict')?.dataset.fit === 'over-capacity');
  assert.deepEqual([await page.inputValue('#f-replicas'), await page.inputValue('#f-pgbouncer'), await page.inputValue('#f-rps')], ['1', 'off', '2500']);
  assert.equal(await page.$('#applied'), null);
}));

test('copy a config file: the clipboard holds exactly the text shown', () => planner(async (page, server) => {
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  await openFiles(page);
  await page.click('.files [role=tab]:text-is("postgresql.conf")');
  await until(page, () => document.querySelector('#file-text').textContent.startsWith('# postgresql.conf'));
  await page.click('#copy-file');
  await shows(page, '.files .status', 'Copied to the clipboard.');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, await page.textContent('#file-text'));
  assert.match(copied, /\nmax_connections = /);
}));

test('picking Django names its project in gunicorn.conf.py and adds its settings file; FastAPI on sync workers fails', () => planner(async (page) => {
  await page.fill('#f-name', 'shop-api');
  await openFiles(page);
  await page.click('.files [role=tab]:text-is("gunicorn.conf.py")');
  await until(page, () => document.querySelector('#file-text').textContent.includes('\nwsgi_app = "app:app"\n'));
  await page.selectOption('#f-framework', 'django');
  // The async server runs Django through its asgi.py; gthread through its wsgi.py.
  await until(page, () => document.querySelector('#file-text').textContent.includes('\nwsgi_app = "shop_api.asgi:application"\n'));
  await page.selectOption('#f-server', 'gthread');
  await until(page, () => document.querySelector('#file-text').textContent.includes('\nwsgi_app = "shop_api.wsgi:application"\n'));
  assert.match(await page.textContent('#file-text'), /\n# CHECK THIS LINE: your app's module:callable\. Written for `application` in shop_api\/wsgi\.py/);
  await page.click('.files [role=tab]:text-is("django_settings.py")');
  await until(page, () => document.querySelector('#file-text').textContent.startsWith('# django_settings.py'));
  assert.match(await page.textContent('#file-text'), /\n {8}"min_size": 3,\n/);
  await until(page, () => /[#&]framework=django(&|$)/.test(location.hash)); // the link carries it
  await page.selectOption('#f-framework', 'fastapi');
  const warning = '#warnings [data-code="asgi-app-on-wsgi-server"]';
  await page.waitForSelector(warning);
  assert.equal(await page.getAttribute(warning, 'data-severity'), 'error');
  assert.equal(await page.getAttribute('#v-verdict', 'data-fit'), 'broken');
  await page.selectOption('#f-server', 'async');
  await page.waitForSelector(warning, { state: 'detached' });
}));
