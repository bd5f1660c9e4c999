//! Dates in front matter: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` (site
//! timezone) or RFC 3339 with an offset.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

/// A point in time from front matter; `all_day` when only a date was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
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
    Err(explain(t))
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
    fn suggests_the_right_spelling() {
        let e = parse_when("2024年5月4日", bj()).unwrap_err();
        assert_eq!(e.suggestion.as_deref(), Some("2024-05-04"));
        let e = parse_when("2024/5/4 9:00", bj()).unwrap_err();
        assert_eq!(e.suggestion.as_deref(), Some("2024-05-04 09:00"));
    }
}
