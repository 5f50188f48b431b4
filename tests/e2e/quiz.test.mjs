// Checkpoints: a lesson pauses to ask what happens next, the learner
// answers, the run goes on, and the verdict comes from what it then did.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openLesson, playToEnd, settle, LAPTOP } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const open = (query) => openLesson(browser, server.base, query, LAPTOP);
const score = (page) => page.textContent('.quiz-score');

/** Plays at the top speed until a question is asked; returns its text. */
async function playToQuestion(page, text) {
  if (!(await page.$('.btn-play.on'))) await page.click('.btn-play');
  await page.waitForFunction(
    (t) => document.querySelector('.quiz-card.asking .quiz-question')?.textContent.includes(t),
    text,
    { timeout: 60_000 },
  );
  assert.equal(await page.$('.btn-play.on'), null, 'playing stopped to ask');
}

test('the echo lesson asks, an answer plays on to its verdict, and the header counts the right ones', async () => {
  const { page, context, problems } = await open('?lesson=echo&lang=en&quiz=1');
  await page.selectOption('.speed select', '50');
  assert.equal((await score(page)).trim(), '✓ 0 / 3');

  await playToQuestion(page, 'Which side will be first to send');
  // The card sits in the window, clear of the controls.
  const card = await page.locator('.quiz-card.asking').boundingBox();
  const controls = await page.locator('.controls').boundingBox();
  assert.ok(card.y + card.height <= LAPTOP.height && card.x + card.width <= LAPTOP.width, JSON.stringify(card));
  assert.ok(card.y >= controls.y + controls.height, 'below the controls');
  // The client speaks first: the right answer.
  await page.click('.quiz-card.asking .quiz-choice[data-choice="0"]');

  // The next question comes with the first one's verdict above it.
  await playToQuestion(page, 'The client calls recv(1024) for the first time');
  const first = await page.textContent('.quiz-card:not(.asking) .quiz-verdict.right');
  assert.match(first, /Right\. The next segment with data or FIN came from the client: 4 bytes of data/);
  assert.equal((await score(page)).trim(), '✓ 1 / 3');

  // "Only part of the reply": wrong, and the card says what happened.
  await page.click('.quiz-card.asking .quiz-choice[data-choice="1"]');
  await page.waitForSelector('.quiz-card:not(.asking) .quiz-verdict.wrong', { timeout: 60_000 });
  const card2 = await page.textContent('.quiz-card:not(.asking)');
  assert.match(card2, /recv\(\) returned 23 bytes/);
  assert.match(card2, /What turned out right: The whole reply/);
  assert.equal((await score(page)).trim(), '✓ 1 / 3');

  // The third question; the link keeps the replies.
  await playToQuestion(page, 'calls recv(1024) a third time');
  await settle(page);
  assert.match(page.url(), /quiz=ab_/);
  await page.click('.quiz-card.asking .quiz-choice[data-choice="1"]');
  await page.waitForSelector('.narration .done', { timeout: 60_000 });
  assert.equal((await score(page)).trim(), '✓ 2 / 3');
  // With no question after it, the last card is whole: question, answer, verdict.
  const last = await page.textContent('.quiz-card');
  assert.match(last, /a third time/);
  assert.match(last, /Your answer: b'': once the client closes its socket/);
  assert.match(last, /Right\. recv\(\) returned b''/);

  // Stepping back keeps the answers; nothing is asked again.
  for (let i = 0; i < 3; i++) { await page.keyboard.press('ArrowLeft'); await settle(page); }
  assert.equal(await page.$('.quiz-card.asking'), null);
  assert.equal((await score(page)).trim(), '✓ 2 / 3');
  assert.deepEqual(problems, []);
  await context.close();
});

test('?quiz=0 asks nothing and shows no score', async () => {
  const { page, context, problems } = await open('?lesson=echo&lang=en&quiz=0');
  await playToEnd(page);
  assert.equal(await page.$('.quiz-card'), null);
  assert.equal(await page.$('.quiz-score'), null);
  assert.deepEqual(problems, []);
  await context.close();
});
