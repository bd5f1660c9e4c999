//! Dates in front matter: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` (site
//! timezone) or RFC 3339 with an offset. The ways editors write a date on
//! a Chinese keyboard are accepted too: `2024/5/4`, `2024.5.4`,
//! `2024年5月4日`, `2024-5-4`, with full-width digits, and a time as
//! `14:30`, `14：30` or `14点30分`.

use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use regex::Regex;

/// A point in time from front matter; `all_day` when only a date was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct When {
    pub at: DateTime<FixedOffset>,
    pub all_day: bool,
}

impl When {
    /// `2024年5月4日`, with ` 14:30` when a time was written.
    pub(crate) fn chinese(&self) -> String {
        use chrono::{Datelike, Timelike};
        let d = self.at;
        let mut out = format!("{}年{}月{}日", d.year(), d.month(), d.day());
        if !self.all_day {
            out.push_str(&format!(" {:02}:{:02}", d.hour(), d.minute()));
        }
        out
    }

    pub fn date(&self) -> NaiveDate {
        self.at.date_naive()
    }
}

/// Why a date did not parse, with the corrected spelling when we can guess it.
#[derive(Debug, PartialEq, Eq)]
pub struct DateError {
    pub message: String,
    pub suggestion: Option<String>,
}

pub fn parse_when(s: &str, offset: FixedOffset) -> Result<When, DateError> {
    let t = s.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(When {
            at: dt,
            all_day: false,
        });
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d")
        && t.len() == 10
    {
        return Ok(local(offset, d.and_time(NaiveTime::MIN), true));
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(t, fmt) {
            return Ok(local(offset, dt, false));
        }
    }
    // A date-time with a zone but a space instead of T.
    if let Ok(dt) = DateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%:z") {
        return Ok(When {
            at: dt,
            all_day: false,
        });
    }
    if let Some(w) = chinese_style(t, offset) {
        return Ok(w);
    }
    Err(explain(t))
}

/// `2024/5/4`, `2024.5.4`, `2024年5月4日`, `2024-5-4`, each optionally
/// with `14:30`, `14：30:00` or `14点30分`.
static LENIENT: LazyLock<Regex> = LazyLock::new(|| {
    // A literal pattern: compiling it cannot fail.
    Regex::new(
        r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:(?:\s+|T|\s*)(\d{1,2})\s*(?:[:：]|[点时])\s*(?:(\d{1,2})\s*分?)?(?:\s*[:：]\s*(\d{1,2})\s*秒?)?)?$",
    )
    .expect("valid regex")
});

fn chinese_style(t: &str, offset: FixedOffset) -> Option<When> {
    let ascii: String = t
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '／' => '/',
            '．' => '.',
            '－' => '-',
            '\u{3000}' => ' ',
            c => c,
        })
        .collect();
    let c = LENIENT.captures(ascii.trim())?;
    let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let date = NaiveDate::from_ymd_opt(c[1].parse().ok()?, num(2)?, num(3)?)?;
    match num(4) {
        None => Some(local(offset, date.and_time(NaiveTime::MIN), true)),
        Some(h) => {
            let time = NaiveTime::from_hms_opt(h, num(5).unwrap_or(0), num(6).unwrap_or(0))?;
            Some(local(offset, date.and_time(time), false))
        }
    }
}

fn local(offset: FixedOffset, dt: NaiveDateTime, all_day: bool) -> When {
    // A fixed offset has no gaps or folds, so the local time always maps to one instant.
    let at = offset
        .from_local_datetime(&dt)
        .single()
        .unwrap_or_else(|| offset.from_utc_datetime(&dt));
    When { at, all_day }
}

/// Understands what was probably meant (2024年5月4日, 2024/5/4, 2024-5-4)
/// to suggest the right spelling, and says why a well-formed date is impossible.
fn explain(t: &str) -> DateError {
    let nums: Vec<&str> = t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    if nums.len() >= 3 && nums[0].len() == 4 {
        let (y, m, d) = (
            nums[0].parse::<i32>(),
            nums[1].parse::<u32>(),
            nums[2].parse::<u32>(),
        );
        if let (Ok(y), Ok(m), Ok(d)) = (y, m, d) {
            if NaiveDate::from_ymd_opt(y, m, d).is_none() {
                return DateError {
                    message: format!(
                        "日期 `{t}` 不存在（{y} 年 {m} 月没有 {d} 日，或月份不在 1–12）"
                    ),
                    suggestion: None,
                };
            }
            let mut fixed = format!("{y:04}-{m:02}-{d:02}");
            if nums.len() >= 5 {
                fixed.push_str(&format!(" {:0>2}:{:0>2}", nums[3], nums[4]));
            }
            return DateError {
                message: format!("日期 `{t}` 的写法无法识别"),
                suggestion: Some(fixed),
            };
        }
    }
    if nums.len() == 2 && nums.iter().all(|n| n.len() <= 2) {
        return DateError {
            message: format!("日期 `{t}` 没有写年份"),
            suggestion: None,
        };
    }
    DateError {
        message: format!("`{t}` 不是日期"),
        suggestion: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bj() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).unwrap()
    }

    #[test]
    fn plain_date_is_beijing_midnight() {
        let w = parse_when("2024-05-04", bj()).unwrap();
        assert!(w.all_day);
        assert_eq!(w.at.to_rfc3339(), "2024-05-04T00:00:00+08:00");
    }

    #[test]
    fn local_and_zoned_times() {
        let w = parse_when("2024-05-04 14:30", bj()).unwrap();
        assert!(!w.all_day);
        assert_eq!(w.at.to_rfc3339(), "2024-05-04T14:30:00+08:00");
        let w = parse_when("2024-05-04T06:30:00Z", bj()).unwrap();
        assert_eq!(
            w.at.timestamp(),
            parse_when("2024-05-04 14:30", bj()).unwrap().at.timestamp()
        );
    }

    #[test]
    fn impossible_dates_fail() {
        let e = parse_when("2024-02-30", bj()).unwrap_err();
        assert!(e.message.contains("不存在"), "{e:?}");
        assert!(parse_when("2023-13-01", bj()).is_err());
        assert!(parse_when("明天", bj()).is_err());
    }

    #[test]
    fn chinese_keyboard_spellings_are_accepted() {
        let day = parse_when("2024-05-04", bj()).unwrap();
        for s in [
            "2024/5/4",
            "2024.5.4",
            "2024年5月4日",
            "2024年5月4",
            "2024-5-4",
            "２０２４年５月４日",
            " 2024 / 05 / 04 ",
        ] {
            assert_eq!(parse_when(s, bj()), Ok(day), "{s}");
        }
        let at = parse_when("2024-05-04 14:30", bj()).unwrap();
        for s in [
            "2024/5/4 14:30",
            "2024年5月4日 14:30",
            "2024年5月4日14:30",
            "2024.5.4 14：30",
            "2024年5月4日 14点30分",
            "2024年5月4日14时30分",
        ] {
            assert_eq!(parse_when(s, bj()), Ok(at), "{s}");
        }
        assert!(!parse_when("2024年5月4日 14点", bj()).unwrap().all_day);
    }

    #[test]
    fn what_cannot_be_a_date_is_named() {
        let e = parse_when("2024年2月30日", bj()).unwrap_err();
        assert!(e.message.contains("不存在"), "{e:?}");
        let e = parse_when("2024/5/4 25:00", bj()).unwrap_err();
        assert_eq!(e.suggestion.as_deref(), Some("2024-05-04 25:00"));
        let e = parse_when("5月4日", bj()).unwrap_err();
        assert!(e.message.contains("没有写年份"), "{e:?}");
        let e = parse_when("明天下午", bj()).unwrap_err();
        assert!(e.message.contains("不是日期"), "{e:?}");
    }
}
