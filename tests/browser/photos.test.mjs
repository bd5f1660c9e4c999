// What a reader on a phone downloads (issue 13): an activity with 9 phone
// photos (12 MP, from examples/photo_site.rs) at 390 px wide. The bytes are
// counted as Chromium transferred them (CDP Network.loadingFinished), for
// the first view, after scrolling the whole page, and for the home page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { serve, launch, PHONE, strictPage } from "./lib.mjs";

const PHOTO_SITE = process.env.ZHIBU_PHOTO_SITE_BIN;
const ZHIBU = process.env.ZHIBU_BIN;
let dir, server, browser;

before(async () => {
  if (!PHOTO_SITE || !ZHIBU) throw new Error("ZHIBU_PHOTO_SITE_BIN and ZHIBU_BIN: run through scripts/test.sh");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "zhibu-photos-"));
  execFileSync(PHOTO_SITE, [dir]);
  execFileSync(ZHIBU, ["--root", dir, "build", "--now", "2026-11-21T12:00:00+08:00", "--output", path.join(dir, "public")], { stdio: "ignore" });
  server = await serve(path.join(dir, "public"), "/zhibu/");
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Opens `url` on a phone and counts the bytes transferred; `scroll`
 *  scrolls to the end first, in steps, so lazy images load. */
async function transferred(url, scroll) {
  const context = await browser.newContext(PHONE);
  const page = await strictPage(context);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  let bytes = 0;
  const images = new Set();
  const urls = new Map();
  cdp.on("Network.responseReceived", (e) => urls.set(e.requestId, e.response.url));
  cdp.on("Network.loadingFinished", (e) => {
    bytes += e.encodedDataLength;
    const u = urls.get(e.requestId) || "";
    if (/\.(jpe?g|png)$/.test(u)) images.add(u);
  });
  await page.goto(url, { waitUntil: "networkidle" });
  if (scroll) {
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    for (let y = 0; y <= height; y += 400) {
      await page.evaluate((y) => window.scrollTo(0, y), y);
      await page.waitForTimeout(150);
    }
    await page.waitForLoadState("networkidle");
  }
  const naturalWidths = await page.$$eval("main img", (els) => els.filter((e) => e.complete).map((e) => e.naturalWidth));
  assert.deepEqual(page.problems, []);
  await context.close();
  return { bytes, images, naturalWidths };
}

test("an activity with 9 phone photos: first view ≤ 400 KB, whole page ≤ 1.2 MB", async () => {
  const url = server.url + "activities/2025-05-04-wusi/";
  const first = await transferred(url, false);
  console.log(`first view: ${(first.bytes / 1000).toFixed(0)} KB, ${first.images.size} images`);
  assert.ok(first.bytes <= 400_000, `first view ${first.bytes} bytes`);
  const all = await transferred(url, true);
  console.log(`whole page: ${(all.bytes / 1000).toFixed(0)} KB, ${all.images.size} images`);
  assert.equal(all.images.size, 9, [...all.images].join("\n"));
  assert.ok(all.bytes <= 1_200_000, `whole page ${all.bytes} bytes`);
  // Nothing near the original's 4032 px reached the phone.
  assert.ok(Math.max(...all.naturalWidths) <= 960, all.naturalWidths.join(","));
});

test("the home page with photo covers ≤ 400 KB", async () => {
  const home = await transferred(server.url, true);
  console.log(`home page: ${(home.bytes / 1000).toFixed(0)} KB, ${home.images.size} images`);
  assert.ok(home.images.size >= 1, "the covers were shown");
  assert.ok(home.bytes <= 400_000, `home ${home.bytes} bytes`);
});
