//! What templates see of the states that depend on today (see
//! [`crate::timeline`]): a [`NowView`] is a window as data attributes for
//! now.js plus its state at build time; notices and sign-up get their own
//! views around one.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::model::Page;
use crate::parse::notice::Category;
use crate::render::views::dates::{DateView, date_view};
use crate::timeline::{self, Phase, Window};

/// A window of time as the page carries it (`data-now-start`,
/// `data-now-end`, docs/time.md) and its state when the site was built.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub(crate) struct NowView {
    /// RFC 3339, with the offset, so that browsers in any zone agree.
    pub start: Option<String>,
    /// RFC 3339; the end itself is no longer in the window.
    pub end: Option<String>,
    /// `upcoming`, `current` or `past` at build time.
    pub state: Phase,
    /// Days until the end, today included, while current.
    pub days_left: Option<i64>,
}

pub(crate) fn now_view(w: &Window, now: DateTime<FixedOffset>) -> NowView {
    let state = w.phase(now);
    NowView {
        start: w.start.map(|t| t.to_rfc3339()),
        end: w.end.map(|t| t.to_rfc3339()),
        state,
        days_left: (state == Phase::Current)
            .then(|| w.days_left(now))
            .flatten(),
    }
}

/// A notice's category, period and contact.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub(crate) struct NoticeView {
    /// 公示, 通知 or 公开.
    pub category: &'static str,
    pub is_publicity: bool,
    /// Whether the notice has a period whose state is shown (a 公示, or any
    /// notice with `end`).
    pub has_period: bool,
    pub start: Option<DateView>,
    /// The last day of the period.
    pub end: Option<DateView>,
    /// `2026年11月19日至11月25日`
    pub period: Option<String>,
    pub contact: Option<String>,
    pub now: NowView,
}

pub(crate) fn notice_view(p: &Page, now: DateTime<FixedOffset>) -> Option<NoticeView> {
    if p.kind != crate::parse::Kind::Notice {
        return None;
    }
    let f = &p.src.front;
    let n = &f.notice;
    let start = n.start.or(f.date);
    let period = match (start.map(|s| date_view(&s)), n.end.map(|e| date_view(&e))) {
        (Some(s), Some(e)) if s.ymd == e.ymd => Some(s.display),
        (Some(s), Some(e)) if s.year == e.year => Some(format!("{}至{}", s.display, e.short)),
        (Some(s), Some(e)) => Some(format!("{}至{}", s.display, e.display)),
        _ => None,
    };
    Some(NoticeView {
        category: n.category.label(),
        is_publicity: n.category == Category::Publicity,
        has_period: timeline::has_period(f),
        start: start.as_ref().map(date_view),
        end: n.end.as_ref().map(date_view),
        period,
        contact: n.contact.clone(),
        now: now_view(&timeline::notice_window(f), now),
    })
}

/// The window of an activity, from its date to its end.
pub(crate) fn activity_now(p: &Page, now: DateTime<FixedOffset>) -> Option<NowView> {
    let a = p.activity.as_ref()?;
    timeline::activity_window(p.date, a.end).map(|w| now_view(&w, now))
}

/// An activity's sign-up: the form's link, its QR code and the deadline.
#[derive(Serialize, Clone, Debug)]
pub(crate) struct SignupView {
    pub url: String,
    /// `12月3日（周四）18:00`; none when sign-up closes as the activity starts.
    pub deadline: Option<String>,
    pub note: Option<String>,
    /// The QR code of `url` as inline SVG markup (made by [`crate::qr`]).
    pub qr_svg: String,
    /// Open while `current`.
    pub now: NowView,
}

pub(crate) fn signup_view(p: &Page, now: DateTime<FixedOffset>) -> Option<SignupView> {
    let a = p.activity.as_ref()?;
    let s = p.src.front.activity.signup.as_ref()?;
    let w = timeline::signup_window(s, timeline::activity_window(p.date, a.end));
    let now = now_view(&w, now);
    Some(SignupView {
        url: s.url.clone(),
        deadline: s.deadline.map(|d| {
            let v = date_view(&d);
            let mut t = format!("{}（{}）", v.short, v.weekday);
            if let Some(time) = v.time {
                t.push_str(&time);
            }
            t
        }),
        note: s.note.clone(),
        // Drawn only while the form is open: a closed form's code is not shown.
        qr_svg: if now.state == Phase::Past {
            String::new()
        } else {
            crate::qr::svg(&s.url)
        },
        now,
    })
}
