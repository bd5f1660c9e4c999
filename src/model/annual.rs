//! The annual summary behind `/stats/<year>/`, an appendix to the branch's
//! 年度工作总结: activities that took place, by kind and by month; volunteer
//! hours, in total and per member; meetings held against required (from
//! the ledger); lessons and quizzes published; honours named for the year.
//!
//! A year has a summary when something of it is there: a held activity, a
//! published lesson or quiz, a meeting record — up to the current year
//! (nothing is summarised ahead of time). Honours are listed in the summary
//! of the last year written in them (`2024—2025学年…` → 2025) when that
//! year has one; honours without a year are in no summary.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, Datelike, FixedOffset};

use crate::model::ledger::Ledger;
use crate::model::stats::{Bucket, MemberHours};
use crate::model::{Page, PageId};

#[derive(Clone, Debug, PartialEq)]
pub struct YearSummary {
    pub year: i32,
    /// Activities that took place in the year, newest first.
    pub activities: Vec<PageId>,
    pub by_kind: Vec<Bucket>,
    /// January to December, zeros included.
    pub by_month: Vec<Bucket>,
    pub hours_by_month: Vec<Bucket>,
    pub volunteer_hours: f64,
    /// Member-activity pairs (人次).
    pub participations: usize,
    /// Most hours first.
    pub hours_by_member: Vec<MemberHours>,
    /// Lessons dated in the year, newest first.
    pub lessons: Vec<PageId>,
    /// Pages with a quiz dated in the year.
    pub quizzes: Vec<PageId>,
    pub honours: Vec<(PageId, String)>,
}

/// The summary of `year` among `all`, if it has one.
pub fn of(all: &[YearSummary], year: i32) -> Option<&YearSummary> {
    all.iter().find(|s| s.year == year)
}

/// The years that have a summary, oldest first.
pub fn years(all: &[YearSummary]) -> Vec<i32> {
    all.iter().map(|s| s.year).collect()
}

/// One summary per year with content, oldest first.
pub fn compute(
    pages: &[Arc<Page>],
    activities: &[PageId],
    lessons: &[PageId],
    members: &[PageId],
    ledger: &Ledger,
    now: DateTime<FixedOffset>,
) -> Vec<YearSummary> {
    let year_of = |id: PageId| {
        pages[id]
            .date
            .map(|d| d.at.with_timezone(&now.timezone()).year())
    };
    let held: Vec<PageId> = activities
        .iter()
        .copied()
        .filter(|&id| pages[id].activity.as_ref().is_some_and(|a| !a.upcoming))
        .collect();
    let quizzes: Vec<PageId> = (0..pages.len())
        .filter(|&id| pages[id].quiz().is_some() && pages[id].date.is_some())
        .collect();
    let honours: Vec<(i32, PageId, String)> = members
        .iter()
        .flat_map(|&m| {
            let honors = pages[m]
                .member
                .as_ref()
                .map(|d| d.honors.clone())
                .unwrap_or_default();
            honors
                .into_iter()
                .filter_map(move |h| honour_year(&h).map(|y| (y, m, h)))
        })
        .collect();

    let mut years: BTreeSet<i32> = BTreeSet::new();
    years.extend(
        held.iter()
            .chain(lessons)
            .chain(&quizzes)
            .filter_map(|&id| year_of(id)),
    );
    years.extend(
        ledger
            .years
            .iter()
            .filter(|y| !y.meetings.is_empty())
            .map(|y| y.year),
    );
    years
        .into_iter()
        .filter(|&y| y <= now.year())
        .map(|year| {
            let in_year = |ids: &[PageId]| -> Vec<PageId> {
                ids.iter()
                    .copied()
                    .filter(|&id| year_of(id) == Some(year))
                    .collect()
            };
            let acts = in_year(&held);
            let mut s = summary(pages, year, acts, &now);
            s.lessons = in_year(lessons);
            s.quizzes = in_year(&quizzes);
            s.honours = honours
                .iter()
                .filter(|(y, _, _)| *y == year)
                .map(|(_, m, h)| (*m, h.clone()))
                .collect();
            s
        })
        .collect()
}

/// Activities, kinds, months and hours of one year's held activities.
fn summary(
    pages: &[Arc<Page>],
    year: i32,
    acts: Vec<PageId>,
    now: &DateTime<FixedOffset>,
) -> YearSummary {
    let mut by_kind: BTreeMap<String, f64> = BTreeMap::new();
    let mut by_month = [0.0; 12];
    let mut hours_month = [0.0; 12];
    let mut per_member: BTreeMap<PageId, (f64, usize)> = BTreeMap::new();
    let (mut hours, mut participations) = (0.0, 0);
    for &id in &acts {
        let p = &pages[id];
        let Some(a) = &p.activity else { continue };
        let m = p
            .date
            .map(|d| d.at.with_timezone(&now.timezone()).month0())
            .unwrap_or(0) as usize;
        by_month[m] += 1.0;
        *by_kind
            .entry(a.kind.clone().unwrap_or_else(|| "其他".into()))
            .or_default() += 1.0;
        participations += a.participants.len();
        let h = a.volunteer_hours.unwrap_or(0.0);
        for &member in &a.participants {
            let e = per_member.entry(member).or_default();
            e.0 += h;
            e.1 += 1;
        }
        hours += h * a.participants.len() as f64;
        hours_month[m] += h * a.participants.len() as f64;
    }
    let month = |i: usize, v: f64| Bucket {
        key: format!("{year}-{:02}", i + 1),
        label: format!("{}月", i + 1),
        value: v,
    };
    let mut kinds: Vec<Bucket> = by_kind
        .into_iter()
        .map(|(k, v)| Bucket {
            key: k.clone(),
            label: k,
            value: v,
        })
        .collect();
    kinds.sort_by(|a, b| b.value.total_cmp(&a.value).then_with(|| a.key.cmp(&b.key)));
    let mut members: Vec<MemberHours> = per_member
        .into_iter()
        .filter(|(_, (h, _))| *h > 0.0)
        .map(|(id, (h, n))| MemberHours {
            id,
            name: pages[id].title.clone(),
            hours: h,
            activities: n,
        })
        .collect();
    members.sort_by(|a, b| {
        b.hours
            .total_cmp(&a.hours)
            .then_with(|| a.name.cmp(&b.name))
    });
    YearSummary {
        year,
        activities: acts,
        by_kind: kinds,
        by_month: by_month
            .iter()
            .enumerate()
            .map(|(i, v)| month(i, *v))
            .collect(),
        hours_by_month: hours_month
            .iter()
            .enumerate()
            .map(|(i, v)| month(i, *v))
            .collect(),
        volunteer_hours: hours,
        participations,
        hours_by_member: members,
        lessons: Vec::new(),
        quizzes: Vec::new(),
        honours: Vec::new(),
    }
}

/// The last year (1949–2199) written in an honour: `2025年度优秀共产党员` → 2025.
pub fn honour_year(text: &str) -> Option<i32> {
    let digits: Vec<char> = text.chars().collect();
    let mut found = None;
    let mut i = 0;
    while i < digits.len() {
        if digits[i].is_ascii_digit() {
            let j = (i..digits.len())
                .find(|&j| !digits[j].is_ascii_digit())
                .unwrap_or(digits.len());
            if j - i == 4 {
                let y: i32 = digits[i..j].iter().collect::<String>().parse().unwrap_or(0);
                if (1949..2200).contains(&y) {
                    found = Some(y);
                }
            }
            i = j;
        } else {
            i += 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_year_of_an_honour() {
        assert_eq!(honour_year("2025年度优秀共产党员"), Some(2025));
        assert_eq!(honour_year("2024—2025学年国家奖学金"), Some(2025));
        assert_eq!(honour_year("校级优秀学生干部"), None);
        assert_eq!(honour_year("第12345号证书"), None);
        assert_eq!(honour_year("获奖 20250 次"), None);
    }
}
