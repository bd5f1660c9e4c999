/* zhibu now.js — a page is read long after it was built. This corrects, when
   the page is read, every state that depends on today (即将开展 → 已开展,
   公示中 → 已结束 and the days left, sign-up closed, the current study plan)
   from the time windows written into the page at build time, and inside
   WeChat's browser says how to open downloads in the system browser.
   The data attributes are described in docs/time.md. Without JavaScript the
   state as built shows. No dependencies. */
(function () {
  "use strict";
  var doc = document, now = Date.now(), W = "[data-now-start],[data-now-end]";
  var script = doc.currentScript;

  function all(sel, root) { return Array.prototype.slice.call((root || doc).querySelectorAll(sel)); }
  function time(el, name) { var v = el.getAttribute(name); return v ? Date.parse(v) : NaN; }
  function has(list, word) { return (" " + list + " ").indexOf(" " + word + " ") >= 0; }
  // The window an element belongs to: itself or its nearest ancestor with one.
  function win(el) { return el.closest(W); }
  function outer(el, root) { var up = el.parentNode.closest(W); return !up || !root.contains(up); }

  // 1. The state of every window: upcoming, current or past (end excluded).
  all(W).forEach(function (el) {
    var s = time(el, "data-now-start"), e = time(el, "data-now-end");
    el.setAttribute("data-now", now < s ? "upcoming" : now >= e ? "past" : "current");
  });
  // 2. What shows in which state.
  all("[data-now-show]").forEach(function (el) {
    var w = win(el);
    if (w) el.hidden = !has(el.getAttribute("data-now-show"), w.getAttribute("data-now"));
  });
  // 3. Days left until the end, today included.
  all("[data-now-days]").forEach(function (el) {
    var w = win(el), e = w ? time(w, "data-now-end") : NaN;
    if (w && w.getAttribute("data-now") === "current" && e > now) el.textContent = String(Math.ceil((e - now) / 864e5));
  });
  // 4. Items that are over move to their archive.
  all("[data-now-to]").forEach(function (el) {
    var to = doc.getElementById(el.getAttribute("data-now-to"));
    if (to && el.getAttribute("data-now") === "past" && el.parentNode !== to) to.insertBefore(el, to.firstChild);
  });
  // 5. Lists hide their items in the states named; a list left empty hides.
  all("[data-now-list]").forEach(function (list) {
    var off = list.getAttribute("data-now-list"), left = 0;
    all(W, list).forEach(function (el) {
      if (!outer(el, list)) return;
      el.hidden = has(off, el.getAttribute("data-now"));
      if (!el.hidden) left++;
    });
    list.hidden = !left;
  });
  // 6. Groups show when they hold an item.
  all("[data-now-group]").forEach(function (g) { g.hidden = !g.querySelector(W); });

  // WeChat's in-app browser often cannot download files: say how to open
  // the page in the system browser, next to every download.
  if (!/MicroMessenger/i.test(navigator.userAgent)) return;
  all("[data-wechat-hint]").forEach(function (el) { el.hidden = false; });
  var text = script && script.getAttribute("data-wechat"), done = [];
  if (!text) return;
  all('a[download],a[href$=".ics"],a[href$=".csv"],[data-download]').forEach(function (a) {
    if (a.closest("[hidden]")) return;
    var li = a.closest("li"), at = a.closest("[data-downloads]") || (li ? li.parentNode : a);
    if (done.indexOf(at) >= 0) return;
    done.push(at);
    var hint = doc.createElement("span");
    hint.className = "wechat-hint";
    hint.textContent = text;
    at.parentNode.insertBefore(hint, at.nextSibling);
  });
})();
