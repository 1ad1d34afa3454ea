import { served } from './serve.mjs';
import { launch, open } from './browser.mjs';
const b = await launch();
await served(async (server) => {
  const { page } = await open(b.context, server.url, server.origin);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  for (let i = 0; i < 100; i++) {
    await page.evaluate((v) => { const el = document.querySelector(process.argv ? '#f-cores' : '#f-cores'); }, 0).catch(()=>{});
    await page.evaluate((v) => { const el = document.querySelector('#f-mix'); el.value = v; el.dispatchEvent(new Event('input', { bubbles: true })); }, ['20,50,30','100,0,0','0,100,0','10,80,10'][i%4]);
    await page.waitForTimeout(5);
  }
  const { profile } = await cdp.send('Profiler.stop');
  const self = new Map(); const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const dt = profile.timeDeltas; let total = 0;
  profile.samples.forEach((id, i) => { const n = byId.get(id); const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}`; self.set(k, (self.get(k) || 0) + (dt[i] || 0)); total += dt[i]||0; });
  let w=0; for (const [k,v] of self) if (k.startsWith("wasm-function")) w+=v; console.log("wasm total", (w/1000/100).toFixed(3), "ms/edit");
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
  for (const [k, v] of top) console.log((v / 1000 / 100).toFixed(3), 'ms/edit', k);
});
await b.close();
