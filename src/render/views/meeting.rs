//! A 三会一课 meeting's record as templates see it (on its own page and in
//! every row of the 台账), the attachments of any page, and percentages for
//! people.

use serde::Serialize;

use crate::deps::{List, Reads};
use crate::model::{Attachment, PageId};
use crate::parse::meeting::Attendance;
use crate::render::views::Views;
use crate::render::views::dates::{DateView, date_view, human_size, when_text};
use crate::render::views::page::AttachmentView;

#[derive(Serialize, Clone, Debug)]
pub(crate) struct MeetingView {
    /// 支部委员会 …
    pub kind: String,
    pub title: String,
    pub url: String,
    pub date: Option<DateView>,
    /// `2026年3月12日 周四 19:00–20:30`
    pub when: String,
    pub location: Option<String>,
    pub host: Option<PersonView>,
    pub recorder: Option<PersonView>,
    pub attendance: Option<Attendance>,
    /// `89.5%` of the expected present.
    pub rate: Option<String>,
    pub agenda: Vec<String>,
    pub decisions: Vec<String>,
    pub attachments: Vec<AttachmentView>,
    /// Has not started yet.
    pub upcoming: bool,
}

/// A host or recorder: linked when a member profile has exactly that name.
#[derive(Serialize, Clone, Debug)]
pub(crate) struct PersonView {
    pub name: String,
    pub url: Option<String>,
}

/// `18 / 19` → `94.7%`; whole numbers without a decimal (`100%`).
pub(crate) fn percent(part: u32, whole: u32) -> Option<String> {
    (whole > 0).then(|| {
        let p = part as f64 * 100.0 / whole as f64;
        if (p - p.round()).abs() < 0.05 {
            format!("{}%", p.round() as i64)
        } else {
            format!("{p:.1}%")
        }
    })
}

impl Views<'_> {
    pub(crate) fn attachment_views(&self, list: &[Attachment]) -> Vec<AttachmentView> {
        list.iter()
            .map(|a| AttachmentView {
                url: self.url(&a.url),
                name: a.name.clone(),
                format: a.format.clone(),
                size: a.bytes.map(human_size),
            })
            .collect()
    }

    /// The record of page `id` when it is a meeting (an activity with
    /// `meeting:`).
    pub(crate) fn meeting_view(&self, id: PageId, r: &mut Reads) -> Option<MeetingView> {
        let p = self.page(id, r);
        let m = &p.src.front.activity.meeting;
        let kind = m.kind.as_ref()?;
        let a = p.activity.as_ref();
        Some(MeetingView {
            kind: kind.name.clone(),
            title: p.title.clone(),
            url: self.url(&p.path),
            date: p.date.as_ref().map(date_view),
            when: when_text(p.date.as_ref(), a.and_then(|a| a.end.as_ref())),
            location: a.and_then(|a| a.location.clone()),
            host: self.person(m.host.as_deref(), r),
            recorder: self.person(m.recorder.as_deref(), r),
            attendance: m.attendance,
            rate: m.attendance.and_then(|a| percent(a.present, a.expected)),
            agenda: m.agenda.clone(),
            decisions: m.decisions.clone(),
            attachments: self.attachment_views(&p.attachments),
            upcoming: p.date.is_some_and(|d| d.at > self.now(r)),
        })
    }

    /// A name as written, linked to the one member profile of that name
    /// (members are read by their navigation links: a change of a
    /// member's body is no change here).
    fn person(&self, name: Option<&str>, r: &mut Reads) -> Option<PersonView> {
        let name = name?;
        let members = self.head(List::Members, usize::MAX, r);
        let mut same = members
            .iter()
            .map(|&m| self.link(m, r))
            .filter(|l| l.title == name);
        let url = match (same.next(), same.next()) {
            (Some(l), None) => Some(l.url),
            _ => None,
        };
        Some(PersonView {
            name: name.to_string(),
            url,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_for_people() {
        assert_eq!(percent(18, 19).as_deref(), Some("94.7%"));
        assert_eq!(percent(20, 20).as_deref(), Some("100%"));
        assert_eq!(percent(1, 3).as_deref(), Some("33.3%"));
        assert_eq!(percent(1, 0), None);
    }
}
