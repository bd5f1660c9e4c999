//! The keys of a notice (`content/notices/`, 通知公告): its `category`
//! (公示, 通知 or 公开), the disclosure period `start`/`end` of a 公示, and
//! `contact`; with the checks an editor needs (a 公示 must say when its
//! period ends, and the error proposes the date five working days on).

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::diagnostics::closest;
use crate::parse::dates::When;
use crate::parse::front::Front;
use crate::parse::reader::Reader;
use crate::parse::yaml::Node;

/// Keys a notice understands beyond the common ones.
pub(crate) const NOTICE_KEYS: &[&str] = &["category", "start", "end", "contact"];

/// What kind of notice it is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Category {
    /// 公示: a disclosure period during which anyone may object.
    #[serde(rename = "公示")]
    Publicity,
    /// 通知: an announcement.
    #[default]
    #[serde(rename = "通知")]
    Announcement,
    /// 公开: 党务公开, information published for the record.
    #[serde(rename = "公开")]
    Disclosure,
}

impl Category {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Category::Publicity => "公示",
            Category::Announcement => "通知",
            Category::Disclosure => "公开",
        }
    }

    /// The category as editors write it, with the usual other names.
    fn parse(s: &str) -> Option<Category> {
        match s.trim() {
            "公示" | "公示公告" => Some(Category::Publicity),
            "通知" | "公告" | "通知公告" => Some(Category::Announcement),
            "公开" | "党务公开" => Some(Category::Disclosure),
            _ => None,
        }
    }
}

/// The notice keys of one file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NoticeFront {
    pub category: Category,
    /// First day (or moment) of the period; a 公示 without it starts on its `date`.
    pub start: Option<When>,
    /// Last day (or moment) of the period, included.
    pub end: Option<When>,
    /// Where to raise an objection, as written.
    pub contact: Option<String>,
}

/// Reads one notice key into `n`; false when `key` is not one of them.
pub(crate) fn read_key(r: &mut Reader, key: &str, v: &Node, n: &mut NoticeFront) -> bool {
    match key {
        "category" => {
            if let Some(s) = r.text(key, v) {
                match Category::parse(&s) {
                    Some(c) => n.category = c,
                    None => {
                        let names = ["公示", "通知", "公开"];
                        let hint = match closest(s.trim(), names.iter().copied(), 1) {
                            Some(c) => format!("是不是 {c}？category 可以是 公示、通知 或 公开"),
                            None => "category 可以是 公示、通知 或 公开；不写时是 通知".into(),
                        };
                        r.error(
                            v.pos,
                            s.chars().count().max(1),
                            format!("不认识的通知类别 `{s}`"),
                            hint,
                        );
                    }
                }
            }
        }
        "start" => n.start = r.date(key, v),
        "end" => n.end = r.date(key, v),
        "contact" => {
            n.contact = r
                .text(key, v)
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        }
        _ => return false,
    }
    true
}

/// Checks a notice as a whole once every key is read: a 公示 needs its
/// period (`start`, or `date`, and `end`), and the period must not end
/// before it starts. A notice without `date` is dated by its `start`.
pub(crate) fn finish(r: &mut Reader, root: &Node, f: &mut Front) {
    let n = &f.notice;
    if f.date.is_none() {
        f.date = n.start;
    }
    let start = n.start.or(f.date);
    let at = |key: &str| root.get(key).map(|v| v.pos).unwrap_or(root.pos);
    if n.category == Category::Publicity {
        if start.is_none() && root.get("start").is_none() && root.get("date").is_none() {
            r.error(
                at("category"),
                2,
                "公示缺少公示期的第一天 start",
                "加一行 start: 2026-11-25（公示开始的日期）和一行 end:（公示的最后一天）",
            );
        }
        if n.end.is_none() && root.get("end").is_none() {
            let hint = match start {
                Some(s) => format!(
                    "公示期通常为 5 个工作日：从 {} 算起，最后一天是 {}，写 end: {}（这里只跳过了周末，没有算节假日和调休，请按实际公示期填写）",
                    s.date(),
                    add_working_days(s.date(), 5),
                    add_working_days(s.date(), 5)
                ),
                None => "加一行 end: 2026-12-01，写公示期的最后一天".into(),
            };
            r.error(
                at("category"),
                2,
                "公示缺少公示期的最后一天 end：公示必须写明公示期",
                hint,
            );
        }
    }
    if let (Some(s), Some(e)) = (start, n.end)
        && e.date() < s.date()
    {
        r.error(
            at("end"),
            1,
            format!(
                "公示期的最后一天 end（{}）早于第一天（{}）",
                e.date(),
                s.date()
            ),
            "检查日期是否写反了",
        );
    }
}

/// The `n`-th working day of a period that starts on `first` (itself the
/// first if it is a weekday): Monday to Friday only, since holidays and
/// their make-up working days change every year.
pub(crate) fn add_working_days(first: NaiveDate, n: u32) -> NaiveDate {
    let weekday = |d: NaiveDate| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
    let mut d = first;
    let mut counted = u32::from(weekday(d));
    while counted < n {
        d += Duration::days(1);
        if weekday(d) {
            counted += 1;
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::split;
    use crate::parse::Kind;
    use crate::parse::front::read_front;
    use crate::parse::yaml;
    use chrono::FixedOffset;
    use std::path::Path;

    fn read(front: &str) -> (Option<Front>, Vec<crate::diagnostics::Diagnostic>) {
        let f = split(
            format!("---\n{front}---\n正文\n"),
            Path::new("n.md"),
            "notices/n.md",
        )
        .unwrap();
        let node = yaml::parse(f.front()).unwrap();
        let mut r = Reader::new(&f, FixedOffset::east_opt(8 * 3600).unwrap());
        let front = read_front(&mut r, Kind::Notice, &node);
        (front, r.diags)
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn working_days_skip_weekends() {
        // 2026-11-19 is a Thursday: Thu, Fri, Mon, Tue, Wed.
        assert_eq!(add_working_days(d("2026-11-19"), 5), d("2026-11-25"));
        // Starting on a Saturday, the first working day is Monday.
        assert_eq!(add_working_days(d("2026-11-21"), 5), d("2026-11-27"));
        assert_eq!(add_working_days(d("2026-11-23"), 1), d("2026-11-23"));
    }

    #[test]
    fn a_publicity_notice_with_its_period() {
        let (f, diags) = read(
            "title: 关于拟发展周子航同志为预备党员的公示\ncategory: 公示\nstart: 2026-11-19\nend: 2026-11-25\ncontact: 支部组织委员，电话 0571-88273456\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let f = f.unwrap();
        assert_eq!(f.notice.category, Category::Publicity);
        assert_eq!(f.notice.end.unwrap().date(), d("2026-11-25"));
        assert_eq!(f.date, f.notice.start, "dated by its start");
        assert_eq!(
            f.notice.contact.as_deref(),
            Some("支部组织委员，电话 0571-88273456")
        );
    }

    #[test]
    fn default_category_is_announcement_and_others_are_understood() {
        let (f, _) = read("title: 通知\ndate: 2026-11-18\n");
        assert_eq!(f.unwrap().notice.category, Category::Announcement);
        let (f, _) = read("title: 党费\ncategory: 党务公开\n");
        assert_eq!(f.unwrap().notice.category, Category::Disclosure);
    }

    #[test]
    fn a_publicity_notice_without_end_proposes_five_working_days() {
        let (_, diags) = read("title: 公示\ncategory: 公示\nstart: 2026-11-19\n");
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(diags[0].is_error());
        assert_eq!(diags[0].line, 3, "at the category line");
        assert!(diags[0].message.contains("end"), "{diags:?}");
        assert!(
            diags[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("end: 2026-11-25"),
            "{diags:?}"
        );
    }

    #[test]
    fn a_publicity_notice_needs_a_first_day() {
        let (_, diags) = read("title: 公示\ncategory: 公示\nend: 2026-11-25\n");
        assert!(diags[0].message.contains("start"), "{diags:?}");
        // `date` serves as the first day.
        let (_, diags) = read("title: 公示\ncategory: 公示\ndate: 2026-11-19\nend: 2026-11-25\n");
        assert!(diags.is_empty(), "{diags:?}");
    }

    #[test]
    fn period_the_wrong_way_round_and_unknown_category() {
        let (_, diags) = read("title: 公示\ncategory: 公式\nstart: 2026-11-25\nend: 2026-11-19\n");
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert!(diags[0].message.contains("公式"));
        assert!(diags[0].hint.as_deref().unwrap().contains("公示"));
        assert_eq!(diags[1].line, 5);
        assert!(diags[1].message.contains("早于"));
    }
}
