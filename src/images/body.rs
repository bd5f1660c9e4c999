//! Images in Markdown bodies. Markdown is rendered once, in parse, before
//! any photo is processed; each `![alt](file)` becomes
//! `<img src="…" alt="…" data-zhibu-img>` there (its `src` resolved later,
//! like every internal link). This module finds those tags again: the job
//! list reads which files a body shows ([`sources`]), and a page's view
//! replaces each tag with the `<img>` of its image set ([`rewrite`]), in
//! one pass over the HTML. A tag that is never rewritten is still a valid
//! `<img>`.
//!
//! Links to photos get the same marker: `[原图](IMG_0001.jpg)` (or a raw
//! `<a href="IMG_0001.jpg">`) becomes `<a href="…" data-zhibu-img …>`
//! ([`link_tag`]), the photo is processed for viewing, and the view points
//! the link at a published file ([`rewrite_links`]): the stripped original
//! with `[images] originals = true`, else the largest viewing copy — the
//! original itself is not published.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::{Captures, Regex};

/// The attribute that marks an image written in Markdown.
pub(crate) const MARKER: &str = "data-zhibu-img";

// The sanitiser (bodies with raw HTML) writes the marker as `data-zhibu-img=""`.
static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"<img src="([^"]*)" alt="([^"]*)"((?: title="[^"]*")?) data-zhibu-img(?:="")?>"#)
        .expect("valid regex")
});

/// A link to a photo: the marker right after `href`, whatever follows.
static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"<a href="([^"]*)" data-zhibu-img(?:="")?"#).expect("valid regex")
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

/// The site paths of the Markdown images in `html`, and of the photos its
/// links lead to.
pub(crate) fn sources(html: &str, base_path: &str) -> Vec<String> {
    if !html.contains(MARKER) {
        return Vec::new();
    }
    let linked = LINK
        .captures_iter(html)
        .filter_map(|c| site_path(c.get(1)?.as_str(), base_path));
    TAG.captures_iter(html)
        .filter_map(|c| tag(&c, base_path).site_path)
        .chain(linked)
        .collect()
}

/// The opening tag of a link to a photo (`dest` unescaped, as resolved by
/// parse: a placeholder), as pulldown-cmark would write it plus the marker.
pub(crate) fn link_tag(dest: &str, title: &str) -> String {
    let mut tag = String::from("<a href=\"");
    let _ = pulldown_cmark_escape::escape_href(&mut tag, dest);
    tag.push_str("\" ");
    tag.push_str(MARKER);
    if !title.is_empty() {
        tag.push_str(" title=\"");
        let _ = pulldown_cmark_escape::escape_html(&mut tag, title);
        tag.push('"');
    }
    tag.push('>');
    tag
}

/// `html` with every link to a photo pointing where `href` says (given the
/// photo's site path; `None` keeps the link as it is), the marker gone.
pub(crate) fn rewrite_links<'h>(
    html: &'h str,
    base_path: &str,
    mut href: impl FnMut(&str) -> Option<String>,
) -> Cow<'h, str> {
    if !html.contains(MARKER) {
        return Cow::Borrowed(html);
    }
    LINK.replace_all(html, |c: &Captures| {
        let written = c.get(1).map_or("", |m| m.as_str());
        let to = site_path(written, base_path).and_then(|p| href(&p));
        match to {
            Some(url) => format!("<a href=\"{}\"", attr(&url)),
            None => format!("<a href=\"{written}\""),
        }
    })
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
    fn links_to_photos_are_found_and_pointed_at_a_published_file() {
        let tag = link_tag("zhibu-link:3", "原 \"图\"");
        assert_eq!(
            tag,
            "<a href=\"zhibu-link:3\" data-zhibu-img title=\"原 &quot;图&quot;\">"
        );
        let html = "<p><a href=\"/zb/activities/a/IMG_0001.jpg\" data-zhibu-img>原图</a> \
            <a href=\"/zb/activities/a/%E5%90%88.jpg\" data-zhibu-img=\"\" title=\"t\">合</a> \
            <a href=\"/zb/about/\">关于</a></p>";
        assert_eq!(
            sources(html, "/zb/"),
            ["activities/a/IMG_0001.jpg", "activities/a/合.jpg"]
        );
        let out = rewrite_links(html, "/zb/", |p| {
            (p == "activities/a/IMG_0001.jpg")
                .then(|| "/zb/activities/a/IMG_0001-1600w.ab.jpg".into())
        });
        assert_eq!(
            out,
            "<p><a href=\"/zb/activities/a/IMG_0001-1600w.ab.jpg\">原图</a> \
             <a href=\"/zb/activities/a/%E5%90%88.jpg\" title=\"t\">合</a> \
             <a href=\"/zb/about/\">关于</a></p>"
        );
    }

    #[test]
    fn the_sanitisers_marker_is_found_too() {
        let html = "<img src=\"/a/p.jpg\" alt=\"x\" data-zhibu-img=\"\">";
        assert_eq!(sources(html, "/"), ["a/p.jpg"]);
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
