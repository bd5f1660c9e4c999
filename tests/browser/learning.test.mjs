// A reader with no account: answers quizzes, reads lessons, looks at 我的学习,
// exports the record and imports it in a fresh browser profile.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { SITE, serve, launch, PHONE, DESKTOP, strictPage } from "./lib.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

// lessons/dang-zhang-03: single (A 民主集中制), multiple (A–D of five),
// judge (对), fill (三 / 3); pass 75.
const QUIZ = "lessons/dang-zhang-03/";

async function choose(page, n, text) {
  await page.locator(`#quiz-q${n} label`, { hasText: text }).first().click();
}

async function submit(page) {
  await page.click("form.quiz-form button[type=submit]");
  await page.waitForSelector(".quiz-result .score");
}

async function answerRight(page) {
  await choose(page, 1, "民主集中制");
  for (const t of ["党员个人服从党的组织", "少数服从多数", "下级组织服从上级组织", "全党各个组织"]) await choose(page, 2, t);
  await choose(page, 3, "对");
  await page.fill("#quiz-q4-answer", "３"); // full-width digit, normalised
}

test("each question type graded right and wrong, with answers and explanations", async () => {
  for (const device of [PHONE, DESKTOP]) {
    const context = await browser.newContext(device);
    const page = await strictPage(context);
    await page.goto(server.url + QUIZ);
    await answerRight(page);
    await submit(page);
    assert.match(await page.textContent(".quiz-result"), /100 分（答对 4\/4 题），已及格/);
    assert.equal(await page.locator(".question.is-right").count(), 4);
    assert.ok(await page.isVisible("#quiz-q4 .explain"), "explanation shown after submitting");
    assert.ok(await page.isVisible(".quiz-retry"));

    await page.click(".quiz-retry");
    assert.equal(await page.locator(".question.is-right, .question.is-wrong").count(), 0, "retry clears the marks");
    assert.ok(!(await page.isVisible("#quiz-q4 .explain")));
    await choose(page, 1, "集体领导");
    await choose(page, 2, "少数服从多数");
    await choose(page, 3, "错");
    await page.fill("#quiz-q4-answer", "五");
    await submit(page);
    assert.match(await page.textContent(".quiz-result"), /0 分（答对 0\/4 题），未及格（75 分及格）/);
    assert.equal(await page.locator(".question.is-wrong").count(), 4);
    assert.match(await page.textContent("#quiz-q1 .feedback"), /正确答案：A\. 民主集中制/);
    assert.match(await page.textContent("#quiz-q2 .feedback"), /正确答案：A、B、C、D/);
    assert.match(await page.textContent("#quiz-q3 .feedback"), /正确答案：对/);
    assert.match(await page.textContent("#quiz-q4 .feedback"), /正确答案：三 或 3/);
    assert.equal(await page.locator("#quiz-q1 li.is-answer").count(), 1, "the right option is marked");

    // 3 of 4 is 75 %: passes a 75 % quiz
    await page.click(".quiz-retry");
    await answerRight(page);
    await page.fill("#quiz-q4-answer", "四");
    await submit(page);
    assert.match(await page.textContent(".quiz-result"), /75 分（答对 3\/4 题），已及格/);
    assert.deepEqual(page.problems, []);
    await context.close();
  }
});

test("shuffled options are relabelled and graded by the option, not the letter", async () => {
  const context = await browser.newContext(DESKTOP);
  const page = await strictPage(context);
  await page.goto(server.url + "lessons/dang-zhang-02/");
  const letters = await page.$$eval("#quiz-q2 .opt-letter", (els) => els.map((e) => e.textContent));
  assert.deepEqual(letters, ["A.", "B.", "C.", "D."], "letters follow the shown order");
  await choose(page, 1, "认真学习马克思列宁主义");
  await choose(page, 1, "贯彻执行党的基本路线");
  await choose(page, 1, "密切联系群众");
  await choose(page, 2, "八项");
  await choose(page, 3, "对");
  await submit(page);
  assert.match(await page.textContent(".quiz-result"), /100 分/);
  await context.close();
});

test("keyboard only, and the result is announced", async () => {
  const context = await browser.newContext(DESKTOP);
  const page = await strictPage(context);
  await page.goto(server.url + "lessons/hong-chuan-jing-shen/");
  await page.focus("#quiz-q1-a");
  await page.keyboard.press("ArrowDown"); // radio group: moves to and selects B
  assert.equal(await page.$eval("#quiz-q1-b", (i) => i.checked), true);
  await page.focus("#quiz-q2-a");
  await page.keyboard.press("Space");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Space");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Space");
  await page.keyboard.press("Enter"); // submits the form
  await page.waitForSelector(".quiz-result .score");
  assert.equal(await page.getAttribute(".quiz-result", "aria-live"), "polite");
  assert.match(await page.textContent(".quiz-result"), /100 分/);
  // focus is visible: the retry button takes it and has an outline
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, "none");
  await context.close();
});

async function readLesson(page, key) {
  await page.goto(server.url + key);
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForSelector(".read-state:not([hidden])", { timeout: 8000 });
}

async function points(page) {
  await page.goto(server.url + "me/");
  await page.waitForSelector(".me-points strong");
  return Number(await page.textContent(".me-points strong"));
}

test("a read lesson and a passed quiz appear on 我的学习 with points; export and import", async () => {
  const downloads = fs.mkdtempSync(path.join(os.tmpdir(), "zhibu-dl-"));
  const context = await browser.newContext({ ...PHONE, acceptDownloads: true });
  const page = await strictPage(context);
  assert.equal(await points(page), 0);

  await readLesson(page, "lessons/dang-zhang-01/");
  // course navigation shows progress
  assert.match(await page.textContent(".course-nav .bar-text"), /已学 1\/3 课/);
  await page.goto(server.url + "courses/dang-zhang-xue-xi/");
  assert.match(await page.textContent(".course-progress .bar-text"), /已学 1\/3 课/);

  await page.goto(server.url + QUIZ);
  await answerRight(page);
  await submit(page);

  // lesson 2 + quiz passed 5 + perfect 3 = 10
  assert.equal(await points(page), 10);
  assert.match(await page.textContent(".me-quizzes"), /第三讲：民主集中制\s*100 分\s*1\s*已通过/);
  assert.match(await page.textContent("li[data-course=dang-zhang-xue-xi] .bar-text"), /已学 1\/3 课/);

  const [download] = await Promise.all([page.waitForEvent("download"), page.click("text=导出记录")]);
  const file = path.join(downloads, "record.json");
  await download.saveAs(file);
  const record = JSON.parse(fs.readFileSync(file, "utf8"));
  assert.ok(record.lessons["lessons/dang-zhang-01/"]);
  assert.equal(record.quizzes["lessons/dang-zhang-03/"].best, 100);

  // A fresh profile (its own storage) imports the file.
  const fresh = await browser.newContext(DESKTOP);
  const p2 = await strictPage(fresh);
  assert.equal(await points(p2), 0);
  await p2.setInputFiles("#me-import", file);
  await p2.waitForSelector(".me-status:has-text('导入成功')");
  assert.equal(Number(await p2.textContent(".me-points strong")), 10);

  // A corrupt file and a file from another site are refused; the record stays.
  const corrupt = path.join(downloads, "corrupt.json");
  fs.writeFileSync(corrupt, "{\"version\": 1, \"lessons\": ");
  await p2.setInputFiles("#me-import", corrupt);
  await p2.waitForSelector(".me-status[role=alert]");
  assert.match(await p2.textContent(".me-status"), /导入失败.*现有记录没有改变/);
  assert.equal(Number(await p2.textContent(".me-points strong")), 10);
  const foreign = path.join(downloads, "foreign.json");
  fs.writeFileSync(foreign, JSON.stringify({ ...record, site: "https://other.example.org/" }));
  await p2.setInputFiles("#me-import", foreign);
  await p2.waitForSelector(".me-status[role=alert]");
  assert.match(await p2.textContent(".me-status"), /另一个网站/);
  assert.equal(Number(await p2.textContent(".me-points strong")), 10);

  // Reset asks first.
  p2.once("dialog", (d) => d.dismiss());
  await p2.click("text=清空记录");
  assert.equal(Number(await p2.textContent(".me-points strong")), 10, "dismissed: nothing cleared");
  p2.once("dialog", (d) => d.accept());
  await p2.click("text=清空记录");
  await p2.waitForSelector(".me-status:has-text('已清空')");
  assert.equal(Number(await p2.textContent(".me-points strong")), 0);

  assert.deepEqual([...page.problems, ...p2.problems], []);
  await fresh.close();
  await context.close();
});

test("nothing is sent over the network by the learning features", async () => {
  const context = await browser.newContext(DESKTOP);
  const page = await context.newPage();
  const requests = [];
  // Images load lazily while scrolling; what must never happen is data going out.
  page.on("request", (r) => {
    if (r.method() !== "GET" || ["fetch", "xhr", "websocket", "eventsource", "ping", "beacon"].includes(r.resourceType()) || r.url().includes("?")) {
      requests.push(r.method() + " " + r.resourceType() + " " + r.url());
    }
  });
  await page.goto(server.url + QUIZ);
  requests.length = 0;
  await answerRight(page);
  await submit(page);
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForTimeout(3500);
  assert.deepEqual(requests, []);
  await context.close();
});

test("without JavaScript the quiz reads as a list of questions", async () => {
  const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(server.url + QUIZ);
  assert.equal(await page.locator("fieldset.question").count(), 4);
  assert.ok(await page.isVisible("#quiz-q1 legend"));
  assert.ok(await page.isVisible("text=民主集中制"));
  assert.ok(!(await page.isVisible("form.quiz-form button[type=submit]")), "no button that does nothing");
  assert.ok(await page.isVisible(".quiz + noscript, noscript") || (await page.content()).includes("启用 JavaScript"));
  await context.close();
});

test("works when the site is opened from a local folder", async () => {
  const context = await browser.newContext(DESKTOP);
  const page = await strictPage(context);
  await page.goto("file://" + path.join(SITE, QUIZ, "index.html"));
  await answerRight(page);
  await submit(page);
  assert.match(await page.textContent(".quiz-result"), /100 分/);
  await context.close();
});
