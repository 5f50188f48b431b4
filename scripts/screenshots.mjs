// Screenshots of every lesson as a learner first sees it: the window of a
// classroom laptop (1366×768) and of a desktop (1920×1080), in English and
// Chinese, each at a moment when the threads wait in their calls.
// Usage: node scripts/screenshots.mjs [outdir]   (after ./scripts/build-web.sh;
// install Debian's fonts-noto-cjk to see the Chinese text)
import path from 'node:path';
import fs from 'node:fs';
import { serveDist, launch, openPage } from '../tests/e2e/harness.mjs';

const out = process.argv[2] ?? 'docs/screenshots';
fs.mkdirSync(out, { recursive: true });
const actions = (list) => `&actions=${encodeURIComponent(JSON.stringify(list))}`;
const shots = [
  { name: 'echo', query: '?lesson=echo&step=44' },
  { name: 'multi-client', query: '?lesson=multi-client&step=120' },
  { name: 'buffers', query: '?lesson=buffers&step=75' },
  { name: 'byte-stream', query: '?lesson=byte-stream&step=70' },
  { name: 'loss', query: '?lesson=loss&step=60' },
  { name: 'loss-end', query: '?lesson=loss&step=200' },
  { name: 'select', query: '?lesson=select&step=81' },
  { name: 'reset', query: '?lesson=reset&step=60' },
  { name: 'half-close', query: '?lesson=half-close&step=60' },
  { name: 'busy-loop', query: '?lesson=busy-loop&step=70' },
  { name: 'daemon', query: '?lesson=daemon&step=80' },
  { name: 'backlog', query: '?lesson=backlog&step=90' },
  { name: 'reuse-addr', query: '?lesson=reuse-addr&step=70' },
  { name: 'http', query: '?lesson=http&step=60' },
  {
    name: 'sandbox',
    query: '?lesson=sandbox&step=60' + actions([
      { step: 0, action: { a: 'add-client' } },
      { step: 0, action: { a: 'add-client' } },
      { step: 30, action: { a: 'send', client: 1, text: '你好 hello' } },
    ]),
  },
];
const sizes = [{ width: 1366, height: 768 }, { width: 1920, height: 1080 }];
const server = await serveDist();
const browser = await launch();
try {
  for (const s of shots) {
    for (const size of sizes) {
      for (const lang of ['en', 'zh']) {
        const { page, context, problems } = await openPage(browser, `${server.base}${s.query}&lang=${lang}`, { context: { viewport: size } });
        await page.waitForSelector('.stage .host.server');
        await page.waitForFunction(() => /\/ \d+/.test(document.querySelector('.step-count')?.textContent ?? ''));
        await page.waitForTimeout(300);
        const file = path.join(out, `${s.name}-${size.width}-${lang}.png`);
        await page.screenshot({ path: file });
        console.log(file, problems.length ? problems : '');
        await context.close();
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
}
