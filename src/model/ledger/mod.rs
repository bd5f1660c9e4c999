//! The 台账 of 三会一课: which meeting records fall in which period (month,
//! quarter, half-year or year, from `[ledger]`), which required periods have
//! no meeting (缺), and totals and attendance per type and year. Pure
//! functions of the meeting records, the requirements and "now".
//!
//! Decisions (docs/ledger.md says the same to editors):
//! - a meeting belongs to the period in which it starts (site time zone), so
//!   one that runs past midnight into the next month counts in the first;
//! - it counts as held once it has started; a later one is 已安排;
//! - periods are required from `[ledger] since`, else from the month of the
//!   site's first meeting record: every period that contains that month or
//!   comes after it (a branch founded in March has no 缺 in January or
//!   February, but its first quarter counts); earlier ones are 未纳入;
//! - a period not over yet is 进行中 or 未到, never 缺;
//! - the years are those from the first record (or `since`) to the last
//!   record or the current year, gaps included; no records, no years.

use std::sync::Arc;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use serde::Serialize;

use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::model::{Page, PageId};
use crate::parse::meeting::{self, Attendance, Frequency, MEETING_TYPES};

mod periods;
use periods::{month_start, type_year};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ledger {
    /// Meeting types with their requirement, in ledger order.
    pub types: Vec<(String, Frequency)>,
    /// The first day whose periods are required.
    pub start: Option<NaiveDate>,
    /// Oldest first.
    pub years: Vec<LedgerYear>,
}

/// What the 台账 is besides its years' contents: its types, where it
/// starts counting, which years it has (what the list of years and the
/// links between years show).
#[derive(Clone, Debug, PartialEq)]
pub struct Outline<'a> {
    pub types: &'a [(String, Frequency)],
    pub start: Option<NaiveDate>,
    pub years: Vec<i32>,
}

impl Ledger {
    pub fn outline(&self) -> Outline<'_> {
        Outline {
            types: &self.types,
            start: self.start,
            years: self.years.iter().map(|y| y.year).collect(),
        }
    }

    /// The year `year` of the ledger, if it has one.
    pub fn year(&self, year: i32) -> Option<&LedgerYear> {
        self.years.iter().find(|y| y.year == year)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct LedgerYear {
    pub year: i32,
    pub types: Vec<TypeYear>,
    /// Every meeting of the year, by date.
    pub meetings: Vec<PageId>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TypeYear {
    pub name: String,
    pub frequency: Frequency,
    pub periods: Vec<Period>,
    /// Meetings that have started.
    pub held: usize,
    /// Meetings still to come.
    pub scheduled: usize,
    /// Required periods that are over or already met.
    pub required: usize,
    pub met: usize,
    pub missing: usize,
    /// Sums over held meetings with attendance.
    pub expected: u32,
    pub present: u32,
    pub leave: u32,
    pub absent: u32,
    pub with_attendance: usize,
}

impl TypeYear {
    /// 实到 / 应到 over the meetings with attendance.
    pub fn attendance_rate(&self) -> Option<f64> {
        (self.expected > 0).then(|| self.present as f64 / self.expected as f64)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Period {
    /// `3月`, `第一季度`, `上半年`, `全年`.
    pub label: String,
    /// `2026-03`, `2026-Q1`, `2026-H1`, `2026`.
    pub key: String,
    pub start: NaiveDate,
    /// The first day after the period.
    pub end: NaiveDate,
    pub status: Status,
    pub meetings: Vec<PageId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// At least one meeting has taken place.
    Held,
    /// Only meetings still to come.
    Scheduled,
    /// Not over yet, nothing held so far.
    Open,
    /// Not begun.
    Future,
    /// Over, required, and no meeting: 缺.
    Missing,
    /// Began before the ledger counts; nothing held.
    NotCounted,
}

/// One meeting record, as the ledger needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub id: PageId,
    pub kind: String,
    /// Local date of the start.
    pub date: NaiveDate,
    pub held: bool,
    pub attendance: Option<Attendance>,
}

/// The ledger of the site, with the errors of its records: a meeting type
/// the site does not know, attendance written before the meeting.
pub fn compute(
    pages: &[Arc<Page>],
    activities: &[PageId],
    config: &Config,
    now: DateTime<FixedOffset>,
) -> (Ledger, Diagnostics) {
    let types = config.ledger.required();
    let mut known: Vec<&str> = types.iter().map(|(n, _)| n.as_str()).collect();
    for t in MEETING_TYPES {
        if !known.contains(t) {
            known.push(t);
        }
    }
    let offset = config.offset();
    let mut diags = Diagnostics::new();
    let mut records = Vec::new();
    for &id in activities {
        let p = &pages[id];
        let m = &p.src.front.activity.meeting;
        let (Some(kind), Some(date)) = (&m.kind, p.date) else {
            continue;
        };
        if !known.contains(&kind.name.as_str()) {
            diags.push(meeting::unknown_kind(kind, &known, &p.src.file));
            continue;
        }
        let held = date.at <= now;
        if let (false, Some(a)) = (held, &m.attendance) {
            let when = date.at.with_timezone(&offset).format("%Y-%m-%d %H:%M");
            diags.push(meeting::attendance_in_future(
                a,
                &when.to_string(),
                &p.src.file,
            ));
        }
        records.push(Record {
            id,
            kind: kind.name.clone(),
            date: date.at.with_timezone(&offset).date_naive(),
            held,
            attendance: m.attendance,
        });
    }
    let today = now.with_timezone(&offset).date_naive();
    (
        from_records(records, types, config.ledger.since(), today),
        diags,
    )
}

/// The ledger from its records (any order).
pub fn from_records(
    mut records: Vec<Record>,
    types: Vec<(String, Frequency)>,
    since: Option<NaiveDate>,
    today: NaiveDate,
) -> Ledger {
    records.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    let start = since.or_else(|| records.first().map(|r| month_start(r.date)));
    let (Some(first), Some(last)) = (records.first(), records.last()) else {
        return Ledger {
            types,
            start,
            years: Vec::new(),
        };
    };
    let from = first.date.year().min(start.map_or(i32::MAX, |s| s.year()));
    let to = last.date.year().max(today.year());
    let start_day = start.unwrap_or(first.date);
    let mut shown: Vec<(String, Frequency)> = types.clone();
    for t in MEETING_TYPES {
        if !shown.iter().any(|(n, _)| n == t) {
            shown.push((t.to_string(), Frequency::None));
        }
    }
    let years = (from..=to)
        .map(|year| {
            let of_year: Vec<&Record> = records.iter().filter(|r| r.date.year() == year).collect();
            let types = shown
                .iter()
                .filter_map(|(name, f)| {
                    let mine: Vec<&Record> = of_year
                        .iter()
                        .copied()
                        .filter(|r| r.kind == *name)
                        .collect();
                    let listed = *f != Frequency::None || !mine.is_empty();
                    listed.then(|| type_year(name, *f, year, &mine, start_day, today))
                })
                .collect();
            LedgerYear {
                year,
                types,
                meetings: of_year.iter().map(|r| r.id).collect(),
            }
        })
        .collect();
    Ledger {
        types,
        start,
        years,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn rec(id: PageId, kind: &str, date: &str, today: &str) -> Record {
        Record {
            id,
            kind: kind.into(),
            date: d(date),
            held: d(date) <= d(today),
            attendance: None,
        }
    }

    fn defaults() -> Vec<(String, Frequency)> {
        crate::config::LedgerConfig::default().required()
    }

    fn statuses(t: &TypeYear) -> Vec<Status> {
        t.periods.iter().map(|p| p.status).collect()
    }

    #[test]
    fn a_month_without_a_committee_meeting_is_missing() {
        let today = "2026-11-21";
        let records: Vec<Record> = (1..=10)
            .filter(|m| *m != 4)
            .map(|m| rec(m as usize, "支部委员会", &format!("2026-{m:02}-10"), today))
            .collect();
        let l = from_records(records, defaults(), None, d(today));
        assert_eq!(l.years.len(), 1);
        let y = &l.years[0];
        let c = y.types.iter().find(|t| t.name == "支部委员会").unwrap();
        use Status::*;
        assert_eq!(
            statuses(c),
            [
                Held, Held, Held, Missing, Held, Held, Held, Held, Held, Held, Open, Future
            ]
        );
        assert_eq!((c.required, c.met, c.missing, c.held), (10, 9, 1, 9));
        // a required type with no meeting at all: every period over is 缺
        let g = y.types.iter().find(|t| t.name == "党小组会").unwrap();
        assert_eq!(g.missing, 10);
        assert_eq!(g.periods[10].status, Open);
        // the quarterly 党课: Q4 is not over
        let k = y.types.iter().find(|t| t.name == "党课").unwrap();
        assert_eq!(statuses(k), [Missing, Missing, Missing, Open]);
        assert_eq!(k.periods[0].label, "第一季度");
        assert_eq!(k.periods[3].key, "2026-Q4");
    }

    #[test]
    fn a_branch_that_began_in_march_has_no_gap_before() {
        let today = "2026-11-21";
        let records = vec![
            rec(1, "支部委员会", "2026-03-15", today),
            rec(2, "支部党员大会", "2026-04-20", today),
        ];
        let l = from_records(records, defaults(), None, d(today));
        assert_eq!(l.start, Some(d("2026-03-01")));
        let y = &l.years[0];
        let c = &y.types[1];
        assert_eq!(c.periods[0].status, Status::NotCounted);
        assert_eq!(c.periods[1].status, Status::NotCounted);
        assert_eq!(c.periods[2].status, Status::Held);
        assert_eq!(c.periods[3].status, Status::Missing);
        // the first quarter contains March: it counts
        let assembly = &y.types[0];
        assert_eq!(assembly.periods[0].status, Status::Missing);
        assert_eq!(assembly.periods[1].status, Status::Held);
        assert_eq!(assembly.periods[2].status, Status::Missing);
        assert_eq!(assembly.periods[3].status, Status::Open);
        assert_eq!((assembly.required, assembly.missing), (3, 2));
    }

    #[test]
    fn since_and_frequencies_from_the_site() {
        let today = "2027-01-10";
        let mut types = defaults();
        types.push(("组织生活会".into(), Frequency::Year));
        types[2].1 = Frequency::None; // no 党小组 in this branch
        let records = vec![
            rec(1, "组织生活会", "2025-12-26", today),
            rec(2, "主题党日", "2026-05-04", today),
        ];
        let l = from_records(records, types, Some(d("2026-01-01")), d(today));
        let years: Vec<i32> = l.years.iter().map(|y| y.year).collect();
        assert_eq!(years, [2025, 2026, 2027]);
        let y2025 = &l.years[0];
        let life = y2025.types.iter().find(|t| t.name == "组织生活会").unwrap();
        assert_eq!(life.periods[0].status, Status::Held);
        assert_eq!(life.required, 0, "before `since`: shown, not counted");
        let y2026 = &l.years[1];
        let life = y2026.types.iter().find(|t| t.name == "组织生活会").unwrap();
        assert_eq!(statuses(life), [Status::Missing]);
        assert!(
            y2026
                .types
                .iter()
                .all(|t| t.name != "党小组会" || t.periods.is_empty())
        );
        // a type without a requirement lists only the months it met in
        let day = y2026.types.iter().find(|t| t.name == "主题党日").unwrap();
        assert_eq!(day.periods.len(), 1);
        assert_eq!(day.periods[0].label, "5月");
        assert_eq!(day.missing, 0);
    }

    #[test]
    fn scheduled_meetings_and_attendance() {
        let today = "2026-06-20";
        let mut a = rec(1, "党课", "2026-06-18", today);
        a.attendance = Some(Attendance {
            expected: 20,
            present: 18,
            leave: 1,
            absent: 1,
            line: 0,
            col: 0,
        });
        let b = rec(2, "党课", "2026-09-30", today);
        let l = from_records(vec![a, b], defaults(), None, d(today));
        let k = l.years[0].types.iter().find(|t| t.name == "党课").unwrap();
        assert_eq!(
            statuses(k),
            [
                Status::NotCounted,
                Status::Held,
                Status::Scheduled,
                Status::Future
            ]
        );
        assert_eq!((k.held, k.scheduled, k.required, k.met), (1, 1, 1, 1));
        assert_eq!(k.attendance_rate(), Some(0.9));
    }

    #[test]
    fn no_records_no_years() {
        let l = from_records(Vec::new(), defaults(), None, d("2026-01-01"));
        assert!(l.years.is_empty());
        assert_eq!(l.types.len(), 4);
    }
}
