/* zhibu learning: quizzes graded in the browser, reading progress, study
 * points and 我的学习. Everything stays in this browser's localStorage under
 * a key specific to the site's base_url; nothing is ever sent anywhere.
 * No dependencies, no inline scripts (works under a strict CSP). */
(function () {
  "use strict";

  var doc = document;
  var siteMeta = doc.querySelector('meta[name="zhibu-site"]');
  var SITE = siteMeta ? siteMeta.getAttribute("content") : location.origin + "/";
  var KEY = "zhibu:v1:" + SITE;
  var VERSION = 1;
  var READ_DELAY = 3000; // ms a lesson's end must have been reachable before it counts as read

  function $(sel, root) { return (root || doc).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || doc).querySelectorAll(sel)); }
  function now() { return new Date().toISOString(); }
  function text(el, s) { if (el) el.textContent = s; }

  /* ---------- storage ---------- */

  function empty() { return { version: VERSION, site: SITE, lessons: {}, quizzes: {} }; }

  var storageOk = true;
  function load() {
    try {
      var raw = localStorage.getItem(KEY);
      if (!raw) return empty();
      var r = JSON.parse(raw);
      return valid(r) ? r : empty();
    } catch (e) {
      storageOk = false;
      return empty();
    }
  }
  function save(r) {
    try { localStorage.setItem(KEY, JSON.stringify(r)); return true; } catch (e) { storageOk = false; return false; }
  }
  function isObj(x) { return x !== null && typeof x === "object" && !Array.isArray(x); }
  // A record is ours: right version, this site, well-formed entries.
  function valid(r) {
    if (!isObj(r) || r.version !== VERSION || !isObj(r.lessons) || !isObj(r.quizzes)) return false;
    var k;
    for (k in r.lessons) {
      if (!isObj(r.lessons[k]) || typeof r.lessons[k].read !== "string") return false;
    }
    for (k in r.quizzes) {
      var q = r.quizzes[k];
      if (!isObj(q) || typeof q.best !== "number" || q.best < 0 || q.best > 100 || typeof q.attempts !== "number" || typeof q.passed !== "boolean") return false;
    }
    return true;
  }

  /* ---------- hashing, same as src/render/quiz_view.rs ---------- */

  function lane(s, seed) {
    var h = (0x811c9dc5 ^ seed) >>> 0;
    for (var i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return ("0000000" + (h >>> 0).toString(16)).slice(-8);
  }
  function hash(s) { return lane(s, 0x9e3779b9) + lane(s, 0x7f4a7c15); }

  // Full-width to half-width, no whitespace, lower case, no trailing punctuation.
  function normalize(s) {
    var out = "";
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c === 0x3000) c = 32;
      else if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
      var ch = String.fromCharCode(c);
      if (!/\s/.test(ch)) out += ch.toLowerCase();
    }
    return out.replace(/[。.，,！!？?；;、]+$/, "");
  }

  function unmask(salt, n, b64) {
    try {
      var bin = atob(b64), bytes = new Uint8Array(bin.length), ks = [], i = 0;
      while (ks.length < bytes.length) {
        var h = hash(salt + "|" + n + "|k" + i++);
        for (var j = 0; j < 16; j += 2) ks.push(parseInt(h.substr(j, 2), 16));
      }
      for (i = 0; i < bytes.length; i++) bytes[i] = bin.charCodeAt(i) ^ ks[i];
      return new TextDecoder("utf-8").decode(bytes);
    } catch (e) {
      return "";
    }
  }

  /* ---------- quizzes ---------- */

  function shuffleOptions(q) {
    var list = $(".options", q);
    if (!list) return;
    var items = $all("li", list);
    for (var i = items.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var t = items[i]; items[i] = items[j]; items[j] = t;
    }
    items.forEach(function (li, k) {
      list.appendChild(li);
      var letter = $(".opt-letter", li);
      if (letter) letter.textContent = String.fromCharCode(65 + k) + ".";
    });
  }

  // What the reader chose, in the form that was hashed at build time.
  function answerOf(q) {
    var kind = q.getAttribute("data-kind");
    if (kind === "fill") {
      var input = $("input", q);
      return input ? normalize(input.value) : "";
    }
    var chosen = $all("input:checked", q).map(function (i) { return i.value; });
    if (kind === "multiple") return chosen.sort().join("");
    return chosen[0] || "";
  }

  // The option values whose hash is one of the accepted answers (the
  // answer is found only after the reader has submitted).
  function correctValues(q, salt, n, hashes) {
    var kind = q.getAttribute("data-kind");
    var values = $all("input", q).map(function (i) { return i.value; });
    var ok = function (s) { return hashes.indexOf(hash(salt + "|" + n + "|" + s)) >= 0; };
    if (kind === "multiple") {
      values.sort();
      for (var m = 1; m < (1 << values.length) && values.length <= 12; m++) {
        var pick = values.filter(function (v, i) { return m & (1 << i); });
        if (ok(pick.join(""))) return pick;
      }
      return [];
    }
    return values.filter(ok);
  }

  // "B. 一年" / "A、C" / "对" as the reader sees the options now.
  function answerText(q, values) {
    var parts = [];
    $all(".options li", q).forEach(function (li, k) {
      var input = $("input", li);
      var right = values.indexOf(input.value) >= 0;
      li.classList.toggle("is-answer", right);
      if (!right) return;
      var label = $("label", li).textContent.replace(/^\s*[A-Z]+\.\s*/, "");
      parts.push(q.getAttribute("data-kind") === "judge" ? label : String.fromCharCode(65 + k) + (values.length === 1 ? ". " + label : ""));
    });
    return parts.join("、");
  }

  function initQuiz(form) {
    var salt = form.getAttribute("data-salt");
    var pass = parseInt(form.getAttribute("data-pass"), 10) || 60;
    var shuffle = form.hasAttribute("data-shuffle");
    var questions = $all(".question", form);
    var actions = $(".quiz-actions", form);
    var retry = $(".quiz-retry", form);
    var submit = $('button[type="submit"]', form);
    var result = $(".quiz-result", form);
    if (actions) actions.hidden = false;
    if (shuffle) questions.forEach(shuffleOptions);

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var right = 0, firstWrong = null;
      questions.forEach(function (q) {
        var n = q.getAttribute("data-n");
        var given = answerOf(q);
        var hashes = (q.getAttribute("data-hashes") || "").split(" ");
        var ok = given !== "" && hashes.indexOf(hash(salt + "|" + n + "|" + given)) >= 0;
        if (ok) right++; else if (!firstWrong) firstWrong = q;
        q.classList.remove("is-right", "is-wrong");
        q.classList.add(ok ? "is-right" : "is-wrong");
        var kind = q.getAttribute("data-kind");
        var answer = kind === "fill"
          ? unmask(salt, n, q.getAttribute("data-reveal") || "")
          : answerText(q, correctValues(q, salt, n, hashes));
        var fb = $(".feedback", q);
        if (fb) {
          fb.hidden = false;
          fb.textContent = ok ? "✓ 回答正确" : (given === "" ? "✗ 未作答。" : "✗ 回答错误。") + "正确答案：" + answer;
        }
        var ex = $(".explain", q);
        if (ex) ex.hidden = false;
        $all("input", q).forEach(function (i) { i.disabled = true; });
      });
      var score = Math.round(right * 100 / questions.length);
      var passed = score >= pass;
      result.className = "quiz-result " + (passed ? "passed" : "failed");
      result.innerHTML = "";
      var strong = doc.createElement("span");
      strong.className = "score";
      strong.textContent = score + " 分";
      result.appendChild(strong);
      result.appendChild(doc.createTextNode("（答对 " + right + "/" + questions.length + " 题）" +
        (passed ? "，已及格。" : "，未及格（" + pass + " 分及格），看看解析再试一次。")));
      var best = record(form, score, passed);
      if (best !== null) result.appendChild(doc.createTextNode(" 最好成绩 " + best + " 分。"));
      submit.hidden = true;
      retry.hidden = false;
      retry.focus();
      if (firstWrong) firstWrong.setAttribute("tabindex", "-1");
    });

    retry.addEventListener("click", function () {
      form.reset();
      questions.forEach(function (q) {
        q.classList.remove("is-right", "is-wrong");
        $all(".options li", q).forEach(function (li) { li.classList.remove("is-answer"); });
        $all("input", q).forEach(function (i) { i.disabled = false; });
        var fb = $(".feedback", q); if (fb) fb.hidden = true;
        var ex = $(".explain", q); if (ex) ex.hidden = true;
        if (shuffle) shuffleOptions(q);
      });
      result.textContent = "";
      result.className = "quiz-result";
      retry.hidden = true;
      submit.hidden = false;
      var first = $("input", form);
      if (first) first.focus();
    });
  }

  function record(form, score, passed) {
    var r = load();
    var key = form.getAttribute("data-key");
    var q = r.quizzes[key] || { attempts: 0, best: 0, passed: false };
    q.title = form.getAttribute("data-title") || key;
    q.attempts += 1;
    q.last = score;
    q.best = Math.max(q.best, score);
    q.date = now();
    if (passed && !q.passed) q.passedAt = q.date;
    q.passed = q.passed || passed;
    q.perfect = q.perfect || score === 100;
    r.quizzes[key] = q;
    return save(r) ? q.best : null;
  }

  /* ---------- reading progress ---------- */

  function markRead(article) {
    var r = load();
    var key = article.getAttribute("data-key");
    if (!r.lessons[key]) {
      r.lessons[key] = { title: article.getAttribute("data-title") || key, read: now() };
      save(r);
    }
    showProgress();
  }

  function watchReading(article) {
    var marker = $(".read-marker", article);
    if (!marker) return;
    var opened = Date.now(), done = false, timer = null;
    function check() {
      if (done) return;
      var rect = marker.getBoundingClientRect();
      if (rect.top > (window.innerHeight || doc.documentElement.clientHeight)) return;
      var wait = READ_DELAY - (Date.now() - opened);
      if (wait > 0) {
        if (!timer) timer = setTimeout(function () { timer = null; check(); }, wait);
        return;
      }
      done = true;
      window.removeEventListener("scroll", check);
      markRead(article);
    }
    window.addEventListener("scroll", check, { passive: true });
    check();
  }

  function showProgress() {
    var r = load();
    $all(".read-state").forEach(function (el) {
      var a = el.closest("[data-key]");
      el.hidden = !(a && r.lessons[a.getAttribute("data-key")]);
    });
    $all("li[data-key]").forEach(function (li) {
      var mark = $(".done-mark", li);
      if (mark) mark.hidden = !r.lessons[li.getAttribute("data-key")];
    });
    $all("[data-keys]").forEach(function (el) {
      var keys = (el.getAttribute("data-keys") || "").split(" ").filter(Boolean);
      var p = $(".course-progress", el) || (el.classList.contains("course") ? $(".course-progress") : null);
      if (!p || !keys.length) return;
      var read = keys.filter(function (k) { return r.lessons[k]; }).length;
      p.hidden = false;
      $(".bar-fill", p).style.width = Math.round(read * 100 / keys.length) + "%";
      text($(".bar-text", p), "已学 " + read + "/" + keys.length + " 课");
    });
    // the course box on a lesson page
    $all(".course-nav").forEach(function (nav) {
      var keys = $all("li[data-key]", nav).map(function (li) { return li.getAttribute("data-key"); });
      var p = $(".course-progress", nav);
      if (!p || !keys.length) return;
      var read = keys.filter(function (k) { return r.lessons[k]; }).length;
      p.hidden = false;
      $(".bar-fill", p).style.width = Math.round(read * 100 / keys.length) + "%";
      text($(".bar-text", p), "已学 " + read + "/" + keys.length + " 课");
    });
  }

  /* ---------- 我的学习 ---------- */

  function points(r, rules, courses) {
    var lessons = Object.keys(r.lessons).length;
    var passed = 0, perfect = 0;
    Object.keys(r.quizzes).forEach(function (k) {
      if (r.quizzes[k].passed) passed++;
      if (r.quizzes[k].perfect) perfect++;
    });
    var completed = courses.filter(function (c) {
      return c.keys.length && c.keys.every(function (k) { return r.lessons[k]; });
    }).length;
    return {
      lessons: lessons, passed: passed, perfect: perfect, completed: completed,
      total: lessons * rules.lesson_read + passed * rules.quiz_passed + perfect * rules.quiz_perfect + completed * rules.course_completed
    };
  }

  function el(tag, cls, txt) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (txt !== undefined) e.textContent = txt;
    return e;
  }

  function dateText(iso) {
    var d = new Date(iso);
    return isNaN(d) ? "" : d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日";
  }

  function initMe(root) {
    var rules;
    try { rules = JSON.parse(root.getAttribute("data-points")); } catch (e) { rules = { lesson_read: 2, quiz_passed: 5, quiz_perfect: 3, course_completed: 10 }; }
    var courses = $all("li[data-keys]", root).map(function (li) {
      return { name: $("a", li).textContent, keys: li.getAttribute("data-keys").split(" ").filter(Boolean) };
    });
    var panel = el("div", "me-panel");
    root.insertBefore(panel, root.firstChild);

    function render(message, isError) {
      var r = load();
      var p = points(r, rules, courses);
      panel.innerHTML = "";
      if (!storageOk) panel.appendChild(el("p", "note", "这个浏览器不允许保存数据（可能处于无痕模式），学习记录无法保留。"));
      var summary = el("section", "me-summary");
      summary.setAttribute("aria-labelledby", "h-me-points");
      var h = el("h2", "", "学习积分"); h.id = "h-me-points";
      summary.appendChild(h);
      var big = el("p", "me-points");
      big.appendChild(el("strong", "", String(p.total)));
      big.appendChild(doc.createTextNode(" 分"));
      summary.appendChild(big);
      var ul = el("ul", "me-breakdown");
      [["读完课程", p.lessons, rules.lesson_read, "课"], ["通过测验", p.passed, rules.quiz_passed, "次"],
       ["满分测验", p.perfect, rules.quiz_perfect, "次"], ["学完系列课程", p.completed, rules.course_completed, "门"]].forEach(function (row) {
        ul.appendChild(el("li", "", row[0] + " " + row[1] + " " + row[3] + " × " + row[2] + " 分 = " + row[1] * row[2] + " 分"));
      });
      summary.appendChild(ul);
      panel.appendChild(summary);

      var qs = el("section", "me-quizzes");
      var hq = el("h2", "", "测验成绩"); hq.id = "h-me-quizzes";
      qs.setAttribute("aria-labelledby", "h-me-quizzes");
      qs.appendChild(hq);
      var keys = Object.keys(r.quizzes).sort();
      if (!keys.length) qs.appendChild(el("p", "", "还没有做过测验。去“学习课程”里做一套吧。"));
      else {
        var wrap = el("div", "table-wrap"), table = el("table", "me-quiz-table");
        var head = el("thead"), tr = el("tr");
        ["测验", "最好成绩", "次数", "结果", "日期"].forEach(function (t) { var th = el("th", "", t); th.scope = "col"; tr.appendChild(th); });
        head.appendChild(tr); table.appendChild(head);
        var body = el("tbody");
        keys.forEach(function (k) {
          var q = r.quizzes[k], row = el("tr");
          var th = el("th"); th.scope = "row";
          var a = el("a", "", q.title || k); a.href = SITE.replace(/^https?:\/\/[^/]+/, "") + k;
          th.appendChild(a); row.appendChild(th);
          row.appendChild(el("td", "", q.best + " 分"));
          row.appendChild(el("td", "", String(q.attempts)));
          row.appendChild(el("td", q.passed ? "ok" : "bad", q.passed ? "已通过" : "未通过"));
          row.appendChild(el("td", "", dateText(q.passedAt || q.date)));
          body.appendChild(row);
        });
        table.appendChild(body); wrap.appendChild(table); qs.appendChild(wrap);
      }
      panel.appendChild(qs);

      var tools = el("section", "me-tools");
      var ht = el("h2", "", "保存与迁移"); ht.id = "h-me-tools";
      tools.setAttribute("aria-labelledby", "h-me-tools");
      tools.appendChild(ht);
      tools.appendChild(el("p", "muted", "记录只在这台设备上。换手机或电脑前先导出，再在新设备的这个页面导入。"));
      var row2 = el("p", "me-buttons");
      var bPrint = el("button", "btn btn-primary", "打印学习记录"); bPrint.type = "button";
      var bExport = el("button", "btn", "导出记录"); bExport.type = "button";
      var label = el("label", "btn", "导入记录"); label.setAttribute("for", "me-import");
      var file = el("input", "visually-hidden"); file.type = "file"; file.id = "me-import"; file.accept = "application/json,.json";
      var bReset = el("button", "btn", "清空记录"); bReset.type = "button";
      [bPrint, bExport, label, file, bReset].forEach(function (b) { row2.appendChild(b); row2.appendChild(doc.createTextNode(" ")); });
      tools.appendChild(row2);
      var status = el("p", "me-status" + (isError ? " bad" : ""), message || "");
      status.setAttribute("role", isError ? "alert" : "status");
      tools.appendChild(status);
      panel.appendChild(tools);

      var printed = el("p", "print-only", "打印时间：" + dateText(now()) + "。本记录由读者浏览器生成，仅供支部参考。");
      panel.appendChild(printed);

      bPrint.addEventListener("click", function () { window.print(); });
      bExport.addEventListener("click", function () {
        var blob = new Blob([JSON.stringify(load(), null, 2)], { type: "application/json" });
        var a = el("a"); a.href = URL.createObjectURL(blob);
        a.download = "zhibu-study-record-" + new Date().toISOString().slice(0, 10) + ".json";
        doc.body.appendChild(a); a.click(); a.remove();
        setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
        text(status, "已导出。把文件保存好，在另一台设备上导入即可。");
      });
      file.addEventListener("change", function () {
        var f = file.files && file.files[0];
        if (!f) return;
        var reader = new FileReader();
        reader.onload = function () { importRecord(String(reader.result)); };
        reader.onerror = function () { render("读不出这个文件，现有记录没有改变。", true); };
        reader.readAsText(f);
      });
      bReset.addEventListener("click", function () {
        if (window.confirm("确定要清空这台设备上的全部学习记录吗？清空后无法恢复，建议先导出。")) {
          try { localStorage.removeItem(KEY); } catch (e) { /* nothing stored */ }
          render("学习记录已清空。");
        }
      });
      showProgress();
    }

    function importRecord(raw) {
      var r;
      try { r = JSON.parse(raw); } catch (e) { render("导入失败：这个文件不是有效的学习记录（无法解析），现有记录没有改变。", true); return; }
      if (!isObj(r) || r.version !== VERSION || !valid(r)) { render("导入失败：文件格式不对，不是 zhibu 导出的学习记录，现有记录没有改变。", true); return; }
      if (r.site !== SITE) { render("导入失败：这份记录来自另一个网站（" + String(r.site) + "），现有记录没有改变。", true); return; }
      // Merge: keep the better of both.
      var cur = load();
      Object.keys(r.lessons).forEach(function (k) {
        if (!cur.lessons[k] || r.lessons[k].read < cur.lessons[k].read) cur.lessons[k] = r.lessons[k];
      });
      Object.keys(r.quizzes).forEach(function (k) {
        var a = cur.quizzes[k], b = r.quizzes[k];
        if (!a) { cur.quizzes[k] = b; return; }
        a.attempts += b.attempts; a.best = Math.max(a.best, b.best);
        a.passed = a.passed || b.passed; a.perfect = a.perfect || b.perfect;
        if (b.passedAt && (!a.passedAt || b.passedAt < a.passedAt)) a.passedAt = b.passedAt;
      });
      render(save(cur) ? "导入成功：已合并 " + Object.keys(r.lessons).length + " 课学习记录和 " + Object.keys(r.quizzes).length + " 次测验成绩。" : "导入失败：浏览器不允许保存数据。", !storageOk);
    }

    render();
  }

  /* ---------- start ---------- */

  $all("form.quiz-form").forEach(initQuiz);
  $all("article.lesson[data-key]").forEach(watchReading);
  var me = doc.getElementById("me");
  if (me) initMe(me);
  showProgress();
})();
