// A page is read after it was built (the example site is built "on"
// 2026-11-21 12:00): with the reader's clock moved days ahead, now.js turns
// 即将开展 into 已开展, 公示中 into 已结束 with the days counting down, and
// closes the sign-up; inside WeChat every download gets a hint.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, PHONE, strictPage } from "./lib.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const ACTIVITY = "activities/2026-12-05-gu-ji-xiu-fu/";
const GONGSHI = "notices/2026-11-zhao-jia-yi-fa-zhan-dui-xiang-gong-shi/";
const LATER = "notices/2026-11-you-xiu-dang-yuan-tui-jian-gong-shi/";
const WECHAT = "Mozilla/5.0 (Linux; Android 13; V2148A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2247 MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64";

/** Opens `path` with the reader's clock at `when` (Beijing time). */
async function at(when, path, options = {}) {
  const context = await browser.newContext({ ...PHONE, ...options });
  const page = await strictPage(context);
  await page.clock.setFixedTime(new Date(when));
  await page.goto(server.url + path);
  return page;
}

/** Texts of the state chips that show (data-now-show and not hidden). */
async function shown(page, scope = "main") {
  return page.$$eval(`${scope} [data-now-show]`, (els) => els.filter((e) => !e.closest("[hidden]")).map((e) => e.textContent.trim()));
}

async function close(page) { assert.deepEqual(page.problems, []); await page.context().close(); }

test("read at the moment it was built, the script changes nothing", async () => {
  for (const path of ["", "notices/", GONGSHI, LATER, ACTIVITY, "activities/"]) {
    const built = await at("2026-11-21T12:00:00+08:00", path, { javaScriptEnabled: false });
    const read = await at("2026-11-21T12:00:00+08:00", path);
    assert.deepEqual(await shown(read), await shown(built), path);
    const days = (p) => p.$$eval("[data-now-days]", (els) => els.map((e) => e.textContent));
    assert.deepEqual(await days(read), await days(built), path);
    await built.context().close();
    await close(read);
  }
});

test("公示中 counts down and ends; a later 公示 starts", async () => {
  let page = await at("2026-11-24T10:00:00+08:00", GONGSHI);
  assert.deepEqual(await shown(page, ".page-head"), ["公示中（剩 2 天）"]);
  await close(page);

  page = await at("2026-11-27T09:00:00+08:00", GONGSHI);
  assert.deepEqual(await shown(page, ".page-head"), ["已结束"]);
  await close(page);

  // The home page's notice bar drops it; the list moves it to the archive.
  page = await at("2026-11-27T09:00:00+08:00", "");
  const bar = await page.$$eval(".notice-bar li", (lis) => lis.filter((l) => !l.hidden).map((l) => l.querySelector("a").textContent));
  assert.ok(!bar.some((t) => t.includes("赵嘉怡")), JSON.stringify(bar));
  assert.ok(bar.some((t) => t.includes("优秀共产党员")), JSON.stringify(bar));
  await close(page);
  page = await at("2026-11-27T09:00:00+08:00", "notices/");
  assert.ok(await page.locator("#notices-archive").getByRole("link", { name: /赵嘉怡/ }).isVisible());
  assert.equal(await page.locator("#notices-archive .card").first().getAttribute("data-now"), "past");
  await close(page);

  page = await at("2026-12-01T09:00:00+08:00", LATER);
  assert.deepEqual(await shown(page, ".page-head"), ["公示中（剩 4 天）"]);
  await close(page);
});

test("sign-up closes at its deadline, then the activity takes place", async () => {
  let page = await at("2026-12-03T17:00:00+08:00", ACTIVITY);
  assert.ok(await page.locator(".signup-open").isVisible());
  assert.ok(await page.getByRole("link", { name: "在线报名" }).isVisible());
  await close(page);

  page = await at("2026-12-04T19:00:00+08:00", ACTIVITY);
  assert.ok(!(await page.getByRole("link", { name: "在线报名" }).isVisible()), "no button after the deadline");
  assert.ok(await page.getByText("报名已截止").isVisible());
  assert.deepEqual(await shown(page, ".kicker"), ["即将开展"]);
  assert.ok(await page.getByRole("link", { name: "加入日历" }).isVisible());
  await close(page);

  page = await at("2026-12-05T14:00:00+08:00", ACTIVITY);
  assert.deepEqual(await shown(page, ".kicker"), ["进行中"]);
  await close(page);

  page = await at("2026-12-06T09:00:00+08:00", ACTIVITY);
  assert.deepEqual(await shown(page, ".kicker"), ["已开展"]);
  assert.ok(!(await page.getByRole("link", { name: "加入日历" }).isVisible()));
  await close(page);
});

test("lists drop what is over, and hide when nothing is left", async () => {
  let page = await at("2026-12-06T09:00:00+08:00", "");
  const upcoming = page.locator("section[aria-labelledby=h-upcoming]");
  assert.ok(await upcoming.isVisible());
  assert.ok(!(await upcoming.getByRole("link", { name: /古籍修复/ }).isVisible()), "past activity hidden");
  assert.ok(await upcoming.getByRole("link", { name: /组织生活会/ }).isVisible());
  await close(page);

  page = await at("2026-12-06T09:00:00+08:00", "activities/");
  const card = page.locator(".card-activity", { hasText: "古籍修复" });
  assert.deepEqual(await card.evaluate((c) => [...c.querySelectorAll("[data-now-show]")].filter((e) => !e.hidden).map((e) => e.textContent)), ["已开展"]);
  await close(page);

  page = await at("2027-06-01T09:00:00+08:00", "");
  assert.ok(!(await page.locator("section[aria-labelledby=h-upcoming]").isVisible()), "no upcoming block left");
  assert.ok(!(await page.locator(".notice-bar").isVisible()), "no current notice left");
  await close(page);
});

test("inside WeChat every download says how to open the system browser", async () => {
  const HINT = "点右上角 ··· 选择“在浏览器打开”";
  let page = await at("2026-11-21T12:00:00+08:00", ACTIVITY, { userAgent: WECHAT });
  const hint = page.locator(".event-actions .wechat-hint");
  assert.equal(await hint.textContent(), HINT);
  assert.ok(await hint.isVisible());
  assert.ok(await page.locator(".share .wechat-hint").isVisible(), "next to the QR code download");
  assert.ok(await page.locator(".site-footer .wechat-hint").isVisible(), "next to the calendar feed");
  await close(page);

  page = await at("2026-11-21T12:00:00+08:00", "lessons/dang-zhang-01/", { userAgent: WECHAT });
  assert.equal(await page.locator(".attachments .wechat-hint").count(), 1, "one hint for the list of attachments");
  await close(page);

  page = await at("2026-11-21T12:00:00+08:00", "me/", { userAgent: WECHAT });
  assert.ok(await page.locator("main [data-wechat-hint]").isVisible(), "for exported records");
  await close(page);

  // Elsewhere, and with JavaScript off, no hint.
  for (const options of [{}, { userAgent: WECHAT, javaScriptEnabled: false }]) {
    for (const path of [ACTIVITY, "me/"]) {
      page = await at("2026-11-21T12:00:00+08:00", path, options);
      assert.equal(await page.locator(".wechat-hint:visible").count(), 0, path);
      await page.context().close();
    }
  }
});
