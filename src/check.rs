//! Internal links and #anchors of the finished site, checked in memory:
//! every `href`, `src` and `action` that points inside the site must reach a
//! file, and every `#fragment` an element with that id. Used by `zhibu
//! check` and by the test suite.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostics::Diagnostic;
use crate::files::OutputFile;
use crate::parse::markdown::percent_decode;

static ATTR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\s(?:href|src|action|poster)="([^"]*)""#).expect("valid regex"));
static SRCSET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\ssrcset="([^"]*)""#).expect("valid regex"));
static ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\sid="([^"]*)""#).expect("valid regex"));

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The output file holding the link.
    pub page: String,
    pub link: String,
    pub reason: String,
}

impl BrokenLink {
    pub fn to_diagnostic(&self, source: Option<&str>) -> Diagnostic {
        let d = Diagnostic::error(format!(
            "{} 上的链接 {} 无效：{}",
            self.page, self.link, self.reason
        ));
        match source {
            Some(s) => d
                .in_file(format!("content/{s}"))
                .hint("修改这个页面里的链接"),
            None => d.hint("这个链接来自模板或自动生成的页面；检查 templates/ 和 site.toml"),
        }
    }
}

/// Checks every HTML output. `base_path` is the site's path (`/` or `/x/`).
pub fn check_links(files: &[OutputFile], base_path: &str) -> Vec<BrokenLink> {
    let paths: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut ids: HashMap<&str, HashSet<String>> = HashMap::new();
    let mut html: Vec<(&str, String)> = Vec::new();
    for f in files.iter().filter(|f| f.path.ends_with(".html")) {
        let Ok(bytes) = f.read() else { continue };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        ids.insert(
            f.path.as_str(),
            ID.captures_iter(&text).map(|c| unescape(&c[1])).collect(),
        );
        html.push((f.path.as_str(), text));
    }
    let mut broken = Vec::new();
    for (page, text) in &html {
        let mut links: Vec<String> = ATTR.captures_iter(text).map(|c| unescape(&c[1])).collect();
        for c in SRCSET.captures_iter(text) {
            links.extend(
                c[1].split(',')
                    .filter_map(|s| s.split_whitespace().next())
                    .map(unescape),
            );
        }
        for link in links {
            if let Some(reason) = check_one(page, &link, base_path, &paths, &ids) {
                broken.push(BrokenLink {
                    page: page.to_string(),
                    link,
                    reason,
                });
            }
        }
    }
    broken.sort_by(|a, b| (&a.page, &a.link).cmp(&(&b.page, &b.link)));
    broken.dedup();
    broken
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

fn is_external(link: &str) -> bool {
    let l = link.trim();
    l.starts_with("//")
        || l.find(':').is_some_and(|i| {
            let scheme = &l[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !scheme.contains('/')
        })
}

/// The output file a URL path maps to: `/base/a/` -> `a/index.html`.
fn target_file(page: &str, path: &str, base_path: &str) -> Result<String, String> {
    let resolved = if let Some(abs) = path.strip_prefix('/') {
        let abs = format!("/{abs}");
        match abs.strip_prefix(base_path) {
            Some(r) => r.to_string(),
            None if abs.trim_end_matches('/') == base_path.trim_end_matches('/') => String::new(),
            None => return Err(format!("在网站路径 {base_path} 之外")),
        }
    } else {
        let dir = match page.rfind('/') {
            Some(i) => &page[..=i],
            None => "",
        };
        match crate::parse::markdown::normalize(&format!("{dir}{path}")) {
            Some(p) => p,
            None => return Err("指到了网站外面".into()),
        }
    };
    let decoded = percent_decode(&resolved);
    Ok(if decoded.is_empty() || decoded.ends_with('/') {
        format!("{decoded}index.html")
    } else {
        decoded
    })
}

fn check_one(
    page: &str,
    link: &str,
    base_path: &str,
    paths: &HashSet<&str>,
    ids: &HashMap<&str, HashSet<String>>,
) -> Option<String> {
    let l = link.trim();
    if l.is_empty() || is_external(l) {
        return None;
    }
    let (path, fragment) = match l.split_once('#') {
        Some((p, f)) => (p, Some(percent_decode(f))),
        None => (l, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let file = if path.is_empty() {
        page.to_string()
    } else {
        match target_file(page, path, base_path) {
            Ok(f) => f,
            Err(e) => return Some(e),
        }
    };
    let file = if paths.contains(file.as_str()) {
        file
    } else if paths.contains(format!("{file}/index.html").as_str()) {
        format!("{file}/index.html")
    } else {
        return Some(format!("找不到 {file}"));
    };
    match fragment {
        Some(f) if !f.is_empty() && f != "top" => match ids.get(file.as_str()) {
            Some(set) if set.contains(&f) => None,
            Some(_) => Some(format!("{file} 里没有 id=\"{f}\" 的元素")),
            None => None, // not HTML: fragments of SVG or PDF are not ours to check
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(path: &str, html: &str) -> OutputFile {
        OutputFile::bytes(path, html.as_bytes().to_vec())
    }

    #[test]
    fn finds_broken_links_and_anchors() {
        let files = vec![
            f(
                "index.html",
                r##"<a href="/x/a/">a</a><a href="/x/a/#h">h</a><a href="/x/a/#nope">n</a><a href="/x/b/">b</a><img src="/x/img/%E5%85%9A.png"><a href="https://e.cn/">e</a><a href="#top">t</a><a href="/elsewhere/">o</a>"##,
            ),
            f(
                "a/index.html",
                r#"<h2 id="h">h</h2><a href="../index.html">up</a><a href="./">me</a>"#,
            ),
            f("img/党.png", ""),
        ];
        let b = check_links(&files, "/x/");
        let links: Vec<&str> = b.iter().map(|b| b.link.as_str()).collect();
        assert_eq!(links, ["/elsewhere/", "/x/a/#nope", "/x/b/"], "{b:?}");
    }
}
