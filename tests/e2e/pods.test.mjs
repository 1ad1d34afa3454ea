// The pod as the unit (issue 22): a Kubernetes plan with a pod's CPU and memory limits
// runs the workers the pod's quota holds, the settings list shows the trade-off of pod
// sizes with the model's choice, and a pod larger than the node's allocatable resources
// breaks the page's verdict. axe checks the list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPlanner, openSettings, until } from './browser.mjs';
import { axe } from './axe.mjs';

let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a half-core pod runs 2 workers and the settings weigh pod sizes', async () => {
  await withPlanner(browser, async (page) => {
    await openSettings(page);
    await page.waitForSelector('#d-pods');
    await page.click('#d-pods summary');
    const names = await page.$$eval('#d-pods .setting code', (cs) => cs.map((c) => c.textContent));
    assert.deepEqual(names, ['replicas=4&pod_cpu=0.25&pod_mem=0.5', 'replicas=2&pod_cpu=0.5&pod_mem=1', 'replicas=1&pod_cpu=1&pod_mem=2']);
    const whys = await page.$$eval('#d-pods .setting .why', (ds) => ds.map((d) => d.textContent));
    assert.equal(whys.filter((w) => w.startsWith("The model's choice. ")).length, 1);
    assert.equal(await page.textContent('#s-gunicorn-workers .v'), '2 processes');
    assert.deepEqual((await axe(page)).violations, [], 'the list with the trade-off');
  }, '#v=1&platform=k8s&cores=16&ram=64&server=sync&pod_cpu=0.5&pod_mem=1&rps=100&replicas=3');
});

test('a pod over the node\'s allocatable CPU breaks the verdict', async () => {
  await withPlanner(browser, async (page) => {
    await until(page, () => document.querySelector('#v-verdict')?.dataset.fit === 'broken');
    assert.match(await page.textContent('#v-verdict'), /pod_cpu 4 cores is more than the 3,720 m a node of 4 cores leaves to pods \(allocatable\)/);
  }, '#v=1&platform=k8s&cores=4&ram=8&pod_cpu=4');
});
