#!/usr/bin/env node
// Where the answer is on the page: at 1440 × 900 and 390 × 844, the page's full height,
// where the verdict starts (px from the top), whether it is in the first screen, and,
// after scrolling to a field in the middle of the form, whether the verdict (or the phone's
// result bar) is still in view. Writes docs/layout-<label>-<width>.png (the first
// screen) and prints one JSON line per width. "While editing" is with the database's
// connection hold time (#f-db_hold_ms, mid-form) scrolled to the middle of the screen. `node scripts/layout.mjs <label>` on a
// built dist/ (make release); `make layout` runs it as "after".
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../tests/e2e/browser.mjs';
import { served } from '../tests/e2e/serve.mjs';

const label = process.argv[2] ?? 'after';
const docs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs');
const browser = await launch({ colorScheme: 'light' });
try {
  await served(async (server) => {
    for (const [width, height] of [[1440, 900], [390, 844]]) {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height });
      await page.goto(server.url);
      await page.waitForSelector('#v-verdict');
      const first = await page.evaluate(() => {
        const v = document.querySelector('#v-verdict').getBoundingClientRect();
        const bar = document.querySelector('#result-bar');
        return {
          pageHeight: document.documentElement.scrollHeight,
          verdictTop: Math.round(v.top + window.scrollY),
          verdictInFirstScreen: v.top >= 0 && v.top < window.innerHeight,
          resultBar: !!bar && bar.getBoundingClientRect().height > 0,
        };
      });
      const file = path.join(docs, `layout-${label}-${width}.png`);
      await page.screenshot({ path: file });
      // Editing a field mid-form: is the answer in view?
      const editing = await page.evaluate(() => {
        document.querySelector('#f-db_hold_ms').scrollIntoView({ block: 'center' });
        const inView = (el) => {
          if (!el) return false;
          const r = el.getBoundingClientRect();
          return r.height > 0 && r.bottom > 0 && r.top < window.innerHeight && getComputedStyle(el).visibility !== 'hidden';
        };
        return {
          verdictInViewWhileEditing: inView(document.querySelector('#v-verdict')),
          resultBarInViewWhileEditing: inView(document.querySelector('#result-bar')),
        };
      });
      console.log(JSON.stringify({ label, width, height, ...first, ...editing, screenshot: path.relative(process.cwd(), file) }));
      await page.close();
    }
  });
} finally {
  await browser.close();
}
