// The built example site as a stranger's tools see it: every page valid
// HTML (W3C Nu checker), no axe-core WCAG 2.1 A/AA violations, no console
// errors and no sideways scrolling on a 390 px phone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { SITE, serve, launch, PHONE, DESKTOP, strictPage, htmlFiles } from "./lib.mjs";

const require = createRequire(import.meta.url);
let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test("every page is valid HTML (W3C Nu checker)", () => {
  const jar = path.join(path.dirname(require.resolve("vnu-jar/package.json")), "build/dist/vnu.jar");
  let out;
  try {
    out = execFileSync("java", ["-jar", jar, "--errors-only", "--format", "json", "--skip-non-html", SITE], {
      env: { ...process.env, LC_ALL: "C.UTF-8" }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (e) {
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

async function axe(page) {
  await page.addScriptTag({ content: AXE });
  const r = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}

for (const [name, device] of [["desktop", DESKTOP], ["phone", PHONE]]) {
  test(`no accessibility violations, no console errors, no overflow (${name})`, async () => {
    const context = await browser.newContext(device);
    const pages = htmlFiles().filter((f) => f !== "404.html");
    // every page except most tag lists (one template, forty pages): the run stays short
    const chosen = pages.filter((f, i) => !f.startsWith("tags/") || i % 5 === 0);
    const failures = [];
    for (const f of chosen) {
      const page = await strictPage(context);
      const url = server.url + f.replace(/index\.html$/, "");
      const res = await page.goto(url);
      assert.equal(res.status(), 200, url);
      const v = await axe(page);
      if (v.length) failures.push(`${f}: ${v.join("; ")}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 1) failures.push(`${f}: ${overflow}px wider than the screen`);
      if (page.problems.length) failures.push(`${f}: ${page.problems.join("; ")}`);
      await page.close();
    }
    await context.close();
    assert.deepEqual(failures, []);
  });
}
