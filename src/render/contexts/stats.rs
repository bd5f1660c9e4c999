//! 成果展示: the statistics page and its charts (drawn at build time as
//! SVG, see `render::charts`).

use super::Ctx;

use crate::deps::Reads;
use crate::model::stats::Stats;
use crate::render::charts::{self, Chart};
use crate::render::contexts::Cx;
use crate::render::views::Card;
use crate::routes;

impl Cx<'_> {
    pub(super) fn stats(&self, ctx: &mut Ctx, r: &mut Reads) {
        let v = &self.views;
        let m = self.meta(
            "成果展示",
            "支部活动、志愿服务与学习课程的统计",
            routes::STATS,
            self.share(None, r),
            "website",
            "stats",
        );
        let stats = v.stats(r);
        ctx.insert("meta", &m);
        ctx.insert("stats", stats);
        ctx.insert("charts", &stats_charts(stats));
        let top: Vec<Card> = stats
            .hours_by_member
            .iter()
            .map(|m| v.card(m.id, r))
            .collect();
        ctx.insert("volunteers", &top);
        ctx.insert("years", &v.year_links(r));
    }
}

fn stats_charts(s: &Stats) -> Vec<Chart> {
    use crate::model::stats::Bucket;
    let bucket = |label: &str, value: f64| Bucket {
        key: label.to_string(),
        label: label.to_string(),
        value,
    };
    let members: Vec<Bucket> = s
        .hours_by_member
        .iter()
        .take(10)
        .map(|m| bucket(&m.name, m.hours))
        .collect();
    let mut courses: Vec<&crate::model::stats::CourseCount> = s.courses.iter().collect();
    courses.sort_by_key(|c| std::cmp::Reverse(c.lessons));
    let courses: Vec<Bucket> = courses
        .iter()
        .take(12)
        .map(|c| bucket(&c.name, c.lessons as f64))
        .collect();
    vec![
        charts::columns("chart-months", "每月活动次数", "次", &s.activities_by_month),
        charts::rows("chart-kinds", "各类活动次数", "次", &s.activities_by_kind),
        charts::columns("chart-hours", "每月志愿服务时长", "小时", &s.hours_by_month),
        charts::rows(
            "chart-members",
            "党员志愿服务时长（前 10 名）",
            "小时",
            &members,
        ),
        charts::rows("chart-courses", "各系列课程的课时数", "课", &courses),
    ]
}
