//! Repairs inside one value: smart quotes, one-line lists, and what a
//! value leaves open (quotes, brackets, block scalars) for the next lines.

use super::State;
use crate::fences::is_space;

const DOUBLE_OPEN: &[char] = &['"', '“', '”', '„', '＂'];
const DOUBLE_CLOSE: &[char] = &['"', '“', '”', '＂'];
const SINGLE: &[char] = &['\'', '‘', '’'];

/// A value in smart quotes as a quoted value, a one-line list's brackets
/// and separators. Same number of characters as `value`.
pub(super) fn repair_value(value: &str) -> String {
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
pub(super) fn split_comment(v: &str) -> (&str, &str) {
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

pub(super) fn starts_block_scalar(v: &str) -> bool {
    let (main, _) = split_comment(v);
    let t = main.trim_end_matches(is_space);
    let mut chars = t.chars();
    matches!(chars.next(), Some('|') | Some('>'))
        && chars.all(|c| c == '+' || c == '-' || c.is_ascii_digit())
}

/// Quotes and brackets a value leaves open at the end of its line.
pub(super) fn track_open(v: &str, state: &mut State) {
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
