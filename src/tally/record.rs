//! A reader's study record as learning.js exports it, in either form: the
//! JSON file (导出记录) or the 学习记录码 pasted into a chat. Both read into
//! one [`Record`] at minute precision, so that the file and the code of
//! the same record are recognised as one.
//!
//! The code is `ZHIBU1.<n>.<body>.<crc>`: `body` is the base64url (no
//! padding) of a compact JSON object, `n` its length in characters, `crc`
//! the CRC-32 (IEEE, 8 lowercase hex digits) of `ZHIBU1.<n>.<body>`.
//! Whitespace and zero-width characters inside a code are ignored (chat
//! apps break long text), and `。` / `．` are read as `.`; a code cut short
//! or altered fails its length or checksum. docs/learning.md has the JSON.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::DateTime;
use serde_json::{Map, Value};

/// The prefix of a 学习记录码, version 1.
pub const PREFIX: &str = "ZHIBU1.";

/// One reader's record. Times are minutes since 1970 (UTC).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Record {
    /// The site's base_url, as the page told learning.js.
    pub site: String,
    /// As typed on 我的学习; may be empty.
    pub name: String,
    /// When it was exported, if the record says.
    pub exported: Option<i64>,
    /// Lesson site path -> when it was read to the end.
    pub lessons: BTreeMap<String, i64>,
    pub quizzes: BTreeMap<String, QuizResult>,
    /// Items the reader marked done by hand -> when.
    pub tasks: BTreeMap<String, i64>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QuizResult {
    pub best: u32,
    pub attempts: u32,
    pub passed: bool,
    pub perfect: bool,
    /// When it was first passed, else when last taken.
    pub at: i64,
    pub last: u32,
}

impl Record {
    /// Everything but the export time: two records with the same content
    /// are one record sent twice.
    pub fn same_content(&self, other: &Record) -> bool {
        self.site == other.site
            && self.name == other.name
            && self.lessons == other.lessons
            && self.quizzes == other.quizzes
            && self.tasks == other.tasks
    }

    /// Takes in another record of the same reader: earliest dates, best
    /// scores. Attempts are the larger count, not the sum: two exports
    /// from one device count the same attempts twice.
    pub fn merge(&mut self, other: &Record) {
        for (k, &t) in &other.lessons {
            let e = self.lessons.entry(k.clone()).or_insert(t);
            *e = (*e).min(t);
        }
        for (k, &t) in &other.tasks {
            let e = self.tasks.entry(k.clone()).or_insert(t);
            *e = (*e).min(t);
        }
        for (k, q) in &other.quizzes {
            let e = self.quizzes.entry(k.clone()).or_insert(*q);
            let at = match (e.passed, q.passed) {
                (true, true) => e.at.min(q.at),
                (true, false) => e.at,
                (false, true) => q.at,
                (false, false) => e.at.max(q.at),
            };
            *e = QuizResult {
                best: e.best.max(q.best),
                attempts: e.attempts.max(q.attempts),
                passed: e.passed || q.passed,
                perfect: e.perfect || q.perfect,
                at,
                last: if q.at >= e.at { q.last } else { e.last },
            };
        }
        self.exported = self.exported.max(other.exported);
    }
}

/// Why a record could not be read, in words for the secretary.
pub type Broken = String;

fn minutes(iso: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(iso.trim())
        .ok()
        .map(|d| d.timestamp().div_euclid(60))
}

fn score(v: Option<&Value>) -> Option<u32> {
    let n = v?.as_f64()?;
    (0.0..=100.0).contains(&n).then_some(n.round() as u32)
}

fn count(v: Option<&Value>) -> Option<u32> {
    let n = v?.as_f64()?;
    (0.0..1e9).contains(&n).then_some(n as u32)
}

/// The exported file (`version: 1`). Records exported before names and
/// tasks existed have neither and are read as unnamed.
pub fn from_json(v: &Value) -> Result<Record, Broken> {
    let o = v.as_object().ok_or("不是学习记录（应是一个 JSON 对象）")?;
    if o.get("version").and_then(Value::as_i64) != Some(1) {
        return Err("不是 zhibu 的学习记录（缺少 version: 1），或来自更新的版本".into());
    }
    let site = o
        .get("site")
        .and_then(Value::as_str)
        .ok_or("记录里没有写是哪个网站的（缺少 site）")?;
    let obj = |key: &str| -> Result<Map<String, Value>, Broken> {
        match o.get(key) {
            None | Some(Value::Null) if key == "tasks" => Ok(Map::new()),
            Some(Value::Object(m)) => Ok(m.clone()),
            _ => Err(format!("记录的 {key} 部分已损坏")),
        }
    };
    let mut r = Record {
        site: site.to_string(),
        name: o
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_string(),
        exported: o.get("exported").and_then(Value::as_str).and_then(minutes),
        ..Default::default()
    };
    for (k, l) in obj("lessons")? {
        let t = l.get("read").and_then(Value::as_str).and_then(minutes);
        r.lessons.insert(k, t.ok_or("一条阅读记录的日期已损坏")?);
    }
    for (k, t) in obj("tasks")? {
        let t = t.get("done").and_then(Value::as_str).and_then(minutes);
        r.tasks.insert(k, t.ok_or("一条任务记录的日期已损坏")?);
    }
    for (k, q) in obj("quizzes")? {
        let bad = || format!("测验 {k} 的成绩已损坏");
        let passed = q.get("passed").and_then(Value::as_bool).ok_or_else(bad)?;
        let best = score(q.get("best")).ok_or_else(bad)?;
        let date = |key: &str| q.get(key).and_then(Value::as_str).and_then(minutes);
        let at = if passed {
            date("passedAt").or(date("date"))
        } else {
            date("date")
        };
        let result = QuizResult {
            best,
            attempts: count(q.get("attempts")).ok_or_else(bad)?,
            passed,
            perfect: q.get("perfect").and_then(Value::as_bool).unwrap_or(false),
            at: at.unwrap_or(0),
            last: score(q.get("last")).unwrap_or(best),
        };
        r.quizzes.insert(k, result);
    }
    Ok(r)
}

/// The compact JSON inside a code: `{"v":1,"s":site,"n":name,"e":minute,
/// "l":{key:minute},"q":{key:[best,attempts,flags,minute,last]},"t":{key:minute}}`,
/// flags 1 = passed, 2 = 100 %.
fn from_compact(v: &Value) -> Result<Record, Broken> {
    let unreadable = || "学习记录码的内容无法识别".to_string();
    let o = v.as_object().ok_or_else(unreadable)?;
    if o.get("v").and_then(Value::as_i64) != Some(1) {
        return Err("学习记录码来自更新版本的网站，请先升级 zhibu".into());
    }
    let map = |key: &str| match o.get(key) {
        None => Ok(Map::new()),
        Some(Value::Object(m)) => Ok(m.clone()),
        _ => Err(unreadable()),
    };
    let minute = |v: &Value| v.as_i64().ok_or_else(unreadable);
    let mut r = Record {
        site: o
            .get("s")
            .and_then(Value::as_str)
            .ok_or_else(unreadable)?
            .to_string(),
        name: o
            .get("n")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_string(),
        exported: o.get("e").and_then(Value::as_i64),
        ..Default::default()
    };
    for (k, t) in map("l")? {
        r.lessons.insert(k, minute(&t)?);
    }
    for (k, t) in map("t")? {
        r.tasks.insert(k, minute(&t)?);
    }
    for (k, a) in map("q")? {
        let a = a
            .as_array()
            .filter(|a| a.len() >= 4)
            .ok_or_else(unreadable)?;
        let flags = a[2].as_u64().ok_or_else(unreadable)?;
        let best = score(Some(&a[0])).ok_or_else(unreadable)?;
        r.quizzes.insert(
            k,
            QuizResult {
                best,
                attempts: count(Some(&a[1])).ok_or_else(unreadable)?,
                passed: flags & 1 != 0,
                perfect: flags & 2 != 0,
                at: minute(&a[3])?,
                last: score(a.get(4)).unwrap_or(best),
            },
        );
    }
    Ok(r)
}

/// The code for `r`, as learning.js writes it (for tests and fixtures).
pub fn to_code(r: &Record) -> String {
    let mut q = Map::new();
    for (k, x) in &r.quizzes {
        let flags = u8::from(x.passed) | (u8::from(x.perfect) << 1);
        q.insert(
            k.clone(),
            serde_json::json!([x.best, x.attempts, flags, x.at, x.last]),
        );
    }
    let v = serde_json::json!({
        "v": 1, "s": r.site, "n": r.name, "e": r.exported.unwrap_or(0),
        "l": r.lessons, "q": q, "t": r.tasks,
    });
    let body = URL_SAFE_NO_PAD.encode(v.to_string());
    let head = format!("{PREFIX}{}.{body}", body.len());
    let crc = crc32fast::hash(head.as_bytes());
    format!("{head}.{crc:08x}")
}

/// Where something was found in a text: 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct At {
    pub line: u32,
    pub col: u32,
}

/// Every 学习记录码 in `text` (a chat log, a note), in order, each read or
/// broken, with where it starts.
pub fn codes_in(text: &str) -> Vec<(At, Result<Record, Broken>)> {
    // The text without whitespace, each character with its place.
    let mut flat: Vec<(char, At)> = Vec::with_capacity(text.len());
    let (mut line, mut col) = (1u32, 1u32);
    for c in text.chars() {
        let at = At { line, col };
        if c == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
        if c.is_whitespace() || matches!(c, '\u{200b}'..='\u{200d}' | '\u{feff}') {
            continue;
        }
        flat.push((if matches!(c, '。' | '．') { '.' } else { c }, at));
    }
    let prefix: Vec<char> = PREFIX.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + prefix.len() <= flat.len() {
        let is_prefix = flat[i..i + prefix.len()]
            .iter()
            .zip(&prefix)
            .all(|((c, _), p)| c.eq_ignore_ascii_case(p));
        if !is_prefix {
            i += 1;
            continue;
        }
        let at = flat[i].1;
        let (result, next) = read_code(&flat, i + prefix.len());
        out.push((at, result));
        i = next;
    }
    out
}

/// Reads a code whose prefix ends before `start`; returns where scanning goes on.
fn read_code(flat: &[(char, At)], start: usize) -> (Result<Record, Broken>, usize) {
    let cut =
        || "学习记录码不完整（可能只复制了一部分），请对方重新复制完整的学习记录码".to_string();
    let digits: String = flat[start..]
        .iter()
        .map(|(c, _)| *c)
        .take_while(char::is_ascii_digit)
        .collect();
    let mut i = start + digits.len();
    let Ok(n) = digits.parse::<usize>() else {
        return (Err(cut()), i);
    };
    if flat.get(i).map(|x| x.0) != Some('.') {
        return (Err(cut()), i);
    }
    i += 1;
    let body: String = flat[i..]
        .iter()
        .map(|(c, _)| *c)
        .take(n)
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    if body.len() < n {
        return (Err(cut()), i + body.len());
    }
    i += n;
    let sum: String = flat[i..].iter().map(|(c, _)| *c).take(9).collect();
    if sum.len() < 9 || !sum.starts_with('.') || !sum[1..].chars().all(|c| c.is_ascii_hexdigit()) {
        return (Err(cut()), i);
    }
    let head = format!("{PREFIX}{n}.{body}");
    if format!("{:08x}", crc32fast::hash(head.as_bytes())) != sum[1..].to_ascii_lowercase() {
        return (
            Err("学习记录码已损坏（校验不符：复制时有字符被改动），请对方重新复制".into()),
            i,
        );
    }
    let decoded = URL_SAFE_NO_PAD
        .decode(body.as_bytes())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| serde_json::from_str::<Value>(&s).ok());
    let record = match decoded {
        Some(v) => from_compact(&v),
        None => Err("学习记录码的内容无法识别".into()),
    };
    (record, i + 9)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Record {
        let mut r = Record {
            site: "https://dj.example.edu.cn/zhibu1/".into(),
            name: "张三".into(),
            exported: Some(29_400_000),
            ..Default::default()
        };
        r.lessons.insert("lessons/a/".into(), 29_399_000);
        r.quizzes.insert(
            "lessons/b/".into(),
            QuizResult {
                best: 100,
                attempts: 2,
                passed: true,
                perfect: true,
                at: 29_399_500,
                last: 100,
            },
        );
        r.tasks.insert("activities/x/".into(), 29_399_900);
        r
    }

    #[test]
    fn a_code_reads_back() {
        let r = sample();
        let code = to_code(&r);
        assert!(code.starts_with("ZHIBU1."), "{code}");
        let found = codes_in(&format!("张三：\n{code}\n谢谢书记"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, At { line: 2, col: 1 });
        assert_eq!(found[0].1.as_ref().unwrap(), &r);
    }

    #[test]
    fn spaces_and_line_breaks_from_a_chat_app_are_ignored() {
        let code = to_code(&sample());
        let mangled: String = code
            .chars()
            .enumerate()
            .flat_map(|(i, c)| {
                let mut s = vec![c];
                if i % 37 == 36 {
                    s.extend(['\n', ' ']);
                }
                if i % 50 == 49 {
                    s.push('\u{200b}');
                }
                s
            })
            .collect();
        let found = codes_in(&format!("“{mangled}”"));
        assert_eq!(found[0].1.as_ref().unwrap().name, "张三");
    }

    #[test]
    fn cut_and_altered_codes_are_named() {
        let code = to_code(&sample());
        let cut = &code[..code.len() * 2 / 3];
        let found = codes_in(&format!("{cut}…（展开全文）"));
        assert!(found[0].1.as_ref().unwrap_err().contains("不完整"));

        // One character changed (a chat app "correcting" a letter).
        let mut chars: Vec<char> = code.chars().collect();
        let k = chars.len() / 2;
        chars[k] = if chars[k] == 'A' { 'B' } else { 'A' };
        let altered: String = chars.into_iter().collect();
        let found = codes_in(&altered);
        assert!(found[0].1.as_ref().unwrap_err().contains("校验不符"));

        // Without its checksum.
        let found = codes_in(&code[..code.len() - 9]);
        assert!(found[0].1.is_err());
    }

    #[test]
    fn several_codes_among_chat_text() {
        let a = to_code(&sample());
        let mut other = sample();
        other.name = "李四".into();
        let b = to_code(&other);
        let text = format!("[11-25 20:01] 张三: {a}\n[11-25 20:03] 李四：我的是 {b}。\n");
        let found = codes_in(&text);
        let names: Vec<String> = found
            .iter()
            .map(|(_, r)| r.as_ref().unwrap().name.clone())
            .collect();
        assert_eq!(names, ["张三", "李四"]);
        assert_eq!(found[1].0.line, 2);
    }

    #[test]
    fn the_file_of_an_older_version_reads() {
        // Exported before names and tasks existed.
        let v: Value = serde_json::from_str(
            r#"{"version":1,"site":"https://dj.example.edu.cn/zhibu1/",
               "lessons":{"lessons/a/":{"title":"第一讲","read":"2026-11-21T04:00:12.345Z"}},
               "quizzes":{"lessons/b/":{"title":"测验","attempts":1,"best":80,"last":80,
                          "passed":true,"passedAt":"2026-11-21T05:00:00.000Z","perfect":false,"date":"2026-11-21T05:00:00.000Z"}}}"#,
        )
        .unwrap();
        let r = from_json(&v).unwrap();
        assert_eq!(r.name, "");
        assert_eq!(
            r.lessons["lessons/a/"],
            minutes("2026-11-21T04:00:00Z").unwrap()
        );
        assert!(r.quizzes["lessons/b/"].passed);
        assert!(r.tasks.is_empty());
    }

    #[test]
    fn broken_files_say_why() {
        let v: Value = serde_json::from_str(r#"{"version":1,"site":"x","lessons":[]}"#).unwrap();
        assert!(from_json(&v).unwrap_err().contains("lessons"));
        let v: Value = serde_json::from_str(r#"{"lessons":{}}"#).unwrap();
        assert!(from_json(&v).unwrap_err().contains("version"));
    }

    #[test]
    fn merging_keeps_the_earliest_and_the_best() {
        let mut a = sample();
        let mut b = sample();
        b.lessons.insert("lessons/a/".into(), 29_000_000);
        b.lessons.insert("lessons/c/".into(), 29_000_001);
        if let Some(q) = b.quizzes.get_mut("lessons/b/") {
            q.best = 60;
            q.attempts = 5;
        }
        a.merge(&b);
        assert_eq!(a.lessons["lessons/a/"], 29_000_000);
        assert_eq!(a.lessons.len(), 2);
        assert_eq!(a.quizzes["lessons/b/"].best, 100);
        assert_eq!(a.quizzes["lessons/b/"].attempts, 5);
    }
}
