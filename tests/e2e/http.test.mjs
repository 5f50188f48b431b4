// The http lesson in the browser: the page, the Network panel, the URL parts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, openLesson, playToEnd, settle } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });


const open = (query) => openLesson(browser, server.base, query);


const requestRows = (page) => page.$$eval('.requests tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));

test('played to the end: the page renders, and the Network panel lists 200s and a 404 with headers and timing', async () => {
  const { page, context, problems } = await open('?lesson=http&lang=en');
  await playToEnd(page);
  // Resting, the narration names what this screen lets the learner do: the
  // address bar, not the clients' controls of the other lessons.
  const done = await page.textContent('.narration .done');
  assert.match(done, /type another address into the address bar and press Go/);
  assert.doesNotMatch(done, /add a client/);
  const rows = await requestRows(page);
  assert.deepEqual(rows.map((r) => [r[0], r[1], r[2]]), [
    ['/', '200', 'document'],
    ['style.css', '200', 'stylesheet'],
    ['missing.html', '404', 'document'],
  ]);
  for (const r of rows) assert.match(r[4], /^\d+\.\d{3} ms$/);

  // The page the browser received, in a sandboxed frame with no scripts.
  const frame = await page.$('.viewport iframe.page');
  assert.equal(await frame.getAttribute('sandbox'), '');
  // The frame loads its srcdoc after the render that set it: give it a moment.
  const body = page.frameLocator('.viewport iframe.page').locator('body');
  let text = '';
  for (let i = 0; i < 50 && !/404/.test(text); i++) {
    text = await body.textContent();
    if (!/404/.test(text)) await page.waitForTimeout(100);
  }
  assert.match(text, /404/);

  // Headers of the 200 for "/".
  await page.click('.requests tbody tr:nth-child(1)');
  const general = await page.textContent('.headers-tab .kv');
  assert.match(general, /Request URLhttp:\/\/www\.example\.test\//);
  assert.match(general, /Status Code200 OK/);
  assert.match(general, /Remote Address10\.0\.0\.1:80/);
  const headers = await page.$$eval('.headers-tab .kv.headers tr', (t) => t.map((r) => r.textContent));
  assert.ok(headers.includes('Content-Typetext/html; charset=utf-8'), headers.join('|'));
  assert.ok(headers.some((h) => /^Content-Length\d+$/.test(h)));
  assert.ok(headers.includes('Hostwww.example.test'));
  await page.check('.raw-toggle input');
  assert.match(await page.textContent('.headers-tab .raw'), /^HTTP\/1\.1 200 OK\r\n/);

  // The 404 and its timing rows.
  await page.click('.requests tbody tr:nth-child(3)');
  await page.uncheck('.raw-toggle input');
  assert.match(await page.textContent('.headers-tab .kv'), /Status Code404 Not Found/);
  await page.click('.tab:has-text("Timing")');
  const timing = await page.$$eval('.timing tr', (t) => t.map((r) => r.cells[0].textContent + '|' + r.cells[2].textContent));
  assert.deepEqual(timing.map((t) => t.split('|')[0]), ['DNS Lookup', 'Initial connection', 'Request sent', 'Waiting for server response', 'Content Download', 'Total']);
  // Over a kept-alive connection there is no DNS or connect for the third request.
  assert.match(timing[0], /\|—$/);
  assert.match(timing[3], /\|\d+\.\d{3} ms$/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the URL breakdown shows port and query parameters, and a new URL is requested', async () => {
  const { page, context } = await open('?lesson=http&lang=en');
  await playToEnd(page);
  await page.fill('.address-bar input', 'http://www.example.test:8080/about.html?page=1&count=10#top');
  await settle(page);
  const parts = await page.$$eval('.url-table tr', (t) => t.map((r) => r.cells[0].textContent + '=' + r.cells[1].textContent));
  assert.deepEqual(parts, ['scheme=http', 'host=www.example.test', 'port=8080', 'path=/about.html', 'query=page=1&count=10', 'fragment=top']);
  assert.deepEqual(await page.$$eval('.params li', (l) => l.map((e) => e.textContent)), ['page = 1', 'count = 10']);

  // A scheme the simulated browser does not speak is refused at once.
  await page.fill('.address-bar input', 'ftp://www.example.test/');
  await settle(page);
  assert.match(await page.textContent('.url-error'), /scheme/);

  // Typed without a scheme, as people do, the address bar puts http:// in
  // front and says so, as a real browser does.
  await page.fill('.address-bar input', 'www.example.test/about.html?page=1&count=10');
  await settle(page);
  assert.equal(await page.$('.url-error'), null);
  assert.equal(await page.textContent('.url-colored'), 'http://www.example.test/about.html?page=1&count=10');
  assert.match(await page.textContent('.scheme-added'), /puts http:\/\/ in front/);
  // The address bar acts at once: the lesson plays until the response is in.
  await page.click('.address-bar button');
  // The row appears when the request is sent, and gets its status when the response is in.
  await page.waitForFunction(() => /^\d{3}$/.test(document.querySelectorAll('.requests tbody tr')[3]?.cells[1].textContent ?? ''), null, { timeout: 60_000 });
  const rows = await requestRows(page);
  assert.deepEqual([rows[3][0], rows[3][1]], ['about.html?page=1&count=10', '200']);
  await context.close();
});

test('clicking a header highlights the bytes that carry it', async () => {
  const { page, context } = await open('?lesson=http&lang=en');
  // Step until the first request's bytes sit in the browser's send buffer.
  const requestBuffered = () => page.evaluate(() => !!document.querySelector('.requests tbody tr') &&
    [...document.querySelectorAll('.host.client .buffer:not(.rx)')].some((b) => !b.getAttribute('aria-label').includes(' 0/')));
  for (let i = 0; i < 400 && !(await requestBuffered()); i++) {
    await page.keyboard.press('ArrowRight');
    await settle(page);
  }
  await page.click('.headers-tab .kv.headers tr:has-text("Host")');
  await settle(page);
  assert.ok(await page.$('.headers-tab tr.marked'));
  const marked = await page.$$eval('.cell.hl', (c) => c.map((e) => e.textContent).join(''));
  // "Host: www.example.test" sits in the browser's send buffer right after the request is written.
  assert.equal(marked, 'Host:␣www.example.test');
  await context.close();
});
