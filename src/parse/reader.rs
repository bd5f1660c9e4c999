//! Reading typed values out of a positioned YAML tree, turning every mismatch
//! into a diagnostic at the right line and column of the Markdown file.

use chrono::FixedOffset;

use crate::diagnostics::{Diagnostic, closest};
use crate::load::SourceFile;
use crate::parse::dates::{When, parse_when};
use crate::parse::yaml::{Key, Node, Pos, Value};

pub struct Reader<'a> {
    pub file: &'a SourceFile,
    pub offset: FixedOffset,
    pub diags: Vec<Diagnostic>,
    /// Errors among `diags`, kept so that asking is not a scan of them all
    /// (a quiz asks once per question).
    errors: usize,
}

impl<'a> Reader<'a> {
    pub fn new(file: &'a SourceFile, offset: FixedOffset) -> Self {
        Reader {
            file,
            offset,
            diags: Vec::new(),
            errors: 0,
        }
    }

    /// How many errors have been reported so far.
    pub fn error_count(&self) -> usize {
        self.errors
    }

    /// File line of a YAML position.
    pub fn line(&self, pos: Pos) -> u32 {
        self.file.front_line + pos.line.saturating_sub(1)
    }

    pub fn diag(&self, d: Diagnostic, pos: Pos, width: usize) -> Diagnostic {
        d.in_file(self.file.display())
            .at(Some(&self.file.text), self.line(pos), pos.col)
            .width(width)
    }

    pub fn error(
        &mut self,
        pos: Pos,
        width: usize,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let d = self.diag(Diagnostic::error(message).hint(hint), pos, width);
        self.errors += 1;
        self.diags.push(d);
    }

    pub fn warn(
        &mut self,
        pos: Pos,
        width: usize,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let d = self.diag(Diagnostic::warning(message).hint(hint), pos, width);
        self.diags.push(d);
    }

    fn wrong_type(&mut self, key: &str, node: &Node, want: &str, example: &str) {
        self.error(
            node.pos,
            1,
            format!("`{key}` 应该是{want}，这里写的是{}", node.value.type_name()),
            format!("例如 {key}: {example}"),
        );
    }

    /// Text (numbers and booleans are accepted and written as text).
    pub fn text(&mut self, key: &str, node: &Node) -> Option<String> {
        match node.as_text() {
            Some(s) => Some(s),
            None if node.value == Value::Null => None,
            None => {
                self.wrong_type(key, node, "一段文本", "\"……\"");
                None
            }
        }
    }

    /// Non-empty text; empty is reported as missing.
    pub fn required_text(&mut self, key: &str, node: &Node) -> Option<String> {
        let t = self.text(key, node)?;
        if t.trim().is_empty() {
            self.error(
                node.pos,
                1,
                format!("`{key}` 不能为空"),
                format!("在 {key}: 后面写上内容"),
            );
            return None;
        }
        Some(t.trim().to_string())
    }

    /// A list of texts, each with its position. A single text is a list of
    /// one; for `split` keys (tags) `党史，理论学习` is split on commas.
    pub fn text_list(&mut self, key: &str, node: &Node, split: bool) -> Vec<(String, Pos)> {
        match &node.value {
            Value::Null => Vec::new(),
            Value::Seq(items) => items
                .iter()
                .filter_map(|n| match n.as_text() {
                    Some(s) if !s.trim().is_empty() => Some((s.trim().to_string(), n.pos)),
                    Some(_) => None,
                    None => {
                        self.wrong_type(key, n, "文本列表中的一项", "[第一项, 第二项]");
                        None
                    }
                })
                .collect(),
            _ => match node.as_text() {
                Some(s) if split => s
                    .split([',', '，', '、'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| (s.to_string(), node.pos))
                    .collect(),
                Some(s) if !s.trim().is_empty() => vec![(s.trim().to_string(), node.pos)],
                Some(_) => Vec::new(),
                None => {
                    self.wrong_type(key, node, "一个列表", "[第一项, 第二项]");
                    Vec::new()
                }
            },
        }
    }

    /// An integer; full-width digits and the unit the key implies
    /// (`duration: 30分钟`, `pass: 80%`) are understood.
    pub fn int(&mut self, key: &str, node: &Node) -> Option<i64> {
        match &node.value {
            Value::Int(i) => Some(*i),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Some(*f as i64),
            Value::Str(s) if lenient_int(key, s).is_some() => lenient_int(key, s),
            Value::Null => None,
            Value::Str(s) if key == "duration" && hours(s).is_some() => {
                let h = hours(s).unwrap_or(0.0);
                self.error(
                    node.pos,
                    s.chars().count(),
                    format!("duration 的单位是分钟，这里写的是「{}」", s.trim()),
                    format!("写成分钟数：duration: {}", (h * 60.0).round() as i64),
                );
                None
            }
            _ => {
                self.wrong_type(key, node, "一个整数", "30");
                None
            }
        }
    }

    pub fn non_negative(&mut self, key: &str, node: &Node) -> Option<u32> {
        let i = self.int(key, node)?;
        match u32::try_from(i) {
            Ok(v) => Some(v),
            Err(_) => {
                self.error(
                    node.pos,
                    1,
                    format!("`{key}` 不能是负数或过大的数：{i}"),
                    format!("例如 {key}: 30"),
                );
                None
            }
        }
    }

    pub fn number(&mut self, key: &str, node: &Node) -> Option<f64> {
        match &node.value {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) if f.is_finite() => Some(*f),
            Value::Str(s) if lenient_number(key, s).is_some() => lenient_number(key, s),
            Value::Null => None,
            _ => {
                self.wrong_type(key, node, "一个数字", "2.5");
                None
            }
        }
    }

    pub fn bool(&mut self, key: &str, node: &Node) -> Option<bool> {
        match &node.value {
            Value::Bool(b) => Some(*b),
            Value::Str(s) => match parse_bool(s) {
                Some(b) => Some(b),
                None => {
                    self.wrong_type(key, node, "true 或 false", "true");
                    None
                }
            },
            Value::Null => None,
            _ => {
                self.wrong_type(key, node, "true 或 false", "true");
                None
            }
        }
    }

    pub fn date(&mut self, key: &str, node: &Node) -> Option<When> {
        let s = match &node.value {
            Value::Null => return None,
            Value::Str(s) => s.clone(),
            _ => {
                self.wrong_type(key, node, "日期", "2024-05-04");
                return None;
            }
        };
        match parse_when(&s, self.offset) {
            Ok(w) => Some(w),
            Err(e) => {
                let hint = match e.suggestion {
                    Some(fixed) => format!("写成 {key}: {fixed}"),
                    None => {
                        format!("日期写成 {key}: 2024-05-04，带时间写成 {key}: 2024-05-04 14:30")
                    }
                };
                self.error(node.pos, s.chars().count(), e.message, hint);
                None
            }
        }
    }

    /// Warns about a key that is unknown but close to a known one.
    pub fn check_typo(&mut self, key: &Key, known: &[&str]) -> bool {
        let max = if key.name.chars().count() <= 4 { 1 } else { 2 };
        if let Some(k) = closest(&key.name, known.iter().copied(), max) {
            self.warn(
                key.pos,
                key.name.chars().count(),
                format!("未知的键 `{}`，会被当作自定义字段（extra）", key.name),
                format!("是不是想写 `{k}`？"),
            );
            return true;
        }
        false
    }
}

/// Full-width digits as ASCII, full-width spaces as spaces.
pub fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' | '－' | '．' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .collect()
}

/// The units an editor may write after the number of `key`.
fn units(key: &str) -> &'static [&'static str] {
    match key {
        "duration" => &["分钟", "分", "mins", "min", "minutes", "minute"],
        "pass" => &["%", "％", "分"],
        "volunteer_hours" => &["个小时", "小时", "hours", "hour", "h"],
        "attendance.expected" | "attendance.present" | "attendance.leave" | "attendance.absent" => {
            &["人", "名", "位"]
        }
        _ => &[],
    }
}

/// The number in `s` without the unit `key` implies.
fn without_unit(key: &str, s: &str) -> String {
    let t = ascii_digits(s);
    let t = t.trim();
    units(key)
        .iter()
        .find_map(|u| t.strip_suffix(u))
        .unwrap_or(t)
        .trim_end()
        .to_string()
}

fn lenient_int(key: &str, s: &str) -> Option<i64> {
    without_unit(key, s).parse().ok()
}

fn lenient_number(key: &str, s: &str) -> Option<f64> {
    without_unit(key, s)
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
}

/// `1小时`, `1.5 h`: hours written where minutes are wanted.
fn hours(s: &str) -> Option<f64> {
    let t = ascii_digits(s);
    let t = t.trim();
    ["个小时", "小时", "hours", "hour", "h"]
        .iter()
        .find_map(|u| t.strip_suffix(u))
        .and_then(|n| n.trim().parse::<f64>().ok())
        .filter(|h| h.is_finite() && *h >= 0.0)
}

/// true/false and their Chinese spellings.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "true" | "yes" | "y" | "对" | "是" | "正确" | "√" | "✓" | "t" => Some(true),
        "false" | "no" | "n" | "错" | "否" | "错误" | "×" | "✗" | "f" => Some(false),
        _ => None,
    }
}

/// Iterates a mapping node; anything else is reported once.
pub fn entries<'n>(r: &mut Reader, what: &str, node: &'n Node) -> &'n [(Key, Node)] {
    match &node.value {
        Value::Map(e) => e,
        Value::Null => &[],
        _ => {
            r.error(
                node.pos,
                1,
                format!(
                    "{what}应该是「键: 值」的列表，这里是{}",
                    node.value.type_name()
                ),
                "每行写一个 键: 值，例如 title: 标题",
            );
            &[]
        }
    }
}
