//! Time zones as editors write them in site.toml: an offset (`+08:00`,
//! `UTC+8`) or a zone name of China (all UTC+8 but Urumqi's, which many
//! use at UTC+6).

use chrono::FixedOffset;

pub(super) fn beijing() -> FixedOffset {
    // 8 hours is within the ±24 h range FixedOffset accepts.
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// `+08:00`, `+0800`, `UTC+8`, `GMT+08:00`, `Z`, or a zone of China.
pub fn parse_timezone(tz: &str) -> Option<FixedOffset> {
    let t = tz.trim();
    const CHINA: [&str; 9] = [
        "Asia/Shanghai",
        "Asia/Chongqing",
        "Asia/Harbin",
        "Asia/Hong_Kong",
        "Asia/Macau",
        "Asia/Taipei",
        "PRC",
        "Asia/Beijing",
        "CST",
    ];
    if CHINA.iter().any(|z| z.eq_ignore_ascii_case(t)) {
        return Some(beijing());
    }
    if t.eq_ignore_ascii_case("Z") || t.eq_ignore_ascii_case("UTC") || t.eq_ignore_ascii_case("GMT")
    {
        return FixedOffset::east_opt(0);
    }
    if t.eq_ignore_ascii_case("Asia/Urumqi") {
        return FixedOffset::east_opt(6 * 3600);
    }
    let rest = t
        .strip_prefix("UTC")
        .or_else(|| t.strip_prefix("GMT"))
        .unwrap_or(t);
    let (sign, digits) = match rest.chars().next()? {
        '+' => (1, &rest[1..]),
        '-' => (-1, &rest[1..]),
        _ => return None,
    };
    let (h, m) = if let Some((h, m)) = digits.split_once(':') {
        (h.parse::<i32>().ok()?, m.parse::<i32>().ok()?)
    } else if digits.len() == 4 {
        (digits[..2].parse().ok()?, digits[2..].parse().ok()?)
    } else {
        (digits.parse().ok()?, 0)
    };
    if !(0..=14).contains(&h) || !(0..60).contains(&m) {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}
