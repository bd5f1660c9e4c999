// Study plans without accounts: a reader names themself on 我的学习, passes
// the monthly test, reads a lesson, ticks an activity, and sees the plan's
// progress on the home page, the plan page and 我的学习; exports the record
// as a file and as a 学习记录码; and the secretary's `zhibu tally` (the
// binary scripts/test.sh built) reads both, skipping what is broken. The
// browser's clock is set, so nothing depends on the day the tests run.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { serve, launch, PHONE, DESKTOP, strictPage } from "./lib.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = process.env.ZHIBU_BIN;
const PLAN = "plans/2026-11-dang-zhang-dang-ji/";
const TEST = "lessons/yue-du-ce-ping-2026-11/";
// The build's --now (scripts/test.sh).
const NOW = new Date("2026-11-21T12:00:00+08:00");

let server, browser, site;
before(async () => {
  server = await serve();
  browser = await launch();
  site = "http://127.0.0.1" + new URL(server.url).pathname; // the --base-url of the build
});
after(async () => { await browser?.close(); await server?.close(); });

async function reader(device = PHONE, time = NOW, extra = {}) {
  const context = await browser.newContext({ ...device, ...extra });
  await context.clock.install({ time });
  const page = await strictPage(context);
  return { context, page };
}

// The monthly test shuffles its options: answers are chosen by their text.
async function passMonthlyTest(page) {
  await page.goto(server.url + TEST);
  const pick = (q, text) => page.locator(`#quiz-q${q} label`).filter({ hasText: new RegExp(`^\\s*(?:[A-Z]\\.\\s*)?${text}\\s*$`) }).click();
  await pick(1, "民主基础上的集中和集中指导下的民主");
  await pick(2, "对");
  await page.fill("#quiz-q3-answer", "中央委员会");
  await pick(4, "每季度一次");
  for (const t of ["优秀", "合格", "基本合格", "不合格"]) await pick(5, t);
  await pick(6, "支部大会通过他为预备党员之日");
  await page.click("form.quiz-form button[type=submit]");
  await page.waitForSelector(".quiz-result .score");
  assert.match(await page.textContent(".quiz-result"), /100 分（答对 6\/6 题），已及格/);
}

const item = (page, key) => page.locator(`.plan-item[data-key="${key}"]`).first();

function tally(args) {
  assert.ok(BIN, "ZHIBU_BIN is set by scripts/test.sh");
  return spawnSync(BIN, ["--root", ROOT, "tally", "--base-url", site, "--now", "2026-11-21T12:00:00+08:00", ...args], { encoding: "utf8" });
}

// A code as learning.js writes it, for a record of another site.
function code(record) {
  const body = Buffer.from(JSON.stringify(record)).toString("base64url");
  const head = `ZHIBU1.${body.length}.${body}`;
  return `${head}.${(zlib.crc32(head) >>> 0).toString(16).padStart(8, "0")}`;
}

test("a named reader's plan progress, exported as a file and a code, read back by zhibu tally", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zhibu-plan-"));
  const { context, page } = await reader(PHONE, NOW, { acceptDownloads: true });

  // The home page shows the current plan with nothing done yet.
  await page.goto(server.url);
  assert.ok(await page.isVisible("#h-plans"), "本期学习任务 on the home page");
  assert.match(await page.textContent(".plans-now .plan-progress"), /已完成 0\/4 项/);
  assert.ok(await page.isVisible("#h-latest-lessons"), "latest lessons and tests on the home page");
  assert.match(await page.textContent("section[aria-labelledby=h-latest-lessons]"), /2026 年 11 月月度测评/);

  await page.goto(server.url + "me/");
  await page.fill("#me-name", "王小明");

  await passMonthlyTest(page);
  await page.goto(server.url + "lessons/si-xiang-hui-bao/");
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForSelector(".read-state:not([hidden])", { timeout: 8000 });

  await page.goto(server.url + PLAN);
  assert.match(await page.textContent(".plan-progress"), /已完成 2\/4 项/);
  assert.match(await item(page, TEST).textContent(), /✓ 已完成 11月21日/);
  assert.match(await item(page, "lessons/si-xiang-hui-bao/").textContent(), /✓ 已完成/);
  assert.match(await item(page, "lessons/dang-zhang-03/").textContent(), /未完成/);
  // The optional activity is ticked by hand; it does not count towards 2/4.
  const activity = item(page, "activities/2026-12-05-gu-ji-xiu-fu/");
  await activity.locator("button.mark").click();
  assert.match(await activity.textContent(), /✓ 已完成/);
  assert.match(await page.textContent(".plan-progress"), /已完成 2\/4 项/);

  await page.goto(server.url + "me/");
  assert.equal(await page.inputValue("#me-name"), "王小明", "the name is kept");
  assert.match(await page.textContent(".me-plan .plan-progress"), /已完成 2\/4 项/);
  // two lessons done 2 × 2 (a test without text counts as read once
  // passed) + quiz passed 5 + 100 % 3 = 12, all in November 2026
  assert.equal(await page.textContent(".me-points strong"), "12");
  assert.match(await page.textContent(".me-month-table"), /2026 年\s*12 分\s*2026 年 11 月\s*12 分/);

  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#me-export")]);
  assert.match(download.suggestedFilename(), /^学习记录-王小明-2026-11-21\.json$/);
  const file = path.join(dir, "record.json");
  await download.saveAs(file);
  const record = JSON.parse(fs.readFileSync(file, "utf8"));
  assert.equal(record.name, "王小明");
  assert.ok(record.tasks["activities/2026-12-05-gu-ji-xiu-fu/"].done);

  await page.click("#me-copy");
  const copied = await page.inputValue("#me-code-out");
  assert.match(copied, /^【学习记录码】王小明 /);
  const mine = copied.match(/ZHIBU1\.\S+/)[0];
  assert.ok(mine.length < 600, `a short code: ${mine.length} characters`);

  // What the secretary collects from the group chat: the code twice (once
  // broken up by the chat app: a duplicate), a code cut short, a code of
  // another site, an unnamed record from an older version, and a file.
  const spaced = mine.replace(/(.{40})/g, "$1\n ");
  const foreign = code({ v: 1, s: "https://other.example.org/", n: "赵六", e: 0, l: { "lessons/a/": 29000000 }, q: {}, t: {} });
  const chat = [
    "[11-21 12:30] 王小明：" + copied,
    "[11-21 12:31] 王小明：刚才的再发一次",
    spaced,
    "[11-21 13:02] 李四：" + mine.slice(0, 80),
    "[11-21 13:05] 赵六：" + foreign,
  ].join("\n");
  fs.writeFileSync(path.join(dir, "chat.txt"), chat);
  fs.writeFileSync(path.join(dir, "old.json"), JSON.stringify({
    version: 1, site,
    lessons: { "lessons/dang-zhang-03/": { title: "第三讲：民主集中制", read: "2026-11-19T02:00:00.000Z" } },
    quizzes: { "lessons/dang-zhang-03/": { title: "第三讲：民主集中制", attempts: 1, best: 75, last: 75, passed: true, passedAt: "2026-11-19T02:10:00.000Z", perfect: false, date: "2026-11-19T02:10:00.000Z" } },
  }));

  const csvFile = path.join(dir, "out.csv");
  const r = tally([path.join(dir, "chat.txt"), file, path.join(dir, "old.json"), "--csv", csvFile]);
  assert.equal(r.status, 1, "records were skipped: exit 1\n" + r.stderr);
  assert.match(r.stdout, /学习任务完成情况：11—12 月学习任务/);
  assert.match(r.stdout, /自报/);
  const row = r.stdout.split("\n").find((l) => l.startsWith("王小明"));
  assert.ok(row, r.stdout);
  assert.match(row, /✓11-21 100分/);
  assert.match(row, /2\/4\s+12$/);
  const old = r.stdout.split("\n").find((l) => l.startsWith("（未署名）"));
  assert.match(old, /old\.json/);
  assert.match(old, /✓11-19 75分/);
  const cutLine = chat.split("\n").findIndex((l) => l.includes("李四")) + 1;
  assert.match(r.stderr, new RegExp(`不完整[^\n]*\n\\s*--> [^\n]*chat\\.txt:${cutLine}:18`));
  assert.match(r.stderr, /另一个网站（https:\/\/other\.example\.org\/）/);
  assert.match(r.stderr, /重复/);

  const csv = fs.readFileSync(csvFile, "utf8");
  assert.ok(csv.startsWith("\ufeff"), "CSV has a BOM");
  const lines = csv.slice(1).trim().split("\r\n").map((l) => l.split(/","/).map((c) => c.replace(/^"|"$/g, "")));
  assert.match(lines[0][0], /自报/);
  const head = lines[1], wang = lines.find((l) => l[0] === "王小明");
  assert.equal(wang[head.indexOf("3. 2026 年 11 月月度测评 成绩")], "100");
  assert.match(wang[head.indexOf("3. 2026 年 11 月月度测评 完成时间")], /^2026-11-21 12:\d\d$/);
  assert.equal(wang[head.indexOf("积分")], "12");

  assert.deepEqual(page.problems, []);
  await context.close();
});

test("a pasted code imports on another device; a mangled one is refused", async () => {
  const { context, page } = await reader(DESKTOP);
  await passMonthlyTest(page);
  await page.goto(server.url + "me/");
  await page.fill("#me-name", "李四");
  await page.click("#me-copy");
  const copied = await page.inputValue("#me-code-out");
  await context.close();

  const other = await reader(PHONE);
  const p2 = other.page;
  await p2.goto(server.url + "me/");
  // Truncated by the chat app: refused, nothing changes.
  await p2.fill("#me-code-in", copied.slice(0, copied.length - 30));
  await p2.click("#me-code-import");
  await p2.waitForSelector(".me-status[role=alert]");
  assert.match(await p2.textContent(".me-status"), /不完整.*现有记录没有改变/);
  assert.equal(await p2.textContent(".me-points strong"), "0");
  // Broken into lines with spaces, inside other chat text, followed by a
  // code cut short: the good one is imported, the other named.
  await p2.fill("#me-code-in", "李四：\n" + copied.replace(/(.{30})/g, "$1 \n") + "\n好的收到\n" + copied.slice(0, 90));
  await p2.click("#me-code-import");
  await p2.waitForSelector(".me-status:has-text('导入成功')");
  assert.match(await p2.textContent(".me-status"), /已合并 1 份记录.*另有 1 份没有导入：学习记录码不完整/);
  assert.equal(await p2.textContent(".me-points strong"), "10");
  assert.equal(await p2.inputValue("#me-name"), "李四", "the name comes with the record");
  assert.match(await p2.textContent(".me-quizzes"), /2026 年 11 月月度测评\s*100 分/);
  await p2.goto(server.url + PLAN);
  assert.match(await p2.textContent(".plan-progress"), /已完成 1\/4 项/);
  assert.deepEqual(p2.problems, []);
  await other.context.close();
});

test("a record file from an older version still imports", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zhibu-old-"));
  const file = path.join(dir, "zhibu-study-record-2026-11-01.json");
  fs.writeFileSync(file, JSON.stringify({
    version: 1, site,
    lessons: { "lessons/dang-zhang-01/": { title: "第一讲", read: "2026-11-01T04:00:00.000Z" } },
    quizzes: {},
  }, null, 2));
  const { context, page } = await reader();
  await page.goto(server.url + "me/");
  await page.setInputFiles("#me-import", file);
  await page.waitForSelector(".me-status:has-text('导入成功')");
  assert.equal(await page.textContent(".me-points strong"), "2");
  assert.equal(await page.inputValue("#me-name"), "");
  assert.deepEqual(page.problems, []);
  await context.close();
});

test("the plan's state follows the reader's clock, not the build's", async () => {
  const at = async (time, check) => {
    const { context, page } = await reader(DESKTOP, new Date(time));
    await check(page);
    assert.deepEqual(page.problems, []);
    await context.close();
  };
  await at("2026-12-15T09:00:00+08:00", async (page) => {
    await page.goto(server.url);
    assert.ok(await page.isVisible("#h-plans"));
    assert.match(await item(page, "lessons/dang-zhang-03/").textContent(), /已逾期/);
    assert.match(await item(page, "activities/2026-12-05-gu-ji-xiu-fu/").textContent(), /未完成/, "optional items are never overdue");
    // now.js counts the days down (the due day counts: 12-31 ends at midnight).
    await page.goto(server.url + PLAN);
    assert.equal((await page.innerText(".plan-window")).trim(), "进行中（剩 17 天）");
  });
  await at("2027-01-05T09:00:00+08:00", async (page) => {
    await page.goto(server.url);
    assert.ok(!(await page.isVisible("#h-plans")), "an ended plan leaves the home page");
    await page.goto(server.url + PLAN);
    assert.equal((await page.innerText(".plan-window")).trim(), "已结束");
  });
  await at("2026-11-10T09:00:00+08:00", async (page) => {
    await page.goto(server.url);
    assert.ok(!(await page.isVisible("#h-plans")), "a plan not yet started is not shown");
    await page.goto(server.url + PLAN);
    assert.equal((await page.innerText(".plan-window")).trim(), "未开始");
  });
});

test("without JavaScript the plan is a list with due dates", async () => {
  const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(server.url + PLAN);
  assert.equal(await page.locator(".plan-item").count(), 5);
  assert.match(await item(page, "lessons/dang-zhang-03/").textContent(), /截止 2026年11月30日/);
  assert.ok(!(await page.isVisible(".plan-progress")), "no progress without the record");
  await page.goto(server.url);
  assert.ok(await page.isVisible("#h-plans"), "the built state: current when built");
  await context.close();
});
