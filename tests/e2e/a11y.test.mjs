// Accessibility: axe-core (npm, pinned) run in the served release build in headless
// Chromium, in each state a person can put the page in; and the whole form used with
// the keyboard alone, every stop showing where the focus is.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { served } from './serve.mjs';
import { launch, open, openFiles, openSettings, until } from './browser.mjs';
import { axe } from './axe.mjs';

let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('axe finds no WCAG 2 A/AA violation in light, dark, invalid and open-panel states', async () => {
  await served(async (server) => {
    const { page, problems } = await open(browser.context, server.url, server.origin);
    const seen = {};
    const check = async (state) => {
      const { violations, rules } = await axe(page);
      seen[state] = rules;
      assert.deepEqual(violations, [], `${state}: ${violations.join('\n')}`);
    };
    // Empty live regions stay rendered (hidden, not display: none), so what appears is read out.
    assert.deepEqual(await page.$$eval('[role=status]:empty', (els) => els.filter((e) => getComputedStyle(e).display === 'none').map((e) => e.id)), []);
    // The settings listed and every <details> open, so the settings inside are checked too.
    await openSettings(page);
    await page.$$eval('details', (ds) => ds.forEach((d) => { d.open = true; }));
    await page.emulateMedia({ colorScheme: 'light' });
    await check('light (system)');
    await page.emulateMedia({ colorScheme: 'dark' });
    await check('dark (system)');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.selectOption('#theme', 'dark');
    await until(page, () => document.documentElement.dataset.theme === 'dark');
    await check('dark (picked)');

    await page.selectOption('#theme', 'light');
    await page.fill('#f-cores', '0');
    await page.fill('#f-mix-0', '10');
    await until(page, () => document.querySelector('#e-mix')?.textContent.includes('sum to 90'));
    await check('invalid fields, light');
    await page.selectOption('#theme', 'dark');
    await check('invalid fields, dark');
    await page.fill('#f-cores', '4');
    await page.fill('#f-mix-0', '20');
    // A missed target with its suggestions, one applied (the undo shown).
    await page.fill('#f-rps', '2500');
    await page.waitForSelector('#suggestions .apply');
    await check('suggestions, dark');
    await page.click('#suggestions li:last-child .apply');
    await page.waitForSelector('#undo-suggestion');
    await check('a suggestion applied, dark');
    await page.click('#undo-suggestion');
    await page.fill('#f-rps', '0');

    // The saved plans with a plan in them, renaming one, the undo after a delete, the
    // export panel on another tab, a notice from a bad link.
    await page.fill('#save-name', 'alpha');
    await page.click('#save-plan');
    await page.fill('#save-name', 'beta');
    await page.click('#save-plan');
    await page.click('[aria-label="Delete beta"]');
    await page.waitForSelector('#undo-delete');
    await page.click('[aria-label="Rename alpha"]');
    await page.waitForSelector('.rename-name');
    await openFiles(page);
    await page.click('.files [role=tab]:text-is("nginx.conf")');
    await page.evaluate(() => { location.hash = 'v=1&cores=0&colour=blue'; });
    await page.waitForSelector('#dismiss-notices');
    for (const theme of ['light', 'dark']) {
      await page.selectOption('#theme', theme);
      await check(`panels open, ${theme}`);
    }
    await page.setViewportSize({ width: 360, height: 740 });
    await check(`360 px wide, dark`);
    console.log(`axe ${JSON.parse(fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/package.json'))).version}: ` +
      Object.entries(seen).map(([s, n]) => `${s} ${n} rules`).join('; ') + ' — 0 violations');
    assert.deepEqual(problems, []);
    await page.close();
  });
});

/** The accessible description Chromium computes for the element `selector` matches. */
async function description(cdp, selector) {
  const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
  return nodes[0]?.description?.value ?? '';
}

test('every field shows its help under its label, and its control is described by the help and then the message', async () => {
  await served(async (server) => {
    const { page, problems } = await open(browser.context, server.url, server.origin);
    const fields = await page.$$eval('.inputs .field', (fs) => fs.map((f) => {
      const control = f.querySelector('input, select');
      const help = f.querySelector('p.help');
      const label = f.querySelector('label');
      return {
        id: control.id, describedby: control.getAttribute('aria-describedby'), help: help?.id, text: help?.textContent ?? '',
        below: !!help && label.getBoundingClientRect().bottom <= help.getBoundingClientRect().top + 1 && help.offsetHeight > 0,
        small: !!help && parseFloat(getComputedStyle(help).fontSize) < parseFloat(getComputedStyle(label).fontSize),
      };
    }));
    assert.ok(fields.length >= 30, `${fields.length} fields`);
    for (const f of fields) {
      const key = f.id.slice(2);
      assert.equal(f.help, `h-${key}`, f.id);
      assert.equal(f.describedby, `h-${key} e-${key}`, f.id);
      assert.ok(f.text.length >= 20 && f.text.endsWith('.'), `${f.id}: ${f.text}`);
      assert.ok(f.below && f.small, `${f.id}: the help is under the label, smaller`);
    }
    // What a screen reader is given: the help, then the message once there is one.
    const cdp = await page.context().newCDPSession(page);
    assert.match(await description(cdp, '#f-cores'), /^CPU cores of one app node .*nproc/);
    assert.match(await description(cdp, '#f-server'), /^gunicorn's worker type/);
    await page.fill('#f-cores', '0');
    await until(page, () => document.querySelector('#e-cores')?.textContent.includes('out of range'));
    assert.match(await description(cdp, '#f-cores'), /^CPU cores of one app node.* 0 is out of range; enter 1–256 cores$/);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

/** What has the focus, and whether it shows: an outline on it or on the label it is hidden behind. */
function focusState() {
  const el = document.activeElement;
  const shown = (e) => { const s = getComputedStyle(e); return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; };
  const label = el.id && el.classList.contains('visually-hidden') ? document.querySelector(`label[for="${el.id}"]`) : null;
  return { id: el.id || `${el.tagName.toLowerCase()}.${el.className}`, tag: el.tagName, visible: shown(label ?? el), focusVisible: el.matches(':focus-visible') };
}

test('the keyboard alone reaches every field and the export buttons, each stop visibly focused', async () => {
  await served(async (server) => {
    const { page, problems } = await open(browser.context, server.url, server.origin);
    const stops = [];
    const tabTo = async (id) => {
      for (let i = 0; i < 200 && stops.at(-1)?.id !== id; i++) {
        await page.keyboard.press('Tab');
        stops.push(await page.evaluate(focusState));
      }
    };
    // The files panel opens from the keyboard too, and its buttons follow.
    await tabTo('show-files');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#download-all');
    await tabTo('download-all');
    const ids = stops.map((s) => s.id);
    for (const id of ['theme', 'copy-link', 'import-plan', 'save-name', 'f-name', 'f-tier', 'f-cores', 'f-mix-0', 'add-class', 'f-platform', 'show-settings', 'show-files',
      'copy-file', 'download-file', 'download-all']) {
      assert.ok(ids.includes(id), `Tab reaches #${id}: ${ids.join(' ')}`);
    }
    const unseen = stops.filter((s) => !s.visible || !s.focusVisible).map((s) => s.id);
    assert.deepEqual(unseen, [], 'every stop shows its focus');
    // The keyboard works them: a value typed, a section opened, a file downloaded.
    await page.focus('#f-cores');
    await page.keyboard.press('ArrowUp');
    await until(page, () => document.querySelector('#v-workers')?.textContent.includes('10 processes'));
    await page.focus('#show-settings');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#d-nginx summary');
    await page.focus('#d-nginx summary');
    await page.keyboard.press('Enter');
    assert.equal(await page.$eval('#d-nginx', (d) => d.open), true);
    await page.focus('#download-all');
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    assert.equal(download.suggestedFilename(), 'app-config.zip');
    console.log(`keyboard: ${stops.length} Tab stops to #download-all`);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
