//! Paths in Markdown links: which content file a link names, `.`/`..`
//! resolved (never above content/), percent-encoding both ways.

use std::cell::RefCell;
use std::collections::HashSet;

/// Every file under content/ (relative paths), as one body's links see it:
/// each question asked is remembered with its answer, so that the parse
/// cache can keep the body while every answer stays the same.
pub struct FileSet<'a> {
    all: &'a HashSet<String>,
    asked: RefCell<Vec<(String, bool)>>,
}

impl<'a> FileSet<'a> {
    pub fn new(all: &'a HashSet<String>) -> Self {
        FileSet {
            all,
            asked: RefCell::default(),
        }
    }

    /// Whether content/`path` exists (remembered).
    pub fn contains(&self, path: &str) -> bool {
        let yes = self.all.contains(path);
        self.asked.borrow_mut().push((path.to_string(), yes));
        yes
    }

    /// The questions asked, with their answers.
    pub(crate) fn into_asked(self) -> Vec<(String, bool)> {
        self.asked.into_inner()
    }
}

/// `lessons/a` or `lessons/a/` -> the Markdown file that makes that page.
pub(super) fn content_file(path: &str, files: &FileSet) -> String {
    let p = path.trim_end_matches('/');
    if p.ends_with(".md") {
        return p.to_string();
    }
    for candidate in [
        format!("{p}/index.md"),
        format!("{p}/_index.md"),
        format!("{p}.md"),
    ] {
        if files.contains(&candidate) {
            return candidate;
        }
    }
    if p.is_empty() {
        "_index.md".into()
    } else {
        format!("{p}.md")
    }
}

pub(super) fn split_fragment(s: &str) -> (&str, Option<String>) {
    match s.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string()).filter(|f| !f.is_empty())),
        None => (s, None),
    }
}

pub(super) fn has_scheme(s: &str) -> bool {
    match s.find(':') {
        Some(i) => {
            let scheme = &s[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
                && !scheme.contains('/')
        }
        None => false,
    }
}

/// Resolves `.` and `..`; `None` when the path climbs above its root.
pub fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// `%E5%85%9A` -> `党`, for links to files with Chinese names.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        // Two hex digits after `%` (checked as bytes: the next two may be
        // the start of a multi-byte character, which is no hex digit).
        if bytes[i] == b'%'
            && let (Some(&h), Some(&l)) = (bytes.get(i + 1), bytes.get(i + 2))
            && let (Some(h), Some(l)) = (hex(h), hex(l))
        {
            out.push((h << 4) | l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Percent-encodes what may not appear raw in a URL path (spaces, quotes …);
/// non-ASCII letters stay readable.
pub fn encode_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            ' ' | '"' | '#' | '%' | '?' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}' | '\'' => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(normalize("a/./b/../c").as_deref(), Some("a/c"));
        assert_eq!(normalize("../x"), None);
        assert_eq!(percent_decode("%E5%85%9A.jpg"), "党.jpg");
        assert_eq!(encode_path("a b/照片#1.jpg"), "a%20b/照片%231.jpg");
    }

    #[test]
    fn percent_signs_before_other_characters_are_kept() {
        // `%` then one ASCII and a multi-byte character once cut a character in two
        assert_eq!(percent_decode("*%`¡)"), "*%`¡)");
        assert_eq!(percent_decode("%a¡"), "%a¡");
        assert_eq!(percent_decode("%"), "%");
        // the last escape of a string is decoded too
        assert_eq!(percent_decode("a%41"), "aA");
    }
}
