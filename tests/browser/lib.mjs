// Shared helpers for the browser tests: a static server for the built
// site (under its base path, with the site's 404 page) and headless Chromium.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

export const SITE = process.env.ZHIBU_TEST_SITE;
export const BASE = process.env.ZHIBU_TEST_BASE || "/zhibu/";
if (!SITE) throw new Error("ZHIBU_TEST_SITE is not set: run the tests through scripts/test.sh");

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".json": "application/json", ".txt": "text/plain; charset=utf-8", ".svg": "image/svg+xml", ".xml": "application/xml",
  ".ics": "text/calendar; charset=utf-8", ".jpg": "image/jpeg", ".png": "image/png",
};

export function serve(dir = SITE, base = BASE) {
  const server = http.createServer((req, res) => {
    let url = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!url.startsWith(base)) { res.writeHead(404); return res.end("outside base"); }
    let file = path.join(dir, url.slice(base.length));
    if (!file.startsWith(path.resolve(dir))) { res.writeHead(400); return res.end(); }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!fs.existsSync(file)) {
      res.writeHead(404, { "content-type": TYPES[".html"] });
      return res.end(fs.readFileSync(path.join(dir, "404.html")));
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}${base}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-quic", "--no-first-run"],
  });
}

export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const DESKTOP = { viewport: { width: 1280, height: 800 } };

/** A page that fails the test on any console error or uncaught exception. */
export async function strictPage(context) {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(String(e)));
  page.problems = problems;
  return page;
}

/** Every HTML file of the site, relative to its folder. */
export function htmlFiles(dir = SITE) {
  const out = [];
  (function walk(d) {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".html")) out.push(path.relative(dir, p));
    }
  })(dir);
  return out.sort();
}
