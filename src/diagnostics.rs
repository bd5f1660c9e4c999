//! One diagnostic type for the whole crate.
//!
//! Every user mistake becomes a [`Diagnostic`]: file, line, column, a message
//! in plain words and a hint saying how to fix it. Stages collect them into
//! [`Diagnostics`] and keep going, so that one `zhibu build` lists every
//! problem at once, printed the way a compiler prints them.

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use unicode_width::UnicodeWidthStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, relative to the site root where possible.
    pub file: Option<PathBuf>,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: u32,
    /// 1-based column in characters; 0 when unknown.
    pub col: u32,
    pub message: String,
    pub hint: Option<String>,
    /// The text of the line, for the snippet under the message.
    pub source_line: Option<String>,
    /// How many characters to underline from `col` (at least one).
    pub width: u32,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            line: 0,
            col: 0,
            message: message.into(),
            hint: None,
            source_line: None,
            width: 1,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Sets the position and, when `text` is the file's content, the snippet line.
    pub fn at(mut self, text: Option<&str>, line: u32, col: u32) -> Self {
        self.line = line;
        self.col = col;
        if let Some(text) = text
            && line > 0
        {
            self.source_line = text.lines().nth(line as usize - 1).map(str::to_string);
        }
        self
    }

    pub fn width(mut self, chars: usize) -> Self {
        self.width = chars.max(1) as u32;
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col` as printed after the arrow.
    pub fn location(&self) -> String {
        let mut s = match &self.file {
            Some(f) => display_path(f),
            None => String::new(),
        };
        if self.line > 0 {
            let _ = write!(s, ":{}", self.line);
            if self.col > 0 {
                let _ = write!(s, ":{}", self.col);
            }
        }
        s
    }

    /// Renders like a compiler message. `color` adds ANSI colours for terminals.
    pub fn render(&self, color: bool) -> String {
        let (label, paint) = match self.severity {
            Severity::Error => ("错误", "\x1b[1;31m"),
            Severity::Warning => ("警告", "\x1b[1;33m"),
        };
        let (on, bold, blue, off) = if color {
            (paint, "\x1b[1m", "\x1b[1;34m", "\x1b[0m")
        } else {
            ("", "", "", "")
        };
        let mut out = String::new();
        let _ = writeln!(out, "{on}{label}{off}{bold}: {}{off}", self.message);
        let loc = self.location();
        let gutter = if self.line > 0 {
            self.line.to_string().len()
        } else {
            1
        };
        let pad = " ".repeat(gutter);
        if !loc.is_empty() {
            let _ = writeln!(out, "{pad}{blue}-->{off} {loc}");
        }
        if let Some(src) = &self.source_line {
            let src = src.replace('\t', "    ");
            let _ = writeln!(out, "{pad} {blue}|{off}");
            let _ = writeln!(out, "{blue}{}{off} {blue}|{off} {src}", self.line);
            if self.col > 0 {
                let before: String = src.chars().take(self.col as usize - 1).collect();
                let marked: String = src
                    .chars()
                    .skip(self.col as usize - 1)
                    .take(self.width as usize)
                    .collect();
                let indent = " ".repeat(before.width());
                let carets = "^".repeat(marked.width().max(1));
                let _ = writeln!(out, "{pad} {blue}|{off} {indent}{on}{carets}{off}");
            }
        }
        if let Some(hint) = &self.hint {
            // A hint of several lines (a YAML example) stays under its label.
            let hint = hint.replace('\n', &format!("\n{pad}         "));
            let _ = writeln!(out, "{pad} {blue}={off} {bold}提示{off}: {hint}");
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Paths are shown with forward slashes so that messages read the same on every OS.
pub fn display_path(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// A list of diagnostics from one or more stages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Sorted by file, then position, errors before warnings at the same spot;
    /// exact duplicates removed. Output order never depends on thread timing.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| {
            (&a.file, a.line, a.col, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.col, b.severity, &b.message))
        });
        self.0.dedup();
        self
    }

    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        for d in &self.0 {
            out.push_str(&d.render(color));
            out.push('\n');
        }
        out
    }

    /// `3 个错误，1 个警告`
    pub fn summary(&self) -> String {
        let (e, w) = (self.error_count(), self.warning_count());
        match (e, w) {
            (0, 0) => "没有发现问题".to_string(),
            (e, 0) => format!("{e} 个错误"),
            (0, w) => format!("{w} 个警告"),
            (e, w) => format!("{e} 个错误，{w} 个警告"),
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// The closest candidate within edit distance `max` (Damerau–Levenshtein, so
/// that swapped letters count once), for "did you mean" hints.
pub fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    max: usize,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= max && *d < c.chars().count().max(2))
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_snippet_and_hint() {
        let text = "---\ntitle: 学习\ndurtion: 30\n---\n";
        let d = Diagnostic::warning("未知的键 `durtion`")
            .in_file("content/lessons/a.md")
            .at(Some(text), 3, 1)
            .width(7)
            .hint("是不是想写 `duration`？");
        let s = d.render(false);
        assert!(s.starts_with("警告: 未知的键 `durtion`"), "{s}");
        assert!(s.contains("--> content/lessons/a.md:3:1"), "{s}");
        assert!(s.contains("3 | durtion: 30"), "{s}");
        assert!(s.contains("  | ^^^^^^^"), "{s}");
        assert!(s.contains("提示: 是不是想写 `duration`？"), "{s}");
    }

    #[test]
    fn underline_counts_wide_characters() {
        let d = Diagnostic::error("x")
            .in_file("a.md")
            .at(Some("标题: 电话 13800000000"), 1, 8)
            .width(11);
        let s = d.render(false);
        // "标题: 电话 " is 11 columns wide: four wide characters, colon, two spaces.
        assert!(
            s.contains(&format!("  | {}{}\n", " ".repeat(11), "^".repeat(11))),
            "{s}"
        );
    }

    #[test]
    fn closest_key() {
        let keys = ["duration", "date", "title", "tags"];
        assert_eq!(closest("durtion", keys, 2), Some("duration"));
        assert_eq!(closest("titel", keys, 2), Some("title"));
        assert_eq!(closest("tag", keys, 2), Some("tags"));
        assert_eq!(closest("photograph", keys, 2), None);
        // a two-letter key is not "close" to every other short key
        assert_eq!(closest("qq", ["id", "tags"], 2), None);
    }

    #[test]
    fn sorted_is_stable_and_deduplicated() {
        let a = Diagnostic::error("b").in_file("b.md").at(None, 2, 1);
        let b = Diagnostic::error("a").in_file("a.md").at(None, 9, 1);
        let ds = Diagnostics(vec![a.clone(), b.clone(), a.clone()]).sorted();
        assert_eq!(ds.0, vec![b, a]);
        assert_eq!(ds.summary(), "2 个错误");
    }
}
