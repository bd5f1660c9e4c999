//! calendar.ics and `activities/<slug>/event.ics`: the branch's activities
//! as RFC 5545 calendars, so that an activity imports into phone and desktop
//! calendar apps, with the reminders of `[calendar] alarms`. Times are in
//! UTC (no VTIMEZONE needed); an event keeps its UID in both files and
//! across builds, so importing it again updates it instead of doubling it.

use crate::config::Config;
use crate::model::Page;
use crate::timeline::alarms;
use chrono::{DateTime, Duration, FixedOffset, Utc};

/// Timed activities without an `end` last this long in calendars.
const DEFAULT_HOURS: i64 = 2;

/// The calendar of `activities`, oldest first like a diary (the pages an
/// output reads are all it gets: see `deps`).
pub(crate) fn calendar<'a>(config: &Config, activities: impl Iterator<Item = &'a Page>) -> String {
    let mut lines = header(config);
    lines.push(format!(
        "X-WR-CALNAME:{}",
        escape(&format!("{} 活动日历", config.title))
    ));
    let minutes = alarms::minutes(&config.calendar.alarms);
    for p in activities {
        lines.extend(vevent(config, p, &minutes));
    }
    finish(lines)
}

/// One activity as a calendar of one event; `None` for a page that is no
/// activity or has no date.
pub(crate) fn event(config: &Config, p: &Page) -> Option<String> {
    let mut lines = header(config);
    let minutes = alarms::minutes(&config.calendar.alarms);
    let ev = vevent(config, p, &minutes);
    if ev.is_empty() {
        return None;
    }
    lines.extend(ev);
    Some(finish(lines))
}

fn header(config: &Config) -> Vec<String> {
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        format!("PRODID:-//zhibu//zhibu {}//ZH", env!("CARGO_PKG_VERSION")),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
    ];
    // Whole-day events are dates without a zone; name the site's zone for them.
    if config.offset().local_minus_utc() == 8 * 3600 {
        lines.push("X-WR-TIMEZONE:Asia/Shanghai".into());
    }
    lines
}

fn finish(mut lines: Vec<String>) -> String {
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for l in lines {
        out.push_str(&fold(&l));
        out.push_str("\r\n");
    }
    out
}

/// The UID of an activity: its path under the site's base path, at the
/// host (two branches on one host have different base paths).
fn uid(config: &Config, p: &Page) -> String {
    let path = crate::routes::join(&config.base_path(), &p.path);
    format!(
        "{}@{}",
        path.trim_matches('/').replace('/', "-"),
        config.host()
    )
}

/// The lines of one VEVENT with its VALARMs; empty for an undated page.
fn vevent(config: &Config, p: &Page, minutes: &[u32]) -> Vec<String> {
    let (Some(start), Some(a)) = (p.date, p.activity.as_ref()) else {
        return Vec::new();
    };
    let mut lines: Vec<String> = vec!["BEGIN:VEVENT".into(), format!("UID:{}", uid(config, p))];
    // The last change we know of, so that the file is the same in every build.
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
            (last.max(start.date()) + Duration::days(1)).format("%Y%m%d")
        ));
    } else {
        let end = a
            .end
            .map(crate::timeline::end_of)
            .filter(|e| *e > start.at)
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
    let url = crate::routes::permalink(&config.origin(), &config.base_path(), &p.path);
    let mut description = p.summary.clone();
    if let Some(s) = &p.src.front.activity.signup {
        description.push_str(&format!("\n\n报名：{}", s.url));
        if let Some(d) = s.deadline {
            description.push_str(&format!("（{} 截止）", d.chinese()));
        }
    }
    description.push_str(&format!("\n\n{url}"));
    lines.push(format!("DESCRIPTION:{}", escape(&description)));
    if url.starts_with("http") {
        lines.push(format!("URL:{url}"));
    }
    for trigger in alarms::triggers(minutes, start.all_day) {
        lines.extend([
            "BEGIN:VALARM".to_string(),
            "ACTION:DISPLAY".to_string(),
            format!("DESCRIPTION:{}", escape(&format!("活动提醒：{}", p.title))),
            format!("TRIGGER:{trigger}"),
            "END:VALARM".to_string(),
        ]);
    }
    lines.push("END:VEVENT".into());
    lines
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
