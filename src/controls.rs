//! Control characters in content. Text pasted from a PDF, Word or a web
//! page can carry NUL, form feeds, vertical tabs and the like; none of them
//! may reach HTML or XML (a NUL makes atom.xml unreadable). They are taken
//! out when a file is read — vertical tab, form feed and NEL become a space
//! so that the words beside them stay apart — and the file gets one warning
//! naming where the first was. Escapes in YAML strings (`"\0"`) are taken
//! out of the values the same way, silently: the text on disk is clean.

use std::borrow::Cow;

/// Characters no output may carry: C0 controls but tab and newline, DEL,
/// C1 controls, and U+FFFE/U+FFFF, which XML does not allow.
pub(crate) fn is_banned(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n') || c == '\u{FFFE}' || c == '\u{FFFF}'
}

/// Where the first removed character was, and how many there were.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Removed {
    pub line: u32,
    pub col: u32,
    pub count: usize,
}

fn replacement(c: char) -> Option<char> {
    matches!(c, '\u{0B}' | '\u{0C}' | '\u{85}').then_some(' ')
}

/// Whether `s` may hold a banned character, from its bytes alone: C0 and
/// DEL are single bytes, C1 controls `C2 80`–`C2 9F`, U+FFFE/U+FFFF
/// `EF BF BE`/`EF BF BF`. (A scan of the characters costs ten times more on
/// Chinese text, where `EF` starts every full-width comma.)
fn suspicious(s: &str) -> bool {
    let b = s.as_bytes();
    // No early exit: this form is vectorised.
    let c0 = b.iter().fold(false, |found, &c| {
        found | ((c < 0x20 && c != b'\t' && c != b'\n') | (c == 0x7F))
    });
    c0 || (b.contains(&0xC2)
        && b.windows(2)
            .any(|w| w[0] == 0xC2 && (0x80..=0x9F).contains(&w[1])))
        || s.contains('\u{FFFE}')
        || s.contains('\u{FFFF}')
}

/// `s` without banned characters.
pub(crate) fn clean(s: &str) -> Cow<'_, str> {
    if !suspicious(s) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .filter_map(|c| {
                if is_banned(c) {
                    replacement(c)
                } else {
                    Some(c)
                }
            })
            .collect(),
    )
}

/// A whole file's text without banned characters (`\r` must already be
/// gone), and where they were.
pub(crate) fn clean_file(text: String) -> (String, Option<Removed>) {
    if !suspicious(&text) {
        return (text, None);
    }
    let mut out = String::with_capacity(text.len());
    let mut first = None;
    let mut count = 0;
    let (mut line, mut col) = (1u32, 1u32);
    for c in text.chars() {
        if is_banned(c) {
            first.get_or_insert((line, col));
            count += 1;
            if let Some(r) = replacement(c) {
                out.push(r);
                col += 1;
            }
            continue;
        }
        out.push(c);
        if c == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    let removed = first.map(|(line, col)| Removed { line, col, count });
    (out, removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_and_tells_where() {
        let (t, r) = clean_file("标题\n正文\u{0}一\u{0C}二\u{7}\u{85}\n".to_string());
        assert_eq!(t, "标题\n正文一 二 \n");
        assert_eq!(
            r,
            Some(Removed {
                line: 2,
                col: 3,
                count: 4
            })
        );
        let (t, r) = clean_file("制表\t符\n和「引号」\u{FEFF}".to_string());
        assert_eq!(t, "制表\t符\n和「引号」\u{FEFF}");
        assert_eq!(r, None);
        assert_eq!(clean("a\u{FFFF}b\u{1B}[0m"), "ab[0m");
        assert_eq!(clean("x\u{9F}y\u{FFFE}"), "xy");
        assert!(matches!(
            clean("全角，逗号\u{FF5E}\u{A0}"),
            Cow::Borrowed(_)
        ));
    }
}
