/* zhibu serve: reloads the page when the site is rebuilt (keeping the
 * scroll position) and shows build errors over the page until they are
 * fixed. Served by `zhibu serve` only; never part of a built site. */
(function () {
  "use strict";
  var KEY = "zhibu-scroll:" + location.pathname;
  try {
    var saved = sessionStorage.getItem(KEY);
    if (saved !== null) {
      sessionStorage.removeItem(KEY);
      var y = parseInt(saved, 10);
      var restore = function () { window.scrollTo(0, y); };
      if (document.readyState === "complete") restore(); else window.addEventListener("load", restore);
    }
  } catch (e) { /* storage unavailable: reload without keeping the position */ }

  var overlay = null;
  function show(errors) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "zhibu-errors";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;left:0;right:0;top:0;max-height:70vh;overflow:auto;z-index:2147483647;" +
        "background:#fff;color:#1f1f1f;border-bottom:4px solid #b3121d;box-shadow:0 4px 16px rgba(0,0,0,.3);" +
        "padding:12px 16px;font:15px/1.6 system-ui,-apple-system,'PingFang SC','Microsoft YaHei',sans-serif";
      document.body.appendChild(overlay);
    }
    overlay.innerHTML = "";
    var h = document.createElement("strong");
    h.style.color = "#b3121d";
    h.textContent = "zhibu：生成失败，共 " + errors.length + " 个错误（改正后页面会自动刷新）";
    overlay.appendChild(h);
    var ul = document.createElement("ul");
    ul.style.cssText = "margin:8px 0 0;padding-left:1.2em";
    errors.forEach(function (e) {
      var li = document.createElement("li");
      var where = document.createElement("code");
      where.textContent = e.file + (e.line ? ":" + e.line + (e.col ? ":" + e.col : "") : "");
      li.appendChild(where);
      li.appendChild(document.createTextNode(" " + e.message));
      if (e.hint) {
        var hint = document.createElement("div");
        hint.style.color = "#5c5c5c";
        hint.textContent = "提示：" + e.hint;
        li.appendChild(hint);
      }
      ul.appendChild(li);
    });
    overlay.appendChild(ul);
  }

  if (!window.EventSource) return;
  var es = new EventSource("/__zhibu/events");
  es.addEventListener("reload", function () {
    try { sessionStorage.setItem(KEY, String(window.scrollY || window.pageYOffset || 0)); } catch (e) { /* see above */ }
    location.reload();
  });
  es.addEventListener("errors", function (ev) {
    var errors = [];
    try { errors = JSON.parse(ev.data); } catch (e) { errors = [{ file: "", message: String(ev.data) }]; }
    if (document.body) show(errors); else document.addEventListener("DOMContentLoaded", function () { show(errors); });
  });
})();
