// Search benchmark (not a test): what the first query of a page costs a
// reader. For each query it opens /search/?q=… in a fresh browser context
// (empty cache), waits for the results, and reports
//   - the bytes of everything search fetched (search.js, index.json, shards,
//     postings, display chunks), gzipped at level 6 as a web server sends them;
//   - the query time the page measured (data-ms): on the first query it
//     includes fetching the postings of the query's words; the same query
//     asked again on that page, with everything loaded, is the pure query time.
//
//   node tests/browser/search-bench.mjs SITE_DIR BASE_PATH [QUERY …]
//
// examples/bench (--search) runs it on the generated 1 000- and 10 000-page sites.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const [dir, base = "/", ...given] = process.argv.slice(2);
if (!dir) {
  console.error("usage: node tests/browser/search-bench.mjs SITE_DIR BASE_PATH [QUERY …]");
  process.exit(2);
}
process.env.ZHIBU_TEST_SITE = path.resolve(dir);
process.env.ZHIBU_TEST_BASE = base;
const { serve, launch, PHONE } = await import("./lib.mjs");

const queries = given.length
  ? given
  : ["志愿服务", "三会一课", "2024年 民主评议", "党史学习", "乡村振兴调研", "主题党日活动", "自我批评", "dangzhang", "井岗山精神", "新时代青年"];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const server = await serve();
const browser = await launch();
const rows = [];
try {
  for (const q of queries) {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const fetched = new Set();
    page.on("requestfinished", (req) => {
      const p = decodeURIComponent(new URL(req.url()).pathname);
      if (p.startsWith(base) && (/\/search\/[0-9a-f]{10}\//.test(p) || /\/js\/search\.[0-9a-f]+\.js$/.test(p))) fetched.add(p.slice(base.length));
    });
    await page.goto(`${server.url}search/?q=${encodeURIComponent(q)}`);
    await page.waitForSelector("#search-status[data-done]", { timeout: 60000 });
    const ms = Number(await page.getAttribute("#search-status", "data-ms"));
    const hits = await page.locator("#search-results > li:not(.search-suggest)").count();
    // The same query again on this page: shards and postings are loaded.
    await page.evaluate(() => document.getElementById("search-status").removeAttribute("data-done"));
    await page.fill("#search-q", q);
    await page.press("#search-q", "Enter");
    await page.waitForSelector("#search-status[data-done]", { timeout: 60000 });
    const loaded = Number(await page.getAttribute("#search-status", "data-ms"));
    let raw = 0, gz = 0;
    for (const f of fetched) {
      const bytes = fs.readFileSync(path.join(dir, f));
      raw += bytes.length;
      gz += zlib.gzipSync(bytes, { level: 6 }).length;
    }
    rows.push({ q, files: fetched.size, raw, gz, ms, loaded, hits });
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}

const kb = (n) => (n / 1024).toFixed(1);
console.log("| query | files | transfer (gzip) | uncompressed | first query (with postings) | query, loaded | results shown |");
console.log("|---|---:|---:|---:|---:|---:|---:|");
for (const r of rows) console.log(`| ${r.q} | ${r.files} | ${kb(r.gz)} KB | ${kb(r.raw)} KB | ${r.ms.toFixed(1)} ms | ${r.loaded.toFixed(1)} ms | ${r.hits} |`);
const stat = (xs, f) => `${f(median(xs))} (max ${f(Math.max(...xs))})`;
console.log(
  `median: ${stat(rows.map((r) => r.gz), kb)} KB gzip; first query ${stat(rows.map((r) => r.ms), (x) => x.toFixed(1))} ms; ` +
  `loaded ${stat(rows.map((r) => r.loaded), (x) => x.toFixed(1))} ms`,
);
