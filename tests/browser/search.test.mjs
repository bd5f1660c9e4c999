// Chinese search as readers use it: words inside phrases, two-word queries,
// names, mixed digits and Latin letters, a one-character typo, pinyin.
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
