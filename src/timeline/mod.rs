//! What is happening now. A page is read long after it is built, so every
//! state that depends on today — an activity 即将开展 / 进行中 / 已开展, a
//! notice 未开始 / 公示中 / 已结束 with the days left, a sign-up open or
//! closed — is a [`Window`] of time and a [`Phase`] of it. The build computes
//! the phase at `--now`; the page carries the window as data attributes and
//! `js/now.js` computes the same phase, with the same rules, when the page is
//! read (docs/time.md). Pure functions only.

pub(crate) mod alarms;

use chrono::{DateTime, Duration, FixedOffset};
use serde::Serialize;

use crate::model::{Page, PageId};
use crate::parse::dates::When;
use crate::parse::front::Front;
use crate::parse::notice::Category;
use crate::parse::signup::SignupFront;

/// A notice without an `end` (a 通知 or 公开) counts as current for this
/// many days after it starts: long enough to be seen on the home page,
/// short enough not to crowd it.
pub(crate) const RECENT_DAYS: i64 = 30;

/// A span of time; `end` is exclusive. Either side may be open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub start: Option<DateTime<FixedOffset>>,
    pub end: Option<DateTime<FixedOffset>>,
}

/// Where "now" is with respect to a window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Before the start.
    Upcoming,
    /// From the start until the end.
    Current,
    /// At or after the end.
    Past,
}

impl Window {
    pub(crate) fn phase(&self, now: DateTime<FixedOffset>) -> Phase {
        if self.start.is_some_and(|s| now < s) {
            Phase::Upcoming
        } else if self.end.is_some_and(|e| now >= e) {
            Phase::Past
        } else {
            Phase::Current
        }
    }

    /// Days until the end, counting the day of `now` as one (the last day
    /// of a period leaves 1); `None` without an end or once it is over.
    /// now.js computes the same: `Math.ceil((end - now) / 86400000)`.
    pub(crate) fn days_left(&self, now: DateTime<FixedOffset>) -> Option<i64> {
        let ms = (self.end? - now).num_milliseconds();
        (ms > 0).then(|| (ms + 86_399_999) / 86_400_000)
    }
}

/// The moment a date written in front matter is over: the next midnight
/// for a whole day, the time itself for a date-time.
pub(crate) fn end_of(w: When) -> DateTime<FixedOffset> {
    if w.all_day {
        w.at + Duration::days(1)
    } else {
        w.at
    }
}

/// An activity: from its start until its `end` (or its date) is over.
/// Matches the model's `upcoming` (which is true until the end).
pub(crate) fn activity_window(date: Option<When>, end: Option<When>) -> Option<Window> {
    let start = date?;
    Some(Window {
        start: Some(start.at),
        end: Some(end_of(end.unwrap_or(start))),
    })
}

/// A notice: its period `start` (or `date`) to `end`, both days included;
/// a notice without `end` is current for [`RECENT_DAYS`] after it starts,
/// one without any date always (a standing 公开).
pub(crate) fn notice_window(front: &Front) -> Window {
    let n = &front.notice;
    let start = n.start.or(front.date);
    let end = match (n.end, start) {
        (Some(e), _) => Some(end_of(e)),
        (None, Some(s)) => Some(s.at + Duration::days(RECENT_DAYS)),
        (None, None) => None,
    };
    Window {
        start: start.map(|s| s.at),
        end,
    }
}

/// Whether the notice has a period of its own (a 公示, or a notice with
/// `end`): its state (未开始 / 公示中 / 已结束) is then shown.
pub(crate) fn has_period(front: &Front) -> bool {
    front.notice.category == Category::Publicity || front.notice.end.is_some()
}

/// Sign-up: open until the deadline is over (a date counts as the whole
/// day), and never after the activity has ended; without a deadline,
/// until the activity starts.
pub(crate) fn signup_window(s: &SignupFront, activity: Option<Window>) -> Window {
    let finish = activity.and_then(|w| w.end);
    let end = match s.deadline {
        Some(d) => Some(match finish {
            Some(f) => end_of(d).min(f),
            None => end_of(d),
        }),
        None => activity.and_then(|w| w.start),
    };
    Window { start: None, end }
}

/// Notices in list order, and those still to be shown on the home page:
/// current and upcoming ones first (a running 公示 before one that has not
/// begun, newest first within each), then the ones that are over, newest
/// first. `ids` are the notices, newest first.
pub(crate) fn order_notices(
    pages: &[std::sync::Arc<Page>],
    ids: &[PageId],
    now: DateTime<FixedOffset>,
) -> (Vec<PageId>, Vec<PageId>) {
    let rank = |id: PageId| match notice_window(&pages[id].src.front).phase(now) {
        Phase::Current => 0,
        Phase::Upcoming => 1,
        Phase::Past => 2,
    };
    let mut all = ids.to_vec();
    // A stable sort keeps newest first within each rank.
    all.sort_by_key(|&id| rank(id));
    let current = all.iter().copied().filter(|&id| rank(id) < 2).collect();
    (all, current)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::dates::parse_when;

    fn bj() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).unwrap()
    }
    fn w(s: &str) -> When {
        parse_when(s, bj()).unwrap()
    }
    fn t(s: &str) -> DateTime<FixedOffset> {
        w(s).at
    }

    #[test]
    fn phases_of_an_activity() {
        let a = activity_window(Some(w("2026-12-05 13:30")), Some(w("2026-12-05 17:00"))).unwrap();
        assert_eq!(a.phase(t("2026-11-21 12:00")), Phase::Upcoming);
        assert_eq!(a.phase(t("2026-12-05 13:30")), Phase::Current);
        assert_eq!(a.phase(t("2026-12-05 17:00")), Phase::Past);
        // A whole-day, several-day activity runs until the night after its end.
        let a = activity_window(Some(w("2026-07-10")), Some(w("2026-07-12"))).unwrap();
        assert_eq!(a.phase(t("2026-07-12 23:59")), Phase::Current);
        assert_eq!(a.phase(t("2026-07-13 00:00")), Phase::Past);
        // Without a time or an end: the whole day.
        let a = activity_window(Some(w("2026-07-10")), None).unwrap();
        assert_eq!(a.end, Some(t("2026-07-11 00:00")));
    }

    #[test]
    fn days_left_count_today() {
        let p = Window {
            start: Some(t("2026-11-19 00:00")),
            end: Some(end_of(w("2026-11-25"))),
        };
        // Sat 21 noon to the end of Wed 25: the 21st, 22nd … 25th.
        assert_eq!(p.days_left(t("2026-11-21 12:00")), Some(5));
        assert_eq!(p.days_left(t("2026-11-25 00:00")), Some(1));
        assert_eq!(p.days_left(t("2026-11-25 23:59")), Some(1));
        assert_eq!(p.days_left(t("2026-11-26 00:00")), None);
    }

    #[test]
    fn signup_closes_at_the_deadline_or_when_the_activity_ends() {
        let act = activity_window(Some(w("2026-12-05 13:30")), Some(w("2026-12-05 17:00")));
        let s = |d: Option<&str>| SignupFront {
            url: "https://www.wjx.cn/vm/x.aspx".into(),
            deadline: d.map(w),
            note: None,
        };
        assert_eq!(
            signup_window(&s(Some("2026-12-03")), act).end,
            Some(t("2026-12-04 00:00"))
        );
        assert_eq!(
            signup_window(&s(Some("2026-12-03 18:00")), act).end,
            Some(t("2026-12-03 18:00"))
        );
        assert_eq!(
            signup_window(&s(Some("2026-12-09")), act).end,
            Some(t("2026-12-05 17:00"))
        );
        assert_eq!(
            signup_window(&s(None), act).end,
            Some(t("2026-12-05 13:30"))
        );
        let open = signup_window(&s(Some("2026-12-03")), act);
        assert_eq!(open.phase(t("2026-12-03 23:00")), Phase::Current);
        assert_eq!(open.phase(t("2026-12-04 00:00")), Phase::Past);
    }

    #[test]
    fn notice_windows() {
        let mut f = Front {
            date: Some(w("2026-11-18")),
            ..Default::default()
        };
        // A 通知 without end: current for 30 days.
        assert_eq!(notice_window(&f).end, Some(t("2026-12-18 00:00")));
        assert!(!has_period(&f));
        f.notice.category = Category::Publicity;
        f.notice.start = Some(w("2026-11-30"));
        f.notice.end = Some(w("2026-12-04"));
        let p = notice_window(&f);
        assert_eq!(p.phase(t("2026-11-21 12:00")), Phase::Upcoming);
        assert_eq!(p.phase(t("2026-12-04 16:00")), Phase::Current);
        assert_eq!(p.phase(t("2026-12-05 00:00")), Phase::Past);
        assert!(has_period(&f));
        // Undated: always current.
        let f = Front::default();
        assert_eq!(
            notice_window(&f).phase(t("2030-01-01 00:00")),
            Phase::Current
        );
    }
}
