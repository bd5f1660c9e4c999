//! YAML errors in plain Chinese, at the place of the mistake. The parser
//! notices a slip where it can no longer go on — an unclosed quote at the
//! next key, a full-width colon on the following line — so before
//! translating its message we look for the slips editors make: a quote or
//! bracket opened and never closed (named where it opens), tab indentation
//! mixed with spaces, a full-width colon after a key, a key without a space
//! after its colon. Everything else is translated by the parser's error
//! kind; its English is never shown alone.

use serde_saphyr::granit_parser::ErrorKind;
use serde_saphyr::localizer::ExternalMessageSource;

use crate::fences::is_space;
use crate::parse::slips::Repaired;
use crate::parse::yaml::Pos;

/// A front matter problem: position in the editor's text (relative to the
/// front matter), what is wrong, how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Problem {
    pub pos: Pos,
    pub width: usize,
    pub message: String,
    pub hint: String,
}

fn problem(pos: Pos, width: usize, message: impl Into<String>, hint: impl Into<String>) -> Problem {
    Problem {
        pos,
        width,
        message: message.into(),
        hint: hint.into(),
    }
}

fn kind_of(e: &serde_saphyr::Error) -> Option<&ErrorKind> {
    match e {
        serde_saphyr::Error::ExternalMessage { source, .. } => match &**source {
            ExternalMessageSource::Parser(s) => Some(s.kind()),
            _ => None,
        },
        serde_saphyr::Error::WithSnippet { error, .. } => kind_of(error),
        serde_saphyr::Error::AliasError { error, .. } => kind_of(error),
        _ => None,
    }
}

/// Explains `e`, raised on `repaired` (the editor wrote `original`).
pub(crate) fn explain(e: &serde_saphyr::Error, original: &str, repaired: &Repaired) -> Problem {
    let at = e
        .location()
        .map(|l| Pos {
            line: l.line() as u32,
            col: l.column() as u32,
        })
        .filter(|p| p.line > 0)
        .unwrap_or(Pos { line: 1, col: 1 });
    let at = repaired.original(at);
    let kind = kind_of(e);
    let lines: Vec<&str> = original.lines().collect();
    if let Some(p) = open_quote_or_bracket(&repaired.text, kind, at) {
        return Problem {
            pos: repaired.original(p.pos),
            ..p
        };
    }
    if let Some(p) = slip_near(&lines, at) {
        return p;
    }
    by_kind(e, kind, at, &lines)
}

/// A quote or bracket that is opened and never closed, when the error is
/// one such a thing causes. Positions in the repaired text.
fn open_quote_or_bracket(text: &str, kind: Option<&ErrorKind>, at: Pos) -> Option<Problem> {
    let quoted = matches!(
        kind,
        Some(
            ErrorKind::UnclosedQuotedScalar
                | ErrorKind::InvalidQuotedScalarIndent
                | ErrorKind::DocumentIndicatorInQuotedScalar
        )
    );
    let flow = matches!(
        kind,
        Some(
            ErrorKind::UnclosedFlowCollection { .. }
                | ErrorKind::UnexpectedEofFlowSequence
                | ErrorKind::UnexpectedEofFlowMapping
                | ErrorKind::UnexpectedEofImplicitFlowMapping
                | ErrorKind::ExpectedFlowSequenceSeparator
                | ErrorKind::ExpectedFlowMappingSeparator
                | ErrorKind::InvalidColonPlacement
                | ErrorKind::MappingKeyNotAllowed
                | ErrorKind::InvalidFlowScalarIndent
        )
    );
    let open = first_unclosed(text, at);
    match open {
        Some((pos, q @ ('"' | '\''))) if quoted || at.line > pos.line => Some(problem(
            pos,
            1,
            format!("引号没有配对：从这里开始的 {q} 一直没有结束"),
            format!("在这段文字的末尾补上 {q}（引号要成对），或者去掉开头的 {q}"),
        )),
        Some((pos, b)) if flow || at.line > pos.line => {
            let close = if b == '[' { ']' } else { '}' };
            Some(problem(
                pos,
                1,
                format!("括号没有配对：这里的 {b} 在这一行没有对应的 {close}"),
                if b == '[' {
                    "在列表末尾补上 ]，例如 tags: [党史, 理论学习]；中括号要用英文的 [ ]"
                        .to_string()
                } else {
                    format!("在末尾补上 {close}；普通文字里有 {b} 时，用英文引号把整个值括起来")
                },
            ))
        }
        _ => None,
    }
}

/// The first quote or bracket (in the repaired text) still open at the end
/// of its own line and not closed before `at`, with its position.
fn first_unclosed(text: &str, at: Pos) -> Option<(Pos, char)> {
    let mut stack: Vec<(Pos, char)> = Vec::new();
    let mut quote: Option<(Pos, char)> = None;
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u32 + 1;
        if line_no > at.line {
            break;
        }
        let mut prev = ' ';
        let mut escaped = false;
        let mut chars = line.chars().enumerate().peekable();
        while let Some((j, c)) = chars.next() {
            let pos = Pos {
                line: line_no,
                col: j as u32 + 1,
            };
            match quote {
                Some((_, '"')) if escaped => escaped = false,
                Some((_, '"')) if c == '\\' => escaped = true,
                // '' inside single quotes is one quote.
                Some((_, '\'')) if c == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') => {
                    chars.next();
                }
                Some((_, q)) if c == q => quote = None,
                Some(_) => {}
                None if (c == '"' || c == '\'') && "[{,:- ".contains(prev) => {
                    quote = Some((pos, c))
                }
                None if c == '#' && is_space(prev) => break,
                None if c == '[' || c == '{' => stack.push((pos, c)),
                None if c == ']' || c == '}' => {
                    stack.pop();
                }
                None => {}
            }
            prev = c;
        }
        // Quoted values and lists may go on over several lines; one still
        // open when the error comes is the slip.
    }
    match (quote, stack.first().copied()) {
        (Some(q), Some(b)) => Some(if (q.0.line, q.0.col) < (b.0.line, b.0.col) {
            q
        } else {
            b
        }),
        (Some(q), None) => Some(q),
        (None, b) => b,
    }
}

/// Slips on the error's line or the one before (the parser often notices
/// on the next line): tab indentation, a full-width colon, no space after
/// a colon.
fn slip_near(lines: &[&str], at: Pos) -> Option<Problem> {
    let from = at.line.saturating_sub(2) as usize;
    let to = (at.line as usize).min(lines.len());
    // Tabs anywhere up to the error (or on the line after it, where the
    // parser may not have looked yet): the indentation below them is off.
    for (i, line) in lines.iter().enumerate().take(to + 1) {
        let lead: String = line.chars().take_while(|&c| is_space(c)).collect();
        if let Some(col) = lead.chars().position(|c| c == '\t') {
            return Some(problem(
                Pos {
                    line: i as u32 + 1,
                    col: col as u32 + 1,
                },
                1,
                "这一行用 Tab 键缩进了；YAML 只认空格缩进",
                "把行首的 Tab 换成空格：同一层的键左边对齐，下一层比上一层多缩进两个空格",
            ));
        }
    }
    for (i, line) in lines.iter().enumerate().take(to).skip(from).rev() {
        let line_no = i as u32 + 1;
        let t = line.trim_start_matches(is_space);
        let t = t.strip_prefix("- ").unwrap_or(t);
        let lead = line.chars().count() - t.chars().count();
        let key_end = t.find(|c: char| c == ':' || c == '：' || is_space(c));
        let Some(key_end) = key_end else { continue };
        let key = &t[..key_end];
        if key.is_empty() || key.starts_with(['"', '\'', '[', '{', '#', '“']) {
            continue;
        }
        let col = (lead + key.chars().count()) as u32 + 1;
        let pos = Pos { line: line_no, col };
        match t[key_end..].chars().next() {
            Some('：') => {
                return Some(problem(
                    pos,
                    1,
                    format!("键 `{key}` 后面用了中文冒号「：」，YAML 只认英文冒号"),
                    format!("把中文冒号 ： 改成英文冒号 :，冒号后面空一格，例如 {key}: ……"),
                ));
            }
            Some(':') => {
                let next = t[key_end + 1..].chars().next();
                if next.is_some_and(|c| !is_space(c)) && !t.contains(": ") {
                    return Some(problem(
                        Pos {
                            line: line_no,
                            col: col + 1,
                        },
                        1,
                        format!("键 `{key}` 的冒号后面少了一个空格"),
                        format!("在冒号后面加一个空格：{key}: {}", &t[key_end + 1..]),
                    ));
                }
            }
            _ => {}
        }
    }
    None
}

/// The error's own kind in plain Chinese.
fn by_kind(e: &serde_saphyr::Error, kind: Option<&ErrorKind>, at: Pos, lines: &[&str]) -> Problem {
    const INDENT: &str =
        "检查缩进：同一层的键左边对齐，列表项以「- 」开头，下一层比上一层多缩进两个空格";
    const QUOTE_IT: &str = "用英文引号把整个值括起来，例如 title: \"会议: 主题\"";
    let line = lines
        .get(at.line.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("");
    let ch = line.chars().nth(at.col.saturating_sub(1) as usize);
    let p = |m: &str, h: &str| problem(at, 1, m, h);
    let Some(kind) = kind else {
        return other_error(e, at);
    };
    match kind {
        ErrorKind::MappingValueNotAllowed | ErrorKind::InvalidMappingValueWhitespace => {
            let before = line
                .chars()
                .take(at.col.saturating_sub(1) as usize)
                .collect::<String>();
            if before.contains(": ") || before.trim_start().starts_with("- ") {
                p(
                    "这一行的值里有英文冒号加空格「: 」，YAML 会把它当成一个新的键",
                    QUOTE_IT,
                )
            } else {
                p(
                    "这一行的缩进不对：它比上一行缩进得多，但上一行的值不是一组键",
                    INDENT,
                )
            }
        }
        ErrorKind::SimpleKeyExpected | ErrorKind::InvalidSimpleKey => p(
            "这一行不是「键: 值」的写法（找不到键后面的英文冒号）",
            "每行写成 键: 值（英文冒号，后面空一格）；如果这是上一行值的一部分，用英文引号把整个值括起来",
        ),
        ErrorKind::ExpectedBlockMappingKey | ErrorKind::ExpectedBlockSequenceEntry => {
            p("这一行的缩进和上下文对不上", INDENT)
        }
        ErrorKind::InvalidIndentation | ErrorKind::InvalidBlockScalarIndent => {
            p("这一行的缩进不对", INDENT)
        }
        ErrorKind::BlockSequenceEntryNotAllowed | ErrorKind::BlockEntryInFlowCollection => p(
            "列表项「- 」不能写在这里",
            "列表项要另起一行并缩进：\n  key:\n    - 第一项\n或者写在一行里：key: [第一项, 第二项]",
        ),
        ErrorKind::UnexpectedCharacter { character } => p(
            &format!("值不能以 {character} 开头（它在 YAML 里有特殊意思）"),
            QUOTE_IT,
        ),
        ErrorKind::InvalidTrailingDoubleQuotedScalar
        | ErrorKind::InvalidTrailingSingleQuotedScalar => p(
            "引号结束之后这一行还有文字",
            "把整段文字都放进引号里，例如 title: \"“不忘初心”主题党日\"；或者去掉引号",
        ),
        ErrorKind::UnknownQuotedScalarEscape
        | ErrorKind::InvalidQuotedScalarHexEscape
        | ErrorKind::InvalidLowSurrogateHexEscape
        | ErrorKind::InvalidLowSurrogate
        | ErrorKind::MissingLowSurrogate
        | ErrorKind::UnpairedLowSurrogate
        | ErrorKind::InvalidUnicodeEscape => p(
            "双引号里的反斜杠 \\ 后面跟的字符无法识别",
            "双引号里的反斜杠要写两个（\\\\）；或者改用单引号：'C:\\文件'",
        ),
        ErrorKind::MismatchedFlowCollectionEnd { open, close } => p(
            &format!("括号不配对：{open} 用 {close} 结束了"),
            "[ 配 ]，{ 配 }；普通文字里有括号时，用英文引号把整个值括起来",
        ),
        ErrorKind::MisplacedFlowCollectionEnd => p(
            &format!("多了一个 {}", ch.unwrap_or(']')),
            "删掉多余的括号；普通文字里有括号时，用英文引号把整个值括起来",
        ),
        ErrorKind::UnclosedFlowCollection { open } => p(
            &format!("括号没有配对：{open} 没有结束"),
            "在列表末尾补上 ]，例如 tags: [党史, 理论学习]",
        ),
        ErrorKind::UnclosedQuotedScalar
        | ErrorKind::InvalidQuotedScalarIndent
        | ErrorKind::DocumentIndicatorInQuotedScalar => p(
            "引号没有配对",
            "引号要成对：在文字末尾补上引号，或者去掉开头的引号",
        ),
        ErrorKind::TabInIndentation
        | ErrorKind::TabInBlockIndentation
        | ErrorKind::TabNotAllowed
        | ErrorKind::TabInPlainScalar
        | ErrorKind::TabAtBlockScalarStart => p(
            "这里用了 Tab 键；YAML 只认空格缩进",
            "把 Tab 换成空格：同一层的键左边对齐，下一层多缩进两个空格",
        ),
        ErrorKind::InvalidBlockScalarHeader | ErrorKind::ZeroBlockScalarIndent => p(
            "| 或 > 后面不能再写文字",
            "多行文字写成：\n  summary: |\n    第一行\n    第二行\n（| 单独留在行末，文字另起一行并缩进）",
        ),
        ErrorKind::CommentInterceptedScalar | ErrorKind::CommentNotSeparated => p(
            "# 在 YAML 里是注释的开始",
            "值里有 # 时，用英文引号把整个值括起来，例如 title: \"#1 党章学习\"",
        ),
        ErrorKind::MissingAnchorOrAliasName | ErrorKind::AnchorCountOverflow => p(
            "& 和 * 在 YAML 里是锚点和别名",
            "值以 & 或 * 开头时，用英文引号把整个值括起来，例如 title: \"*重点*\"",
        ),
        ErrorKind::ExpectedTagBang
        | ErrorKind::ExpectedTagDirectiveBang
        | ErrorKind::InvalidGlobalTagCharacter
        | ErrorKind::UndeclaredTagHandle
        | ErrorKind::InvalidTagTerminator
        | ErrorKind::MissingTagUri
        | ErrorKind::UnclosedVerbatimTag
        | ErrorKind::InvalidTagEscape
        | ErrorKind::InvalidTagUtf8LeadingByte
        | ErrorKind::InvalidTagUtf8TrailingByte
        | ErrorKind::InvalidTagUtf8 => p(
            "! 在 YAML 里是类型标记",
            "值以 ! 开头时，用英文引号把整个值括起来，例如 title: \"!重要\"",
        ),
        ErrorKind::RecursionLimitExceeded => p(
            "front matter 嵌套得太深",
            "front matter 只需要几层：检查括号和缩进是否写乱了",
        ),
        ErrorKind::PlainScalarStartsWithDashFlowIndicator => p("值不能以 - 加括号开头", QUOTE_IT),
        ErrorKind::MappingKeyNotAllowed
        | ErrorKind::InvalidColonPlacement
        | ErrorKind::FlowMappingValueAdjacentCollection
        | ErrorKind::ExpectedFlowSequenceSeparator
        | ErrorKind::ExpectedFlowMappingSeparator
        | ErrorKind::InvalidFlowScalarIndent => p(
            "方括号列表里的写法有误",
            "列表写成 [第一项, 第二项]（英文逗号分隔）；某一项里有冒号或逗号时，用英文引号把这一项括起来",
        ),
        ErrorKind::InvalidDocumentEnd
        | ErrorKind::MissingDocumentEndBeforeDirective
        | ErrorKind::ExpectedDocumentStart
        | ErrorKind::MultipleDocumentsUnsupported => p(
            "front matter 里多了一行 --- 或 ...",
            "front matter 只有开头和结尾两行 ---；中间不要再写 --- 或 ...",
        ),
        ErrorKind::BomInsideDocument => p(
            "这里有一个看不见的字符（BOM）",
            "删掉这一行开头看不见的字符：把这一行整行删掉再重新输入",
        ),
        ErrorKind::UnexpectedEofFlowSequence
        | ErrorKind::UnexpectedEofFlowMapping
        | ErrorKind::UnexpectedEofImplicitFlowMapping
        | ErrorKind::UnexpectedEofBlockSequence
        | ErrorKind::UnexpectedEofBlockMapping
        | ErrorKind::UnexpectedEof
        | ErrorKind::UnexpectedEndOfPlainScalar
        | ErrorKind::ExpectedNodeContent => p(
            "front matter 在这里意外结束了：有括号或引号没有写完",
            "检查括号 [ ] { } 和引号是否成对",
        ),
        ErrorKind::ExpectedWhitespace | ErrorKind::InvalidBlockEntryWhitespace => p(
            "这里少了一个空格",
            "冒号和列表的「-」后面都要空一格：key: 值、- 第一项",
        ),
        ErrorKind::UnknownAnchor => unknown_anchor(at),
        _ => p(
            "front matter 的写法有误（% 开头的行或其他 YAML 指令不能用在这里）",
            "每行写成 键: 值（英文冒号，后面空一格）；含特殊符号的值用英文引号括起来",
        ),
    }
}

fn unknown_anchor(at: Pos) -> Problem {
    problem(
        at,
        1,
        "* 开头的值在 YAML 里是别名，这里找不到对应的 & 锚点",
        "值以 * 开头时，用英文引号把整个值括起来，例如 title: \"*重点*\"",
    )
}

/// Errors that are not the parser's: duplicates, budgets, our own.
fn other_error(e: &serde_saphyr::Error, at: Pos) -> Problem {
    match e {
        serde_saphyr::Error::DuplicateMappingKey { key, .. } => problem(
            at,
            key.as_deref().map_or(1, |k| k.chars().count()),
            format!("键 `{}` 写了两次", key.as_deref().unwrap_or("")),
            "同一层里一个键只能写一次：删掉其中一个",
        ),
        serde_saphyr::Error::UnknownAnchor { .. } => unknown_anchor(at),
        serde_saphyr::Error::Budget { .. }
        | serde_saphyr::Error::AliasReplayLimitExceeded { .. }
        | serde_saphyr::Error::AliasExpansionLimitExceeded { .. }
        | serde_saphyr::Error::AliasReplayStackDepthExceeded { .. }
        | serde_saphyr::Error::AliasReplayCounterOverflow { .. } => problem(
            at,
            1,
            "front matter 太大、嵌套太深，或 & 和 * 用得太多",
            "front matter 只写标题、日期等信息；大段文字放进正文。& 和 * 在 YAML 里是锚点和别名，普通文字请加引号",
        ),
        serde_saphyr::Error::Message { msg, .. } if msg.contains(KEY_NOT_TEXT) => problem(
            at,
            1,
            "键必须是普通文字，不能是列表或表",
            "每行写成 键: 值，键是一个英文单词，例如 title",
        ),
        other => problem(
            at,
            1,
            format!(
                "front matter 的写法有误（YAML 解析器的原话：{}）",
                first_line(&other.to_string())
            ),
            "每行写成 键: 值（英文冒号，后面空一格）；含特殊符号的值用英文引号括起来",
        ),
    }
}

/// The message of our own key visitor (see `yaml.rs`).
pub(crate) const KEY_NOT_TEXT: &str = "a key must be plain text";

fn first_line(s: &str) -> &str {
    let l = s.lines().next().unwrap_or(s);
    l.find(" at line ").map_or(l, |i| &l[..i])
}
