// The built example site as a stranger's tools see it: every page valid
// HTML (W3C Nu checker), no axe-core WCAG 2.1 A/AA violations, no console
// errors and no sideways scrolling on a 390 px phone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { SITE, serve, launch, PHONE, DESKTOP, strictPage, htmlFiles } from "./lib.mjs";

const require = createRequire(import.meta.url);
let server, browser, scanning;
before(async () => {
  server = await serve();
  browser = await launch();
  // The browser checks run while the W3C checker does (it is another process).
  scanning = scanAll();
  scanning.catch(() => {}); // reported by the tests that await it
});
after(async () => { await scanning?.catch(() => {}); await browser?.close(); await server?.close(); });

test("every page is valid HTML (W3C Nu checker)", async () => {
  const jar = path.join(path.dirname(require.resolve("vnu-jar/package.json")), "build/dist/vnu.jar");
  let out;
  try {
    ({ stdout: out } = await promisify(execFile)("java", ["-jar", jar, "--errors-only", "--format", "json", "--skip-non-html", SITE], {
      env: { ...process.env, LC_ALL: "C.UTF-8" }, encoding: "utf8", maxBuffer: 64 << 20,
    }));
  } catch (e) {
    if (e.code === undefined || typeof e.code === "string") throw e; // java did not run
    out = e.stderr || e.stdout; // vnu exits 1 when it finds errors and prints JSON on stderr
  }
  const messages = JSON.parse(out || "{\"messages\":[]}").messages.filter((m) => m.type === "error");
  assert.deepEqual(messages.map((m) => `${m.url}:${m.lastLine}: ${m.message}`), []);
  assert.ok(htmlFiles().length > 50, "the example site has its pages");
  for (const f of ["ledger/index.html", "ledger/2026/index.html", "stats/2026/index.html", "activities/2026-10-29-dang-yuan-da-hui/index.html"]) {
    assert.ok(htmlFiles().includes(f), `${f} is checked too`);
  }
});

const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const DEVICES = { desktop: DESKTOP, phone: PHONE };
// Tabs open at once: axe is CPU work in each tab's renderer, so about one
// per core, plus one loading its page meanwhile.
const TABS = Number(process.env.ZHIBU_AXE_TABS) || os.availableParallelism() + 1;

/** axe-core's WCAG 2.1 A/AA violations on the page, one line each. */
async function axe(page) {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    // Only the violations are reported: passes and the rest are not sent back whole.
    const r = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      resultTypes: ["violations"],
    });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  });
}

/** What is wrong with one page seen in one context: axe, overflow, console errors. */
async function check(context, f) {
  const page = await strictPage(context);
  try {
    const url = server.url + f.replace(/index\.html$/, "");
    const res = await page.goto(url);
    if (res.status() !== 200) return [`${f}: answered ${res.status()}`];
    const failures = [];
    const v = await axe(page);
    if (v.length) failures.push(`${f}: ${v.join("; ")}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 1) failures.push(`${f}: ${overflow}px wider than the screen`);
    if (page.problems.length) failures.push(`${f}: ${page.problems.join("; ")}`);
    return failures;
  } finally {
    await page.close();
  }
}

/**
 * Every page except most tag lists (one template, forty pages) in a desktop
 * and a phone context, several tabs at once; the failures of each device,
 * sorted by page.
 */
async function scanAll() {
  const pages = htmlFiles().filter((f) => f !== "404.html");
  const chosen = pages.filter((f, i) => !f.startsWith("tags/") || i % 5 === 0);
  const contexts = {};
  for (const [name, device] of Object.entries(DEVICES)) contexts[name] = await browser.newContext(device);
  const jobs = chosen.flatMap((f) => Object.keys(DEVICES).map((name) => [name, f]));
  const failures = Object.fromEntries(Object.keys(DEVICES).map((name) => [name, []]));
  const checked = Object.fromEntries(Object.keys(DEVICES).map((name) => [name, 0]));
  let next = 0;
  async function tab() {
    while (next < jobs.length) {
      const [name, f] = jobs[next++];
      try {
        failures[name].push(...(await check(contexts[name], f)));
      } catch (e) {
        failures[name].push(`${f}: ${e.message}`); // a page that does not load is a failure, the others go on
      }
      checked[name]++;
    }
  }
  try {
    await Promise.all(Array.from({ length: TABS }, tab));
  } finally {
    for (const c of Object.values(contexts)) await c.close();
  }
  for (const name of Object.keys(DEVICES)) failures[name].sort();
  return { failures, checked, expected: chosen.length };
}

for (const name of Object.keys(DEVICES)) {
  test(`no accessibility violations, no console errors, no overflow (${name})`, async () => {
    const { failures, checked, expected } = await scanning;
    assert.ok(expected > 50, "the example site has its pages");
    assert.equal(checked[name], expected, "every chosen page was checked");
    assert.deepEqual(failures[name], []);
  });
}
