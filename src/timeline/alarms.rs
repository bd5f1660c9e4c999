//! `[calendar] alarms`: how long before an activity a calendar reminds,
//! written `"1d"`, `"2h"`, `"30m"` (or `"1天"`, `"2小时"`, `"30分钟"`,
//! combined like `"1h30m"`), and the reminders an event gets from them.

/// The longest reminder accepted: four weeks before.
const MAX_MINUTES: u32 = 28 * 24 * 60;

/// Minutes before the start that one alarm fires, or a message saying
/// what is wrong (for site.toml's error).
pub(crate) fn parse(s: &str) -> Result<u32, String> {
    let t = s.trim();
    let mut total: u64 = 0;
    let mut rest = t;
    if rest.is_empty() {
        return Err("提醒时间不能为空".into());
    }
    while !rest.is_empty() {
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        if digits.is_empty() {
            return Err(format!("无法识别的提醒时间 `{t}`"));
        }
        rest = rest[digits.len()..].trim_start();
        let unit: String = rest
            .chars()
            .take_while(|c| !c.is_ascii_digit() && !c.is_whitespace())
            .collect();
        let per = match unit.to_lowercase().as_str() {
            "d" | "day" | "days" | "天" | "日" => 24 * 60,
            "h" | "hr" | "hour" | "hours" | "小时" | "时" | "个小时" => 60,
            "m" | "min" | "mins" | "minute" | "minutes" | "分钟" | "分" => 1,
            _ => return Err(format!("无法识别的提醒时间 `{t}`")),
        };
        rest = rest[unit.len()..].trim_start();
        let n: u64 = digits.parse().map_err(|_| format!("提醒时间 `{t}` 太大"))?;
        total = total.saturating_add(n.saturating_mul(per));
    }
    if total == 0 {
        return Err(format!("提醒时间 `{t}` 是 0"));
    }
    if total > u64::from(MAX_MINUTES) {
        return Err(format!("提醒时间 `{t}` 太早了（最多提前 28 天）"));
    }
    // Checked against MAX_MINUTES just above.
    Ok(total as u32)
}

/// Every alarm of the config, in minutes, largest first, without repeats;
/// unreadable ones are left out (site.toml's validation has named them).
pub(crate) fn minutes(alarms: &[String]) -> Vec<u32> {
    let mut m: Vec<u32> = alarms.iter().filter_map(|a| parse(a).ok()).collect();
    m.sort_unstable_by(|a, b| b.cmp(a));
    m.dedup();
    m
}

/// A TRIGGER value (RFC 5545 §3.3.6, before the start): `-P1D`, `-PT1H`, `-PT30M`.
pub(crate) fn trigger(minutes: u32) -> String {
    if minutes % (24 * 60) == 0 {
        format!("-P{}D", minutes / (24 * 60))
    } else if minutes % 60 == 0 {
        format!("-PT{}H", minutes / 60)
    } else {
        format!("-PT{minutes}M")
    }
}

/// The triggers of an event. An event without a time of day starts at
/// midnight, so a reminder "a day before" would ring at midnight: for
/// those, whole-day alarms ring at 09:00 of that day instead, and shorter
/// ones are dropped.
pub(crate) fn triggers(minutes: &[u32], all_day: bool) -> Vec<String> {
    minutes
        .iter()
        .filter_map(|&m| {
            if !all_day {
                Some(trigger(m))
            } else if m >= 24 * 60 {
                let days = m / (24 * 60);
                Some(trigger(days * 24 * 60 - 9 * 60))
            } else {
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings() {
        assert_eq!(parse("1d"), Ok(1440));
        assert_eq!(parse("1h"), Ok(60));
        assert_eq!(parse("30m"), Ok(30));
        assert_eq!(parse("1h30m"), Ok(90));
        assert_eq!(parse("2天"), Ok(2880));
        assert_eq!(parse("1 小时"), Ok(60));
        assert_eq!(parse("15分钟"), Ok(15));
        for bad in ["", "1", "d", "1w", "一天", "0m", "30d", "-1h"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn triggers_for_timed_and_whole_day_events() {
        assert_eq!(triggers(&[1440, 60], false), ["-P1D", "-PT1H"]);
        assert_eq!(triggers(&[90], false), ["-PT90M"]);
        // 09:00 the day before, 09:00 two days before; the hour is dropped.
        assert_eq!(triggers(&[2880, 1440, 60], true), ["-PT39H", "-PT15H"]);
        assert_eq!(
            minutes(&["1h".into(), "1d".into(), "60m".into()]),
            [1440, 60]
        );
    }
}
