// Time to first stage render of the app against a minimal Yew page, in the
// same headless Chromium run. Usage (after scripts/bench-web.sh built both):
//   node benches/web/first-render.mjs [runs]
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const runs = Number(process.argv[2] ?? 15);
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml' };
function serve(dir) {
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.join(dir, path.normalize(rel));
    if (!file.startsWith(dir) || !fs.existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const pages = { app: path.resolve('dist'), minimal: path.resolve('target/bench-minimal') };
const results = {};
for (const [name, dir] of Object.entries(pages)) {
  const server = await serve(dir);
  const url = `http://127.0.0.1:${server.address().port}/?lesson=multi-client`;
  const times = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForSelector('.stage');
    // performance.now() is measured from navigation start.
    times.push(await page.evaluate(() => performance.now()));
    await context.close();
  }
  server.close();
  times.sort((a, b) => a - b);
  results[name] = { median: times[Math.floor(times.length / 2)], min: times[0], max: times.at(-1) };
}
await browser.close();
const ratio = results.app.median / results.minimal.median;
console.log(JSON.stringify({ runs, ...results, ratio: Number(ratio.toFixed(2)) }, null, 2));
