// Shared pieces of the end-to-end tests: a static server that serves dist/
// under a sub-path (as a course site would), and Debian's Chromium driven by
// playwright-core.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// SOCKSCOPE_DIST: another build to test (an older one, to see a test fail before its fix).
export const DIST = process.env.SOCKSCOPE_DIST ? path.resolve(process.env.SOCKSCOPE_DIST) : path.join(ROOT, 'dist');
export const SUB_PATH = '/course/net/sockscope/';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

/** Serves DIST at SUB_PATH on an ephemeral loopback port; anything else is 404. */
export async function serveDist() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (!url.pathname.startsWith(SUB_PATH)) {
      res.writeHead(404).end('not under the sub-path');
      return;
    }
    let rel = decodeURIComponent(url.pathname.slice(SUB_PATH.length)) || 'index.html';
    const file = path.join(DIST, path.normalize(rel));
    if (!file.startsWith(DIST) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}${SUB_PATH}`;
  return { base, close: () => new Promise((resolve) => server.close(resolve)) };
}

/**
 * Launches headless Chromium with the flags this closed network needs.
 * Playwright gives every launch a fresh, empty profile directory.
 */
export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  return browser;
}

/**
 * Opens a page and records what went wrong: failed requests, HTTP errors,
 * console errors and uncaught exceptions (a wasm panic shows up there).
 */
export async function openPage(browser, url, options = {}) {
  const context = await browser.newContext({ locale: options.locale ?? 'en-US', ...options.context });
  const page = await context.newPage();
  const problems = [];
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  await page.goto(url);
  return { page, context, problems };
}

/** Waits until Yew has rendered what the last input dispatched. */
export const settle = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

/**
 * Opens the app at `query` in a roomy window and waits for the stage. The
 * lessons' checkpoints would pause playing to ask a question, so they are
 * off (`quiz=0`) unless the query says otherwise (tests/e2e/quiz.test.mjs).
 */
export async function openLesson(browser, base, query, viewport = { width: 1400, height: 1100 }) {
  const q = /[?&]quiz=/.test(query) ? query : `${query}${query.includes('?') ? '&' : '?'}quiz=0`;
  const opened = await openPage(browser, base + q, { context: { viewport } });
  await opened.page.waitForSelector('.stage .host.server');
  // The consoles and the event log are drawn in the task after the first.
  await opened.page.waitForSelector('section.log');
  return opened;
}

/** A classroom laptop's screen. */
export const LAPTOP = { width: 1366, height: 768 };

/** Plays at the top speed until the narration says the lesson is over. */
export async function playToEnd(page) {
  await page.selectOption('.speed select', '50');
  if (!(await page.$('.btn-play.on'))) await page.click('.btn-play');
  await page.waitForSelector('.narration .done', { timeout: 120_000 });
}

/** The step and the simulated time the controls show. */
export async function stepAndTime(page) {
  const text = await page.textContent('.step-count');
  const step = Number(text.match(/(\d+)/)[1]);
  const time = text.match(/([\d.]+) ms/)[1];
  return { step, time };
}

/** Presses a key n times, letting each render finish, as a person would. */
export async function press(page, key, n) {
  for (let i = 0; i < n; i++) {
    await page.keyboard.press(key);
    await settle(page);
  }
}

/** Presses → until `predicate` holds in the page, at most `max` times. */
export async function stepUntil(page, predicate, max = 600, arg = undefined) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate(predicate, arg)) return i;
    await press(page, 'ArrowRight', 1);
  }
  throw new Error(`condition not reached in ${max} steps: ${predicate}`);
}

/** Waits until a learner's action has played to its effect (or was refused). */
export async function actionDone(page) {
  await page.waitForSelector('.action-note.done, .action-note.refused', { timeout: 30_000 });
  return page.textContent('.action-note');
}
