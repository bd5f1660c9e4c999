//! 三会一课 records for the serve property test: their state, the edits an
//! editor makes to them (type, attendance, host, a date moving between
//! months and years, a record added or removed) and their files. The 台账,
//! its CSV and the annual summaries show them.

use proptest::prelude::*;

/// Records; record 0 is always there, the others come and go.
pub const MEETINGS: usize = 3;
/// Meeting types as editors write them (支委会 is 支部委员会).
const TYPES: [&str; 5] = ["支部委员会", "支部党员大会", "党小组会", "党课", "支委会"];
/// Months of a record from 2025-10: 13 is November 2026, the month of
/// `common::NOW` (records are on its first days: past); from 14 (December
/// 2026, then 2027) they are still to come.
const MONTHS: u8 = 17;
const PAST: u8 = 13;
/// Hosts as written: the members are 张0/李0/王0, 张1/李1/王1 … as their
/// names are edited, so a member's rename links or unlinks a host in
/// records whose files do not change.
const HOSTS: [&str; 4] = ["张0", "李0", "李1", "王书记"];

#[derive(Clone, Debug)]
pub struct Meeting {
    pub present: bool,
    kind: u8,
    /// Months from 2025-10 (see [`MONTHS`]).
    month: u8,
    /// 0: no attendance written; else one more than how many were away.
    attendance: u8,
    /// One of [`HOSTS`].
    host: u8,
    body: u8,
}

#[derive(Clone, Debug)]
pub enum MeetingEdit {
    Kind(u8),
    Month(u8),
    Attendance(u8),
    Host(u8),
    Body(u8),
    AddOrRemove,
}

/// An edit of one record.
pub fn edit() -> impl Strategy<Value = (usize, MeetingEdit)> {
    let r = 0..MEETINGS;
    prop_oneof![
        (r.clone(), 0..TYPES.len() as u8).prop_map(|(i, v)| (i, MeetingEdit::Kind(v))),
        (r.clone(), 0..MONTHS).prop_map(|(i, v)| (i, MeetingEdit::Month(v))),
        (r.clone(), 0..4u8).prop_map(|(i, v)| (i, MeetingEdit::Attendance(v))),
        (r.clone(), 0..4u8).prop_map(|(i, v)| (i, MeetingEdit::Host(v))),
        (r, any::<u8>()).prop_map(|(i, v)| (i, MeetingEdit::Body(v))),
        (1..MEETINGS).prop_map(|i| (i, MeetingEdit::AddOrRemove)),
    ]
}

impl Meeting {
    /// Record `i` as the test starts: 0 and 1 there, in 2026.
    pub fn initial(i: usize) -> Meeting {
        Meeting {
            present: i < 2,
            kind: i as u8,
            month: 12 - i as u8 * 3,
            attendance: 1,
            host: i as u8,
            body: 0,
        }
    }

    pub fn apply(&mut self, e: &MeetingEdit) {
        match *e {
            MeetingEdit::Kind(v) => self.kind = v,
            MeetingEdit::Month(v) => self.month = v,
            MeetingEdit::Attendance(v) => self.attendance = v,
            MeetingEdit::Host(v) => self.host = v,
            MeetingEdit::Body(v) => self.body = v,
            MeetingEdit::AddOrRemove => self.present = !self.present,
        }
    }

    /// The file of record `i`; `members` is how many members there are.
    pub fn text(&self, i: usize, members: usize) -> String {
        let (year, month) = (
            2025 + (9 + self.month as u32) / 12,
            (9 + self.month as u32) % 12 + 1,
        );
        // Attendance only once the meeting has taken place (else an error).
        let attendance = if self.attendance > 0 && self.month <= PAST {
            let away = self.attendance as usize - 1;
            let expected = 12 + i;
            format!(
                "attendance: {{expected: {expected}, present: {}, leave: {away}}}\n",
                expected - away
            )
        } else {
            String::new()
        };
        let host = HOSTS[self.host as usize % HOSTS.len()];
        format!(
            "---\ntitle: 会议{i}\ndate: {year}-{month:02}-0{} 19:00\nmeeting: {}\nhost: {host}\nrecorder: 李1\n{attendance}agenda: [议题{}]\nparticipants: [m{}]\n---\n\n会议内容{}。\n",
            i + 1,
            TYPES[self.kind as usize % TYPES.len()],
            self.body % 3,
            i % members,
            self.body,
        )
    }
}
