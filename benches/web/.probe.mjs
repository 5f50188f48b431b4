import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const dir = path.resolve(process.env.APP_DIST ?? 'dist');
const server = http.createServer((req, res) => {
  const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
  const file = path.join(dir, path.normalize(rel));
  if (!fs.existsSync(file)) return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  fs.createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
for (let i = 0; i < 7; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    const T = (window.__t = {});
    const orig = WebAssembly.instantiateStreaming;
    WebAssembly.instantiateStreaming = async (...a) => { T.instStart = performance.now(); const r = await orig(...a); T.instEnd = performance.now(); return r; };
    const origI = WebAssembly.instantiate;
    WebAssembly.instantiate = async (...a) => { T.inst2Start = performance.now(); const r = await origI(...a); T.inst2End = performance.now(); return r; };
    new MutationObserver((_, o) => { if (document.querySelector('.stage')) { T.stage = performance.now(); o.disconnect(); } }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(`http://127.0.0.1:${server.address().port}/?lesson=multi-client`, { waitUntil: 'commit' });
  await page.waitForSelector('.stage');
  const t = await page.evaluate(() => { const r = performance.getEntriesByType('resource').filter(e => e.name.endsWith('.wasm') || e.name.endsWith('.js')).map(e => [e.name.split('/').pop().slice(0, 18), Math.round(e.startTime), Math.round(e.responseEnd)]); const n = performance.getEntriesByType('navigation')[0]; return { ...window.__t, dcl: n.domContentLoadedEventEnd, res: r }; });
  console.log(JSON.stringify(t, (k, v) => typeof v === 'number' ? Math.round(v) : v));
  await context.close();
}
await browser.close(); server.close();
