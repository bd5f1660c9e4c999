//! 三会一课 meeting records in an activity's front matter: the meeting type
//! (with its Chinese aliases), attendance (应到 = 实到 + 请假 + 缺席), host,
//! recorder, agenda and decisions; and the vocabulary of meeting types and
//! required frequencies that `[ledger]` in site.toml uses.
//!
//! What needs the whole site — whether a type is one the site knows (the
//! built-in ones or those named in `[ledger]`), whether attendance was
//! written for a meeting that has not happened yet — is checked later, by
//! the ledger, with [`unknown_kind`] and [`attendance_in_future`].

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, closest};
use crate::load::SourceFile;
use crate::parse::front::{ActivityFront, Located};
use crate::parse::reader::{Reader, entries};
use crate::parse::yaml::{Key, Node, Value};

/// The meeting types zhibu knows without configuration, in ledger order.
pub(crate) const MEETING_TYPES: &[&str] = &[
    "支部党员大会",
    "支部委员会",
    "党小组会",
    "党课",
    "组织生活会",
    "主题党日",
];

/// Other names editors use, and the type each means.
const ALIASES: &[(&str, &str)] = &[
    ("党员大会", "支部党员大会"),
    ("支部大会", "支部党员大会"),
    ("全体党员大会", "支部党员大会"),
    ("支部党员大会会议", "支部党员大会"),
    ("支委会", "支部委员会"),
    ("支委会议", "支部委员会"),
    ("支委扩大会", "支部委员会"),
    ("支委扩大会议", "支部委员会"),
    ("支部委员会会议", "支部委员会"),
    ("党小组会议", "党小组会"),
    ("小组会", "党小组会"),
    ("专题党课", "党课"),
    ("组织生活", "组织生活会"),
    ("专题组织生活会", "组织生活会"),
    ("主题党日活动", "主题党日"),
    ("党日活动", "主题党日"),
];

/// The type a name means: a built-in type or one of its aliases.
pub(crate) fn canonical(name: &str) -> Option<&'static str> {
    let n = name.trim();
    MEETING_TYPES
        .iter()
        .copied()
        .find(|t| *t == n)
        .or_else(|| ALIASES.iter().find(|(a, _)| *a == n).map(|(_, t)| *t))
}

/// How often a meeting type is required (`[ledger]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Frequency {
    Month,
    Quarter,
    HalfYear,
    Year,
    /// Listed in the ledger, never 缺.
    None,
}

impl Frequency {
    /// `month`, `quarter`, `half-year`, `year`, `none`, or their Chinese.
    pub(crate) fn parse(s: &str) -> Option<Frequency> {
        Some(match s.trim().to_lowercase().as_str() {
            "month" | "monthly" | "月" | "每月" => Frequency::Month,
            "quarter" | "quarterly" | "季" | "季度" | "每季度" => Frequency::Quarter,
            "half-year" | "half" | "半年" | "每半年" => Frequency::HalfYear,
            "year" | "yearly" | "annual" | "年" | "每年" => Frequency::Year,
            "none" | "不要求" | "无" | "false" => Frequency::None,
            _ => return None,
        })
    }

    /// Months in one period (0 for `None`).
    pub(crate) fn months(self) -> u32 {
        match self {
            Frequency::Month => 1,
            Frequency::Quarter => 3,
            Frequency::HalfYear => 6,
            Frequency::Year => 12,
            Frequency::None => 0,
        }
    }

    /// 每月至少一次 …, for people.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Frequency::Month => "每月至少一次",
            Frequency::Quarter => "每季度至少一次",
            Frequency::HalfYear => "每半年至少一次",
            Frequency::Year => "每年至少一次",
            Frequency::None => "不作次数要求",
        }
    }
}

/// The meeting keys of one activity.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MeetingFront {
    pub kind: Option<MeetingKind>,
    pub attendance: Option<Attendance>,
    pub host: Option<String>,
    pub recorder: Option<String>,
    pub agenda: Vec<String>,
    pub decisions: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeetingKind {
    /// The built-in type an alias stands for, else the name as written.
    pub name: String,
    pub written: Located,
}

/// 应到, 实到, 请假, 缺席; `present + leave + absent == expected` once read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    pub expected: u32,
    pub present: u32,
    pub leave: u32,
    pub absent: u32,
    pub line: u32,
    pub col: u32,
}

/// Reads one of the meeting keys (`meeting`, `attendance`, `host`,
/// `recorder`, `agenda`, `decisions`) into `m`.
pub(crate) fn read_key(r: &mut Reader, key: &Key, v: &Node, m: &mut MeetingFront) {
    let k = key.name.as_str();
    match k {
        "meeting" => {
            if let Some(s) = r.required_text(k, v) {
                let name = canonical(&s).map(str::to_string).unwrap_or(s.clone());
                m.kind = Some(MeetingKind {
                    name,
                    written: Located {
                        value: s,
                        line: r.line(v.pos),
                        col: v.pos.col,
                    },
                });
            }
        }
        "attendance" => m.attendance = read_attendance(r, key, v),
        "host" => m.host = r.required_text(k, v),
        "recorder" => m.recorder = r.required_text(k, v),
        "agenda" => {
            m.agenda = r
                .text_list(k, v, false)
                .into_iter()
                .map(|(s, _)| s)
                .collect()
        }
        "decisions" => {
            m.decisions = r
                .text_list(k, v, false)
                .into_iter()
                .map(|(s, _)| s)
                .collect()
        }
        _ => {}
    }
}

const COUNT_KEYS: [(&str, &str, &str); 4] = [
    ("expected", "应到", "应到人数"),
    ("present", "实到", "实到人数"),
    ("leave", "请假", "请假人数"),
    ("absent", "缺席", "缺席人数"),
];

const ATTENDANCE_EXAMPLE: &str = "写成 attendance: {expected: 19, present: 17, leave: 1, absent: 1}，依次是应到、实到、请假、缺席的人数";

fn read_attendance(r: &mut Reader, key: &Key, v: &Node) -> Option<Attendance> {
    if !matches!(v.value, Value::Map(_)) {
        if v.value != Value::Null {
            r.error(
                v.pos,
                v.as_text().map(|t| t.chars().count()).unwrap_or(1),
                format!(
                    "出勤 attendance 应该分别写应到、实到、请假、缺席的人数，这里写的是{}",
                    v.value.type_name()
                ),
                ATTENDANCE_EXAMPLE,
            );
        }
        return None;
    }
    let mut counts: [Option<u32>; 4] = [None; 4];
    let mut written = [false; 4];
    for (k, n) in entries(r, "attendance ", v) {
        let name = k.name.trim();
        let Some(i) = COUNT_KEYS
            .iter()
            .position(|(en, zh, _)| *en == name || *zh == name)
        else {
            let names = COUNT_KEYS.iter().flat_map(|(en, zh, _)| [*en, *zh]);
            let hint = match closest(name, names, 2) {
                Some(s) => format!("是不是 `{s}`？attendance 里只写 expected（应到）、present（实到）、leave（请假）、absent（缺席）"),
                None => "attendance 里只写 expected（应到）、present（实到）、leave（请假）、absent（缺席）".into(),
            };
            r.error(
                k.pos,
                name.chars().count(),
                format!("attendance 里有未知的键 `{name}`"),
                hint,
            );
            continue;
        };
        written[i] = true;
        counts[i] = r.non_negative(&format!("attendance.{}", COUNT_KEYS[i].0), n);
    }
    let [expected, present, leave, absent] = counts;
    for i in 0..2 {
        if !written[i] {
            let (en, zh, what) = COUNT_KEYS[i];
            r.error(
                key.pos,
                key.name.chars().count(),
                format!("出勤 attendance 缺少 {en}（{what}）"),
                format!("加上 {en}（也可以写 {zh}）；{ATTENDANCE_EXAMPLE}"),
            );
        }
    }
    // A count written wrong has been reported where it is written.
    let (Some(expected), Some(present)) = (expected, present) else {
        return None;
    };
    if (written[2] && leave.is_none()) || (written[3] && absent.is_none()) {
        return None;
    }
    let (leave, absent) = (leave.unwrap_or(0), absent.unwrap_or(0));
    let sum = present as u64 + leave as u64 + absent as u64;
    if sum != expected as u64 {
        let diff = expected as i64 - sum as i64;
        let hint = if diff > 0 {
            format!(
                "还差 {diff} 人：请假或缺席的人也要写上，例如 leave: {}",
                leave as i64 + diff
            )
        } else {
            format!("多了 {} 人：检查应到人数 expected 是否写少了", -diff)
        };
        r.error(
            key.pos,
            key.name.chars().count(),
            format!(
                "出勤人数对不上：实到 {present} + 请假 {leave} + 缺席 {absent} = {sum}，但应到是 {expected}"
            ),
            hint,
        );
        return None;
    }
    Some(Attendance {
        expected,
        present,
        leave,
        absent,
        line: r.line(key.pos),
        col: key.pos.col,
    })
}

/// After all keys are read: a meeting without `kind` is of its meeting
/// type's kind; a record without `meeting` is named (it stays out of the 台账).
pub(crate) fn finish(r: &mut Reader, root: &Node, a: &mut ActivityFront) {
    let m = &a.meeting;
    if let Some(kind) = &m.kind {
        if a.kind.is_none() {
            a.kind = Some(kind.name.clone());
        }
        return;
    }
    // The first record key written (host and agenda suit any activity).
    let record_key = match &root.value {
        Value::Map(e) => e
            .iter()
            .map(|(key, _)| key)
            .find(|key| ["attendance", "recorder", "decisions"].contains(&key.name.as_str())),
        _ => None,
    };
    if let Some(key) = record_key {
        r.warn(
            key.pos,
            key.name.chars().count(),
            format!(
                "写了会议记录 `{}`，但没有写会议类型 meeting，这次活动不会记入台账",
                key.name
            ),
            "加一行 meeting: 支部委员会（或 支部党员大会、党小组会、党课、组织生活会、主题党日）",
        );
    }
}

/// `meeting:` names a type the site does not know (not built in, not an
/// alias, not in `[ledger]`): an error suggesting the closest known type.
pub(crate) fn unknown_kind(kind: &MeetingKind, known: &[&str], file: &SourceFile) -> Diagnostic {
    let w = kind.written.value.trim();
    let names = known.iter().copied().chain(ALIASES.iter().map(|(a, _)| *a));
    let hint = if w == "三会一课" {
        "「三会一课」是四种会议的统称：写明是哪一种，meeting: 支部党员大会、支部委员会、党小组会或党课".to_string()
    } else {
        let near = closest(w, names, 2).or_else(|| {
            known
                .iter()
                .copied()
                .find(|k| k.contains(w) || w.contains(k))
        });
        let list = known.join("、");
        match near {
            Some(n) => {
                let n = canonical(n).unwrap_or(n);
                format!(
                    "是不是 meeting: {n}？可用的会议类型：{list}；其他类型先在 site.toml 的 [ledger] 里写上要求"
                )
            }
            None => format!(
                "可用的会议类型：{list}；其他类型先在 site.toml 的 [ledger] 里写上要求，例如 \"{w}\" = \"month\""
            ),
        }
    };
    Diagnostic::error(format!("未知的会议类型 `{w}`"))
        .in_file(file.display())
        .at(Some(&file.text), kind.written.line, kind.written.col)
        .width(w.chars().count())
        .hint(hint)
}

/// Attendance written for a meeting that has not started yet.
pub(crate) fn attendance_in_future(a: &Attendance, date: &str, file: &SourceFile) -> Diagnostic {
    Diagnostic::error(format!(
        "会议定在 {date}，还没有开，却已经写了出勤 attendance"
    ))
    .in_file(file.display())
    .at(Some(&file.text), a.line, a.col)
    .width("attendance".len())
    .hint("会议开完后再写出勤人数；如果日期写错了，改正 date")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::split;
    use crate::parse::Kind;
    use crate::parse::front::{Front, read_front};
    use crate::parse::yaml;
    use chrono::FixedOffset;
    use std::path::Path;

    fn read(front: &str) -> (Option<Front>, Vec<Diagnostic>) {
        let f = split(
            format!("---\ntitle: 会议\ndate: 2026-03-12 19:00\n{front}---\n正文\n"),
            Path::new("x.md"),
            "activities/x.md",
        )
        .unwrap();
        let node = yaml::parse(f.front()).unwrap();
        let mut r = Reader::new(&f, FixedOffset::east_opt(8 * 3600).unwrap());
        let front = read_front(&mut r, Kind::Activity, &node);
        (front, r.diags)
    }

    #[test]
    fn a_full_record() {
        let (f, d) = read(
            "meeting: 支委会\nhost: 王一鸣\nrecorder: 林晓雨\nattendance: {expected: 5, present: 4, leave: 1}\nagenda: [研究发展对象, 部署学习]\ndecisions: 确定两名发展对象\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let a = f.unwrap().activity;
        let m = &a.meeting;
        assert_eq!(m.kind.as_ref().unwrap().name, "支部委员会");
        assert_eq!(m.kind.as_ref().unwrap().written.value, "支委会");
        assert_eq!(
            a.kind.as_deref(),
            Some("支部委员会"),
            "kind defaults to the type"
        );
        let at = m.attendance.unwrap();
        assert_eq!((at.expected, at.present, at.leave, at.absent), (5, 4, 1, 0));
        assert_eq!(at.line, 7);
        assert_eq!(m.agenda, ["研究发展对象", "部署学习"]);
        assert_eq!(m.decisions, ["确定两名发展对象"]);
        assert_eq!(m.host.as_deref(), Some("王一鸣"));
    }

    #[test]
    fn chinese_attendance_keys() {
        let (f, d) =
            read("meeting: 党员大会\nattendance:\n  应到: 19\n  实到: 17\n  请假: 1\n  缺席: 1\n");
        assert!(d.is_empty(), "{d:?}");
        let f = f.unwrap();
        assert_eq!(f.activity.meeting.attendance.unwrap().absent, 1);
        assert_eq!(f.activity.meeting.kind.unwrap().name, "支部党员大会");
    }

    #[test]
    fn counts_that_do_not_add_up() {
        let (_, d) = read("meeting: 党课\nattendance: {expected: 19, present: 18}\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].is_error());
        assert_eq!(d[0].line, 5);
        assert!(
            d[0].message.contains("18 + 请假 0 + 缺席 0 = 18"),
            "{}",
            d[0].message
        );
        assert!(d[0].hint.as_deref().unwrap().contains("leave: 1"));
        let (_, d) = read("meeting: 党课\nattendance: {expected: 10, present: 9, leave: 2}\n");
        assert!(d[0].hint.as_deref().unwrap().contains("多了 1 人"), "{d:?}");
    }

    #[test]
    fn missing_and_wrong_counts() {
        let (_, d) = read("meeting: 党课\nattendance: {present: 18}\n");
        assert!(d[0].message.contains("缺少 expected"), "{d:?}");
        let (_, d) = read("meeting: 党课\nattendance:\n  expected: 19\n  presnt: 18\n");
        assert!(
            d.iter().any(|x| x.message.contains("`presnt`")
                && x.line == 7
                && x.hint.as_deref().unwrap().contains("`present`")),
            "{d:?}"
        );
        let (_, d) = read("meeting: 党课\nattendance: 应到19实到18\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].hint.as_deref().unwrap().contains("expected: 19"));
        let (_, d) = read("meeting: 党课\nattendance: {expected: 19, present: -1}\n");
        assert!(d.iter().any(|x| x.message.contains("负数")), "{d:?}");
    }

    #[test]
    fn record_without_a_type_is_named() {
        let (f, d) = read("attendance: {expected: 3, present: 3}\n");
        assert!(f.is_some());
        assert_eq!(d.len(), 1);
        assert!(!d[0].is_error());
        assert!(d[0].message.contains("meeting"), "{d:?}");
        // host and agenda alone are fine on any activity
        let (_, d) = read("host: 王一鸣\nagenda: [观看纪录片]\n");
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn unknown_types_suggest_the_closest() {
        let file = split(
            "---\ntitle: x\nmeeting: 支部委员会议\n---\n".to_string(),
            Path::new("x.md"),
            "activities/x.md",
        )
        .unwrap();
        let kind = MeetingKind {
            name: "支部委员会议".into(),
            written: Located {
                value: "支部委员会议".into(),
                line: 3,
                col: 10,
            },
        };
        let d = unknown_kind(&kind, MEETING_TYPES, &file);
        assert_eq!((d.line, d.col), (3, 10));
        assert!(d.hint.unwrap().contains("是不是 meeting: 支部委员会？"));
        let kind = MeetingKind {
            written: Located {
                value: "三会一课".into(),
                line: 3,
                col: 10,
            },
            ..kind
        };
        assert!(
            unknown_kind(&kind, MEETING_TYPES, &file)
                .hint
                .unwrap()
                .contains("统称")
        );
    }

    #[test]
    fn aliases_and_frequencies() {
        assert_eq!(canonical("党员大会"), Some("支部党员大会"));
        assert_eq!(canonical(" 支委会 "), Some("支部委员会"));
        assert_eq!(canonical("党小组会"), Some("党小组会"));
        assert_eq!(canonical("读书会"), None);
        assert_eq!(Frequency::parse("季度"), Some(Frequency::Quarter));
        assert_eq!(Frequency::parse("Month"), Some(Frequency::Month));
        assert_eq!(Frequency::parse("weekly"), None);
        assert_eq!(Frequency::HalfYear.months(), 6);
    }
}
