#!/usr/bin/env node
// Full-page screenshots of the default plan for the README: docs/screenshot-360.png (a
// 360 × 740 phone) and docs/screenshot-1440.png (a 1440 px desktop), light theme.
// dist/ served on loopback (tests/e2e/serve.mjs) in headless Debian Chromium; run by
// `make screenshots`, which builds dist/ first.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../tests/e2e/browser.mjs';
import { served } from '../tests/e2e/serve.mjs';

const docs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs');
const browser = await launch({ colorScheme: 'light' });
try {
  await served(async (server) => {
    for (const [width, height] of [[360, 740], [1440, 900]]) {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height });
      await page.goto(server.url);
      // The charts are drawn once the page is painted and idle.
      await page.waitForSelector('#chart-workers', { state: 'attached' });
      // On a wide screen the results scroll in their own column, as tall as the screen: a
      // screen as tall as the page or the results, whichever is taller, shows them all.
      const tall = await page.evaluate(() => Math.max(document.documentElement.scrollHeight,
        document.querySelector('.output').scrollHeight + document.querySelector('.output').getBoundingClientRect().top));
      await page.setViewportSize({ width, height: Math.ceil(tall) });
      const file = path.join(docs, `screenshot-${width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`screenshots: ${path.relative(process.cwd(), file)}`);
      await page.close();
    }
  });
} finally {
  await browser.close();
}
