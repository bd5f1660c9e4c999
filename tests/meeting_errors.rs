//! Mistakes in meeting records and `[ledger]`: each named with its file,
//! line and a hint, all at once.

mod common;

use common::Site;

fn record(s: &Site, name: &str, front: &str) {
    s.file(
        &format!("content/activities/{name}.md"),
        &format!("---\ntitle: 支委会\ndate: 2026-03-12 18:30\n{front}---\n\n内容。\n"),
    );
}

#[test]
fn counts_that_do_not_add_up_name_the_line() {
    let s = Site::new("sum");
    record(
        &s,
        "a",
        "meeting: 支部委员会\nattendance:\n  expected: 19\n  present: 17\n  leave: 1\n",
    );
    let e = s.build_err();
    assert!(e.contains("content/activities/a.md:5"), "{e}");
    assert!(
        e.contains("实到 17 + 请假 1 + 缺席 0 = 18，但应到是 19"),
        "{e}"
    );
    assert!(e.contains("还差 1 人"), "{e}");
}

#[test]
fn attendance_before_the_meeting_is_an_error() {
    let s = Site::new("future");
    s.file(
        "content/activities/later.md",
        "---\ntitle: 党员大会\ndate: 2026-12-20 19:00\nmeeting: 党员大会\nattendance: {expected: 19, present: 19}\n---\n",
    );
    let e = s.build_err();
    assert!(e.contains("content/activities/later.md:5:1"), "{e}");
    assert!(
        e.contains("还没有开") && e.contains("2026-12-20 19:00"),
        "{e}"
    );
    assert!(e.contains("会议开完后再写出勤人数"), "{e}");
}

#[test]
fn an_unknown_type_suggests_the_closest() {
    let s = Site::new("unknown");
    record(&s, "a", "meeting: 支部委员会议\n");
    record(&s, "b", "meeting: 三会一课\n");
    record(&s, "c", "meeting: 读书会\n");
    let e = s.build_err();
    assert!(e.contains("content/activities/a.md:4:10"), "{e}");
    assert!(e.contains("未知的会议类型 `支部委员会议`"), "{e}");
    assert!(e.contains("是不是 meeting: 支部委员会？"), "{e}");
    assert!(
        e.contains("content/activities/b.md:4") && e.contains("统称"),
        "{e}"
    );
    assert!(
        e.contains("content/activities/c.md:4") && e.contains("[ledger]"),
        "{e}"
    );
}

#[test]
fn aliases_and_site_types_are_known() {
    let s = Site::new("alias");
    s.file(
        "site.toml",
        "title = \"测试支部\"\nbase_url = \"https://test.example.edu.cn/\"\n[ledger]\n\"读书会\" = \"month\"\n",
    );
    record(&s, "a", "meeting: 支委会\n");
    record(&s, "b", "meeting: 党员大会\n");
    record(&s, "c", "meeting: 读书会\n");
    let r = s.build_ok();
    assert!(r.warnings.is_empty(), "{}", r.warnings.render(false));
    let ledger = s.read("ledger/2026/index.html");
    for kind in ["支部委员会", "支部党员大会", "读书会"] {
        assert!(ledger.contains(&format!(">{kind} <small>")), "{kind}");
    }
    assert!(
        s.read("activities/a/index.html")
            .contains("<td>支部委员会</td>")
    );
}

#[test]
fn every_problem_of_every_record_at_once() {
    let s = Site::new("many");
    record(
        &s,
        "a",
        "meeting: 党课\nattendance: {expected: 10, present: 12}\n",
    );
    record(
        &s,
        "b",
        "meeting: 党课\nattendance:\n  应到: 10\n  实道: 9\n",
    );
    record(&s, "c", "meeting: 党课\nattendance: 应到19实到18\n");
    record(
        &s,
        "d",
        "recorder: 李委员\nattendance: {expected: 3, present: 3}\n",
    );
    let r = s.build();
    let e = r.err().expect("errors").render(false);
    assert!(
        e.contains("content/activities/a.md:5") && e.contains("多了 2 人"),
        "{e}"
    );
    assert!(
        e.contains("content/activities/b.md:7")
            && e.contains("`实道`")
            && e.contains("是不是 `实到`"),
        "{e}"
    );
    assert!(
        e.contains("content/activities/c.md:5") && e.contains("expected: 19"),
        "{e}"
    );
    // a record without `meeting:` is only a warning, named at its key
    assert!(
        e.contains("content/activities/d.md:4") && e.contains("不会记入台账"),
        "{e}"
    );
}

#[test]
fn a_bad_ledger_setting_names_its_line() {
    let s = Site::new("config");
    s.file(
        "site.toml",
        "title = \"测试支部\"\n\n[ledger]\n\"党课\" = \"weekly\"\n",
    );
    let e = s.build_err();
    assert!(e.contains("site.toml:4:1"), "{e}");
    assert!(
        e.contains("`weekly` 无法识别") && e.contains("quarter"),
        "{e}"
    );
    s.file(
        "site.toml",
        "title = \"测试支部\"\n[ledger]\nsince = \"去年\"\n",
    );
    let e = s.build_err();
    assert!(
        e.contains("site.toml:3") && e.contains("since = \"2026-01\""),
        "{e}"
    );
}
