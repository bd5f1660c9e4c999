//! Statistics for 成果展示: activities per month and per kind, volunteer
//! hours per member and per month, lessons and quizzes per course.
//! Volunteer hours count only for activities that have taken place.

use std::collections::BTreeMap;

use chrono::Datelike;
use serde::Serialize;

use crate::model::{Course, Page, PageId};

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Stats {
    pub totals: Totals,
    /// Consecutive months (at most the last 24 with activities), zeros included.
    pub activities_by_month: Vec<Bucket>,
    /// Most frequent kind first.
    pub activities_by_kind: Vec<Bucket>,
    pub hours_by_month: Vec<Bucket>,
    /// Members with hours, most first.
    pub hours_by_member: Vec<MemberHours>,
    pub courses: Vec<CourseCount>,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Totals {
    pub activities: usize,
    pub past_activities: usize,
    pub upcoming_activities: usize,
    pub lessons: usize,
    pub courses: usize,
    pub quizzes: usize,
    pub members: usize,
    pub volunteer_hours: f64,
    /// Member-activity pairs (人次).
    pub participations: usize,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Bucket {
    /// Machine key: `2024-05`, or the kind.
    pub key: String,
    /// For people: `2024年5月`, or the kind.
    pub label: String,
    pub value: f64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct MemberHours {
    #[serde(skip)]
    pub id: PageId,
    pub name: String,
    pub hours: f64,
    pub activities: usize,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CourseCount {
    pub name: String,
    pub slug: String,
    pub lessons: usize,
    pub quizzes: usize,
    pub minutes: u32,
}

const MAX_MONTHS: usize = 24;

pub fn compute(
    pages: &[std::sync::Arc<Page>],
    activities: &[PageId],
    lessons: &[PageId],
    members: &[PageId],
    courses: &[Course],
) -> Stats {
    let mut s = Stats::default();
    let mut per_month: BTreeMap<(i32, u32), f64> = BTreeMap::new();
    let mut hours_month: BTreeMap<(i32, u32), f64> = BTreeMap::new();
    let mut per_kind: BTreeMap<String, f64> = BTreeMap::new();
    for &id in activities {
        let p = &pages[id];
        let Some(a) = &p.activity else { continue };
        s.totals.activities += 1;
        if a.upcoming {
            s.totals.upcoming_activities += 1;
        } else {
            s.totals.past_activities += 1;
            s.totals.participations += a.participants.len();
        }
        // Every chart counts only activities that took place.
        let Some(date) = p.date.filter(|_| !a.upcoming) else {
            continue;
        };
        let ym = (date.at.year(), date.at.month());
        *per_month.entry(ym).or_default() += 1.0;
        *per_kind
            .entry(a.kind.clone().unwrap_or_else(|| "其他".into()))
            .or_default() += 1.0;
        if let Some(h) = a.volunteer_hours {
            let total = h * a.participants.len() as f64;
            *hours_month.entry(ym).or_default() += total;
            s.totals.volunteer_hours += total;
        }
    }
    s.activities_by_month = months(&per_month);
    s.hours_by_month = months(&hours_month);
    let mut kinds: Vec<Bucket> = per_kind
        .into_iter()
        .map(|(k, v)| Bucket {
            key: k.clone(),
            label: k,
            value: v,
        })
        .collect();
    kinds.sort_by(|a, b| b.value.total_cmp(&a.value).then_with(|| a.key.cmp(&b.key)));
    s.activities_by_kind = kinds;

    s.totals.members = members.len();
    let mut hours: Vec<MemberHours> = members
        .iter()
        .filter_map(|&id| {
            let m = pages[id].member.as_ref()?;
            (m.volunteer_hours > 0.0).then(|| MemberHours {
                id,
                name: pages[id].title.clone(),
                hours: m.volunteer_hours,
                activities: m.activities.len(),
            })
        })
        .collect();
    hours.sort_by(|a, b| {
        b.hours
            .total_cmp(&a.hours)
            .then_with(|| a.name.cmp(&b.name))
    });
    s.hours_by_member = hours;

    s.totals.lessons = lessons.len();
    s.totals.quizzes = pages.iter().filter(|p| p.quiz().is_some()).count();
    s.totals.courses = courses.len();
    s.courses = courses
        .iter()
        .map(|c| CourseCount {
            name: c.name.clone(),
            slug: c.slug.clone(),
            lessons: c.lessons.len(),
            quizzes: c.quizzes,
            minutes: c.total_minutes,
        })
        .collect();
    s
}

/// Every month from the first to the last key (the last 24 at most), with zeros.
fn months(map: &BTreeMap<(i32, u32), f64>) -> Vec<Bucket> {
    let (Some(&first), Some(&last)) = (map.keys().next(), map.keys().next_back()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (mut y, mut m) = first;
    loop {
        out.push(Bucket {
            key: format!("{y}-{m:02}"),
            label: format!("{y}年{m}月"),
            value: map.get(&(y, m)).copied().unwrap_or(0.0),
        });
        if (y, m) == last {
            break;
        }
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    if out.len() > MAX_MONTHS {
        out.drain(..out.len() - MAX_MONTHS);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_consecutive_with_zeros() {
        let mut m = BTreeMap::new();
        m.insert((2023, 11), 2.0);
        m.insert((2024, 2), 1.0);
        let b = months(&m);
        let keys: Vec<&str> = b.iter().map(|b| b.key.as_str()).collect();
        assert_eq!(keys, ["2023-11", "2023-12", "2024-01", "2024-02"]);
        assert_eq!(b[1].value, 0.0);
        assert_eq!(b[0].label, "2023年11月");
    }

    #[test]
    fn at_most_two_years() {
        let mut m = BTreeMap::new();
        m.insert((2020, 1), 1.0);
        m.insert((2024, 12), 1.0);
        let b = months(&m);
        assert_eq!(b.len(), 24);
        assert_eq!(b[0].key, "2023-01");
    }
}
