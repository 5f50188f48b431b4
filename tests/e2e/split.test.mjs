// The Python interpreter is a WebAssembly module of its own, fetched after
// the first screen (scripts/split-wasm.mjs, src/sim/python/engine.rs). These
// tests hold that module back, or refuse it, as a slow or broken network
// would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, settle, stepAndTime, press, LAPTOP } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const CHUNK = /\/split_python-[0-9a-f]+\.wasm$/;

/**
 * Opens `query` with the interpreter's module held back until `release()`
 * (or refused, with `refuse`). Records page errors (a wasm panic is one).
 */
async function openHeld(query, { refuse = false } = {}) {
  const context = await browser.newContext({ locale: 'en-US', viewport: LAPTOP });
  let release;
  const released = new Promise((r) => { release = r; });
  const asked = [];
  await context.route(CHUNK, async (route) => {
    asked.push(route.request().url());
    if (refuse) return route.abort('connectionfailed');
    await released;
    await route.continue();
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.base}${query}`);
  await page.waitForSelector('.stage .host.server');
  return { page, context, release, asked, errors };
}

test('the first screen is drawn without the interpreter, which is fetched once, after it', async () => {
  const { page, context, release, asked, errors } = await openHeld('?lesson=multi-client&quiz=0');
  // The interpreter's module is asked for, and held: the screen is already up.
  for (let i = 0; i < 50 && asked.length === 0; i++) await page.waitForTimeout(20);
  assert.equal(asked.length, 1, 'the module is asked for once the screen is up');
  assert.ok(await page.isVisible('.stage .lane'), 'the threads are drawn');
  assert.ok(await page.isVisible('.code-panel'), 'the programs are drawn');
  assert.match(await page.textContent('.step-count'), /step 0/);
  assert.equal(await page.$('.python-loading'), null, 'no note while nothing waits');
  release();
  await page.waitForFunction(() => /\/ \d+/.test(document.querySelector('.step-count').textContent));
  assert.equal(asked.length, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('steps asked for before the interpreter arrives are taken when it does', async () => {
  const held = await openHeld('?lesson=multi-client&quiz=0');
  await press(held.page, 'ArrowRight', 3);
  await held.page.waitForTimeout(300);
  assert.equal((await stepAndTime(held.page)).step, 0, 'nothing ran without the interpreter');
  assert.match(await held.page.textContent('.python-loading'), /Python is still loading/);
  held.release();
  await held.page.waitForFunction(() => /step 3\b/.test(document.querySelector('.step-count').textContent));
  assert.equal(await held.page.$('.python-loading'), null, 'the note goes when Python is there');
  await settle(held.page);
  const narration = await held.page.textContent('.narration');

  // The same three steps on a page whose interpreter came at once.
  const direct = await openHeld('?lesson=multi-client&quiz=0');
  direct.release();
  await direct.page.waitForFunction(() => /\/ \d+/.test(document.querySelector('.step-count').textContent));
  await press(direct.page, 'ArrowRight', 3);
  assert.deepEqual(await stepAndTime(direct.page), await stepAndTime(held.page));
  assert.equal(await direct.page.textContent('.narration'), narration);
  assert.deepEqual([...held.errors, ...direct.errors], []);
  await held.context.close();
  await direct.context.close();
});

test('a link to a step opens at that step once the interpreter arrives', async () => {
  const { page, context, release, errors } = await openHeld('?lesson=multi-client&step=40&quiz=0');
  assert.equal((await stepAndTime(page)).step, 0);
  release();
  await page.waitForFunction(() => /step 40\b/.test(document.querySelector('.step-count').textContent));
  assert.deepEqual(errors, []);
  await context.close();
});

test('an interpreter that cannot be fetched is said on the page, which keeps working', async () => {
  for (const lang of ['en', 'zh']) {
    const { page, context, asked, errors } = await openHeld(`?lesson=echo&quiz=0&lang=${lang}`, { refuse: true });
    await page.waitForSelector('.notice.interpreter-failed');
    assert.equal(asked.length, 1);
    const said = await page.textContent('.notice.interpreter-failed');
    assert.match(said, lang === 'en' ? /could not be downloaded.*reload/ : /没能下载.*刷新页面/);
    await press(page, 'ArrowRight', 2);
    await press(page, ' ', 1);
    assert.equal((await stepAndTime(page)).step, 0);
    assert.equal(await page.$('.btn-play.on'), null, 'play stays off');
    assert.ok(await page.isVisible('.stage .host.server'), 'the screen is still there');
    assert.deepEqual(errors, [], 'no panic');
    await context.close();
  }
});
