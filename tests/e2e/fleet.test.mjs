// End to end, issue 19: the fleet and its database. A large fleet is limited by the
// database host's CPU and the page says how busy the database is; spare nodes are said
// to be carried or not; the new fields sit in their groups with label, unit and help,
// and refuse a value that does not fit, beside the field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, shows, until, withPlanner } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const text = (page, selector) => page.textContent(selector);

const planner = (body, url) => withPlanner(browser, body, url);

/** The Database value shows its figures: the busier share, connections and host CPU. */
async function databaseBusy(page) {
  await shows(page, '#v-bottleneck', 'database CPU');
  const database = await text(page, '#v-database');
  const m = database.match(/^Database(\d+) % busyconnections (\d+) % \(pool of the fleet: 197 server connections\), database host CPU (\d+) % of 4 cores at ([\d,]+) r\/s$/);
  assert.ok(m, database);
  const [busy, conns, cpu] = [m[1], m[2], m[3]].map(Number);
  assert.equal(busy, Math.max(conns, cpu));
  assert.equal(cpu, 70, 'read at the 70 % capacity, the database CPU being the bottleneck');
  assert.match(await text(page, '#v-bottleneck'), /connections at [\d,]+ r\/s, database CPU at [\d,]+ r\/s per node$/);
}

test('40 replicas from a link: the database CPU is the bottleneck, and the Database value says how busy', () => planner(async (page) => {
  await databaseBusy(page);
  assert.equal(await page.inputValue('#f-replicas'), '40');
}, '#v=1&replicas=40'));

test('40 replicas typed in the form: the same', () => planner(async (page) => {
  await shows(page, '#v-bottleneck', 'CPU');
  assert.match(await text(page, '#v-database'), /database host CPU \d+ % of 4 cores/);
  await page.fill('#f-replicas', '40');
  await databaseBusy(page);
  await until(page, () => location.hash === '#v=1&replicas=40');
}));

test('a spare node: the summary says whether the others carry the target, whatever the verdict', () => planner(async (page) => {
  // The pools open more than PostgreSQL accepts: broken, and the spare still said.
  await shows(page, '#v-spare', 'Not carried');
  assert.equal(await text(page, '#v-spare'),
    'Losing the sparesNot carriedlosing 1 node, the other 2 nodes would not carry 2,000 r/s within 70 % busy and the 200 ms objective');
  assert.match(await text(page, '#v-verdict'), /^Broken\./);
  assert.equal(await text(page, '#notices'), '', 'the link read as it is, spare before replicas');
  // A fourth node, and PgBouncer: carried, and the verdict says it too.
  await page.fill('#f-replicas', '4');
  await page.selectOption('#f-pgbouncer', 'on');
  await shows(page, '#v-spare', 'Carried');
  await shows(page, '#v-verdict', 'Losing 1 node, the other 3 nodes still carry it.');
}, '#v=1&spare=1&replicas=3&rps=2000'));

test('the new fields: in their groups, with label, unit and help; a value that does not fit is refused beside its field', () => planner(async (page) => {
  const groups = {
    peak: 'Target', spare: 'Node', usl_sigma: 'Workload', usl_kappa: 'Workload',
    pgbouncer_pool: 'Database', db_max_connections: 'Database', db_cpu_ms: 'Database',
  };
  for (const [key, group] of Object.entries(groups)) {
    const at = await page.$eval(`#f-${key}`, (el) => ({
      legend: el.closest('fieldset').querySelector('legend').textContent,
      label: document.querySelector(`label[for="${el.id}"]`)?.textContent ?? '',
      help: document.getElementById(el.getAttribute('aria-describedby').split(' ')[0])?.textContent ?? '',
      valid: el.checkValidity(),
    }));
    assert.equal(at.legend, group, key);
    assert.ok(at.label.length > 5 && at.help.length > 20, `${key}: ${JSON.stringify(at)}`);
    assert.ok(at.valid, `${key}: its own value is valid for the browser`);
  }
  assert.match(await text(page, 'label[for="f-db_cpu_ms"]'), /\(0–600,000 ms\)/);
  assert.match(await text(page, 'label[for="f-peak"]'), /\(1–100 ×\)/);
  assert.match(await text(page, '#h-usl_sigma'), /Gunther's Guerrilla Capacity Planning \(2007\) ch\. 4–5/);
  assert.match(await text(page, '#h-db_cpu_ms'), /pg_stat_statements/);
  const refused = async (key, value, says) => {
    await page.fill(`#f-${key}`, value);
    await shows(page, `#e-${key}`, says);
    assert.equal(await page.getAttribute(`#f-${key}`, 'aria-invalid'), 'true');
    await shows(page, '#stale', 'Showing the last valid plan.');
  };
  await refused('spare', '1', 'must be below the nodes / replicas (1)');
  await page.fill('#f-replicas', '3'); // the spare now fits: its message goes
  await until(page, () => document.querySelector('#e-spare').textContent === '' && !document.querySelector('#stale'));
  await refused('db_cpu_ms', '5', 'more than the connection hold time (4 ms)');
  await page.fill('#f-db_cpu_ms', '2');
  await until(page, () => !document.querySelector('#stale'));
  await refused('peak', '0.5', '1–100 ×');
  await page.fill('#f-peak', '2');
  await refused('usl_sigma', '1', '0–0.99');
}));
