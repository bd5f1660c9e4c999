// Chinese search as readers use it: words inside phrases, two-word queries,
// names, mixed digits and Latin letters, a one-character typo, pinyin; and
// search that forgives (issue 18): traditional characters, numbers and text
// from quizzes, pinyin initials, one-character slips, synonyms from
// site.toml, broad words ranked by where they stand.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, PHONE, DESKTOP, strictPage } from "./lib.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

// query -> a page that must be among the first five results
const QUERIES = [
  ["三会一课", "lessons/san-hui-yi-ke/"],
  ["志愿服务", "activities/2026-10-22-fan-zha-xuan-chuan/"],
  ["党章", "courses/dang-zhang-xue-xi/"],
  ["林晓雨", "members/lin-xiao-yu/"],
  ["周子航", "members/zhou-zi-hang/"],
  ["王一鸣", "members/wang-yi-ming/"],
  ["2025年 民主评议", "activities/2025-12-26-zu-zhi-sheng-huo-hui/"],
  ["井岗山", "lessons/jing-gang-shan/"],
  ["dangzhang", "courses/dang-zhang-xue-xi/"],
  ["hongchuan", "lessons/hong-chuan-jing-shen/"],
  ["wangyiming", "members/wang-yi-ming/"],
  ["红船", "lessons/hong-chuan-jing-shen/"],
  ["遵义会议", "lessons/chang-zheng/"],
  ["思想汇报", "lessons/si-xiang-hui-bao/"],
  ["反诈", "activities/2026-10-22-fan-zha-xuan-chuan/"],
  ["古籍修复", "activities/2026-12-05-gu-ji-xiu-fu/"],
  ["乡村振兴 调研", "activities/2025-07-10-xiang-cun-zhen-xing/"],
  ["老年大学", "activities/2025-03-05-lao-nian-da-xue/"],
  ["入党誓词", "activities/2026-05-04-chong-wen-ru-dang-shi-ci/"],
  ["烈士陵园", "activities/2025-04-03-qing-ming-ji-ying-lie/"],
  ["民主集中制", "lessons/dang-zhang-03/"],
  ["党员的义务", "lessons/dang-zhang-02/"],
  ["302报告厅", "activities/2025-05-04-wu-si-qing-nian-jie/"],
  ["月度测评", "lessons/yue-du-ce-ping-2025-11/"],
  ["桂花树", "activities/2026-03-12-xiao-yuan-lv-hua/"],
  ["延安 整风", "lessons/yan-an-zheng-feng/"],
  ["关于支部", "about/"],
  ["ＷＥＳ", null], // full-width Latin, no match: must say so, not fail
];

async function results(page, q) {
  await page.goto(server.url + "search/?q=" + encodeURIComponent(q));
  await page.waitForSelector("#search-status[data-done]");
  return page.$$eval("#search-results li h2 a", (as) => as.map((a) => a.getAttribute("href")));
}

test("20+ Chinese queries find their page in the top five", async () => {
  const context = await browser.newContext(PHONE);
  const page = await strictPage(context);
  const misses = [];
  for (const [q, want] of QUERIES) {
    const hrefs = await results(page, q);
    if (want === null) {
      assert.match(await page.textContent("#search-status"), /没有找到/);
      continue;
    }
    const top = hrefs.slice(0, 5).map((h) => h.replace(/^\/zhibu\//, ""));
    if (!top.includes(want)) misses.push(`${q}: ${want} not in ${JSON.stringify(top)}`);
  }
  assert.deepEqual(misses, []);
  assert.deepEqual(page.problems, []);
  await context.close();
});

const top = (hrefs, n = 5) => hrefs.slice(0, n).map((h) => h.replace(/^\/zhibu\//, ""));

// [query, page, how far down it may be (1: first)]; every miss is reported at once.
async function expectAll(rows) {
  const context = await browser.newContext(PHONE);
  const page = await strictPage(context);
  const misses = [];
  for (const [q, want, within] of rows) {
    const got = top(await results(page, q), within);
    if (!got.includes(want)) misses.push(`${q}: ${want} not in the first ${within} of ${JSON.stringify(got)}`);
  }
  assert.deepEqual(misses, []);
  assert.deepEqual(page.problems, []);
  await context.close();
  return page;
}

test("traditional characters find simplified text, and simplified find traditional", async () => {
  await expectAll([
    ["黨章", "courses/dang-zhang-xue-xi/", 5],
    ["獻血", "activities/2025-09-20-ying-xin-zhi-yuan/", 1],
    ["民主評議", "lessons/min-zhu-ping-yi/", 5],
    ["三會一課", "lessons/san-hui-yi-ke/", 5],
    ["組織生活會", "activities/2025-12-26-zu-zhi-sheng-huo-hui/", 1],
    // the page has 「青川縣立圖書館藏書」 in traditional characters only
    ["藏书", "activities/2026-12-05-gu-ji-xiu-fu/", 1],
    ["县立图书馆", "activities/2026-12-05-gu-ji-xiu-fu/", 1],
  ]);
});

test("a traditional query fetches only a small fold table, a simplified one none", async () => {
  const context = await browser.newContext(PHONE);
  const page = await strictPage(context);
  const fetched = [];
  page.on("request", (r) => fetched.push(new URL(r.url()).pathname));
  await results(page, "獻血");
  const tables = fetched.filter((p) => /\/search\/[0-9a-f]+\/t\/\d+\.json$/.test(p));
  assert.ok(tables.length >= 1 && tables.length <= 2, JSON.stringify(tables));
  fetched.length = 0;
  await results(page, "志愿服务 三会一课");
  assert.deepEqual(fetched.filter((p) => /\/t\/\d+\.json$/.test(p)), []);
  await context.close();
});

test("numbers, quiz questions, options and explanations find their lesson", async () => {
  await expectAll([
    ["1935", "lessons/jing-gang-shan/", 5], // only a quiz option there
    ["1931年", "lessons/jing-gang-shan/", 1], // a quiz option
    ["1937", "lessons/yue-du-ce-ping-2025-11/", 1], // a quiz option
    ["预备期为多久", "lessons/yue-du-ce-ping-2025-11/", 1], // a question
    ["实事求是闯新路", "lessons/jing-gang-shan/", 1], // a question and its explanation
    ["每两年一次", "lessons/min-zhu-ping-yi/", 1], // an option
  ]);
});

test("pinyin initials and the start of pinyin find titles", async () => {
  await expectAll([
    ["dzxx", "courses/dang-zhang-xue-xi/", 1],
    ["jgs", "lessons/jing-gang-shan/", 1],
    ["shyk", "lessons/san-hui-yi-ke/", 1],
    ["dzx", "courses/dang-zhang-xue-xi/", 1],
    ["dangzh", "courses/dang-zhang-xue-xi/", 1],
  ]);
});

test("a one-character slip ranks the corrected word's page first; an exact query is never corrected", async () => {
  const context = await browser.newContext(PHONE);
  const page = await strictPage(context);
  for (const [slip, right] of [["民主平议", "民主评议"], ["组织生活汇", "组织生活会"], ["思想汇抱", "思想汇报"], ["入党誓辞", "入党誓词"], ["井岗山", "井冈山"]]) {
    const exact = top(await results(page, right), 3);
    assert.doesNotMatch(await page.textContent("#search-status"), /相近/, right);
    const forgiven = top(await results(page, slip), 3);
    assert.match(await page.textContent("#search-status"), new RegExp(`没有完全匹配「${slip}」.*${right}`));
    assert.equal(forgiven[0], exact[0], `${slip} should rank ${right}'s first page first: ${forgiven} vs ${exact}`);
  }
  assert.ok(top(await results(page, "民主平议"), 3).includes("lessons/min-zhu-ping-yi/"));
  // 民主集中制 matches exactly: the slip search must not put 民主评议 pages first
  assert.equal(top(await results(page, "民主集中制"), 1)[0], "lessons/dang-zhang-03/");
  assert.doesNotMatch(await page.textContent("#search-status"), /相近/);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test("synonym groups of site.toml search as one", async () => {
  await expectAll([
    ["二十大", "lessons/dang-zhang-01/", 1], // the page says 第二十次全国代表大会
    ["党的二十大", "lessons/dang-zhang-01/", 1],
    // the lesson says 支部委员会 and 三会一课, never 支委会
    ["支委会 三会一课", "lessons/san-hui-yi-ke/", 2],
  ]);
  const context = await browser.newContext(DESKTOP);
  const page = await strictPage(context);
  await results(page, "支部委员会");
  const count = (await page.textContent("#search-status")).match(/找到 (\d+) 条/)?.[1];
  await results(page, "支委会");
  assert.equal(await page.locator("#search-results li h2 mark").first().textContent(), "支部委员会");
  assert.match(await page.textContent("#search-status"), new RegExp(`找到 ${count} 条与「支委会」相关`));
  await context.close();
});

test("broad words rank the pages whose title, kind or tags hold them first", async () => {
  const context = await browser.newContext(PHONE);
  const page = await strictPage(context);
  // [query, a page that only mentions it in passing]: every one of the first
  // ten results shows the word in its title or kind, and the page that only
  // mentions it comes after them.
  const broad = [
    ["党员", "lessons/dang-zhang-01/"],
    ["支部", "lessons/hong-chuan-jing-shen/"],
    ["工作", "activities/2026-03-19-dang-xiao-zu/"],
  ];
  for (const [q, passing] of broad) {
    const all = await results(page, q);
    const shown = await page.$$eval("#search-results li", (lis) =>
      lis.map((li) => li.querySelector("h2").textContent + " " + (li.querySelector(".result-meta")?.textContent ?? "")));
    assert.equal(shown.length, 10, q);
    // each result's title, kind (the meta line) and tags (#标签 on its page)
    for (const [i, href] of all.slice(0, 10).entries()) {
      const html = await (await page.request.get(new URL(href, server.url).href)).text();
      shown[i] += " " + [...html.matchAll(/href="[^"]*\/tags\/[^"]+\/">#([^<]+)</g)].map((m) => m[1]).join(" ");
    }
    const bare = shown.filter((t) => !t.includes(q));
    assert.deepEqual(bare, [], `${q}: results that do not carry it among the first ten`);
    assert.ok(!top(all, 10).includes(passing), `${q}: ${passing} mentions it only in passing`);
  }
  // Two broad words: pages whose title, kind or tags hold both come before
  // pages that hold one and only mention the other (重温入党誓词主题党日 has
  // 学习 only in its text; 第一讲 has 党员 only in its text).
  assert.deepEqual(top(await results(page, "主题党日 学习"), 2).sort(),
    ["activities/2025-04-03-qing-ming-ji-ying-lie/", "activities/2025-05-04-wu-si-qing-nian-jie/"]);
  const both = top(await results(page, "党员 学习"), 10);
  assert.ok(both.indexOf("lessons/min-zhu-ping-yi/") < both.indexOf("lessons/dang-zhang-01/"), JSON.stringify(both));
  assert.deepEqual(page.problems, []);
  await context.close();
});

test("notices and 三会一课 records are found, and records do not crowd out the lesson", async () => {
  await expectAll([
    ["公示", "notices/2026-11-zhao-jia-yi-fa-zhan-dui-xiang-gong-shi/", 3], // the category
    ["党费", "notices/2026-10-dang-fei-gong-kai/", 1],
    ["杨帆 转正", "notices/2026-06-yang-fan-zhuan-zheng-gong-shi/", 1],
    ["组织员办公室", "notices/2026-11-min-zhu-ping-yi-tong-zhi/", 3], // the contact line
    ["整改清单", "activities/2026-01-08-zhi-wei-hui/", 1],
    ["寒假 党小组 线上联系", "activities/2026-01-08-zhi-wei-hui/", 1], // a decision
    ["陈思远 刘若楠 转正申请", "activities/2026-10-15-zhi-wei-hui/", 3], // the agenda
    ["支部党员大会", "activities/2026-10-29-dang-yuan-da-hui/", 5], // the meeting type
    ["三会一课", "lessons/san-hui-yi-ke/", 3],
    ["三会一课", "courses/zu-zhi-sheng-huo-shi-wu/", 5],
  ]);
});

test("results show title, kind, date and a highlighted snippet", async () => {
  const context = await browser.newContext(DESKTOP);
  const page = await strictPage(context);
  await results(page, "志愿服务");
  const first = page.locator("#search-results li").first();
  assert.match(await first.locator("h2").textContent(), /志愿服务/);
  assert.ok(await first.locator("mark").count() >= 1, "matched words are marked");
  assert.match(await first.locator(".result-meta").textContent(), /志愿服务 · \d{4}-\d{2}-\d{2}/);
  assert.match(await page.textContent("#search-status"), /找到 \d+ 条/);
  assert.equal(await page.inputValue("#search-q"), "志愿服务", "?q= fills the box");
  await context.close();
});

test("an empty result says so and suggests something useful", async () => {
  const context = await browser.newContext(PHONE);
  const page = await strictPage(context);
  const hrefs = await results(page, "量子计算机");
  assert.equal(hrefs.length, 0);
  assert.match(await page.textContent("#search-status"), /没有找到与「量子计算机」相关的内容/);
  const tags = await page.$$eval(".search-suggest a", (as) => as.map((a) => a.textContent));
  assert.ok(tags.length >= 3, "suggests popular tags");
  await page.click(".search-suggest a >> nth=0");
  await page.waitForSelector("#search-status[data-done]");
  assert.match(await page.textContent("#search-status"), /找到/);
  await context.close();
});

test("the header box searches from any page, and every result link works", async () => {
  const context = await browser.newContext(DESKTOP);
  const page = await strictPage(context);
  await page.goto(server.url + "members/lin-xiao-yu/");
  await page.fill("#site-search", "党课");
  await page.press("#site-search", "Enter");
  await page.waitForURL(/search\/\?q=/);
  await page.waitForSelector("#search-status[data-done]");
  const hrefs = await page.$$eval("#search-results li h2 a", (as) => as.map((a) => a.href));
  assert.ok(hrefs.length > 0);
  for (const h of hrefs) {
    const r = await page.request.get(h);
    assert.equal(r.status(), 200, h);
  }
  // searching again on the search page updates the address, so it can be shared
  await page.fill("#search-q", "长征");
  await page.click(".search-page-form button");
  await page.waitForFunction(() => /长征/.test(document.getElementById("search-status").textContent));
  assert.match(decodeURIComponent(page.url()), /\?q=长征$/);
  await context.close();
});

test("more results load on request", async () => {
  const context = await browser.newContext(DESKTOP);
  const page = await strictPage(context);
  const first = await results(page, "党员");
  assert.equal(first.length, 10);
  await page.click("#search-more");
  await page.waitForFunction(() => document.querySelectorAll("#search-results li").length > 10);
  await context.close();
});
