//! Dates, times and sizes as people read them: `2024年5月4日`, `周六`,
//! `14:00–16:30`, `1.2 MB`.

use chrono::{Datelike, Timelike};
use serde::Serialize;

use crate::parse::dates::When;

#[derive(Serialize, Clone, Debug, PartialEq)]
pub(crate) struct DateView {
    /// RFC 3339, for `<time datetime>` and machines.
    pub iso: String,
    /// `2024-05-04`
    pub ymd: String,
    /// `2024年5月4日`
    pub display: String,
    /// `5月4日`
    pub short: String,
    /// `周六`
    pub weekday: String,
    /// `14:30`, when a time was written.
    pub time: Option<String>,
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

pub(crate) fn date_view(w: &When) -> DateView {
    let d = w.at;
    const DAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
    DateView {
        iso: if w.all_day {
            d.format("%Y-%m-%d").to_string()
        } else {
            d.to_rfc3339()
        },
        ymd: d.format("%Y-%m-%d").to_string(),
        display: format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        short: format!("{}月{}日", d.month(), d.day()),
        weekday: DAYS[d.weekday().num_days_from_monday() as usize].to_string(),
        time: (!w.all_day).then(|| format!("{:02}:{:02}", d.hour(), d.minute())),
        year: d.year(),
        month: d.month(),
        day: d.day(),
    }
}

/// `2024年5月4日 周六 14:00–16:30`, `2024年5月4日–5月6日`.
pub(crate) fn when_text(start: Option<&When>, end: Option<&When>) -> String {
    let Some(s) = start.map(date_view) else {
        return String::new();
    };
    let mut out = format!("{} {}", s.display, s.weekday);
    if let Some(t) = &s.time {
        out.push(' ');
        out.push_str(t);
    }
    if let Some(e) = end.map(date_view) {
        if e.ymd == s.ymd {
            if let Some(t) = e.time {
                out.push('–');
                out.push_str(&t);
            }
        } else {
            out.push_str(" 至 ");
            out.push_str(if e.year == s.year {
                &e.short
            } else {
                &e.display
            });
            if let Some(t) = e.time {
                out.push(' ');
                out.push_str(&t);
            }
        }
    }
    out
}

pub(crate) fn human_size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.0} KB", b / KB)
    } else {
        format!("{:.1} MB", b / KB / KB)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::dates::parse_when;
    use chrono::FixedOffset;

    fn w(s: &str) -> When {
        parse_when(s, FixedOffset::east_opt(8 * 3600).unwrap()).unwrap()
    }

    #[test]
    fn chinese_dates() {
        let d = date_view(&w("2024-05-04"));
        assert_eq!(d.display, "2024年5月4日");
        assert_eq!(d.weekday, "周六");
        assert_eq!(d.iso, "2024-05-04");
        assert!(d.time.is_none());
        assert_eq!(
            date_view(&w("2024-05-04 14:30")).time.as_deref(),
            Some("14:30")
        );
    }

    #[test]
    fn activity_time_ranges() {
        assert_eq!(
            when_text(Some(&w("2024-05-04 14:00")), Some(&w("2024-05-04 16:30"))),
            "2024年5月4日 周六 14:00–16:30"
        );
        assert_eq!(
            when_text(Some(&w("2024-05-04")), Some(&w("2024-05-06"))),
            "2024年5月4日 周六 至 5月6日"
        );
    }

    #[test]
    fn sizes() {
        assert_eq!(human_size(500), "500 B");
        assert_eq!(human_size(2048), "2 KB");
        assert_eq!(human_size(1_258_291), "1.2 MB");
    }
}
