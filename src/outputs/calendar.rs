//! calendar.ics: the branch's activities as an RFC 5545 calendar, so that an
//! upcoming activity imports into phone and desktop calendar apps.

use chrono::{DateTime, Duration, FixedOffset, Utc};

use crate::config::Config;
use crate::model::Page;

/// Timed activities without an `end` last this long in calendars.
const DEFAULT_HOURS: i64 = 2;

/// The calendar of `activities`, oldest first (the pages an output reads
/// are all it gets: see `deps`).
pub(crate) fn calendar<'a>(config: &Config, activities: impl Iterator<Item = &'a Page>) -> String {
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        format!("PRODID:-//zhibu//zhibu {}//ZH", env!("CARGO_PKG_VERSION")),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!(
            "X-WR-CALNAME:{}",
            escape(&format!("{} 活动日历", config.title))
        ),
        "X-WR-TIMEZONE:Asia/Shanghai".into(),
    ];
    let host = config.host();
    let (origin, base) = (config.origin(), config.base_path());
    for p in activities {
        let (Some(start), Some(a)) = (p.date, p.activity.as_ref()) else {
            continue;
        };
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!(
            "UID:{}@{}",
            p.path.trim_end_matches('/').replace('/', "-"),
            host
        ));
        let stamp = p.updated.unwrap_or(start);
        lines.push(format!("DTSTAMP:{}", utc(&stamp.at)));
        if start.all_day {
            let last = a.end.map(|e| e.date()).unwrap_or(start.date());
            lines.push(format!(
                "DTSTART;VALUE=DATE:{}",
                start.date().format("%Y%m%d")
            ));
            lines.push(format!(
                "DTEND;VALUE=DATE:{}",
                (last + Duration::days(1)).format("%Y%m%d")
            ));
        } else {
            let end = a
                .end
                .map(|e| e.at)
                .unwrap_or(start.at + Duration::hours(DEFAULT_HOURS));
            lines.push(format!("DTSTART:{}", utc(&start.at)));
            lines.push(format!("DTEND:{}", utc(&end)));
        }
        lines.push(format!("SUMMARY:{}", escape(&p.title)));
        if let Some(l) = &a.location {
            lines.push(format!("LOCATION:{}", escape(l)));
        }
        if let Some(k) = &a.kind {
            lines.push(format!("CATEGORIES:{}", escape(k)));
        }
        let url = crate::routes::permalink(&origin, &base, &p.path);
        lines.push(format!(
            "DESCRIPTION:{}",
            escape(&format!("{}\n\n{url}", p.summary))
        ));
        if url.starts_with("http") {
            lines.push(format!("URL:{url}"));
        }
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for l in lines {
        out.push_str(&fold(&l));
        out.push_str("\r\n");
    }
    out
}

fn utc(t: &DateTime<FixedOffset>) -> String {
    t.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ").to_string()
}

/// TEXT escaping of RFC 5545 §3.3.11.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets without splitting a UTF-8 character (§3.1).
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 60 * 3);
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn folding_keeps_characters_whole() {
        let line = format!("SUMMARY:{}", "党".repeat(40));
        let folded = fold(&line);
        for part in folded.split("\r\n") {
            assert!(part.len() <= 75, "{} octets", part.len());
        }
        assert_eq!(folded.replace("\r\n ", ""), line);
    }
}
