//! Internal links: `@/section/page.md`, relative links to other Markdown
//! files and to files in content/, and paths from the site root, all turned
//! into real URLs once every page's URL is known.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::diagnostics::{Diagnostic, closest};
use crate::parse::markdown::{
    LinkTarget, PLACEHOLDER, PendingLink, encode_path, normalize, percent_decode,
};
use crate::routes::join as join_url;

/// Something a link can point at.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// Site path (`lessons/a/`).
    pub path: String,
    pub anchors: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resolver {
    pub base_path: String,
    /// Markdown source (relative to content/) -> the page it makes.
    pub by_source: HashMap<String, Target>,
    /// Markdown files left out of this build because they are drafts.
    pub drafts: HashSet<String>,
    /// File in content/ -> its site path in the output.
    pub assets: HashMap<String, String>,
}

static PLACEHOLDER_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("{PLACEHOLDER}(\\d+)")).expect("valid regex"));

/// Where one link went wrong.
pub struct LinkProblem {
    pub line: u32,
    pub col: u32,
    pub width: usize,
    pub error: bool,
    pub message: String,
    pub hint: String,
}

impl Resolver {
    /// Replaces the placeholders in a page's HTML; `None` when it has none
    /// (the HTML is used as it is, not copied). Problems are returned with
    /// the positions recorded by the Markdown stage.
    pub fn resolve_html(
        &self,
        html: &str,
        links: &[PendingLink],
    ) -> (Option<String>, Vec<LinkProblem>) {
        let mut problems = Vec::new();
        let urls: Vec<String> = links
            .iter()
            .map(|l| match self.resolve_link(l) {
                Ok(u) => u,
                Err(p) => {
                    problems.push(p);
                    "#".to_string()
                }
            })
            .collect();
        if links.is_empty() {
            return (None, problems);
        }
        let out = PLACEHOLDER_RE.replace_all(html, |c: &Captures| {
            let i: usize = c[1].parse().unwrap_or(usize::MAX);
            let url = urls.get(i).cloned().unwrap_or_else(|| c[0].to_string());
            let mut escaped = String::new();
            let _ = pulldown_cmark_escape::escape_href(&mut escaped, &url);
            escaped
        });
        (Some(out.into_owned()), problems)
    }

    fn problem(l: &PendingLink, error: bool, message: String, hint: String) -> LinkProblem {
        LinkProblem {
            line: l.line,
            col: l.col,
            width: l.written.chars().count() + 2,
            error,
            message,
            hint,
        }
    }

    fn resolve_link(&self, l: &PendingLink) -> Result<String, LinkProblem> {
        match &l.target {
            LinkTarget::Content { path, fragment } => {
                let Some(t) = self.by_source.get(path) else {
                    if self.drafts.contains(path) {
                        return Err(Self::problem(
                            l,
                            true,
                            format!("链接 `{}` 指向草稿 content/{path}，它不会发布", l.written),
                            "发布那篇文章（删掉 draft: true），或暂时去掉这个链接".into(),
                        ));
                    }
                    let suggestion = closest(path, self.by_source.keys().map(String::as_str), 4)
                        .map(|s| format!("是不是 @/{s}？"))
                        .unwrap_or_else(|| {
                            "路径从 content/ 算起，例如 @/lessons/dangzhang-01.md".into()
                        });
                    return Err(Self::problem(
                        l,
                        true,
                        format!("链接 `{}` 指向的页面不存在：content/{path}", l.written),
                        suggestion,
                    ));
                };
                let mut url = join_url(&self.base_path, &t.path);
                if let Some(f) = fragment {
                    if !t.anchors.iter().any(|a| a == f) {
                        let hint = match closest(f, t.anchors.iter().map(String::as_str), 3) {
                            Some(a) => format!("是不是 #{a}？"),
                            None if t.anchors.is_empty() => "那个页面没有小标题可以链接".into(),
                            None => format!(
                                "可用的锚点：{}",
                                t.anchors
                                    .iter()
                                    .take(8)
                                    .map(|a| format!("#{a}"))
                                    .collect::<Vec<_>>()
                                    .join(" ")
                            ),
                        };
                        return Err(Self::problem(
                            l,
                            true,
                            format!(
                                "链接 `{}` 的锚点 #{f} 在 content/{path} 中不存在",
                                l.written
                            ),
                            hint,
                        ));
                    }
                    url.push('#');
                    url.push_str(f);
                }
                Ok(url)
            }
            LinkTarget::Asset { path } => match self.assets.get(path) {
                Some(site_path) => Ok(join_url(&self.base_path, &encode_path(site_path))),
                None => Err(Self::problem(
                    l,
                    true,
                    format!("链接 `{}` 指向的文件不会发布：content/{path}", l.written),
                    "把文件放在 content/ 里文章旁边".into(),
                )),
            },
            LinkTarget::SitePath { path } => Ok(join_url(&self.base_path, path)),
        }
    }

    /// A path written in front matter (cover, photo, video, attachments,
    /// gallery): a full URL, a path from the site root (`/images/x.jpg`, from
    /// static/), or a file relative to the Markdown file. Returns a site path
    /// or a full URL.
    pub fn resolve_ref(&self, written: &str, dir: &str) -> Result<String, (String, String)> {
        let w = written.trim();
        if w.starts_with("http://") || w.starts_with("https://") || w.starts_with("//") {
            return Ok(w.to_string());
        }
        if let Some(rest) = w.strip_prefix('/') {
            return match normalize(rest) {
                Some(p) => Ok(p),
                None => Err((
                    format!("`{w}` 指到了网站外面"),
                    "写 static/ 里的路径，例如 /images/logo.png".into(),
                )),
            };
        }
        let decoded = percent_decode(w);
        let joined = if dir.is_empty() {
            decoded
        } else {
            format!("{dir}/{decoded}")
        };
        let Some(norm) = normalize(&joined) else {
            return Err((
                format!("`{w}` 指到了 content/ 外面"),
                "写文章旁边的文件名，例如 photo-1.jpg".into(),
            ));
        };
        match self.assets.get(&norm) {
            Some(p) => Ok(p.clone()),
            None => {
                let near = closest(&norm, self.assets.keys().map(String::as_str), 3);
                Err((
                    format!("文件不存在：content/{norm}"),
                    match near {
                        Some(n) => format!("是不是 content/{n}？"),
                        None => "把文件放在这篇文章旁边（页面包文件夹里），或写 static/ 里的 /路径"
                            .into(),
                    },
                ))
            }
        }
    }
}

/// A problem to a diagnostic in `display`, with the snippet from `text`.
pub fn to_diagnostic(p: LinkProblem, display: &str, text: &str) -> Diagnostic {
    let d = if p.error {
        Diagnostic::error(p.message)
    } else {
        Diagnostic::warning(p.message)
    };
    d.in_file(display)
        .at(Some(text), p.line, p.col)
        .width(p.width)
        .hint(p.hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolver() -> Resolver {
        let mut r = Resolver {
            base_path: "/zhibu1/".into(),
            ..Default::default()
        };
        r.by_source.insert(
            "lessons/a.md".into(),
            Target {
                path: "lessons/a/".into(),
                anchors: vec!["zong-gang".into()],
            },
        );
        r.drafts.insert("lessons/draft.md".into());
        r.assets.insert(
            "activities/wusi/合影 1.jpg".into(),
            "activities/wusi/合影 1.jpg".into(),
        );
        r
    }

    fn link(target: LinkTarget) -> PendingLink {
        PendingLink {
            target,
            written: "x".into(),
            line: 5,
            col: 3,
        }
    }

    #[test]
    fn resolves_pages_anchors_assets() {
        let r = resolver();
        let links = vec![
            link(LinkTarget::Content {
                path: "lessons/a.md".into(),
                fragment: Some("zong-gang".into()),
            }),
            link(LinkTarget::Asset {
                path: "activities/wusi/合影 1.jpg".into(),
            }),
            link(LinkTarget::SitePath {
                path: "/about/".into(),
            }),
        ];
        let (html, problems) = r.resolve_html(
            "<a href=\"zhibu-link:0\">a</a><img src=\"zhibu-link:1\"><a href=\"zhibu-link:2\">",
            &links,
        );
        let html = html.unwrap();
        assert!(problems.is_empty());
        assert_eq!(
            html,
            "<a href=\"/zhibu1/lessons/a/#zong-gang\">a</a><img src=\"/zhibu1/activities/wusi/%E5%90%88%E5%BD%B1%201.jpg\"><a href=\"/zhibu1/about/\">"
        );
    }

    #[test]
    fn missing_page_anchor_and_draft() {
        let r = resolver();
        let links = vec![
            link(LinkTarget::Content {
                path: "lessons/b.md".into(),
                fragment: None,
            }),
            link(LinkTarget::Content {
                path: "lessons/a.md".into(),
                fragment: Some("zong-gan".into()),
            }),
            link(LinkTarget::Content {
                path: "lessons/draft.md".into(),
                fragment: None,
            }),
        ];
        let (_, problems) = r.resolve_html("", &links);
        assert_eq!(problems.len(), 3);
        assert!(problems[0].message.contains("不存在"));
        assert!(problems[0].hint.contains("@/lessons/a.md"));
        assert!(problems[1].hint.contains("#zong-gang"));
        assert!(problems[2].message.contains("草稿"));
        assert_eq!((problems[0].line, problems[0].col), (5, 3));
    }

    #[test]
    fn references_from_front_matter() {
        let r = resolver();
        assert_eq!(
            r.resolve_ref("合影 1.jpg", "activities/wusi").unwrap(),
            "activities/wusi/合影 1.jpg"
        );
        assert_eq!(
            r.resolve_ref("/images/logo.png", "x").unwrap(),
            "images/logo.png"
        );
        assert_eq!(
            r.resolve_ref("https://a.cn/v.mp4", "x").unwrap(),
            "https://a.cn/v.mp4"
        );
        assert!(
            r.resolve_ref("合影1.jpg", "activities/wusi")
                .unwrap_err()
                .1
                .contains("合影 1.jpg")
        );
        assert!(r.resolve_ref("../../../x", "a").is_err());
    }
}
