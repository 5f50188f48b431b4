// The first screen, loaded from a sub-path of a course site.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('loads from a sub-path with no failed request and shows the header and stage', async () => {
  const { page, context, problems } = await openPage(browser, server.base);
  await page.waitForSelector('.app-header');
  assert.equal(await page.title(), 'sockscope');
  assert.equal(await page.textContent('.brand'), 'sockscope');
  assert.ok(await page.isVisible('section.stage'));
  assert.deepEqual(problems, []);
  await context.close();
});

test('the browser language picks the UI language, and ?lang= overrides it', async () => {
  const zh = await openPage(browser, server.base, { locale: 'zh-CN' });
  await zh.page.waitForSelector('.app-header');
  assert.match(await zh.page.textContent('.tagline'), /客户端/);
  assert.equal(await zh.page.getAttribute('html', 'lang'), 'zh-CN');
  await zh.context.close();

  const en = await openPage(browser, `${server.base}?lang=en`, { locale: 'zh-CN' });
  await en.page.waitForSelector('.app-header');
  assert.match(await en.page.textContent('.tagline'), /client and server/);
  await en.context.close();
});

test('the language switch changes every string', async () => {
  const { page, context } = await openPage(browser, `${server.base}?lang=en`);
  await page.waitForSelector('.lang-switch');
  await page.click('.lang-switch');
  assert.match(await page.textContent('.tagline'), /客户端/);
  assert.match(await page.textContent('.stage'), /服务器/);
  await context.close();
});

test('embed mode hides the header but keeps the stage', async () => {
  const { page, context } = await openPage(browser, `${server.base}?embed=1&lang=en`);
  await page.waitForSelector('section.stage');
  assert.equal(await page.$('.app-header'), null);
  await context.close();
});

test('a garbage query string shows a message, never a blank page or a panic', async () => {
  const garbage = '?lang=%E0%A4%A&embed=%00%ff&lesson=<script>alert(1)</script>&&&==&%';
  const { page, context, problems } = await openPage(browser, server.base + garbage);
  await page.waitForSelector('.notice[role=alert]');
  assert.ok(await page.isVisible('section.stage'));
  assert.deepEqual(problems.filter((p) => p.startsWith('page error')), []);
  await context.close();
});
