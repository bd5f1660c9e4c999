// The 台账 as an inspector gets it: /ledger/2026/ printed to PDF by
// Chromium on A4 — the branch's name and the year in the heading, the
// tables on every page with their header row repeated, 缺 in the text,
// no site navigation — and read back with pdf.js.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, DESKTOP, strictPage } from "./lib.mjs";

// pdf.js uses Promise.withResolvers (Node 22+); Debian's Node 20 lacks it.
Promise.withResolvers ??= function () {
  let resolve, reject;
  const promise = new this((a, b) => { resolve = a; reject = b; });
  return { promise, resolve, reject };
};
const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const A4 = { width: 595.28, height: 841.89 }; // points

async function pdfText(bytes) {
  const doc = await getDocument({ data: new Uint8Array(bytes), disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  const pages = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const [x0, y0, x1, y1] = page.view;
    const text = (await page.getTextContent()).items.map((i) => i.str).join("").replace(/\s+/g, "")
      // CJK fonts map some glyphs to Kangxi radicals (⼀ for 一): compare as NFKC
      .normalize("NFKC");
    pages.push({ width: x1 - x0, height: y1 - y0, text });
  }
  return pages;
}

async function printed(path) {
  const context = await browser.newContext(DESKTOP);
  const page = await strictPage(context);
  const res = await page.goto(server.url + path);
  assert.equal(res.status(), 200, path);
  await page.emulateMedia({ media: "print" });
  const bytes = await page.pdf({ format: "A4", printBackground: true, preferCSSPageSize: true });
  assert.deepEqual(page.problems, []);
  await context.close();
  return pdfText(bytes);
}

test("the 2026 ledger prints on A4 pages with its tables", async () => {
  const pages = await printed("ledger/2026/");
  assert.ok(pages.length >= 2, `a year of meetings takes several pages, got ${pages.length}`);
  for (const [i, p] of pages.entries()) {
    assert.ok(Math.abs(p.width - A4.width) < 2 && Math.abs(p.height - A4.height) < 2, `page ${i + 1} is ${p.width}×${p.height} pt, not A4`);
  }
  const first = pages[0].text;
  assert.match(first, /新闻传播学院本科生第一党支部/, "the branch's name heads the first page");
  assert.match(first, /2026年三会一课台账/);
  assert.match(first, /本台账网址:https?:\/\/[^/]+\/(zhibu\/)?ledger\/2026\//, "the ledger's address is printed");
  const all = pages.map((p) => p.text).join("");
  assert.match(all, /支部委员会记录\(缺1期\)/);
  assert.match(all, /8月缺本月没有召开的记录/, "August's missing 支委会 is marked 缺 in text");
  // every page carries a table with its header row (repeated on page breaks)
  for (const [i, p] of pages.entries()) {
    assert.match(p.text, /主持人记录人应到实到请假缺席议程|会议类型要求应开/, `page ${i + 1} has a table header`);
  }
  // the site's navigation, search box and footer are not printed
  assert.doesNotMatch(all, /我的学习|搜索课程|订阅更新|下载表格/);
});

test("the annual summary prints on A4 too", async () => {
  const pages = await printed("stats/2026/");
  assert.ok(pages.every((p) => Math.abs(p.width - A4.width) < 2 && Math.abs(p.height - A4.height) < 2));
  assert.match(pages[0].text, /新闻传播学院本科生第一党支部2026年度工作成果/);
  assert.match(pages.map((p) => p.text).join(""), /三会一课召开情况/);
});

test("the ledger's tables are accessible tables", async () => {
  const context = await browser.newContext(DESKTOP);
  const page = await strictPage(context);
  await page.goto(server.url + "ledger/2026/");
  const tables = await page.$$eval("table", (ts) => ts.map((t) => ({
    caption: t.caption?.textContent.trim() || "",
    cols: t.querySelectorAll("thead th[scope=col]").length,
    rows: t.querySelectorAll("tbody th[scope=row]").length,
  })));
  assert.ok(tables.length >= 5, "totals and one table per meeting type");
  for (const t of tables) {
    assert.ok(t.caption.length > 0 && t.cols > 0 && t.rows > 0, JSON.stringify(t));
  }
  // 缺 is a word, not a colour only
  const gap = await page.locator("#type-2 ~ .table-wrap .row-missing").first().textContent();
  assert.match(gap, /缺/);
  await context.close();
});
