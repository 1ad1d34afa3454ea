// End to end: how the page looks — the dark and light themes (picked, kept, applied
// before the app starts), the one-page printed report, and a 360 px wide phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { served } from './serve.mjs';
import { launch, open, openFiles, openSettings, until } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const LIGHT = 'rgb(247, 248, 250)';
const DARK = 'rgb(20, 23, 27)';
const background = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

test('the theme follows the system until one is picked; the pick is kept and applied before the app starts', async () => {
  await served(async (server) => {
    const { page, problems } = await open(browser.context, server.url, server.origin);
    await page.emulateMedia({ colorScheme: 'light' });
    assert.equal(await background(page), LIGHT);
    await page.emulateMedia({ colorScheme: 'dark' });
    assert.equal(await background(page), DARK, 'System follows prefers-color-scheme');
    await page.selectOption('#theme', 'light');
    assert.equal(await background(page), LIGHT);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.selectOption('#theme', 'dark');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    assert.equal(await background(page), DARK);
    assert.equal(await page.evaluate(() => localStorage.getItem('planner.theme')), 'dark');
    await page.reload();
    await page.waitForSelector('#theme');
    assert.equal(await background(page), DARK, 'kept after a reload');
    assert.equal(await page.inputValue('#theme'), 'dark');

    // No flash: with the app never starting (its wasm blocked), the page is already dark.
    const bare = await browser.context.newPage();
    await bare.emulateMedia({ colorScheme: 'light' });
    await bare.route('**/*.wasm', (route) => route.abort());
    await bare.goto(server.url);
    assert.equal(await bare.evaluate(() => document.documentElement.dataset.theme), 'dark');
    assert.equal(await background(bare), DARK);
    await bare.close();

    await page.selectOption('#theme', 'system');
    assert.equal(await page.evaluate(() => document.documentElement.hasAttribute('data-theme')), false);
    assert.equal(await background(page), LIGHT);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

/** The number of pages of a PDF: its /Type /Page objects (not the /Pages tree). */
const pages = (pdf) => (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;

test('printing gives a one-page A4 report, black on white, without the form and the buttons', async () => {
  await served(async (server) => {
    const { page, problems } = await open(browser.context, server.url, server.origin);
    assert.equal(pages(await page.pdf({ format: 'A4' })), 1, 'the default plan prints on one page');
    await page.selectOption('#theme', 'dark');
    await page.emulateMedia({ media: 'print' });
    const seen = await page.evaluate(() => Object.fromEntries(
      ['#f-cores', '.keep', '#notices', '.reset', '.details', '.files', '#theme', '#v-verdict', '#v-workers', '#chart-throughput', '#chart-connections', '#chart-workers', '.tiers table', '#warnings']
        .map((s) => [s, document.querySelector(s)?.checkVisibility() ?? false])));
    assert.deepEqual(seen, {
      '#f-cores': false, '.keep': false, '#notices': false, '.reset': false, '.details': false, '.files': false, '#theme': false,
      '#v-verdict': true, '#v-workers': true, '#chart-throughput': true, '#chart-connections': true, '#chart-workers': false, '.tiers table': true, '#warnings': true,
    });
    assert.equal(await background(page), 'rgb(255, 255, 255)', 'white even in the dark theme');
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).color), 'rgb(0, 0, 0)');
    await page.emulateMedia({ media: null });
    assert.equal(pages(await page.pdf({ format: 'A4' })), 1, 'one page in the dark theme too');
    // A plan with warnings still fits.
    await page.fill('#f-replicas', '20');
    await page.waitForSelector('#warnings [data-code="pgbouncer-required"]');
    assert.equal(pages(await page.pdf({ format: 'A4' })), 1, 'one page with two warnings');
    assert.deepEqual(problems, []);
    await page.close();
  });
});

test('at 360 × 740 the page never scrolls sideways and the inputs work', async () => {
  await served(async (server) => {
    const { page, problems } = await open(browser.context, server.url, server.origin);
    await page.setViewportSize({ width: 360, height: 740 });
    const width = () => page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(await width() <= 360, `document ${await width()} px wide`);
    const box = await page.locator('#f-cores').boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 360 && box.height >= 24, JSON.stringify(box));
    await page.fill('#f-cores', '6');
    await page.selectOption('#f-server', 'sync');
    await until(page, () => document.querySelector('#v-workers')?.textContent.includes('13 processes'));
    // Every panel open and the longest file shown: still no sideways scroll.
    await openSettings(page);
    await page.$$eval('details', (ds) => ds.forEach((d) => { d.open = true; }));
    await openFiles(page);
    await page.click('.files [role=tab]:text-is("postgresql.conf")');
    await page.fill('#save-name', 'a-rather-long-plan-name-that-goes-on-and-on-and-on');
    await page.click('#save-plan');
    assert.ok(await width() <= 360, `document ${await width()} px wide with every panel open`);
    await page.setViewportSize({ width: 1440, height: 900 });
    assert.ok(await width() <= 1440);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

/** Whether `selector` is on screen and on top at its centre (not under the result bar). */
const onTop = (page, selector) => page.$eval(selector, (el) => {
  const r = el.getBoundingClientRect();
  const [x, y] = [r.left + r.width / 2, r.top + Math.min(r.height / 2, 10)];
  return r.height > 0 && y >= 0 && y < innerHeight && el.contains(document.elementFromPoint(x, y));
});

test('the answer first: the target leads the form, the verdict stays in view at 1440 px, a result bar at 390 px', async () => {
  await served(async (server) => {
    const { page, problems } = await open(browser.context, server.url, server.origin);
    await page.setViewportSize({ width: 1440, height: 900 });
    const inputs = await page.$$eval('.inputs input, .inputs select', (els) => els.map((e) => e.id));
    assert.deepEqual(inputs.slice(0, 2), ['f-rps', 'f-p95'], inputs.join(' '));
    // Editing mid-form on a wide screen: the verdict is still on screen, and it follows.
    await page.$eval('#f-db_hold_ms', (el) => el.scrollIntoView({ block: 'center' }));
    assert.ok(await page.evaluate(() => scrollY) > 300, 'the page scrolled');
    assert.ok(await onTop(page, '#v-verdict'), 'verdict in view while editing mid-form');
    assert.equal(await page.isVisible('#result-bar'), false, 'no result bar on a wide screen');
    await page.fill('#f-rps', '5000');
    await until(page, () => document.querySelector('#v-verdict')?.textContent.startsWith('Over capacity'));
    assert.ok(await onTop(page, '#v-verdict'));

    // A phone: the summary right after the target, and the bar with the same figures.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => scrollTo(0, 0));
    const top = (s) => page.$eval(s, (el) => el.getBoundingClientRect().top);
    assert.ok(await top('#v-verdict') < 844, `verdict at ${await top('#v-verdict')} px, in the first screen`);
    assert.ok(await top('#v-verdict') > await top('#f-p95') && await top('#v-verdict') < await top('#f-cores'), 'after the target, before the node');
    const same = () => page.evaluate(() => ({
      bar: ['capacity', 'p95', 'workers', 'bottleneck'].map((k) => document.querySelector(`#bar-${k}`).textContent),
      summary: ['capacity', 'p95', 'workers', 'bottleneck'].map((k) => document.querySelector(`#v-${k} dd`).textContent),
      fit: document.querySelector('#result-bar .fit').textContent,
      verdict: document.querySelector('#v-verdict strong').textContent,
    }));
    const check = async () => {
      const s = await same();
      assert.equal(s.bar[0], s.summary[0], 'the same capacity');
      assert.equal(s.bar[1], `p95 ${s.summary[1]}`);
      assert.deepEqual([s.bar[2], s.bar[3]], [s.summary[2], s.summary[3]]);
      assert.equal(s.fit, s.verdict);
    };
    await check();
    assert.match((await same()).bar[0], /^[\d,]+ r\/s$/);
    await page.$eval('#f-db_hold_ms', (el) => el.scrollIntoView({ block: 'center' }));
    assert.ok(await onTop(page, '#result-bar'), 'the bar in view while editing mid-form');
    assert.equal(await onTop(page, '#v-verdict'), false);
    // The field taking the focus is never under the bar, even at the top of the screen.
    await page.$eval('#f-cores', (el) => el.scrollIntoView({ block: 'start' }));
    assert.ok(await onTop(page, '#f-cores'), 'a field scrolled to the top stays below the bar');
    await page.fill('#f-cores', '16');
    await until(page, () => document.querySelector('#bar-workers')?.textContent === document.querySelector('#v-workers dd')?.textContent
      && document.querySelector('#v-workers dd').textContent.startsWith('32'));
    await check();
    // The bar's button brings the full recommendation into view, with the focus.
    await page.click('#bar-full');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'summary');
    assert.ok(await onTop(page, '#rec-title'), 'the recommendation below the bar');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.isVisible('#result-bar'), false, 'not printed');
    await page.emulateMedia({ media: null });
    assert.deepEqual(problems, []);
    await page.close();
  });
});
