//! Study plans (学习计划) in the model: what each item of a plan points at,
//! what "done" means for it, and which plans are current at a moment.
//!
//! An item is written as a link (`@/lessons/x.md`, also `lessons/x.md`,
//! the page's address `/lessons/x/` or its full URL, as editors copy it
//! from the browser). It may point at
//! - a page with a quiz: done when the quiz is passed;
//! - a lesson without a quiz: done when it was read to the end;
//! - a course (`@/courses/x.md` or `/courses/x/`): done when every lesson
//!   of it was read;
//! - anything else (an activity, a member, a page): the reader marks it
//!   done on the plan page (self-reported, like everything else).
//!
//! A link that points nowhere, at a draft, at a section list or at another
//! plan is an error at the item's line.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};

use crate::diagnostics::{Diagnostic, Diagnostics, closest};
use crate::model::{PageId, Site};
use crate::parse::Kind;
use crate::parse::dates::When;
use crate::parse::markdown::{normalize, percent_decode};
use crate::timeline::{Phase, Window, end_of};

/// One plan: the page it is written in, its window and its items.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub page: PageId,
    pub start: Option<When>,
    pub due: Option<When>,
    pub items: Vec<PlanItem>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlanItem {
    pub target: Target,
    /// The item's own due date, else the plan's.
    pub due: Option<When>,
    pub required: bool,
    pub done: Done,
}

/// What an item points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Page(PageId),
    /// Index into `Site::courses`.
    Course(usize),
}

/// How the reader's browser decides that an item is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Done {
    /// Its quiz was passed.
    Quiz,
    /// The lesson was read to the end.
    Read,
    /// Every lesson of the course was read.
    Course,
    /// The reader ticked it on the plan page.
    Mark,
}

impl Done {
    /// The name used in `data-done` and in docs/learning.md.
    pub fn name(self) -> &'static str {
        match self {
            Done::Quiz => "quiz",
            Done::Read => "read",
            Done::Course => "course",
            Done::Mark => "mark",
        }
    }

    /// What the reader has to do, for the plan page.
    pub fn how(self) -> &'static str {
        match self {
            Done::Quiz => "测验及格即完成",
            Done::Read => "读完即完成",
            Done::Course => "读完全部课程即完成",
            Done::Mark => "完成后自己标记",
        }
    }
}

impl Plan {
    /// The plan's window: from `start` to the end of its `due` day (the
    /// whole due day counts; a due time counts as written). A plan without
    /// `start` has started, one without `due` never ends.
    pub fn window(&self) -> Window {
        Window {
            start: self.start.map(|s| s.at),
            end: self.due.map(end_of),
        }
    }

    pub fn phase(&self, now: DateTime<FixedOffset>) -> Phase {
        self.window().phase(now)
    }
}

impl PlanItem {
    /// The first moment the item is late: the end of its due day.
    pub fn end(&self) -> Option<DateTime<FixedOffset>> {
        self.due.map(end_of)
    }

    /// Site paths the reader's record is checked for: the page's, or every
    /// lesson of the course.
    pub fn keys(&self, site: &Site) -> Vec<String> {
        match self.target {
            Target::Page(id) => vec![site.page(id).path.clone()],
            Target::Course(c) => site.courses[c]
                .lessons
                .iter()
                .map(|&id| site.page(id).path.clone())
                .collect(),
        }
    }

    pub fn title<'a>(&self, site: &'a Site) -> &'a str {
        match self.target {
            Target::Page(id) => &site.page(id).title,
            Target::Course(c) => &site.courses[c].name,
        }
    }

    /// Site path of what the item points at.
    pub fn path<'a>(&self, site: &'a Site) -> &'a str {
        match self.target {
            Target::Page(id) => &site.page(id).path,
            Target::Course(c) => &site.courses[c].path,
        }
    }
}

impl Site {
    /// The plan written in page `id`, if it is one.
    pub fn plan_of(&self, id: PageId) -> Option<&Plan> {
        self.plans.iter().find(|p| p.page == id)
    }

    /// Plans current at `now`, the one due soonest first.
    pub fn current_plans(&self, now: DateTime<FixedOffset>) -> Vec<&Plan> {
        let mut v: Vec<&Plan> = self
            .plans
            .iter()
            .filter(|p| p.phase(now) == Phase::Current)
            .collect();
        v.sort_by_key(|p| {
            let end = p.window().end;
            (end.is_none(), end)
        });
        v
    }
}

/// Plans in the order 我的学习 lists them: current ones (due soonest
/// first), then upcoming (starting soonest), then past (the latest first).
pub fn in_order(plans: &[Plan], now: DateTime<FixedOffset>) -> Vec<&Plan> {
    let mut v: Vec<&Plan> = plans.iter().collect();
    v.sort_by_key(|p| {
        let w = p.phase(now);
        let rank = match w {
            Phase::Current => 0,
            Phase::Upcoming => 1,
            Phase::Past => 2,
        };
        let due = p.window().end.map(|e| e.timestamp()).unwrap_or(i64::MAX);
        let start = p.start.map(|s| s.at.timestamp()).unwrap_or(i64::MIN);
        let key = match w {
            Phase::Current => due,
            Phase::Upcoming => start,
            Phase::Past => -due,
        };
        (rank, key, p.page)
    });
    v
}

/// Resolves the items of every plan page of `site` (pages, courses and
/// link targets already placed). Plans come in page order.
pub(crate) fn arrange(site: &Site) -> (Vec<Plan>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let lookup = Lookup::new(site);
    let mut plans = Vec::new();
    for page in site.pages.iter().filter(|p| p.kind == Kind::Plan) {
        let front = &page.src.front.plan;
        let mut items: Vec<PlanItem> = Vec::new();
        for item in &front.items {
            let at = |d: Diagnostic| {
                d.in_file(format!("content/{}", page.source))
                    .at(Some(&page.src.file.text), item.page.line, item.page.col)
                    .width(item.page.value.chars().count())
            };
            let target = match lookup.resolve(&item.page.value) {
                Ok(t) => t,
                Err((message, hint)) => {
                    diags.push(at(Diagnostic::error(message).hint(hint)));
                    continue;
                }
            };
            if let Target::Page(id) = target
                && site.page(id).kind == Kind::Plan
            {
                diags.push(at(Diagnostic::error(format!(
                    "学习任务 `{}` 指向另一个学习计划",
                    item.page.value
                ))
                .hint(
                    "学习任务要指向课程、测验或其他页面；把那个计划里的任务直接列在这里",
                )));
                continue;
            }
            if items.iter().any(|i| i.target == target) {
                diags.push(at(Diagnostic::warning(format!(
                    "学习任务 `{}` 在这个计划里出现了两次",
                    item.page.value
                ))
                .hint("删掉重复的一项")));
                continue;
            }
            items.push(PlanItem {
                target,
                due: item.due.or(front.due),
                required: item.required,
                done: done_rule(site, target),
            });
        }
        plans.push(Plan {
            page: page.id,
            start: front.start,
            due: front.due,
            items,
        });
    }
    (plans, diags)
}

fn done_rule(site: &Site, target: Target) -> Done {
    match target {
        Target::Course(_) => Done::Course,
        Target::Page(id) => {
            let p = site.page(id);
            if p.quiz().is_some() {
                Done::Quiz
            } else if p.kind == Kind::Lesson {
                Done::Read
            } else {
                Done::Mark
            }
        }
    }
}

/// Finds what an item's link points at.
struct Lookup<'a> {
    site: &'a Site,
    /// Site path -> what is published there.
    by_path: HashMap<&'a str, Target>,
}

type Problem = (String, String);

impl<'a> Lookup<'a> {
    fn new(site: &'a Site) -> Self {
        let mut by_path = HashMap::new();
        for p in &site.pages {
            by_path.insert(p.path.as_str(), Target::Page(p.id));
        }
        for (i, c) in site.courses.iter().enumerate() {
            by_path.insert(c.path.as_str(), Target::Course(i));
        }
        Lookup { site, by_path }
    }

    fn resolve(&self, written: &str) -> Result<Target, Problem> {
        let w = written.trim();
        let w = w.split(['#', '?']).next().unwrap_or(w);
        if w.starts_with("http://") || w.starts_with("https://") {
            let base = self.site.permalink("");
            let rest = strip_site(w, &base).ok_or_else(|| {
                (
                    format!("学习任务 `{written}` 不是本站的网址"),
                    format!("学习任务只能指向本站的页面（{base}……），写成 @/lessons/……md"),
                )
            })?;
            return self.by_site_path(written, rest);
        }
        if let Some(p) = w.strip_prefix('/') {
            let base = self.site.config.base_path();
            let rest = w.strip_prefix(base.as_str()).unwrap_or(p);
            return self.by_site_path(written, rest);
        }
        let rel = w
            .strip_prefix("@/")
            .or_else(|| w.strip_prefix("content/"))
            .unwrap_or(w);
        self.by_source(written, &percent_decode(rel))
    }

    fn by_site_path(&self, written: &str, path: &str) -> Result<Target, Problem> {
        let p = normalize(&percent_decode(path)).unwrap_or_default();
        let p = p.trim_end_matches("index.html").to_string();
        let p = if p.is_empty() || p.ends_with('/') {
            p
        } else {
            format!("{p}/")
        };
        match self.by_path.get(p.as_str()) {
            Some(t) => Ok(*t),
            None if self.site.sections.iter().any(|s| s.path == p) || p.is_empty() => {
                Err(Self::list(written))
            }
            None => {
                let near = closest(&p, self.by_path.keys().copied(), 4)
                    .map(|s| {
                        format!("是不是 /{s}？也可以写成 @/……md（从 content/ 算起的文件路径）")
                    })
                    .unwrap_or_else(|| self.example());
                Err((format!("学习任务 `{written}` 指向的页面不存在：/{p}"), near))
            }
        }
    }

    fn by_source(&self, written: &str, rel: &str) -> Result<Target, Problem> {
        let Some(norm) = normalize(rel) else {
            return Err((
                format!("学习任务 `{written}` 指到了 content/ 外面"),
                self.example(),
            ));
        };
        let base = norm.trim_end_matches('/');
        let stem = base.strip_suffix(".md").unwrap_or(base);
        let candidates = [
            base.to_string(),
            format!("{stem}.md"),
            format!("{stem}/index.md"),
            format!("{stem}/_index.md"),
        ];
        let resolver = &self.site.resolver;
        for c in &candidates {
            if let Some(t) = resolver.by_source.get(c) {
                if c.ends_with("_index.md") {
                    return Err(Self::list(written));
                }
                return self.by_site_path(written, &t.path);
            }
        }
        if let Some(c) = candidates.iter().find(|c| resolver.drafts.contains(*c)) {
            return Err((
                format!("学习任务 `{written}` 指向草稿 content/{c}，它不会发布"),
                "发布那篇文章（删掉 draft: true），或先把这项任务去掉".into(),
            ));
        }
        let sources = resolver.by_source.keys().map(String::as_str);
        let hint = match closest(&format!("{stem}.md"), sources, 4) {
            Some(s) => format!("是不是 @/{s}？"),
            None => self.example(),
        };
        Err((
            format!("学习任务 `{written}` 指向的文件不存在：content/{stem}.md"),
            hint,
        ))
    }

    fn list(written: &str) -> Problem {
        (
            format!("学习任务 `{written}` 指向一个栏目列表，而不是一篇课程或一个页面"),
            "写出具体的课程，例如 @/lessons/dang-zhang-01.md；整门系列课程写 @/courses/……md".into(),
        )
    }

    /// "路径从 content/ 算起，例如 @/lessons/<a real lesson>.md".
    fn example(&self) -> String {
        let lesson = self
            .site
            .lessons
            .first()
            .map(|&id| self.site.page(id).source.as_str())
            .unwrap_or("lessons/dang-zhang-01.md");
        format!("路径从 content/ 算起，例如 @/{lesson}")
    }
}

/// `https://host/base/lessons/x/` less the site's URL `https://host/base/`
/// (http and https alike), or `None` for another site.
fn strip_site<'u>(url: &'u str, base: &str) -> Option<&'u str> {
    let without = |u: &'u str| u.split_once("://").map(|(_, r)| r);
    let (u, b) = (without(url)?, base.split_once("://")?.1);
    let host_len = b.find('/').unwrap_or(b.len());
    let (uh, bh) = (u.get(..host_len)?, &b[..host_len]);
    if !uh.eq_ignore_ascii_case(bh) {
        return None;
    }
    let rest = &u[host_len..];
    let base_path = &b[host_len..];
    rest.strip_prefix(base_path)
        .or_else(|| (format!("{rest}/") == base_path).then_some(""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::dates::parse_when;

    fn when(s: &str) -> When {
        parse_when(s, FixedOffset::east_opt(8 * 3600).unwrap()).unwrap()
    }

    fn plan(start: Option<&str>, due: Option<&str>) -> Plan {
        Plan {
            page: 0,
            start: start.map(when),
            due: due.map(when),
            items: Vec::new(),
        }
    }

    #[test]
    fn the_whole_due_day_counts() {
        let p = plan(Some("2026-11-15"), Some("2026-12-31"));
        let at = |s: &str| when(s).at;
        assert_eq!(p.phase(at("2026-11-14 23:59")), Phase::Upcoming);
        assert_eq!(p.phase(at("2026-11-15 00:00")), Phase::Current);
        assert_eq!(p.phase(at("2026-12-31 23:59")), Phase::Current);
        assert_eq!(p.phase(at("2027-01-01 00:00")), Phase::Past);
        // A due time is the time itself.
        let p = plan(None, Some("2026-12-31 12:00"));
        assert_eq!(p.phase(at("2026-12-31 11:59")), Phase::Current);
        assert_eq!(p.phase(at("2026-12-31 12:00")), Phase::Past);
        // Open ends.
        assert_eq!(plan(None, None).phase(at("2000-01-01")), Phase::Current);
        assert_eq!(
            plan(Some("2026-01-01"), None).phase(at("2099-01-01")),
            Phase::Current
        );
    }

    #[test]
    fn full_urls_of_this_site_only() {
        let base = "https://dj.example.edu.cn/zhibu1/";
        assert_eq!(
            strip_site("https://dj.example.edu.cn/zhibu1/lessons/a/", base),
            Some("lessons/a/")
        );
        assert_eq!(
            strip_site("http://DJ.example.edu.cn/zhibu1/lessons/a/", base),
            Some("lessons/a/")
        );
        assert_eq!(strip_site("https://other.cn/zhibu1/lessons/a/", base), None);
        assert_eq!(
            strip_site("https://dj.example.edu.cn/zhibu2/a/", base),
            None
        );
    }
}
