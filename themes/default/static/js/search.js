/* zhibu search: Chinese full-text search in the browser over the sharded
 * index in search/ (see src/outputs/search/mod.rs for the format). A query
 * is normalised like the index (full-width to half-width, lower case,
 * traditional characters to simplified ones) and split like it: Latin and
 * digit runs whole, the words of `[search] synonyms` as their group, Chinese
 * runs by forward maximum matching over the index's own vocabulary, which
 * loads only the shards of the query's characters. A slip (民主平议) that
 * leaves characters without a word is forgiven by looking for words that
 * differ in one character; a Latin run that is no word is taken as a
 * prefix (dzx, dangzh). No dependencies, no inline scripts. */
(function () {
  "use strict";

  var doc = document;
  var form = doc.querySelector(".search-page-form");
  var input = doc.getElementById("search-q");
  var status = doc.getElementById("search-status");
  var list = doc.getElementById("search-results");
  if (!form || !input || !status || !list) return;

  var meta = doc.querySelector('meta[name="zhibu-site"]');
  var BASE = (meta ? meta.getAttribute("content") : "/").replace(/^[a-z]+:\/\/[^/]+/i, "") || "/";
  var ROOT = form.getAttribute("data-index") || BASE + "search/";
  var LOW = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef", HIGH = "ghijklmnopqrstuvwxyz0123456789-_", WEIGHT = LOW + HIGH;
  var PAGE = 10, CARRIED = 32, FOLD_FILES = 32, MAX_FUZZY = 50;

  var cache = {};
  function get(url, json) {
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (r) {
        if (r.status === 404) return json ? {} : "";
        if (!r.ok) throw new Error(r.status);
        return json ? r.json() : r.text();
      });
    }
    return cache[url];
  }
  var info = get(ROOT + "index.json", true);

  /* ---------- normalising and splitting ---------- */

  function normalize(s) {
    var out = "";
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c === 0x3000) c = 32; else if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
      out += String.fromCharCode(c);
    }
    return out.toLowerCase();
  }
  // Traditional -> simplified, one character for one (src/outputs/search/fold.rs).
  var folded = {};
  function fold(s) {
    var out = "";
    for (var i = 0; i < s.length; i++) out += folded[s.charAt(i)] || s.charAt(i);
    return out;
  }
  // The fold tables of the characters that start no word of the index (a
  // traditional character never does): nothing for a simplified query.
  function loadFold(q, inf) {
    var need = {};
    for (var i = 0; i < q.length; i++) {
      var c = q.charAt(i), n = q.charCodeAt(i) % FOLD_FILES;
      if (q.charCodeAt(i) < 0x3400 || folded[c] || (inf.chars || "").indexOf(c) >= 0) continue;
      if ((inf.fold || 0) & (1 << n)) need[n] = 1;
    }
    return Promise.all(Object.keys(need).map(function (n) {
      return get(ROOT + "t/" + n + ".json", true).then(function (pairs) {
        if (typeof pairs !== "string") return;
        for (var i = 0; i + 1 < pairs.length; i += 2) folded[pairs.charAt(i)] = pairs.charAt(i + 1);
      });
    }));
  }
  function isAscii(c) { return /[a-z0-9]/.test(c); }
  function isWordChar(c) {
    var n = c.charCodeAt(0);
    return isAscii(c) || (n >= 0x3400 && n <= 0x9fff) || (n >= 0xf900 && n <= 0xfaff) || (n > 0xff && /[^\s\u3000-\u303f\uff00-\uffef\u2000-\u206f]/.test(c) && n < 0xd800);
  }
  // "2024年 民主评议" -> [{ascii:"2024"}, {cjk:"年"}, {cjk:"民主评议"}]
  function runs(q) {
    var out = [], cur = "", kind = null;
    function flush() { if (cur) out.push({ ascii: kind === "a", text: cur }); cur = ""; kind = null; }
    for (var i = 0; i < q.length; i++) {
      var c = q.charAt(i);
      if (!isWordChar(c)) { flush(); continue; }
      var k = isAscii(c) ? "a" : "c";
      if (k !== kind) flush();
      kind = k; cur += c;
    }
    flush();
    return out;
  }
  // The words of the synonym groups in q, leftmost-longest, like the index.
  function synonymsIn(q, groups) {
    var found = [], i = 0;
    while (i < q.length) {
      var best = null;
      for (var g = 0; g < groups.length; g++) {
        for (var k = 0; k < groups[g].length; k++) {
          var w = groups[g][k];
          if (w && q.substr(i, w.length) === w && (!best || w.length > best.word.length)) best = { g: g, word: w };
        }
      }
      if (best) { best.at = i; found.push(best); i += best.word.length; } else i++;
    }
    return found;
  }
  function shardOf(term) {
    var c = term.charAt(0);
    if (isAscii(c)) return "a-" + c + (isAscii(term.charAt(1)) ? term.charAt(1) : "");
    return term.charCodeAt(0).toString(16);
  }
  // Only shards that exist are fetched (index.json lists them).
  function shard(key) {
    return info.then(function (inf) {
      var have = key.indexOf("a-") === 0
        ? (inf.latin || []).indexOf(key.slice(2)) >= 0
        : (inf.chars || "").indexOf(String.fromCharCode(parseInt(key, 16))) >= 0;
      return have ? get(ROOT + "s/" + key + ".json", true) : {};
    });
  }

  // Forward maximum matching over the vocabulary of each character's shard.
  function fmm(text, shards) {
    var words = [], i = 0;
    while (i < text.length) {
      var vocab = shards[text.charCodeAt(i).toString(16)] || {}, took = 1;
      for (var len = Math.min(text.length - i, 16); len > 1; len--) {
        if (vocab.hasOwnProperty(text.substr(i, len))) { took = len; break; }
      }
      words.push(text.substr(i, took));
      i += took;
    }
    return words;
  }

  /* ---------- postings and scores ---------- */

  function decode(s) {
    var out = [], doc = 0, acc = 0, i = 0;
    while (i < s.length) {
      var c = s.charAt(i++), h = HIGH.indexOf(c);
      if (h >= 0) { acc = acc * 32 + h; continue; }
      doc += acc * 32 + LOW.indexOf(c); acc = 0;
      out.push(doc, WEIGHT.indexOf(s.charAt(i++)));
    }
    return out;
  }
  function postings(key, entry) {
    if (typeof entry[1] === "string") return Promise.resolve(decode(entry[1]));
    return get(ROOT + "p/" + key + "-" + entry[1] + ".txt", false).then(decode);
  }
  function weight(q) { return Math.pow(2, ((q % CARRIED) - 21) / 3); }

  // words: [{label, terms: [{key, term, entry}], all?, run?, slots?}]; a
  // page scores once per word. Pages with more of the query's words come
  // first, then pages whose title, tags or kind hold more of them, then by
  // score. The words of a run with a slip (`run`) are two alternatives: its
  // exact words, or the corrected word, which stands for all of them and
  // the slipped character (`slots`); a page counts the better one.
  function rank(words, n) {
    return Promise.all(words.map(function (w) {
      return Promise.all(w.terms.map(function (t) { return postings(t.key, t.entry); }));
    })).then(function (lists) {
      var hits = {};
      words.forEach(function (w, wi) {
        // per page: how many of this word's terms it has, their score, carried or not
        var seen = {}, score = {}, carried = {};
        w.terms.forEach(function (t, ti) {
          var idf = 1 + Math.log(n / (t.entry[0] + 1)), p = lists[wi][ti], once = {};
          for (var i = 0; i < p.length; i += 2) {
            var d = p[i];
            if (!once[d]) { once[d] = 1; seen[d] = (seen[d] || 0) + 1; }
            score[d] = (score[d] || 0) + idf * weight(p[i + 1]);
            if (p[i + 1] >= CARRIED) carried[d] = 1;
          }
        });
        Object.keys(seen).forEach(function (d) {
          if (w.all && seen[d] < w.terms.length) return; // needs every character
          var h = hits[d] || (hits[d] = { id: +d, words: 0, carried: 0, score: 0, runs: {} });
          var got = [w.slots || 1, carried[d] && !w.all ? 1 : 0, score[d]];
          if (w.run == null) { add(h, got); return; }
          var r = h.runs[w.run] || (h.runs[w.run] = { exact: [0, 0, 0], slip: null });
          if (w.slots) r.slip = got; else for (var k = 0; k < 3; k++) r.exact[k] += got[k];
        });
      });
      return Object.keys(hits).map(function (k) {
        var h = hits[k];
        Object.keys(h.runs).forEach(function (r) {
          var a = h.runs[r];
          add(h, a.slip && a.slip[0] >= a.exact[0] ? a.slip : a.exact);
        });
        return h;
      }).sort(function (a, b) {
        return b.words - a.words || b.carried - a.carried || b.score - a.score || a.id - b.id;
      });
    });
  }
  function add(h, got) { h.words += got[0]; h.carried += got[1]; h.score += got[2]; }

  /* ---------- search ---------- */

  function search(query) {
    var started = now();
    return info.then(function (inf) {
      var q = normalize(query);
      return loadFold(q, inf).then(function () { return words(fold(q), inf); });
    }).then(function (r) {
      return info.then(function (inf) {
        return rank(r.words, inf.n).then(function (hits) {
          r.words.forEach(function (w) {
            w.terms.forEach(function (t) { if (!/^[a-z0-9~]+$/.test(t.term) || t.term === w.label) r.marks.push(t.term); });
          });
          return { hits: hits, words: r.words, marks: r.marks, fuzzy: r.fuzzy, ms: now() - r.t0, total: now() - started };
        });
      });
    });
  }

  // The words of a normalised, folded query, with the shards they need.
  function words(q, inf) {
    var stop = inf.stop || [], groups = inf.syn || [];
    var syn = synonymsIn(q, groups);
    var rest = q;
    syn.forEach(function (s) { rest = rest.slice(0, s.at) + new Array(s.word.length + 1).join(" ") + rest.slice(s.at + s.word.length); });
    var rs = runs(rest);
    var keys = {};
    if (syn.length) keys[shardOf("~")] = 1;
    rs.forEach(function (r) {
      if (r.ascii) keys[shardOf(r.text)] = 1;
      else for (var i = 0; i < r.text.length; i++) keys[r.text.charCodeAt(i).toString(16)] = 1;
    });
    var names = Object.keys(keys);
    return Promise.all(names.map(shard)).then(function (loaded) {
      var shards = {};
      names.forEach(function (k, i) { shards[k] = loaded[i]; });
      var t0 = now(), out = [], labels = {}, marks = [], fuzzy = false;
      function term(t) { var key = shardOf(t), e = (shards[key] || {})[t]; return e ? { key: key, term: t, entry: e } : null; }
      syn.forEach(function (s) {
        var t = term("~" + s.g);
        out.push({ label: s.word, show: s.word, terms: t ? [t] : [] });
        marks.push.apply(marks, groups[s.g]);
      });
      rs.forEach(function (r, ri) {
        if (r.ascii) {
          var t = term(r.text);
          if (t) { out.push({ label: r.text, terms: [t] }); return; }
          var pre = prefixed(r.text, shards[shardOf(r.text)] || {});
          if (pre.length) { fuzzy = true; out.push({ label: r.text, terms: pre, fuzzy: true }); }
          return;
        }
        if (cjkWords(r, ri, shards, stop, labels, term, out)) fuzzy = true;
      });
      // Every vocabulary word inside the query, for highlighting (志愿 in 志愿者).
      rs.forEach(function (r) {
        if (r.ascii) { marks.push(r.text); return; }
        for (var i = 0; i < r.text.length; i++) {
          var vocab = shards[r.text.charCodeAt(i).toString(16)] || {};
          for (var len = 2; i + len <= r.text.length; len++) {
            var w = r.text.substr(i, len);
            if (vocab.hasOwnProperty(w) && stop.indexOf(w) < 0) marks.push(w);
          }
        }
      });
      return { words: out.filter(function (w) { return w.terms.length; }), marks: marks, fuzzy: fuzzy, t0: t0 };
    });
  }

  // The words of one Chinese run, pushed to `out`; true when a slip was
  // forgiven. A position is covered when a word of two or more characters,
  // a stop word or a one-character run explains it; slips are looked for
  // only where some are not.
  function cjkWords(r, ri, shards, stop, labels, term, out) {
    var pieces = fmm(r.text, shards), covered = [], at = 0, singles = [];
    pieces.forEach(function (w) {
      var ok = w.length > 1 || r.text.length === 1 || stop.indexOf(w) >= 0;
      for (var i = 0; i < w.length; i++) covered[at + i] = ok;
      if (w.length === 1) singles.push(w);
      at += w.length;
    });
    var slips = covered.indexOf(false) >= 0 ? slipped(r.text, covered, shards) : [];
    var run = slips.length ? ri : null, first = out.length;
    if (r.text.length > 1 && singles.length === pieces.length) {
      // No word of the vocabulary in this run (反诈): its characters must
      // all be on a page, one alone is noise; a slip's word says more.
      if (slips.length) { out.push({ label: r.text, terms: slips, fuzzy: true }); return true; }
      var all = [];
      for (var i = 0; i < singles.length; i++) {
        var t = term(singles[i]);
        if (!t) { all = []; break; }
        all.push(t);
      }
      out.push({ label: r.text, terms: all, all: true });
      return false;
    }
    pieces.forEach(function (w) {
      if (w.length === 1 && r.text.length > 1) return; // noise inside a longer run
      if (stop.indexOf(w) >= 0 || labels[w]) return;
      labels[w] = 1;
      var t = term(w);
      if (t) out.push({ label: w, terms: [t], run: run });
    });
    if (slips.length) out.push({ label: r.text, terms: slips, fuzzy: true, run: run, slots: out.length - first + 1 });
    return slips.length > 0;
  }

  // Words of the index that a one-character slip in `text` would have hidden:
  // three or more characters, aligned in the run, differing from it in at
  // most one character, which is one that found no word (so a query that
  // matches is never "corrected"), and covering such a character.
  function slipped(text, covered, shards) {
    var found = [];
    for (var i = 0; i < text.length; i++) {
      var k = text.charCodeAt(i).toString(16), vocab = shards[k] || {};
      Object.keys(vocab).forEach(function (t) {
        var len = t.length;
        if (len < 3 || i + len > text.length) return;
        var diff = 0, ok = true, open = false;
        for (var j = 0; j < len && ok; j++) {
          if (!covered[i + j]) open = true;
          if (text.charAt(i + j) !== t.charAt(j)) { diff++; ok = diff <= 1 && !covered[i + j]; }
        }
        if (ok && open) found.push({ key: k, term: t, entry: vocab[t] });
      });
    }
    return byFrequency(found);
  }
  // Terms of a Latin shard that start with `text` (pinyin and initials typed in part).
  function prefixed(text, vocab) {
    if (text.length < 2) return [];
    var key = shardOf(text);
    return byFrequency(Object.keys(vocab).filter(function (t) { return t.indexOf(text) === 0; }).map(function (t) {
      return { key: key, term: t, entry: vocab[t] };
    }));
  }
  function byFrequency(terms) {
    return terms.sort(function (a, b) { return b.entry[0] - a.entry[0] || (a.term < b.term ? -1 : 1); }).slice(0, MAX_FUZZY);
  }

  function now() { return window.performance && performance.now ? performance.now() : Date.now(); }

  /* ---------- results ---------- */

  function rows(ids) {
    return info.then(function (inf) {
      var chunks = {};
      ids.forEach(function (id) { chunks[Math.floor(id / inf.chunk)] = 1; });
      var ns = Object.keys(chunks);
      return Promise.all(ns.map(function (c) { return get(ROOT + "d/" + c + ".json", true); })).then(function (loaded) {
        var byChunk = {};
        ns.forEach(function (c, i) { byChunk[c] = loaded[i]; });
        return ids.map(function (id) { return (byChunk[Math.floor(id / inf.chunk)] || [])[id % inf.chunk]; });
      });
    });
  }

  // Text with every occurrence of the words wrapped in <mark>.
  function highlight(el, text, words) {
    var lower = fold(normalize(text)), marks = [];
    words.forEach(function (w) {
      if (!w) return;
      for (var i = lower.indexOf(w); i >= 0; i = lower.indexOf(w, i + w.length)) marks.push([i, i + w.length]);
    });
    marks.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var pos = 0;
    marks.forEach(function (m) {
      if (m[0] < pos) return;
      el.appendChild(doc.createTextNode(text.slice(pos, m[0])));
      var mark = doc.createElement("mark");
      mark.textContent = text.slice(m[0], m[1]);
      el.appendChild(mark);
      pos = m[1];
    });
    el.appendChild(doc.createTextNode(text.slice(pos)));
  }

  function show(result, query, from) {
    var hits = result.hits.slice(from, from + PAGE);
    var marks = result.marks;
    return rows(hits.map(function (h) { return h.id; })).then(function (rs) {
      rs.forEach(function (r) {
        if (!r) return;
        var li = doc.createElement("li"), h = doc.createElement("h2"), a = doc.createElement("a");
        a.href = BASE + r[0];
        highlight(a, r[1], marks);
        h.appendChild(a); li.appendChild(h);
        var m = doc.createElement("p"); m.className = "result-meta";
        m.textContent = r[2] + (r[3] ? " · " + r[3] : "");
        li.appendChild(m);
        if (r[4]) { var s = doc.createElement("p"); highlight(s, r[4], marks); li.appendChild(s); }
        list.appendChild(li);
      });
      var more = doc.getElementById("search-more");
      if (more) more.remove();
      if (from + PAGE < result.hits.length) {
        var b = doc.createElement("button");
        b.type = "button"; b.id = "search-more"; b.className = "btn";
        b.textContent = "显示更多结果";
        b.addEventListener("click", function () {
          var first = list.children.length;
          show(result, query, from + PAGE).then(function () {
            var next = list.children[first] && list.children[first].querySelector("a");
            if (next) next.focus();
          });
        });
        list.parentNode.insertBefore(b, list.nextSibling);
      }
    });
  }

  function nothing(query) {
    return info.then(function (inf) {
      status.textContent = "没有找到与「" + query + "」相关的内容。试试更短的词、检查有没有错别字，或者从下面的标签找找看。";
      if (inf.tags && inf.tags.length) {
        var li = doc.createElement("li"); li.className = "search-suggest";
        var p = doc.createElement("p"); p.textContent = "常用标签：";
        inf.tags.forEach(function (t) {
          var a = doc.createElement("a");
          a.href = "?q=" + encodeURIComponent(t);
          a.textContent = t;
          p.appendChild(a); p.appendChild(doc.createTextNode(" "));
        });
        li.appendChild(p); list.appendChild(li);
      }
    });
  }

  function run(query) {
    query = query.trim();
    list.innerHTML = "";
    var more = doc.getElementById("search-more");
    if (more) more.remove();
    if (!query) { status.textContent = "输入关键词开始搜索，例如：志愿服务、三会一课、党章。"; return Promise.resolve(); }
    status.textContent = "正在搜索……";
    status.removeAttribute("data-done");
    return search(query).then(function (result) {
      status.setAttribute("data-ms", result.ms.toFixed(1));
      if (!result.hits.length) return nothing(query);
      var shown = result.words.map(function (w) {
        return w.fuzzy ? w.terms[0].term : w.all ? w.label : w.show || (w.terms.length === 1 ? w.terms[0].term : w.label);
      });
      shown = shown.filter(function (w, i) { return shown.indexOf(w) === i && !/^~/.test(w); }).join(" ");
      return show(result, query, 0).then(function () {
        // Announced once the results are on the page.
        status.textContent = result.fuzzy
          ? "没有完全匹配「" + query + "」的内容，找到 " + result.hits.length + " 条与「" + shown + "」相近的结果。"
          : "找到 " + result.hits.length + " 条与「" + (shown || query) + "」相关的结果。";
      });
    }).then(function () {
      status.setAttribute("data-done", query);
    }).catch(function (err) {
      status.textContent = "搜索索引加载失败，请检查网络后重试。";
      if (window.console) console.error("zhibu search:", err);
    });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = input.value;
    if (window.history && history.replaceState) history.replaceState(null, "", "?q=" + encodeURIComponent(q.trim()));
    run(q);
  });
  var params = new URLSearchParams(location.search);
  var initial = params.get("q") || "";
  input.value = initial;
  var header = doc.getElementById("site-search");
  if (header) header.value = initial;
  run(initial);
})();
