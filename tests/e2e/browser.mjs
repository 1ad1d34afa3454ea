// Headless Debian Chromium driven by playwright-core; never a downloaded browser.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { served } from './serve.mjs';

export const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** A fresh browser context with a fresh profile directory. */
export async function launch(options = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'planner-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  return { context, close: async () => { await context.close(); fs.rmSync(profile, { recursive: true, force: true }); } };
}

/**
 * Opens `url` in a new page and records what a person must never see: console
 * errors, page errors, and requests to any origin but `origin`.
 */
export async function open(context, url, origin) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:')) problems.push(`request left the origin: ${u}`);
  });
  await page.goto(url);
  await page.waitForSelector('#f-cores');
  return { page, problems };
}

/** Waits (10 s at most) until `fn(arg)` is true in the page. */
export const until = (page, fn, arg) => page.waitForFunction(fn, arg, { timeout: 10_000 });

/** Waits until the element `selector` shows `text`. */
export const shows = (page, selector, text) =>
  until(page, ([s, t]) => document.querySelector(s)?.textContent.includes(t), [selector, text]);

/**
 * Serves dist/, opens the planner at `url` (a fragment or path after the server's) in
 * `browser` and runs `body(page, server)`; the page must log no error.
 */
export async function withPlanner(browser, body, url = '') {
  await served(async (server) => {
    const { page, problems } = await open(browser.context, server.url + url, server.origin);
    await body(page, server);
    assert.deepEqual(problems, []);
    await page.close();
  });
}

/** Opens the config files panel (its worker loads then) and waits for the first file. */
export async function openFiles(page) {
  if (await page.$('#show-files')) await page.click('#show-files');
  await page.waitForSelector('#file-text');
}

/** Opens the settings list (the config files' worker writes it) and waits for its lines. */
export async function openSettings(page) {
  if (await page.$('#show-settings')) await page.click('#show-settings');
  await page.waitForSelector('.details .setting');
}
