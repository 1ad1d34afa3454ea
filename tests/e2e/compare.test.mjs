// "Compare plans" (issue 23): pin the plan as A, change its cores, pin it as B; the panel
// (its code loaded when opened, its markup from the config files' worker) shows the table
// with the cores and the capacity that change, each chart with one legend entry per plan
// and each file's diff; the comparison is in the link, so after a reload the panel opens
// and shows it again, and an edit keeps it there. axe checks the panel with its answer; the keyboard
// reaches it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPlanner, until } from './browser.mjs';
import { axe } from './axe.mjs';

let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The table's row whose header starts with `name`, as its cells' texts. */
const row = (page, name) => page.$$eval('#compare-table tbody tr', (trs, n) => {
  const tr = trs.find((t) => t.querySelector('th')?.textContent.startsWith(n));
  return tr ? [...tr.children].map((c) => c.textContent) : null;
}, name);

/** The legend entries of a chart that name a plan. */
const legends = (page, id) => page.$$eval(`#${id} svg text`, (ts) => ts.map((t) => t.textContent).filter((t) => /^plan [A-D]: /.test(t)));

test('two pinned plans compared: the table, the charts overlaid, the diffs; the link keeps them', async () => {
  await withPlanner(browser, async (page) => {
    await page.click('summary:has-text("Compare plans")');
    await page.getByRole('button', { name: 'Pin this plan as A' }).click();
    await page.getByRole('button', { name: 'Pin this plan as B' }).waitFor();
    assert.equal(await page.textContent('#compare-status'), 'The plan on the form is pinned as A.');
    // Pinned at once after the edit: the pin waits for the address to follow the form.
    await page.fill('#f-cores', '8');
    await page.getByRole('button', { name: 'Pin this plan as B' }).click();
    await page.waitForSelector('#compare-table');
    assert.equal(await page.textContent('#compare-status'), 'The plan on the form is pinned as B.');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Pin this plan as C', 'the keyboard keeps its place');

    assert.deepEqual(await row(page, 'CPU cores'), ['CPU cores cores', '4 cores', '8 cores (changed)']);
    const capacity = await row(page, 'Capacity at the 70 % target');
    assert.ok(capacity, 'a capacity row');
    assert.match(capacity[2], /^[\d,]+ r\/s \(\+[\d,]+ r\/s, \+[\d,]+ %: better\)$/, capacity[2]);
    assert.deepEqual(await page.$$eval('#compare-table thead th', (ths) => ths.map((t) => t.textContent)), ['Input or result', 'Plan A', 'Plan B']);
    for (const id of ['compare-throughput', 'compare-latency']) {
      const entries = await legends(page, id);
      assert.equal(entries.length, 2, `${id}: ${entries}`);
      assert.match(entries[0], /^plan A: /);
      assert.match(entries[1], /^plan B: /);
    }
    // A file's diff, opened from the keyboard.
    const diffs = await page.$$eval('#compare details.diff summary', (s) => s.map((x) => x.textContent));
    assert.ok(diffs.some((d) => d.startsWith('gunicorn.conf.py')), diffs.join(', '));
    await page.focus('#compare details.diff summary');
    await page.keyboard.press('Enter');
    assert.match(await page.textContent('#compare details.diff[open] pre'), /^--- a\/\S+\n\+\+\+ b\/\S+\n@@ /);
    assert.deepEqual((await axe(page)).violations, [], 'the panel with its comparison');

    // The link holds the comparison: a reload shows it again, with the plan B on the form.
    assert.match(await page.evaluate(() => location.hash), /^#v=1&cores=8&compare=[^&]+$/);
    await page.reload();
    await page.waitForSelector('#f-cores');
    // A link that carries the pinned plans opens the panel with the comparison by itself.
    await page.waitForSelector('#compare[open] #compare-table');
    assert.equal(await page.inputValue('#f-cores'), '8');
    assert.deepEqual(await row(page, 'CPU cores'), ['CPU cores cores', '4 cores', '8 cores (changed)']);
    // "Open plan A" puts A back on the form, the comparison kept.
    await page.getByRole('link', { name: 'Open plan A' }).click();
    await until(page, () => document.querySelector('#f-cores')?.value === '4');
    assert.match(await page.evaluate(() => location.hash), /^#v=1&compare=[^&]+$/, 'A is the default plan (4 cores)');
    assert.equal(await page.$('#notices li'), null, 'the link reads without a notice');
    // An edit keeps the comparison in the link.
    await page.fill('#f-cores', '6');
    await until(page, () => /[#&]cores=6&compare=/.test(location.hash));

    // Unpin B, then every plan.
    await page.getByRole('button', { name: 'Unpin plan B' }).click();
    await page.getByRole('button', { name: 'Pin this plan as B' }).waitFor();
    assert.equal(await page.$('#compare-table'), null);
    await page.getByRole('button', { name: 'Unpin every plan' }).click();
    await page.getByRole('button', { name: 'Pin this plan as A' }).waitFor();
    await until(page, () => !location.hash.includes('compare='));
  }, '#v=1&cores=4');
});
