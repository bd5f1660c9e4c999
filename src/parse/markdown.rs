//! Markdown into HTML with pulldown-cmark, once per page: heading ids and a
//! table of contents, plain text for summaries and search, and every link
//! that points inside the site recorded so that a later stage can resolve it
//! (pages' URLs are only known once all front matter has been read).

use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use regex::Regex;
use serde::{Deserialize, Serialize};

pub use super::md_paths::{FileSet, encode_path, normalize, percent_decode};
use super::md_paths::{content_file, has_scheme, split_fragment};

/// Where a link inside the site points.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkTarget {
    /// Another Markdown file, relative to content/: `lessons/a.md`.
    Content {
        path: String,
        fragment: Option<String>,
    },
    /// A file in content/ that is not Markdown: `activities/wusi/photo.jpg`.
    Asset { path: String },
    /// A path from the site root written by the editor: `/about/`.
    SitePath { path: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingLink {
    pub target: LinkTarget,
    /// As written, for messages.
    pub written: String,
    pub line: u32,
    pub col: u32,
}

/// A problem found while rendering (a link to a missing file …).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkdownIssue {
    pub line: u32,
    pub col: u32,
    pub width: usize,
    pub message: String,
    pub hint: String,
    /// A warning (the page is still built): an unsafe link that was removed.
    pub warning: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Markdown {
    /// HTML where each internal link is `zhibu-link:N`, N indexing `links`.
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Text without markup, blocks separated by newlines (shared with the
    /// search index's input, which `serve` makes after every edit).
    pub plain: std::sync::Arc<str>,
    pub links: Vec<PendingLink>,
    /// Every `id` in the HTML, for #anchor checks.
    pub anchors: Vec<String>,
    /// Same-page `#fragment` links, with positions.
    pub fragments: Vec<PendingLink>,
    pub issues: Vec<MarkdownIssue>,
}

pub const PLACEHOLDER: &str = "zhibu-link:";

/// What the renderer needs to know about the file and its neighbours.
pub struct MdContext<'a> {
    /// Folder of the file relative to content/ (`activities/wusi`).
    pub dir: &'a str,
    /// Line of the first body line in the file.
    pub body_line: u32,
    /// Every file under content/ (relative paths), to check relative links.
    pub files: &'a FileSet<'a>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

pub(super) static ID_ATTR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\sid="([^"]+)""#).expect("valid regex"));

pub fn render(body: &str, ctx: &MdContext) -> Markdown {
    // Files are cleaned when read (see `controls`); this keeps the promise
    // for any other caller.
    let body = &*crate::controls::clean(body);
    render_with(body, ctx, false).unwrap_or_else(|| {
        // Raw HTML nested too deep to sanitise in bounded time: shown as text.
        let mut md = render_with(body, ctx, true).unwrap_or_default();
        md.issues.push(MarkdownIssue {
            line: ctx.body_line,
            col: 1,
            width: 1,
            message: format!(
                "正文里的 HTML 标签嵌套超过 {} 层，这些 HTML 会按原样当作文字显示",
                super::sanitize::MAX_DEPTH
            ),
            hint:
                "检查是否有大量没有结束的标签（例如从网页复制来的 <div>）；正文尽量用 Markdown 写"
                    .into(),
            warning: true,
        });
        md
    })
}

/// [`render`]; `None` when the raw HTML is too deep to sanitise, and with
/// `raw_as_text` every raw HTML tag is shown as text.
fn render_with(body: &str, ctx: &MdContext, raw_as_text: bool) -> Option<Markdown> {
    let mut walk = super::md_walk::Walk::new(body, ctx, raw_as_text);
    for (ev, range) in Parser::new_ext(body, options()).into_offset_iter() {
        walk.event(ev, range.start);
    }
    walk.finish(body.len())
}

/// Decides what a link destination is. Internal targets become
/// placeholders; `None` for a URL content may not use (see `safe_url`),
/// reported as a warning.
pub(super) fn rewrite(
    dest: &str,
    ctx: &MdContext,
    md: &mut Markdown,
    line: u32,
    col: u32,
    image: bool,
) -> Option<String> {
    if let Err(scheme) = super::safe_url::check(dest, image) {
        let (message, hint) = super::safe_url::refusal(dest, &scheme, image);
        md.issues.push(MarkdownIssue {
            line,
            col,
            width: dest.chars().count(),
            message,
            hint,
            warning: true,
        });
        return None;
    }
    Some(rewrite_safe(dest, ctx, md, line, col, image))
}

fn rewrite_safe(
    dest: &str,
    ctx: &MdContext,
    md: &mut Markdown,
    line: u32,
    col: u32,
    image: bool,
) -> String {
    let written = dest.to_string();
    let d = dest.trim();
    let placeholder = |md: &mut Markdown, target: LinkTarget| {
        md.links.push(PendingLink {
            target,
            written: written.clone(),
            line,
            col,
        });
        format!("{PLACEHOLDER}{}", md.links.len() - 1)
    };
    if d.is_empty() {
        return String::new();
    }
    if let Some(frag) = d.strip_prefix('#') {
        md.fragments.push(PendingLink {
            target: LinkTarget::Content {
                path: String::new(),
                fragment: Some(frag.to_string()),
            },
            written: written.clone(),
            line,
            col,
        });
        return d.to_string();
    }
    if let Some(rest) = d.strip_prefix("@/") {
        let (path, fragment) = split_fragment(rest);
        let path = normalize(path).unwrap_or_default();
        return placeholder(
            md,
            LinkTarget::Content {
                path: content_file(&path, ctx.files),
                fragment,
            },
        );
    }
    if has_scheme(d) || d.starts_with("//") {
        return d.to_string();
    }
    if d.starts_with('/') {
        return placeholder(
            md,
            LinkTarget::SitePath {
                path: d.to_string(),
            },
        );
    }
    // Relative: against the file's folder in content/.
    let (path, fragment) = split_fragment(d);
    let (path, _query) = path.split_once('?').unwrap_or((path, ""));
    let decoded = percent_decode(path);
    let joined = if ctx.dir.is_empty() {
        decoded.clone()
    } else {
        format!("{}/{}", ctx.dir, decoded)
    };
    let Some(norm) = normalize(&joined) else {
        md.issues.push(MarkdownIssue {
            line,
            col,
            width: written.chars().count(),
            message: format!("链接 `{written}` 指到了 content/ 外面"),
            hint: "只能链接站内的文件；站外网页请写完整网址 https://……".into(),
            warning: false,
        });
        return d.to_string();
    };
    let is_md = norm.ends_with(".md")
        || norm.ends_with('/')
        || ctx.files.contains(&format!("{norm}/index.md"));
    if is_md && !image {
        return placeholder(
            md,
            LinkTarget::Content {
                path: content_file(&norm, ctx.files),
                fragment,
            },
        );
    }
    if !ctx.files.contains(&norm) {
        md.issues.push(MarkdownIssue {
            line,
            col,
            width: written.chars().count(),
            message: format!(
                "{}`{written}` 指向的文件不存在：content/{norm}",
                if image { "图片" } else { "链接" }
            ),
            hint: "检查文件名（包括大小写和扩展名），并把文件放在这篇文章旁边".into(),
            warning: false,
        });
        return d.to_string();
    }
    placeholder(md, LinkTarget::Asset { path: norm })
}

pub(super) fn nest_toc(flat: &[(u8, String, String)]) -> Vec<TocEntry> {
    // Only h2 and h3 go into the contents list; h1 is the page title.
    let mut out: Vec<TocEntry> = Vec::new();
    for (level, id, title) in flat.iter().filter(|(l, _, _)| (2..=3).contains(l)) {
        let entry = TocEntry {
            level: *level,
            id: id.clone(),
            title: title.clone(),
            children: Vec::new(),
        };
        match out.last_mut() {
            Some(parent) if *level > parent.level => parent.children.push(entry),
            _ => out.push(entry),
        }
    }
    out
}

/// One line of Markdown (quiz questions, explanations) without the
/// surrounding paragraph. Raw HTML is shown as text: these strings come from
/// front matter, which never injects markup.
pub fn render_inline(text: &str) -> String {
    let mut html = String::new();
    let mut dropped = 0usize;
    let events = Parser::new_ext(text, Options::ENABLE_STRIKETHROUGH).filter_map(|e| match e {
        Event::Html(s) | Event::InlineHtml(s) => Some(Event::Text(s)),
        // An unsafe link's words stay as text.
        Event::Start(Tag::Link { ref dest_url, .. })
            if super::safe_url::check(dest_url, false).is_err() =>
        {
            dropped += 1;
            None
        }
        Event::End(TagEnd::Link) if dropped > 0 => {
            dropped -= 1;
            None
        }
        e => Some(e),
    });
    pulldown_cmark::html::push_html(&mut html, events);
    let t = html.trim();
    match t.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => t.to_string(),
    }
}

/// The first `max` characters of a text on one line, ending with … when
/// cut. Reads only as much of the text as it needs.
pub fn excerpt(plain: &str, max: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    let mut cut = false;
    'words: for word in plain.split_whitespace() {
        if count > 0 {
            if count == max {
                cut = true;
                break;
            }
            out.push(' ');
            count += 1;
        }
        for c in word.chars() {
            if count == max {
                cut = true;
                break 'words;
            }
            out.push(c);
            count += 1;
        }
    }
    if cut {
        let trimmed = out.trim_end_matches(['，', '、', ',', ' ', '；']).len();
        out.truncate(trimmed);
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn r(body: &str, files: &[&str]) -> Markdown {
        let files: HashSet<String> = files.iter().map(|s| s.to_string()).collect();
        render(
            body,
            &MdContext {
                dir: "lessons",
                body_line: 10,
                files: &FileSet::new(&files),
            },
        )
    }

    #[test]
    fn a_footnote_defined_twice_is_shown_once_with_a_warning() {
        let m = r("注[^1]\n\n[^1]: 第一\n\n[^1]: 第二\n", &[]);
        assert_eq!(
            m.html.matches("class=\"footnote-definition\"").count(),
            1,
            "{}",
            m.html
        );
        assert!(
            m.html.contains("第一") && !m.html.contains("第二"),
            "{}",
            m.html
        );
        assert_eq!(m.issues.len(), 1, "{:?}", m.issues);
        let i = &m.issues[0];
        assert!(i.warning && i.message.contains("[^1] 定义了两次"), "{i:?}");
        assert_eq!((i.line, i.col), (14, 1));
    }

    #[test]
    fn gfm_features() {
        let m = r(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~删~~ 脚注[^1]\n\n- [x] 完成\n\n[^1]: 注释\n",
            &[],
        );
        assert!(
            m.html.contains("<div class=\"table-wrap\">\n<table>"),
            "{}",
            m.html
        );
        assert!(m.html.contains("<del>删</del>"));
        assert!(m.html.contains("footnote-reference"));
        assert!(m.html.contains("已完成"));
        assert!(
            !m.html.contains("<input"),
            "no unlabeled checkboxes: {}",
            m.html
        );
    }

    #[test]
    fn chinese_heading_ids_and_toc() {
        let m = r(
            "## 一、党的性质\n\n### 先锋队 {#xfd}\n\n## 一、党的性质\n",
            &[],
        );
        assert!(
            m.html.contains("<h2 id=\"yi-dang-de-xing-zhi\">"),
            "{}",
            m.html
        );
        assert!(m.html.contains("<h3 id=\"xfd\">"));
        assert!(m.html.contains("<h2 id=\"yi-dang-de-xing-zhi-2\">"));
        assert_eq!(m.toc.len(), 2);
        assert_eq!(m.toc[0].children[0].title, "先锋队");
        assert!(m.anchors.contains(&"xfd".to_string()));
    }

    #[test]
    fn internal_links_become_placeholders_with_positions() {
        let m = r(
            "第一行\n\n见[党章](@/lessons/dangzhang.md#zong-gang)和[下一课](next.md)。\n",
            &["lessons/next.md"],
        );
        assert_eq!(m.links.len(), 2);
        assert_eq!(
            m.links[0].target,
            LinkTarget::Content {
                path: "lessons/dangzhang.md".into(),
                fragment: Some("zong-gang".into())
            }
        );
        assert_eq!((m.links[0].line, m.links[0].col), (12, 2));
        assert_eq!(
            m.links[1].target,
            LinkTarget::Content {
                path: "lessons/next.md".into(),
                fragment: None
            }
        );
        assert!(m.html.contains("href=\"zhibu-link:0\""));
    }

    #[test]
    fn relative_images_and_missing_files() {
        let m = r(
            "![合影](img/照片.jpg)\n\n![没有](nope.png)\n\n[外链](https://www.12371.cn/)\n",
            &["lessons/img/照片.jpg"],
        );
        assert_eq!(
            m.links[0].target,
            LinkTarget::Asset {
                path: "lessons/img/照片.jpg".into()
            }
        );
        assert!(
            m.html.contains("alt=\"合影\" data-zhibu-img>"),
            "{}",
            m.html
        );
        assert_eq!(m.issues.len(), 1);
        assert_eq!(m.issues[0].line, 12);
        assert!(m.issues[0].message.contains("nope.png"));
        assert!(m.html.contains("href=\"https://www.12371.cn/\""));
    }

    #[test]
    fn unsafe_urls_and_raw_html() {
        let m = r(
            "[点我](javascript:alert(1)) ![图](data:text/html,x) <JAVASCRIPT:alert(1)>\n\n<div onclick=\"x()\">块<script>alert(1)</script></div>\n\n## 解析 <img src=x onerror=alert(1)>\n\n[下一课](next.md)\n",
            &["lessons/next.md"],
        );
        assert!(!m.html.contains("javascript"), "{}", m.html);
        assert!(!m.html.contains("data:text"), "{}", m.html);
        assert!(
            !m.html.contains("onclick") && !m.html.contains("onerror"),
            "{}",
            m.html
        );
        assert!(!m.html.contains("<script"), "{}", m.html);
        assert!(m.html.contains("<p>点我 图 "), "{}", m.html);
        assert!(m.html.contains("<div>块</div>"), "{}", m.html);
        assert!(m.html.contains("<h2 id=\"jie-xi\">"), "{}", m.html);
        assert!(m.html.contains("href=\"zhibu-link:0\""), "{}", m.html);
        let warnings: Vec<_> = m.issues.iter().filter(|i| i.warning).collect();
        assert_eq!(warnings.len(), 3, "{:?}", m.issues);
        assert_eq!((warnings[0].line, warnings[0].col), (10, 1));
    }

    #[test]
    fn cannot_climb_out_of_content() {
        let m = r("[x](../../../etc/passwd)\n", &[]);
        assert!(m.issues[0].message.contains("外面"));
    }

    #[test]
    fn plain_text_and_excerpt() {
        let m = r("# 标题\n\n第一段**加粗**文字。\n\n第二段。\n", &[]);
        assert_eq!(&*m.plain, "标题\n第一段加粗文字。\n第二段。\n");
        assert_eq!(excerpt(&m.plain, 6), "标题 第一段…");
    }

    #[test]
    fn inline() {
        assert_eq!(
            render_inline("为人民**服务**"),
            "为人民<strong>服务</strong>"
        );
        assert_eq!(
            render_inline("<script>x</script>"),
            "&lt;script&gt;x&lt;/script&gt;"
        );
        assert_eq!(render_inline("[点](javascript:alert(1))"), "点");
        assert_eq!(
            render_inline("[党网](https://www.12371.cn/)"),
            "<a href=\"https://www.12371.cn/\">党网</a>"
        );
    }
}
