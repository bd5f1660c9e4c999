//! Stage 2: each source file into a typed, validated page: front matter
//! (YAML → [`front::Front`], quiz included), the privacy guard, and the
//! Markdown body rendered once. Files are independent, so this runs in
//! parallel.

mod cache;
pub mod dates;
pub mod front;
pub mod markdown;
mod md_paths;
mod md_photos;
mod md_walk;
pub mod meeting;
pub mod notice;
pub mod plan;
pub mod privacy;
pub mod quiz;
pub mod reader;
mod safe_url;
mod sanitize;
pub mod signup;
mod slips;
pub mod yaml;
mod yaml_errors;

use std::collections::HashSet;

use chrono::FixedOffset;
use rayon::prelude::*;
use serde::Serialize;

use crate::cache::Cache;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::SourceFile;
use front::Front;
use markdown::{FileSet, Markdown, MdContext};
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
    let files = FileSet::new(ctx.files);
    parse_asking(file, ctx, &files)
}

/// [`parse_file`], asking `files` whether the body's link targets exist.
fn parse_asking(
    file: SourceFile,
    ctx: &ParseContext,
    files: &FileSet,
) -> (Option<ParsedPage>, Vec<Diagnostic>) {
    let kind = Kind::of(&file);
    let mut diags = Vec::new();
    if let Some(removed) = file.removed {
        diags.push(
            Diagnostic::warning(format!(
                "文件里有 {} 个看不见的控制字符（多半是从 PDF、Word 或网页粘贴来的），已经删掉；第一个在这里",
                removed.count
            ))
            .in_file(file.display())
            .at(Some(&file.text), removed.line, removed.col)
            .hint("网站上不会出现它们；想让文件本身也干净，删掉这里的空白再重新输入"),
        );
    }
    let node = match yaml::parse(file.front()) {
        Ok(n) => n,
        Err(e) => {
            let line = file.front_line + e.pos.line.saturating_sub(1);
            diags.push(
                Diagnostic::error(e.message)
                    .in_file(file.display())
                    .at(Some(&file.text), line, e.pos.col)
                    .width(e.width)
                    .hint(e.hint),
            );
            return (None, diags);
        }
    };
    let mut r = Reader::new(&file, ctx.offset);
    let front = front::read_front(&mut r, kind, &node);
    diags.append(&mut r.diags);
    diags.extend(privacy::check_page(&file, &node, ctx.allow));
    let Some(front) = front else {
        return (None, diags);
    };
    let md = markdown::render(
        file.body(),
        &MdContext {
            dir: file.dir(),
            body_line: file.body_line,
            files,
        },
    );
    for issue in md.issues.iter().take(MAX_ISSUES) {
        let d = if issue.warning {
            Diagnostic::warning(issue.message.clone())
        } else {
            Diagnostic::error(issue.message.clone())
        };
        diags.push(
            d.in_file(file.display())
                .at(Some(&file.text), issue.line, issue.col)
                .width(issue.width)
                .hint(issue.hint.clone()),
        );
    }
    if md.issues.len() > MAX_ISSUES {
        diags.push(
            Diagnostic::error(format!(
                "正文里还有 {} 个类似的问题没有逐一列出",
                md.issues.len() - MAX_ISSUES
            ))
            .in_file(file.display())
            .hint("先改正上面列出的，再构建一次就会看到其余的"),
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

/// Body problems listed per file; each message copies its source line, so
/// 100 000 broken links must not mean 100 000 scans of a 5 MB file.
const MAX_ISSUES: usize = 50;

/// Every file parsed, in the input order.
pub struct ParsedAll {
    pub pages: Vec<ParsedPage>,
    pub diags: Diagnostics,
    /// How many files were parsed afresh (not kept by the build cache).
    pub fresh: usize,
}

/// Parses every file in parallel; the result keeps the input order. With
/// the build cache, a file parsed cleanly by an earlier build with the same
/// text comes back from it ([`cache`]).
pub fn parse_all(files: Vec<SourceFile>, ctx: &ParseContext, kept: &Cache) -> ParsedAll {
    let (results, fresh) = if kept.is_enabled() {
        parse_kept(files, ctx, kept)
    } else {
        let n = files.len();
        let r: Vec<Parsed> = files.into_par_iter().map(|f| parse_file(f, ctx)).collect();
        (r, n)
    };
    let mut pages = Vec::with_capacity(results.len());
    let mut diags = Diagnostics::new();
    for (p, d) in results {
        pages.extend(p);
        diags.extend(d);
    }
    ParsedAll {
        pages,
        diags,
        fresh,
    }
}

type Parsed = (Option<ParsedPage>, Vec<Diagnostic>);
/// [`Parsed`], and whether it came from the cache.
type Kept = (Option<ParsedPage>, Vec<Diagnostic>, bool);

/// [`parse_all`] with the cache: files grouped by the pack holding their
/// entries, each pack read, used and written back by one task, so only two
/// packs are in memory at a time.
fn parse_kept(files: Vec<SourceFile>, ctx: &ParseContext, kept: &Cache) -> (Vec<Parsed>, usize) {
    let salt = cache::salt(ctx.offset.local_minus_utc(), ctx.allow.entries());
    let mut groups: Vec<Vec<(usize, Option<u128>, SourceFile)>> =
        (0..cache::PACKS).map(|_| Vec::new()).collect();
    for (i, f) in files.into_iter().enumerate() {
        let key = cache::key(salt, &f);
        groups[key.map_or(0, cache::pack_of)].push((i, key, f));
    }
    let mut done: Vec<(usize, Kept)> = groups
        .into_par_iter()
        .enumerate()
        .flat_map_iter(|(n, group)| {
            let mut pack = cache::Pack::load(kept, n);
            let out: Vec<_> = group
                .into_iter()
                .map(|(i, key, f)| (i, parse_one(f, key, ctx, &mut pack)))
                .collect();
            pack.save(kept, n);
            out
        })
        .collect();
    done.sort_unstable_by_key(|(i, _)| *i);
    let fresh = done.iter().filter(|(_, (_, _, kept))| !kept).count();
    let parsed = done.into_iter().map(|(_, (p, d, _))| (p, d)).collect();
    (parsed, fresh)
}

/// One file: its kept parse (true), or a fresh one (kept when clean).
fn parse_one(f: SourceFile, key: Option<u128>, ctx: &ParseContext, pack: &mut cache::Pack) -> Kept {
    let Some(key) = key else {
        let (p, d) = parse_file(f, ctx);
        return (p, d, false);
    };
    if let Some(k) = pack.take(key, ctx.files) {
        let kind = Kind::of(&f);
        let page = ParsedPage {
            file: f,
            kind,
            front: k.front,
            md: k.md,
        };
        return (Some(page), Vec::new(), true);
    }
    let files = FileSet::new(ctx.files);
    let (page, diags) = parse_asking(f, ctx, &files);
    if let (Some(p), true) = (&page, diags.is_empty()) {
        pack.store(key, &files.into_asked(), &p.front, &p.md);
    }
    (page, diags, false)
}
