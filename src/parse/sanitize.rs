//! Raw HTML in Markdown bodies, made safe with ammonia. The policy (also in
//! docs/content.md): HTML is allowed and kept to what a page of text needs.
//! Removed are scripts and styles with their content, event attributes
//! (`onclick` …), `style` attributes (but a table cell's `text-align`, which
//! pulldown-cmark writes), forms and their fields, `<iframe>`, `<object>`,
//! `<embed>` and every URL that [`safe_url`](super::safe_url) refuses.
//! Kept: the usual text tags, tables, images, `<video>`/`<audio>` with
//! their sources, `<details>`, and `id`, `class`, `title`, `lang`, `dir`
//! and `aria-*` labels on any tag (heading ids, footnotes, task lists and
//! the theme's classes). The placeholders of internal links
//! (`zhibu-link:N`) survive, to be resolved by the model.
//!
//! Only bodies in which pulldown-cmark saw raw HTML go through ammonia: the
//! HTML it writes from Markdown alone escapes every text and every URL has
//! been checked, so sanitising it would cost time for nothing.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tags(["video", "audio", "source", "track", "picture"])
        .rm_tags(["map", "area"])
        .add_generic_attributes(["id", "class", "dir", "aria-hidden", "aria-label", "role"])
        // `data-zhibu-img` marks Markdown images and links to photos for
        // the view (images::body); on raw HTML it means the same.
        .add_tag_attributes("a", ["title", "data-zhibu-img"])
        .add_tag_attributes("img", ["loading", "decoding", "title", "data-zhibu-img"])
        .add_tag_attributes("ol", ["reversed", "type"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("details", ["open"])
        .add_tag_attributes(
            "video",
            [
                "src",
                "controls",
                "poster",
                "preload",
                "width",
                "height",
                "muted",
                "loop",
                "playsinline",
            ],
        )
        .add_tag_attributes("audio", ["src", "controls", "preload", "loop"])
        .add_tag_attributes("source", ["src", "type", "srcset", "media"])
        .add_tag_attributes("track", ["src", "kind", "srclang", "label", "default"])
        .url_schemes(HashSet::from([
            "http",
            "https",
            "mailto",
            "tel",
            "sms",
            "ftp",
            "webcal",
            "geo",
            "data",
            "zhibu-link",
        ]))
        .link_rel(None)
        .attribute_filter(filter);
    b
});

/// The second check, per attribute: URLs by [`safe_url`](super::safe_url)
/// (ammonia's scheme list lets `data:` through for images only to be
/// decided here), a cell's style only as `text-align`.
fn filter<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    match attribute {
        "href" | "src" | "poster" | "cite" | "srcset" => {
            let image = element == "img" && attribute == "src";
            super::safe_url::check(value, image).ok()?;
            Some(Cow::Borrowed(value))
        }
        "style" => {
            let v = value.trim().trim_end_matches(';').replace(' ', "");
            ["text-align:left", "text-align:center", "text-align:right"]
                .contains(&v.as_str())
                .then_some(Cow::Borrowed(value))
        }
        _ => Some(Cow::Borrowed(value)),
    }
}

/// Open elements a body's HTML may nest: the HTML parser behind ammonia
/// looks through the open elements at every tag, so 100 000 unclosed
/// `<div>`s would take minutes. Real pages nest a few dozen deep.
pub(crate) const MAX_DEPTH: usize = 500;

/// `html` (a whole rendered body) with only what the policy allows; `None`
/// when it nests deeper than [`MAX_DEPTH`] (then the raw HTML is shown as
/// text instead, see `markdown::render`).
pub(crate) fn clean(html: &str) -> Option<String> {
    (depth(html) <= MAX_DEPTH).then(|| CLEANER.clean(html).to_string())
}

/// How deep the elements of `html` nest, roughly and in linear time: a
/// closing tag closes the nearest of the last few open elements it names.
fn depth(html: &str) -> usize {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    let mut open: Vec<&str> = Vec::new();
    let mut max = 0;
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        i += off + 1;
        let close = b.get(i) == Some(&b'/');
        let start = i + usize::from(close);
        let end = html[start..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .map_or(html.len(), |e| start + e);
        let name = &html[start..end];
        if name.is_empty() || VOID.iter().any(|v| v.eq_ignore_ascii_case(name)) {
            continue;
        }
        if close {
            let near = open.len().saturating_sub(8);
            if let Some(k) = open[near..]
                .iter()
                .rposition(|o| o.eq_ignore_ascii_case(name))
            {
                open.truncate(near + k);
            }
        } else {
            open.push(name);
            max = max.max(open.len());
        }
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_events_frames_and_bad_urls_go() {
        let dirty = concat!(
            "<p onclick=\"steal()\">文<script>alert(1)</script>字</p>",
            "<iframe src=\"https://evil.example/\"></iframe>",
            "<a href=\"javascript:alert(1)\">点</a>",
            "<a href=\"JaVa&#x09;ScRiPt:alert(1)\">点</a>",
            "<img src=\"x\" onerror=\"alert(1)\">",
            "<img src=\"data:text/html,&lt;script&gt;\">",
            "<form action=\"/x\"><input name=\"q\"><button>提交</button></form>",
            "<style>body{display:none}</style>",
            "<span style=\"position:fixed\">盖住</span>",
            "<svg><script>alert(1)</script></svg>",
            "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
        );
        let clean = clean(dirty).unwrap();
        for gone in [
            "onclick",
            "<script",
            "alert",
            "<iframe",
            "javascript",
            "JaVa",
            "onerror",
            "data:text",
            "<form",
            "<input",
            "<style",
            "display:none",
            "position",
            "<svg",
            "<object",
            "<embed",
        ] {
            assert!(!clean.contains(gone), "{gone} in {clean}");
        }
        assert!(clean.contains("<p>文字</p>"), "{clean}");
        assert!(clean.contains("<a>点</a>"), "{clean}");
    }

    #[test]
    fn too_deep_is_refused_before_the_parser_sees_it() {
        assert_eq!(
            depth("<p>a<b>b</b><br><img src=x></p><div><p>x</p></div>"),
            2
        );
        assert_eq!(depth(&"<div>".repeat(10)), 10);
        assert_eq!(depth(&"<div></div>".repeat(10_000)), 1);
        assert!(clean(&"<div>".repeat(MAX_DEPTH + 1)).is_none());
        assert!(clean(&"<div>".repeat(MAX_DEPTH)).is_some());
    }

    #[test]
    fn what_markdown_and_the_theme_need_stays() {
        let html = concat!(
            "<h2 id=\"jie-xi\">解析</h2>\n",
            "<div class=\"table-wrap\">\n<table><thead><tr><th style=\"text-align: center\">a</th></tr></thead></table>\n</div>\n",
            "<p>脚注<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup></p>\n",
            "<div class=\"footnote-definition\" id=\"1\"><sup class=\"footnote-definition-label\">1</sup></div>\n",
            "<li><span class=\"task\" aria-hidden=\"true\">☑</span><span class=\"visually-hidden\">已完成：</span>x</li>\n",
            "<a href=\"zhibu-link:0\">下一课</a>",
            "<img src=\"zhibu-link:1\" alt=\"合影\" loading=\"lazy\" decoding=\"async\">",
            "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"贴图\">",
            "<pre><code class=\"language-rust\">fn main() {}</code></pre>",
            "<video src=\"v.mp4\" controls></video>",
            "<details><summary>答案</summary>A</details>",
        );
        let clean = clean(html).unwrap();
        for kept in [
            "<h2 id=\"jie-xi\">",
            "<div class=\"table-wrap\">",
            "style=\"text-align: center\"",
            "class=\"footnote-reference\"",
            "<a href=\"#1\">",
            "id=\"1\"",
            "aria-hidden=\"true\"",
            "class=\"visually-hidden\"",
            "href=\"zhibu-link:0\"",
            "src=\"zhibu-link:1\"",
            "loading=\"lazy\"",
            "data:image/png",
            "class=\"language-rust\"",
            "<video src=\"v.mp4\" controls",
            "<details><summary>",
        ] {
            assert!(clean.contains(kept), "{kept} missing from {clean}");
        }
    }
}
