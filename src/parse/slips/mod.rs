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
//!   (`[A，C]`, `[党史、理论]`);
//! - a one-line map in braces (also full-width `｛…｝`) read the same way,
//!   with a full-width or unspaced colon after a known key inside it
//!   (`attendance: {应到：19，实到：17，请假：1，缺席：1}`).
//!
//! Every repair keeps lines; those that change a line's length are
//! recorded so that positions reported on the repaired text are mapped
//! back to the editor's own columns.

mod values;

use crate::fences::is_space;
use crate::parse::yaml::Pos;
use values::{repair_value, split_comment, starts_block_scalar, track_open};

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
    "应到",
    "实到",
    "请假",
    "缺席",
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
    // study plans (parse/plan.rs) and their items
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
/// comma, minus, quote, brackets), U+FF5B and U+FF5D (full-width braces).
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
            matches!(b.get(i + 1), Some(0xBC | 0xBB))
                || matches!(
                    b.get(i + 1..i + 3),
                    Some(&[0xB9, 0xA3] | &[0xBD, 0x9B] | &[0xBD, 0x9D])
                )
        }
        _ => false,
    })
}

/// A known key at the start of a line, or inside a one-line `{…}` map,
/// with no space after its colon.
fn has_tight_colon(front: &str) -> bool {
    let tight = |t: &str| match t.trim_start_matches(' ').split_once(':') {
        Some((key, rest)) => {
            !rest.is_empty() && !rest.starts_with(' ') && KNOWN_KEYS.contains(&key)
        }
        None => false,
    };
    front.lines().any(|l| {
        let t = l.trim_start_matches(' ');
        let t = t.strip_prefix("- ").unwrap_or(t);
        tight(t) || (t.contains('{') && t.split(['{', ',']).skip(1).any(tight))
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
    if flow_map(value, out) {
        return;
    }
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

/// A one-line map `{应到：19，实到：17}` (also in `｛｝`): its braces, the
/// Chinese commas or 顿号 between its items when it has no ASCII comma,
/// and a full-width or unspaced colon after a known key, written as YAML.
/// False, with nothing written, when `value` is not such a map (maps with
/// quotes or nested brackets are left to the YAML parser).
fn flow_map(value: &str, out: &mut Line) -> bool {
    let (main, comment) = split_comment(value);
    let trimmed = main.trim_end_matches(is_space);
    let trailing = &main[trimmed.len()..];
    let Some(inner) = trimmed
        .strip_prefix(['{', '｛'])
        .and_then(|s| s.strip_suffix(['}', '｝']))
    else {
        return false;
    };
    if inner.contains(|c: char| "{}[]［］｛｝\"'“”‘’＂".contains(c)) {
        return false;
    }
    let seps: &[char] = if inner.contains(',') {
        &[',']
    } else {
        &[',', '，', '、']
    };
    out.push('{');
    for (i, item) in inner.split(seps).enumerate() {
        if i > 0 {
            out.push(',');
        }
        let lead = item.len() - item.trim_start_matches(is_space).len();
        for _ in item[..lead].chars() {
            out.push(' ');
        }
        let value = key_and_colon(&item[lead..], out);
        let value = value_start(value, out);
        out.push_visible(value);
    }
    out.push('}');
    out.push_visible(trailing);
    out.push_visible(comment);
    true
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

#[cfg(test)]
mod tests;
