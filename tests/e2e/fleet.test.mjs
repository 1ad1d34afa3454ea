// "Find the cheapest fleet": the panel's button asks the calibration's worker to search
// every node shape; the answer is a table of fleets, cheapest first, each opening a plan
// that fits with headroom, and a chart of cost against p95. The search's time in the
// page is printed (issue 22's budget: well under a second). axe checks the answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPlanner, until } from './browser.mjs';
import { axe } from './axe.mjs';

const PLAN = '#v=1&rps=2000&replicas=2&spare=1&p95=300&pgbouncer=on';
let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Opens the panel and runs the search three times: each time's ms (the first loads the worker). */
async function searched(page) {
  await page.click('summary:has-text("Find the cheapest fleet")');
  const times = [];
  for (let i = 0; i < 3; i += 1) {
    await page.evaluate(() => { document.querySelector('#fleet-result').innerHTML = ''; });
    const started = Date.now();
    await page.getByRole('button', { name: 'Find the cheapest fleet', exact: true }).click();
    await page.waitForSelector('#fleet-options tbody tr');
    times.push(Date.now() - started);
  }
  return times;
}

test('the cheapest fleet opens as a plan that fits, and the search takes well under a second', async () => {
  await withPlanner(browser, async (page) => {
    const times = await searched(page);
    console.log(`fleet search in the page: ${times.join(', ')} ms (the first loads the worker)`);
    const rows = await page.$$eval('#fleet-options tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    assert.ok(rows.length >= 2 && rows.length <= 12, `${rows.length} rows`);
    const costs = rows.map((r) => Number(r[0].replace(/,/g, '')));
    assert.deepEqual([...costs].sort((a, b) => a - b), costs, 'cheapest first');
    assert.equal(rows[0][6], '★', 'the cheapest is on the front');
    assert.match(await page.textContent('#fleet-result'), /fleets meet 2,000 r\/s at its peak\. The cheapest: /);
    assert.equal(await page.getAttribute('#fleet-chart [role=img]', 'aria-label'), 'Monthly cost against p95');
    assert.deepEqual((await axe(page)).violations, [], 'the panel with its answer');
    // Open the cheapest: the page reads it as it reads any link, and it fits.
    await page.click('#fleet-options tbody tr:first-child a');
    await until(page, () => document.querySelector('#v-verdict')?.dataset.fit === 'headroom');
    assert.match(await page.evaluate(() => location.hash), /replicas=\d+/);
    assert.match(await page.textContent('#v-cost'), /^App nodes' cost\$[\d,]+ a month/);
  }, PLAN);
});

test('on Kubernetes the search also splits nodes into pods, each row saying its nodes and pods a node', async () => {
  await withPlanner(browser, async (page) => {
    const times = await searched(page);
    console.log(`fleet search with pods in the page: ${times.join(', ')} ms (the first loads the worker)`);
    const heads = await page.$$eval('#fleet-options thead th', (ths) => ths.map((th) => th.textContent));
    assert.deepEqual(heads.slice(2, 4), ['Nodes', 'Pods a node']);
    // Without PgBouncer node-sized pods of 4 cores open too many connections; 2 pods a node do not.
    const link = page.getByRole('link', { name: 'Open 2 × 4 cores, 8 GiB (3 pods, 2 a node)' });
    assert.deepEqual((await axe(page)).violations, [], 'the panel with pod rows');
    await link.click();
    await until(page, () => document.querySelector('#v-verdict')?.dataset.fit === 'headroom');
    assert.match(await page.evaluate(() => location.hash), /pod_cpu=[\d.]+/);
    assert.match(await page.textContent('#v-cost'), /^App nodes' cost\$[\d,]+ a month/);
  }, '#v=1&platform=k8s&rps=300&replicas=2&spare=1&p95=300');
});
