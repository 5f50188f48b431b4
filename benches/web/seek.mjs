// The simulation core in WebAssembly (release build, headless Chromium):
// replaying a 100,000-event run and seeking in it. Usage (after
// scripts/bench-web.sh built target/bench-seek): node benches/web/seek.mjs
import path from 'node:path';
import http from 'node:http';
import fs from 'node:fs';
import { launch } from '../../tests/e2e/harness.mjs';

const dir = path.resolve('target/bench-seek');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const server = http.createServer((req, res) => {
  const rel = new URL(req.url, 'http://x').pathname.replace(/^\/+/, '') || 'index.html';
  const file = path.join(dir, path.normalize(rel));
  if (!file.startsWith(dir) || !fs.existsSync(file)) return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await launch();
const page = await browser.newPage();
await page.goto(`http://127.0.0.1:${server.address().port}/`);
await page.waitForSelector('#result', { timeout: 300_000 });
console.log(await page.textContent('#result'));
await browser.close();
server.close();
