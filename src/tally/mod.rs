//! `zhibu tally`: the secretary's completion table from readers' exported
//! records — JSON files (导出记录) and text files holding pasted 学习记录码,
//! several per file among other chat text. Every record is checked (it
//! reads, it belongs to this site, it was not sent twice); a bad one is
//! named with its file and place and skipped, and never costs the others.
//! Records of one name are merged (a reader with two devices); unnamed
//! records stay one row each. The records are self-reported, and every
//! table says so.

pub mod record;
mod table;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, FixedOffset, Utc};

use crate::diagnostics::{Diagnostic, Diagnostics, closest, display_path};
use crate::model::Site;
use crate::model::plans::Plan;
use crate::pipeline::{self, Options};
use crate::session::{SearchPlacement, Session};
use record::{At, Record};

pub use table::{SELF_REPORTED, csv, plain};

/// What `zhibu tally` was asked.
pub struct TallyOptions<'a> {
    pub files: &'a [PathBuf],
    /// A plan's slug (or its file name); else the one current plan, if any.
    pub plan: Option<&'a str>,
    pub now: DateTime<FixedOffset>,
}

/// One reader's row: their merged record and where it came from.
#[derive(Clone, Debug)]
pub struct Reader {
    /// As written; "" for an unnamed record.
    pub name: String,
    pub record: Record,
    /// `file:line` of each record merged in.
    pub sources: Vec<String>,
}

impl Reader {
    /// The name, or where an unnamed record came from (file name and line).
    pub fn label(&self) -> String {
        if !self.name.is_empty() {
            return self.name.clone();
        }
        let short: Vec<&str> = self
            .sources
            .iter()
            .map(|s| s.rsplit(['/', '\\']).next().unwrap_or(s))
            .collect();
        format!("（未署名）{}", short.join("、"))
    }
}

/// Everything read: the readers, and what was skipped or doubtful.
pub struct Tally<'s> {
    pub readers: Vec<Reader>,
    /// The plan the table is about, if any.
    pub plan: Option<&'s Plan>,
    /// Records read (before merging).
    pub records: usize,
    /// Problems with the input; errors mean a record was skipped.
    pub diagnostics: Diagnostics,
    /// Plain remarks printed under the table.
    pub notes: Vec<String>,
}

/// One record found in a file, with where.
struct Found {
    source: String,
    record: Record,
}

/// Reads every file and tallies them for `site`. Only a wrong `--plan` is
/// an error that stops it; every bad record is a diagnostic in the result.
pub fn tally<'s>(site: &'s Site, opts: &TallyOptions) -> Result<Tally<'s>, Diagnostics> {
    let plan = choose_plan(site, opts)?;
    let mut diags = Diagnostics::new();
    let mut found: Vec<Found> = Vec::new();
    for path in opts.files {
        read_file(path, &mut found, &mut diags);
    }
    let records = found.len();
    let mut kept: Vec<Found> = Vec::new();
    for f in found {
        if !same_site(&f.record.site, &site.permalink("")) {
            diags.push(
                Diagnostic::error(format!(
                    "{}的学习记录来自另一个网站（{}），已跳过",
                    who(&f.record),
                    f.record.site
                ))
                .in_file(&f.source)
                .hint(format!(
                    "这个网站是 {}。请对方在本站的“我的学习”页面重新导出；如果网站换过网址，用 --base-url 指定原来的网址",
                    site.permalink("")
                )),
            );
            continue;
        }
        if let Some(first) = kept.iter().find(|k| k.record.same_content(&f.record)) {
            diags.push(
                Diagnostic::warning(format!(
                    "{}的学习记录与 {} 重复，已跳过",
                    who(&f.record),
                    first.source
                ))
                .in_file(&f.source)
                .hint("同一份记录发了两次（文件和学习记录码算同一份），只统计一次"),
            );
            continue;
        }
        kept.push(f);
    }
    let (readers, notes) = by_reader(kept);
    Ok(Tally {
        readers,
        plan,
        records,
        diagnostics: diags,
        notes,
    })
}

/// One row per name (records of one name merged), one per unnamed record;
/// with remarks on merged and unnamed records.
fn by_reader(kept: Vec<Found>) -> (Vec<Reader>, Vec<String>) {
    let mut readers: Vec<Reader> = Vec::new();
    let mut notes = Vec::new();
    for f in kept {
        let name = f.record.name.clone();
        match readers
            .iter_mut()
            .find(|r| !name.is_empty() && r.name == name)
        {
            Some(r) => {
                r.record.merge(&f.record);
                r.sources.push(f.source);
            }
            None => readers.push(Reader {
                name,
                record: f.record,
                sources: vec![f.source],
            }),
        }
    }
    for r in readers.iter().filter(|r| r.sources.len() > 1) {
        notes.push(format!(
            "{} 有 {} 份不同的记录（{}），已合并：可能来自两台设备或两次导出",
            r.name,
            r.sources.len(),
            r.sources.join("、")
        ));
    }
    let unnamed = readers.iter().filter(|r| r.name.is_empty()).count();
    if unnamed > 0 {
        notes.push(format!(
            "{unnamed} 份记录没有署名：请提醒读者在“我的学习”里填写姓名后重新导出"
        ));
    }
    readers.sort_by_cached_key(|r| (r.name.is_empty(), crate::slug::pinyin_compact(&r.name)));
    (readers, notes)
}

fn who(r: &Record) -> String {
    if r.name.is_empty() {
        "一份未署名".into()
    } else {
        format!("「{}」", r.name)
    }
}

/// One site: host (any case) and path the same; http and https alike.
fn same_site(a: &str, b: &str) -> bool {
    let norm = |u: &str| {
        let rest = u.split_once("://").map(|(_, r)| r).unwrap_or(u);
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        format!(
            "{}{}",
            host.to_ascii_lowercase(),
            path.trim_end_matches('/')
        )
    };
    norm(a) == norm(b)
}

fn read_file(path: &Path, found: &mut Vec<Found>, diags: &mut Diagnostics) {
    let shown = display_path(path);
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(
                Diagnostic::error(format!("读不出文件：{e}"))
                    .in_file(&shown)
                    .hint("检查文件名和路径"),
            );
            return;
        }
    };
    // Codes are ASCII, so a text saved in GBK still reads; a file of ours is UTF-8.
    let text = String::from_utf8_lossy(&bytes);
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('{') {
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(v) => {
                match record::from_json(&v) {
                    Ok(r) => found.push(Found {
                        source: shown,
                        record: r,
                    }),
                    Err(why) => diags.push(
                        Diagnostic::error(format!("{why}，已跳过"))
                            .in_file(&shown)
                            .hint("请对方在“我的学习”页面重新导出记录"),
                    ),
                }
                return;
            }
            Err(e) if record::codes_in(text).is_empty() => {
                diags.push(
                    Diagnostic::error(format!(
                        "文件不是完整的学习记录（JSON 在第 {} 行第 {} 列读不下去），已跳过",
                        e.line(),
                        e.column()
                    ))
                    .in_file(&shown)
                    .hint("文件可能只下载或复制了一部分；请对方重新导出"),
                );
                return;
            }
            Err(_) => {}
        }
    }
    let codes = record::codes_in(text);
    if codes.is_empty() {
        diags.push(
            Diagnostic::error("文件里没有找到学习记录码（ZHIBU1.……），也不是导出的学习记录文件")
                .in_file(&shown)
                .hint("学习记录码以 ZHIBU1. 开头；把聊天里收到的记录码整段粘贴进文本文件即可"),
        );
    }
    for (At { line, col }, result) in codes {
        let source = format!("{shown}:{line}");
        match result {
            Ok(r) => found.push(Found { source, record: r }),
            Err(why) => diags.push(
                Diagnostic::error(format!("{why}，已跳过"))
                    .in_file(&shown)
                    .at(None, line, col)
                    .hint("请对方在“我的学习”里点「复制学习记录码」，把整段文字原样发过来"),
            ),
        }
    }
}

fn choose_plan<'s>(site: &'s Site, opts: &TallyOptions) -> Result<Option<&'s Plan>, Diagnostics> {
    let slug_of = |p: &Plan| site.page(p.page).slug.as_str();
    let list = || {
        site.plans
            .iter()
            .map(|p| format!("{}（{}）", slug_of(p), site.page(p.page).title))
            .collect::<Vec<_>>()
            .join("、")
    };
    let Some(wanted) = opts.plan else {
        let current = site.current_plans(opts.now);
        return Ok(match current.as_slice() {
            [one] => Some(*one),
            _ => None,
        });
    };
    let w = wanted
        .trim()
        .trim_start_matches("content/")
        .trim_start_matches("plans/")
        .trim_end_matches('/')
        .trim_end_matches(".md")
        .trim_end_matches("/index");
    let slug = crate::slug::slugify(w);
    let found = site.plans.iter().find(|p| {
        let page = site.page(p.page);
        page.slug == w || page.slug == slug || page.src.file.stem() == w
    });
    match found {
        Some(p) => Ok(Some(p)),
        None => {
            let hint = if site.plans.is_empty() {
                "这个网站还没有学习计划：在 content/plans/ 里建一个".to_string()
            } else {
                match closest(w, site.plans.iter().map(slug_of), 3) {
                    Some(s) => format!("是不是 --plan {s}？网站的学习计划：{}", list()),
                    None => format!("网站的学习计划：{}", list()),
                }
            };
            Err(Diagnostic::error(format!("没有找到学习计划 `{wanted}`"))
                .hint(hint)
                .into())
        }
    }
}

/// `zhibu tally`: reads the site (for its address, plans, titles and
/// points), then the files; prints the table, writes the CSV. Exit status
/// 1 when a record had to be skipped or none could be read (the table of
/// the good ones is printed and written all the same), else 0.
pub fn run(
    opts: &Options,
    files: &[PathBuf],
    plan: Option<&str>,
    csv_out: Option<&Path>,
    color: bool,
) -> ExitCode {
    let fail = |d: &Diagnostics, what: &str| {
        eprint!("{}", d.render(color));
        eprintln!("{what}：{}", d.summary());
        ExitCode::from(crate::cli::EXIT_ERRORS)
    };
    let prepared = Session::open(opts, SearchPlacement::Versioned)
        // Reading only: tally leaves the build cache to builds.
        .and_then(|session| pipeline::prepare(&session, &|_| {}, &crate::cache::Cache::disabled()));
    let site = match prepared {
        Ok(p) => p.site,
        Err(d) => return fail(&d, "读不出网站，没有统计"),
    };
    let now = opts
        .now
        .unwrap_or_else(|| Utc::now().with_timezone(&site.config.offset()));
    let t = match tally(&site, &TallyOptions { files, plan, now }) {
        Ok(t) => t,
        Err(d) => return fail(&d, "没有统计"),
    };
    let mut diags = t.diagnostics.clone();
    if plan.is_none() && t.plan.is_none() && !site.plans.is_empty() {
        let names: Vec<&str> = site
            .plans
            .iter()
            .map(|p| site.page(p.page).slug.as_str())
            .collect();
        eprintln!(
            "现在没有唯一的当前学习计划，下面是总体情况；要按某个计划统计，加上 --plan {}",
            names.join(" 或 --plan ")
        );
    }
    print!("{}", plain(&site, &t, now));
    if let Some(out) = csv_out {
        if let Err(e) = std::fs::write(out, csv(&site, &t, now)) {
            diags.push(
                Diagnostic::error(format!("CSV 没有写成：{e}"))
                    .in_file(display_path(out))
                    .hint("检查文件夹是否存在、文件是否正被 Excel 打开"),
            );
        } else {
            eprintln!("已写入 {}（可以用 Excel 或 WPS 打开）", display_path(out));
        }
    }
    if !diags.is_empty() {
        eprint!("{}", diags.render(color));
    }
    let skipped = diags.iter().filter(|d| d.is_error()).count();
    eprintln!(
        "统计了 {} 位读者；{}",
        t.readers.len(),
        if diags.is_empty() {
            "所有记录都已读入".to_string()
        } else {
            format!("{}（出错的记录已跳过，其余照常统计）", diags.summary())
        }
    );
    if skipped > 0 || t.readers.is_empty() {
        ExitCode::from(crate::cli::EXIT_ERRORS)
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sites_compare_by_host_and_path() {
        assert!(same_site("https://a.cn/x/", "http://A.cn/x"));
        assert!(!same_site("https://a.cn/x/", "https://a.cn/y/"));
        assert!(!same_site("https://b.cn/x/", "https://a.cn/x/"));
    }
}
