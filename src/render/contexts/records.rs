//! The 台账 and the annual summaries: `/ledger/`, `/ledger/<year>/` and
//! `/stats/<year>/` (their views are made in `views/ledger.rs` and
//! `views/annual.rs`). Each returns `false` when the site has no such
//! year, which its route table never asks for.

use super::Ctx;

use crate::deps::Reads;
use crate::render::contexts::Cx;
use crate::routes;

impl Cx<'_> {
    pub(super) fn ledger_index(&self, ctx: &mut Ctx, r: &mut Reads) {
        let desc = "三会一课台账：每年的支部党员大会、支部委员会、党小组会和党课记录";
        let meta = self.website("三会一课台账", desc, routes::LEDGER, "stats");
        ctx.insert("meta", &meta);
        ctx.insert("ledger", &self.views.ledger_index_view(r));
    }

    pub(super) fn ledger_year(&self, year: i32, ctx: &mut Ctx, r: &mut Reads) -> bool {
        let Some(l) = self.views.ledger_year_view(year, r) else {
            return false;
        };
        let title = format!("{year} 年三会一课台账");
        let desc = format!("{}{year} 年三会一课会议记录", l.branch);
        let meta = self.website(&title, &desc, &routes::ledger_year(year), "stats");
        ctx.insert("meta", &meta);
        ctx.insert("ledger", &l);
        true
    }

    pub(super) fn stats_year(&self, year: i32, ctx: &mut Ctx, r: &mut Reads) -> bool {
        let Some(s) = self.views.year_summary(year, r) else {
            return false;
        };
        let title = format!("{year} 年度工作成果");
        let desc = format!("{}{year} 年的活动、志愿服务、三会一课和学习情况", s.branch);
        let meta = self.website(&title, &desc, &routes::stats_year(year), "stats");
        ctx.insert("meta", &meta);
        ctx.insert("summary", &s);
        true
    }
}
