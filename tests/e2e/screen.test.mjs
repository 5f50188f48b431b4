// The learner's screen at 1366×768: what must be on screen together, the
// pace and the clock, actions that act, and the bugs a first-time user hit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, openLesson, playToEnd, settle, LAPTOP, stepAndTime, press, stepUntil, actionDone } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const open = (query, viewport = LAPTOP) => openLesson(browser, server.base, query, viewport);

/** In the page: every live thread's lane, its code line and its socket card. */
function together() {
  const vw = window.innerWidth, vh = window.innerHeight;
  const inside = (el) => {
    if (!el) return false;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    if (r.top < 0 || r.left < 0 || r.bottom > vh + 0.5 || r.right > vw + 0.5) return false;
    // Inside every scrolling box around it, too.
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (/(auto|scroll|hidden)/.test(s.overflowY + s.overflowX)) {
        const q = p.getBoundingClientRect();
        if (r.top < q.top - 0.5 || r.bottom > q.bottom + 0.5) return false;
      }
    }
    return true;
  };
  const out = [];
  for (const lane of document.querySelectorAll('.stage .lane:not(.exited)')) {
    const n = lane.dataset.lane;
    const name = `${lane.dataset.host} ${lane.dataset.thread}`;
    const row = [...document.querySelectorAll('.code-line.current')].find((r) => r.dataset.lanes.split(' ').includes(n));
    const socket = document.querySelector(`.stage .socket[data-lane="${n}"]`);
    out.push({ name, blocked: lane.classList.contains('blocked'), lane: inside(lane), code: inside(row), socket: inside(socket), line: lane.dataset.line, row: row?.dataset.line });
  }
  return out;
}

/** All live threads blocked, each on a socket. */
const allBlocked = () => {
  const lanes = [...document.querySelectorAll('.stage .lane:not(.exited)')];
  return lanes.length >= 2 && lanes.every((l) => l.classList.contains('blocked') && document.querySelector(`.stage .socket[data-lane="${l.dataset.lane}"]`));
};

for (const lesson of ['echo', 'multi-client', 'buffers', 'byte-stream', 'loss', 'http', 'select', 'processes', 'sandbox']) {
  test(`${lesson} at 1366×768: each running thread's code line, lane and socket are on screen together`, async () => {
    const { page, context, problems } = await open(`?lesson=${lesson}&lang=en`);
    if (lesson === 'sandbox') {
      await page.click('.add-client');
      await actionDone(page);
      await page.click('.add-client');
      await actionDone(page);
    }
    // The first moment every thread waits in a call, after the clients have
    // connected and a server thread works on each connection.
    await stepUntil(page, () => document.querySelectorAll('.conn-row .socket.stream').length >= 2
      && [...document.querySelectorAll('.conn-server .socket.stream')].every((s) => s.dataset.lane) && (() => {
      const lanes = [...document.querySelectorAll('.stage .lane:not(.exited)')];
      return lanes.length >= 2 && lanes.every((l) => l.classList.contains('blocked') && document.querySelector(`.stage .socket[data-lane="${l.dataset.lane}"]`));
    })(), 800);
    const seen = await page.evaluate(together);
    assert.ok(seen.length >= 2, JSON.stringify(seen));
    for (const t of seen) {
      assert.ok(t.lane && t.code && t.socket, `${lesson}: ${JSON.stringify(t)}`);
      assert.equal(t.row, t.line, 'the cursor is on the line the lane names');
    }
    // Controls with step N / total, and the narration, are on screen too.
    const count = await page.textContent('.step-count');
    assert.match(count, /^step \d+ \/ \d+\+? · [\d.]+ ms$/);
    for (const sel of ['.controls', '.narration']) {
      const r = await page.$eval(sel, (e) => { const b = e.getBoundingClientRect(); return [b.top, b.bottom]; });
      assert.ok(r[0] >= 0 && r[1] <= LAPTOP.height, `${sel} ${r}`);
    }
    assert.deepEqual(problems, []);
    await context.close();
  });
}

// A course page's column, where a teacher's iframe (the share dialog's line:
// width 100%, height 760) is often under 1,000 px wide: the programs still
// sit beside the stage, and the code panel scrolls each cursor fully into
// view (a line's fractional height once put the thirtieth line 11 px low).
// With three clients the stage column is taller than that, and scrolls.
for (const [lesson, height] of [['echo', 640], ['buffers', 760], ['byte-stream', 760]]) {
  test(`${lesson} embedded at 960×${height}: each running thread's code line, lane and socket are on screen together`, async () => {
    const { page, context, problems } = await open(`?lesson=${lesson}&lang=zh&embed=1`, { width: 960, height });
    await stepUntil(page, allBlocked, 800);
    const seen = await page.evaluate(together);
    assert.ok(seen.length >= 2, JSON.stringify(seen));
    for (const t of seen) assert.ok(t.lane && t.code && t.socket, `${lesson}: ${JSON.stringify(t)}`);
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('the consoles are on screen too at 1920×1080', async () => {
  const { page, context } = await open('?lesson=multi-client&lang=zh&step=120', { width: 1920, height: 1080 });
  for (const sel of ['.console[aria-label="服务器终端输出"]', '.console[aria-label="客户端终端输出"]', '.stage', '.code-panel']) {
    const r = await page.$eval(sel, (e) => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; });
    assert.ok(r[0] >= 0 && r[1] >= 0 && r[2] <= 1920 && r[3] <= 1080, `${sel}: ${r}`);
  }
  await context.close();
});

test('bug 1: the time after Play is the time of that step, as stepping there shows it', async () => {
  for (const lesson of ['echo', 'buffers']) {
    const { page, context } = await open(`?lesson=${lesson}&lang=en`);
    await playToEnd(page);
    const played = await stepAndTime(page);
    // The same step reached from a link, and by stepping from a few steps back.
    const again = await open(`?lesson=${lesson}&lang=en&step=${played.step}`);
    assert.deepEqual(await stepAndTime(again.page), played);
    await press(again.page, 'ArrowLeft', 3);
    await press(again.page, 'ArrowRight', 3);
    assert.deepEqual(await stepAndTime(again.page), played);
    await again.context.close();
    // Paused in the middle of playing: the time is that step's.
    await press(page, 'Home', 1);
    await page.selectOption('.speed select', '5');
    await page.click('.btn-play');
    await page.waitForFunction(() => Number(document.querySelector('.step-count').textContent.match(/\d+/)[0]) >= 12);
    await page.click('.btn-play');
    await settle(page);
    const paused = await stepAndTime(page);
    await press(page, 'ArrowLeft', 1);
    await press(page, 'ArrowRight', 1);
    assert.deepEqual(await stepAndTime(page), paused);
    await context.close();
  }
});

test('playing goes at a reading pace, and the timeline spans the whole lesson', async () => {
  const { page, context } = await open('?lesson=echo&lang=en');
  await page.waitForFunction(() => /\/ \d+/.test(document.querySelector('.step-count').textContent));
  const total = Number((await page.textContent('.step-count')).match(/\/ (\d+)/)[1]);
  assert.equal(await page.getAttribute('.timeline', 'max'), String(total));
  await page.click('.btn-play');
  await page.waitForTimeout(3000);
  const { step } = await stepAndTime(page);
  // At 1×, three seconds are a few steps, each read before the next.
  assert.ok(step >= 1 && step <= 6, `${step} steps in 3 s`);
  await context.close();
});

test('a learner action in a paused lesson shows its effect without pressing play', async () => {
  const { page, context, problems } = await open('?lesson=sandbox&lang=en');
  await page.click('.add-client');
  assert.match(await actionDone(page), /✓ add a client → step \d+: connect\(\) returned/);
  assert.equal(await page.$('.btn-play.on'), null, 'it paused at the effect');
  assert.match(await page.textContent('.conn-row[data-host="client-1"]'), /ESTABLISHED/);
  await page.fill('.send-form .message', 'hello');
  await page.press('.send-form .message', 'Enter');
  assert.match(await actionDone(page), /client-1 sends 'hello' → step \d+: send\(\) returned 5/);
  await page.click('.recv-now');
  await page.waitForFunction(() => /recv\(\)/.test(document.querySelector('.action-note')?.textContent ?? '') && document.querySelector('.action-note.done'));
  assert.deepEqual(problems, []);
  await context.close();
});

test('bug 2: with 8 clients the cursor labels neither cover the code nor each other, nor leave the panel', async () => {
  const adds = encodeURIComponent(JSON.stringify(Array.from({ length: 8 }, () => ({ step: 0, action: { a: 'add-client' } }))));
  const { page, context } = await open(`?lesson=sandbox&lang=en&step=200&actions=${adds}`);
  const boxes = await page.$$eval('.code-panel', (panels) => panels.map((p) => {
    const box = (e) => { const r = e.getBoundingClientRect(); return { l: r.left, t: r.top, r: r.right, b: r.bottom }; };
    return {
      panel: box(p),
      text: [...p.querySelectorAll('.code-text .src .l')].map((l) => box(l)).filter((b) => b.r > b.l),
      cursors: [...p.querySelectorAll('.cursor')].map(box),
    };
  }));
  const overlap = (a, b) => a.l < b.r - 0.5 && b.l < a.r - 0.5 && a.t < b.b - 0.5 && b.t < a.b - 0.5;
  let cursors = 0;
  for (const { panel, text, cursors: cs } of boxes) {
    cursors += cs.length;
    for (const c of cs) {
      assert.ok(c.l >= panel.l && c.r <= panel.r, `a label leaves its panel: ${JSON.stringify(c)} ${JSON.stringify(panel)}`);
      for (const t of text) assert.ok(!overlap(c, t), `a label covers code: ${JSON.stringify(c)} ${JSON.stringify(t)}`);
    }
    for (let i = 0; i < cs.length; i++) for (let j = i + 1; j < cs.length; j++) assert.ok(!overlap(cs[i], cs[j]), 'labels overlap');
  }
  assert.ok(cursors >= 2);
  assert.equal(await page.$$eval('.conn-row', (r) => r.length), 8);
  await context.close();
});

test('bug 3: the address bar shows the page on screen, and a shared link restores a typed address', async () => {
  const { page, context } = await open('?lesson=http&lang=en');
  await playToEnd(page);
  assert.equal(await page.inputValue('.address-bar input'), 'http://www.example.test/missing.html');
  await page.fill('.address-bar input', 'http://www.example.test/about.html?page=2');
  await page.press('.address-bar input', 'Enter');
  await actionDone(page);
  await page.click('.tools .share');
  const link = await page.inputValue('.share-link');
  const again = await openPage(browser, link, { context: { viewport: LAPTOP } });
  await again.page.waitForSelector('.address-bar input');
  assert.equal(await again.page.inputValue('.address-bar input'), 'http://www.example.test/about.html?page=2');
  await again.context.close();
  await context.close();
});

test('bug 5: the address DNS gave is accepted, non-ASCII is percent-encoded, the fragment is never sent', async () => {
  const { page, context } = await open('?lesson=http&lang=en');
  await playToEnd(page);
  await page.fill('.address-bar input', 'http://10.0.0.1/');
  await page.press('.address-bar input', 'Enter');
  assert.match(await actionDone(page), /✓/);
  assert.equal(await page.textContent('.requests tbody tr:last-child td:nth-child(2)'), '200');
  await page.click('.requests tbody tr:last-child');
  assert.match(await page.textContent('.headers-tab .kv'), /Request URLhttp:\/\/10\.0\.0\.1\//);
  await page.fill('.address-bar input', 'http://www.example.test/?q=你好#top');
  await page.press('.address-bar input', 'Enter');
  await actionDone(page);
  await page.click('.requests tbody tr:last-child');
  const general = await page.textContent('.headers-tab .kv');
  assert.match(general, /Request URLhttp:\/\/www\.example\.test\/\?q=%E4%BD%A0%E5%A5%BD(?!#)/);
  assert.doesNotMatch(general, /#top/);
  await page.check('.raw-toggle input');
  const raws = await page.$$eval('.headers-tab .raw', (r) => r.map((e) => e.textContent));
  assert.ok(raws.some((r) => /^GET \/\?q=%E4%BD%A0%E5%A5%BD HTTP\/1\.1\r\n/.test(r)), raws.join('\n---\n'));
  await context.close();
});

test('bug 6: no step narrates the same sentence twice (lesson 3)', async () => {
  const { page, context } = await open('?lesson=buffers&lang=en');
  for (let i = 0; i < 400; i++) {
    const lines = await page.$$eval('.narration .lead, .narration li', (l) => l.map((e) => e.textContent));
    assert.equal(new Set(lines).size, lines.length, `step ${i}: ${lines.join(' | ')}`);
    if (await page.$('.narration .done')) break;
    await press(page, 'ArrowRight', 1);
  }
  await context.close();
});

/** Sentences of English words (three or more in a row), outside code. */
const english = (text) => text.replace(/`[^`]*`/g, '').match(/\b[A-Za-z]{2,}(?:[ ,'-]+[A-Za-z]{2,}){2,}\b/g) ?? [];

test('bug 4: in zh, the sandbox actions narrate, note and refuse in Chinese, and bytes have Chinese tooltips', async () => {
  const { page, context } = await open('?lesson=sandbox&lang=zh');
  const texts = [];
  const collect = async () => {
    texts.push(...await page.$$eval('.narration, .action-note, .learner .hint, .size-error, .events .event .what', (e) => e.map((x) => x.textContent)));
  };
  await page.click('.add-client');
  await actionDone(page);
  await collect();
  await page.fill('.send-form .message', '你好');
  await page.press('.send-form .message', 'Enter');
  await actionDone(page);
  await collect();
  const tips = await page.$$eval('.cell.filled', (c) => c.map((e) => e.title));
  assert.ok(tips.length > 0);
  for (const t of tips) assert.match(t, /^第 \d+ 个字节：0x[0-9A-F]{2}$/);
  await page.click('.recv-now');
  await page.waitForTimeout(300);
  await collect();
  await page.click('.close-client');
  await actionDone(page);
  await collect();
  // Actions the world refuses, from a link: their reasons are Chinese too.
  const refused = encodeURIComponent(JSON.stringify([
    { step: 0, action: { a: 'send', client: 3, text: 'x' } },
    { step: 0, action: { a: 'recv-now', client: 1 } },
    { step: 0, action: { a: 'close', client: 1 } },
    { step: 0, action: { a: 'navigate', url: 'http://x.test/' } },
  ]));
  const other = await open(`?lesson=sandbox&lang=zh&actions=${refused}&step=3`);
  texts.push(...await other.page.$$eval('.events .event .what', (e) => e.map((x) => x.textContent)));
  await other.context.close();
  await page.click('.buffers-box summary');
  await page.fill('.sndbuf', '0');
  await page.click('.buffers-form button[type=submit]');
  await collect();
  const found = texts.flatMap(english);
  assert.deepEqual(found, [], texts.join('\n'));
  await context.close();
});

test('bug 7: the sandbox controls say what they will do and why they cannot', async () => {
  const { page, context } = await open('?lesson=sandbox&lang=en');
  // The buffer fields show the sizes the server's sockets get.
  await page.click('.add-client');
  await actionDone(page);
  const capacity = async (sel) => (await page.textContent(sel)).match(/\/(\d+)/)[1];
  await page.click('.buffers-box summary');
  assert.equal(await page.inputValue('.sndbuf'), await capacity('.conn-server .buffer:not(.rx) .buffer-summary'));
  assert.equal(await page.inputValue('.rcvbuf'), await capacity('.conn-server .buffer.rx .buffer-summary'));
  for (const bad of ['0', '-5', '', '99999999']) {
    await page.fill('.sndbuf', bad);
    await page.click('.buffers-form button[type=submit]');
    await settle(page);
    assert.match(await page.textContent('.size-error'), /SO_SNDBUF cannot be .*from 1 to 65535/, bad);
  }
  await page.fill('.sndbuf', '64');
  await page.click('.buffers-form button[type=submit]');
  await settle(page);
  assert.equal(await page.$('.size-error'), null);
  assert.equal(await page.inputValue('.sndbuf'), '64');
  // The sandbox does not say it has played to the end: it waits for the learner.
  assert.doesNotMatch(await page.textContent('.narration'), /played to the end/);
  await playToEnd(page);
  assert.match(await page.textContent('.narration .done'), /Nothing more happens until you act/);
  // The message box says where it stops.
  await page.fill('.send-form .message', 'x'.repeat(250));
  await settle(page);
  assert.equal((await page.inputValue('.send-form .message')).length, 200);
  await page.type('.send-form .message', 'y');
  assert.match(await page.textContent('.learner'), /200\/200/);
  assert.match(await page.textContent('.learner'), /at most 200 characters/);
  // An exited client cannot send or close, and the page says why.
  await page.click('.close-client');
  await actionDone(page);
  await playToEnd(page);
  assert.ok(await page.isDisabled('.send-form button[type=submit]'));
  assert.ok(await page.isDisabled('.close-client'));
  assert.match(await page.textContent('.learner'), /client-1's process has exited/);
  await context.close();
  // Eight clients: "add a client" is greyed out, with the reason.
  const adds = encodeURIComponent(JSON.stringify(Array.from({ length: 8 }, () => ({ step: 0, action: { a: 'add-client' } }))));
  const full = await open(`?lesson=sandbox&lang=en&step=100&actions=${adds}`);
  assert.ok(await full.page.isDisabled('.add-client'));
  assert.match(await full.page.textContent('.learner'), /at most 8 clients/);
  await full.context.close();
});

test('bug 8: keyboard focus shows on event rows; toggles say whether they are on; names match labels', async () => {
  const { page, context } = await open('?lesson=echo&lang=en&step=10');
  await page.focus('.events .event button');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Shift+Tab');
  const outline = await page.$eval('.events .event button', (b) => getComputedStyle(b).outlineStyle);
  assert.notEqual(outline, 'none');
  for (const sel of ['.show-hex', '.show-text', '.decode-gbk', '.decode-utf8', '.theme']) {
    assert.match(await page.getAttribute(sel, 'aria-pressed'), /^(true|false)$/, sel);
  }
  await page.click('.show-hex');
  assert.equal(await page.getAttribute('.show-hex', 'aria-pressed'), 'true');
  const hex = await page.$eval('.show-hex', (b) => [b.getAttribute('aria-label'), b.textContent.trim()]);
  assert.ok(hex[0] === null || hex[0] === hex[1], `${hex}`);
  assert.match(await page.textContent('.theme'), /Dark/);
  await context.close();
});

test('a scripted lesson offers no commands for its scripted clients', async () => {
  const { page, context } = await open('?lesson=echo&lang=en');
  assert.equal(await page.$('.send-form'), null);
  assert.match(await page.textContent('.learner'), /run a script/);
  await context.close();
});

test('the narration says which thread acts, and for a server thread the client it serves', async () => {
  const { page, context } = await open('?lesson=multi-client&lang=en');
  await stepUntil(page, () => [...document.querySelectorAll('.narration .actor')].some((a) => /^Thread-\d .* · serving 10\.0\.0\.\d+:\d+$/.test(a.textContent)), 400);
  // Its chip has its lane's colour; pointing at the lane outlines its socket.
  const chip = await page.$eval('.narration .actor', (a) => a.className);
  assert.match(chip, /lane-\d/);
  const lane = await page.$('.conn-server .lane');
  await lane.hover();
  await settle(page);
  assert.ok(await page.$('.conn-server .socket.hovered'));
  assert.ok(await page.$('.code-line.current.hovered'));
  await context.close();
});

test('Back returns to the previous lesson', async () => {
  const { page, context } = await open('?lesson=echo&lang=en');
  await page.click('.lesson[data-lesson="buffers"]');
  await settle(page);
  assert.match(page.url(), /lesson=buffers/);
  await page.goBack({ waitUntil: 'commit' });
  await page.waitForFunction(() => document.querySelector('.lesson.current')?.dataset.lesson === 'echo');
  await page.goForward({ waitUntil: 'commit' });
  await page.waitForFunction(() => document.querySelector('.lesson.current')?.dataset.lesson === 'buffers');
  await context.close();
});

test('a shared link restores the view: hex, decoding, speed, the selected request and tab', async () => {
  const { page, context } = await open('?lesson=http&lang=en');
  await playToEnd(page);
  await page.click('.show-hex');
  await page.click('.decode-gbk');
  await page.selectOption('.speed select', '5');
  await page.click('.requests tbody tr:nth-child(2)');
  await page.click('.tab:has-text("Timing")');
  await page.click('.tools .share');
  const link = await page.inputValue('.share-link');
  assert.match(link, /view=hex/);
  const again = await openPage(browser, link, { context: { viewport: LAPTOP } });
  await again.page.waitForSelector('.requests tbody tr');
  assert.equal(await again.page.getAttribute('.show-hex', 'aria-pressed'), 'true');
  assert.equal(await again.page.getAttribute('.decode-gbk', 'aria-pressed'), 'true');
  assert.equal(await again.page.inputValue('.speed select'), '5');
  assert.match(await again.page.getAttribute('.requests tbody tr:nth-child(2)', 'class'), /selected/);
  assert.equal(await again.page.getAttribute('.tab.on', 'aria-selected'), 'true');
  assert.equal((await again.page.textContent('.tab.on')).trim(), 'Timing');
  await again.context.close();
  await context.close();
});

test('embed keeps the lesson intro a click away', async () => {
  const { page, context } = await open('?lesson=buffers&embed=1&lang=en');
  assert.equal(await page.$('.app-header'), null);
  await page.click('.intro-toggle');
  assert.match(await page.textContent('.intro-pop'), /window/);
  await context.close();
});

test('the share dialog has copy buttons', async () => {
  const { page, context } = await open('?lesson=echo&lang=en&step=5');
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.click('.tools .share');
  await page.click('.copy.copy-link');
  assert.equal((await page.textContent('.copy.copy-link')).trim(), 'Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, await page.inputValue('.share-link'));
  await context.close();
});

test('a segment on the wire can be dropped, and the lesson shows it lost and sent again', async () => {
  const { page, context, problems } = await open('?lesson=loss&lang=en');
  await stepUntil(page, () => !!document.querySelector('.wire-lane .segment.data'), 300);
  const seg = page.locator('.wire-lane .segment.data').last();
  const title = await seg.getAttribute('title');
  const seq = title.match(/raw seq=(\d+)/)[1];
  await seg.click();
  await page.click('.segment-detail .drop-segment');
  await settle(page);
  assert.match(await page.textContent('.action-note'), /✓/);
  assert.ok(await page.$('.wire-lane .segment.lost'));
  // The kernel sends the same bytes again (by fast retransmit or the timer):
  // a segment with the dropped one's sequence number crosses the wire again.
  await stepUntil(page, (raw) => [...document.querySelectorAll('.wire-lane .segment.data:not(.lost)')]
    .some((s) => (s.getAttribute('title') || '').includes(`raw seq=${raw} `)), 400, seq);
  const said = await page.$$eval('.events .event', (rows) => rows.map((r) => r.textContent).join('\n'));
  assert.match(said, /(Fast retransmit|Retransmission): the kernel sends \d+ bytes? from seq \d+/);
  // The socket card states cwnd, ssthresh and RTO; the graphs draw cwnd's cut.
  assert.match(await page.textContent('.stage .congestion-vars'), /cwnd \d+ × \d+ B.*ssthresh.*RTO \d+ ms/s);
  assert.ok((await page.$$('.graphs .stream-graph polyline.cwnd')).length >= 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the network box sets a loss rate and a delay as actions, refuses bad input, and states the minimum RTO', async () => {
  const { page, context, problems } = await open('?lesson=echo&lang=en&step=3');
  await page.click('.network-box summary');
  assert.match(await page.textContent('.network-box'), /at least 200 ms/);
  assert.equal(await page.inputValue('.network-box .loss-rate'), '0');
  assert.equal(await page.inputValue('.network-box .delay'), '2');
  await page.fill('.network-box .loss-rate', '101');
  await page.click('.network-form button[type=submit]');
  assert.match(await page.textContent('.network-error'), /cannot be 101/);
  await page.fill('.network-box .loss-rate', '30');
  await page.fill('.network-box .delay', '20');
  await page.click('.network-form button[type=submit]');
  await settle(page);
  assert.equal(await page.$('.network-error'), null);
  assert.equal(await page.inputValue('.network-box .loss-rate'), '30');
  assert.equal(await page.inputValue('.network-box .delay'), '20');
  // With loss on, the graphs appear; the link keeps both actions.
  await playToEnd(page);
  assert.ok(await page.$('.graphs .stream-graph'));
  await page.click('.tools .share');
  const link = await page.inputValue('.share-link');
  const again = await open(link.slice(link.indexOf('?')));
  await again.page.click('.network-box summary');
  assert.equal(await again.page.inputValue('.network-box .loss-rate'), '30');
  assert.equal(await again.page.inputValue('.network-box .delay'), '20');
  await again.context.close();
  // In Chinese, the box speaks Chinese.
  const zh = await open('?lesson=echo&lang=zh');
  await zh.page.click('.network-box summary');
  await zh.page.fill('.network-box .delay', '0');
  await zh.page.click('.network-form button[type=submit]');
  assert.match(await zh.page.textContent('.network-error'), /延迟不能是 0/);
  await zh.context.close();
  assert.deepEqual(problems, []);
  await context.close();
});

test('lines far from every cursor fold into one row, and its button shows them again', async () => {
  const { page, context } = await open('?lesson=multi-client&lang=en&step=60', { width: 1366, height: 600 });
  await stepUntil(page, () => !!document.querySelector('.code-text .unfold'), 100);
  const rows = () => page.$$eval('.code-panel .code-text .src .l', (l) => l.length);
  const folded = await rows();
  assert.match(await page.textContent('.code-text .unfold'), /^⋯ lines \d+–\d+/);
  await page.click('.code-text .unfold');
  await page.waitForFunction(() => !document.querySelector('.code-text .unfold'));
  assert.ok((await rows()) > folded, 'every line has its row again');
  await context.close();
});

// Which installed font draws a code point: fontconfig's answer, cached.
import { execFileSync } from 'node:child_process';
const drawn = new Map();
const someFontDraws = (cp) => {
  if (!drawn.has(cp)) {
    const fonts = execFileSync('fc-list', [`:charset=${cp.toString(16)}`, 'family'], { encoding: 'utf8' });
    drawn.set(cp, fonts.trim() !== '');
  }
  return drawn.get(cp);
};
// Chinese text needs a CJK font, which every reader of the Chinese screen has;
// the symbols the app draws itself (arrows, ticks, dots) must not need one.
const cjk = (cp) => (cp >= 0x3000 && cp <= 0x303f) || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xff00 && cp <= 0xffef);

test('every symbol on the screen is in a font a plain Linux desktop has (no ⓘ or ⏸ drawn as a box)', async () => {
  const seen = new Map();
  const look = async (page, where) => {
    const text = await page.evaluate(() => document.body.innerText);
    for (const ch of text) {
      const cp = ch.codePointAt(0);
      if (cp > 0x7e && !cjk(cp) && !seen.has(cp)) seen.set(cp, where);
    }
  };
  for (const lesson of ['echo', 'multi-client', 'buffers', 'http', 'sandbox']) {
    const { page, context } = await open(`?lesson=${lesson}&lang=en`);
    await look(page, `${lesson} at step 0`);
    await page.click('.intro-toggle');
    await look(page, `${lesson} with its intro open`);
    await context.close();
  }
  // A learner's action stopped before its effect shows (the "stopped" note).
  const { page, context } = await open('?lesson=sandbox&lang=en');
  await page.click('.add-client');
  await page.keyboard.press('ArrowLeft');
  await settle(page);
  assert.ok(await page.isVisible('.action-note.stopped'), 'the action was stopped before its effect showed');
  await look(page, 'sandbox after an action was stopped');
  await context.close();
  const missing = [...seen].filter(([cp]) => !someFontDraws(cp))
    .map(([cp, where]) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')} "${String.fromCodePoint(cp)}" (${where})`);
  assert.deepEqual(missing, [], 'characters no installed font has');
});
