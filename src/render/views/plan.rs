//! What templates see of a study plan: its window, its items with what
//! "done" means for each, and the windows js/now.js corrects the built
//! state from when the page is read (`data-now-*`, docs/time.md). Which
//! items this reader has done only their browser knows: learning.js fills
//! that in from the item's `data-done` and `data-key`.
//!
//! Everything is read through [`Views`]: the plans themselves
//! (`Dep::Plans`, `Dep::Plan`), the items' targets as navigation links and
//! cards, their courses, and now.

use serde::Serialize;

use crate::deps::Reads;
use crate::model::plans::{Plan, PlanItem, Target};
use crate::model::{PageId, plans};
use crate::parse::Kind;
use crate::render::views::Views;
use crate::render::views::dates::{DateView, date_view};
use crate::render::views::now::{NowView, now_view};
use crate::timeline::{Phase, Window};

#[derive(Serialize, Clone, Debug)]
pub(crate) struct PlanView {
    pub title: String,
    pub url: String,
    /// Site path of the plan page.
    pub key: String,
    pub start: Option<DateView>,
    pub due: Option<DateView>,
    /// `2026年11月15日 至 12月31日`, or `截至 12月31日` / `2026年11月15日起`.
    pub range: String,
    /// From `start` to the end of the due day; its state when built.
    pub now: NowView,
    pub items: Vec<ItemView>,
    pub required_count: usize,
    pub optional_count: usize,
}

#[derive(Serialize, Clone, Debug)]
pub(crate) struct ItemView {
    pub n: usize,
    pub title: String,
    pub url: String,
    /// 学习课程, 测评, 系列课程, 支部活动 …
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
    /// Until the end of the due day (no start); `past` once it is late.
    pub now: Option<NowView>,
    pub required: bool,
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

impl Views<'_> {
    /// A plan with its items as this model shows them.
    pub(crate) fn plan_view(&self, plan: &Plan, r: &mut Reads) -> PlanView {
        let now = self.now(r);
        let link = self.link(plan.page, r);
        let start = plan.start.as_ref().map(date_view);
        let due = plan.due.as_ref().map(date_view);
        let items: Vec<ItemView> = plan
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| self.item_view(item, i + 1, r))
            .collect();
        PlanView {
            title: link.title,
            url: link.url,
            key: link.key,
            range: range_text(start.as_ref(), due.as_ref()),
            start,
            due,
            now: now_view(&plan.window(), now),
            required_count: items.iter().filter(|i| i.required).count(),
            optional_count: items.iter().filter(|i| !i.required).count(),
            items,
        }
    }

    fn item_view(&self, item: &PlanItem, n: usize, r: &mut Reads) -> ItemView {
        let (title, url, key, keys, kind_label) = match item.target {
            Target::Page(id) => {
                let link = self.link(id, r);
                let label = self.item_label(id, r);
                (link.title, link.url, link.key, String::new(), label)
            }
            Target::Course(c) => {
                let course = self.course(c, r);
                let keys: Vec<String> = course
                    .lessons
                    .iter()
                    .map(|&id| self.link(id, r).key)
                    .collect();
                (
                    course.name.clone(),
                    self.url(&course.path),
                    course.path.clone(),
                    keys.join(" "),
                    Kind::Course.label().to_string(),
                )
            }
        };
        let now = self.now(r);
        ItemView {
            n,
            title,
            url,
            kind_label,
            key,
            keys,
            done: item.done.name(),
            how: item.done.how(),
            due: item.due.as_ref().map(date_view),
            now: item.end().map(|end| {
                let w = Window {
                    start: None,
                    end: Some(end),
                };
                now_view(&w, now)
            }),
            required: item.required,
        }
    }

    /// The card's label, or 测评 for a lesson that is only a quiz (a
    /// monthly test: it has no text; only then is the page's body read).
    fn item_label(&self, id: PageId, r: &mut Reads) -> String {
        let card = self.card(id, r);
        if card.kind == Kind::Lesson && card.has_quiz && self.page(id, r).plain().trim().is_empty()
        {
            "测评".to_string()
        } else {
            card.kind_label
        }
    }

    /// The plan written in page `id`, for its own page.
    pub(crate) fn page_plan(&self, id: PageId, r: &mut Reads) -> Option<PlanView> {
        self.plan(id, r).map(|p| self.plan_view(p, r))
    }

    /// Plans for the home page: those not over when the site was built
    /// (the upcoming ones hidden until their start; now.js shows and hides
    /// them by the reader's clock).
    pub(crate) fn home_plans(&self, r: &mut Reads) -> Vec<PlanView> {
        let now = self.now(r);
        plans::in_order(self.plans(r), now)
            .into_iter()
            .filter(|p| p.phase(now) != Phase::Past)
            .map(|p| self.plan_view(p, r))
            .collect()
    }

    /// Every plan, for 我的学习.
    pub(crate) fn all_plans(&self, r: &mut Reads) -> Vec<PlanView> {
        let now = self.now(r);
        plans::in_order(self.plans(r), now)
            .into_iter()
            .map(|p| self.plan_view(p, r))
            .collect()
    }

    /// Key and title of every page with a quiz, for 我的学习's results
    /// table (a record imported from a 学习记录码 carries no titles).
    pub(crate) fn quiz_titles(&self, r: &mut Reads) -> Vec<QuizTitle> {
        (0..self.layout().pages.len())
            .map(|id| self.link(id, r))
            .filter(|l| l.has_quiz)
            .map(|l| QuizTitle {
                key: l.key,
                title: l.title,
            })
            .collect()
    }
}

#[derive(Serialize, Clone, Debug)]
pub(crate) struct QuizTitle {
    pub key: String,
    pub title: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::dates::parse_when;
    use chrono::FixedOffset;

    fn d(s: &str) -> DateView {
        date_view(&parse_when(s, FixedOffset::east_opt(8 * 3600).unwrap()).unwrap())
    }

    #[test]
    fn ranges_read_as_people_write_them() {
        let (a, b) = (d("2026-11-15"), d("2026-12-31"));
        assert_eq!(range_text(Some(&a), Some(&b)), "2026年11月15日 至 12月31日");
        let c = d("2027-01-10");
        assert_eq!(
            range_text(Some(&a), Some(&c)),
            "2026年11月15日 至 2027年1月10日"
        );
        assert_eq!(range_text(None, Some(&b)), "截至 2026年12月31日");
        assert_eq!(range_text(Some(&a), None), "2026年11月15日起");
        assert_eq!(range_text(None, None), "");
    }
}
