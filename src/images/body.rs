//! Images in Markdown bodies. Markdown is rendered once, in parse, before
//! any photo is processed; each `![alt](file)` becomes
//! `<img src="…" alt="…" data-zhibu-img>` there (its `src` resolved later,
//! like every internal link). This module finds those tags again: the job
//! list reads which files a body shows ([`sources`]), and a page's view
//! replaces each tag with the `<img>` of its image set ([`rewrite`]), in
//! one pass over the HTML. A tag that is never rewritten is still a valid
//! `<img>`.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::{Captures, Regex};

/// The attribute that marks an image written in Markdown.
pub(crate) const MARKER: &str = "data-zhibu-img";

static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"<img src="([^"]*)" alt="([^"]*)"((?: title="[^"]*")?) data-zhibu-img>"#)
        .expect("valid regex")
});

/// One Markdown image as written in the HTML (attribute values escaped).
pub(crate) struct Tag<'a> {
    /// The site path of the file (`activities/a/p.jpg`), `None` for a
    /// full URL or a path outside the site.
    pub(crate) site_path: Option<String>,
    /// As in the HTML: escaped.
    pub(crate) src: &'a str,
    pub(crate) alt: &'a str,
    /// ` title="…"` or empty.
    pub(crate) title: &'a str,
}

fn tag<'a>(c: &Captures<'a>, base_path: &str) -> Tag<'a> {
    let get = |i| c.get(i).map(|m| m.as_str()).unwrap_or_default();
    let src = get(1);
    Tag {
        site_path: site_path(src, base_path),
        src,
        alt: get(2),
        title: get(3),
    }
}

/// The site paths of the Markdown images in `html`.
pub(crate) fn sources(html: &str, base_path: &str) -> Vec<String> {
    if !html.contains(MARKER) {
        return Vec::new();
    }
    TAG.captures_iter(html)
        .filter_map(|c| tag(&c, base_path).site_path)
        .collect()
}

/// `html` with every Markdown image replaced by `make(i, tag)` (`i` counts
/// from 0); borrowed as it is when it has none.
pub(crate) fn rewrite<'h>(
    html: &'h str,
    base_path: &str,
    mut make: impl FnMut(usize, &Tag) -> String,
) -> Cow<'h, str> {
    if !html.contains(MARKER) {
        return Cow::Borrowed(html);
    }
    let mut i = 0;
    TAG.replace_all(html, |c: &Captures| {
        let s = make(i, &tag(c, base_path));
        i += 1;
        s
    })
}

/// `/base/activities/a/%E5%90%88.jpg` → `activities/a/合.jpg`.
fn site_path(src: &str, base_path: &str) -> Option<String> {
    let src = unescape(src);
    let rest = src.strip_prefix(base_path)?;
    let decoded = crate::parse::markdown::percent_decode(rest);
    crate::parse::markdown::normalize(&decoded).filter(|p| !p.is_empty())
}

/// Undoes the HTML escaping of an attribute value.
fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

/// Escapes an attribute value.
pub(crate) fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HTML: &str = "<p>前</p><p><img src=\"/zb/activities/a/%E5%90%88%20%E5%BD%B1.jpg\" \
        alt=\"合影\" data-zhibu-img></p><p><img src=\"https://x.cn/a.png\" alt=\"\" title=\"t\" \
        data-zhibu-img><img src=\"/zb/images/l&amp;o.png\" alt=\"\" data-zhibu-img></p>";

    #[test]
    fn finds_site_paths() {
        assert_eq!(
            sources(HTML, "/zb/"),
            ["activities/a/合 影.jpg", "images/l&o.png"]
        );
        assert!(sources("<img src=\"/zb/a.jpg\" alt=\"\">", "/zb/").is_empty());
    }

    #[test]
    fn rewrites_each_tag_once_in_order() {
        let out = rewrite(HTML, "/zb/", |i, t| {
            format!(
                "[{i}:{}:{}:{}]",
                t.site_path.as_deref().unwrap_or("-"),
                t.alt,
                t.title
            )
        });
        assert_eq!(
            out,
            "<p>前</p><p>[0:activities/a/合 影.jpg:合影:]</p><p>[1:-:: title=\"t\"]\
             [2:images/l&o.png::]</p>"
        );
        assert!(matches!(
            rewrite("<p>x</p>", "/", |_, _| String::new()),
            Cow::Borrowed(_)
        ));
    }
}
