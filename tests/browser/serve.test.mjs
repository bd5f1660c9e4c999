// An editor with the preview open: saving a file updates the open page (at
// the same scroll position), a mistake shows an overlay, fixing it clears it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, PHONE } from "./lib.mjs";

const BIN = process.env.ZHIBU_BIN;
const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
let dir, proc, url, browser;

before(async () => {
  assert.ok(BIN, "ZHIBU_BIN is set by scripts/test.sh");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "zhibu-serve-"));
  fs.cpSync(path.join(REPO, "content"), path.join(dir, "content"), { recursive: true });
  fs.copyFileSync(path.join(REPO, "site.toml"), path.join(dir, "site.toml"));
  proc = spawn(BIN, ["--root", dir, "serve", "--port", "0", "--now", "2026-11-21T12:00:00+08:00"], { stdio: ["ignore", "pipe", "inherit"] });
  url = await new Promise((resolve, reject) => {
    let buf = "";
    proc.stdout.on("data", (d) => {
      buf += d;
      const line = buf.split("\n")[0];
      if (buf.includes("\n")) resolve(line.trim());
    });
    proc.on("exit", (c) => reject(new Error("serve exited " + c)));
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  proc?.kill();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const LESSON = "content/lessons/chang-zheng.md";

function edit(fn) {
  const p = path.join(dir, LESSON);
  fs.writeFileSync(p, fn(fs.readFileSync(p, "utf8")));
}

test("a saved edit updates the open page and keeps its scroll position", async () => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(url + "lessons/chang-zheng/");
  await page.evaluate(() => window.scrollTo(0, 700));
  await page.waitForTimeout(300);
  edit((t) => t.replace("## 转折", "## 转折：遵义会议"));
  await page.waitForFunction(() => document.body.textContent.includes("转折：遵义会议"), null, { timeout: 15000 });
  await page.waitForTimeout(300);
  const y = await page.evaluate(() => window.scrollY);
  assert.ok(Math.abs(y - 700) < 60, `scroll position kept (${y})`);
  await context.close();
});

test("a mistake shows an overlay with file and line; fixing it clears it", async () => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(url + "lessons/chang-zheng/");
  const original = fs.readFileSync(path.join(dir, LESSON), "utf8");
  edit((t) => t.replace("date: 2025-07-21", "date: 2025-07-41"));
  await page.waitForSelector("#zhibu-errors", { timeout: 15000 });
  const text = await page.textContent("#zhibu-errors");
  assert.match(text, /content\/lessons\/chang-zheng\.md:3:7/);
  assert.match(text, /2025-07-41/);
  assert.match(text, /提示/);
  assert.equal(await page.getAttribute("#zhibu-errors", "role"), "alert");
  // the last good page is still there under the overlay
  assert.ok(await page.isVisible("h1"));
  fs.writeFileSync(path.join(dir, LESSON), original);
  await page.waitForFunction(() => !document.getElementById("zhibu-errors"), null, { timeout: 15000 });
  await context.close();
});
