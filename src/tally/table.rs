//! The tally as text: a table aligned for a terminal (Chinese characters
//! are two columns wide) and the same data as CSV for Excel/WPS (UTF-8
//! with a BOM, every field quoted, CRLF, no cell that Excel would run as a
//! formula). Both say that the records are self-reported.

use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset};
use unicode_width::UnicodeWidthStr;

use crate::model::Site;
use crate::model::plans::{Done, Plan, PlanItem};
use crate::tally::record::Record;
use crate::tally::{Reader, Tally};

/// Said under every table and in every CSV.
pub const SELF_REPORTED: &str =
    "说明：以下记录由读者在自己的浏览器里生成后发来（自报），zhibu 无法核实，仅供参考。";

/// One item for one reader.
struct Cell {
    /// When it was done.
    done: Option<i64>,
    /// Best quiz score, when the item is a quiz that was taken.
    score: Option<u32>,
    /// Not done and past its due date (required items only).
    overdue: bool,
}

fn cell(site: &Site, item: &PlanItem, r: &Record, now: DateTime<FixedOffset>) -> Cell {
    let keys = item.keys(site);
    let k = &keys[0];
    let quiz = r.quizzes.get(k);
    let done = match item.done {
        Done::Quiz => quiz.filter(|q| q.passed).map(|q| q.at),
        Done::Read => r.lessons.get(k).copied(),
        Done::Course => keys
            .iter()
            .map(|k| r.lessons.get(k).copied())
            .collect::<Option<Vec<i64>>>()
            .and_then(|v| v.into_iter().max()),
        Done::Mark => r.tasks.get(k).copied(),
    };
    Cell {
        done,
        score: (item.done == Done::Quiz)
            .then(|| quiz.map(|q| q.best))
            .flatten(),
        overdue: done.is_none() && item.required && item.end().is_some_and(|e| now >= e),
    }
}

fn local(site: &Site, minutes: i64, format: &str) -> String {
    DateTime::from_timestamp(minutes * 60, 0)
        .map(|d| {
            d.with_timezone(&site.config.offset())
                .format(format)
                .to_string()
        })
        .unwrap_or_default()
}

/// 学习积分 by the site's rules, as 我的学习 counts them.
pub(crate) fn points(site: &Site, r: &Record) -> u32 {
    let p = &site.config.points;
    let passed = r.quizzes.values().filter(|q| q.passed).count() as u32;
    let perfect = r.quizzes.values().filter(|q| q.perfect).count() as u32;
    let courses = site
        .courses
        .iter()
        .filter(|c| {
            !c.lessons.is_empty()
                && c.lessons
                    .iter()
                    .all(|&id| r.lessons.contains_key(&site.page(id).path))
        })
        .count() as u32;
    r.lessons.len() as u32 * p.lesson_read
        + passed * p.quiz_passed
        + perfect * p.quiz_perfect
        + courses * p.course_completed
}

fn passed_count(r: &Record) -> usize {
    r.quizzes.values().filter(|q| q.passed).count()
}

/// Quizzes any reader took, in the site's page order: (key, title).
fn quizzes_taken(site: &Site, readers: &[Reader]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = site
        .pages
        .iter()
        .filter(|p| p.quiz().is_some())
        .filter(|p| {
            readers
                .iter()
                .any(|r| r.record.quizzes.contains_key(&p.path))
        })
        .map(|p| (p.path.clone(), p.title.clone()))
        .collect();
    // Quizzes the site no longer has, by key.
    for r in readers {
        for k in r.record.quizzes.keys() {
            if !out.iter().any(|(key, _)| key == k) {
                out.push((k.clone(), k.clone()));
            }
        }
    }
    out
}

fn plan_heading(site: &Site, plan: &Plan) -> String {
    let page = site.page(plan.page);
    let range = match (plan.start, plan.due) {
        (Some(s), Some(d)) => format!("（{} 至 {}）", s.date(), d.date()),
        (None, Some(d)) => format!("（截至 {}）", d.date()),
        (Some(s), None) => format!("（{} 起）", s.date()),
        (None, None) => String::new(),
    };
    format!("学习任务完成情况：{}{range}", page.title)
}

fn required(plan: &Plan) -> usize {
    plan.items.iter().filter(|i| i.required).count()
}

fn pad(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(s.width())))
}

fn aligned(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let line: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(c, s)| pad(s, widths[c]))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// Header and rows of the plan's table: each item for each reader.
fn plan_rows(site: &Site, t: &Tally, plan: &Plan, now: DateTime<FixedOffset>) -> Vec<Vec<String>> {
    let mut head = vec!["姓名".to_string()];
    head.extend(plan.items.iter().enumerate().map(|(i, item)| {
        if item.required {
            (i + 1).to_string()
        } else {
            format!("{}（可选）", i + 1)
        }
    }));
    head.extend(["完成".into(), "积分".into()]);
    let mut rows = vec![head];
    for r in &t.readers {
        let mut row = vec![r.label()];
        let mut done = 0;
        for item in &plan.items {
            let c = cell(site, item, &r.record, now);
            if c.done.is_some() && item.required {
                done += 1;
            }
            let score = c.score.map(|s| format!(" {s}分")).unwrap_or_default();
            row.push(match c.done {
                Some(at) => format!("✓{}{score}", local(site, at, "%m-%d")),
                None if c.score.is_some() => format!("未及格{score}"),
                None if c.overdue => "逾期".into(),
                None => "—".into(),
            });
        }
        row.push(format!("{done}/{}", required(plan)));
        row.push(points(site, &r.record).to_string());
        rows.push(row);
    }
    rows
}

/// Header and rows without a plan: totals and every quiz score.
fn summary_rows(site: &Site, t: &Tally) -> Vec<Vec<String>> {
    let mut rows = vec![
        ["姓名", "读完课程", "通过测验", "积分", "测验成绩"]
            .map(String::from)
            .to_vec(),
    ];
    let titles = quizzes_taken(site, &t.readers);
    for r in &t.readers {
        let scores: Vec<String> = titles
            .iter()
            .filter_map(|(k, title)| {
                r.record
                    .quizzes
                    .get(k)
                    .map(|q| format!("{title} {}分", q.best))
            })
            .collect();
        rows.push(vec![
            r.label(),
            r.record.lessons.len().to_string(),
            passed_count(&r.record).to_string(),
            points(site, &r.record).to_string(),
            scores.join("、"),
        ]);
    }
    rows
}

/// The table for a terminal.
pub fn plain(site: &Site, t: &Tally, now: DateTime<FixedOffset>) -> String {
    let mut out = String::new();
    let rows = match t.plan {
        Some(plan) => {
            let _ = writeln!(out, "{}", plan_heading(site, plan));
            plan_rows(site, t, plan, now)
        }
        None => {
            let _ = writeln!(out, "学习情况汇总（{}）", site.config.title);
            summary_rows(site, t)
        }
    };
    let _ = writeln!(out, "{SELF_REPORTED}\n");
    if t.readers.is_empty() {
        out.push_str("（没有可以统计的记录）\n");
    } else {
        out.push_str(&aligned(&rows));
    }
    if let Some(plan) = t.plan {
        out.push_str("\n任务：\n");
        for (i, item) in plan.items.iter().enumerate() {
            let due = item
                .due
                .map(|d| format!("，截止 {}", d.date()))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {}. {}（{}{due}{}）",
                i + 1,
                item.title(site),
                item.done.how(),
                if item.required { "" } else { "，可选" }
            );
        }
    }
    let _ = writeln!(
        out,
        "\n共 {} 位读者（读到 {} 份记录）。",
        t.readers.len(),
        t.records
    );
    for n in &t.notes {
        let _ = writeln!(out, "注意：{n}");
    }
    out
}

/// One CSV field: quoted, quotes doubled; a leading = + - @ (a formula to
/// Excel) is neutralised with an apostrophe.
fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn line(out: &mut String, cells: &[String]) {
    let fields: Vec<String> = cells.iter().map(|c| field(c)).collect();
    out.push_str(&fields.join(","));
    out.push_str("\r\n");
}

/// The CSV: a title row saying what it is and that it is self-reported,
/// the header, one row per reader.
pub fn csv(site: &Site, t: &Tally, now: DateTime<FixedOffset>) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    let when = now.format("%Y-%m-%d %H:%M").to_string();
    match t.plan {
        Some(plan) => {
            line(
                &mut out,
                &[format!(
                    "{}；统计时间 {when}；{SELF_REPORTED}",
                    plan_heading(site, plan)
                )],
            );
            let mut head = vec!["姓名".to_string()];
            for (i, item) in plan.items.iter().enumerate() {
                let name = format!("{}. {}", i + 1, item.title(site));
                head.push(format!("{name} 完成时间"));
                if item.done == Done::Quiz {
                    head.push(format!("{name} 成绩"));
                }
            }
            head.extend(["完成（必做）", "读完课程", "通过测验", "积分", "来源"].map(String::from));
            line(&mut out, &head);
            for r in &t.readers {
                let mut row = vec![r.label()];
                let mut done = 0;
                for item in &plan.items {
                    let c = cell(site, item, &r.record, now);
                    if c.done.is_some() && item.required {
                        done += 1;
                    }
                    row.push(match c.done {
                        Some(at) => local(site, at, "%Y-%m-%d %H:%M"),
                        None if c.overdue => "逾期".into(),
                        None => String::new(),
                    });
                    if item.done == Done::Quiz {
                        row.push(c.score.map(|s| s.to_string()).unwrap_or_default());
                    }
                }
                row.push(format!("{done}/{}", required(plan)));
                row.extend(tail(site, r));
                line(&mut out, &row);
            }
        }
        None => {
            line(
                &mut out,
                &[format!(
                    "学习情况汇总：{}；统计时间 {when}；{SELF_REPORTED}",
                    site.config.title
                )],
            );
            let titles = quizzes_taken(site, &t.readers);
            let mut head = vec!["姓名".to_string()];
            head.extend(titles.iter().map(|(_, title)| format!("{title} 成绩")));
            head.extend(["读完课程", "通过测验", "积分", "来源"].map(String::from));
            line(&mut out, &head);
            for r in &t.readers {
                let mut row = vec![r.label()];
                row.extend(titles.iter().map(|(k, _)| {
                    r.record
                        .quizzes
                        .get(k)
                        .map(|q| q.best.to_string())
                        .unwrap_or_default()
                }));
                row.extend(tail(site, r));
                line(&mut out, &row);
            }
        }
    }
    out.into_bytes()
}

/// 读完课程, 通过测验, 积分, 来源.
fn tail(site: &Site, r: &Reader) -> Vec<String> {
    vec![
        r.record.lessons.len().to_string(),
        passed_count(&r.record).to_string(),
        points(site, &r.record).to_string(),
        r.sources.join("；"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("张三"), "\"张三\"");
        assert_eq!(field("a\"b"), "\"a\"\"b\"");
        assert_eq!(field("=HYPERLINK(1)"), "\"'=HYPERLINK(1)\"");
    }

    #[test]
    fn columns_align_with_chinese_text() {
        let rows = vec![
            vec!["姓名".to_string(), "积分".to_string()],
            vec!["欧阳小明".to_string(), "12".to_string()],
        ];
        let t = aligned(&rows);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "姓名      积分");
        assert_eq!(lines[1], "欧阳小明  12");
    }
}
