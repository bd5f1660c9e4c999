//! Property tests (proptest) over what reads editors' input: the front
//! matter reader (YAML with its slip repairs), the quiz reader, Markdown
//! rendering and the whole parse of one file. Whatever the text: no panic,
//! positions inside the file, messages in Chinese, HTML that is balanced,
//! carries no control character and no script.
//!
//! A normal `cargo test` runs 128 cases a property (a few seconds); for a
//! longer run: `PROPTEST_CASES=20000 cargo test --release --test fuzz`.
//! Inputs that once failed are kept as plain tests at the end.

use std::collections::HashSet;
use std::path::Path;

use proptest::prelude::*;
use zhibu::parse::markdown::{FileSet, MdContext, render};
use zhibu::parse::privacy::Allow;
use zhibu::parse::reader::Reader;
use zhibu::parse::{Kind, ParseContext, front, parse_file, quiz, yaml};

fn config() -> ProptestConfig {
    let mut c = ProptestConfig::default();
    if std::env::var("PROPTEST_CASES").is_err() {
        c.cases = 128;
    }
    c
}

/// Text made of the pieces editors' slips are made of.
fn slippy(pieces: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(pieces).prop_map(str::to_string),
            1 => any::<char>().prop_map(|c| c.to_string()),
        ],
        0..max,
    )
    .prop_map(|v| v.concat())
}

const YAML_PIECES: &[&str] = &[
    "title",
    "date",
    "tags",
    "quiz",
    "questions",
    "type",
    "answer",
    "options",
    "duration",
    "pass",
    "心得",
    "党章",
    "A",
    "c",
    "Ａ",
    "2024",
    "5",
    "年",
    "月",
    "日",
    "/",
    ".",
    ":",
    "：",
    ": ",
    "：",
    "\n",
    "\n",
    "\n  ",
    "\n    ",
    "\n\t",
    "\t",
    " ",
    "\u{3000}",
    "\u{a0}",
    "\u{200B}",
    "\u{FEFF}",
    "- ",
    "－ ",
    "— ",
    "\"",
    "'",
    "“",
    "”",
    "‘",
    "’",
    "＂",
    "[",
    "]",
    "［",
    "］",
    "{",
    "}",
    ",",
    "，",
    "、",
    "#",
    " #",
    "|",
    ">",
    "&a",
    "*a",
    "!",
    "@",
    "%",
    "`",
    "\\",
    "---",
    "——",
    "...",
    "single",
    "multiple",
    "judge",
    "fill",
    "对",
    "\0",
    "\u{7}",
    "\u{85}",
];

const MD_PIECES: &[&str] = &[
    "# ",
    "## ",
    "### 解析",
    "\n",
    "\n\n",
    "*",
    "**",
    "_",
    "`",
    "```",
    "~~",
    "[",
    "]",
    "(",
    ")",
    "](",
    "![",
    "<",
    ">",
    "</",
    "/>",
    "<script>",
    "</script>",
    "<div",
    "<img src=x onerror=alert(1)>",
    " onclick=\"x()\"",
    "javascript:",
    "JaVaScRiPt:",
    "vbscript:",
    "data:text/html,",
    "data:image/png,",
    "http://a.cn",
    "@/lessons/a.md",
    "../",
    "#x",
    "{#id}",
    "|",
    "|---|",
    "- ",
    "1. ",
    "> ",
    "[^1]",
    "[^1]: 注",
    "- [x] ",
    "&amp;",
    "&#x6A;",
    "\"",
    "'",
    "=",
    " ",
    "\t",
    "党",
    "\0",
    "\u{C}",
    "\u{B}",
    "<iframe src=x>",
    "<a href=\"javascript:x\">",
    "<style>",
    "<!--",
    "-->",
    "<![CDATA[",
    "\\",
];

fn context_files() -> HashSet<String> {
    ["lessons/a.md", "lessons/x.md", "lessons/img.png"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// Every tag opened is closed, in order (void elements aside), and no
/// attribute starts with `on`: a small HTML tokenizer, enough for the
/// serialised output of pulldown-cmark and ammonia.
/// The quoted values of the URL attributes of one (lower-cased) tag as a
/// browser reads them: character references decoded, tabs and newlines taken out,
/// leading spaces and control characters trimmed. (`*javascript:` is a
/// relative path; only a value that starts with a scheme runs.)
fn attribute_values(tag: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = tag;
    while let Some(k) = rest.find(['"', '\'']) {
        let q = rest.as_bytes()[k] as char;
        let after = &rest[k + 1..];
        let end = after.find(q).unwrap_or(after.len());
        let raw = &after[..end];
        let before = rest[..k].trim_end().trim_end_matches('=').trim_end();
        let name_at = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || "-_:".contains(c)))
            .map_or(0, |i| i + 1);
        let url = [
            "href",
            "src",
            "srcset",
            "action",
            "formaction",
            "poster",
            "data",
            "cite",
            "background",
            "xlink:href",
        ]
        .contains(&&before[name_at..]);
        rest = after.get(end + 1..).unwrap_or("");
        if !url {
            continue;
        }
        let mut v = String::new();
        let mut chars = raw.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '&' {
                v.push(c);
                continue;
            }
            let name: String = chars.by_ref().take_while(|&c| c != ';').collect();
            let decoded = match name.as_str() {
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                n => n
                    .strip_prefix("#x")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| n.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            v.extend(decoded);
        }
        let v: String = v
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        out.push(
            v.trim_start_matches(|c: char| c <= ' ')
                .to_ascii_lowercase(),
        );
    }
    out
}

fn check_html(html: &str) -> Result<(), String> {
    const VOID: &[&str] = &["br", "hr", "img", "input", "source", "track", "wbr", "col"];
    if let Some(c) = html
        .chars()
        .find(|&c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(format!("control character U+{:04X}", c as u32));
    }
    let lower = html.to_ascii_lowercase();
    let mut stack: Vec<String> = Vec::new();
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let close = b.get(i + 1) == Some(&b'/');
        let start = if close { i + 2 } else { i + 1 };
        let mut j = start;
        while j < b.len() && (b[j].is_ascii_alphanumeric()) {
            j += 1;
        }
        let name = html[start..j].to_ascii_lowercase();
        if name.is_empty() {
            return Err(format!("a bare < at {i}"));
        }
        // To the end of the tag, skipping quoted attribute values.
        let mut quote = None;
        while j < b.len() {
            match (quote, b[j]) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, b'"') | (None, b'\'') => quote = Some(b[j]),
                (None, b'>') => break,
                (None, c) if c.is_ascii_whitespace() => {
                    let rest = &lower[j + 1..];
                    if rest.starts_with("on") {
                        return Err(format!("event attribute at {j}"));
                    }
                }
                _ => {}
            }
            j += 1;
        }
        if ["script", "iframe", "style", "object", "embed", "form"].contains(&name.as_str()) {
            return Err(format!("<{name}> in output"));
        }
        let tag = &lower[i..j.min(b.len())];
        for value in attribute_values(tag) {
            for bad in ["javascript:", "vbscript:", "data:text"] {
                if value.starts_with(bad) {
                    return Err(format!("{bad} in a tag"));
                }
            }
        }
        if close {
            match stack.pop() {
                Some(open) if open == name => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
        } else if !VOID.contains(&name.as_str()) && !html[i..=j.min(b.len() - 1)].ends_with("/>") {
            stack.push(name);
        }
        i = j + 1;
    }
    if stack.is_empty() {
        Ok(())
    } else {
        Err(format!("unclosed {stack:?}"))
    }
}

fn md(body: &str) -> zhibu::parse::markdown::Markdown {
    let files = context_files();
    render(
        body,
        &MdContext {
            dir: "lessons",
            body_line: 5,
            files: &FileSet::new(&files),
        },
    )
}

/// Parses a whole file and checks what comes out.
fn whole_file(text: &str) -> Result<(), TestCaseError> {
    let Ok(file) = zhibu::load::split(text.to_string(), Path::new("x.md"), "lessons/x.md") else {
        return Ok(());
    };
    let lines = file.text.lines().count() as u32 + 1;
    let files = context_files();
    let allow = Allow::new(&[]);
    let ctx = ParseContext {
        offset: chrono::FixedOffset::east_opt(8 * 3600).unwrap(),
        allow: &allow,
        files: &files,
    };
    let (page, diags) = parse_file(file, &ctx);
    for d in &diags {
        prop_assert!(d.line <= lines, "line {} of {lines}: {d}", d.line);
        prop_assert!(
            d.message
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{d}"
        );
        // Rendering a message never panics either (carets under any text).
        let _ = d.render(false);
    }
    if let Some(p) = page {
        if let Err(e) = check_html(&p.md.html) {
            return Err(TestCaseError::fail(format!("{e}: {}", p.md.html)));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn yaml_reader_never_panics_and_stays_in_the_text(text in slippy(YAML_PIECES, 60)) {
        // Files reach the reader with line ends made \n (load::decode); a
        // lone \r would be a line end of YAML's own that lines() ignores.
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let lines = text.lines().count() as u32 + 1;
        match yaml::parse(&text) {
            Ok(node) => {
                let mut all = Vec::new();
                node.strings(&mut all);
                for (pos, s) in all {
                    prop_assert!(pos.line <= lines && pos.col >= 1, "{pos:?}");
                    prop_assert!(!s.chars().any(|c| c.is_control() && c != '\n' && c != '\t'), "{s:?}");
                }
            }
            Err(e) => {
                prop_assert!(e.pos.line >= 1 && e.pos.line <= lines, "{e:?} in {lines} lines");
                prop_assert!(e.pos.col >= 1, "{e:?}");
                prop_assert!(e.message.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{e:?}");
            }
        }
    }

    #[test]
    fn front_matter_and_quiz_readers_never_panic(text in slippy(YAML_PIECES, 80)) {
        let Ok(file) = zhibu::load::split(format!("---\n{text}\n---\n"), Path::new("x.md"), "lessons/x.md") else {
            return Ok(());
        };
        let Ok(node) = yaml::parse(file.front()) else { return Ok(()) };
        for kind in [Kind::Lesson, Kind::Member, Kind::Activity, Kind::Page, Kind::Section] {
            let mut r = Reader::new(&file, chrono::FixedOffset::east_opt(8 * 3600).unwrap());
            let _ = front::read_front(&mut r, kind, &node);
            let mut r = Reader::new(&file, chrono::FixedOffset::east_opt(8 * 3600).unwrap());
            let _ = quiz::parse_quiz(&mut r, &node);
            for d in r.diags {
                let _ = d.render(false);
            }
        }
    }

    #[test]
    fn markdown_is_balanced_and_script_free(body in slippy(MD_PIECES, 80)) {
        let m = md(&body);
        if let Err(e) = check_html(&m.html) {
            return Err(TestCaseError::fail(format!("{e}: {:?} -> {}", body, m.html)));
        }
        prop_assert_eq!(m.anchors.iter().collect::<HashSet<_>>().len(), m.anchors.len());
    }

    #[test]
    fn whole_files_parse_without_panics(
        front in slippy(YAML_PIECES, 40),
        body in slippy(MD_PIECES, 40),
        fences in prop::sample::select(&["---", "——", "+++", "", "－－－"][..]),
    ) {
        whole_file(&format!("{fences}\n{front}\n{fences}\n{body}"))?;
    }

    #[test]
    fn any_text_at_all(text in any::<String>()) {
        whole_file(&text)?;
        whole_file(&format!("---\ntitle: x\n---\n{text}"))?;
        let _ = yaml::parse(&text);
    }
}

// Inputs the properties above once failed on.

#[test]
fn regression_inputs() {
    whole_file("---\ntitle: x\n---\n").unwrap();
    // A scheme in text is only text.
    check_html(&md("### 解析javascript:# ").html).unwrap();
    // A relative path that merely contains a scheme's name.
    check_html(&md("![](*javascript:)").html).unwrap();
    // Words in alt text are only words.
    check_html(&md("![javascript:](*)").html).unwrap();
    assert!(check_html("<a href=\" jav&#x61;script&colon;x\">x</a>").is_err());
    // A footnote defined twice: one element with its id, not two.
    let m = md("[^1]: 注\n[^1]: 注");
    check_html(&m.html).unwrap();
    assert_eq!(
        m.html.matches("class=\"footnote-definition\"").count(),
        1,
        "{}",
        m.html
    );
    assert_eq!(
        m.anchors.iter().collect::<HashSet<_>>().len(),
        m.anchors.len()
    );
}
