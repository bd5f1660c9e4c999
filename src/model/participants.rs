//! Members ↔ activities: each activity's `participants` resolved to member
//! pages (by slug, pinyin or a unique name), whether it is still to come,
//! and each member's activities and volunteer hours.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::Duration;

use crate::diagnostics::{Diagnostic, Diagnostics, closest};
use crate::model::arrange::KindLists;
use crate::model::assemble::{BuildOptions, display};
use crate::model::{Page, PageId};
use crate::slug::slugify;

/// What [`link`] found, for `arrange` to fill into the pages.
#[derive(Default)]
pub(super) struct Joined {
    /// Every activity: its participants and whether it is still to come.
    pub(super) activities: HashMap<PageId, (Vec<PageId>, bool)>,
    /// Members who joined any: their activities (newest first) and hours.
    pub(super) members: HashMap<PageId, (Vec<PageId>, f64)>,
}

/// Resolves participants of every activity; unknown ones are errors at
/// their line, with the closest member slug suggested.
pub(super) fn link(
    pages: &[Arc<Page>],
    lists: &KindLists,
    opts: &BuildOptions,
    diags: &mut Diagnostics,
) -> Joined {
    let members = &lists.members;
    let mut by_key: HashMap<String, PageId> = HashMap::new();
    for &m in members {
        by_key.insert(pages[m].slug.clone(), m);
    }
    let mut by_name: HashMap<String, Vec<PageId>> = HashMap::new();
    for &m in members {
        by_name.entry(pages[m].title.clone()).or_default().push(m);
    }
    let slugs: Vec<String> = members.iter().map(|&m| pages[m].slug.clone()).collect();
    let mut out = Joined::default();
    let mut joined: HashMap<PageId, Vec<PageId>> = HashMap::new();
    // The same few names recur on thousands of activities: each is
    // resolved (and slugified, which costs) once.
    let mut resolved: HashMap<&str, Option<PageId>> = HashMap::new();
    for &a in &lists.activities {
        let src = &pages[a].src;
        let mut ids = Vec::new();
        for p in &src.front.activity.participants {
            let found = *resolved.entry(p.value.as_str()).or_insert_with(|| {
                by_key
                    .get(&p.value)
                    .or_else(|| by_key.get(&slugify(&p.value)))
                    .copied()
                    .or_else(|| by_name.get(&p.value).filter(|v| v.len() == 1).map(|v| v[0]))
            });
            match found {
                Some(m) if !ids.contains(&m) => ids.push(m),
                Some(_) => {}
                None => {
                    let hint = match closest(&p.value, slugs.iter().map(String::as_str), 3) {
                        Some(s) => format!("是不是 {s}？participants 写成员文件的名字（slug），成员在 content/members/ 里"),
                        None => "participants 写成员文件的名字（slug），例如 zhang-san；先在 content/members/ 里为这位成员建档".into(),
                    };
                    diags.push(
                        Diagnostic::error(format!(
                            "未知的参与者 `{}`：content/members/ 里没有这位成员",
                            p.value
                        ))
                        .in_file(display(&src.file.rel))
                        .at(Some(&src.file.text), p.line, p.col)
                        .width(p.value.chars().count())
                        .hint(hint),
                    );
                }
            }
        }
        for &m in &ids {
            joined.entry(m).or_default().push(a);
        }
        out.activities.insert(a, (ids, upcoming(&pages[a], opts)));
    }
    for (m, acts) in joined {
        let hours: f64 = acts
            .iter()
            .filter(|a| !out.activities.get(a).is_some_and(|(_, up)| *up))
            .filter_map(|&a| pages[a].activity.as_ref()?.volunteer_hours)
            .sum();
        // activities were iterated newest first
        out.members.insert(m, (acts, hours));
    }
    out
}

/// Whether an activity has not finished yet (an all-day one lasts the day).
pub(super) fn upcoming(page: &Page, opts: &BuildOptions) -> bool {
    let start = page.date.map(|d| d.at);
    let finish = page
        .activity
        .as_ref()
        .and_then(|x| x.end)
        .or(page.date)
        .map(|w| {
            if w.all_day {
                w.at + Duration::days(1)
            } else {
                w.at
            }
        });
    finish.or(start).is_some_and(|t| t > opts.now)
}
