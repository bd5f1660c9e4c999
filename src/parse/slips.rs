//! Editors' slips in YAML front matter that have one sensible meaning,
//! repaired before the YAML parser sees the text. What is repaired (each
//! only outside block scalars `|`/`>` and multi-line quotes or lists):
//!
//! - a full-width colon after a known key (`duration：20`), or a known key
//!   with no space after its colon (`date:2024-05-04`);
//! - full-width, no-break and other Unicode spaces in the indentation, after
//!   a colon or a list dash (pasted from Word or WeChat); zero-width
//!   characters and stray byte-order marks anywhere;
//! - tab indentation, when every indented line uses tabs only (two spaces
//!   a tab; mixed with spaces it is ambiguous and named by
//!   [`yaml_errors`](super::yaml_errors));
//! - a list dash typed as `－`, `—`, `–` or `−`;
//! - a value wrapped in smart or full-width quotes (`“…”`, `‘…’`, `＂…＂`,
//!   also mixed with straight ones), read as a quoted value;
//! - a one-line list in full-width brackets `［…］`, and Chinese commas or
//!   顿号 between the items of a one-line list that has no ASCII comma
//!   (`[A，C]`, `[党史、理论]`).
//!
//! Every repair keeps lines; those that change a line's length are
//! recorded so that positions reported on the repaired text are mapped
//! back to the editor's own columns.

use crate::fences::is_space;
use crate::parse::yaml::Pos;

/// Keys SPEC names, for the repairs that need to know a key is meant.
pub(crate) const KNOWN_KEYS: &[&str] = &[
    "title",
    "name",
    "date",
    "updated",
    "summary",
    "tags",
    "slug",
    "draft",
    "cover",
    "weight",
    "quiz",
    "course",
    "order",
    "duration",
    "video",
    "audio",
    "attachments",
    "photo",
    "role",
    "class",
    "honors",
    "motto",
    "featured",
    "end",
    "location",
    "kind",
    "participants",
    "volunteer_hours",
    "gallery",
    "meeting",
    "attendance",
    "expected",
    "present",
    "leave",
    "absent",
    "host",
    "recorder",
    "agenda",
    "decisions",
    "signup",
    "url",
    "deadline",
    "note",
    "category",
    "start",
    "contact",
    "due",
    "items",
    "page",
    "required",
    "paginate_by",
    "sort_by",
    "pass",
    "shuffle",
    "questions",
    "type",
    "question",
    "options",
    "answer",
    "explain",
];

/// A change of length in one repaired line: from column `from` (of the
/// repaired line) on, columns are `delta` more than the editor's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Shift {
    line: u32,
    from: u32,
    delta: i32,
}

/// The front matter with its slips repaired.
#[derive(Debug, Default)]
pub(crate) struct Repaired {
    pub text: String,
    shifts: Vec<Shift>,
}

impl Repaired {
    /// Where a position of the repaired text is in the editor's text.
    pub(crate) fn original(&self, p: Pos) -> Pos {
        let start = self.shifts.partition_point(|s| s.line < p.line);
        let mut col = p.col as i64;
        for s in self.shifts[start..].iter().take_while(|s| s.line == p.line) {
            if p.col >= s.from {
                col -= s.delta as i64;
            }
        }
        Pos {
            line: p.line,
            col: col.max(1) as u32,
        }
    }
}

/// Byte sequences that start every character a repair looks for: tab,
/// U+00A0, U+2000–U+206F (spaces, zero-width, dashes, smart quotes),
/// U+2212, U+3000 and 、, U+FE63, U+FEFF, U+FF00–U+FF3F (full-width colon,
/// comma, minus, quote, brackets).
fn has_trigger(front: &str) -> bool {
    let b = front.as_bytes();
    (0..b.len()).any(|i| match b[i] {
        b'\t' => true,
        0xC2 => b.get(i + 1) == Some(&0xA0),
        0xE2 => {
            matches!(b.get(i + 1), Some(0x80 | 0x81)) || b.get(i + 1..i + 3) == Some(&[0x88, 0x92])
        }
        0xE3 => b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0x80 | 0x81)),
        0xEF => {
            matches!(b.get(i + 1), Some(0xBC | 0xBB)) || b.get(i + 1..i + 3) == Some(&[0xB9, 0xA3])
        }
        _ => false,
    })
}

/// A known key at the start of a line with no space after its colon.
fn has_tight_colon(front: &str) -> bool {
    front.lines().any(|l| {
        let t = l.trim_start_matches(' ');
        let t = t.strip_prefix("- ").unwrap_or(t);
        match t.split_once(':') {
            Some((key, rest)) => {
                !rest.is_empty() && !rest.starts_with(' ') && KNOWN_KEYS.contains(&key)
            }
            None => false,
        }
    })
}

/// Repairs the slips listed in the module documentation.
pub(crate) fn repair(front: &str) -> Repaired {
    // Most front matter has none: the line-by-line rewrite is for the rest.
    if !has_trigger(front) && !has_tight_colon(front) {
        return Repaired {
            text: front.to_string(),
            shifts: Vec::new(),
        };
    }
    let tabs = tabs_only(front);
    let mut out = Repaired {
        text: String::with_capacity(front.len() + 16),
        shifts: Vec::new(),
    };
    let mut state = State::default();
    for (i, raw) in front.split_inclusive('\n').enumerate() {
        let line_no = i as u32 + 1;
        let (body, nl) = match raw.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (raw, ""),
        };
        let mut line = Line::new(line_no);
        repair_line(body, tabs, &mut state, &mut line);
        out.text.push_str(&line.text);
        out.text.push_str(nl);
        out.shifts.extend(line.shifts);
    }
    out
}

/// True when some line is indented with a tab and none with a space.
fn tabs_only(front: &str) -> bool {
    let mut tab = false;
    for l in front.lines() {
        if l.trim().is_empty() {
            continue;
        }
        let lead: String = l.chars().take_while(|&c| is_space(c)).collect();
        if lead.contains('\t') {
            tab = true;
        }
        if lead.chars().any(|c| c != '\t') {
            return false;
        }
    }
    tab
}

/// What the lines before left open.
#[derive(Debug, Default)]
struct State {
    /// Inside a block scalar whose key is indented this much.
    block: Option<usize>,
    /// Inside a quoted value that went on past its line.
    quote: Option<char>,
    /// Inside a `[`/`{` list that went on past its line (depth).
    flow: usize,
}

/// One line being rewritten, with its column shifts.
struct Line {
    no: u32,
    text: String,
    /// Characters written so far (the next one's column is `cols + 1`).
    cols: u32,
    shifts: Vec<Shift>,
}

impl Line {
    fn new(no: u32) -> Self {
        Line {
            no,
            text: String::new(),
            cols: 0,
            shifts: Vec::new(),
        }
    }
    fn push(&mut self, c: char) {
        self.text.push(c);
        self.cols += 1;
    }
    fn push_str(&mut self, s: &str) {
        for c in s.chars() {
            self.push(c);
        }
    }
    /// Records that the text from here on is `delta` columns longer.
    fn shift(&mut self, delta: i32) {
        self.shifts.push(Shift {
            line: self.no,
            from: self.cols + 1,
            delta,
        });
    }
    /// Writes `s` without the zero-width characters in it.
    fn push_visible(&mut self, s: &str) {
        for c in s.chars() {
            if is_zero_width(c) {
                self.shift(-1);
            } else {
                self.push(c);
            }
        }
    }
}

fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

fn repair_line(body: &str, tabs: bool, state: &mut State, out: &mut Line) {
    let lead_len = body.len() - body.trim_start_matches(is_space).len();
    let (lead, rest) = body.split_at(lead_len);
    let blank = rest.is_empty();
    let indent = lead.chars().filter(|c| !is_zero_width(*c)).count();
    if let Some(key_indent) = state.block {
        if blank || indent > key_indent {
            out.push_visible(body);
            return;
        }
        state.block = None;
    }
    if state.quote.is_some() || state.flow > 0 {
        out.push_visible(body);
        track_open(rest, state);
        return;
    }
    // Indentation: spaces only.
    for c in lead.chars() {
        match c {
            '\t' if tabs => {
                out.push_str("  ");
                out.shift(1);
            }
            '\t' => out.push('\t'),
            c if is_zero_width(c) => out.shift(-1),
            _ => out.push(' '),
        }
    }
    if blank {
        return;
    }
    let rest = list_dashes(rest, out);
    let value = key_and_colon(rest, out);
    let value = value_start(value, out);
    let written = repair_value(value);
    if starts_block_scalar(&written) {
        state.block = Some(indent);
    }
    out.push_visible(&written);
    track_open(&written, state);
}

/// `- `, `－ `, `— ` … (nested too): written as `- `.
fn list_dashes<'a>(mut rest: &'a str, out: &mut Line) -> &'a str {
    loop {
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { return rest };
        let dash = c == '-' || matches!(c, '－' | '—' | '–' | '−' | '﹣');
        let after = chars.next();
        if !dash || !after.is_some_and(is_space) {
            return rest;
        }
        out.push_str("- ");
        rest = &rest[c.len_utf8() + after.map_or(0, char::len_utf8)..];
        // More spaces after the dash are kept as spaces.
        let more = rest.len() - rest.trim_start_matches(is_space).len();
        for _ in rest[..more].chars() {
            out.push(' ');
        }
        rest = &rest[more..];
    }
}

/// A known key followed by `：`, or by `:` with no space: written as
/// `key: `. Returns what follows the key and its colon (or all of `rest`
/// when it does not start with a key).
fn key_and_colon<'a>(rest: &'a str, out: &mut Line) -> &'a str {
    let key_len = rest
        .find(|c: char| is_space(c) || ":：\"'[]{}#,“”‘’".contains(c))
        .unwrap_or(rest.len());
    let key = &rest[..key_len];
    let after_key = &rest[key_len..];
    let gap = after_key.len() - after_key.trim_start_matches(is_space).len();
    let colon = after_key[gap..].chars().next();
    let known = KNOWN_KEYS.contains(&key);
    match colon {
        Some(':') | Some('：') if !key.is_empty() => {
            let after = &after_key[gap + colon.map_or(0, char::len_utf8)..];
            let next = after.chars().next();
            let spaced = next.is_none_or(is_space);
            if colon == Some('：') && !known {
                return rest;
            }
            if !spaced && (!known || next == Some(':')) {
                return rest;
            }
            out.push_str(key);
            for _ in after_key[..gap].chars() {
                out.push(' ');
            }
            out.push(':');
            if !spaced {
                out.shift(1);
                out.push(' ');
            }
            after
        }
        _ => rest,
    }
}

/// The spaces between a colon and its value, as ASCII spaces.
fn value_start<'a>(value: &'a str, out: &mut Line) -> &'a str {
    let gap = value.len() - value.trim_start_matches(is_space).len();
    for c in value[..gap].chars() {
        if is_zero_width(c) {
            out.shift(-1);
        } else {
            out.push(' ');
        }
    }
    &value[gap..]
}

const DOUBLE_OPEN: &[char] = &['"', '“', '”', '„', '＂'];
const DOUBLE_CLOSE: &[char] = &['"', '“', '”', '＂'];
const SINGLE: &[char] = &['\'', '‘', '’'];

/// A value in smart quotes as a quoted value, a one-line list's brackets
/// and separators. Same number of characters as `value`.
fn repair_value(value: &str) -> String {
    let (main, comment) = split_comment(value);
    let trimmed = main.trim_end_matches(is_space);
    let trailing = &main[trimmed.len()..];
    let mut v = requote(trimmed);
    if let Some(inner) = v.strip_prefix('［').and_then(|s| s.strip_suffix('］')) {
        v = format!("[{inner}]");
    }
    if let Some(inner) = v.strip_prefix('[').and_then(|s| s.strip_suffix(']'))
        && !inner.contains(',')
        && inner.contains(['，', '、'])
    {
        let items: Vec<String> = inner.split(['，', '、']).map(requote_item).collect();
        v = format!("[{}]", items.join(","));
    } else if let Some(inner) = v.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        let items: Vec<String> = inner.split(',').map(requote_item).collect();
        v = format!("[{}]", items.join(","));
    }
    format!("{v}{trailing}{comment}")
}

/// One item of a one-line list, its spaces kept.
fn requote_item(item: &str) -> String {
    let start = item.len() - item.trim_start_matches(is_space).len();
    let end = item.trim_end_matches(is_space).len().max(start);
    format!(
        "{}{}{}",
        &item[..start],
        requote(&item[start..end]),
        &item[end..]
    )
}

/// `“…”` (and mixed) as `"…"`, `‘…’` as `'…'`, when nothing inside would
/// need escaping; anything else unchanged.
fn requote(v: &str) -> String {
    let mut chars = v.chars();
    let (Some(open), Some(close)) = (chars.next(), chars.next_back()) else {
        return v.to_string();
    };
    let inner = chars.as_str();
    let smart = !(open.is_ascii() && close.is_ascii());
    if smart
        && DOUBLE_OPEN.contains(&open)
        && DOUBLE_CLOSE.contains(&close)
        && !inner.contains(DOUBLE_OPEN)
        && !inner.contains('\\')
    {
        return format!("\"{inner}\"");
    }
    if smart && SINGLE.contains(&open) && SINGLE.contains(&close) && !inner.contains(SINGLE) {
        return format!("'{inner}'");
    }
    v.to_string()
}

/// The value and its ` # comment` (a `#` after a space, outside quotes).
fn split_comment(v: &str) -> (&str, &str) {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in v.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'') && (i == 0 || "[{, ".contains(prev)) => quote = Some(c),
            None if c == '#' && is_space(prev) && i > 0 => return v.split_at(i),
            None => {}
        }
        prev = c;
    }
    (v, "")
}

fn starts_block_scalar(v: &str) -> bool {
    let (main, _) = split_comment(v);
    let t = main.trim_end_matches(is_space);
    let mut chars = t.chars();
    matches!(chars.next(), Some('|') | Some('>'))
        && chars.all(|c| c == '+' || c == '-' || c.is_ascii_digit())
}

/// Quotes and brackets a value leaves open at the end of its line.
fn track_open(v: &str, state: &mut State) {
    let mut prev = ' ';
    let mut escaped = false;
    let mut chars = v.chars().peekable();
    while let Some(c) = chars.next() {
        match state.quote {
            Some('"') if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            // '' inside single quotes is one quote.
            Some('\'') if c == '\'' && chars.peek() == Some(&'\'') => {
                chars.next();
            }
            Some(q) if c == q => state.quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'') && "[{,: ".contains(prev) => state.quote = Some(c),
            None if c == '#' && is_space(prev) => return,
            None if c == '[' || c == '{' => state.flow += 1,
            None if (c == ']' || c == '}') && state.flow > 0 => state.flow -= 1,
            None => {}
        }
        prev = c;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(s: &str) -> String {
        repair(s).text
    }

    #[test]
    fn full_width_colon_after_a_known_key() {
        assert_eq!(fixed("duration：20\n"), "duration: 20\n");
        assert_eq!(fixed("title：党章\n"), "title: 党章\n");
        assert_eq!(fixed("  - type：single\n"), "  - type: single\n");
        assert_eq!(fixed("date:2024-05-04\n"), "date: 2024-05-04\n");
        // Unknown keys and colons inside values are left alone.
        assert_eq!(fixed("心得：很好\n"), "心得：很好\n");
        assert_eq!(fixed("title: 会议：主题\n"), "title: 会议：主题\n");
        assert_eq!(fixed("  - A：实现共产主义\n"), "  - A：实现共产主义\n");
        assert_eq!(fixed("- https://x.cn\n"), "- https://x.cn\n");
    }

    #[test]
    fn positions_map_back() {
        let r = repair("title: x\nduration：20\n");
        // `20` is at column 11 after the repair, column 10 as written.
        assert_eq!(
            r.original(Pos { line: 2, col: 11 }),
            Pos { line: 2, col: 10 }
        );
        assert_eq!(r.original(Pos { line: 2, col: 1 }), Pos { line: 2, col: 1 });
        assert_eq!(r.original(Pos { line: 1, col: 8 }), Pos { line: 1, col: 8 });
        let r = repair("quiz:\n\tpass: 80\n");
        assert_eq!(r.text, "quiz:\n  pass: 80\n");
        assert_eq!(r.original(Pos { line: 2, col: 3 }), Pos { line: 2, col: 2 });
    }

    #[test]
    fn pasted_spaces_and_dashes() {
        assert_eq!(fixed("title:\u{3000}党章\n"), "title: 党章\n");
        assert_eq!(fixed("\u{3000}\u{3000}pass: 1\n"), "  pass: 1\n");
        assert_eq!(fixed("tags:\n\u{a0}\u{a0}－ 党史\n"), "tags:\n  - 党史\n");
        assert_eq!(fixed("\u{200B}title: a\u{FEFF}\n"), "title: a\n");
        // Spaces inside a value are the editor's.
        assert_eq!(
            fixed("title: 党章\u{3000}学习\n"),
            "title: 党章\u{3000}学习\n"
        );
    }

    #[test]
    fn smart_quotes_and_lists() {
        assert_eq!(fixed("title: “会议: 主题”\n"), "title: \"会议: 主题\"\n");
        assert_eq!(fixed("title: \"会议: 主题”\n"), "title: \"会议: 主题\"\n");
        assert_eq!(fixed("title: ‘a’ # 注\n"), "title: 'a' # 注\n");
        assert_eq!(
            fixed("title: “不忘初心”主题党日\n"),
            "title: “不忘初心”主题党日\n"
        );
        assert_eq!(fixed("answer: [A，C]\n"), "answer: [A,C]\n");
        assert_eq!(fixed("answer: ［A、C］\n"), "answer: [A,C]\n");
        assert_eq!(
            fixed("tags: [“党史”, “理论”]\n"),
            "tags: [\"党史\", \"理论\"]\n"
        );
        assert_eq!(
            fixed("options: [全心全意，为人民服务, 其他]\n"),
            "options: [全心全意，为人民服务, 其他]\n"
        );
    }

    #[test]
    fn block_scalars_and_multiline_values_are_left_alone() {
        let t = "summary: |\n  duration：20\n  “引”\ntitle：x\n";
        assert_eq!(fixed(t), "summary: |\n  duration：20\n  “引”\ntitle: x\n");
        let t = "title: \"第一行\n  title：x\"\nduration：1\n";
        assert_eq!(fixed(t), "title: \"第一行\n  title：x\"\nduration: 1\n");
    }

    #[test]
    fn untouched_front_matter_is_copied_as_is() {
        let t = "title: 党章学习\ndate: 2024-05-04 14:30\ntags: [党史, 理论]\nvideo: https://x.cn/a.mp4\n";
        assert!(!has_trigger(t) && !has_tight_colon(t));
        assert_eq!(fixed(t), t);
        for slip in [
            "a：b", "a\tb", "“", "，", "－", "\u{3000}", "\u{a0}", "\u{200B}", "\u{FEFF}", "−",
            "﹣", "、",
        ] {
            assert!(has_trigger(slip), "{slip:?}");
        }
        assert!(has_tight_colon("date:2024-05-04"));
    }

    #[test]
    fn mixed_tabs_are_not_guessed() {
        assert_eq!(
            fixed("quiz:\n  pass: 1\n\tshuffle: true\n"),
            "quiz:\n  pass: 1\n\tshuffle: true\n"
        );
    }
}
