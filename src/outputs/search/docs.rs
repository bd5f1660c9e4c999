//! What the search index is made of, read from the site model: one [`Doc`]
//! per published page and course, with the text a reader can see on the
//! page — body, a member's role and honours, an activity's place, and a
//! quiz's questions, options and explanations (never its answers: see
//! [`quiz_text`]) — and the words jieba must keep whole ([`dictionary`]).

use std::sync::Arc;

use crate::model::{Page, Site};
use crate::parse::Kind;
use crate::parse::quiz::{QuestionKind, Quiz};

/// One searchable page.
#[derive(Clone, Debug, Hash)]
pub struct Doc {
    /// Site path, `lessons/a/`.
    pub path: String,
    pub title: String,
    pub kind: String,
    pub date: String,
    pub summary: String,
    pub tags: Vec<String>,
    /// The page's text, shared with the site model.
    pub body: Arc<str>,
    /// Text beyond the body (a member's role and honors, a place, the
    /// quiz), each part after a newline.
    pub extra: String,
}

/// Every published page except drafts (never indexed, even with --drafts),
/// plus the courses.
pub fn docs(site: &Site) -> Vec<Doc> {
    let mut out: Vec<Doc> = site
        .pages
        .iter()
        .filter(|p| !p.draft)
        .map(|p| {
            let kind = match (p.kind, p.activity.as_ref().and_then(|a| a.kind.clone())) {
                (Kind::Activity, Some(k)) => k,
                (k, _) => k.label().to_string(),
            };
            let extra = extra_text(p, &kind);
            Doc {
                path: p.path.clone(),
                title: p.title.clone(),
                kind,
                date: p
                    .date
                    .map(|d| d.at.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
                summary: p.summary.clone(),
                tags: p.tags.clone(),
                body: p.src.md.plain.clone(),
                extra,
            }
        })
        .collect();
    for c in &site.courses {
        out.push(Doc {
            path: c.path.clone(),
            title: c.name.clone(),
            kind: Kind::Course.label().to_string(),
            date: String::new(),
            summary: c.summary.clone(),
            tags: Vec::new(),
            body: c
                .description
                .as_ref()
                .map(|d| d.summary.as_str())
                .unwrap_or_default()
                .into(),
            extra: String::new(),
        });
    }
    out
}

/// What a page shows beyond its body and title, each part after a
/// newline: a member's role, class, motto and honours; an activity's
/// place; a 三会一课 record's meeting type (when the activity's kind is
/// another word), host, recorder, agenda and decisions; a notice's
/// category (公示 / 通知 / 公开 find the notices of that category) and
/// contact; a quiz's text ([`quiz_text`]).
fn extra_text(p: &Page, kind: &str) -> String {
    let mut extra = String::new();
    let mut push = |s: &str| {
        extra.push('\n');
        extra.push_str(s);
    };
    if let Some(m) = &p.member {
        for e in [&m.role, &m.class, &m.motto].into_iter().flatten() {
            push(e);
        }
        m.honors.iter().for_each(|h| push(h));
    }
    if let Some(l) = p.activity.as_ref().and_then(|a| a.location.as_ref()) {
        push(l);
    }
    // The record is shown only for a meeting (render/views/meeting.rs).
    let m = &p.src.front.activity.meeting;
    if let Some(k) = &m.kind {
        if k.name != kind {
            push(&k.name);
        }
        for who in [&m.host, &m.recorder].into_iter().flatten() {
            push(who);
        }
        m.agenda.iter().chain(&m.decisions).for_each(|a| push(a));
    }
    if p.kind == Kind::Notice {
        let n = &p.src.front.notice;
        push(n.category.label());
        if let Some(c) = &n.contact {
            push(c);
        }
    }
    if let Some(q) = p.quiz() {
        quiz_text(q, &mut extra);
    }
    extra
}

/// Words that must stay whole: member names, tags, activity kinds, course names.
pub fn dictionary(site: &Site) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for p in &site.pages {
        if p.kind == Kind::Member {
            words.push(p.title.clone());
        }
        words.extend(p.tags.iter().cloned());
        if let Some(k) = p.activity.as_ref().and_then(|a| a.kind.clone()) {
            words.push(k);
        }
    }
    words.extend(site.courses.iter().map(|c| c.name.clone()));
    words.sort();
    words.dedup();
    words
}

/// The text of a quiz that the page shows: each question, the options of
/// choice questions, and the explanations (in the page's HTML, shown after
/// submitting). Answers are left out: the page never holds them as text
/// (docs/learning.md), and an index that held a fill-in answer would hand
/// it out. A choice question's options are all indexed alike, so the index
/// does not tell the right one from the others.
pub(crate) fn quiz_text(q: &Quiz, out: &mut String) {
    for qq in &q.questions {
        out.push('\n');
        out.push_str(&qq.question);
        if qq.kind != QuestionKind::Fill {
            for o in &qq.options {
                out.push('\n');
                out.push_str(o);
            }
        }
        if let Some(e) = &qq.explain {
            out.push('\n');
            out.push_str(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::quiz::{Answer, Question};

    #[test]
    fn quiz_text_has_questions_options_and_explanations_but_no_answers() {
        let q = Quiz {
            pass: 60,
            shuffle: false,
            questions: vec![
                Question {
                    kind: QuestionKind::Single,
                    question: "遵义会议是哪一年召开的？".into(),
                    options: vec!["1934年".into(), "1935年".into()],
                    answer: Answer::Single(1),
                    explain: Some("遵义会议在长征途中召开。".into()),
                    line: 1,
                },
                Question {
                    kind: QuestionKind::Fill,
                    question: "党的最高理想是实现____。".into(),
                    options: vec![],
                    answer: Answer::Fill(vec!["共产主义".into()]),
                    explain: None,
                    line: 5,
                },
            ],
        };
        let mut text = String::new();
        quiz_text(&q, &mut text);
        for needed in [
            "遵义会议是哪一年召开的",
            "1934年",
            "1935年",
            "长征途中",
            "最高理想",
        ] {
            assert!(text.contains(needed), "{needed} missing from {text}");
        }
        assert!(
            !text.contains("共产主义"),
            "a fill-in answer leaked: {text}"
        );
    }
}
