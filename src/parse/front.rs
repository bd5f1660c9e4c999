//! Front matter into typed values per kind of page, with every problem of
//! the file collected.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::parse::Kind;
use crate::parse::dates::When;
use crate::parse::meeting::{self, MeetingFront};
use crate::parse::notice::{self, NoticeFront};
use crate::parse::plan::{self, PLAN_KEYS, PlanFront};
use crate::parse::quiz::{Quiz, parse_quiz};
use crate::parse::reader::{Reader, entries};
use crate::parse::signup::{self, SignupFront};
use crate::parse::yaml::{Key, Node, Pos};

/// Keys every kind of page understands.
pub const COMMON_KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "summary",
    "tags",
    "slug",
    "draft",
    "cover",
    "weight",
    "quiz",
    "attachments",
];
pub const LESSON_KEYS: &[&str] = &["course", "order", "duration", "video", "audio"];
pub const MEMBER_KEYS: &[&str] = &[
    "name", "photo", "role", "class", "honors", "motto", "featured",
];
pub const ACTIVITY_KEYS: &[&str] = &[
    "end",
    "location",
    "kind",
    "participants",
    "volunteer_hours",
    "gallery",
    "signup",
    // 三会一课 records (parse/meeting.rs)
    "meeting",
    "attendance",
    "host",
    "recorder",
    "agenda",
    "decisions",
];
pub const SECTION_KEYS: &[&str] = &["paginate_by", "sort_by"];

/// A text with the place it was written, for messages raised in later stages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Located {
    pub value: String,
    pub line: u32,
    pub col: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Front {
    pub title: String,
    pub date: Option<When>,
    pub updated: Option<When>,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub slug: Option<Located>,
    pub draft: bool,
    pub cover: Option<Located>,
    pub weight: Option<i64>,
    #[serde(with = "json_text")]
    pub quiz: Option<Quiz>,
    /// Downloadable files, on every kind of page.
    pub attachments: Vec<Located>,
    /// Unknown keys, for themes.
    #[serde(with = "json_text")]
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub lesson: LessonFront,
    pub member: MemberFront,
    pub activity: ActivityFront,
    pub notice: NoticeFront,
    pub section: SectionFront,
    /// `start`, `due` and `items` of a study plan (content/plans/).
    pub plan: PlanFront,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LessonFront {
    pub course: Option<Located>,
    pub order: Option<i64>,
    pub duration: Option<u32>,
    pub video: Option<Located>,
    pub audio: Option<Located>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MemberFront {
    pub photo: Option<Located>,
    pub role: Option<String>,
    pub class: Option<String>,
    pub honors: Vec<String>,
    pub motto: Option<String>,
    pub featured: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActivityFront {
    pub end: Option<When>,
    pub location: Option<String>,
    pub kind: Option<String>,
    pub participants: Vec<Located>,
    pub volunteer_hours: Option<f64>,
    pub gallery: Vec<Located>,
    pub signup: Option<SignupFront>,
    /// A 三会一课 record: `meeting`, `attendance`, `host` …
    pub meeting: MeetingFront,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SectionFront {
    pub paginate_by: Option<usize>,
    pub sort_by: Option<String>,
}

/// A field as one JSON string, for [`super::cache`]'s binary format, which
/// cannot hold a self-describing value (`extra`) or an adjacently tagged
/// enum (a quiz's answers).
mod json_text {
    use serde::de::{DeserializeOwned, Error as _};
    use serde::ser::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(super) fn serialize<T: Serialize, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&serde_json::to_string(v).map_err(S::Error::custom)?)
    }

    pub(super) fn deserialize<'de, T: DeserializeOwned, D: Deserializer<'de>>(
        d: D,
    ) -> Result<T, D::Error> {
        let text = String::deserialize(d)?;
        serde_json::from_str(&text).map_err(D::Error::custom)
    }
}

fn known_keys(kind: Kind) -> Vec<&'static str> {
    let mut k: Vec<&str> = COMMON_KEYS.to_vec();
    k.extend_from_slice(match kind {
        Kind::Lesson => LESSON_KEYS,
        Kind::Member => MEMBER_KEYS,
        Kind::Activity => ACTIVITY_KEYS,
        Kind::Section => SECTION_KEYS,
        Kind::Notice => notice::NOTICE_KEYS,
        Kind::Plan => PLAN_KEYS,
        Kind::Course | Kind::Page => &[],
    });
    k
}

fn located(r: &Reader, value: String, pos: Pos) -> Located {
    Located {
        value,
        line: r.line(pos),
        col: pos.col,
    }
}

/// Reads the typed front matter of one file. `None` only when the title is
/// missing; every other problem is a diagnostic in `r` and a best-effort value.
pub fn read_front(r: &mut Reader, kind: Kind, root: &Node) -> Option<Front> {
    let mut f = Front::default();
    let known = known_keys(kind);
    let mut title_seen = false;
    let mut tags_seen = HashSet::new();
    for (key, v) in entries(r, "front matter ", root) {
        let k = key.name.as_str();
        if !known.contains(&k) {
            // Unknown keys go to templates; close misspellings get a warning.
            r.check_typo(key, &known);
            f.extra.insert(k.to_string(), v.to_json());
            continue;
        }
        if kind == Kind::Notice && notice::read_key(r, k, v, &mut f.notice) {
            continue;
        }
        if kind == Kind::Plan && PLAN_KEYS.contains(&k) {
            plan::read_key(r, k, v, &mut f.plan);
            continue;
        }
        if k == "title" || k == "name" {
            if kind == Kind::Member && k == "title" {
                f.extra.insert("title".into(), v.to_json());
                continue;
            }
            if let Some(t) = r.required_text(k, v) {
                f.title = t;
            }
            title_seen = true;
            continue;
        }
        // Each key belongs to one kind's reader (`known` let only this kind's through).
        let _ = read_common(r, &mut f, &mut tags_seen, k, v)
            || read_lesson(r, &mut f.lesson, k, v)
            || read_member(r, &mut f.member, k, v)
            || read_activity(r, &mut f.activity, key, v)
            || read_section(r, &mut f.section, k, v);
    }
    if !check_title(r, kind, root, &f, title_seen) {
        return None;
    }
    check_whole(r, kind, root, &mut f);
    Some(f)
}

/// Keys every kind has (but the title). False when `k` is not one of them.
fn read_common(
    r: &mut Reader,
    f: &mut Front,
    tags_seen: &mut HashSet<String>,
    k: &str,
    v: &Node,
) -> bool {
    match k {
        "date" => f.date = r.date(k, v),
        "updated" => f.updated = r.date(k, v),
        "summary" => {
            f.summary = r
                .text(k, v)
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        }
        "tags" => {
            for (t, _) in r.text_list(k, v, true) {
                if tags_seen.insert(t.clone()) {
                    f.tags.push(t);
                }
            }
        }
        "slug" => {
            if let Some(s) = r.required_text(k, v) {
                if s.contains(['/', '\\']) || s.split('.').all(str::is_empty) || s.contains("..") {
                    r.error(
                        v.pos,
                        s.chars().count(),
                        format!("slug `{s}` 不能包含 /、\\ 或 ..：网址只能在本站内"),
                        "slug 只写一个名字，例如 slug: dangzhang-01",
                    );
                } else {
                    f.slug = Some(located(r, s, v.pos));
                }
            }
        }
        "draft" => f.draft = r.bool(k, v).unwrap_or(false),
        "cover" => f.cover = r.required_text(k, v).map(|s| located(r, s, v.pos)),
        "weight" => f.weight = r.int(k, v),
        "quiz" => f.quiz = parse_quiz(r, v),
        "attachments" => f.attachments = located_list(r, k, v),
        _ => return false,
    }
    true
}

/// A list of paths (attachments, participants, gallery) with their places.
fn located_list(r: &mut Reader, k: &str, v: &Node) -> Vec<Located> {
    r.text_list(k, v, false)
        .into_iter()
        .map(|(s, p)| located(r, s, p))
        .collect()
}

fn read_lesson(r: &mut Reader, l: &mut LessonFront, k: &str, v: &Node) -> bool {
    match k {
        "course" => l.course = r.required_text(k, v).map(|s| located(r, s, v.pos)),
        "order" => l.order = r.int(k, v),
        "duration" => l.duration = r.non_negative(k, v),
        "video" => l.video = r.required_text(k, v).map(|s| located(r, s, v.pos)),
        "audio" => l.audio = r.required_text(k, v).map(|s| located(r, s, v.pos)),
        _ => return false,
    }
    true
}

fn read_member(r: &mut Reader, m: &mut MemberFront, k: &str, v: &Node) -> bool {
    match k {
        "photo" => m.photo = r.required_text(k, v).map(|s| located(r, s, v.pos)),
        "role" => m.role = r.text(k, v),
        "class" => m.class = r.text(k, v),
        "honors" => {
            m.honors = r
                .text_list(k, v, false)
                .into_iter()
                .map(|(s, _)| s)
                .collect()
        }
        "motto" => m.motto = r.text(k, v),
        "featured" => m.featured = r.bool(k, v).unwrap_or(false),
        _ => return false,
    }
    true
}

fn read_activity(r: &mut Reader, a: &mut ActivityFront, key: &Key, v: &Node) -> bool {
    let k = key.name.as_str();
    match k {
        "end" => a.end = r.date(k, v),
        "location" => a.location = r.text(k, v),
        "kind" => {
            a.kind = r
                .text(k, v)
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        }
        "participants" => a.participants = located_list(r, k, v),
        "volunteer_hours" => {
            if let Some(h) = r.number(k, v) {
                if h < 0.0 {
                    r.error(
                        v.pos,
                        1,
                        "志愿时长 volunteer_hours 不能是负数",
                        "例如 volunteer_hours: 3",
                    );
                } else {
                    a.volunteer_hours = Some(h);
                }
            }
        }
        "gallery" => a.gallery = located_list(r, k, v),
        "signup" => a.signup = signup::read(r, v),
        "meeting" | "attendance" | "host" | "recorder" | "agenda" | "decisions" => {
            meeting::read_key(r, key, v, &mut a.meeting)
        }
        _ => return false,
    }
    true
}

fn read_section(r: &mut Reader, s: &mut SectionFront, k: &str, v: &Node) -> bool {
    match k {
        "paginate_by" => {
            if let Some(n) = r.int(k, v) {
                if n >= 1 {
                    s.paginate_by = Some(n as usize);
                } else {
                    r.error(v.pos, 1, "paginate_by 必须大于 0", "例如 paginate_by: 10");
                }
            }
        }
        "sort_by" => {
            if let Some(t) = r.text(k, v) {
                if ["date", "weight", "title"].contains(&t.as_str()) {
                    s.sort_by = Some(t);
                } else {
                    r.error(
                        v.pos,
                        t.chars().count(),
                        format!("无法按 `{t}` 排序"),
                        "sort_by 可以是 date、weight 或 title",
                    );
                }
            }
        }
        _ => return false,
    }
    true
}

/// False (with an error) when a page that needs a title has none.
fn check_title(r: &mut Reader, kind: Kind, root: &Node, f: &Front, title_seen: bool) -> bool {
    // A section's _index.md may leave the title to the theme.
    if title_seen || !f.title.is_empty() || kind == Kind::Section {
        return true;
    }
    let (key, what) = if kind == Kind::Member {
        ("name", "姓名")
    } else {
        ("title", "标题")
    };
    r.error(
        root.pos,
        3,
        format!("缺少 {key}（{what}）"),
        format!("在 front matter 里加一行 {key}: ……"),
    );
    false
}

/// Checks that need several keys: an activity's date, a 三会一课 record,
/// end after start, a notice's and a sign-up's keys together, a quiz that
/// could not be read at all.
fn check_whole(r: &mut Reader, kind: Kind, root: &Node, f: &mut Front) {
    if kind == Kind::Activity && f.date.is_none() {
        let reported = r
            .diags
            .iter()
            .any(|d| d.is_error() && d.message.contains("日期"));
        if !reported && root.get("date").is_none() {
            r.error(
                root.pos,
                3,
                "活动缺少日期 date",
                "加一行 date: 2024-05-04，带时间写 date: 2024-05-04 14:30",
            );
        }
    }
    if kind == Kind::Activity {
        meeting::finish(r, root, &mut f.activity);
    }
    if let (Some(start), Some(end)) = (f.date, f.activity.end)
        && end.at < start.at
        && let Some(n) = root.get("end")
    {
        r.error(
            n.pos,
            1,
            "结束时间 end 早于开始时间 date",
            "检查日期是否写反了",
        );
    }
    match kind {
        Kind::Notice => notice::finish(r, root, f),
        Kind::Activity => signup::finish(r, root, f),
        Kind::Plan => plan::check(r, root, &f.plan),
        _ => {}
    }
    if f.quiz.is_none()
        && let Some(q) = root.get("quiz")
        && r.error_count() == 0
    {
        r.error(q.pos, 1, "quiz 无法读取", "参考 SPEC 中的测验格式");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::split;
    use crate::parse::yaml;
    use chrono::FixedOffset;
    use std::path::Path;

    fn read(kind: Kind, front: &str) -> (Option<Front>, Vec<crate::diagnostics::Diagnostic>) {
        let f = split(
            format!("---\n{front}---\nbody\n"),
            Path::new("x.md"),
            "lessons/x.md",
        )
        .unwrap();
        let node = yaml::parse(f.front()).unwrap();
        let mut r = Reader::new(&f, FixedOffset::east_opt(8 * 3600).unwrap());
        let front = read_front(&mut r, kind, &node);
        (front, r.diags)
    }

    #[test]
    fn lesson_fields() {
        let (f, d) = read(
            Kind::Lesson,
            "title: 党章第一课\ndate: 2024-03-01\ntags: 党史，理论学习\ncourse: 党章学习\norder: 1\nduration: 30\nattachments: [a.pdf]\nmood: 好\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let f = f.unwrap();
        assert_eq!(f.tags, vec!["党史", "理论学习"]);
        assert_eq!(f.lesson.course.unwrap().value, "党章学习");
        assert_eq!(f.lesson.duration, Some(30));
        assert_eq!(f.attachments[0].value, "a.pdf");
        assert_eq!(f.extra["mood"], "好");
    }

    #[test]
    fn typo_is_a_warning_naming_the_key() {
        let (f, d) = read(Kind::Lesson, "title: x\ndurtion: 30\n");
        assert!(f.is_some());
        assert_eq!(d.len(), 1);
        assert!(!d[0].is_error());
        assert_eq!(d[0].line, 3);
        assert!(d[0].message.contains("durtion"));
        assert!(d[0].hint.as_deref().unwrap().contains("`duration`"));
    }

    #[test]
    fn invalid_date_is_an_error() {
        let (_, d) = read(Kind::Activity, "title: x\ndate: 2024-02-30\n");
        assert!(d[0].is_error());
        assert_eq!(d[0].line, 3);
        assert_eq!(d[0].col, 7);
    }

    #[test]
    fn all_problems_at_once() {
        let (_, d) = read(
            Kind::Activity,
            "title: x\ndate: 明天\nvolunteer_hours: 很多\nparticipants: {a: 1}\n",
        );
        assert_eq!(d.iter().filter(|d| d.is_error()).count(), 3, "{d:?}");
    }

    #[test]
    fn member_uses_name() {
        let (f, d) = read(
            Kind::Member,
            "name: 李华\nrole: 学生党员\nhonors: [优秀共产党员]\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(f.unwrap().title, "李华");
        let (f, d) = read(Kind::Member, "role: 学生党员\n");
        assert!(f.is_none());
        assert!(d[0].message.contains("name"));
    }

    #[test]
    fn slug_cannot_escape() {
        let (_, d) = read(Kind::Page, "title: x\nslug: ../../etc\n");
        assert!(d[0].message.contains("slug"), "{d:?}");
        assert_eq!(d[0].line, 3);
    }

    #[test]
    fn wrong_types() {
        let (_, d) = read(
            Kind::Lesson,
            "title: [a, b]\nduration: 半小时\ndraft: 也许\n",
        );
        assert_eq!(d.len(), 3, "{d:?}");
        assert!(d.iter().all(|d| d.is_error()));
    }
}
