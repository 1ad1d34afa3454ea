// The edits scripts/perf.mjs, perf-ab.mjs and perf-trace.mjs time: which inputs change to
// which values, the in-page function that makes one change and times it, and `edit`, which
// makes one from node.

/**
 * In the page (passed to page.evaluate): dispatches one change and resolves to
 * [render, busy] in ms, as scripts/perf.mjs describes them. With `mark`, the render's
 * interval is also left in the page's user timing as a measure named `edit`, after it is
 * timed (scripts/perf-trace.mjs finds the edits in a trace by it).
 */
export async function change([selector, value, kind, mark]) {
  const el = document.querySelector(selector);
  let last = 0;
  let seen = 0;
  const observer = new MutationObserver(() => { last = performance.now(); seen++; });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  el.value = value;
  const channel = new MessageChannel();
  const busy = new Promise((resolve) => { channel.port1.onmessage = () => resolve(performance.now()); });
  const start = performance.now();
  el.dispatchEvent(new Event(kind, { bubbles: true }));
  channel.port2.postMessage(0);
  for (let before = -1; before !== seen;) {
    before = seen;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  observer.disconnect();
  if (seen === 0) throw new Error(`${selector} = ${value} changed nothing on the page`);
  if (mark) performance.measure('edit', { start, end: last });
  return [last - start, (await busy) - start];
}

/**
 * In the page (passed to page.evaluate): resolves once the frame showing the last change
 * has been drawn (the second animation frame after it). scripts/perf.mjs waits for it
 * between edits: a person's edits come tens of milliseconds apart, each after the page
 * showed the last, while an edit made at once shares the two cores with the previous
 * frame's paint, raster and compositing (other threads and processes of Chromium).
 */
export function drawn() {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
}

/**
 * One change on a playwright `page`, timed by `change` ([render, busy] in ms); paced, it
 * returns once the change is drawn, as a person's next edit would come.
 */
export async function edit(page, args, { paced = true, mark = false } = {}) {
  const ms = await page.evaluate(change, [...args, mark]);
  if (paced) await page.evaluate(drawn);
  return ms;
}

const SERVERS = ['sync', 'gthread', 'gevent', 'async'];
// The mix is a row per class (its cells valid one at a time): the first class's CPU time
// moves the whole model the way a mix did (the demand, the CPU, the latency).
const MIXES = ['6', '12', '3', '1', '20', '8'];
export const inputs = {
  cores: (i) => ['#f-cores', String(1 + (i % 32)), 'input'],
  server: (i) => ['#f-server', SERVERS[i % SERVERS.length], 'change'],
  mix: (i) => ['#f-cpu_ms-0', MIXES[i % MIXES.length], 'input'],
};
