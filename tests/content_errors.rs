//! Bad input: every mistake is reported with its file and line, all at once,
//! and nothing hangs or panics.

mod common;

use common::Site;

#[test]
fn unknown_config_key_names_the_closest() {
    let s = Site::new("config");
    s.file("site.toml", "title = \"x\"\npaginte_by = 5\n");
    let e = s.build_err();
    assert!(e.contains("site.toml:2"), "{e}");
    assert!(
        e.contains("paginte_by") && e.contains("`paginate_by`"),
        "{e}"
    );
}

#[test]
fn gbk_file_is_named_with_a_fix() {
    let s = Site::new("gbk");
    let (bytes, _, _) = encoding_rs::GBK.encode("---\ntitle: 党章学习\n---\n正文\n");
    s.bytes("content/lessons/gbk.md", &bytes);
    let e = s.build_err();
    assert!(e.contains("content/lessons/gbk.md:2"), "{e}");
    assert!(e.contains("GBK") && e.contains("UTF-8"), "{e}");
}

#[test]
fn bom_and_crlf_are_fine() {
    let s = Site::new("bom");
    s.bytes(
        "content/lessons/windows.md",
        "\u{feff}---\r\ntitle: 记事本写的课\r\ndate: 2025-01-02\r\n---\r\n\r\n## 小标题\r\n\r\n正文\r\n".as_bytes(),
    );
    s.build_ok();
    let html = s.read("lessons/windows/index.html");
    assert!(html.contains("<h1>记事本写的课</h1>"), "{html}");
    assert!(
        html.contains("<h2 id=\"xiao-biao-ti\">小标题</h2>"),
        "{html}"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_never_hang() {
    let s = Site::new("loop");
    std::fs::create_dir_all(s.root.join("content/lessons/sub")).unwrap();
    std::os::unix::fs::symlink(
        s.root.join("content/lessons"),
        s.root.join("content/lessons/sub/back"),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let r = s.build_ok();
    assert!(started.elapsed().as_secs() < 60);
    let warnings = r.warnings.render(false);
    assert!(warnings.contains("循环"), "{warnings}");
}

#[test]
fn every_problem_in_every_file_at_once() {
    let s = Site::new("many");
    s.file(
        "content/lessons/a.md",
        "---\ntitle: A\ndate: 2025-02-30\nduration: 半小时\n---\n",
    );
    s.file("content/lessons/b.md", "---\ntitle: [列表]\n---\n");
    s.file(
        "content/activities/c.md",
        "---\ntitle: C\ndate: 2025-01-01\nparticipants: [wang-wu]\n---\n",
    );
    let e = s.build_err();
    for needed in [
        "content/lessons/a.md:3:7",
        "content/lessons/a.md:4",
        "content/lessons/b.md:2",
        "content/activities/c.md:4",
    ] {
        assert!(e.contains(needed), "{needed} missing:\n{e}");
    }
    assert!(e.contains("wang-wu"), "{e}");
}

#[test]
fn typo_is_a_warning_that_names_the_key() {
    let s = Site::new("typo");
    s.file("content/lessons/t.md", "---\ntitle: T\ndurtion: 30\n---\n");
    let r = s.build_ok();
    let w = r.warnings.render(false);
    assert!(w.contains("content/lessons/t.md:3:1"), "{w}");
    assert!(w.contains("`duration`"), "{w}");
}

#[test]
fn yaml_syntax_error_has_a_line_and_a_hint() {
    let s = Site::new("yaml");
    s.file(
        "content/lessons/y.md",
        "---\ntitle: 会议：主题\ntags: [a, b\n---\n",
    );
    let e = s.build_err();
    // Named where the bracket opens, not where the parser gave up.
    assert!(e.contains("content/lessons/y.md:3:7"), "{e}");
    assert!(e.contains("括号没有配对"), "{e}");
    assert!(e.contains("提示"), "{e}");
}

#[test]
fn alias_bomb_fails_fast() {
    let s = Site::new("bomb");
    let mut y = String::from("---\ntitle: x\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        y.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    y.push_str("---\n");
    s.file("content/lessons/bomb.md", &y);
    let started = std::time::Instant::now();
    let e = s.build_err();
    assert!(
        started.elapsed().as_secs() < 30,
        "took {:?}",
        started.elapsed()
    );
    assert!(e.contains("content/lessons/bomb.md"), "{e}");
}

#[test]
fn missing_front_matter_and_title() {
    let s = Site::new("missing");
    s.file("content/lessons/none.md", "# 只有正文\n");
    s.file("content/lessons/notitle.md", "---\ndate: 2025-01-01\n---\n");
    let e = s.build_err();
    assert!(e.contains("content/lessons/none.md:1"), "{e}");
    assert!(e.contains("content/lessons/notitle.md:2"), "{e}");
    assert!(e.contains("title"), "{e}");
}

#[test]
fn duplicate_output_paths_name_both_files() {
    let s = Site::new("dup");
    s.file(
        "content/lessons/one.md",
        "---\ntitle: 一\nslug: same\n---\n",
    );
    s.file(
        "content/lessons/two.md",
        "---\ntitle: 二\nslug: same\n---\n",
    );
    let e = s.build_err();
    assert!(
        e.contains("content/lessons/one.md") && e.contains("content/lessons/two.md"),
        "{e}"
    );
    assert!(e.contains("/lessons/same/"), "{e}");
}

#[test]
fn slug_cannot_escape_the_output() {
    let s = Site::new("escape");
    s.file(
        "content/lessons/evil.md",
        "---\ntitle: 坏\nslug: ../../../tmp/evil\n---\n",
    );
    let e = s.build_err();
    assert!(e.contains("content/lessons/evil.md:3"), "{e}");
    assert!(!s.root.join("tmp").exists());
}

#[test]
fn page_named_like_a_generated_page() {
    let s = Site::new("reserved");
    s.file("content/search.md", "---\ntitle: 搜索\n---\n");
    let e = s.build_err();
    assert!(
        e.contains("content/search.md") && e.contains("搜索页"),
        "{e}"
    );
}

#[test]
fn privacy_guard_keys_and_numbers() {
    let s = Site::new("privacy");
    s.file(
        "content/members/wang.md",
        "---\nname: 王五\nphone: 13812345678\n---\n",
    );
    s.file(
        "content/lessons/p.md",
        "---\ntitle: 报名\n---\n\n报名请联系 13912345678。\n",
    );
    let e = s.build_err();
    assert!(e.contains("content/members/wang.md:3:1"), "{e}");
    assert!(e.contains("content/lessons/p.md:5"), "{e}");
    assert!(e.contains("[privacy]"), "{e}");
    // The message never repeats the whole number (CI logs are often public).
    assert!(!e.contains("13912345678"), "{e}");
}

#[test]
fn privacy_allow_list() {
    let s = Site::new("allow");
    s.file(
        "site.toml",
        "title = \"x\"\n[privacy]\nallow = [\"phone\", \"13912345678\"]\n",
    );
    s.file(
        "content/members/wang.md",
        "---\nname: 王五\nphone: 办公室\n---\n",
    );
    s.file(
        "content/lessons/p.md",
        "---\ntitle: 报名\n---\n\n报名请联系 13912345678。\n",
    );
    s.build_ok();
}

#[test]
fn quiz_mistakes_are_reported_with_lines() {
    let s = Site::new("quiz");
    s.file(
        "content/lessons/q.md",
        "---\ntitle: 测验\nquiz:\n  questions:\n    - type: single\n      question: 一？\n      options: [甲, 乙]\n      answer: C\n    - type: single\n      question: 二？\n      options: [甲, 乙]\n      answer: [A, B]\n    - type: 简答\n      question: 三？\n      answer: x\n    - type: judge\n      question: \"\"\n      answer: 对\n---\n",
    );
    let e = s.build_err();
    for line in ["q.md:8:15", "q.md:12", "q.md:13", "q.md:17"] {
        assert!(e.contains(line), "{line} missing:\n{e}");
    }
}

#[test]
fn missing_internal_link_target_is_an_error() {
    let s = Site::new("link");
    s.file(
        "content/lessons/l.md",
        "---\ntitle: L\n---\n\n第一行\n\n见[党章](@/lessons/dang-zhang-02.md)。\n",
    );
    let e = s.build_err();
    assert!(e.contains("content/lessons/l.md:7"), "{e}");
    assert!(
        e.contains("@/lessons/dang-zhang-01.md"),
        "suggests the closest page: {e}"
    );
}

#[test]
fn missing_image_in_a_bundle_is_an_error() {
    let s = Site::new("img");
    s.file(
        "content/activities/x/index.md",
        "---\ntitle: X\ndate: 2025-01-01\n---\n\n![合影](he-ying.jpg)\n",
    );
    let e = s.build_err();
    assert!(e.contains("content/activities/x/index.md:6"), "{e}");
}

#[test]
fn unknown_participant_suggests_a_member() {
    let s = Site::new("participant");
    s.file(
        "content/activities/y/index.md",
        "---\ntitle: Y\ndate: 2025-01-01\nparticipants:\n  - zhang-san\n  - zhang-shan\n---\n",
    );
    let e = s.build_err();
    assert!(e.contains("content/activities/y/index.md:6:5"), "{e}");
    assert!(e.contains("zhang-san"), "{e}");
}

#[test]
fn template_error_points_into_the_template() {
    let s = Site::new("tpl");
    s.file("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}{{ page.title | nosuchfilter }}{% endblock content %}\n");
    s.file("content/about.md", "---\ntitle: 关于\n---\n");
    let e = s.build_err();
    assert!(e.contains("templates/page.html:2"), "{e}");
}

#[test]
fn toml_front_matter_is_named_and_shown_as_yaml() {
    let s = Site::new("toml");
    s.file(
        "content/lessons/hugo.md",
        "+++\ntitle = \"从 Hugo 搬来的课\"\nduration = 20\n+++\n\n正文\n",
    );
    let e = s.build_err();
    assert!(e.contains("content/lessons/hugo.md:1:1"), "{e}");
    assert!(e.contains("TOML") && e.contains("YAML"), "{e}");
    assert!(
        e.contains("title: 从 Hugo 搬来的课") && e.contains("duration: 20"),
        "{e}"
    );
}

#[test]
fn full_width_colon_is_named_at_its_column_or_understood() {
    let s = Site::new("colon");
    s.file(
        "content/lessons/ok.md",
        "---\ntitle: 好\nduration：20\n---\n",
    );
    s.file(
        "content/lessons/bad.md",
        "---\ntitle: 坏\n学习心得：很好\n---\n",
    );
    let e = s.build_err();
    assert!(e.contains("content/lessons/bad.md:3:5"), "{e}");
    assert!(e.contains("把中文冒号 ： 改成英文冒号 :"), "{e}");
    assert!(!e.contains("ok.md"), "duration：20 is understood: {e}");
}

#[test]
fn slug_and_course_names_the_os_refuses_name_the_file() {
    let s = Site::new("os-names");
    s.file(
        "content/lessons/a.md",
        "---\ntitle: A\nslug: index.html\n---\n",
    );
    s.file(
        "content/lessons/b.md",
        &format!(
            "---\ntitle: B\ncourse: {}\n---\n",
            "马克思主义基本原理概论".repeat(8)
        ),
    );
    let e = s.build_err();
    assert!(e.contains("content/lessons/a.md:3:7"), "{e}");
    assert!(
        e.contains("content/lessons/b.md:3:9") && e.contains("255 字节"),
        "{e}"
    );
    assert!(!e.contains("磁盘") && !e.contains("os error"), "{e}");
}
