//! What `/stats/<year>/` (the annual summary) and the year links on
//! `/stats/` see: counts, charts, the volunteer table, meetings held against
//! required, lessons, quizzes and honours of one year.

use serde::Serialize;

use crate::model::annual::YearSummary;
use crate::model::stats::Bucket;
use crate::render::charts::{self, Chart};
use crate::render::records::{TypeTotals, YearLink, ledger_path, percent, stats_year_path};
use crate::render::views::{Card, Views};

#[derive(Serialize, Clone, Debug)]
pub struct VolunteerRow {
    pub name: String,
    pub url: String,
    pub role: Option<String>,
    pub activities: usize,
    pub hours: f64,
}

#[derive(Serialize, Clone, Debug)]
pub struct HonourView {
    pub member: String,
    pub url: String,
    pub honour: String,
}

#[derive(Serialize, Clone, Debug)]
pub struct YearSummaryView {
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
pub struct YearIndexLink {
    pub year: i32,
    pub url: String,
    pub ledger_url: Option<String>,
    pub activities: usize,
}

fn ledger_url(v: &Views, year: i32) -> Option<String> {
    v.site
        .ledger
        .years
        .iter()
        .any(|y| y.year == year && !y.meetings.is_empty())
        .then(|| v.url(&ledger_path(year)))
}

/// Every year with a summary (newest first), for /stats/.
pub fn year_links(v: &Views) -> Vec<YearIndexLink> {
    v.site
        .annual
        .iter()
        .rev()
        .map(|s| YearIndexLink {
            year: s.year,
            url: v.url(&stats_year_path(s.year)),
            ledger_url: ledger_url(v, s.year),
            activities: s.activities.len(),
        })
        .collect()
}

/// The view of one year. Long but flat: one line per field of the view.
pub fn year_summary(v: &Views, s: &YearSummary) -> YearSummaryView {
    let site = v.site;
    let all = &site.annual;
    let at = all.iter().position(|x| x.year == s.year).unwrap_or(0);
    let link = |x: &YearSummary| YearLink {
        year: x.year,
        url: v.url(&stats_year_path(x.year)),
    };
    let ledger = site.ledger.years.iter().find(|y| y.year == s.year);
    let meetings: Vec<TypeTotals> = ledger
        .map(|y| {
            y.types
                .iter()
                .enumerate()
                .map(|(i, t)| crate::render::records::type_totals(t, i))
                .collect()
        })
        .unwrap_or_default();
    let (present, expected) = meetings
        .iter()
        .fold((0, 0), |(p, e), t| (p + t.present, e + t.expected));
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
    let y = s.year;
    YearSummaryView {
        year: y,
        branch: site.config.title.clone(),
        organization: site.config.organization.clone(),
        permalink: site.permalink(&stats_year_path(y)),
        index_url: v.url("stats/"),
        ledger_url: ledger_url(v, y),
        prev: at.checked_sub(1).map(|i| link(&all[i])),
        next: all.get(at + 1).map(link),
        activity_count: s.activities.len(),
        participations: s.participations,
        volunteer_hours: s.volunteer_hours,
        lesson_count: s.lessons.len(),
        quiz_count: s.quizzes.len(),
        meetings_held: meetings.iter().map(|t| t.held).sum(),
        charts: vec![
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
        ],
        by_kind: s.by_kind.clone(),
        by_month: s.by_month.clone(),
        volunteers: s
            .hours_by_member
            .iter()
            .map(|m| VolunteerRow {
                name: m.name.clone(),
                url: v.url(&site.page(m.id).path),
                role: site.page(m.id).member.as_ref().and_then(|d| d.role.clone()),
                activities: m.activities,
                hours: m.hours,
            })
            .collect(),
        meetings_rate: percent(present, expected),
        meetings,
        activities: v.cards(&s.activities),
        lessons: v.cards(&s.lessons),
        quizzes: v.cards(&s.quizzes),
        honours: s
            .honours
            .iter()
            .map(|(m, h)| HonourView {
                member: site.page(*m).title.clone(),
                url: v.url(&site.page(*m).path),
                honour: h.clone(),
            })
            .collect(),
    }
}
