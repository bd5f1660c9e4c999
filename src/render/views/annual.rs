//! What `/stats/<year>/` (the annual summary) and the year links on
//! `/stats/` see: counts, charts, the volunteer table, meetings held against
//! required, lessons, quizzes and honours of one year.

use serde::Serialize;

use crate::deps::Reads;
use crate::model::annual::YearSummary;
use crate::model::stats::Bucket;
use crate::render::charts::{self, Chart};
use crate::render::views::card::KindPart;
use crate::render::views::ledger::{TypeTotals, YearLink, type_totals};
use crate::render::views::meeting::percent;
use crate::render::views::{Card, Views};
use crate::routes;

#[derive(Serialize, Clone, Debug)]
pub(crate) struct VolunteerRow {
    pub name: String,
    pub url: String,
    pub role: Option<String>,
    pub activities: usize,
    pub hours: f64,
}

#[derive(Serialize, Clone, Debug)]
pub(crate) struct HonourView {
    pub member: String,
    pub url: String,
    pub honour: String,
}

#[derive(Serialize, Clone, Debug)]
pub(crate) struct YearSummaryView {
    pub year: i32,
    pub branch: String,
    pub organization: String,
    pub permalink: String,
    pub index_url: String,
    pub ledger_url: Option<String>,
    pub prev: Option<YearLink>,
    pub next: Option<YearLink>,
    pub activity_count: usize,
    pub participations: usize,
    pub volunteer_hours: f64,
    pub lesson_count: usize,
    pub quiz_count: usize,
    pub meetings_held: usize,
    pub charts: Vec<Chart>,
    pub by_kind: Vec<Bucket>,
    pub by_month: Vec<Bucket>,
    pub volunteers: Vec<VolunteerRow>,
    pub meetings: Vec<TypeTotals>,
    pub meetings_rate: Option<String>,
    pub activities: Vec<Card>,
    pub lessons: Vec<Card>,
    pub quizzes: Vec<Card>,
    pub honours: Vec<HonourView>,
}

/// A year of the annual summaries, with its links.
#[derive(Serialize, Clone, Debug)]
pub(crate) struct YearIndexLink {
    pub year: i32,
    pub url: String,
    pub ledger_url: Option<String>,
    pub activities: usize,
}

/// The four charts of one year.
fn year_charts(s: &YearSummary) -> Vec<Chart> {
    let y = s.year;
    let members: Vec<Bucket> = s
        .hours_by_member
        .iter()
        .take(10)
        .map(|m| Bucket {
            key: m.name.clone(),
            label: m.name.clone(),
            value: m.hours,
        })
        .collect();
    vec![
        charts::columns(
            &format!("chart-{y}-months"),
            &format!("{y} 年每月活动次数"),
            "次",
            &s.by_month,
        ),
        charts::rows(
            &format!("chart-{y}-kinds"),
            &format!("{y} 年各类活动次数"),
            "次",
            &s.by_kind,
        ),
        charts::columns(
            &format!("chart-{y}-hours"),
            &format!("{y} 年每月志愿服务时长"),
            "小时",
            &s.hours_by_month,
        ),
        charts::rows(
            &format!("chart-{y}-members"),
            &format!("{y} 年党员志愿服务时长（前 10 名）"),
            "小时",
            &members,
        ),
    ]
}

impl Views<'_> {
    /// Every year with a summary (newest first), for /stats/.
    pub(crate) fn year_links(&self, r: &mut Reads) -> Vec<YearIndexLink> {
        let years = self.annual_years(r);
        years
            .iter()
            .rev()
            .filter_map(|&year| {
                let s = self.annual_year(year, r)?;
                Some(YearIndexLink {
                    year,
                    url: self.url(&routes::stats_year(year)),
                    ledger_url: self.ledger_year_url(year, r),
                    activities: s.activities.len(),
                })
            })
            .collect()
    }

    /// The view of `/stats/<year>/` (`None`: the year has no summary).
    /// Long but flat: one line per field of the view.
    pub(crate) fn year_summary(&self, year: i32, r: &mut Reads) -> Option<YearSummaryView> {
        let s = self.annual_year(year, r)?;
        let years = self.annual_years(r);
        let at = years.iter().position(|&x| x == year).unwrap_or(0);
        let link = |x: i32| YearLink {
            year: x,
            url: self.url(&routes::stats_year(x)),
        };
        let meetings: Vec<TypeTotals> = self
            .ledger_year(year, r)
            .map(|y| {
                y.types
                    .iter()
                    .enumerate()
                    .map(|(i, t)| type_totals(t, i))
                    .collect()
            })
            .unwrap_or_default();
        let (present, expected) = meetings
            .iter()
            .fold((0, 0), |(p, e), t| (p + t.present, e + t.expected));
        let config = self.config();
        Some(YearSummaryView {
            year,
            branch: config.title.clone(),
            organization: config.organization.clone(),
            permalink: self.permalink(&routes::stats_year(year)),
            index_url: self.url(routes::STATS),
            ledger_url: self.ledger_year_url(year, r),
            prev: at.checked_sub(1).map(|i| link(years[i])),
            next: years.get(at + 1).map(|&x| link(x)),
            activity_count: s.activities.len(),
            participations: s.participations,
            volunteer_hours: s.volunteer_hours,
            lesson_count: s.lessons.len(),
            quiz_count: s.quizzes.len(),
            meetings_held: meetings.iter().map(|t| t.held).sum(),
            charts: year_charts(s),
            by_kind: s.by_kind.clone(),
            by_month: s.by_month.clone(),
            volunteers: s
                .hours_by_member
                .iter()
                .map(|m| {
                    let card = self.card(m.id, r);
                    VolunteerRow {
                        name: m.name.clone(),
                        role: match card.part {
                            KindPart::Member(c) => c.role,
                            _ => None,
                        },
                        url: card.url,
                        activities: m.activities,
                        hours: m.hours,
                    }
                })
                .collect(),
            meetings_rate: percent(present, expected),
            meetings,
            activities: self.cards(&s.activities, r),
            lessons: self.cards(&s.lessons, r),
            quizzes: self.cards(&s.quizzes, r),
            honours: s
                .honours
                .iter()
                .map(|&(m, ref h)| {
                    let l = self.link(m, r);
                    HonourView {
                        member: l.title,
                        url: l.url,
                        honour: h.clone(),
                    }
                })
                .collect(),
        })
    }
}
