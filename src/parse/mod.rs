//! Stage 2: each source file into a typed, validated page: front matter
//! (YAML → [`front::Front`], quiz included), the privacy guard, and the
//! Markdown body rendered once. Files are independent, so this runs in
//! parallel.

pub mod dates;
pub mod front;
pub mod markdown;
pub mod meeting;
pub mod notice;
pub mod plan;
pub mod privacy;
pub mod quiz;
pub mod reader;
pub mod signup;
pub mod yaml;

use std::collections::HashSet;

use chrono::FixedOffset;
use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::SourceFile;
use front::Front;
use markdown::{Markdown, MdContext};
use privacy::Allow;
use reader::Reader;

/// What a file is, from where it lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// content/lessons/…: 学习课程
    Lesson,
    /// content/members/…: 先锋模范
    Member,
    /// content/activities/…: 支部活动
    Activity,
    /// content/courses/…: optional description of a course
    Course,
    /// content/notices/…: 通知公告, 公示 with a disclosure period
    Notice,
    /// content/plans/…: 学习计划, study tasks with due dates
    Plan,
    /// Any other page: content/about.md …
    Page,
    /// An `_index.md`: a section's (or the home page's) own text
    Section,
}

impl Kind {
    pub fn of(file: &SourceFile) -> Kind {
        if file.is_section_index() {
            return Kind::Section;
        }
        match file.section() {
            "lessons" => Kind::Lesson,
            "members" => Kind::Member,
            "activities" => Kind::Activity,
            "courses" => Kind::Course,
            "notices" => Kind::Notice,
            "plans" => Kind::Plan,
            _ => Kind::Page,
        }
    }

    /// 学习课程, 先锋模范 … for labels in lists and search results.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Lesson => "学习课程",
            Kind::Member => "先锋模范",
            Kind::Activity => "支部活动",
            Kind::Course => "系列课程",
            Kind::Notice => "通知公告",
            Kind::Plan => "学习计划",
            Kind::Page | Kind::Section => "页面",
        }
    }
}

#[derive(Clone, Debug)]
pub struct ParsedPage {
    pub file: SourceFile,
    pub kind: Kind,
    pub front: Front,
    pub md: Markdown,
}

pub struct ParseContext<'a> {
    pub offset: FixedOffset,
    pub allow: &'a Allow,
    /// Every file under content/, relative, for link checks.
    pub files: &'a HashSet<String>,
}

/// Parses one file; `None` when it cannot become a page (the diagnostics say why).
pub fn parse_file(file: SourceFile, ctx: &ParseContext) -> (Option<ParsedPage>, Vec<Diagnostic>) {
    let kind = Kind::of(&file);
    let node = match yaml::parse(file.front()) {
        Ok(n) => n,
        Err(e) => {
            let line = file.front_line + e.pos.line.saturating_sub(1);
            let d = Diagnostic::error(format!("front matter 不是有效的 YAML：{}", e.message))
                .in_file(file.display())
                .at(Some(&file.text), line, e.pos.col)
                .hint(yaml_hint(&e.message));
            return (None, vec![d]);
        }
    };
    let mut r = Reader::new(&file, ctx.offset);
    let front = front::read_front(&mut r, kind, &node);
    let mut diags = std::mem::take(&mut r.diags);
    diags.extend(privacy::check_page(&file, &node, ctx.allow));
    let Some(front) = front else {
        return (None, diags);
    };
    let md = markdown::render(
        file.body(),
        &MdContext {
            dir: file.dir(),
            body_line: file.body_line,
            files: ctx.files,
        },
    );
    for issue in &md.issues {
        diags.push(
            Diagnostic::error(issue.message.clone())
                .in_file(file.display())
                .at(Some(&file.text), issue.line, issue.col)
                .width(issue.width)
                .hint(issue.hint.clone()),
        );
    }
    (
        Some(ParsedPage {
            file,
            kind,
            front,
            md,
        }),
        diags,
    )
}

fn yaml_hint(message: &str) -> String {
    if message.contains("duplicate") {
        "同一个键写了两次；删掉其中一个".into()
    } else if message.contains("':'") || message.contains("mapping values") {
        "值里有英文冒号时，用英文引号把整个值括起来，例如 title: \"会议：主题\"".into()
    } else if message.contains("indent") || message.contains("block mapping") {
        "检查缩进：同一层的键要对齐，列表项以「- 」开头，只用空格不用 Tab".into()
    } else if message.contains("alias") || message.contains("anchor") || message.contains("budget")
    {
        "front matter 里的 & 和 * 是 YAML 的锚点和别名；普通文字请加引号".into()
    } else {
        "YAML 的基本写法是每行「键: 值」，冒号后有一个空格；含特殊符号的值用英文引号括起来".into()
    }
}

/// Parses every file in parallel; the result keeps the input order.
pub fn parse_all(files: Vec<SourceFile>, ctx: &ParseContext) -> (Vec<ParsedPage>, Diagnostics) {
    let results: Vec<(Option<ParsedPage>, Vec<Diagnostic>)> =
        files.into_par_iter().map(|f| parse_file(f, ctx)).collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut diags = Diagnostics::new();
    for (p, d) in results {
        pages.extend(p);
        diags.extend(d);
    }
    (pages, diags)
}
