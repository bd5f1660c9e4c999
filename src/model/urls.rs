//! Slugs and output paths. Two things may never write the same file, and
//! nothing may write outside the output folder.

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostic;
use crate::parse::ParsedPage;
use crate::slug::{is_url_safe, slugify};

/// The slug of a page: `slug` from front matter, else the file or bundle
/// name, made URL-safe (Chinese becomes pinyin).
pub fn slug_of(p: &ParsedPage) -> String {
    match &p.front.slug {
        Some(s) => slugify(&s.value),
        None => slugify(p.file.stem()),
    }
}

/// Who claimed which output path, to report collisions naming both sides.
#[derive(Clone, Debug, Default)]
pub struct PathRegistry {
    owners: BTreeMap<String, String>,
}

impl PathRegistry {
    pub fn generated() -> Self {
        let mut r = PathRegistry::default();
        r.owners.insert(String::new(), "首页".into());
        for (p, what) in crate::routes::GENERATED {
            r.owners
                .insert(p.to_string(), format!("zhibu 生成的{what}"));
        }
        r
    }

    /// Who holds `path`, if anyone.
    pub fn owner(&self, path: &str) -> Option<&str> {
        self.owners.get(path).map(String::as_str)
    }

    /// Claims `path` for `owner`; the error names whoever holds it already.
    pub fn claim(&mut self, path: &str, owner: &str) -> Result<(), String> {
        debug_assert!(is_safe_path(path), "unsafe output path {path}");
        match self.owners.get(path) {
            Some(first) => Err(first.clone()),
            None => {
                self.owners.insert(path.to_string(), owner.to_string());
                Ok(())
            }
        }
    }
}

/// Every segment URL-safe or at least free of separators and dot-dot.
pub fn is_safe_path(path: &str) -> bool {
    path.trim_end_matches('/').split('/').all(|seg| {
        seg.is_empty()
            || (seg != ".."
                && seg != "."
                && !seg.contains('\\')
                && (is_url_safe(seg) || !seg.contains(':')))
    })
}

pub fn collision(display: &str, slug_written: bool, path: &str, first: &str) -> Diagnostic {
    let first_is_file = first.starts_with("content/");
    Diagnostic::error(format!(
        "两个页面会写到同一个网址 /{path}：{first} 和 {display}"
    ))
    .in_file(display)
    .hint(if first_is_file {
        if slug_written {
            "修改其中一个文件 front matter 里的 slug".to_string()
        } else {
            "给其中一个文件加上不同的 slug: ……，或重命名文件".to_string()
        }
    } else {
        format!("/{path} 由 zhibu 自动生成（{first}）；给这个页面换一个 slug")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_names_both() {
        let mut r = PathRegistry::generated();
        assert!(r.claim("lessons/a/", "content/lessons/a.md").is_ok());
        assert_eq!(
            r.claim("lessons/a/", "content/lessons/b.md").unwrap_err(),
            "content/lessons/a.md"
        );
        assert!(
            r.claim("search/", "content/search.md")
                .unwrap_err()
                .contains("搜索页")
        );
    }

    #[test]
    fn paths() {
        assert!(is_safe_path("lessons/a/"));
        assert!(!is_safe_path("lessons/../a/"));
    }
}
