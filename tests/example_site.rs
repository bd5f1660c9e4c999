//! The example site in content/ builds without errors or warnings, and
//! every internal link and anchor in its output resolves.

use std::path::PathBuf;

use chrono::DateTime;
use zhibu::check::check_links;
use zhibu::pipeline::{Options, compile};

fn example() -> Options {
    Options {
        root: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        now: Some(DateTime::parse_from_rfc3339("2026-11-21T12:00:00+08:00").unwrap()),
        ..Default::default()
    }
}

#[test]
fn builds_cleanly() {
    let c = compile(&example()).unwrap_or_else(|d| panic!("{}", d.render(false)));
    assert!(c.warnings.is_empty(), "{}", c.warnings.render(false));
    let site = &c.site;
    assert!(site.courses.len() >= 3);
    assert!(site.lessons.len() >= 8);
    assert!(site.members.len() >= 6);
    assert!(site.activities.len() >= 12);
    assert!(!site.upcoming.is_empty() && !site.past.is_empty());
    let quizzes: Vec<_> = site.pages.iter().filter_map(|p| p.quiz()).collect();
    assert!(quizzes.len() >= 4);
    use zhibu::parse::quiz::QuestionKind::*;
    for kind in [Single, Multiple, Judge, Fill] {
        assert!(
            quizzes
                .iter()
                .any(|q| q.questions.iter().any(|x| x.kind == kind)),
            "{kind:?} missing"
        );
    }
    assert!(site.pages.iter().any(|p| p.path == "about/"));
}

#[test]
fn every_internal_link_and_anchor_resolves() {
    for base in [None, Some("https://www.example.edu.cn/dangjian/zhibu1/")] {
        let mut o = example();
        o.base_url = base.map(str::to_string);
        let c = compile(&o).unwrap_or_else(|d| panic!("{}", d.render(false)));
        let broken = check_links(&c.files, &c.site.config.base_path());
        assert!(broken.is_empty(), "{broken:#?}");
    }
}
