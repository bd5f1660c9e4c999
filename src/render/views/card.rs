//! A page as lists show it: a core every kind has (title, URL, summary,
//! date, cover, tags) and the part of its own kind (a lesson's course and
//! duration, an activity's place and time, a member's role and honours).
//! The kind's part is flattened into the card, so templates read
//! `card.duration` on a lesson card and `card.location` on an activity's.

use serde::Serialize;

use crate::deps::Reads;
use crate::images::{ImageView, Role, THUMBNAIL_SIZES};
use crate::model::{ActivityData, LessonData, MemberData, Page, PageId};
use crate::parse::Kind;
use crate::render::views::dates::{DateView, date_view};
use crate::render::views::images::AVATAR_SIZES;
use crate::render::views::now::{NoticeView, NowView, activity_now, notice_view};
use crate::render::views::{TagLink, Views};
use crate::routes;

#[derive(Serialize, Clone, Debug, PartialEq)]
pub(crate) struct Card {
    pub kind: Kind,
    /// 学习课程, or an activity's own kind (主题党日 …).
    pub kind_label: String,
    pub title: String,
    pub url: String,
    pub summary: String,
    pub date: Option<DateView>,
    /// The cover's URL (its thumbnail copy when there is one).
    pub cover: Option<String>,
    /// The cover as an `<img>`: sizes, srcset, width and height.
    pub cover_image: Option<ImageView>,
    pub tags: Vec<TagLink>,
    /// Any page may carry a quiz.
    pub has_quiz: bool,
    /// Activities and notices: the window js/now.js corrects the state from.
    pub now: Option<NowView>,
    #[serde(flatten)]
    pub part: KindPart,
}

/// What a card shows of its own kind.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(untagged)]
pub(crate) enum KindPart {
    Lesson(LessonCard),
    Activity(ActivityCard),
    Member(MemberCard),
    /// Boxed: a notice's part is several times the size of the others.
    Notice(Box<NoticeCard>),
    Other(NoPart),
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub(crate) struct NoPart {}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub(crate) struct Link {
    pub title: String,
    pub url: String,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub(crate) struct LessonCard {
    pub duration: Option<u32>,
    pub course: Option<Link>,
    /// 1-based place in its course.
    pub position: Option<usize>,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub(crate) struct ActivityCard {
    pub activity_kind: Option<String>,
    pub location: Option<String>,
    pub upcoming: bool,
    pub volunteer_hours: Option<f64>,
    pub participant_count: usize,
    /// The event with reminders, `activities/x/event.ics`.
    pub event_url: Option<String>,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub(crate) struct NoticeCard {
    pub notice: NoticeView,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub(crate) struct MemberCard {
    pub role: Option<String>,
    pub class: Option<String>,
    pub honors: Vec<String>,
    pub motto: Option<String>,
    pub member_hours: Option<f64>,
    pub activity_count: usize,
}

/// The card of page `id`, recording what it reads in `r`.
pub(super) fn make(v: &Views, id: PageId, r: &mut Reads) -> Card {
    let p = v.page(id, r);
    let notice = (p.kind == Kind::Notice)
        .then(|| notice_view(p, v.now(r)))
        .flatten();
    let now = match &p.activity {
        Some(_) => activity_now(p, v.now(r)),
        None => notice.as_ref().map(|n| n.now.clone()),
    };
    let part = match (&p.lesson, &p.activity, &p.member, notice) {
        (Some(l), ..) => KindPart::Lesson(lesson(v, l, r)),
        (_, Some(a), ..) => KindPart::Activity(activity(v, p, a)),
        (_, _, Some(m), _) => KindPart::Member(member(m)),
        (.., Some(notice)) => KindPart::Notice(Box::new(NoticeCard { notice })),
        _ => KindPart::Other(NoPart {}),
    };
    let cover_image = p.cover.as_deref().map(|c| {
        let sizes = match p.kind {
            Kind::Member => AVATAR_SIZES,
            _ => THUMBNAIL_SIZES,
        };
        v.image(c, Role::Thumbnail, "", sizes, r)
    });
    Card {
        kind: p.kind,
        kind_label: kind_label(p),
        title: p.title.clone(),
        url: v.url(&p.path),
        summary: p.summary.clone(),
        date: p.date.as_ref().map(date_view),
        cover: cover_image.as_ref().map(|i| i.src.clone()),
        cover_image,
        tags: p.tags.iter().map(|t| v.tag_link(t, r)).collect(),
        has_quiz: p.quiz().is_some(),
        now,
        part,
    }
}

/// 学习课程 …, or an activity's own kind.
pub(crate) fn kind_label(p: &Page) -> String {
    match (p.kind, p.activity.as_ref().and_then(|a| a.kind.clone())) {
        (Kind::Activity, Some(k)) => k,
        (Kind::Notice, _) => p.src.front.notice.category.label().to_string(),
        (k, _) => k.label().to_string(),
    }
}

fn lesson(v: &Views, l: &LessonData, r: &mut Reads) -> LessonCard {
    LessonCard {
        duration: l.duration,
        course: l.course.map(|c| {
            let c = v.course(c, r);
            Link {
                title: c.name.clone(),
                url: v.url(&c.path),
            }
        }),
        position: Some(l.position).filter(|&n| n > 0),
    }
}

fn activity(v: &Views, p: &Page, a: &ActivityData) -> ActivityCard {
    ActivityCard {
        activity_kind: a.kind.clone(),
        location: a.location.clone(),
        upcoming: a.upcoming,
        volunteer_hours: a.volunteer_hours,
        participant_count: a.participants.len(),
        event_url: p.date.map(|_| v.url(&routes::event(&p.path))),
    }
}

fn member(m: &MemberData) -> MemberCard {
    MemberCard {
        role: m.role.clone(),
        class: m.class.clone(),
        honors: m.honors.clone(),
        motto: m.motto.clone(),
        member_hours: Some(m.volunteer_hours).filter(|h| *h > 0.0),
        activity_count: m.activities.len(),
    }
}
