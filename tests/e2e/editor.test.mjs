// The code editor: edit, run, reset; errors at their line; edited
// programs in the share link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, openLesson, settle, LAPTOP } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const open = (query) => openLesson(browser, server.base, query, LAPTOP);
const serverPanel = '.code-panel:first-child';
const lines = (page) => page.$$eval('.console[aria-label="Server console"] .console-line', (l) => l.map((e) => e.textContent));

/** Opens the server's editor and replaces `from` with `to` in its text; the line it is on. */
async function edit(page, from, to) {
  await page.click(`${serverPanel} .code-edit-btn`);
  const text = await page.inputValue(`${serverPanel} .code-input`);
  assert.ok(text.includes(from), `no ${from} in the program`);
  await page.fill(`${serverPanel} .code-input`, text.replace(from, to));
  await settle(page);
  return text.slice(0, text.indexOf(from)).split('\n').length;
}

test('recv(4): the edited server reads the message in 4-byte pieces, and a shared link restores it', async () => {
  const { page, context, problems } = await open('?lesson=echo&lang=en');
  await page.selectOption('.speed select', '50');
  await edit(page, 'conn.recv(1024)', 'conn.recv(4)');
  assert.match(await page.textContent(`${serverPanel} .code-ok`), /No syntax error/);
  await page.click(`${serverPanel} .code-run`);
  await page.waitForSelector('.narration .done', { timeout: 60_000 });
  const console = await lines(page);
  const pieces = console.slice(1, -1).map((l) => l.replace(/ \('10\.0\.0\.2', \d+\)$/, ''));
  assert.deepEqual(pieces, ['你好', 'how ', 'are ', 'you?'], console.join('\n'));
  assert.match(await page.textContent(`${serverPanel} .code-text`), /conn\.recv\(4\)/);
  assert.ok(await page.$(`${serverPanel}.edited`));

  await page.click('.tools .share');
  await page.waitForFunction(() => /[?&]code=[\w-]+/.test(document.querySelector('.share-link').value));
  const link = await page.inputValue('.share-link');
  const again = await openPage(browser, link, { context: { viewport: LAPTOP } });
  await again.page.waitForFunction(() => /conn\.recv\(4\)/.test(document.querySelector('.code-panel')?.textContent ?? ''));
  await again.page.waitForFunction(() => document.querySelectorAll('.console[aria-label="Server console"] .console-line').length > 3);
  assert.deepEqual(await lines(again.page), console);
  assert.deepEqual(again.problems, []);
  await again.context.close();

  // Reset goes back to the lesson's program.
  await page.keyboard.press('Escape');
  await page.click(`${serverPanel} .code-reset`);
  await settle(page);
  assert.match(await page.textContent(`${serverPanel} .code-text`), /conn\.recv\(1024\)/);
  assert.equal(await page.$(`${serverPanel}.edited`), null);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a syntax error is shown at its line before running, and a link with it opens with the error', async () => {
  const { page, context } = await open('?lesson=echo&lang=en');
  const n = await edit(page, '        if data:', '        if data');
  const error = await page.textContent(`${serverPanel} .code-error`);
  assert.match(error, new RegExp(`^Line ${n}: SyntaxError: expected ':'`));
  assert.equal(await page.getAttribute(`${serverPanel} .code-line.error`, 'data-line'), String(n));
  await page.click(`${serverPanel} .code-run`);
  await settle(page);
  await page.click('.tools .share');
  await page.waitForFunction(() => /[?&]code=/.test(document.querySelector('.share-link').value));
  const link = await page.inputValue('.share-link');
  const again = await openPage(browser, link, { context: { viewport: LAPTOP } });
  await again.page.waitForSelector('.code-panel .code-error');
  assert.match(await again.page.textContent('.code-panel .code-error'), new RegExp(`Line ${n}: SyntaxError`));
  assert.deepEqual(again.problems, []);
  await again.context.close();
  await context.close();
});

test('a runtime error is shown at the line where it ended the thread', async () => {
  const { page, context } = await open('?lesson=echo&lang=en');
  await page.selectOption('.speed select', '50');
  const n = await edit(page, '        if data:', '        if data / 2:');
  await page.click(`${serverPanel} .code-run`);
  await page.waitForSelector(`${serverPanel} .code-line.error`, { timeout: 60_000 });
  assert.equal(await page.getAttribute(`${serverPanel} .code-line.error`, 'data-line'), String(n));
  assert.match(await page.textContent(`${serverPanel} .code-error`), new RegExp(`Line ${n}: Thread-1 \\(handle_client\\): TypeError: unsupported operand`));
  const console = await lines(page);
  assert.ok(console.some((l) => /^TypeError: unsupported operand/.test(l)), console.join('\n'));
  await context.close();
});

test('a link whose code cannot be read opens the lesson with a message', async () => {
  const { page, context, problems } = await open('?lesson=echo&lang=en&code=AAAA_not-deflate');
  await page.waitForSelector('.notice[role=alert]');
  assert.match(await page.textContent('.notice'), /code=/);
  assert.match(await page.textContent('.code-panel'), /conn\.recv\(1024\)/);
  assert.deepEqual(problems.filter((p) => p.startsWith('page error')), []);
  await context.close();
});
