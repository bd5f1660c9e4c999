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
    let s = c.summary();
    assert!(s.courses >= 3);
    assert!(s.lessons >= 8);
    assert!(s.members >= 6);
    assert!(s.activities >= 12);
    assert!(s.upcoming > 0 && s.upcoming < s.activities);
    assert!(s.quizzes >= 4);
    // Every kind of question appears on some page.
    let html: String = c
        .files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| String::from_utf8_lossy(&f.read().unwrap()).into_owned())
        .collect();
    for kind in ["single", "multiple", "judge", "fill"] {
        assert!(
            html.contains(&format!("data-kind=\"{kind}\"")),
            "{kind} missing"
        );
    }
    assert!(c.files.iter().any(|f| f.path == "about/index.html"));
}

#[test]
fn every_internal_link_and_anchor_resolves() {
    for base in [None, Some("https://www.example.edu.cn/dangjian/zhibu1/")] {
        let mut o = example();
        o.base_url = base.map(str::to_string);
        let c = compile(&o).unwrap_or_else(|d| panic!("{}", d.render(false)));
        let broken = check_links(&c.files, &c.base_path());
        assert!(broken.is_empty(), "{broken:#?}");
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let dir = std::env::temp_dir().join(format!("zhibu-determinism-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut snapshots = Vec::new();
    for n in 0..2 {
        let mut o = example();
        o.output = Some(dir.join(format!("out-{n}")));
        zhibu::pipeline::build(&o).unwrap_or_else(|d| panic!("{}", d.render(false)));
        let mut files = Vec::new();
        for e in walkdir::WalkDir::new(o.output.as_ref().unwrap()).sort_by_file_name() {
            let e = e.unwrap();
            if e.file_type().is_file() {
                let rel = e
                    .path()
                    .strip_prefix(o.output.as_ref().unwrap())
                    .unwrap()
                    .to_path_buf();
                files.push((rel, std::fs::read(e.path()).unwrap()));
            }
        }
        snapshots.push(files);
    }
    assert!(snapshots[0].len() > 100);
    assert_eq!(snapshots[0].len(), snapshots[1].len());
    for (a, b) in snapshots[0].iter().zip(&snapshots[1]) {
        assert_eq!(a.0, b.0);
        assert!(a.1 == b.1, "{} differs between two builds", a.0.display());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
