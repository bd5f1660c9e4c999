//! `/ledger/<year>.csv`: every meeting of the year, one row each, with its
//! record's fields, for Excel and WPS: UTF-8 with a byte-order mark (without
//! it Excel reads Chinese as mojibake), CRLF rows, fields quoted where
//! needed; lists (agenda, decisions) stay in one cell, one item a line.
//! It is given only what it shows (`produce` reads it, recording what).

use chrono::{DateTime, FixedOffset};

use crate::config::Config;
use crate::model::Page;
use crate::render::views::dates::date_view;
use crate::render::views::percent;
use crate::routes;

/// The column headings, in order.
pub(crate) const HEADINGS: [&str; 20] = [
    "年度",
    "会议类型",
    "会议名称",
    "日期",
    "开始时间",
    "结束时间",
    "地点",
    "主持人",
    "记录人",
    "应到",
    "实到",
    "请假",
    "缺席",
    "出勤率",
    "议程",
    "决议",
    "参加党员",
    "附件",
    "状态",
    "网址",
];

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One meeting of the year, with the names of the members who took part.
pub(crate) struct Meeting<'a> {
    pub(crate) page: &'a Page,
    pub(crate) participants: Vec<String>,
}

fn numbered(items: &[String]) -> String {
    if items.len() == 1 {
        return items[0].clone();
    }
    items
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{}. {s}", i + 1))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One meeting's cells, in the order of [`HEADINGS`] (long but flat: one
/// expression per column).
fn row(config: &Config, now: DateTime<FixedOffset>, year: i32, meeting: &Meeting) -> Vec<String> {
    let p = meeting.page;
    let m = &p.src.front.activity.meeting;
    let a = p.activity.as_ref();
    let offset = config.offset();
    let permalink = |path: &str| routes::permalink(&config.origin(), &config.base_path(), path);
    let start = p.date.map(|d| d.at.with_timezone(&offset));
    let end = a
        .and_then(|a| a.end)
        .map(|e| (e, e.at.with_timezone(&offset)));
    let time = |all_day: bool, t: chrono::DateTime<chrono::FixedOffset>| {
        if all_day {
            String::new()
        } else {
            t.format("%H:%M").to_string()
        }
    };
    let count = |f: fn(&crate::parse::meeting::Attendance) -> u32| {
        m.attendance
            .as_ref()
            .map(|x| f(x).to_string())
            .unwrap_or_default()
    };
    let end_text = match (p.date, end) {
        (Some(s), Some((e, local))) if e.date() != s.date() => {
            format!("{} {}", local.format("%Y-%m-%d"), time(e.all_day, local))
                .trim()
                .to_string()
        }
        (_, Some((e, local))) => time(e.all_day, local),
        _ => String::new(),
    };
    vec![
        year.to_string(),
        m.kind.as_ref().map(|k| k.name.clone()).unwrap_or_default(),
        p.title.clone(),
        p.date
            .as_ref()
            .map(|d| date_view(d).ymd)
            .unwrap_or_default(),
        match (p.date, start) {
            (Some(d), Some(s)) => time(d.all_day, s),
            _ => String::new(),
        },
        end_text,
        a.and_then(|a| a.location.clone()).unwrap_or_default(),
        m.host.clone().unwrap_or_default(),
        m.recorder.clone().unwrap_or_default(),
        count(|x| x.expected),
        count(|x| x.present),
        count(|x| x.leave),
        count(|x| x.absent),
        m.attendance
            .and_then(|x| percent(x.present, x.expected))
            .unwrap_or_default(),
        numbered(&m.agenda),
        numbered(&m.decisions),
        meeting.participants.join("、"),
        p.attachments
            .iter()
            .map(|x| {
                if x.url.contains("://") {
                    x.url.clone()
                } else {
                    permalink(&crate::parse::markdown::encode_path(&x.url))
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
        if p.date.is_some_and(|d| d.at > now) {
            "已安排".into()
        } else {
            "已召开".into()
        },
        permalink(&p.path),
    ]
}

/// The CSV of one year's meetings.
pub(crate) fn csv(
    config: &Config,
    now: DateTime<FixedOffset>,
    year: i32,
    meetings: &[Meeting],
) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(BOM.to_vec());
    // Writing to a Vec cannot fail (no I/O), and every row has the same
    // number of fields as HEADINGS.
    let _ = w.write_record(HEADINGS);
    for m in meetings {
        let _ = w.write_record(row(config, now, year, m));
    }
    w.into_inner().unwrap_or_default()
}
