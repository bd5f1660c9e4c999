//! What templates see of a study plan: its window, its items with what
//! "done" means for each, and the dates learning.js needs to correct the
//! built state when the page is read (`data-from` / `data-until`, RFC 3339
//! instants, so the reader's time zone does not matter). Also which jobs a
//! plan's pages depend on, for `serve`.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::model::plans::{Plan, PlanItem, Target, Window, until};
use crate::model::{PageId, Site};
use crate::parse::Kind;
use crate::render::contexts::Job;
use crate::render::views::{DateView, Views, date_view};

#[derive(Serialize, Clone, Debug)]
pub struct PlanView {
    pub title: String,
    pub url: String,
    /// Site path of the plan page.
    pub key: String,
    pub summary: String,
    pub start: Option<DateView>,
    pub due: Option<DateView>,
    /// `2026年11月15日 至 12月31日`, or `截至 12月31日` / `2026年11月15日起`.
    pub range: String,
    /// When the plan starts and the first instant after it (RFC 3339), "" when open.
    pub from: String,
    pub until: String,
    /// `current`, `upcoming` or `over` when the site was built.
    pub window: &'static str,
    /// 进行中, 未开始, 已结束.
    pub window_label: &'static str,
    pub items: Vec<ItemView>,
    pub required_count: usize,
    pub optional_count: usize,
}

#[derive(Serialize, Clone, Debug)]
pub struct ItemView {
    pub n: usize,
    pub title: String,
    pub url: String,
    /// 学习课程, 测验, 系列课程, 支部活动 …
    pub kind_label: String,
    /// Site path the record is checked for (a course: its own path).
    pub key: String,
    /// A course's lessons, space-separated; "" otherwise.
    pub keys: String,
    /// quiz, read, course or mark (docs/learning.md).
    pub done: &'static str,
    /// 测验及格即完成 …
    pub how: &'static str,
    pub due: Option<DateView>,
    /// The first instant after the due date (RFC 3339), "" without one.
    pub until: String,
    /// Past its due date when the site was built.
    pub overdue: bool,
    pub required: bool,
}

fn window_names(w: Window) -> (&'static str, &'static str) {
    match w {
        Window::Upcoming => ("upcoming", "未开始"),
        Window::Current => ("current", "进行中"),
        Window::Over => ("over", "已结束"),
    }
}

fn range_text(start: Option<&DateView>, due: Option<&DateView>) -> String {
    match (start, due) {
        (Some(s), Some(d)) if s.year == d.year => format!("{} 至 {}", s.display, d.short),
        (Some(s), Some(d)) => format!("{} 至 {}", s.display, d.display),
        (Some(s), None) => format!("{}起", s.display),
        (None, Some(d)) => format!("截至 {}", d.display),
        (None, None) => String::new(),
    }
}

pub fn plan_view(site: &Site, v: &Views, plan: &Plan) -> PlanView {
    let now = site.now;
    let page = site.page(plan.page);
    let start = plan.start.as_ref().map(date_view);
    let due = plan.due.as_ref().map(date_view);
    let (window, window_label) = window_names(plan.window(now));
    let items: Vec<ItemView> = plan
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| item_view(site, v, item, i + 1, now))
        .collect();
    PlanView {
        title: page.title.clone(),
        url: v.url(&page.path),
        key: page.path.clone(),
        summary: page.summary.clone(),
        range: range_text(start.as_ref(), due.as_ref()),
        start,
        due,
        from: plan.start.map(|s| s.at.to_rfc3339()).unwrap_or_default(),
        until: plan.due.map(|d| until(&d).to_rfc3339()).unwrap_or_default(),
        window,
        window_label,
        required_count: items.iter().filter(|i| i.required).count(),
        optional_count: items.iter().filter(|i| !i.required).count(),
        items,
    }
}

fn item_view(
    site: &Site,
    v: &Views,
    item: &PlanItem,
    n: usize,
    now: DateTime<FixedOffset>,
) -> ItemView {
    let kind_label = match item.target {
        Target::Course(_) => "系列课程".to_string(),
        Target::Page(id) => {
            let p = site.page(id);
            if p.kind == Kind::Lesson && p.quiz().is_some() && p.plain().trim().is_empty() {
                "测评".to_string()
            } else {
                v.card(id).kind_label
            }
        }
    };
    let keys = match item.target {
        Target::Course(_) => item.keys(site).join(" "),
        Target::Page(_) => String::new(),
    };
    ItemView {
        n,
        title: item.title(site).to_string(),
        url: v.url(item.path(site)),
        kind_label,
        key: item.path(site).to_string(),
        keys,
        done: item.done.name(),
        how: item.done.how(),
        due: item.due.as_ref().map(date_view),
        until: item.due.map(|d| until(&d).to_rfc3339()).unwrap_or_default(),
        overdue: item.due.is_some_and(|d| now >= until(&d)),
        required: item.required,
    }
}

/// The plan written in page `id`, for its own page.
pub fn of_page(site: &Site, v: &Views, id: PageId) -> Option<PlanView> {
    site.plan_of(id).map(|p| plan_view(site, v, p))
}

/// Plans for the home page: those not over when the site was built (the
/// upcoming ones hidden until their start; learning.js shows and hides
/// them by the reader's clock).
pub fn home_plans(site: &Site, v: &Views) -> Vec<PlanView> {
    site.plans_in_order(site.now)
        .into_iter()
        .filter(|p| p.window(site.now) != Window::Over)
        .map(|p| plan_view(site, v, p))
        .collect()
}

/// Every plan, for 我的学习.
pub fn all_plans(site: &Site, v: &Views) -> Vec<PlanView> {
    site.plans_in_order(site.now)
        .into_iter()
        .map(|p| plan_view(site, v, p))
        .collect()
}

/// The jobs that show plans (the home page, 我的学习, every plan page)
/// when `jobs` render a plan or a page a plan points at; none otherwise.
/// `serve` adds them to what an edit re-renders.
pub fn dependent_jobs(site: &Site, jobs: &[Job]) -> Vec<Job> {
    let shown = |id: PageId| {
        site.plans.iter().any(|plan| {
            plan.page == id
                || plan.items.iter().any(|i| match i.target {
                    Target::Page(p) => p == id,
                    Target::Course(c) => site.courses[c].lessons.contains(&id),
                })
        })
    };
    let touched = jobs
        .iter()
        .any(|j| matches!(j, Job::Page(id) if shown(*id)));
    if !touched {
        return Vec::new();
    }
    let mut out = vec![Job::Home, Job::Me];
    out.extend(site.plans.iter().map(|p| Job::Page(p.page)));
    out
}

/// Key and title of every page with a quiz, for 我的学习's results table
/// (a record imported from a 学习记录码 carries no titles).
#[derive(Serialize, Clone, Debug)]
pub struct QuizTitle {
    pub key: String,
    pub title: String,
}

pub fn quiz_titles(site: &Site) -> Vec<QuizTitle> {
    site.pages
        .iter()
        .filter(|p| p.quiz().is_some())
        .map(|p| QuizTitle {
            key: p.path.clone(),
            title: p.title.clone(),
        })
        .collect()
}
