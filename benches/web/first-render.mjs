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
// APP_DIST: another build of the app to time (an older one, to compare).
const pages = { app: path.resolve(process.env.APP_DIST ?? 'dist'), minimal: path.resolve('target/bench-minimal') };
const servers = {};
for (const [name, dir] of Object.entries(pages)) servers[name] = await serve(dir);
const times = { app: [], minimal: [] };
// The two pages take turns, so a change in the machine's load falls on both.
for (let i = 0; i < runs; i++) {
  for (const name of Object.keys(pages)) {
    const url = `http://127.0.0.1:${servers[name].address().port}/?lesson=multi-client`;
    const context = await browser.newContext();
    const page = await context.newPage();
    // The page itself notes when `.stage` first exists (performance.now()
    // counts from navigation start), so the figure does not include how
    // often the driver polls for it.
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.querySelector('.stage')) {
          window.__stageAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForSelector('.stage');
    times[name].push(await page.evaluate(() => window.__stageAt));
    await context.close();
  }
}
for (const server of Object.values(servers)) server.close();
// Each app load over the minimal load right after it (before the lists are sorted).
const pairs = times.app.map((a, i) => a / times.minimal[i]);
const results = {};
for (const [name, list] of Object.entries(times)) {
  list.sort((a, b) => a - b);
  const round = (x) => Number(x.toFixed(1));
  results[name] = { median: round(list[Math.floor(list.length / 2)]), min: round(list[0]), max: round(list.at(-1)) };
}
await browser.close();
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const ratio = median(times.app) / median(times.minimal);
// How far the ratio of medians could move with other runs like these: a
// bootstrap (each page's times resampled with replacement, 2,000 times,
// from a fixed seed) gives its 95 % interval.
let seed = 0x2545f491;
const random = () => {
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
};
const resample = (list) => list.map(() => list[Math.floor(random() * list.length)]);
const ratios = Array.from({ length: 2000 }, () => median(resample(times.app)) / median(resample(times.minimal)))
  .sort((a, b) => a - b);
const interval = [ratios[Math.floor(0.025 * ratios.length)], ratios[Math.floor(0.975 * ratios.length)]];
// The same ratio taken pair by pair: each app load against the minimal load
// right after it, so a drift in the machine's load over the run falls on
// both halves of a pair. Its median, and a bootstrap 95 % interval of it.
const pairRatios = Array.from({ length: 2000 }, () => median(resample(pairs))).sort((a, b) => a - b);
const pairInterval = [pairRatios[Math.floor(0.025 * pairRatios.length)], pairRatios[Math.floor(0.975 * pairRatios.length)]];
console.log(JSON.stringify({
  runs, ...results, ratio: Number(ratio.toFixed(2)), ratio_95: interval.map((r) => Number(r.toFixed(2))),
  paired: Number(median(pairs).toFixed(2)), paired_95: pairInterval.map((r) => Number(r.toFixed(2))),
}, null, 2));
