//! Links to photos in Markdown bodies. A photo's original is not published
//! (only its copies, issue 13), so a link that names one — `[原图](IMG_0001.jpg)`,
//! `[横幅](/images/banner.jpg)` or a raw `<a href="IMG_0001.jpg">` — is
//! marked with `data-zhibu-img` here, and the page's view points it at a
//! published file once the photos are made (`images::body`). A raw
//! `<img src="IMG_0001.jpg">` (pasted from another editor) is written as a
//! Markdown image would be, so it gets the same sized copies.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::markdown::{LinkTarget, Markdown, MdContext, PLACEHOLDER, PendingLink};
use super::md_paths::{has_scheme, normalize, percent_decode, split_fragment};
use crate::images::{BODY_MARKER, is_raster_name, photo_link_tag};

/// Whether the link just resolved to `dest` leads to a raster image of
/// the site (its target was the last one recorded).
pub(super) fn is_photo_link(md: &Markdown, dest: &str) -> bool {
    dest.starts_with(PLACEHOLDER)
        && md.links.last().is_some_and(|l| match &l.target {
            LinkTarget::Asset { path } | LinkTarget::SitePath { path } => is_raster_name(path),
            LinkTarget::Content { .. } => false,
        })
}

/// The opening tag for a link to a photo, marked for the view.
pub(super) fn link_tag(dest: &str, title: &str) -> String {
    photo_link_tag(dest, title)
}

static RAW_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"<a href="([^"]*)""#).expect("valid regex"));

/// Raw HTML links (in a sanitised body) to photos beside the page or under
/// the site root, made placeholders and marked like Markdown ones. Their
/// position is the body's first line: the sanitiser keeps none.
pub(super) fn raw_links(html: String, ctx: &MdContext, md: &mut Markdown) -> String {
    if !html.contains("<a href=\"") {
        return html;
    }
    let out = RAW_LINK.replace_all(&html, |c: &Captures| {
        let written = unescape(&c[1]);
        match target(&written, ctx) {
            Some(target) => {
                let n = pending(md, target, written, ctx);
                format!("<a href=\"{PLACEHOLDER}{n}\" {BODY_MARKER}")
            }
            None => c[0].to_string(),
        }
    });
    out.into_owned()
}

/// Records a raw HTML target as a link to resolve; its placeholder's
/// number. Its position is the body's first line: the sanitiser keeps none.
fn pending(md: &mut Markdown, target: LinkTarget, written: String, ctx: &MdContext) -> usize {
    md.links.push(PendingLink {
        target,
        written,
        line: ctx.body_line,
        col: 1,
    });
    md.links.len() - 1
}

static RAW_IMG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"<img ([^>]*)>"#).expect("valid regex"));

/// An attribute as the sanitiser writes it: always double-quoted.
static ATTR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"([A-Za-z][A-Za-z0-9-]*)="([^"]*)""#).expect("valid regex"));

/// Raw HTML images (in a sanitised body) of photos beside the page or
/// under the site root, written as Markdown writes `![alt](src "title")`:
/// the view then gives them the photo's copies, `srcset` and size (an
/// editor's own `width`, `height` or `style` give way to those). Other
/// images — a full URL, `data:`, a file that is not there — stay as they are.
pub(super) fn raw_images(html: String, ctx: &MdContext, md: &mut Markdown) -> String {
    if !html.contains("<img ") {
        return html;
    }
    let out = RAW_IMG.replace_all(&html, |c: &Captures| {
        let attrs: Vec<(&str, &str)> = ATTR
            .captures_iter(&c[1])
            .filter_map(|a| Some((a.get(1)?.as_str(), a.get(2)?.as_str())))
            .collect();
        let get = |name: &str| attrs.iter().find(|a| a.0 == name).map(|a| a.1);
        let target = get("src").and_then(|src| {
            let written = unescape(src);
            Some((target(&written, ctx)?, written))
        });
        let Some((target, written)) = target else {
            return c[0].to_string();
        };
        let n = pending(md, target, written, ctx);
        let title = get("title")
            .filter(|t| !t.is_empty())
            .map(|t| format!(" title=\"{t}\""))
            .unwrap_or_default();
        format!(
            "<img src=\"{PLACEHOLDER}{n}\" alt=\"{}\"{title} {BODY_MARKER}>",
            get("alt").unwrap_or_default()
        )
    });
    out.into_owned()
}

/// A raster image of the site named by a raw `href`, if it is one.
fn target(href: &str, ctx: &MdContext) -> Option<LinkTarget> {
    let d = href.trim();
    if d.is_empty()
        || d.starts_with('#')
        || d.starts_with("//")
        || d.starts_with(PLACEHOLDER)
        || has_scheme(d)
    {
        return None;
    }
    let (path, _fragment) = split_fragment(d);
    let (path, _query) = path.split_once('?').unwrap_or((path, ""));
    if !is_raster_name(path) {
        return None;
    }
    if d.starts_with('/') {
        return Some(LinkTarget::SitePath {
            path: path.to_string(),
        });
    }
    let decoded = percent_decode(path);
    let joined = if ctx.dir.is_empty() {
        decoded
    } else {
        format!("{}/{decoded}", ctx.dir)
    };
    let norm = normalize(&joined)?;
    ctx.files
        .contains(&norm)
        .then_some(LinkTarget::Asset { path: norm })
}

/// An attribute value as the sanitiser escaped it, back to text.
fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::parse::markdown::{FileSet, render};

    fn r(body: &str, files: &[&str]) -> Markdown {
        let files: HashSet<String> = files.iter().map(|s| s.to_string()).collect();
        render(
            body,
            &MdContext {
                dir: "activities/a",
                body_line: 5,
                files: &FileSet::new(&files),
            },
        )
    }

    const FILES: &[&str] = &["activities/a/IMG_0001.jpg", "activities/a/notes.pdf"];

    #[test]
    fn markdown_links_to_photos_are_marked_and_others_are_not() {
        let m = r(
            "[原图](IMG_0001.jpg \"原图\") [讲义](notes.pdf) [横幅](/images/banner.jpg) [关于](/about/)\n",
            FILES,
        );
        assert!(
            m.html
                .contains("<a href=\"zhibu-link:0\" data-zhibu-img title=\"原图\">原图</a>"),
            "{}",
            m.html
        );
        assert!(
            m.html.contains("<a href=\"zhibu-link:1\">讲义</a>"),
            "{}",
            m.html
        );
        assert!(
            m.html
                .contains("<a href=\"zhibu-link:2\" data-zhibu-img>横幅</a>"),
            "{}",
            m.html
        );
        assert!(
            m.html.contains("<a href=\"zhibu-link:3\">关于</a>"),
            "{}",
            m.html
        );
        assert_eq!(
            m.links[0].target,
            LinkTarget::Asset {
                path: "activities/a/IMG_0001.jpg".into()
            }
        );
    }

    #[test]
    fn raw_html_links_and_images_keep_their_marks_through_the_sanitiser() {
        let m = r(
            "<div>看 <a href=\"IMG_0001.jpg\" title=\"t\">原图</a>，<a href=\"https://x.cn/a.jpg\">外</a>，<a href=\"nope.jpg\">无</a></div>\n\n![合影](IMG_0001.jpg) [再看](IMG_0001.jpg)\n",
            FILES,
        );
        assert!(m.issues.is_empty(), "{:?}", m.issues);
        let marked = m.html.matches("data-zhibu-img").count();
        assert_eq!(marked, 3, "{}", m.html);
        assert!(
            m.html.contains("href=\"https://x.cn/a.jpg\">外"),
            "{}",
            m.html
        );
        assert!(m.html.contains("href=\"nope.jpg\">无"), "{}", m.html);
        let assets = m
            .links
            .iter()
            .filter(|l| {
                l.target
                    == LinkTarget::Asset {
                        path: "activities/a/IMG_0001.jpg".into(),
                    }
            })
            .count();
        assert_eq!(assets, 3, "{:?}", m.links);
        // The image is still found by the view after sanitising.
        let seen = crate::images::rewrite_body(&m.html, "", |_, _| "[img]".into());
        assert_eq!(seen.matches("[img]").count(), 1, "{}", m.html);
    }

    #[test]
    fn raw_html_images_of_site_photos_become_markdown_images() {
        let m = r(
            "<p align=\"center\"><img width=\"600\" style=\"width:100%\" src=\"IMG_0001.jpg\" alt=\"合影 &amp; 横幅\" title=\"五四\"></p>\n\n<img src=\"https://x.cn/a.jpg\" alt=\"外\"> <img src=\"nope.jpg\"> <img src=\"/images/banner.png\">\n",
            FILES,
        );
        assert!(m.issues.is_empty(), "{:?}", m.issues);
        let seen =
            crate::images::rewrite_body(&m.html, "", |_, t| format!("[{}|{}]", t.alt, t.title));
        assert!(seen.contains("[合影 &amp; 横幅| title=\"五四\"]"), "{seen}");
        // a site path is resolved later, like any link; a full URL and a
        // missing file stay as written
        assert!(seen.contains("[|]"), "{seen}");
        assert!(seen.contains("src=\"https://x.cn/a.jpg\""), "{seen}");
        assert!(seen.contains("src=\"nope.jpg\""), "{seen}");
        assert!(!seen.contains("width=\"600\""), "{seen}");
        assert_eq!(
            m.links.iter().map(|l| l.target.clone()).collect::<Vec<_>>(),
            vec![
                LinkTarget::Asset {
                    path: "activities/a/IMG_0001.jpg".into()
                },
                LinkTarget::SitePath {
                    path: "/images/banner.png".into()
                },
            ]
        );
    }
}
