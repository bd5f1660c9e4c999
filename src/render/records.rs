//! What the templates of the 台账 see: a meeting's record (on its own page
//! and in the ledger), `/ledger/` and `/ledger/<year>/`, and attachments
//! lists. Every label, count, rate and URL is prepared here.

use chrono::Datelike;
use serde::Serialize;

use crate::model::ledger::{LedgerYear, Period, Status, TypeYear};
use crate::model::{Attachment, Page, PageId, Site};
use crate::parse::meeting::{Attendance, Frequency};
use crate::render::views::{AttachmentView, DateView, Views, date_view, human_size, when_text};

#[derive(Serialize, Clone, Debug)]
pub struct MeetingView {
    /// 支部委员会 …
    pub kind: String,
    pub title: String,
    pub url: String,
    pub date: Option<DateView>,
    /// `2026年3月12日 周四 19:00–20:30`
    pub when: String,
    pub location: Option<String>,
    pub host: Option<PersonView>,
    pub recorder: Option<PersonView>,
    pub attendance: Option<Attendance>,
    /// `89.5%` of the expected present.
    pub rate: Option<String>,
    pub agenda: Vec<String>,
    pub decisions: Vec<String>,
    pub attachments: Vec<AttachmentView>,
    /// Has not started yet.
    pub upcoming: bool,
}

/// A host or recorder: linked when a member profile has exactly that name.
#[derive(Serialize, Clone, Debug)]
pub struct PersonView {
    pub name: String,
    pub url: Option<String>,
}

pub fn attachment_views(v: &Views, list: &[Attachment]) -> Vec<AttachmentView> {
    list.iter()
        .map(|a| AttachmentView {
            url: v.url(&a.url),
            name: a.name.clone(),
            format: a.format.clone(),
            size: a.bytes.map(human_size),
        })
        .collect()
}

fn person(v: &Views, name: &Option<String>) -> Option<PersonView> {
    let name = name.as_ref()?;
    let site = v.site;
    let mut same = site
        .members
        .iter()
        .filter(|&&m| site.page(m).title == *name);
    let url = match (same.next(), same.next()) {
        (Some(&m), None) => Some(v.url(&site.page(m).path)),
        _ => None,
    };
    Some(PersonView {
        name: name.clone(),
        url,
    })
}

pub fn percent(part: u32, whole: u32) -> Option<String> {
    (whole > 0).then(|| {
        let p = part as f64 * 100.0 / whole as f64;
        if (p - p.round()).abs() < 0.05 {
            format!("{}%", p.round() as i64)
        } else {
            format!("{p:.1}%")
        }
    })
}

/// The record of a meeting, for a page with `meeting:`.
pub fn meeting_view(v: &Views, p: &Page) -> Option<MeetingView> {
    let m = &p.src.front.activity.meeting;
    let kind = m.kind.as_ref()?;
    let a = p.activity.as_ref();
    Some(MeetingView {
        kind: kind.name.clone(),
        title: p.title.clone(),
        url: v.url(&p.path),
        date: p.date.as_ref().map(date_view),
        when: when_text(p.date.as_ref(), a.and_then(|a| a.end.as_ref())),
        location: a.and_then(|a| a.location.clone()),
        host: person(v, &m.host),
        recorder: person(v, &m.recorder),
        attendance: m.attendance,
        rate: m.attendance.and_then(|a| percent(a.present, a.expected)),
        agenda: m.agenda.clone(),
        decisions: m.decisions.clone(),
        attachments: attachment_views(v, &p.attachments),
        upcoming: p.date.is_some_and(|d| d.at > v.site.now),
    })
}

#[derive(Serialize, Clone, Debug)]
pub struct YearLink {
    pub year: i32,
    pub url: String,
}

/// One line of the totals table.
#[derive(Serialize, Clone, Debug)]
pub struct TypeTotals {
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
pub struct TypeView {
    #[serde(flatten)]
    pub totals: TypeTotals,
    pub rows: Vec<RowView>,
    /// 月份, 季度 …: the heading of the period column.
    pub period_heading: String,
}

/// One row of a type's table: a meeting, or a period with none.
#[derive(Serialize, Clone, Debug)]
pub struct RowView {
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
pub struct LedgerYearView {
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
pub struct LedgerIndexYear {
    pub year: i32,
    pub url: String,
    pub csv_url: String,
    pub stats_url: Option<String>,
    pub meetings: usize,
    pub missing: usize,
    pub required: usize,
}

#[derive(Serialize, Clone, Debug)]
pub struct LedgerIndexView {
    pub branch: String,
    /// Newest first.
    pub years: Vec<LedgerIndexYear>,
    pub requirements: Vec<TypeRequirement>,
    pub counts_from: Option<String>,
}

#[derive(Serialize, Clone, Debug)]
pub struct TypeRequirement {
    pub name: String,
    pub requirement: String,
}

pub fn ledger_path(year: i32) -> String {
    format!("ledger/{year}/")
}

pub fn ledger_csv_path(year: i32) -> String {
    format!("ledger/{year}.csv")
}

pub fn stats_year_path(year: i32) -> String {
    format!("stats/{year}/")
}

fn stats_url(v: &Views, year: i32) -> Option<String> {
    v.site
        .annual
        .iter()
        .any(|s| s.year == year)
        .then(|| v.url(&stats_year_path(year)))
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

pub fn type_totals(t: &TypeYear, i: usize) -> TypeTotals {
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

fn rows(v: &Views, t: &TypeYear) -> Vec<RowView> {
    let mut out = Vec::new();
    for p in &t.periods {
        let (text, note) = status_text(p.status, t.frequency);
        out.extend(period_rows(v, p, text, &note));
    }
    out
}

fn period_rows(v: &Views, p: &Period, text: &str, note: &str) -> Vec<RowView> {
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
        .map(|(i, &id)| row(i, meeting_view(v, v.site.page(id))))
        .collect()
}

fn month_text(d: chrono::NaiveDate) -> String {
    format!("{}年{}月", d.year(), d.month())
}

pub fn ledger_year(v: &Views, y: &LedgerYear) -> LedgerYearView {
    let site = v.site;
    let years = &site.ledger.years;
    let at = years.iter().position(|x| x.year == y.year).unwrap_or(0);
    let link = |x: &LedgerYear| YearLink {
        year: x.year,
        url: v.url(&ledger_path(x.year)),
    };
    let types: Vec<TypeView> = y
        .types
        .iter()
        .enumerate()
        .map(|(i, t)| TypeView {
            totals: type_totals(t, i),
            rows: rows(v, t),
            period_heading: match t.frequency {
                Frequency::Quarter => "季度",
                Frequency::HalfYear => "半年",
                Frequency::Year => "年度",
                Frequency::Month | Frequency::None => "月份",
            }
            .into(),
        })
        .collect();
    LedgerYearView {
        year: y.year,
        branch: site.config.title.clone(),
        organization: site.config.organization.clone(),
        permalink: site.permalink(&ledger_path(y.year)),
        csv_url: v.url(&ledger_csv_path(y.year)),
        index_url: v.url("ledger/"),
        stats_url: stats_url(v, y.year),
        prev: at.checked_sub(1).map(|i| link(&years[i])),
        next: years.get(at + 1).map(link),
        as_of: date_view(&crate::parse::dates::When {
            at: site.now,
            all_day: true,
        })
        .display,
        counts_from: site
            .ledger
            .start
            .filter(|s| s.year() >= y.year)
            .map(month_text),
        totals: types.iter().map(|t| t.totals.clone()).collect(),
        missing: y.types.iter().map(|t| t.missing).sum(),
        required: y.types.iter().map(|t| t.required).sum(),
        meetings: y.meetings.len(),
        types,
    }
}

pub fn ledger_index(v: &Views) -> LedgerIndexView {
    let site = v.site;
    LedgerIndexView {
        branch: site.config.title.clone(),
        years: site
            .ledger
            .years
            .iter()
            .rev()
            .map(|y| LedgerIndexYear {
                year: y.year,
                url: v.url(&ledger_path(y.year)),
                csv_url: v.url(&ledger_csv_path(y.year)),
                stats_url: stats_url(v, y.year),
                meetings: y.meetings.len(),
                missing: y.types.iter().map(|t| t.missing).sum(),
                required: y.types.iter().map(|t| t.required).sum(),
            })
            .collect(),
        requirements: site
            .ledger
            .types
            .iter()
            .map(|(n, f)| TypeRequirement {
                name: n.clone(),
                requirement: f.label().to_string(),
            })
            .collect(),
        counts_from: site.ledger.start.map(month_text),
    }
}

/// The meetings of a year, as the CSV and the annual summary list them.
pub fn meetings_of(site: &Site, year: i32) -> &[PageId] {
    site.ledger
        .years
        .iter()
        .find(|y| y.year == year)
        .map(|y| y.meetings.as_slice())
        .unwrap_or(&[])
}

/// Site paths of the ledger and the annual summaries, for the sitemap.
pub fn sitemap_paths(site: &Site) -> Vec<String> {
    let mut out = vec!["ledger/".to_string()];
    out.extend(site.ledger.years.iter().map(|y| ledger_path(y.year)));
    out.extend(site.annual.iter().map(|s| stats_year_path(s.year)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_for_people() {
        assert_eq!(percent(18, 19).as_deref(), Some("94.7%"));
        assert_eq!(percent(20, 20).as_deref(), Some("100%"));
        assert_eq!(percent(1, 3).as_deref(), Some("33.3%"));
        assert_eq!(percent(1, 0), None);
    }

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
