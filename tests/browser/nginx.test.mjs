// The example site published the documented way: a real nginx started on
// 127.0.0.1 with the shipped config (examples/server/nginx.conf) under the
// sub-path /dangjian/zhibu1/. Every page, asset, feed and search shard the
// site links to answers 200 with the right content type; a missing page
// gets the site's 404 page; hashed assets may be cached for a year.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const BIN = process.env.ZHIBU_BIN;
const NGINX = process.env.NGINX || "/usr/sbin/nginx";
const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const BASE = "/dangjian/zhibu1/";
let dir, proc, origin;

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

before(async () => {
  assert.ok(BIN, "ZHIBU_BIN is set by scripts/test.sh");
  assert.ok(fs.existsSync(NGINX), "nginx is installed by scripts/test.sh");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "zhibu-nginx-"));
  const site = path.join(dir, "www");
  execFileSync(BIN, ["--root", REPO, "build", "--now", "2026-11-21T12:00:00+08:00",
    "--base-url", "https://www.example.edu.cn" + BASE, "--output", site], { stdio: "inherit" });
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  // The shipped snippet, pointed at this build instead of /var/www/zhibu1.
  const snippet = fs.readFileSync(path.join(REPO, "examples/server/nginx.conf"), "utf8").replaceAll("/var/www/zhibu1/", site + "/");
  fs.writeFileSync(path.join(dir, "zhibu1.conf"), snippet);
  fs.writeFileSync(path.join(dir, "nginx.conf"), `
daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    server_name localhost;
    include ${dir}/zhibu1.conf;
  }
}
`);
  proc = spawn(NGINX, ["-p", dir, "-c", path.join(dir, "nginx.conf")], { stdio: ["ignore", "inherit", "inherit"] });
  for (let i = 0; i < 100; i++) {
    try { await fetch(origin + BASE); return; } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  throw new Error("nginx did not start: " + fs.readFileSync(path.join(dir, "error.log"), "utf8"));
});

after(() => {
  proc?.kill();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const TYPES = {
  html: "text/html", css: "text/css", js: "text/javascript", json: "application/json",
  svg: "image/svg+xml", jpg: "image/jpeg", png: "image/png", ics: "text/calendar", txt: "text/plain", csv: "text/csv",
};

function expectedType(url) {
  const p = new URL(url).pathname;
  if (p.endsWith("/")) return "text/html";
  if (p.endsWith("/atom.xml")) return "application/atom+xml";
  if (p.endsWith(".xml")) return "application/xml";
  return TYPES[p.split(".").pop()];
}

test("every page, asset and feed linked from the site answers 200 with its type", async () => {
  const seen = new Set();
  const queue = [origin + BASE];
  const failures = [];
  while (queue.length) {
    const url = queue.shift();
    if (seen.has(url)) continue;
    seen.add(url);
    const res = await fetch(url, { redirect: "manual" });
    const type = (res.headers.get("content-type") || "").split(";")[0];
    if (res.status !== 200) { failures.push(`${url}: ${res.status}`); continue; }
    if (type !== expectedType(url)) failures.push(`${url}: ${type}, expected ${expectedType(url)}`);
    if (type !== "text/html") { await res.arrayBuffer(); continue; }
    const html = await res.text();
    for (const m of html.matchAll(/\s(?:href|src|action)="([^"#]+)/g)) {
      const next = new URL(m[1].replaceAll("&amp;", "&"), url);
      if (next.origin !== origin || !next.pathname.startsWith(BASE)) continue;
      next.search = "";
      queue.push(next.href);
    }
  }
  assert.deepEqual(failures, []);
  // every page of the build was reached through links (all but 404.html)
  const pages = [];
  (function walk(d) {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === "index.html") pages.push(origin + BASE + path.relative(path.join(dir, "www"), d).split(path.sep).filter(Boolean).map((x) => x + "/").join(""));
    }
  })(path.join(dir, "www"));
  const unreached = pages.filter((p) => !seen.has(p) && !seen.has(encodeURI(p)));
  assert.deepEqual(unreached, []);
  for (const feed of ["atom.xml", "sitemap.xml", "robots.txt", "calendar.ics"]) {
    assert.ok([...seen].some((u) => u.endsWith(feed)) || (await fetch(origin + BASE + feed)).status === 200, feed);
  }
});

test("search shards answer as JSON and may be cached for a year", async () => {
  const page = await (await fetch(origin + BASE + "search/")).text();
  const root = page.match(/data-index="([^"]+)"/)[1];
  assert.match(root, /^\/dangjian\/zhibu1\/search\/[0-9a-f]{10}\/$/);
  const info = await fetch(origin + root + "index.json");
  assert.equal(info.status, 200);
  assert.match(info.headers.get("content-type"), /^application\/json/);
  assert.match(info.headers.get("cache-control"), /immutable/);
  const { chars, latin, n, chunk } = await info.json();
  const keys = [...chars].map((c) => c.codePointAt(0).toString(16)).concat(latin.map((l) => "a-" + l));
  for (const key of keys) {
    const r = await fetch(origin + root + "s/" + key + ".json");
    assert.equal(r.status, 200, key);
    const vocab = await r.json();
    for (const [, [, postings]] of Object.entries(vocab)) {
      if (typeof postings === "number") {
        assert.equal((await fetch(origin + root + `p/${key}-${postings}.txt`)).status, 200);
      }
    }
  }
  for (let c = 0; c * chunk < n; c++) {
    assert.equal((await fetch(origin + root + `d/${c}.json`)).status, 200, `d/${c}.json`);
  }
});

test("caching, compression, the 404 page and the path without slash", async () => {
  const home = await fetch(origin + BASE);
  assert.equal(home.headers.get("cache-control"), "no-cache");
  const css = (await home.text()).match(/href="\.\/(css\/zhibu\.[0-9a-f]{10}\.css)"/)[1];
  const r = await fetch(origin + BASE + css, { headers: { "accept-encoding": "gzip" } });
  assert.equal(r.status, 200);
  assert.match(r.headers.get("cache-control"), /max-age=31536000/);
  assert.equal(r.headers.get("content-encoding"), "gzip");
  const missing = await fetch(origin + BASE + "lessons/no-such-lesson/");
  assert.equal(missing.status, 404);
  assert.match(await missing.text(), /页面不存在/);
  const bare = await fetch(origin + BASE.replace(/\/$/, ""), { redirect: "manual" });
  assert.equal(bare.status, 301);
  assert.equal(new URL(bare.headers.get("location"), origin).pathname, BASE);
});
