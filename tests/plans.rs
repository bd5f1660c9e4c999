//! Study plans (content/plans/): items in every spelling an editor uses,
//! what "done" means for each kind of page, broken items named at their
//! line with the closest file, the current plan on the home page, and
//! live preview re-rendering what shows a plan.

mod common;

use common::{Site, bytes};
use zhibu::serve::{Change, LiveSite};

/// Site::new plus a lesson without a quiz, a bundle lesson, a quiz-only
/// test, a course description and a draft.
fn site(name: &str) -> Site {
    let s = Site::new(name);
    s.file(
        "content/lessons/si-xiang-hui-bao.md",
        "---\ntitle: 思想汇报怎么写\ndate: 2025-10-01\n---\n\n正文。\n",
    );
    s.file(
        "content/lessons/jing-gang-shan/index.md",
        "---\ntitle: 井冈山\ndate: 2025-10-02\ncourse: 党史故事\n---\n\n正文。\n",
    );
    s.file(
        "content/lessons/ce-ping.md",
        "---\ntitle: 十一月月度测评\ndate: 2026-11-20\nquiz:\n  questions:\n    - type: judge\n      question: 组织生活会一般每年召开一次。\n      answer: 对\n---\n",
    );
    s.file(
        "content/courses/dang-shi.md",
        "---\ntitle: 党史故事\n---\n\n介绍。\n",
    );
    s.file(
        "content/lessons/cao-gao.md",
        "---\ntitle: 草稿\ndraft: true\n---\n\n还没写完。\n",
    );
    s
}

fn plan(s: &Site, rel: &str, front: &str) {
    s.file(rel, &format!("---\n{front}---\n\n按时完成。\n"));
}

fn item_attrs(html: &str) -> Vec<String> {
    html.split("<li class=\"plan-item\"")
        .skip(1)
        .map(|li| li.split('>').next().unwrap_or("").to_string())
        .collect()
}

#[test]
fn items_resolve_in_every_spelling_with_what_done_means() {
    let s = site("plan-items");
    plan(
        &s,
        "content/plans/shi-yi-yue.md",
        "title: 十一月学习任务\nstart: 2026-11-15\ndue: 2026-12-31\nitems:\n  - \"@/lessons/dang-zhang-01.md\"\n  - lessons/si-xiang-hui-bao.md\n  - page: /lessons/ce-ping/\n    due: 2026-12-10\n  - page: \"https://test.example.edu.cn/lessons/jing-gang-shan/\"\n    required: false\n  - \"@/courses/dang-shi.md\"\n  - \"@/activities/2026-12-05-zhiyuan/index.md\"\n  - \"@/members/zhang-san.md\"\n",
    );
    s.build_ok();
    let html = s.read("plans/shi-yi-yue/index.html");
    let items = item_attrs(&html);
    assert_eq!(items.len(), 7, "{html}");
    let expect = [
        ("lessons/dang-zhang-01/", "quiz"),
        ("lessons/si-xiang-hui-bao/", "read"),
        ("lessons/ce-ping/", "quiz"),
        ("lessons/jing-gang-shan/", "read"),
        ("courses/dang-shi/", "course"),
        ("activities/2026-12-05-zhiyuan/", "mark"),
        ("members/zhang-san/", "mark"),
    ];
    for (li, (key, done)) in items.iter().zip(expect) {
        assert!(li.contains(&format!("data-key=\"{key}\"")), "{li}");
        assert!(li.contains(&format!("data-done=\"{done}\"")), "{li}");
    }
    // The course's lessons are what the reader's record is checked for.
    assert!(
        items[4].contains("data-keys=\"lessons/jing-gang-shan/\""),
        "{}",
        items[4]
    );
    // Own due date, else the plan's; optional items are marked.
    assert!(
        items[2].contains("data-now-end=\"2026-12-11T00:00:00+08:00\""),
        "{}",
        items[2]
    );
    assert!(
        items[0].contains("data-now-end=\"2027-01-01T00:00:00+08:00\""),
        "{}",
        items[0]
    );
    assert!(items[3].contains("data-optional"), "{}", items[3]);
    assert!(html.contains("截止 <time datetime=\"2026-12-10\">2026年12月10日</time>"));
    assert!(html.contains("共 7 项（必做 6 项，可选 1 项）"), "{html}");
    assert!(
        html.contains(">测评</span>"),
        "a quiz without text is a 测评"
    );
    // Plans have their own list.
    assert!(s.read("plans/index.html").contains("十一月学习任务"));
}

#[test]
fn an_item_pointing_nowhere_is_an_error_at_its_line_with_the_closest_file() {
    let s = site("plan-broken");
    s.file("content/lessons/_index.md", "---\ntitle: 学习课程\n---\n");
    plan(
        &s,
        "content/plans/x.md",
        "title: 任务\nitems:\n  - \"@/lessons/dang-zhang-01.md\"\n  - page: \"@/lesson/si-xiang-hui-bao.md\"\n  - \"@/lessons/cao-gao.md\"\n  - \"@/lessons/_index.md\"\n  - /lessons/\n  - \"https://other.example.org/lessons/a/\"\n",
    );
    let e = s.build_err();
    assert!(e.contains("content/plans/x.md:5:11"), "{e}");
    assert!(
        e.contains("指向的文件不存在：content/lesson/si-xiang-hui-bao.md"),
        "{e}"
    );
    assert!(e.contains("是不是 @/lessons/si-xiang-hui-bao.md？"), "{e}");
    assert!(
        e.contains("content/plans/x.md:6:5") && e.contains("草稿"),
        "{e}"
    );
    assert!(
        e.contains("x.md:7:5\n  |\n7 |   - \"@/lessons/_index.md\""),
        "{e}"
    );
    assert!(
        e.contains("content/plans/x.md:8:5") && e.contains("栏目列表"),
        "{e}"
    );
    assert!(
        e.contains("content/plans/x.md:9:5") && e.contains("不是本站的网址"),
        "{e}"
    );
    assert_eq!(e.matches("栏目列表").count(), 2, "{e}");
}

#[test]
fn dates_and_shapes_are_checked_where_written() {
    let s = site("plan-dates");
    plan(
        &s,
        "content/plans/a.md",
        "title: 任务\nstart: 2026-11-15\ndue: 2026-12-31\nitems:\n  - page: \"@/lessons/dang-zhang-01.md\"\n    due: 2025-11-30\n  - pag: \"@/lessons/si-xiang-hui-bao.md\"\n",
    );
    plan(
        &s,
        "content/plans/b.md",
        "title: 空计划\nstart: 2026-12-31\ndue: 2026-12-01\n",
    );
    plan(
        &s,
        "content/plans/c.md",
        "title: 互相指\nitems: [\"@/plans/a.md\"]\n",
    );
    let e = s.build_err();
    // The item due before the plan starts (a wrong year), at its date.
    assert!(e.contains("content/plans/a.md:7:10"), "{e}");
    assert!(e.contains("早于计划的开始日期 2026-11-15"), "{e}");
    assert!(
        e.contains("content/plans/a.md:8:5") && e.contains("`page`"),
        "{e}"
    );
    assert!(
        e.contains("content/plans/b.md:4:6") && e.contains("早于开始日期"),
        "{e}"
    );
    assert!(
        e.contains("content/plans/b.md") && e.contains("没有任何任务"),
        "{e}"
    );
    assert!(
        e.contains("content/plans/c.md:3:9") && e.contains("另一个学习计划"),
        "{e}"
    );
}

#[test]
fn the_home_page_shows_the_plans_current_when_built_and_those_to_come_hidden() {
    let s = site("plan-home");
    let items = "items: [\"@/lessons/dang-zhang-01.md\"]\n";
    // Built at 2026-11-21: current, current without due, upcoming, over.
    plan(
        &s,
        "content/plans/now.md",
        &format!("title: 本月任务\nstart: 2026-11-15\ndue: 2026-11-30\n{items}"),
    );
    plan(
        &s,
        "content/plans/open.md",
        &format!("title: 长期任务\nstart: 2026-09-01\n{items}"),
    );
    plan(
        &s,
        "content/plans/next.md",
        &format!("title: 下月任务\nstart: 2026-12-01\ndue: 2026-12-31\n{items}"),
    );
    plan(
        &s,
        "content/plans/past.md",
        &format!("title: 上月任务\nstart: 2026-10-01\ndue: 2026-10-31\n{items}"),
    );
    s.build_ok();
    let home = s.read("index.html");
    let section = home
        .split("id=\"h-plans\"")
        .nth(1)
        .and_then(|h| h.split("</section>").next())
        .expect("本期学习任务 on the home page");
    assert!(home.contains("本期学习任务"));
    let shown: Vec<&str> = section
        .split("<div class=\"plan-card\"")
        .skip(1)
        .map(|c| {
            if c.split('>').next().unwrap().contains("hidden") {
                "hidden"
            } else {
                "shown"
            }
        })
        .collect();
    // due soonest first, then the open one; the next one hidden; the past one absent
    assert_eq!(shown, ["shown", "shown", "hidden"], "{section}");
    let order: Vec<usize> = ["本月任务", "长期任务", "下月任务"]
        .iter()
        .map(|t| {
            section
                .find(t)
                .unwrap_or_else(|| panic!("{t} in {section}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{section}");
    assert!(!section.contains("上月任务"));
    // The window is left to the reader's clock (now.js, docs/time.md).
    assert!(section.contains(
        "data-now-start=\"2026-12-01T00:00:00+08:00\" data-now-end=\"2027-01-01T00:00:00+08:00\" data-now=\"upcoming\""
    ));
    // An open plan is a window too, so that its items' windows stay inside it.
    assert!(section.contains(
        "data-now-start=\"2026-09-01T00:00:00+08:00\" data-now-end=\"\" data-now=\"current\""
    ));
    // 我的学习 lists every plan.
    let me = s.read("me/index.html");
    for t in ["本月任务", "长期任务", "下月任务", "上月任务"] {
        assert!(me.contains(t), "{t}");
    }
    // The latest lessons and tests.
    assert!(home.contains("最新课程与测评") && home.contains("十一月月度测评"));
}

#[test]
fn no_plan_no_block_and_an_overdue_item_reads_so_without_javascript() {
    let s = site("plan-none");
    s.build_ok();
    assert!(!s.read("index.html").contains("本期学习任务"));
    plan(
        &s,
        "content/plans/late.md",
        "title: 任务\nstart: 2026-11-01\ndue: 2026-12-31\nitems:\n  - page: \"@/lessons/dang-zhang-01.md\"\n    due: 2026-11-10\n",
    );
    s.build_ok();
    let html = s.read("plans/late/index.html");
    assert!(
        html.contains("<span class=\"item-state is-late\">已截止</span>"),
        "{html}"
    );
}

/// Attachments are on every kind (SPEC): a plan in a bundle lists its
/// study material for download, and a file it does not list is named.
#[test]
fn a_plan_bundle_lists_its_attachments() {
    let s = site("plan-attach");
    s.bytes("content/plans/shi-er-yue/学习材料.pdf", b"%PDF-1.4");
    s.bytes("content/plans/shi-er-yue/草稿.docx", b"docx");
    s.file(
        "content/plans/shi-er-yue/index.md",
        "---\ntitle: 十二月学习任务\nattachments: [学习材料.pdf]\nitems:\n  - \"@/lessons/dang-zhang-01.md\"\n---\n\n先读材料。\n",
    );
    let r = s.build_ok();
    let html = s.read("plans/shi-er-yue/index.html");
    assert!(
        html.contains("href=\"/plans/shi-er-yue/学习材料.pdf\" download>学习材料.pdf</a>"),
        "{html}"
    );
    assert!(s.exists("plans/shi-er-yue/学习材料.pdf"));
    let w = r.warnings.render(false);
    assert!(w.contains("content/plans/shi-er-yue/草稿.docx"), "{w}");
    assert!(!w.contains("学习材料.pdf"), "{w}");
}

#[test]
fn live_preview_rerenders_what_shows_a_plan() {
    let s = site("plan-serve");
    plan(
        &s,
        "content/plans/p.md",
        "title: 任务\nstart: 2026-11-01\ndue: 2026-12-31\nitems: [\"@/lessons/si-xiang-hui-bao.md\", \"@/courses/dang-shi.md\"]\n",
    );
    let mut live = LiveSite::new(s.options()).unwrap();
    let quiz = "quiz:\n  questions:\n    - type: judge\n      question: 党章是党的根本大法。\n      answer: 对\n";
    let edits = [
        // A lesson in the plan gets a new title: the plan page, home and 我的学习 show it.
        (
            "content/lessons/si-xiang-hui-bao.md",
            "---\ntitle: 怎样写思想汇报\ndate: 2025-10-01\n---\n\n正文。\n".to_string(),
        ),
        // It gets a quiz: done now means passing it.
        (
            "content/lessons/si-xiang-hui-bao.md",
            format!("---\ntitle: 怎样写思想汇报\ndate: 2025-10-01\n{quiz}---\n\n正文。\n"),
        ),
        // Its text goes (a body edit): it is a 测评 now.
        (
            "content/lessons/si-xiang-hui-bao.md",
            format!("---\ntitle: 怎样写思想汇报\ndate: 2025-10-01\n{quiz}---\n"),
        ),
        // A lesson of the course in the plan is renamed.
        (
            "content/lessons/jing-gang-shan/index.md",
            "---\ntitle: 井冈山的星火\ndate: 2025-10-02\ncourse: 党史故事\n---\n\n正文。\n".to_string(),
        ),
        // The plan's dates and items change.
        (
            "content/plans/p.md",
            "---\ntitle: 任务\nstart: 2026-11-01\ndue: 2026-11-30\nitems: [\"@/lessons/si-xiang-hui-bao.md\", \"@/lessons/ce-ping.md\"]\n---\n\n按时完成。\n".to_string(),
        ),
        // The plan's body only.
        (
            "content/plans/p.md",
            "---\ntitle: 任务\nstart: 2026-11-01\ndue: 2026-11-30\nitems: [\"@/lessons/si-xiang-hui-bao.md\", \"@/lessons/ce-ping.md\"]\n---\n\n月底前完成。\n".to_string(),
        ),
        // It starts later: upcoming, hidden on the home page.
        (
            "content/plans/p.md",
            "---\ntitle: 任务\nstart: 2026-12-01\ndue: 2026-12-31\nitems: [\"@/lessons/si-xiang-hui-bao.md\", \"@/lessons/ce-ping.md\"]\n---\n\n月底前完成。\n".to_string(),
        ),
    ];
    for (rel, text) in &edits {
        s.file(rel, text);
        live.rebuild(Change::Content, &s.root, &[s.root.join(rel)])
            .unwrap_or_else(|d| panic!("{rel}: {}", d.render(false)));
        let (got, want) = (bytes(live.files()), common::full_build(&s));
        let differ: Vec<&String> = want
            .keys()
            .chain(got.keys())
            .filter(|k| got.get(*k) != want.get(*k))
            .collect();
        assert!(
            differ.is_empty(),
            "{rel}: differ from a full build: {differ:?}"
        );
    }
    let home = String::from_utf8(bytes(live.files())["index.html"].clone()).unwrap();
    assert!(home.contains("怎样写思想汇报") && home.contains(">测评<"));
}
