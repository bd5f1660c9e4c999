//! The periods of one meeting type in one year (months, quarters, halves
//! or the year), each with its status, and the type's totals for the year.

use chrono::{Datelike, NaiveDate};

use crate::model::ledger::{Period, Record, Status, TypeYear};
use crate::parse::meeting::Frequency;

/// One type in one year: its periods with their status, and the totals.
pub(super) fn type_year(
    name: &str,
    f: Frequency,
    year: i32,
    records: &[&Record],
    start: NaiveDate,
    today: NaiveDate,
) -> TypeYear {
    let mut t = TypeYear {
        name: name.to_string(),
        frequency: f,
        periods: Vec::new(),
        held: records.iter().filter(|r| r.held).count(),
        scheduled: records.iter().filter(|r| !r.held).count(),
        required: 0,
        met: 0,
        missing: 0,
        expected: 0,
        present: 0,
        leave: 0,
        absent: 0,
        with_attendance: 0,
    };
    for a in records
        .iter()
        .filter(|r| r.held)
        .filter_map(|r| r.attendance)
    {
        t.expected += a.expected;
        t.present += a.present;
        t.leave += a.leave;
        t.absent += a.absent;
        t.with_attendance += 1;
    }
    // Types without a requirement list the months that had meetings.
    let step = if f == Frequency::None { 1 } else { f.months() };
    let mut m = 1;
    while m <= 12 {
        let p_start = ymd(year, m);
        let p_end = if m + step > 12 {
            ymd(year + 1, 1)
        } else {
            ymd(year, m + step)
        };
        let meetings: Vec<&Record> = records
            .iter()
            .copied()
            .filter(|r| r.date >= p_start && r.date < p_end)
            .collect();
        m += step;
        if f == Frequency::None && meetings.is_empty() {
            continue;
        }
        let counted = f != Frequency::None && p_end > start;
        let status = if meetings.iter().any(|r| r.held) {
            Status::Held
        } else if !meetings.is_empty() {
            Status::Scheduled
        } else if !counted {
            Status::NotCounted
        } else if p_end <= today {
            Status::Missing
        } else if p_start <= today {
            Status::Open
        } else {
            Status::Future
        };
        if counted {
            match status {
                Status::Held => {
                    t.required += 1;
                    t.met += 1;
                }
                Status::Missing => {
                    t.required += 1;
                    t.missing += 1;
                }
                _ => {}
            }
        }
        t.periods.push(Period {
            label: period_label(f, p_start),
            key: period_key(f, p_start),
            start: p_start,
            end: p_end,
            status,
            meetings: meetings.iter().map(|r| r.id).collect(),
        });
    }
    t
}

fn ymd(y: i32, m: u32) -> NaiveDate {
    // Months 1..=12 of years within chrono's range (dates were parsed by chrono).
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MIN)
}

pub(super) fn month_start(d: NaiveDate) -> NaiveDate {
    ymd(d.year(), d.month())
}

fn period_label(f: Frequency, start: NaiveDate) -> String {
    const QUARTERS: [&str; 4] = ["第一季度", "第二季度", "第三季度", "第四季度"];
    let m = start.month();
    match f {
        Frequency::Quarter => QUARTERS[(m as usize - 1) / 3].to_string(),
        Frequency::HalfYear if m <= 6 => "上半年".into(),
        Frequency::HalfYear => "下半年".into(),
        Frequency::Year => "全年".into(),
        Frequency::Month | Frequency::None => format!("{m}月"),
    }
}

fn period_key(f: Frequency, start: NaiveDate) -> String {
    let (y, m) = (start.year(), start.month());
    match f {
        Frequency::Quarter => format!("{y}-Q{}", (m - 1) / 3 + 1),
        Frequency::HalfYear => format!("{y}-H{}", (m - 1) / 6 + 1),
        Frequency::Year => y.to_string(),
        Frequency::Month | Frequency::None => format!("{y}-{m:02}"),
    }
}
