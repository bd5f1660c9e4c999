//! A quiz as the template sees it. Answers are never in the page as text:
//! each question carries salted hashes of its normalised right answers, and
//! the browser compares the hash of what the reader chose (see
//! themes/default/static/js/quiz.js and docs/learning.md for what this
//! protects against and what it cannot).

use serde::Serialize;

use crate::parse::markdown::render_inline;
use crate::parse::quiz::{Answer, Question, QuestionKind, Quiz, letter, normalize_fill};

#[derive(Serialize, Clone, Debug)]
pub struct QuizView {
    /// DOM id, unique on the page.
    pub id: String,
    pub pass: u32,
    pub shuffle: bool,
    pub salt: String,
    pub count: usize,
    pub questions: Vec<QuestionView>,
}

#[derive(Serialize, Clone, Debug)]
pub struct QuestionView {
    pub n: usize,
    pub id: String,
    pub kind: QuestionKind,
    pub kind_label: String,
    /// `radio`, `checkbox` or `text`.
    pub input: String,
    pub html: String,
    pub options: Vec<OptionView>,
    /// Space-separated hashes of the accepted answers.
    pub hashes: String,
    /// The right answer for people, shown after submitting: XOR-masked with a
    /// keystream from the salt and base64-encoded (see [`mask_answer`]).
    pub reveal: String,
    pub explain: Option<String>,
}

#[derive(Serialize, Clone, Debug)]
pub struct OptionView {
    pub letter: String,
    /// What the browser hashes when this option is chosen.
    pub value: String,
    pub text: String,
    pub id: String,
}

/// A 64-bit string hash, identical in Rust and in quiz.js: two FNV-1a lanes
/// over UTF-16 code units, each finished with the MurmurHash3 mixer, as 16
/// hex digits. Not cryptographic; it only keeps answers out of plain sight.
pub fn answer_hash(s: &str) -> String {
    fn lane(s: &str, seed: u32) -> u32 {
        let mut h: u32 = 0x811c_9dc5 ^ seed;
        for unit in s.encode_utf16() {
            h ^= u32::from(unit);
            h = h.wrapping_mul(0x0100_0193);
        }
        h ^= h >> 16;
        h = h.wrapping_mul(0x85eb_ca6b);
        h ^= h >> 13;
        h = h.wrapping_mul(0xc2b2_ae35);
        h ^= h >> 16;
        h
    }
    format!("{:08x}{:08x}", lane(s, 0x9e37_79b9), lane(s, 0x7f4a_7c15))
}

/// What the browser builds from the reader's choice, before hashing.
pub fn canonical(q: &Question) -> Vec<String> {
    match &q.answer {
        Answer::Single(i) => vec![letter(*i)],
        Answer::Multiple(v) => vec![v.iter().map(|&i| letter(i)).collect::<String>()],
        Answer::Judge(b) => vec![b.to_string()],
        Answer::Fill(list) => {
            let mut v: Vec<String> = list.iter().map(|a| normalize_fill(a)).collect();
            v.dedup();
            v
        }
    }
}

/// The right answer as a reader should see it: `B. 一年`, `A、B、D`, `对`, `服务`.
pub fn answer_text(q: &Question) -> String {
    match &q.answer {
        Answer::Single(i) => format!(
            "{}. {}",
            letter(*i),
            q.options.get(*i).map(String::as_str).unwrap_or("")
        ),
        Answer::Multiple(v) => v.iter().map(|&i| letter(i)).collect::<Vec<_>>().join("、"),
        Answer::Judge(b) => if *b { "对" } else { "错" }.to_string(),
        Answer::Fill(list) => list.join(" 或 "),
    }
}

/// Bytes of the keystream for question `n`: hashes of `salt|n|k0`, `salt|n|k1` …
fn keystream(salt: &str, n: usize, len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 8);
    let mut i = 0;
    while out.len() < len {
        let h = answer_hash(&format!("{salt}|{n}|k{i}"));
        out.extend((0..8).filter_map(|j| u8::from_str_radix(&h[j * 2..j * 2 + 2], 16).ok()));
        i += 1;
    }
    out.truncate(len);
    out
}

/// Masks `text` so that it is not readable in the page source; quiz.js
/// unmasks it after the reader submits. Obfuscation, not encryption.
pub fn mask_answer(salt: &str, n: usize, text: &str) -> String {
    use base64::Engine;
    let bytes = text.as_bytes();
    let ks = keystream(salt, n, bytes.len());
    let masked: Vec<u8> = bytes.iter().zip(ks).map(|(b, k)| b ^ k).collect();
    base64::engine::general_purpose::STANDARD.encode(masked)
}

pub fn quiz_view(q: &Quiz, page_path: &str, base_url: &str) -> QuizView {
    let salt = answer_hash(&format!("{base_url}|{page_path}"));
    let id = "quiz".to_string();
    QuizView {
        pass: q.pass,
        shuffle: q.shuffle,
        count: q.questions.len(),
        questions: q
            .questions
            .iter()
            .enumerate()
            .map(|(i, qq)| {
                let n = i + 1;
                let qid = format!("{id}-q{n}");
                let options: Vec<OptionView> = match qq.kind {
                    QuestionKind::Single | QuestionKind::Multiple => qq
                        .options
                        .iter()
                        .enumerate()
                        .map(|(j, text)| OptionView {
                            letter: letter(j),
                            value: letter(j),
                            text: text.clone(),
                            id: format!("{qid}-{}", letter(j).to_lowercase()),
                        })
                        .collect(),
                    QuestionKind::Judge => [("对", "true"), ("错", "false")]
                        .iter()
                        .map(|(text, value)| OptionView {
                            letter: String::new(),
                            value: value.to_string(),
                            text: text.to_string(),
                            id: format!("{qid}-{value}"),
                        })
                        .collect(),
                    QuestionKind::Fill => Vec::new(),
                };
                let reveal = mask_answer(&salt, n, &answer_text(qq));
                let hashes = canonical(qq)
                    .iter()
                    .map(|c| answer_hash(&format!("{salt}|{n}|{c}")))
                    .collect::<Vec<_>>()
                    .join(" ");
                QuestionView {
                    n,
                    id: qid,
                    kind: qq.kind,
                    kind_label: qq.kind.label().to_string(),
                    input: match qq.kind {
                        QuestionKind::Single | QuestionKind::Judge => "radio",
                        QuestionKind::Multiple => "checkbox",
                        QuestionKind::Fill => "text",
                    }
                    .to_string(),
                    html: render_inline(&qq.question),
                    options,
                    hashes,
                    reveal,
                    explain: qq.explain.as_deref().map(render_inline),
                }
            })
            .collect(),
        salt,
        id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_vectors_shared_with_quiz_js() {
        // The same strings are checked in tests/browser (quiz.js must agree).
        assert_eq!(answer_hash(""), answer_hash(""));
        assert_ne!(answer_hash("A"), answer_hash("B"));
        assert_eq!(answer_hash("abc").len(), 16);
        assert_eq!(answer_hash("服务"), answer_hash("服务"));
        assert_ne!(answer_hash("服务"), answer_hash("服務"));
    }

    #[test]
    fn masking_round_trips() {
        use base64::Engine;
        let m = mask_answer("salt", 3, "B. 一年");
        assert!(!m.contains("一年"));
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&m)
            .unwrap();
        let ks = keystream("salt", 3, bytes.len());
        let plain: Vec<u8> = bytes.iter().zip(ks).map(|(b, k)| b ^ k).collect();
        assert_eq!(String::from_utf8(plain).unwrap(), "B. 一年");
    }

    #[test]
    fn answers_are_not_in_the_view() {
        let q = Quiz {
            pass: 60,
            shuffle: false,
            questions: vec![Question {
                kind: QuestionKind::Fill,
                question: "党的根本宗旨是全心全意为人民____。".into(),
                options: vec![],
                answer: Answer::Fill(vec!["服务".into(), " 服 务 ".into()]),
                explain: None,
                line: 1,
            }],
        };
        let v = quiz_view(&q, "lessons/a/", "https://x.cn/");
        let json = serde_json::to_string(&v).unwrap();
        assert!(!json.contains("服务\""), "{json}");
        // both spellings normalise to one accepted answer
        assert_eq!(v.questions[0].hashes.split(' ').count(), 1);
    }
}
