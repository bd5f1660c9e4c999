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

  function empty() { return { version: VERSION, site: SITE, name: "", lessons: {}, quizzes: {}, tasks: {} }; }

  var storageOk = true;
  function load() {
    try {
      var raw = localStorage.getItem(KEY);
      var r = raw ? JSON.parse(raw) : null;
      if (!valid(r)) return empty();
      r.tasks = r.tasks || {};
      r.name = r.name || "";
      return r;
    } catch (e) {
      storageOk = false;
      return empty();
    }
  }
  function save(r) {
    try { localStorage.setItem(KEY, JSON.stringify(r)); return true; } catch (e) { storageOk = false; return false; }
  }
  function isObj(x) { return x !== null && typeof x === "object" && !Array.isArray(x); }
  function each(o, f) { Object.keys(o || {}).forEach(function (k) { f(k, o[k]); }); }
  // A record is ours: right version, well-formed entries (name and tasks
  // came later: records exported before them are still valid).
  function valid(r) {
    if (!isObj(r) || r.version !== VERSION || !isObj(r.lessons) || !isObj(r.quizzes)) return false;
    if (r.name !== undefined && typeof r.name !== "string") return false;
    if (r.tasks !== undefined && !isObj(r.tasks)) return false;
    var ok = true;
    each(r.lessons, function (k, l) { ok = ok && isObj(l) && typeof l.read === "string"; });
    each(r.tasks, function (k, t) { ok = ok && isObj(t) && typeof t.done === "string"; });
    each(r.quizzes, function (k, q) {
      ok = ok && isObj(q) && typeof q.best === "number" && q.best >= 0 && q.best <= 100 && typeof q.attempts === "number" && typeof q.passed === "boolean";
    });
    return ok;
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
      // A test with no text to read (月度测评) is done when passed.
      var art = form.closest("article.lesson[data-key]");
      if (passed && art && !$(".read-marker", art)) markRead(art);
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
      if (p && keys.length) setBar(p, keys.filter(function (k) { return r.lessons[k]; }).length, keys.length, "已学", "课");
    });
    // the course box on a lesson page
    $all(".course-nav").forEach(function (nav) {
      var keys = $all("li[data-key]", nav).map(function (li) { return li.getAttribute("data-key"); });
      if (keys.length) setBar($(".course-progress", nav), keys.filter(function (k) { return r.lessons[k]; }).length, keys.length, "已学", "课");
    });
    showPlans();
  }

  /* ---------- study plans ---------- */

  // When an item was done for this reader, or "" (data-done: quiz, read,
  // course, mark; see docs/learning.md).
  function doneAt(r, li) {
    var k = li.getAttribute("data-key"), how = li.getAttribute("data-done"), q = r.quizzes[k];
    if (how === "quiz") return q && q.passed ? q.passedAt || q.date || "" : "";
    if (how === "read") return r.lessons[k] ? r.lessons[k].read : "";
    if (how === "course") {
      var last = "", keys = (li.getAttribute("data-keys") || "").split(" ").filter(Boolean);
      for (var i = 0; i < keys.length; i++) {
        var l = r.lessons[keys[i]];
        if (!l) return "";
        if (l.read > last) last = l.read;
      }
      return last;
    }
    return r.tasks[k] ? r.tasks[k].done : "";
  }

  function shortDate(iso) {
    var d = new Date(iso);
    return isNaN(d) ? "" : d.getMonth() + 1 + "月" + d.getDate() + "日";
  }

  function setBar(p, n, total, label, unit) {
    if (!p) return;
    p.hidden = false;
    $(".bar-fill", p).style.width = (total ? Math.round(n * 100 / total) : 0) + "%";
    text($(".bar-text", p), label + " " + n + "/" + total + " " + unit);
  }

  // Which plans and items are current or late is now.js's (docs/time.md):
  // it ran first and set data-now on each window; the built state is kept
  // when it did not. What this reader has done is known only here.
  function showPlans() {
    var r = load();
    $all(".plan-box").forEach(function (box) {
      var done = 0, req = 0;
      $all(".plan-item", box).forEach(function (li) {
        var at = doneAt(r, li), opt = li.hasAttribute("data-optional");
        var late = !at && li.getAttribute("data-now") === "past";
        if (!opt) { req++; if (at) done++; }
        li.classList.toggle("is-done", !!at);
        li.classList.toggle("is-overdue", late && !opt);
        var st = $(".item-state", li);
        st.className = "item-state" + (at ? " ok" : late && !opt ? " bad" : "");
        st.textContent = at ? "✓ 已完成 " + shortDate(at) : late ? (opt ? "已截止" : "已逾期") : "未完成";
        if (li.getAttribute("data-done") === "mark") markButton(li, !!at);
      });
      setBar($(".plan-progress", box), done, req, "已完成", "项");
    });
  }

  // Items only the reader can know about (an activity attended, a page
  // read): a button to mark them done, or to take the mark back.
  function markButton(li, isDone) {
    var b = $("button.mark", li);
    if (!b) {
      b = el("button", "btn btn-small mark");
      b.type = "button";
      li.appendChild(b);
      b.addEventListener("click", function () {
        var r = load(), k = li.getAttribute("data-key");
        if (r.tasks[k]) delete r.tasks[k];
        else r.tasks[k] = { title: $("a", li).textContent, done: now() };
        save(r);
        showPlans();
      });
    }
    b.textContent = isDone ? "撤销标记" : "标记为已完成";
  }

  /* ---------- 学习记录码: text to paste into a chat ---------- */

  var CRC = [];
  for (var n = 0; n < 256; n++) {
    var c = n;
    for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    CRC[n] = c >>> 0;
  }
  function crc32(s) {
    var x = -1;
    for (var i = 0; i < s.length; i++) x = CRC[(x ^ s.charCodeAt(i)) & 255] ^ (x >>> 8);
    return ("0000000" + ((x ^ -1) >>> 0).toString(16)).slice(-8);
  }
  function mins(iso) { return Math.floor(Date.parse(iso) / 60000) || 0; }
  function iso(m) { return new Date(m * 60000).toISOString(); }

  // ZHIBU1.<length>.<base64url of compact JSON>.<CRC-32 of what precedes>
  function toCode(r) {
    var c = { v: 1, s: SITE, n: r.name || "", e: mins(now()), l: {}, q: {}, t: {} };
    each(r.lessons, function (k, l) { c.l[k] = mins(l.read); });
    each(r.tasks, function (k, t) { c.t[k] = mins(t.done); });
    each(r.quizzes, function (k, q) {
      c.q[k] = [q.best, q.attempts, (q.passed ? 1 : 0) | (q.perfect ? 2 : 0), mins(q.passedAt || q.date), q.last === undefined ? q.best : q.last];
    });
    var bytes = new TextEncoder().encode(JSON.stringify(c)), bin = "";
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    var body = btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    var head = "ZHIBU1." + body.length + "." + body;
    return head + "." + crc32(head);
  }

  // Every code in a pasted text, each a record or an error message. A chat
  // app may break a code with spaces or line breaks: they are ignored.
  function fromCodes(pasted, titles) {
    var flat = pasted.replace(/[\s\u200b-\u200d\ufeff]+/g, "").replace(/[。．]/g, "."), re = /ZHIBU1\.(\d+)\./gi, m, out = [];
    while ((m = re.exec(flat))) {
      var n = +m[1], body = flat.substr(re.lastIndex, n), sum = flat.substr(re.lastIndex + n, 9);
      if (!/^[\w-]*$/.test(body) || body.length < n || !/^\.[0-9a-f]{8}$/i.test(sum)) { out.push("学习记录码不完整（可能只复制了一部分）"); continue; }
      if (crc32("ZHIBU1." + n + "." + body) !== sum.slice(1).toLowerCase()) { out.push("学习记录码已损坏（校验不符），请重新复制"); continue; }
      re.lastIndex += n + 9;
      try {
        var bin = atob(body.replace(/-/g, "+").replace(/_/g, "/")), bytes = new Uint8Array(bin.length);
        for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        var c = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
        var r = { version: c.v, site: c.s, name: c.n, lessons: {}, quizzes: {}, tasks: {} };
        each(c.l, function (k, t) { r.lessons[k] = { title: titles[k] || k, read: iso(t) }; });
        each(c.t, function (k, t) { r.tasks[k] = { title: k, done: iso(t) }; });
        each(c.q, function (k, a) {
          r.quizzes[k] = { title: titles[k] || k, best: a[0], attempts: a[1], passed: !!(a[2] & 1), perfect: !!(a[2] & 2), date: iso(a[3]), last: a[4] };
          if (a[2] & 1) r.quizzes[k].passedAt = iso(a[3]);
        });
        out.push(valid(r) ? r : "学习记录码的内容无法识别");
      } catch (e) {
        out.push("学习记录码的内容无法识别");
      }
    }
    return out;
  }

  /* ---------- 我的学习 ---------- */

  function points(r, rules, courses) {
    var lessons = Object.keys(r.lessons).length;
    var passed = 0, perfect = 0, months = {};
    function add(at, n) {
      var d = new Date(at);
      if (!n || isNaN(d)) return;
      var m = d.getFullYear() + "-" + (d.getMonth() < 9 ? "0" : "") + (d.getMonth() + 1);
      months[m] = (months[m] || 0) + n;
    }
    each(r.lessons, function (k, l) { add(l.read, rules.lesson_read); });
    each(r.quizzes, function (k, q) {
      if (q.passed) passed++;
      if (q.perfect) perfect++;
      add(q.passedAt || q.date, (q.passed ? rules.quiz_passed : 0) + (q.perfect ? rules.quiz_perfect : 0));
    });
    var completed = 0;
    courses.forEach(function (c) {
      var last = "";
      if (!c.keys.length || !c.keys.every(function (k) { if (r.lessons[k] && r.lessons[k].read > last) last = r.lessons[k].read; return r.lessons[k]; })) return;
      completed++;
      add(last, rules.course_completed);
    });
    return {
      lessons: lessons, passed: passed, perfect: perfect, completed: completed, months: months,
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

  function table(cls, heads, rows) {
    var wrap = el("div", "table-wrap"), t = el("table", cls), tr = el("tr"), body = el("tbody");
    heads.forEach(function (h) { var th = el("th", "", h); th.scope = "col"; tr.appendChild(th); });
    t.appendChild(el("thead")).appendChild(tr);
    rows.forEach(function (row) {
      var r = body.appendChild(el("tr", row.cls));
      row.cells.forEach(function (c, i) {
        var cell = r.appendChild(el(i ? "td" : "th", c.cls));
        if (!i) cell.scope = "row";
        if (c.node) cell.appendChild(c.node); else cell.textContent = c.text;
      });
    });
    t.appendChild(body);
    wrap.appendChild(t);
    return wrap;
  }

  function section(cls, id, title) {
    var s = el("section", cls), h = el("h2", "", title);
    h.id = id;
    s.setAttribute("aria-labelledby", id);
    s.appendChild(h);
    return s;
  }

  function initMe(root) {
    var rules;
    try { rules = JSON.parse(root.getAttribute("data-points")); } catch (e) { rules = { lesson_read: 2, quiz_passed: 5, quiz_perfect: 3, course_completed: 10 }; }
    var courses = $all(".me-courses li[data-keys]", root).map(function (li) {
      return { keys: li.getAttribute("data-keys").split(" ").filter(Boolean) };
    });
    var titles = {};
    $all(".me-titles li", root).forEach(function (li) { titles[li.getAttribute("data-k")] = li.textContent; });
    // A site's own me.html may lack some of these: what is missing is left out.
    var who = $(".me-who", root), status = $(".me-status", root) || el("p");
    var name = $("#me-name", root) || el("input"), file = $("#me-import", root), codeOut = $("#me-code-out", root), codeIn = $("#me-code-in", root);
    $all(".me-who, .me-tools", root).forEach(function (e) { e.hidden = false; });
    var panel = el("div", "me-panel");
    root.insertBefore(panel, who ? who.nextSibling : root.firstChild);
    function on(id, f) { var b = doc.getElementById(id); if (b) b.addEventListener(b.type === "file" ? "change" : "click", f); }

    function say(message, isError) {
      status.className = "me-status" + (isError ? " bad" : "");
      status.setAttribute("role", isError ? "alert" : "status");
      text(status, message || "");
    }

    function render() {
      var r = load();
      var p = points(r, rules, courses);
      name.value = r.name;
      panel.innerHTML = "";
      if (!storageOk) panel.appendChild(el("p", "note", "这个浏览器不允许保存数据（可能处于无痕模式），学习记录无法保留。"));
      var summary = section("me-summary", "h-me-points", "学习积分");
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
      // by year, then its months, newest first
      var rows = [], year = "";
      Object.keys(p.months).sort().reverse().forEach(function (m) {
        var y = m.slice(0, 4);
        if (y !== year) {
          year = y;
          var sum = 0;
          each(p.months, function (k, v) { if (k.slice(0, 4) === y) sum += v; });
          rows.push({ cls: "year", cells: [{ text: y + " 年" }, { text: sum + " 分" }] });
        }
        rows.push({ cells: [{ text: y + " 年 " + +m.slice(5) + " 月" }, { text: p.months[m] + " 分" }] });
      });
      if (rows.length) summary.appendChild(table("me-month-table", ["按年、按月", "积分"], rows));
      panel.appendChild(summary);

      var qs = section("me-quizzes", "h-me-quizzes", "测验成绩");
      var keys = Object.keys(r.quizzes).sort();
      if (!keys.length) qs.appendChild(el("p", "", "还没有做过测验。去“学习课程”里做一套吧。"));
      else qs.appendChild(table("me-quiz-table", ["测验", "最好成绩", "次数", "结果", "日期"], keys.map(function (k) {
        var q = r.quizzes[k], a = el("a", "", titles[k] || q.title || k);
        a.href = SITE.replace(/^https?:\/\/[^/]+/, "") + k;
        return { cells: [{ node: a }, { text: q.best + " 分" }, { text: String(q.attempts) }, { cls: q.passed ? "ok" : "bad", text: q.passed ? "已通过" : "未通过" }, { text: dateText(q.passedAt || q.date) }] };
      })));
      panel.appendChild(qs);
      panel.appendChild(el("p", "print-only", (r.name ? "姓名：" + r.name + "。" : "") + "打印时间：" + dateText(now()) + "。本记录由读者浏览器生成，仅供支部参考。"));
      showProgress();
    }

    // Merges records into this browser's: best scores, earliest dates.
    function merge(list, also) {
      var cur = load(), n = 0;
      list.forEach(function (r) {
        if (!cur.name && r.name) cur.name = r.name;
        each(r.lessons, function (k, l) { if (!cur.lessons[k] || l.read < cur.lessons[k].read) cur.lessons[k] = l; n++; });
        each(r.tasks, function (k, t) { if (!cur.tasks[k] || t.done < cur.tasks[k].done) cur.tasks[k] = t; });
        each(r.quizzes, function (k, b) {
          var a = cur.quizzes[k];
          n++;
          if (!a) { cur.quizzes[k] = b; return; }
          a.attempts += b.attempts; a.best = Math.max(a.best, b.best);
          a.passed = a.passed || b.passed; a.perfect = a.perfect || b.perfect;
          if (b.passedAt && (!a.passedAt || b.passedAt < a.passedAt)) a.passedAt = b.passedAt;
        });
      });
      var ok = save(cur);
      render();
      say(ok ? "导入成功：已合并 " + list.length + " 份记录（" + n + " 项学习和测验）。" + also : "导入失败：浏览器不允许保存数据。", !ok);
    }

    function importText(raw) {
      var r, codes;
      try { r = JSON.parse(raw); } catch (e) { r = null; }
      if (r === null) {
        codes = fromCodes(raw, titles);
        if (!codes.length) return say("导入失败：这不是有效的学习记录，也没有找到学习记录码，现有记录没有改变。", true);
      } else if (!valid(r)) {
        return say("导入失败：文件格式不对，不是 zhibu 导出的学习记录，现有记录没有改变。", true);
      } else codes = [r];
      // The good ones of this site are merged; the others are named.
      var ours = codes.filter(function (c) { return typeof c !== "string" && c.site === SITE; });
      var skipped = codes.filter(function (c) { return typeof c === "string" || c.site !== SITE; }).map(function (c) {
        return typeof c === "string" ? c : "这份记录来自另一个网站（" + String(c.site) + "）";
      });
      if (!ours.length) return say("导入失败：" + skipped[0] + "。现有记录没有改变。", true);
      merge(ours, skipped.length ? "另有 " + skipped.length + " 份没有导入：" + skipped.join("；") + "。" : "");
    }

    name.addEventListener("input", function () {
      var r = load();
      r.name = name.value.trim().slice(0, 40);
      save(r);
    });
    on("me-print", function () { window.print(); });
    on("me-export", function () {
      var r = load();
      r.exported = now();
      var blob = new Blob([JSON.stringify(r, null, 2)], { type: "application/json" });
      var a = el("a");
      a.href = URL.createObjectURL(blob);
      a.download = "学习记录-" + (r.name ? r.name.replace(/[\\/:*?"<>|\s]+/g, "") + "-" : "") + r.exported.slice(0, 10) + ".json";
      doc.body.appendChild(a); a.click(); a.remove();
      setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
      say("已导出。把文件保存好，在另一台设备上导入，或发给支部统计。");
    });
    on("me-copy", function () {
      var r = load();
      codeOut.value = "【学习记录码】" + (r.name || "未署名") + " " + dateText(now()) + "\n" + toCode(r);
      codeOut.parentNode.hidden = false;
      codeOut.focus();
      codeOut.select();
      var done = function () { say(r.name ? "已复制学习记录码，可以粘贴到微信里发给支部。" : "已复制。还没有填写姓名：支部会认不出这是谁的记录，建议先在上面填写姓名再复制。", !r.name); };
      var manual = function () { say("请长按上面的文字，全选后复制。"); };
      try {
        if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(codeOut.value).then(done, function () { (doc.execCommand("copy") ? done : manual)(); });
        else (doc.execCommand("copy") ? done : manual)();
      } catch (e) { manual(); }
    });
    on("me-import", function () {
      var f = file.files && file.files[0];
      if (!f) return;
      say("");
      var reader = new FileReader();
      reader.onload = function () { importText(String(reader.result)); file.value = ""; };
      reader.onerror = function () { say("读不出这个文件，现有记录没有改变。", true); };
      reader.readAsText(f);
    });
    on("me-code-import", function () {
      say("");
      if (codeIn.value.trim()) importText(codeIn.value);
    });
    on("me-reset", function () {
      if (window.confirm("确定要清空这台设备上的全部学习记录吗？清空后无法恢复，建议先导出。")) {
        try { localStorage.removeItem(KEY); } catch (e) { /* nothing stored */ }
        render();
        say("学习记录已清空。");
      }
    });
    render();
  }

  /* ---------- start ---------- */

  $all("form.quiz-form").forEach(initQuiz);
  $all("article.lesson[data-key]").forEach(watchReading);
  var me = doc.getElementById("me");
  if (me) initMe(me);
  showProgress();
})();
