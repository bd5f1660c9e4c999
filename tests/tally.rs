//! `zhibu tally` as the branch secretary uses it: records collected from
//! the group chat (files and pasted 学习记录码, some broken, some sent twice,
//! one from another branch's site) become one table per reader; nothing
//! good is lost, every bad record is named, the CSV opens in Excel.

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use common::{NOW, Site};
use zhibu::tally::record::{QuizResult, Record, to_code};

/// Site::new (a lesson with a quiz, in course 党章学习) plus a lesson
/// without a quiz and a current plan of both.
fn site(name: &str) -> Site {
    let s = Site::new(name);
    s.file(
        "content/lessons/si-xiang-hui-bao.md",
        "---\ntitle: 思想汇报怎么写\ndate: 2025-10-01\n---\n\n正文。\n",
    );
    s.file(
        "content/plans/shi-yi-yue.md",
        "---\ntitle: 十一月学习任务\nstart: 2026-11-15\ndue: 2026-12-31\nitems:\n  - page: \"@/lessons/dang-zhang-01.md\"\n    due: 2026-11-20\n  - \"@/lessons/si-xiang-hui-bao.md\"\n  - page: \"@/activities/2026-12-05-zhiyuan/index.md\"\n    required: false\n---\n",
    );
    s
}

/// Minutes since 1970 of a Beijing time.
fn at(s: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp() / 60
}

fn record(name: &str) -> Record {
    let mut r = Record {
        site: "https://test.example.edu.cn/".into(),
        name: name.into(),
        exported: Some(at("2026-11-21T10:00:00+08:00")),
        ..Default::default()
    };
    r.lessons.insert(
        "lessons/dang-zhang-01/".into(),
        at("2026-11-18T20:00:00+08:00"),
    );
    r.quizzes.insert(
        "lessons/dang-zhang-01/".into(),
        QuizResult {
            best: 100,
            attempts: 1,
            passed: true,
            perfect: true,
            at: at("2026-11-18T20:05:00+08:00"),
            last: 100,
        },
    );
    r
}

fn zhibu(s: &Site, args: &[&str]) -> (i32, String, String) {
    // File names are relative to where the secretary runs the command.
    let out = Command::new(env!("CARGO_BIN_EXE_zhibu"))
        .current_dir(&s.root)
        .arg("--root")
        .arg(&s.root)
        .arg("tally")
        .args(["--now", NOW])
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

/// A CSV as Excel reads it: quoted fields, doubled quotes, CRLF rows.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field, mut quoted, mut chars) =
        (Vec::new(), String::new(), false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    rows
}

#[test]
fn good_records_are_tallied_and_bad_ones_named_and_skipped() {
    let s = site("tally");
    let zhang = record("张三");
    let mut li = record("李四");
    li.lessons.insert(
        "lessons/si-xiang-hui-bao/".into(),
        at("2026-11-19T09:00:00+08:00"),
    );
    li.tasks.insert(
        "activities/2026-12-05-zhiyuan/".into(),
        at("2026-11-20T09:00:00+08:00"),
    );
    let mut foreign = record("赵六");
    foreign.site = "https://other.example.org/zhibu/".into();
    let mut wang = record("王五");
    wang.quizzes.clear();
    wang.name = "=HYPERLINK(\"x\")".into();

    let code = to_code(&li);
    // The chat app broke 李四's code into lines; 张三's was cut short; 李四
    // sent the code twice.
    let broken: String = code
        .chars()
        .collect::<Vec<_>>()
        .chunks(25)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" \n");
    let cut = &to_code(&zhang)[..60];
    let chat = format!(
        "[11-21] 李四：我的学习记录码\n{broken}\n[11-21] 张三：{cut}\n[11-21] 李四：{code}\n[11-21] 赵六：{}\n",
        to_code(&foreign)
    );
    s.file("records/chat.txt", &chat);
    let line_of = |who: &str| {
        chat.lines()
            .position(|l| l.starts_with(&format!("[11-21] {who}：")))
            .unwrap()
            + 1
    };
    // 张三's file, as exported (an older file without name would read as unnamed).
    s.file(
        "records/zhang.json",
        r#"{"version":1,"site":"https://test.example.edu.cn/","name":"张三","exported":"2026-11-21T02:00:00.000Z",
            "lessons":{"lessons/dang-zhang-01/":{"title":"党章第一课","read":"2026-11-18T12:00:30.000Z"}},
            "quizzes":{"lessons/dang-zhang-01/":{"title":"党章第一课","attempts":1,"best":100,"last":100,"passed":true,
                        "passedAt":"2026-11-18T12:05:00.000Z","perfect":true,"date":"2026-11-18T12:05:00.000Z"}},
            "tasks":{}}"#,
    );
    s.file(
        "records/half.json",
        "{\"version\": 1, \"site\": \"https://test.example.edu.cn/\", \"lessons\": {",
    );
    s.file("records/wang.txt", &to_code(&wang));
    s.file("records/note.txt", "书记好，记录码明天再发。\n");

    let csv = s.root.join("records/out.csv");
    let (status, out, err) = zhibu(
        &s,
        &[
            "records/chat.txt",
            "records/zhang.json",
            "records/half.json",
            "records/wang.txt",
            "records/note.txt",
            "--csv",
            csv.to_str().unwrap(),
        ],
    );
    assert_eq!(status, 1, "skipped records make exit 1\n{out}\n{err}");
    // The current plan is chosen; the table says the records are self-reported.
    assert!(out.contains("学习任务完成情况：十一月学习任务"), "{out}");
    assert!(out.contains("自报"), "{out}");
    let row = |name: &str| {
        out.lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} in\n{out}"))
            .split_whitespace()
            .collect::<Vec<_>>()
    };
    // 1 = quiz passed 11-18 with 100, 2 = not read (due 12-31: not late),
    // 3 = optional. Points: lesson 2 + quiz 5 + 100 % 3 + course 党章学习 10.
    assert_eq!(
        row("张三"),
        ["张三", "✓11-18", "100分", "—", "—", "1/2", "20"]
    );
    assert_eq!(
        row("李四"),
        ["李四", "✓11-18", "100分", "✓11-19", "✓11-20", "2/2", "22"]
    );
    // Unusual names are shown as they are, and defused in the CSV.
    assert!(out.contains("=HYPERLINK(\"x\")"), "{out}");
    assert!(out.contains("共 3 位读者"), "{out}");

    // Each bad record is named where it is.
    let (zhang_at, zhao_at) = (line_of("张三"), line_of("赵六"));
    let err = err.replace("  -->", " -->"); // the gutter widens for line 10 and later
    assert!(err.contains(&format!("不完整（可能只复制了一部分），请对方重新复制完整的学习记录码，已跳过\n --> records/chat.txt:{zhang_at}:12")), "{err}");
    let second = zhang_at + 1; // 李四's code sent again
    assert!(
        err.contains(&format!(
            "与 records/chat.txt:2 重复，已跳过\n --> records/chat.txt:{second}\n"
        )),
        "{err}"
    );
    assert!(err.contains(&format!("另一个网站（https://other.example.org/zhibu/），已跳过\n --> records/chat.txt:{zhao_at}\n")), "{err}");
    assert!(
        err.contains("records/half.json") && err.contains("不是完整的学习记录"),
        "{err}"
    );
    assert!(
        err.contains("records/note.txt") && err.contains("没有找到学习记录码"),
        "{err}"
    );

    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with('\u{feff}'), "BOM");
    let rows = parse_csv(text.trim_start_matches('\u{feff}'));
    assert!(rows[0][0].contains("自报"), "{:?}", rows[0]);
    let head = &rows[1];
    let col = |name: &str| {
        head.iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name} in {head:?}"))
    };
    let by_name: BTreeMap<&str, &Vec<String>> =
        rows[2..].iter().map(|r| (r[0].as_str(), r)).collect();
    let li_row = by_name["李四"];
    assert_eq!(li_row[col("1. 党章第一课 完成时间")], "2026-11-18 20:05");
    assert_eq!(li_row[col("1. 党章第一课 成绩")], "100");
    assert_eq!(
        li_row[col("2. 思想汇报怎么写 完成时间")],
        "2026-11-19 09:00"
    );
    assert_eq!(li_row[col("积分")], "22");
    assert_eq!(li_row[col("完成（必做）")], "2/2");
    assert!(li_row[col("来源")].contains("chat.txt:2"), "{li_row:?}");
    assert!(by_name.contains_key("'=HYPERLINK(\"x\")"), "{by_name:?}");
    assert_eq!(rows.len(), 5, "title, header, three readers: {rows:?}");
}

#[test]
fn all_good_is_exit_zero_and_late_items_read_so() {
    let s = site("tally-ok");
    s.file("a.txt", &to_code(&record("张三")));
    // Two weeks later the lesson due 12-31 is still open, but item 1 of an
    // unnamed record that never passed the quiz is late.
    let mut none = record("");
    none.quizzes.clear();
    none.lessons.clear();
    s.file("b.txt", &to_code(&none));
    // 张三 again from a second device: merged into one row.
    let mut phone = record("张三");
    phone.lessons.insert(
        "lessons/si-xiang-hui-bao/".into(),
        at("2026-11-20T08:00:00+08:00"),
    );
    s.file("c.txt", &to_code(&phone));
    let (status, out, err) = zhibu(&s, &["a.txt", "b.txt", "c.txt", "--plan", "shi-yi-yue"]);
    assert_eq!(status, 0, "{err}");
    assert_eq!(
        out.lines().filter(|l| l.starts_with("张三")).count(),
        1,
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("张三") && l.contains("✓11-20") && l.contains("2/2")),
        "{out}"
    );
    assert!(
        out.contains("张三 有 2 份不同的记录（a.txt:1、c.txt:1），已合并"),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("（未署名）b.txt:1") && l.contains("逾期")),
        "{out}"
    );
    assert!(out.contains("没有署名"), "{out}");
}

#[test]
fn an_unknown_plan_names_the_ones_there_are() {
    let s = site("tally-plan");
    s.file("a.txt", &to_code(&record("张三")));
    let (status, _, err) = zhibu(&s, &["a.txt", "--plan", "shi-yi-yu"]);
    assert_eq!(status, 1);
    assert!(err.contains("没有找到学习计划 `shi-yi-yu`"), "{err}");
    assert!(err.contains("是不是 --plan shi-yi-yue？"), "{err}");
}

#[test]
fn without_a_plan_the_summary_lists_quiz_scores() {
    let s = site("tally-summary");
    s.remove("content/plans/shi-yi-yue.md");
    s.file("a.txt", &to_code(&record("张三")));
    let (status, out, err) = zhibu(&s, &["a.txt"]);
    assert_eq!(status, 0, "{err}");
    assert!(out.contains("学习情况汇总"), "{out}");
    assert!(out.contains("党章第一课 100分"), "{out}");
}
