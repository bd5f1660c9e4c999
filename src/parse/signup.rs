//! `signup` on an activity: the link to an external sign-up form (问卷星,
//! 腾讯问卷 …), its deadline and a note. The link is published as a button
//! and a QR code, so it must be an https address: a `javascript:` link, a
//! plain-http form or a mistyped address is an error at its line.

use crate::parse::dates::When;
use crate::parse::front::Front;
use crate::parse::reader::{Reader, entries};
use crate::parse::yaml::{Node, Pos, Value};
use serde::{Deserialize, Serialize};

const KEYS: &[&str] = &["url", "deadline", "note"];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignupFront {
    /// An https URL, checked.
    pub url: String,
    /// The last moment to sign up: a date (the whole day counts) or a
    /// date-time; without it, sign-up closes when the activity starts.
    pub deadline: Option<When>,
    pub note: Option<String>,
}

/// Reads `signup:`, either a map (`url`, `deadline`, `note`) or just the URL.
pub(crate) fn read(r: &mut Reader, v: &Node) -> Option<SignupFront> {
    if let Value::Str(s) = &v.value {
        return checked_url(r, s, v.pos).map(|url| SignupFront {
            url,
            deadline: None,
            note: None,
        });
    }
    let mut url = None;
    let mut deadline = None;
    let mut note = None;
    let mut url_seen = false;
    for (key, value) in entries(r, "signup ", v) {
        match key.name.as_str() {
            "url" => {
                url_seen = true;
                url = match r.text("url", value) {
                    Some(s) => checked_url(r, &s, value.pos),
                    None => None,
                };
            }
            "deadline" => deadline = r.date("deadline", value),
            "note" => {
                note = r
                    .text("note", value)
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
            }
            other => {
                if !r.check_typo(key, KEYS) {
                    r.warn(
                        key.pos,
                        other.chars().count(),
                        format!("signup 里不认识的键 `{other}`，会被忽略"),
                        "signup 下可以写 url（报名表链接）、deadline（截止时间）和 note（说明）",
                    );
                }
            }
        }
    }
    if !url_seen && matches!(v.value, Value::Map(_)) {
        r.error(
            v.pos,
            1,
            "signup 缺少报名表的链接 url",
            "在 signup 下加一行 url: https://www.wjx.cn/vm/……（问卷星、腾讯问卷的分享链接）",
        );
    }
    Some(SignupFront {
        url: url?,
        deadline,
        note,
    })
}

/// The URL if it is a plain https address; otherwise an error at `pos`.
fn checked_url(r: &mut Reader, s: &str, pos: Pos) -> Option<String> {
    match check_url(s) {
        Ok(u) => Some(u),
        Err((message, hint)) => {
            r.error(pos, s.chars().count().max(1), message, hint);
            None
        }
    }
}

/// `Ok(url)` for an https URL with a host and nothing that could break out
/// of an attribute; otherwise what is wrong and how to fix it.
pub(crate) fn check_url(s: &str) -> Result<String, (String, String)> {
    let u = s.trim();
    let example = "例如 url: https://www.wjx.cn/vm/example.aspx（把问卷星、腾讯问卷“分享”里的链接原样复制过来）";
    let lower = u.to_ascii_lowercase();
    let scheme = lower.split_once(':').map(|(s, _)| s).filter(|s| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    let Some(rest) = lower.strip_prefix("https://") else {
        return Err(match scheme {
            Some("http") => (
                format!("报名链接 `{u}` 用的是 http://，不安全"),
                "把 http:// 改成 https://；问卷星、腾讯问卷、金数据的链接都支持 https".into(),
            ),
            Some(other) if other != "https" && !other.contains('.') => (
                format!("报名链接只能是 https:// 开头的网址，`{other}:` 链接不能放进页面"),
                example.into(),
            ),
            _ => (
                format!("报名链接 `{u}` 缺少 https://"),
                format!("写完整的网址，{example}"),
            ),
        });
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_ok = host.contains('.')
        && !host.starts_with('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || ".-:".contains(c));
    if !host_ok {
        return Err((format!("报名链接 `{u}` 的网站地址不对"), example.into()));
    }
    if let Some(c) = u
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"'<>\\`".contains(*c))
    {
        return Err((
            format!(
                "报名链接里不能有{}",
                if c.is_whitespace() {
                    "空格".to_string()
                } else {
                    format!("字符 {c}")
                }
            ),
            "把链接原样复制过来；链接里的空格和引号通常是复制时多出来的".into(),
        ));
    }
    Ok(u.to_string())
}

/// Checks `signup` against the activity once every key is read: a deadline
/// after the activity has begun is probably a slip (sign-up closes when it
/// ends in any case).
pub(crate) fn finish(r: &mut Reader, root: &Node, f: &Front) {
    let (Some(s), Some(start)) = (&f.activity.signup, f.date) else {
        return;
    };
    // A deadline written as a date means "by the end of that day": the
    // activity's own day is fine.
    if let Some(d) = s.deadline
        && (if d.all_day {
            d.date() > start.date()
        } else {
            d.at > start.at
        })
    {
        let pos = root
            .get("signup")
            .and_then(|n| n.get("deadline"))
            .map(|n| n.pos)
            .unwrap_or(root.pos);
        r.warn(
            pos,
            1,
            "报名截止时间晚于活动开始时间",
            "检查 deadline；活动结束后页面上的报名按钮也会自动去掉",
        );
    }
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
            format!("---\ntitle: 志愿服务\ndate: 2026-12-05 13:30\n{front}---\n"),
            Path::new("a.md"),
            "activities/a.md",
        )
        .unwrap();
        let node = yaml::parse(f.front()).unwrap();
        let mut r = Reader::new(&f, FixedOffset::east_opt(8 * 3600).unwrap());
        let front = read_front(&mut r, Kind::Activity, &node);
        (front, r.diags)
    }

    #[test]
    fn url_deadline_and_note() {
        let (f, d) = read(
            "signup:\n  url: https://www.wjx.cn/vm/example.aspx\n  deadline: 2026-12-03 18:00\n  note: 名额 12 人\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let s = f.unwrap().activity.signup.unwrap();
        assert_eq!(s.url, "https://www.wjx.cn/vm/example.aspx");
        assert!(!s.deadline.unwrap().all_day);
        assert_eq!(s.note.as_deref(), Some("名额 12 人"));
    }

    #[test]
    fn just_a_url() {
        let (f, d) = read("signup: https://wj.qq.com/s2/123/abc/\n");
        assert!(d.is_empty(), "{d:?}");
        assert!(f.unwrap().activity.signup.unwrap().deadline.is_none());
    }

    #[test]
    fn only_https_links() {
        for (bad, word) in [
            ("javascript:alert(1)", "javascript:"),
            ("JavaScript:alert(1)", "javascript:"),
            ("data:text/html,x", "data:"),
            ("http://www.wjx.cn/vm/x.aspx", "http://"),
            ("www.wjx.cn/vm/x.aspx", "https://"),
            ("https://", "网站地址"),
            ("https://www.wjx.cn/vm/x.aspx\" onclick=\"x", "字符"),
        ] {
            let (f, d) = read(&format!("signup:\n  url: '{}'\n", bad.replace('\'', "''")));
            assert!(f.unwrap().activity.signup.is_none(), "{bad}");
            assert_eq!(d.len(), 1, "{bad}: {d:?}");
            assert!(d[0].is_error());
            assert_eq!((d[0].line, d[0].col), (5, 8), "{bad}");
            assert!(d[0].message.contains(word), "{bad}: {}", d[0].message);
            assert!(d[0].hint.is_some());
        }
    }

    #[test]
    fn missing_url_and_unknown_keys() {
        let (_, d) = read("signup:\n  deadline: 2026-12-03\n  nots: x\n");
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(
            d.iter()
                .any(|d| !d.is_error() && d.hint.as_deref() == Some("是不是想写 `note`？"))
        );
        assert!(d.iter().any(|d| d.is_error() && d.message.contains("url")));
    }

    #[test]
    fn deadline_after_the_start_is_a_warning() {
        let (_, d) = read("signup:\n  url: https://www.wjx.cn/vm/x.aspx\n  deadline: 2026-12-06\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(!d[0].is_error());
        assert_eq!(d[0].line, 6);
        // The activity's own day, written as a date, is fine.
        let (_, d) = read("signup:\n  url: https://www.wjx.cn/vm/x.aspx\n  deadline: 2026-12-05\n");
        assert!(d.is_empty(), "{d:?}");
    }
}
