//! The `zhibu` command as a user runs it: exit codes, messages, and what
//! each command writes (or does not write).

mod common;

use std::process::Command;

use common::{NOW, Site};

fn zhibu(site: &Site, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_zhibu"))
        .arg("--root")
        .arg(&site.root)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run zhibu");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn build_prints_a_summary_and_exits_zero() {
    let s = Site::new("cli-build");
    let (code, _, err) = zhibu(&s, &["build", "--now", NOW]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("已生成") && err.contains("个页面") && err.contains("秒"),
        "{err}"
    );
    assert!(s.exists("index.html"));
}

#[test]
fn build_errors_exit_one_and_keep_output() {
    let s = Site::new("cli-fail");
    zhibu(&s, &["build", "--now", NOW]);
    s.file("content/lessons/bad.md", "---\ntitle: x\ndate: 昨天\n---\n");
    let (code, _, err) = zhibu(&s, &["build", "--now", NOW]);
    assert_eq!(code, 1);
    assert!(err.contains("content/lessons/bad.md:3:7"), "{err}");
    assert!(err.contains("输出文件夹保持原样"), "{err}");
    assert!(s.exists("index.html"));
}

#[test]
fn check_lists_all_problems_and_writes_nothing() {
    let s = Site::new("cli-check");
    s.file(
        "content/lessons/a.md",
        "---\ntitle: A\ndate: 2025-02-30\n---\n",
    );
    s.file(
        "content/lessons/b.md",
        "---\ntitle: B\n---\n\n[坏链接](@/lessons/nope.md)\n",
    );
    let (code, _, err) = zhibu(&s, &["check", "--now", NOW]);
    assert_eq!(code, 1);
    assert!(
        err.contains("content/lessons/a.md:3") && err.contains("content/lessons/b.md:5"),
        "{err}"
    );
    assert!(!s.public().exists(), "check wrote output");
}

#[test]
fn check_finds_broken_anchors_in_templates_and_strict_fails_on_warnings() {
    let s = Site::new("cli-anchor");
    s.file(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<a href=\"#nowhere\">x</a>{{ page.content | safe }}{% endblock content %}",
    );
    s.file("content/about.md", "---\ntitle: 关于\n---\n");
    let (code, _, err) = zhibu(&s, &["check", "--now", NOW]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("about/index.html") && err.contains("nowhere"),
        "{err}"
    );

    let s = Site::new("cli-strict");
    s.file("content/lessons/t.md", "---\ntitle: T\ndurtion: 3\n---\n");
    let (code, _, _) = zhibu(&s, &["check", "--now", NOW]);
    assert_eq!(code, 0);
    let (code, _, err) = zhibu(&s, &["check", "--strict", "--now", NOW]);
    assert_eq!(code, 1, "{err}");
}

#[test]
fn new_creates_files_with_pinyin_names() {
    let s = Site::new("cli-new");
    let (code, out, err) = zhibu(&s, &["new", "lesson", "党的组织制度"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "content/lessons/dang-de-zu-zhi-zhi-du.md");
    let (code, out, _) = zhibu(&s, &["new", "member", "王小明"]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "content/members/wang-xiao-ming.md");
    let (code, out, _) = zhibu(&s, &["new", "activity", "植树节志愿服务"]);
    assert_eq!(code, 0);
    assert!(
        out.trim().starts_with("content/activities/")
            && out.trim().ends_with("-zhi-shu-jie-zhi-yuan-fu-wu/index.md"),
        "{out}"
    );
    // the new files are valid as they are
    let (code, _, err) = zhibu(&s, &["build", "--now", NOW]);
    assert_eq!(code, 0, "{err}");
    // never overwrites
    let (code, _, err) = zhibu(&s, &["new", "lesson", "党的组织制度"]);
    assert_eq!(code, 1);
    assert!(err.contains("已经存在"), "{err}");
}

#[test]
fn init_makes_a_site_that_builds() {
    let s = Site::empty("cli-init");
    let (code, _, err) = zhibu(&s, &["init", "my-branch"]);
    assert_eq!(code, 0, "{err}");
    let site = s.root.join("my-branch");
    assert!(site.join("site.toml").exists());
    // the build cache is never committed
    let ignore = std::fs::read_to_string(site.join(".gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "/.zhibu/"), "{ignore}");
    // nor what a build keeps beside public/ (staging, incoming, photos)
    assert!(ignore.lines().any(|l| l == "/.public.zhibu-*/"), "{ignore}");
    let out = Command::new(env!("CARGO_BIN_EXE_zhibu"))
        .args(["--root"])
        .arg(&site)
        .args(["check"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // not over an existing site
    let (code, _, _) = zhibu(&s, &["init", "my-branch"]);
    assert_eq!(code, 1);
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_make() {
    let s = Site::new("cli-out");
    let docs = s.root.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("论文.docx"), "important").unwrap();
    let (code, _, err) = zhibu(&s, &["build", "--output", docs.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        std::fs::read_to_string(docs.join("论文.docx")).unwrap(),
        "important"
    );
}

#[test]
fn usage_errors_exit_two() {
    let s = Site::new("cli-usage");
    let (code, _, _) = zhibu(&s, &["frobnicate"]);
    assert_eq!(code, 2);
}

#[test]
fn build_zip_for_upload_forms() {
    let s = Site::new("cli-zip");
    let zip = s.root.join("site.zip");
    let (code, _, err) = zhibu(
        &s,
        &[
            "build",
            "--now",
            NOW,
            "--base-url",
            "https://www.example.edu.cn/dj/",
            "--zip",
            zip.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("已打包"), "{err}");
    let archive = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().to_string())
        .collect();
    for needed in [
        "index.html",
        "404.html",
        "lessons/dang-zhang-01/index.html",
        "calendar.ics",
    ] {
        assert!(
            names.iter().any(|n| n == needed),
            "{needed} missing from the archive"
        );
    }
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("search/") && n.ends_with("/index.json"))
    );
    assert_eq!(
        archive.len(),
        walkdir::WalkDir::new(s.public())
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .count()
    );
}
