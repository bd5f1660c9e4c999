//! `[ledger]` in site.toml: how often each meeting type of the 台账 is
//! required, over the defaults of 三会一课, and optionally the month from
//! which the online ledger counts (`since`).

use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, closest};
use crate::parse::meeting::{Frequency, MEETING_TYPES, canonical};

/// Required frequencies when site.toml says nothing (SPEC: 三会一课).
pub const DEFAULT_FREQUENCIES: &[(&str, Frequency)] = &[
    ("支部党员大会", Frequency::Quarter),
    ("支部委员会", Frequency::Month),
    ("党小组会", Frequency::Month),
    ("党课", Frequency::Quarter),
];

/// `[ledger]` as written: meeting type = frequency, plus `since`. Read
/// through [`LedgerConfig::required`] and [`LedgerConfig::since`].
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(transparent)]
pub struct LedgerConfig {
    pub table: toml::Table,
}

impl LedgerConfig {
    /// Every meeting type with a requirement: the defaults, changed and
    /// extended by site.toml (aliases such as 支委会 mean their type).
    /// `none` keeps a type in the ledger without a requirement.
    pub fn required(&self) -> Vec<(String, Frequency)> {
        let mut out: Vec<(String, Frequency)> = DEFAULT_FREQUENCIES
            .iter()
            .map(|(n, f)| (n.to_string(), *f))
            .collect();
        for (k, v) in &self.table {
            if k == "since" {
                continue;
            }
            let Some(f) = v.as_str().and_then(Frequency::parse) else {
                continue; // validate() has refused it
            };
            let name = canonical(k)
                .map(str::to_string)
                .unwrap_or(k.trim().to_string());
            match out.iter_mut().find(|(n, _)| *n == name) {
                Some(e) => e.1 = f,
                None => out.push((name, f)),
            }
        }
        out
    }

    /// The first month the ledger counts, when written.
    pub fn since(&self) -> Option<NaiveDate> {
        self.table
            .get("since")
            .and_then(|v| parse_since(&value_text(v)))
    }

    /// The first problem of `[ledger]` in site.toml (`text`), at its key.
    pub(super) fn check(&self, text: &str, display: &Path) -> Result<(), Diagnostic> {
        self.validate().map_err(|(key, message, hint)| {
            let (line, col) = find_ledger_key(text, &key);
            Diagnostic::error(message)
                .in_file(display)
                .at(Some(text), line, col)
                .width(key.chars().count() + 2)
                .hint(hint)
        })
    }

    fn validate(&self) -> Result<(), (String, String, String)> {
        for (k, v) in &self.table {
            if k == "since" {
                if parse_since(&value_text(v)).is_none() {
                    return Err((
                        k.clone(),
                        format!("[ledger] since `{}` 不是年月", value_text(v)),
                        "写成 since = \"2026-01\"：台账从这个月起计算缺漏".into(),
                    ));
                }
                continue;
            }
            let Some(s) = v.as_str() else {
                return Err((
                    k.clone(),
                    format!("[ledger] 里「{k}」的要求应该是一段文本"),
                    format!(
                        "写成 \"{k}\" = \"month\"（每月）、\"quarter\"（每季度）、\"half-year\"（每半年）、\"year\"（每年）或 \"none\"（不要求）"
                    ),
                ));
            };
            if Frequency::parse(s).is_none() {
                return Err((
                    k.clone(),
                    format!("[ledger] 里「{k}」的要求 `{s}` 无法识别"),
                    "写 month（每月）、quarter（每季度）、half-year（每半年）、year（每年）或 none（不要求）".into(),
                ));
            }
            let name = k.trim();
            if canonical(name).is_none()
                && name.chars().count() >= 4
                && let Some(near) = closest(name, MEETING_TYPES.iter().copied(), 1)
            {
                return Err((
                    k.clone(),
                    format!("[ledger] 里的会议类型「{name}」和「{near}」只差一个字"),
                    format!("是不是想写 \"{near}\"？"),
                ));
            }
        }
        Ok(())
    }
}

fn value_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `2026-01`, `2026-01-15` (the month counts), `2026年1月`.
fn parse_since(s: &str) -> Option<NaiveDate> {
    let t = s.trim().trim_matches('"');
    let t = t.replace(['年', '/', '.'], "-").replace(['月', '日'], "");
    let mut parts = t.trim_end_matches('-').split('-');
    let y: i32 = parts.next()?.trim().parse().ok()?;
    let m: u32 = parts.next()?.trim().parse().ok()?;
    if let Some(d) = parts.next() {
        let d: u32 = d.trim().parse().ok()?;
        NaiveDate::from_ymd_opt(y, m, d)?;
    }
    NaiveDate::from_ymd_opt(y, m, 1)
}

/// Line and column of `key` inside the `[ledger]` table of site.toml.
fn find_ledger_key(text: &str, key: &str) -> (u32, u32) {
    let mut inside = false;
    for (i, l) in text.lines().enumerate() {
        let t = l.trim_start();
        if t.starts_with('[') {
            inside = t.trim_end() == "[ledger]";
            continue;
        }
        if !inside {
            continue;
        }
        for written in [format!("\"{key}\""), format!("'{key}'"), key.to_string()] {
            if let Some(rest) = t.strip_prefix(&written)
                && rest.trim_start().starts_with('=')
            {
                return (i as u32 + 1, (l.len() - t.len()) as u32 + 1);
            }
        }
    }
    (0, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ledger(toml: &str) -> LedgerConfig {
        toml::from_str(toml).unwrap()
    }

    #[test]
    fn defaults_are_the_four_of_sanhuiyike() {
        let r = LedgerConfig::default().required();
        assert_eq!(r.len(), 4);
        assert_eq!(r[1], ("支部委员会".to_string(), Frequency::Month));
    }

    #[test]
    fn site_entries_change_and_extend_the_defaults() {
        let l = ledger(
            "\"支委会\" = \"quarter\"\n\"组织生活会\" = \"year\"\n\"党小组会\" = \"none\"\nsince = \"2026-03\"\n",
        );
        assert!(l.validate().is_ok());
        let r = l.required();
        assert!(r.contains(&("支部委员会".into(), Frequency::Quarter)));
        assert!(r.contains(&("组织生活会".into(), Frequency::Year)));
        assert!(r.contains(&("党小组会".into(), Frequency::None)));
        assert_eq!(r.len(), 5);
        assert_eq!(l.since(), NaiveDate::from_ymd_opt(2026, 3, 1));
    }

    #[test]
    fn bad_entries_are_refused() {
        assert!(ledger("\"党课\" = \"weekly\"\n").validate().is_err());
        assert!(ledger("\"党课\" = 4\n").validate().is_err());
        assert!(ledger("since = \"去年\"\n").validate().is_err());
        let e = ledger("\"支部委员\" = \"month\"\n").validate().unwrap_err();
        assert!(e.2.contains("支部委员会"), "{e:?}");
        assert!(
            ledger("\"理论学习中心组\" = \"month\"\n")
                .validate()
                .is_ok()
        );
        assert_eq!(
            ledger("since = 2026-02-01\n").since(),
            NaiveDate::from_ymd_opt(2026, 2, 1)
        );
    }

    #[test]
    fn keys_are_found_in_their_table() {
        let text = "title = \"x\"\n[ledger]\n\"党课\" = \"weekly\"\nsince = 1\n";
        assert_eq!(find_ledger_key(text, "党课"), (3, 1));
        assert_eq!(find_ledger_key(text, "since"), (4, 1));
        assert_eq!(find_ledger_key(text, "title"), (0, 0));
    }
}
