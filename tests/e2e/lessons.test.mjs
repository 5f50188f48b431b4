// Each lesson played in the browser as a learner would, checking what the
// screen shows. Everything on screen comes from the simulation core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { serveDist, launch, openPage, openLesson, playToEnd, settle } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const open = (query) => openLesson(browser, server.base, query);


/** Presses → until `predicate` holds in the page, at most `max` times. */
async function stepUntil(page, predicate, max = 600) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate(predicate)) return i;
    await press(page, 'ArrowRight', 1);
  }
  throw new Error(`condition not reached in ${max} steps: ${predicate}`);
}


/** Presses a key n times, letting each render finish, as a person would. */
async function press(page, key, n) {
  for (let i = 0; i < n; i++) {
    await page.keyboard.press(key);
    await settle(page);
  }
}

const lines = (page, which) => page.$$eval(`.console[aria-label="${which}"] .console-line`, (els) => els.map((e) => e.textContent));
const stepNumber = async (page) => Number((await page.textContent('.step-count')).match(/(\d+)/)[1]);

test('echo: the server console shows connect, both messages and offline, in order', async () => {
  const { page, context, problems } = await open('?lesson=echo&lang=en');
  await playToEnd(page);
  const server = await lines(page, 'Server console');
  assert.equal(server.length, 4, server.join('\n'));
  assert.match(server[0], /^client connected: \('10\.0\.0\.2', \d+\)$/);
  assert.match(server[1], /^你好 \('10\.0\.0\.2', \d+\)$/);
  assert.match(server[2], /^how are you\? \('10\.0\.0\.2', \d+\)$/);
  assert.match(server[3], /^client offline: \('10\.0\.0\.2', \d+\)$/);
  const client = await lines(page, 'Client consoles');
  assert.deepEqual(client, ['client-1> Got it, working on it…', 'client-1> Got it, working on it…']);

  // The event list: the newest 40 first, older ones a click away, each a
  // jump to its moment.
  const total = Number((await page.textContent('.event-list h3 .count')).match(/\d+/)[0]);
  assert.ok(total > 80, `only ${total} events`);
  const times = () => page.$$eval('.events .event .t', (t) => t.map((e) => parseFloat(e.textContent)));
  const first = await times();
  assert.equal(first.length, 40);
  assert.ok(first.every((t, i) => i === 0 || t <= first[i - 1]), 'newest first');
  await page.click('.more-events');
  await settle(page);
  const more = await times();
  assert.equal(more.length, 80);
  assert.deepEqual(more.slice(0, 40), first);
  const end = await stepNumber(page);
  await page.click('.events .event:nth-child(60) button');
  await settle(page);
  assert.ok((await stepNumber(page)) < end, 'jumped back in time');
  assert.equal(await page.$$eval('.events .event.selected', (e) => e.length), 1);

  // Filters by kind: unticking "segments" hides every segment row, and
  // ticking it again brings them back.
  const segmentRows = () => page.$$eval('.events .event.cat-2', (e) => e.length);
  assert.ok((await segmentRows()) > 0, 'segments are listed');
  await page.uncheck('.filters .filter.cat-2 input');
  await settle(page);
  assert.equal(await segmentRows(), 0);
  assert.ok((await page.$$eval('.events .event', (e) => e.length)) > 0, 'other kinds stay');
  await page.check('.filters .filter.cat-2 input');
  await settle(page);
  assert.ok((await segmentRows()) > 0, 'segments are back');
  assert.deepEqual(problems, []);
  await context.close();
});

test('multi-client: one lane per accepted client, and each client is served', async () => {
  const { page, context } = await open('?lesson=multi-client&lang=en');
  // A sub-thread appears only after accept() returns for that client.
  await stepUntil(page, () => document.querySelectorAll('.stage .lane[data-host="server"]').length === 2);
  assert.equal(await page.$$eval('.stage .lane[data-host="server"]', (l) => l.length), 2);
  await playToEnd(page);
  const lanes = await page.$$eval('.stage .lane[data-host="server"] .lane-name', (l) => l.map((e) => e.textContent));
  assert.equal(lanes.length, 4, lanes.join(', '));
  const server = await lines(page, 'Server console');
  assert.equal(server.filter((l) => l.startsWith('client connected')).length, 3);
  assert.equal(server.filter((l) => l.startsWith('client offline')).length, 3);
  for (const n of ['一', '二', '三']) {
    assert.ok(server.some((l) => l.startsWith(`我是${n}号 `)), `message from client ${n}: ${server.join('\n')}`);
  }
  // Each client's lines carry its own port.
  const ports = new Set(server.filter((l) => l.startsWith('client connected')).map((l) => l.match(/(\d+)\)$/)[1]));
  assert.equal(ports.size, 3);
  assert.equal(await page.$$eval('.conn-row', (r) => r.length), 3);
  await context.close();
});

test('buffers: the receive buffer fills, the window closes and send() blocks', async () => {
  const { page, context } = await open('?lesson=buffers&lang=en');
  await stepUntil(page, () =>
    !!document.querySelector('.conn-server .buffer.rx.full') &&
    [...document.querySelectorAll('.host.client .lane-state')].some((e) => e.textContent.includes('blocked in send()')));
  const summary = await page.textContent('.conn-server .buffer.rx.full .buffer-summary');
  assert.match(summary, /^16\/16 · window 0$/);
  await playToEnd(page);
  const server = await lines(page, 'Server console');
  assert.equal(server.at(-1).startsWith('client offline'), true, server.join('\n'));
  // All 43 bytes arrived, in order, across the recv() calls.
  const text = server.slice(1, -1).map((l) => l.replace(/ \('10\.0\.0\.2', \d+\)$/, '')).join('');
  assert.equal(text, 'The quick brown fox jumps over the lazy dog');
  await context.close();
});

test('byte-stream: one recv holds two messages, and a cut character shows as U+FFFD', async () => {
  const { page, context } = await open('?lesson=byte-stream&lang=en');
  await playToEnd(page);
  const server = await lines(page, 'Server console');
  assert.match(server[1], /^你好hell \(/, server.join('\n'));
  assert.ok(server.some((l) => l.includes('\uFFFD')), server.join('\n'));
  await context.close();
});

test('step back and forward return to the same screen', async () => {
  const { page, context } = await open('?lesson=echo&lang=en');
  await press(page, 'ArrowRight', 30);
  assert.equal(await stepNumber(page), 30);
  const before = await page.textContent('.stage');
  const narration = await page.textContent('.narration');
  await press(page, 'ArrowLeft', 1);
  assert.equal(await stepNumber(page), 29);
  assert.notEqual(await page.textContent('.narration'), narration);
  await press(page, 'ArrowRight', 1);
  assert.equal(await stepNumber(page), 30);
  assert.equal(await page.textContent('.stage'), before);
  assert.equal(await page.textContent('.narration'), narration);
  await context.close();
});

test('a share link restores the run exactly, learner actions included', async () => {
  const { page, context } = await open('?lesson=sandbox&lang=en');
  await page.click('.add-client');
  await press(page, 'ArrowRight', 25);
  await page.fill('.send-form .message', 'hi 你好');
  await page.press('.send-form .message', 'Enter');
  await page.click('.narration');
  await press(page, 'ArrowRight', 15);
  const stage = await page.textContent('.stage');
  const step = await stepNumber(page);
  const events = await page.textContent('.event-list');
  assert.match(events, /hi 你好/);
  await page.click('.tools .share');
  const link = await page.inputValue('.share-link');
  assert.match(link, /[?&]actions=/);
  assert.match(await page.inputValue('.embed-line'), /^<iframe src=".*embed=1"/);

  const again = await openPage(browser, link, { context: { viewport: { width: 1400, height: 1000 } } });
  await again.page.waitForSelector('.stage .host.server');
  assert.equal(await stepNumber(again.page), step);
  assert.equal(await again.page.textContent('.stage'), stage);
  assert.equal(await again.page.textContent('.event-list'), events);
  assert.deepEqual(again.problems, []);
  await again.context.close();
  await context.close();
});

test('removing a client ends its process: the server sees it go and its row leaves the stage', async () => {
  const { page, context, problems } = await open('?lesson=sandbox&lang=en');
  await page.click('.add-client');
  await page.click('.add-client');
  const serverConsole = () => page.$$eval('.console[aria-label="Server console"] .console-line', (l) => l.map((e) => e.textContent));
  await stepUntil(page, () => document.querySelectorAll('.console[aria-label="Server console"] .console-line').length === 2);
  assert.ok((await serverConsole()).every((l) => l.startsWith('client connected: ')));
  await page.selectOption('.send-form select', '1');
  await page.click('.remove-client');
  await settle(page);
  // Gone from the learner's choices at once; on the stage until its socket is closed.
  assert.deepEqual(await page.$$eval('.send-form select option', (o) => o.map((e) => e.textContent)), ['client-2']);
  assert.match(await page.textContent('.stage'), /removed/);
  await playToEnd(page);
  const clients = await page.$$eval('.conn-row .host.client strong', (e) => e.map((x) => x.textContent));
  assert.deepEqual(clients, ['client-2']);
  const lines = await serverConsole();
  assert.equal(lines.filter((l) => l.startsWith('client offline: ')).length, 1);
  assert.match(await page.textContent('.event-list'), /process is ended/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('embed mode keeps the lesson but hides the header, the intro behind its button', async () => {
  const { page, context } = await open('?lesson=multi-client&embed=1&lang=zh');
  assert.equal(await page.$('.app-header'), null);
  assert.equal(await page.$('.intro-pop'), null);
  assert.ok(await page.isVisible('.intro-toggle'));
  assert.match(await page.textContent('.lesson.current'), /三个客户端/);
  await context.close();
});

test('a tampered link falls back to the lesson with a message', async () => {
  const { page, context, problems } = await open('?lesson=nope&seed=x&step=-4&actions=%5B%7Bbad&lang=en');
  await page.waitForSelector('.notice[role=alert]');
  const notice = await page.textContent('.notice');
  assert.match(notice, /lesson=nope/);
  assert.match(notice, /actions=/);
  assert.match(await page.textContent('.lesson.current'), /One client, one server/);
  assert.deepEqual(problems.filter((p) => p.startsWith('page error')), []);
  await context.close();
});

test('a link whose actions no longer apply replays without them and says which and why', async () => {
  const actions = JSON.stringify([{ step: 1, action: { a: 'set-loss', percent: 250 } }]);
  const { page, context, problems } = await open(`?lesson=loss&lang=en&step=30&actions=${encodeURIComponent(actions)}`);
  await page.waitForSelector('.notice[role=alert] .link-refused');
  assert.match(await page.textContent('.notice .link-refused'), /could not be replayed.*set the network's loss to 250%: the loss rate is between 0 and 100/);
  assert.equal(await page.$('.notice .query-problem'), null);
  await page.click('.notice button');
  await page.waitForSelector('.notice', { state: 'detached' });
  assert.deepEqual(problems, []);
  await context.close();
});

test('the run downloads as a pcap and as a JSON event log', async () => {
  const { page, context } = await open('?lesson=echo&lang=en');
  await playToEnd(page);
  const save = async (label) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`.log-tools button:has-text("${label}")`)]);
    return { name: download.suggestedFilename(), bytes: fs.readFileSync(await download.path()) };
  };
  const pcap = await save('Download pcap');
  assert.equal(pcap.name, 'sockscope-echo.pcap');
  // Classic pcap, microsecond timestamps, little-endian magic.
  assert.equal(pcap.bytes.readUInt32LE(0), 0xa1b2c3d4);
  assert.ok(pcap.bytes.length > 24 + 10 * 40);
  const log = await save('Download event log');
  assert.equal(log.name, 'sockscope-echo-events.json');
  const events = JSON.parse(log.bytes.toString('utf8'));
  const consoleLines = events.filter((e) => e.kind.kind === 'console').map((e) => e.kind.line);
  assert.match(consoleLines[0], /^client connected: /);
  assert.equal(events.at(-1).step, await stepNumber(page));
  await context.close();
});

test('select: one thread serves every client, and the stage marks the fds each select() found ready', async () => {
  const { page, context, problems } = await open('?lesson=select&lang=en');
  // The listening socket is marked readable when handshakes wait in its accept queue.
  await stepUntil(page, () => !!document.querySelector('.stage .socket.listening .ready-read'));
  assert.match(await page.textContent('.stage .socket.listening .ready-read'), /select: readable: \d+ connections? in the accept queue/);
  // Later a connection's fd is readable with its bytes.
  await stepUntil(page, () => [...document.querySelectorAll('.stage .socket.stream .ready-read')].some((e) => /bytes to read/.test(e.textContent)));
  await playToEnd(page);
  // One thread on the server, however many clients it served.
  assert.equal(await page.$$eval('.stage .lane[data-host="server"]', (l) => l.length), 1);
  const server = await lines(page, 'Server console');
  assert.ok(server.length >= 9, server.join('\n'));
  assert.deepEqual(problems, []);
  await context.close();
});

test('the picker groups the lessons: the chapter numbered, the mistakes and the lessons beyond behind menus', async () => {
  const { page, context, problems } = await open('?lesson=echo&lang=en');
  assert.deepEqual(await page.$$eval('.lesson-picker .group.course .lesson', (b) => b.map((e) => e.dataset.lesson)),
    ['echo', 'multi-client', 'buffers', 'byte-stream', 'loss', 'http']);
  const toggles = await page.$$eval('.lesson-picker .group-toggle', (b) => b.map((e) => e.textContent));
  assert.deepEqual(toggles.map((t) => t.replace(/ ▾$/, '')), ['Going further', 'Common mistakes']);
  await page.click('.lesson-group:nth-of-type(1) .group-toggle');
  assert.deepEqual(await page.$$eval('.group-menu .lesson', (b) => b.map((e) => e.dataset.lesson)), ['select', 'processes']);
  await page.click('.lesson-group:nth-of-type(1) .group-toggle');
  // Open the mistakes: six lessons with their titles; pick one.
  await page.click('.lesson-group:nth-of-type(2) .group-toggle');
  const mistakes = await page.$$eval('.group-menu .lesson', (b) => b.map((e) => e.dataset.lesson));
  assert.deepEqual(mistakes, ['reset', 'half-close', 'busy-loop', 'daemon', 'backlog', 'reuse-addr']);
  await page.click('.group-menu .lesson[data-lesson="half-close"]');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('lesson') === 'half-close');
  assert.equal(await page.$('.group-menu'), null, 'the menu closes');
  assert.match(await page.textContent('.group-toggle.current'), /^Common mistakes: .+ ▾$/);
  assert.deepEqual(problems, []);
  await context.close();
});

for (const lesson of ['reset', 'half-close', 'busy-loop', 'daemon', 'backlog', 'reuse-addr', 'processes']) {
  test(`${lesson}: plays to the end in the browser, in both languages, without an error`, async () => {
    for (const lang of ['en', 'zh']) {
      const { page, context, problems } = await open(`?lesson=${lesson}&lang=${lang}`);
      await playToEnd(page);
      const narration = await page.textContent('.narration');
      assert.ok(narration.trim().length > 0);
      const total = Number((await page.textContent('.event-list h3 .count')).match(/\d+/)[0]);
      assert.ok(total > 20, `${lesson} ${lang}: only ${total} events`);
      assert.deepEqual(problems, []);
      await context.close();
    }
  });
}
