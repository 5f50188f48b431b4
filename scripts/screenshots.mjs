// Takes screenshots of each lesson mid-run, for looking at and for the README.
// Usage: node scripts/screenshots.mjs [outdir]   (after ./scripts/build-web.sh)
import path from 'node:path';
import fs from 'node:fs';
import { serveDist, launch, openPage } from '../tests/e2e/harness.mjs';

const out = process.argv[2] ?? 'target/screenshots';
fs.mkdirSync(out, { recursive: true });
const shots = [
  { name: 'echo', query: '?lesson=echo&lang=en&step=40' },
  { name: 'multi-client', query: '?lesson=multi-client&lang=zh&step=60' },
  { name: 'buffers', query: '?lesson=buffers&lang=en&step=60' },
  { name: 'byte-stream', query: '?lesson=byte-stream&lang=zh&step=90' },
  { name: 'sandbox', query: '?lesson=sandbox&lang=en' },
];
const server = await serveDist();
const browser = await launch();
try {
  for (const s of shots) {
    const { page, context, problems } = await openPage(browser, server.base + s.query, { context: { viewport: { width: 1440, height: 1000 } } });
    await page.waitForSelector('.stage');
    await page.waitForTimeout(300);
    // Off-screen rows are `content-visibility: auto` and are not painted in a
    // full-page shot; a window as tall as the page shows them all.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: 1440, height });
    await page.waitForTimeout(200);
    const file = path.join(out, `${s.name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(file, problems.length ? problems : '');
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
