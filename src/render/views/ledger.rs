//! What the templates of the 台账 see: `/ledger/` (the years) and
//! `/ledger/<year>/` (every meeting of a year by type and period, with the
//! totals). Every label, count, rate and URL is prepared here; what is read
//! of the model is recorded (the ledger by year, each meeting's page).

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::deps::Reads;
use crate::model::ledger::{LedgerYear, Period, Status, TypeYear};
use crate::parse::dates::When;
use crate::parse::meeting::Frequency;
use crate::render::views::Views;
use crate::render::views::dates::date_view;
use crate::render::views::meeting::{MeetingView, percent};
use crate::routes;

#[derive(Serialize, Clone, Debug)]
pub(crate) struct YearLink {
    pub year: i32,
    pub url: String,
}

/// One line of the totals table.
#[derive(Serialize, Clone, Debug)]
pub(crate) struct TypeTotals {
    pub name: String,
    pub anchor: String,
    /// 每月至少一次 …
    pub requirement: String,
    pub required_by_rule: bool,
    pub held: usize,
    pub scheduled: usize,
    pub required: usize,
    pub met: usize,
    pub missing: usize,
    pub expected: u32,
    pub present: u32,
    pub rate: Option<String>,
    pub with_attendance: usize,
}

#[derive(Serialize, Clone, Debug)]
pub(crate) struct TypeView {
    #[serde(flatten)]
    pub totals: TypeTotals,
    pub rows: Vec<RowView>,
    /// 月份, 季度 …: the heading of the period column.
    pub period_heading: String,
}

/// One row of a type's table: a meeting, or a period with none.
#[derive(Serialize, Clone, Debug)]
pub(crate) struct RowView {
    pub period: String,
    pub period_key: String,
    /// On the first row of a period: how many rows it spans; 0 after.
    pub rowspan: usize,
    /// held, scheduled, open, future, missing, not-counted
    pub status: Status,
    /// 缺, 已开, 进行中 …
    pub status_text: String,
    /// Why there is no meeting, in words.
    pub note: String,
    pub meeting: Option<MeetingView>,
}

#[derive(Serialize, Clone, Debug)]
pub(crate) struct LedgerYearView {
    pub year: i32,
    pub branch: String,
    pub organization: String,
    pub permalink: String,
    pub csv_url: String,
    pub index_url: String,
    pub stats_url: Option<String>,
    pub prev: Option<YearLink>,
    pub next: Option<YearLink>,
    /// `2026年11月21日`: what the ledger is as of.
    pub as_of: String,
    /// `2026年1月`: from when periods count, when it falls in or after this year.
    pub counts_from: Option<String>,
    pub totals: Vec<TypeTotals>,
    pub types: Vec<TypeView>,
    pub meetings: usize,
    pub missing: usize,
    /// Required periods over or met, all types.
    pub required: usize,
}

#[derive(Serialize, Clone, Debug)]
pub(crate) struct LedgerIndexYear {
    pub year: i32,
    pub url: String,
    pub csv_url: String,
    pub stats_url: Option<String>,
    pub meetings: usize,
    pub missing: usize,
    pub required: usize,
}

#[derive(Serialize, Clone, Debug)]
pub(crate) struct LedgerIndexView {
    pub branch: String,
    /// Newest first.
    pub years: Vec<LedgerIndexYear>,
    pub requirements: Vec<TypeRequirement>,
    pub counts_from: Option<String>,
}

#[derive(Serialize, Clone, Debug)]
pub(crate) struct TypeRequirement {
    pub name: String,
    pub requirement: String,
}

fn status_text(s: Status, f: Frequency) -> (&'static str, String) {
    let unit = match f {
        Frequency::Month | Frequency::None => "本月",
        Frequency::Quarter => "本季度",
        Frequency::HalfYear => "这半年",
        Frequency::Year => "今年",
    };
    match s {
        Status::Held => ("已开", String::new()),
        Status::Scheduled => ("已安排", String::new()),
        Status::Missing => ("缺", format!("{unit}没有召开的记录")),
        Status::Open => ("进行中", format!("{unit}尚未结束，还没有召开的记录")),
        Status::Future => ("未到", "尚未开始".into()),
        Status::NotCounted => ("未纳入", "早于台账起算时间".into()),
    }
}

fn anchor(i: usize) -> String {
    format!("type-{}", i + 1)
}

/// The totals of type `t`, the `i`-th of its year.
pub(crate) fn type_totals(t: &TypeYear, i: usize) -> TypeTotals {
    TypeTotals {
        name: t.name.clone(),
        anchor: anchor(i),
        requirement: t.frequency.label().to_string(),
        required_by_rule: t.frequency != Frequency::None,
        held: t.held,
        scheduled: t.scheduled,
        required: t.required,
        met: t.met,
        missing: t.missing,
        expected: t.expected,
        present: t.present,
        rate: percent(t.present, t.expected),
        with_attendance: t.with_attendance,
    }
}

fn month_text(d: NaiveDate) -> String {
    format!("{}年{}月", d.year(), d.month())
}

fn period_heading(f: Frequency) -> &'static str {
    match f {
        Frequency::Quarter => "季度",
        Frequency::HalfYear => "半年",
        Frequency::Year => "年度",
        Frequency::Month | Frequency::None => "月份",
    }
}

impl Views<'_> {
    /// `/stats/<year>/` when that year has an annual summary.
    pub(crate) fn stats_year_url(&self, year: i32, r: &mut Reads) -> Option<String> {
        self.annual_years(r)
            .contains(&year)
            .then(|| self.url(&routes::stats_year(year)))
    }

    /// `/ledger/<year>/` when that year of the ledger lists a meeting.
    pub(crate) fn ledger_year_url(&self, year: i32, r: &mut Reads) -> Option<String> {
        self.ledger_year(year, r)
            .is_some_and(|y| !y.meetings.is_empty())
            .then(|| self.url(&routes::ledger_year(year)))
    }

    fn type_rows(&self, t: &TypeYear, r: &mut Reads) -> Vec<RowView> {
        let mut out = Vec::new();
        for p in &t.periods {
            let (text, note) = status_text(p.status, t.frequency);
            out.extend(self.period_rows(p, text, &note, r));
        }
        out
    }

    fn period_rows(&self, p: &Period, text: &str, note: &str, r: &mut Reads) -> Vec<RowView> {
        let row = |i: usize, meeting: Option<MeetingView>| RowView {
            period: p.label.clone(),
            period_key: p.key.clone(),
            rowspan: if i == 0 { p.meetings.len().max(1) } else { 0 },
            status: p.status,
            status_text: text.to_string(),
            note: note.to_string(),
            meeting,
        };
        if p.meetings.is_empty() {
            return vec![row(0, None)];
        }
        p.meetings
            .iter()
            .enumerate()
            .map(|(i, &id)| row(i, self.meeting_view(id, r)))
            .collect()
    }

    /// `/ledger/<year>/` (`None`: the ledger has no such year).
    pub(crate) fn ledger_year_view(&self, year: i32, r: &mut Reads) -> Option<LedgerYearView> {
        let y: &LedgerYear = self.ledger_year(year, r)?;
        let outline = self.ledger_outline(r);
        let at = outline.years.iter().position(|&x| x == year).unwrap_or(0);
        let link = |x: i32| YearLink {
            year: x,
            url: self.url(&routes::ledger_year(x)),
        };
        let types: Vec<TypeView> = y
            .types
            .iter()
            .enumerate()
            .map(|(i, t)| TypeView {
                totals: type_totals(t, i),
                rows: self.type_rows(t, r),
                period_heading: period_heading(t.frequency).into(),
            })
            .collect();
        let config = self.config();
        let as_of = When {
            at: self.now(r),
            all_day: true,
        };
        Some(LedgerYearView {
            year,
            branch: config.title.clone(),
            organization: config.organization.clone(),
            permalink: self.permalink(&routes::ledger_year(year)),
            csv_url: self.url(&routes::ledger_csv(year)),
            index_url: self.url(routes::LEDGER),
            stats_url: self.stats_year_url(year, r),
            prev: at.checked_sub(1).map(|i| link(outline.years[i])),
            next: outline.years.get(at + 1).map(|&x| link(x)),
            as_of: date_view(&as_of).display,
            counts_from: outline.start.filter(|s| s.year() >= year).map(month_text),
            totals: types.iter().map(|t| t.totals.clone()).collect(),
            missing: y.types.iter().map(|t| t.missing).sum(),
            required: y.types.iter().map(|t| t.required).sum(),
            meetings: y.meetings.len(),
            types,
        })
    }

    /// `/ledger/`: every year, newest first, and the requirements.
    pub(crate) fn ledger_index_view(&self, r: &mut Reads) -> LedgerIndexView {
        let outline = self.ledger_outline(r);
        let years = outline
            .years
            .iter()
            .rev()
            .filter_map(|&year| {
                let y = self.ledger_year(year, r)?;
                Some(LedgerIndexYear {
                    year,
                    url: self.url(&routes::ledger_year(year)),
                    csv_url: self.url(&routes::ledger_csv(year)),
                    stats_url: self.stats_year_url(year, r),
                    meetings: y.meetings.len(),
                    missing: y.types.iter().map(|t| t.missing).sum(),
                    required: y.types.iter().map(|t| t.required).sum(),
                })
            })
            .collect();
        LedgerIndexView {
            branch: self.config().title.clone(),
            years,
            requirements: outline
                .types
                .iter()
                .map(|(n, f)| TypeRequirement {
                    name: n.clone(),
                    requirement: f.label().to_string(),
                })
                .collect(),
            counts_from: outline.start.map(month_text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_period_says_so_in_words() {
        let (t, note) = status_text(Status::Missing, Frequency::Month);
        assert_eq!(t, "缺");
        assert!(note.contains("本月"));
        assert_eq!(
            status_text(Status::Open, Frequency::Quarter).1,
            "本季度尚未结束，还没有召开的记录"
        );
    }
}
