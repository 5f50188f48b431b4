// Frame times while playing `multi-client` with eight clients at the top
// speed. Usage (after ./scripts/build-web.sh): node benches/web/frames.mjs [seconds]
import { serveDist, launch, openPage } from '../../tests/e2e/harness.mjs';

const seconds = Number(process.argv[2] ?? 8);
const server = await serveDist();
const browser = await launch();
const { page } = await openPage(browser, `${server.base}?lesson=multi-client&lang=en`, { context: { viewport: { width: 1440, height: 1000 } } });
await page.waitForSelector('.stage .host.server');
for (let i = 0; i < 5; i++) await page.click('.add-client');
await page.selectOption('.speed select', '50');
const frames = await page.evaluate(async (ms) => {
  document.querySelector('.btn-play').click();
  const deltas = [];
  let last = performance.now();
  const end = last + ms;
  await new Promise((resolve) => {
    function frame(t) {
      deltas.push(t - last);
      last = t;
      if (t < end && document.querySelector('.btn-play.on')) requestAnimationFrame(frame);
      else resolve();
    }
    requestAnimationFrame(frame);
  });
  return deltas;
}, seconds * 1000);
const clients = await page.$$eval('.conn-row', (r) => r.length);
await browser.close();
await server.close();
// rAF timestamps jitter by a fraction of a millisecond around the 16.7 ms
// vsync: a frame counts as over budget when it is more than 1 ms late.
const slow = frames.filter((d) => d > 17.7).length;
const slowAt = frames.map((d, i) => [i, Math.round(d)]).filter(([, d]) => d > 17.7);
const dropped = frames.filter((d) => d > 33.4).length;
frames.sort((a, b) => a - b);
console.log(JSON.stringify({
  clients,
  frames: frames.length,
  over_16_7ms: slow,
  over_33_4ms: dropped,
  percent_over: Number((100 * slow / frames.length).toFixed(2)),
  p50_ms: Number(frames[Math.floor(frames.length / 2)].toFixed(2)),
  p99_ms: Number(frames[Math.floor(frames.length * 0.99)].toFixed(2)),
  max_ms: Number(frames.at(-1).toFixed(2)),
  slow_frames_at: slowAt.map(([i, d]) => `#${i}: ${d} ms`).join(', '),
}, null, 2));
