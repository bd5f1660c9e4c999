//! Editors' slips in front matter, through whole builds: those with one
//! sensible meaning build the page the editor meant; the others fail with
//! the file, line and column of the mistake and the fix in plain Chinese.

mod common;

use common::Site;

#[test]
fn slips_with_one_meaning_build_what_was_meant() {
    let s = Site::new("slips-ok");
    // A full-width colon after a key, a Chinese date, smart quotes around a
    // value with a colon, Chinese commas in a list.
    s.file(
        "content/lessons/colon.md",
        "---\ntitle: “会议: 主题”\nduration：20\ndate: 2024年5月4日\ntags: [党史，理论学习]\n---\n\n正文。\n",
    );
    // Tab indentation throughout, answers in lower case, full width, with
    // a 顿号 or a Chinese comma, the option's own text, and percent.
    s.file(
        "content/lessons/tabs.md",
        "---\ntitle: Tab 缩进的测验\ndate: 2024/5/4 14:30\nquiz:\n\tpass: 80%\n\tquestions:\n\t\t- type: multiple\n\t\t\tquestion: 哪些？\n\t\t\toptions: [甲, 乙, 丙]\n\t\t\tanswer: [a，Ｃ]\n\t\t- type：single\n\t\t\tquestion: 哪个？\n\t\t\toptions: [甲，乙]\n\t\t\tanswer: Ｂ\n\t\t- type: multiple\n\t\t\tquestion: 又是哪些？\n\t\t\toptions: [甲, 乙, 丙]\n\t\t\tanswer: A、C\n\t\t- type: single\n\t\t\tquestion: 写了选项本身\n\t\t\toptions: [实现共产主义, 发展生产力]\n\t\t\tanswer: 实现共产主义\n---\n",
    );
    // Fences typed with a Chinese input method, blank lines before them,
    // spaces pasted from Word and WeChat, a date with dots.
    s.file(
        "content/activities/paste.md",
        "\n——\ntitle:\u{3000}粘贴来的活动\ndate: 2024.5.4\nlocation:\u{a0}党员之家\u{200B}\ntags:\n\u{3000}\u{3000}－ 主题党日\n———\n\n活动内容。\n",
    );
    // TOML-style date-time with a space, duration in minutes with its unit.
    s.file(
        "content/lessons/units.md",
        "---\ntitle: 单位\nduration: 30 分钟\ndate:2024-05-04\n---\n",
    );
    let r = s.build_ok();
    assert!(r.warnings.is_empty(), "{}", r.warnings.render(false));

    let colon = s.read("lessons/colon/index.html");
    assert!(colon.contains("<h1>会议: 主题</h1>"), "{colon}");
    // (The theme's own WeChat hint has quotes of its own.)
    assert!(
        !colon.contains("“会议") && !colon.contains("主题”"),
        "quotes were quoting: {colon}"
    );
    assert!(
        colon.contains("20 分钟") || colon.contains("20分钟"),
        "{colon}"
    );
    assert!(colon.contains("2024"), "{colon}");
    assert!(s.exists("tags/dang-shi/index.html"));
    assert!(s.exists("tags/li-lun-xue-xi/index.html"));

    let tabs = s.read("lessons/tabs/index.html");
    assert!(
        tabs.contains("哪些？") && tabs.contains("写了选项本身"),
        "{tabs}"
    );
    let paste = s.read("activities/paste/index.html");
    assert!(paste.contains("<h1>粘贴来的活动</h1>"), "{paste}");
    assert!(paste.contains("党员之家"), "{paste}");
    assert!(!paste.contains('\u{200B}'), "zero-width space kept");
    assert!(s.exists("tags/zhu-ti-dang-ri/index.html"));
    assert!(s.read("lessons/units/index.html").contains("30"));
}

#[test]
fn meeting_and_notice_slips_build_what_was_meant() {
    let s = Site::new("slips-records");
    // A 三会一课 record typed on a Chinese keyboard: full-width colons after
    // the keys and the Chinese count names, a count with 人, Chinese dashes.
    s.file(
        "content/activities/xiaozu.md",
        "---\ntitle: 党小组会\ndate: 2026年9月24日 19：00\nmeeting：党小组会\nhost：王书记\nrecorder：李委员\nattendance：\n  应到：6人\n  实到：5\n  请假：1\n  缺席：0\nagenda：\n  － 制定学习计划\n---\n\n内容。\n",
    );
    // The same counts on one line, in full-width braces with Chinese commas.
    s.file(
        "content/activities/zhiwei.md",
        "---\ntitle: 支委会\ndate: 2026-10-10 18:30\nmeeting: 支委会\nhost: 王书记\nattendance: ｛应到：5，实到：4，请假：1，缺席：0｝\n---\n",
    );
    // A 公示 with full-width colons and Chinese dates.
    s.file(
        "content/notices/gongshi.md",
        "---\ntitle: 发展对象公示\ncategory：公示\nstart：2026年11月19日\nend：2026/11/25\ncontact：组织委员\n---\n\n公示内容。\n",
    );
    let r = s.build_ok();
    assert!(r.warnings.is_empty(), "{}", r.warnings.render(false));

    let bytes = std::fs::read(s.public().join("ledger/2026.csv")).unwrap();
    let mut csv = csv::Reader::from_reader(&bytes[3..]);
    let head: Vec<String> = csv.headers().unwrap().iter().map(str::to_string).collect();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    let counts = |r: &csv::StringRecord| {
        [
            "会议类型",
            "主持人",
            "开始时间",
            "应到",
            "实到",
            "请假",
            "缺席",
        ]
        .map(|c| r[col(c)].to_string())
    };
    assert_eq!(
        counts(&rows[0]),
        ["党小组会", "王书记", "19:00", "6", "5", "1", "0"]
    );
    assert_eq!(
        counts(&rows[1]),
        ["支部委员会", "王书记", "18:30", "5", "4", "1", "0"]
    );
    assert!(
        s.read("activities/xiaozu/index.html")
            .contains("制定学习计划")
    );

    let notice = s.read("notices/gongshi/index.html");
    assert!(notice.contains("2026年11月19日至11月25日"), "{notice}");
    assert!(notice.contains("组织委员"), "{notice}");
}

#[test]
fn quiz_answers_read_as_meant() {
    use zhibu::parse::quiz::Answer;
    let s = Site::new("slips-quiz");
    s.file(
        "content/lessons/q.md",
        "---\ntitle: 测验\nquiz:\n  questions:\n    - type: multiple\n      question: 一\n      options: [甲, 乙, 丙]\n      answer: [A，C]\n    - type: multiple\n      question: 二\n      options: [甲, 乙, 丙]\n      answer: ａ、ｃ\n    - type: single\n      question: 三\n      options: [甲, 乙]\n      answer: 乙\n    - type: judge\n      question: 四\n      answer: 错\n---\n",
    );
    // The whole site builds, and the file reads as meant.
    s.compile()
        .unwrap_or_else(|d| panic!("{}", d.render(false)));
    let text = std::fs::read_to_string(s.root.join("content/lessons/q.md")).unwrap();
    let f = zhibu::load::split(text, std::path::Path::new("q.md"), "lessons/q.md").unwrap();
    let (files, allow) = (Default::default(), zhibu::parse::privacy::Allow::new(&[]));
    let ctx = zhibu::parse::ParseContext {
        offset: chrono::FixedOffset::east_opt(8 * 3600).unwrap(),
        allow: &allow,
        files: &files,
    };
    let (page, d) = zhibu::parse::parse_file(f, &ctx);
    assert!(d.is_empty(), "{d:?}");
    let page = page.unwrap();
    let answers: Vec<&Answer> = page
        .front
        .quiz
        .as_ref()
        .unwrap()
        .questions
        .iter()
        .map(|q| &q.answer)
        .collect();
    assert_eq!(
        answers,
        [
            &Answer::Multiple(vec![0, 2]),
            &Answer::Multiple(vec![0, 2]),
            &Answer::Single(1),
            &Answer::Judge(false)
        ]
    );
}

/// Builds a site with `files` (each a broken page) and returns the errors.
fn errors_of(name: &str, files: &[(&str, &str)]) -> String {
    let s = Site::new(name);
    for (rel, text) in files {
        s.file(rel, text);
    }
    let e = s.build_err();
    println!("{e}");
    e
}

#[test]
fn the_other_slips_are_named_where_they_are() {
    let e = errors_of(
        "slips-named",
        &[
            ("content/lessons/a.md", "---\ntitle: A\n心得：很好\n---\n"),
            (
                "content/lessons/b.md",
                "---\ntitle: \"党章学习\ndate: 2024-05-04\nduration: 20\n---\n",
            ),
            (
                "content/lessons/c.md",
                "---\ntitle: C\nquiz:\n  pass: 80\n\tshuffle: true\n---\n",
            ),
            (
                "content/lessons/d.md",
                "---\ntitle: D\ndate: 2024-05-04\n\n# 第一节\n\n正文。\n",
            ),
            (
                "content/lessons/e.md",
                "+++\ntitle = \"党章学习\"\ndate = 2024-05-04\n+++\n\n正文\n",
            ),
            ("content/lessons/f.md", "---\ntitle: F\nmood:good\n---\n"),
            ("content/lessons/g.md", "---\ntitle: 会议: 主题\n---\n"),
            (
                "content/lessons/h.md",
                "---\ntitle: H\ntags: [党史, 理论\ndate: 2024-05-04\n---\n",
            ),
            ("content/lessons/i.md", "---\ntitle: I\ntitle: J\n---\n"),
            (
                "content/lessons/j.md",
                "---\ntitle: J\ndate: 5月4日\nduration: 1小时\n---\n",
            ),
            (
                "content/lessons/k.md",
                "---\ntitle: K\nsummary: 'It''s\n---\n",
            ),
            ("content/lessons/l.md", "---\ntitle: @某人\n---\n"),
        ],
    );
    for (at, says) in [
        ("content/lessons/a.md:3:3", "中文冒号"),
        ("content/lessons/b.md:2:8", "引号没有配对"),
        ("content/lessons/c.md:5:1", "Tab"),
        ("content/lessons/d.md:5:1", "没有结束"),
        ("content/lessons/e.md:1:1", "TOML"),
        ("content/lessons/f.md:3:6", "少了一个空格"),
        ("content/lessons/g.md:2:10", "冒号加空格"),
        ("content/lessons/h.md:3:7", "括号没有配对"),
        ("content/lessons/i.md:3:1", "写了两次"),
        ("content/lessons/j.md:3:7", "没有写年份"),
        ("content/lessons/j.md:4:11", "单位是分钟"),
        ("content/lessons/k.md:3:10", "引号没有配对"),
        ("content/lessons/l.md:2:8", "@"),
    ] {
        let found = e
            .split("错误: ")
            .any(|m| m.contains(at) && m.contains(says));
        assert!(found, "no `{says}` at {at}:\n{e}");
    }
    // The fixes are spelled out.
    for fix in [
        "把中文冒号 ： 改成英文冒号 :",
        "在它前面单独加一行 ---",
        "title: 党章学习",
        "mood: good",
        "duration: 60",
    ] {
        assert!(e.contains(fix), "no `{fix}` in:\n{e}");
    }
    // Never the parser's English.
    for english in ["expected", "mapping", "scalar", "while", "found"] {
        assert!(!e.contains(english), "`{english}` in:\n{e}");
    }
}
