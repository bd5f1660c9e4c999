//! Where a content file's front matter starts and ends. The fences are
//! `---` lines; editors' usual slips around them are understood when they
//! have one meaning (blank lines before the first fence, dashes typed with
//! a Chinese input method such as `——` or `－－－`, spaces pasted from Word
//! after the dashes) and named exactly when not: TOML `+++` front matter is
//! shown converted to YAML, and a missing closing fence is reported where
//! the body seems to begin.

use std::ops::Range;

use crate::diagnostics::Diagnostic;

/// Byte ranges and first lines of the YAML and of the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Fences {
    pub front: Range<usize>,
    pub body: Range<usize>,
    pub front_line: u32,
    pub body_line: u32,
}

/// Characters that are a dash when a whole line is made of them: ASCII,
/// full width, em and en dashes, box drawing, the minus sign.
const DASHES: &[char] = &[
    '-', '－', '—', '–', '―', '─', '━', '‐', '‑', '‒', '−', '﹣', '﹘',
];

/// Whitespace as editors paste it: ASCII, full-width (U+3000), no-break and
/// the other Unicode spaces, and zero-width characters.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
        )
}

/// A line that is a front matter fence: `---`, or at least two dashes of
/// any kind (`——` is what Shift+minus gives in a Chinese input method).
fn is_fence(line: &str) -> bool {
    let mut dashes = 0;
    for c in line.chars() {
        if DASHES.contains(&c) {
            dashes += 1;
        } else if !is_space(c) {
            return false;
        }
    }
    dashes >= 2
}

/// The lines of `text` with their byte offsets (without the `\n`).
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut pos = 0;
    text.split_inclusive('\n').map(move |l| {
        let start = pos;
        pos += l.len();
        (start, l.strip_suffix('\n').unwrap_or(l))
    })
}

const HINT_START: &str =
    "文件第一行写 ---，接着写 title: 标题 等信息，再用一行 --- 结束，然后才是正文";

/// Finds the front matter of `text` (newlines already `\n`).
pub(crate) fn split(text: &str) -> Result<Fences, Diagnostic> {
    let mut all = lines(text).enumerate();
    let first = all.find(|(_, (_, l))| !l.trim_matches(is_space).is_empty());
    let Some((first_idx, (first_at, first_line))) = first else {
        return Err(
            Diagnostic::error("文件是空的：没有 front matter（标题、日期等信息）")
                .at(Some(text), 1, 1)
                .hint(HINT_START),
        );
    };
    let open_line = first_idx as u32 + 1;
    if first_line.trim_matches(is_space) == "+++" {
        return Err(toml_front(text, open_line, first_at + first_line.len() + 1));
    }
    if !is_fence(first_line) {
        return Err(missing_front(text, open_line, first_line));
    }
    let front_start = (first_at + first_line.len() + 1).min(text.len());
    for (idx, (at, line)) in all {
        // A fence starts the line: an indented `---` belongs to a YAML block.
        let starts_line = !line.starts_with(is_space);
        if starts_line && (is_fence(line) || line.trim_end_matches(is_space) == "...") {
            let body_start = (at + line.len() + 1).min(text.len());
            return Ok(Fences {
                front: front_start..at,
                body: body_start..text.len(),
                front_line: open_line + 1,
                body_line: idx as u32 + 2,
            });
        }
    }
    Err(unclosed(text, open_line, front_start))
}

fn missing_front(text: &str, line: u32, first_line: &str) -> Diagnostic {
    let t = first_line.trim_matches(is_space);
    let looks_like_yaml = t
        .split_once([':', '：'])
        .is_some_and(|(k, _)| !k.is_empty() && k.chars().all(|c| c.is_alphanumeric() || c == '_'));
    let message = if looks_like_yaml {
        "front matter 缺少开头的 --- 行"
    } else {
        "文件开头缺少 front matter（--- 之间的标题、日期等信息）"
    };
    let hint = if looks_like_yaml {
        format!("在第 {line} 行之前单独加一行 ---")
    } else {
        HINT_START.to_string()
    };
    Diagnostic::error(message)
        .at(Some(text), line, 1)
        .hint(hint)
}

/// No closing fence: points at the line where the body seems to begin.
fn unclosed(text: &str, open_line: u32, front_start: usize) -> Diagnostic {
    let message = format!("front matter 没有结束：第 {open_line} 行的 --- 之后找不到结束的 --- 行");
    match body_guess(&text[front_start..]) {
        Some(i) => {
            let line = open_line + 1 + i;
            Diagnostic::error(message)
                .at(Some(text), line, 1)
                .hint(format!(
                    "正文好像从第 {line} 行开始：在它前面单独加一行 ---"
                ))
        }
        None => Diagnostic::error(message)
            .at(Some(text), open_line, 1)
            .width(3)
            .hint("在标题、日期等信息之后单独写一行 ---，再写正文"),
    }
}

/// The index (from 0) of the first line of `rest` that does not look like
/// YAML: not a `key: value`, a list item, an indented line or a comment —
/// or a `#` line after a blank line, which is a Markdown heading.
fn body_guess(rest: &str) -> Option<u32> {
    let mut after_blank = false;
    for (i, (_, line)) in lines(rest).enumerate() {
        let t = line.trim_matches(is_space);
        if t.is_empty() {
            after_blank = true;
            continue;
        }
        let indented = line.starts_with(is_space);
        let item = t.starts_with("- ") || t == "-";
        let comment = t.starts_with('#');
        let key = t
            .split_once([':', '：'])
            .is_some_and(|(k, _)| !k.trim().is_empty() && !k.contains(' '));
        let yaml = (indented && !after_blank) || item || key || (comment && !after_blank);
        if !yaml {
            return Some(i as u32);
        }
        after_blank = false;
    }
    None
}

/// `+++` front matter: says it is TOML and shows the same keys in YAML.
fn toml_front(text: &str, open_line: u32, inner_start: usize) -> Diagnostic {
    let inner_start = inner_start.min(text.len());
    let rest = &text[inner_start..];
    let end = lines(rest)
        .find(|(_, l)| l.trim_matches(is_space) == "+++")
        .map(|(at, _)| at)
        .unwrap_or(rest.len());
    let d = Diagnostic::error(
        "这里的 front matter 是 TOML 格式（+++ 之间），zhibu 只读 YAML 格式（--- 之间）",
    )
    .at(Some(text), open_line, 1)
    .width(3);
    match toml::from_str::<toml::Table>(&rest[..end]) {
        Ok(table) => d.hint(format!(
            "把两行 +++ 换成 ---，键值改用「键: 值」的写法：\n---\n{}---",
            crate::toml_yaml::to_yaml(&table, 20)
        )),
        Err(_) => d.hint(
            "把两行 +++ 换成 ---，每行写成「键: 值」（冒号后一个空格），例如 title: 党章学习",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_fences() {
        let f = split("---\ntitle: a\n---\nbody\n").unwrap();
        assert_eq!((f.front, f.front_line, f.body_line), (4..13, 2, 4));
    }

    #[test]
    fn chinese_dashes_spaces_and_blank_lines_are_fences() {
        for text in [
            "——\ntitle: a\n——\nbody\n",
            "－－－\ntitle: a\n———\nbody\n",
            "---\u{3000}\ntitle: a\n---\u{a0}\nbody\n",
            "— — —\ntitle: a\n---\nbody\n",
        ] {
            let f = split(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(&text[f.front.clone()], "title: a\n", "{text:?}");
        }
        let f = split("\n\n---\ntitle: a\n---\nbody\n").unwrap();
        assert_eq!((f.front_line, f.body_line), (4, 6));
    }

    #[test]
    fn an_indented_dash_line_is_yaml() {
        let f = split("---\nsummary: |\n  ---\n---\nbody").unwrap();
        assert_eq!(f.body_line, 5);
    }

    #[test]
    fn unclosed_points_at_the_body() {
        let e = split("---\ntitle: a\ndate: 2024-05-04\n\n# 第一节\n\n正文\n").unwrap_err();
        assert_eq!(e.line, 5, "{e}");
        assert!(e.message.contains("没有结束"), "{e}");
        assert!(e.hint.unwrap().contains("第 5 行"));
        let e = split("---\ntitle: a\n正文第一段。\n").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        let e = split("---\ntitle: a\ntags: [x]\n").unwrap_err();
        assert_eq!(e.line, 1, "{e}");
    }

    #[test]
    fn toml_is_named_and_shown_as_yaml() {
        let e =
            split("+++\ntitle = \"党章学习\"\ndate = 2024-05-04\ntags = [\"党史\"]\n+++\n正文\n")
                .unwrap_err();
        assert!(e.message.contains("TOML"), "{e}");
        let hint = e.hint.unwrap();
        assert!(hint.contains("title: 党章学习"), "{hint}");
        assert!(hint.contains("date: 2024-05-04"), "{hint}");
        assert!(hint.contains("tags: [党史]"), "{hint}");
    }

    #[test]
    fn missing_opening_fence() {
        let e = split("title: a\n---\n").unwrap_err();
        assert!(e.message.contains("开头的 ---"), "{e}");
        let e = split("# 标题\n").unwrap_err();
        assert!(e.message.contains("缺少 front matter"), "{e}");
        assert!(split("").is_err());
    }
}
