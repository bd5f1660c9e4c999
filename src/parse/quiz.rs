//! Quizzes: 单选 / 多选 / 判断 / 填空 questions from front matter, validated
//! so that every mistake is reported with its line.

use serde::{Deserialize, Serialize};

use crate::parse::reader::{Reader, entries, parse_bool};
use crate::parse::yaml::{Node, Pos, Value};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quiz {
    /// Percent needed to pass.
    pub pass: u32,
    pub shuffle: bool,
    pub questions: Vec<Question>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionKind {
    Single,
    Multiple,
    Judge,
    Fill,
}

impl QuestionKind {
    pub fn label(self) -> &'static str {
        match self {
            QuestionKind::Single => "单选题",
            QuestionKind::Multiple => "多选题",
            QuestionKind::Judge => "判断题",
            QuestionKind::Fill => "填空题",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        let t = s.trim().to_lowercase();
        Some(match t.as_str() {
            "single" | "单选" | "单选题" | "radio" | "choice" => QuestionKind::Single,
            "multiple" | "multi" | "多选" | "多选题" | "checkbox" => QuestionKind::Multiple,
            "judge" | "truefalse" | "true_false" | "bool" | "判断" | "判断题" => {
                QuestionKind::Judge
            }
            "fill" | "blank" | "填空" | "填空题" => QuestionKind::Fill,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "lowercase")]
pub enum Answer {
    /// Index into options.
    Single(usize),
    /// Indexes into options, ascending.
    Multiple(Vec<usize>),
    Judge(bool),
    /// Accepted answers, as written.
    Fill(Vec<String>),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub kind: QuestionKind,
    pub question: String,
    pub options: Vec<String>,
    pub answer: Answer,
    pub explain: Option<String>,
    /// Line in the Markdown file, for messages.
    pub line: u32,
}

const QUIZ_KEYS: [&str; 3] = ["pass", "shuffle", "questions"];
const QUESTION_KEYS: [&str; 5] = ["type", "question", "options", "answer", "explain"];

/// The letter of option `i`: A, B, … Z, then AA …
pub fn letter(i: usize) -> String {
    let mut n = i;
    let mut s = String::new();
    loop {
        s.insert(0, (b'A' + (n % 26) as u8) as char);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    s
}

pub fn parse_quiz(r: &mut Reader, node: &Node) -> Option<Quiz> {
    let mut pass = 60;
    let mut shuffle = false;
    let mut questions = Vec::new();
    let mut questions_node = None;
    for (key, value) in entries(r, "quiz ", node) {
        match key.name.as_str() {
            "pass" => {
                if let Some(p) = r.int("pass", value) {
                    if (0..=100).contains(&p) {
                        pass = p as u32;
                    } else {
                        r.error(
                            value.pos,
                            1,
                            format!("及格线 pass 应在 0 到 100 之间，这里是 {p}"),
                            "pass 是百分比，例如 pass: 80",
                        );
                    }
                }
            }
            "shuffle" => shuffle = r.bool("shuffle", value).unwrap_or(false),
            "questions" => questions_node = Some(value),
            _ => {
                if !r.check_typo(key, &QUIZ_KEYS) {
                    r.warn(
                        key.pos,
                        key.name.chars().count(),
                        format!("quiz 里的键 `{}` 不会被使用", key.name),
                        "quiz 下只有 pass、shuffle 和 questions",
                    );
                }
            }
        }
    }
    let Some(qn) = questions_node else {
        r.error(
            node.pos,
            4,
            "quiz 里没有 questions（题目列表）",
            "在 quiz: 下面写 questions:，每道题以 - type: 开头",
        );
        return None;
    };
    match &qn.value {
        Value::Seq(items) if !items.is_empty() => {
            let mut ok = true;
            for (i, item) in items.iter().enumerate() {
                match parse_question(r, item, i + 1) {
                    Some(q) => questions.push(q),
                    None => ok = false,
                }
            }
            if !ok {
                return None;
            }
        }
        _ => {
            r.error(
                qn.pos,
                1,
                "questions 应该是一个题目列表，且至少有一道题",
                "每道题以 - type: single 这样的一行开头",
            );
            return None;
        }
    }
    Some(Quiz {
        pass,
        shuffle,
        questions,
    })
}

fn parse_question(r: &mut Reader, node: &Node, n: usize) -> Option<Question> {
    let before = r.error_count();
    let first_diag = r.diags.len();
    let mut kind = None;
    let mut text = None;
    let mut options: Option<(&Node, Vec<(String, Pos)>)> = None;
    let mut answer_node = None;
    let mut explain = None;
    for (key, value) in entries(r, &format!("第 {n} 题"), node) {
        match key.name.as_str() {
            "type" => match value.as_text() {
                Some(t) => match QuestionKind::parse(&t) {
                    Some(k) => kind = Some(k),
                    None => r.error(
                        value.pos,
                        t.chars().count(),
                        format!("第 {n} 题的题型 `{t}` 无法识别"),
                        "题型写 single（单选）、multiple（多选）、judge（判断）或 fill（填空）",
                    ),
                },
                None => r.error(
                    value.pos,
                    1,
                    format!("第 {n} 题的 type 应该是文字"),
                    "例如 type: single",
                ),
            },
            "question" => text = r.required_text("question", value),
            "options" => {
                let list = r.text_list("options", value, false);
                options = Some((value, list));
            }
            "answer" => answer_node = Some(value),
            "explain" => explain = r.text("explain", value).filter(|s| !s.trim().is_empty()),
            _ => {
                if !r.check_typo(key, &QUESTION_KEYS) {
                    r.warn(
                        key.pos,
                        key.name.chars().count(),
                        format!("第 {n} 题中的键 `{}` 不会被使用", key.name),
                        "每道题可用的键：type、question、options、answer、explain",
                    );
                }
            }
        }
    }
    let pos = node.pos;
    let Some(kind) = kind else {
        if r.error_count() == before {
            r.error(
                pos,
                1,
                format!("第 {n} 题缺少题型 type"),
                "加一行 type: single（或 multiple、judge、fill）",
            );
        }
        return None;
    };
    if text.is_none()
        && !r.diags[first_diag..]
            .iter()
            .any(|d| d.message.contains("question"))
    {
        r.error(
            pos,
            1,
            format!("第 {n} 题没有题目内容"),
            "加一行 question: 题目",
        );
    }
    let opts: Vec<String> = options
        .as_ref()
        .map(|(_, l)| l.iter().map(|(s, _)| s.clone()).collect())
        .unwrap_or_default();
    match kind {
        QuestionKind::Single | QuestionKind::Multiple => {
            if opts.len() < 2 {
                let p = options.as_ref().map(|(n, _)| n.pos).unwrap_or(pos);
                r.error(
                    p,
                    1,
                    format!("第 {n} 题（{}）至少需要两个选项", kind.label()),
                    "写成 options: [选项一, 选项二, 选项三]",
                );
            }
            let mut seen = std::collections::HashSet::new();
            for (o, p) in options.iter().flat_map(|(_, l)| l.iter()) {
                if !seen.insert(o.as_str()) {
                    r.warn(
                        *p,
                        o.chars().count(),
                        format!("第 {n} 题有两个相同的选项「{o}」"),
                        "删掉重复的选项",
                    );
                }
            }
        }
        QuestionKind::Judge | QuestionKind::Fill => {
            if let Some((on, _)) = &options {
                r.warn(
                    on.pos,
                    1,
                    format!("{}不需要 options，这些选项不会显示", kind.label()),
                    "删掉 options 这一项",
                );
            }
        }
    }
    let Some(an) = answer_node else {
        r.error(
            pos,
            1,
            format!("第 {n} 题缺少答案 answer"),
            answer_example(kind),
        );
        return None;
    };
    let answer = parse_answer(r, kind, an, &opts, n)?;
    if r.error_count() > before {
        return None;
    }
    Some(Question {
        kind,
        question: text?,
        options: if matches!(kind, QuestionKind::Single | QuestionKind::Multiple) {
            opts
        } else {
            Vec::new()
        },
        answer,
        explain,
        line: r.line(pos),
    })
}

fn answer_example(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Single => "单选题写 answer: A",
        QuestionKind::Multiple => "多选题写 answer: [A, C]",
        QuestionKind::Judge => "判断题写 answer: true（或 对 / 错）",
        QuestionKind::Fill => "填空题写 answer: [正确答案, 另一种写法]",
    }
}

/// `A`, `b`, `Ｃ` -> index.
fn letter_index(s: &str) -> Option<usize> {
    let mut chars = s.trim().chars();
    let c = chars.next()?;
    if chars.next().is_some() {
        return None;
    }
    let c = match c as u32 {
        0xFF21..=0xFF3A | 0xFF41..=0xFF5A => char::from_u32(c as u32 - 0xFEE0)?,
        _ => c,
    };
    c.is_ascii_alphabetic()
        .then(|| (c.to_ascii_uppercase() as u8 - b'A') as usize)
}

/// The letters of one written answer: `A，C`, `A、C`, `A C`, `AC` (each in
/// full width or lower case too).
fn split_letters(s: &str, pos: Pos) -> Vec<(String, Pos)> {
    const SEPARATORS: [char; 5] = [',', '，', '、', ' ', '\u{3000}'];
    let s = s.trim();
    if s.contains(SEPARATORS) {
        s.split(SEPARATORS)
            .filter(|x| !x.is_empty())
            .map(|x| (x.to_string(), pos))
            .collect()
    } else if s.chars().all(|c| letter_index(&c.to_string()).is_some()) {
        s.chars().map(|c| (c.to_string(), pos)).collect()
    } else {
        vec![(s.to_string(), pos)]
    }
}

fn parse_answer(
    r: &mut Reader,
    kind: QuestionKind,
    node: &Node,
    opts: &[String],
    n: usize,
) -> Option<Answer> {
    let n_opts = opts.len();
    let bad = |r: &mut Reader, pos: Pos, msg: String| {
        r.error(pos, 1, msg, answer_example(kind));
        None
    };
    match kind {
        QuestionKind::Single | QuestionKind::Multiple => {
            // A list, or "A", "A,C", "AC"; an option's own text is its letter.
            let written: Vec<(String, Pos)> = match &node.value {
                Value::Seq(_) => r.text_list("answer", node, false),
                _ => match node.as_text() {
                    Some(s) => vec![(s, node.pos)],
                    None => return bad(r, node.pos, format!("第 {n} 题的答案应该是选项字母")),
                },
            };
            let mut letters: Vec<(String, Pos)> = Vec::new();
            for (s, p) in written {
                match opts.iter().position(|o| o.trim() == s.trim()) {
                    Some(i) if letter_index(s.trim()).is_none() => letters.push((letter(i), p)),
                    _ => letters.extend(split_letters(&s, p)),
                }
            }
            if letters.is_empty() {
                return bad(r, node.pos, format!("第 {n} 题的答案是空的"));
            }
            let mut idx = Vec::new();
            let mut chosen = std::collections::HashSet::new();
            let mut ok = true;
            for (l, p) in letters {
                match letter_index(&l) {
                    Some(i) if i < n_opts => {
                        if chosen.insert(i) {
                            idx.push(i)
                        }
                    }
                    Some(_) if n_opts >= 2 => {
                        r.error(
                            p,
                            l.chars().count(),
                            format!("第 {n} 题的答案 {l} 没有对应的选项（只有 A–{} 共 {n_opts} 个选项）", letter(n_opts - 1)),
                            "选项按书写顺序依次是 A、B、C……",
                        );
                        ok = false;
                    }
                    Some(_) => ok = false, // "at least two options" was reported already
                    None => {
                        r.error(
                            p,
                            l.chars().count(),
                            format!("第 {n} 题的答案 `{l}` 不是选项字母"),
                            answer_example(kind),
                        );
                        ok = false;
                    }
                }
            }
            if !ok {
                return None;
            }
            idx.sort_unstable();
            if kind == QuestionKind::Single {
                if idx.len() > 1 {
                    r.error(
                        node.pos,
                        1,
                        format!("第 {n} 题是单选题，却有 {} 个答案", idx.len()),
                        "单选题只能有一个答案；如果确实有多个正确答案，把 type 改成 multiple",
                    );
                    return None;
                }
                Some(Answer::Single(idx[0]))
            } else {
                Some(Answer::Multiple(idx))
            }
        }
        QuestionKind::Judge => {
            let b = match &node.value {
                Value::Bool(b) => Some(*b),
                _ => node.as_text().and_then(|s| parse_bool(&s)),
            };
            match b {
                Some(b) => Some(Answer::Judge(b)),
                None => bad(
                    r,
                    node.pos,
                    format!("第 {n} 题是判断题，答案应为 true/false 或 对/错"),
                ),
            }
        }
        QuestionKind::Fill => {
            let list = r.text_list("answer", node, false);
            if list.is_empty() {
                return bad(r, node.pos, format!("第 {n} 题（填空题）没有答案"));
            }
            Some(Answer::Fill(list.into_iter().map(|(s, _)| s).collect()))
        }
    }
}

/// Normalises a fill-in answer the same way the browser does: full-width to
/// half-width, no whitespace, lower case, no trailing punctuation.
pub fn normalize_fill(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = match c as u32 {
            0x3000 => ' ',
            u @ 0xFF01..=0xFF5E => char::from_u32(u - 0xFEE0).unwrap_or(c),
            _ => c,
        };
        if c.is_whitespace() {
            continue;
        }
        out.extend(c.to_lowercase());
    }
    let trimmed =
        out.trim_end_matches(['。', '.', '，', ',', '！', '!', '？', '?', '；', ';', '、']);
    trimmed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::split;
    use crate::parse::yaml;
    use chrono::FixedOffset;
    use std::path::Path;

    fn run(front: &str) -> (Option<Quiz>, Vec<crate::diagnostics::Diagnostic>) {
        let text = format!("---\n{front}---\n");
        let f = split(text, Path::new("q.md"), "lessons/q.md").unwrap();
        let node = yaml::parse(f.front()).unwrap();
        let mut r = Reader::new(&f, FixedOffset::east_opt(8 * 3600).unwrap());
        let q = node.get("quiz").and_then(|q| parse_quiz(&mut r, q));
        (q, r.diags)
    }

    #[test]
    fn all_four_types_and_aliases() {
        let (q, d) = run(
            "quiz:\n  pass: 80\n  shuffle: true\n  questions:\n    - type: 单选\n      question: 一？\n      options: [甲, 乙, 丙]\n      answer: B\n    - type: multiple\n      question: 二？\n      options: [甲, 乙, 丙, 丁]\n      answer: [a, C]\n    - type: 判断\n      question: 三？\n      answer: 错\n    - type: fill\n      question: 为人民____。\n      answer: 服务\n      explain: 宗旨\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let q = q.unwrap();
        assert_eq!(q.pass, 80);
        assert!(q.shuffle);
        assert_eq!(q.questions[0].answer, Answer::Single(1));
        assert_eq!(q.questions[1].answer, Answer::Multiple(vec![0, 2]));
        assert_eq!(q.questions[2].answer, Answer::Judge(false));
        assert_eq!(q.questions[3].answer, Answer::Fill(vec!["服务".into()]));
        assert_eq!(q.questions[3].explain.as_deref(), Some("宗旨"));
        assert_eq!(q.questions[0].line, 6);
    }

    #[test]
    fn every_mistake_is_reported_with_its_line() {
        let (q, d) = run(
            "quiz:\n  questions:\n    - type: single\n      question: 一？\n      options: [甲, 乙]\n      answer: D\n    - type: single\n      question: 二？\n      options: [甲, 乙]\n      answer: [A, B]\n    - type: single\n      question: \"\"\n      options: [甲, 乙]\n      answer: A\n    - type: 问答\n      question: 四？\n      answer: x\n",
        );
        assert!(q.is_none());
        let msgs: Vec<String> = d
            .iter()
            .map(|d| format!("{}:{}", d.line, d.message))
            .collect();
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("7:") && m.contains("没有对应的选项")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("11:") && m.contains("单选题，却有 2 个答案")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("13:") && m.contains("不能为空")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("16:") && m.contains("无法识别")),
            "{msgs:?}"
        );
    }

    #[test]
    fn judge_needs_a_truth_value() {
        let (_, d) =
            run("quiz:\n  questions:\n    - type: judge\n      question: x\n      answer: 也许\n");
        assert!(d[0].message.contains("判断题"), "{d:?}");
        assert_eq!(d[0].line, 6);
    }

    #[test]
    fn typo_in_question_key() {
        let (_, d) = run(
            "quiz:\n  questions:\n    - type: fill\n      question: x\n      answer: y\n      explian: z\n",
        );
        assert!(d[0].hint.as_deref().unwrap().contains("`explain`"), "{d:?}");
    }

    #[test]
    fn letters() {
        assert_eq!(letter(0), "A");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
        assert_eq!(letter_index("Ｃ"), Some(2));
    }

    #[test]
    fn fill_normalisation() {
        assert_eq!(
            normalize_fill(" 全心全意 为人民服务。"),
            "全心全意为人民服务"
        );
        assert_eq!(normalize_fill("ＡＢＣ１２３"), "abc123");
        assert_eq!(normalize_fill("Mao　Zedong"), "maozedong");
    }
}
