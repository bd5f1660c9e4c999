//! Templates: compiling the theme's (with the site's overrides), putting
//! Tera's errors into positioned diagnostics, and knowing which fields of
//! `site` each template reads.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::LazyLock;

use regex::Regex;

use crate::deps::{Key, SITE_ALL, key};
use crate::diagnostics::Diagnostic;

/// A Tera error as diagnostics pointing into the template file. Tera reports
/// some problems (unknown filters, includes …) as ready-made text with
/// `--> name:line:col` lines; those are read back into positions.
pub(super) fn template_errors(
    e: &tera::Error,
    origins: &HashMap<String, (PathBuf, String)>,
) -> Vec<Diagnostic> {
    let at = |name: &str, line: u32, col: u32, width: usize, message: &str| {
        let (file, text) = origins
            .get(name)
            .map(|(p, t)| (p.clone(), Some(t.as_str())))
            .unwrap_or_else(|| (PathBuf::from(name), None));
        Diagnostic::error(format!("模板出错：{message}"))
            .in_file(file)
            .at(text, line, col)
            .width(width)
            .hint("检查这个模板；站点 templates/ 里的同名文件会覆盖主题里的模板")
    };
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let span = r.span();
            let width = if span.start_line == span.end_line {
                span.end_col.saturating_sub(span.start_col)
            } else {
                1
            };
            vec![at(
                r.filename(),
                span.start_line as u32,
                span.start_col as u32 + 1,
                width,
                r.message(),
            )]
        }
        tera::ErrorKind::TemplateNotFound(name) => vec![
            Diagnostic::error(format!("找不到模板 {name}")).hint(format!(
                "在站点的 templates/ 或主题的 templates/ 里放一个 {name}"
            )),
        ],
        other => {
            let text = other.to_string();
            let found: Vec<Diagnostic> = REPORT
                .captures_iter(&text)
                .map(|c| {
                    let line = c[3].parse().unwrap_or(0);
                    let col = c[4].parse().unwrap_or(0);
                    at(&c[2], line, col, 1, c[1].trim())
                })
                .collect();
            if found.is_empty() {
                vec![
                    Diagnostic::error(format!("模板出错：{text}"))
                        .hint("检查站点 templates/ 和主题里的模板"),
                ]
            } else {
                found
            }
        }
    }
}

static REPORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s*error: (.+)\n\s*--> ([^:\n]+):(\d+):(\d+)").expect("valid regex")
});

static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)\{\{.*?\}\}|\{%.*?%\}").expect("valid regex"));
static SITE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([.@])?\bsite\b(?:\s*\.\s*([A-Za-z_][A-Za-z0-9_]*))?").expect("valid regex")
});
static USES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\{%-?\s*(?:extends|include|import)\s+(?:"([^"]*)"|'([^']*)'|(\S))"#)
        .expect("valid regex")
});

/// What one template's own text reads of `site`, and which templates it uses.
#[derive(Default)]
struct Reads {
    fields: HashSet<Key>,
    uses: Vec<String>,
    /// It uses a template whose name is computed: assume it uses all.
    uses_any: bool,
    /// It defines components, which any template may call.
    components: bool,
}

fn own_reads(text: &str) -> Reads {
    let mut r = Reads::default();
    for tag in TAG.find_iter(text) {
        let tag = tag.as_str();
        for c in SITE.captures_iter(tag) {
            match (c.get(1).map(|m| m.as_str()), c.get(2)) {
                // `page.site`: someone else's field.
                (Some("."), _) => {}
                (_, Some(field)) => {
                    r.fields.insert(key(field.as_str()));
                }
                // `site` as a whole (`{% set s = site %}`, `@site`, `site["x"]`).
                _ => {
                    r.fields.insert(SITE_ALL);
                }
            }
        }
        if let Some(u) = USES.captures(tag) {
            match u.get(1).or(u.get(2)) {
                Some(name) => r.uses.push(name.as_str().to_string()),
                None => r.uses_any = true,
            }
        }
        r.components |= tag
            .trim_start_matches(['{', '%', '-', ' '])
            .starts_with("component ");
    }
    r
}

/// For every template: the fields of `site` it reads, counting what it
/// extends, includes and imports and every component (components are
/// global in Tera 2). A field name that reads `site` whole is [`SITE_ALL`].
/// The reading is textual and errs on the side of more: a mention in a
/// comment or a string counts too.
pub(super) fn site_reads(sources: &[(String, String)]) -> HashMap<String, Box<[Key]>> {
    let own: HashMap<&str, Reads> = sources
        .iter()
        .map(|(name, text)| (name.as_str(), own_reads(text)))
        .collect();
    let shared: HashSet<Key> = own
        .values()
        .filter(|r| r.components)
        .flat_map(|r| r.fields.iter().copied())
        .collect();
    let everything: HashSet<Key> = own
        .values()
        .flat_map(|r| r.fields.iter().copied())
        .collect();
    own.keys()
        .map(|&name| {
            let mut fields = shared.clone();
            let mut seen: HashSet<&str> = HashSet::new();
            let mut todo = vec![name];
            while let Some(t) = todo.pop() {
                if !seen.insert(t) {
                    continue;
                }
                let Some(r) = own.get(t) else { continue };
                if r.uses_any {
                    fields.extend(everything.iter().copied());
                }
                fields.extend(r.fields.iter().copied());
                todo.extend(r.uses.iter().map(String::as_str));
            }
            let mut fields: Vec<Key> = fields.into_iter().collect();
            fields.sort_unstable();
            (name.to_string(), fields.into_boxed_slice())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(templates: &[(&str, &str)]) -> HashMap<String, Box<[Key]>> {
        let sources: Vec<(String, String)> = templates
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        site_reads(&sources)
    }

    #[test]
    fn fields_through_extends_and_includes() {
        let r = reads(&[
            (
                "base.html",
                "<title>{{ site.title }}</title>{% include \"foot.html\" %}",
            ),
            ("foot.html", "{{ site.totals.volunteer_hours | num }}"),
            (
                "page.html",
                "{% extends \"base.html\" %}{{ page.site }} site",
            ),
        ]);
        let want = {
            let mut v = vec![key("title"), key("totals")];
            v.sort_unstable();
            v
        };
        assert_eq!(&*r["page.html"], &want[..]);
        assert_eq!(&*r["foot.html"], &[key("totals")][..]);
    }

    #[test]
    fn whole_site_and_computed_includes() {
        let r = reads(&[
            ("a.html", "{% set s = site %}{{ s.title }}"),
            ("b.html", "{% include name %}"),
            ("c.html", "{{ site.menu }}"),
        ]);
        assert!(r["a.html"].contains(&SITE_ALL));
        assert!(r["b.html"].contains(&key("menu")));
        assert!(!r["c.html"].contains(&SITE_ALL));
    }

    #[test]
    fn components_count_for_everyone() {
        let r = reads(&[
            (
                "components.html",
                "{% component foot(@site) %}{{ site.year }}{% endcomponent foot %}",
            ),
            ("x.html", "plain"),
        ]);
        assert!(r["x.html"].contains(&key("year")));
        assert!(r["x.html"].contains(&SITE_ALL));
    }
}
