//! The 台账 on sites the code was not written for: which meetings fall in
//! which period, 缺 where a required one is missing, totals and attendance,
//! the CSV (parsed back), the annual summaries and the empty cases.

mod common;

use common::Site;

/// A meeting record: `extra` is more front matter (attendance …).
fn meeting(s: &Site, slug: &str, date: &str, kind: &str, extra: &str) {
    s.file(
        &format!("content/activities/{slug}.md"),
        &format!("---\ntitle: {kind}（{date}）\ndate: {date}\nmeeting: {kind}\nlocation: 党员之家\n{extra}---\n\n会议内容。\n"),
    );
}

const ATT: &str = "host: 王书记\nrecorder: 李委员\nattendance: {expected: 5, present: 4, leave: 1}\nagenda: [研究发展对象, \"部署学习，含逗号\"]\ndecisions: [同意]\n";

/// A branch with a 支委会 every month of 2026 up to October except April,
/// 党员大会 in the first three quarters and no 党小组会 at all.
fn branch() -> Site {
    let s = Site::new("ledger");
    for m in (1..=10).filter(|m| *m != 4) {
        meeting(
            &s,
            &format!("zwh-{m}"),
            &format!("2026-{m:02}-10 18:30"),
            "支委会",
            ATT,
        );
    }
    for (q, m) in [(1, 3), (2, 6), (3, 9)] {
        meeting(
            &s,
            &format!("dydh-{q}"),
            &format!("2026-{m:02}-20 19:00"),
            "支部党员大会",
            "attendance: {expected: 20, present: 19, leave: 0, absent: 1}\n",
        );
    }
    s
}

/// The cells of the totals row of one meeting type, as text: 要求, 应开,
/// 已开, 缺, 召开次数, 出勤率.
fn totals(html: &str, kind: &str) -> Vec<String> {
    let table = html
        .split("<table class=\"ledger-totals\">")
        .nth(1)
        .expect("a totals table");
    let row = table
        .split("<tr>")
        .find(|r| r.contains(&format!(">{kind}</a></th>")) || r.contains(&format!(">{kind}</th>")))
        .unwrap_or_else(|| panic!("no totals row for {kind}"));
    let row = &row[..row.find("</tr>").unwrap_or(row.len())];
    row.split("<td>")
        .skip(1)
        .map(|cell| text(cell.split("</td>").next().unwrap_or("")))
        .collect()
}

/// Markup stripped: the text a reader sees.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// The rows of one period of a type's section (`3月`, `第一季度`).
fn period<'a>(section: &'a str, label: &str) -> &'a str {
    section
        .split("<tr")
        .find(|r| r.contains(&format!(">{label}</th>")))
        .unwrap_or_else(|| panic!("no row for {label}"))
}

/// The part of a ledger page about one meeting type.
fn section<'a>(html: &'a str, kind: &str) -> &'a str {
    html.split("<section class=\"ledger-section ledger-type\"")
        .find(|part| part.contains(&format!(">{kind} <small>")))
        .unwrap_or_else(|| panic!("no section for {kind}"))
}

#[test]
fn a_missing_month_is_marked_in_words_and_counted() {
    let s = branch();
    s.build_ok();
    let html = s.read("ledger/2026/index.html");
    assert!(
        html.contains("测试支部"),
        "the branch's name is in the heading"
    );
    assert!(html.contains("2026 年三会一课台账"));
    let committee = section(&html, "支部委员会");
    let april = committee
        .split("<tr")
        .find(|r| r.contains(">4月</th>"))
        .expect("an April row");
    assert!(
        april.contains("<strong class=\"gap\">缺</strong>"),
        "{april}"
    );
    let may = committee
        .split("<tr")
        .find(|r| r.contains(">5月</th>"))
        .unwrap();
    assert!(
        may.contains("支委会（2026-05-10 18:30）") && !may.contains("缺"),
        "{may}"
    );
    // November is not over on 21 November: 进行中, not 缺; December 未到
    let nov = committee
        .split("<tr")
        .find(|r| r.contains(">11月</th>"))
        .unwrap();
    assert!(nov.contains("进行中") && !nov.contains(">缺<"), "{nov}");
    // 党小组会: required monthly, none held → ten 缺 (January to October)
    let groups = section(&html, "党小组会");
    assert_eq!(
        groups.matches("<strong class=\"gap\">缺</strong>").count(),
        10
    );
    // 党员大会 quarterly: Q4 still open
    let assembly = section(&html, "支部党员大会");
    assert!(assembly.contains(">第三季度</th>") && !assembly.contains(">缺<"));

    // 要求, 应开 10, 已开 9, 缺 1, 9 held
    assert_eq!(
        totals(&html, "支部委员会")[..5],
        ["每月至少一次", "10", "9", "缺 1", "9"]
    );
    assert!(
        !s.exists("ledger/2025/index.html"),
        "no year before the first record"
    );
    // totals table: attendance rate per type, 80% for the committee
    assert!(
        html.contains("80%<span class=\"muted\">（实到 36 / 应到 45）"),
        "{html}"
    );
    assert!(html.contains("95%<span class=\"muted\">（实到 57 / 应到 60）"));
    // named hosts are plain text (no member profile needed)
    assert!(committee.contains("王书记"));
}

#[test]
fn the_csv_has_a_bom_and_one_row_per_meeting() {
    let s = branch();
    s.build_ok();
    let bytes = std::fs::read(s.public().join("ledger/2026.csv")).unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 BOM for Excel and WPS");
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let head: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(head[..4], ["年度", "会议类型", "会议名称", "日期"]);
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 12, "9 committee meetings and 3 assemblies");
    let first = &rows[0];
    assert_eq!(&first[col("会议类型")], "支部委员会");
    assert_eq!(&first[col("日期")], "2026-01-10");
    assert_eq!(&first[col("开始时间")], "18:30");
    assert_eq!(&first[col("主持人")], "王书记");
    assert_eq!(
        (
            &first[col("应到")],
            &first[col("实到")],
            &first[col("请假")],
            &first[col("缺席")]
        ),
        ("5", "4", "1", "0")
    );
    assert_eq!(&first[col("出勤率")], "80%");
    assert_eq!(&first[col("议程")], "1. 研究发展对象\n2. 部署学习，含逗号");
    assert!(first[col("网址")].starts_with("https://test.example.edu.cn/activities/zwh-1/"));
    assert!(
        rows.windows(2)
            .all(|w| w[0][col("日期")] <= w[1][col("日期")]),
        "by date"
    );
    assert!(
        String::from_utf8(bytes).unwrap().contains("\r\n"),
        "CRLF rows"
    );
}

#[test]
fn the_ledger_index_and_the_stats_page_link_the_years() {
    let s = branch();
    s.build_ok();
    let index = s.read("ledger/index.html");
    assert!(index.contains("href=\"/ledger/2026/\""), "{index}");
    assert!(index.contains("href=\"/ledger/2026.csv\""));
    let stats = s.read("stats/index.html");
    assert!(stats.contains("href=\"/stats/2026/\"") && stats.contains("href=\"/stats/2025/\""));
    assert!(stats.contains("href=\"/ledger/2026/\""));
    let footer = s.read("index.html");
    assert!(
        footer.contains("href=\"/ledger/\""),
        "footer links the ledger"
    );
    let sitemap = s.read("sitemap.xml");
    for u in ["ledger/", "ledger/2026/", "stats/2026/", "stats/2025/"] {
        assert!(
            sitemap.contains(&format!("<loc>https://test.example.edu.cn/{u}</loc>")),
            "{u}"
        );
    }
    let year = s.read("stats/2026/index.html");
    assert!(year.contains("href=\"/ledger/2026/\""));
    assert!(year.contains("缺 1"), "meetings held against required");
}

#[test]
fn a_branch_that_began_in_march_has_no_gaps_before() {
    let s = Site::new("march");
    for m in 3..=10 {
        meeting(
            &s,
            &format!("zwh-{m}"),
            &format!("2026-{m:02}-05"),
            "支部委员会",
            "",
        );
    }
    s.build_ok();
    let html = s.read("ledger/2026/index.html");
    let committee = section(&html, "支部委员会");
    for month in ["1月", "2月"] {
        let row = committee
            .split("<tr")
            .find(|r| r.contains(&format!(">{month}</th>")))
            .unwrap();
        assert!(row.contains("未纳入") && !row.contains(">缺<"), "{row}");
    }
    assert!(!committee.contains(">缺<"));
    assert!(html.contains("自 2026年3月起计算缺漏"));
    // the first quarter contains March, so its 党课 counts
    let lessons = section(&html, "党课");
    let q1 = lessons
        .split("<tr")
        .find(|r| r.contains(">第一季度</th>"))
        .unwrap();
    assert!(q1.contains(">缺<"), "{q1}");
}

#[test]
fn site_toml_changes_the_requirements() {
    let s = Site::new("override");
    s.file(
        "site.toml",
        "title = \"测试支部\"\nbase_url = \"https://test.example.edu.cn/\"\n[ledger]\n\"支委会\" = \"quarter\"\n\"党小组会\" = \"none\"\n\"组织生活会\" = \"year\"\n\"理论学习中心组\" = \"half-year\"\nsince = \"2026-01\"\n",
    );
    meeting(&s, "zwh", "2026-02-01", "支部委员会", "");
    meeting(&s, "zx", "2026-03-01", "理论学习中心组", "");
    meeting(&s, "xz", "2026-05-01", "党小组会", "");
    s.build_ok();
    let html = s.read("ledger/2026/index.html");
    let committee = section(&html, "支部委员会");
    assert!(committee.contains("每季度至少一次"));
    assert!(committee.contains(">第一季度</th>") && committee.contains(">第三季度</th>"));
    assert_eq!(committee.matches(">缺<").count(), 2, "Q2 and Q3");
    let groups = section(&html, "党小组会");
    assert!(groups.contains("不作次数要求") && !groups.contains(">缺<"));
    let life = section(&html, "组织生活会");
    assert!(life.contains(">全年</th>") && life.contains("进行中"));
    let custom = section(&html, "理论学习中心组");
    assert!(custom.contains(">上半年</th>") && custom.contains(">下半年</th>"));
}

#[test]
fn a_meeting_past_midnight_counts_in_the_month_it_began() {
    let s = Site::new("midnight");
    meeting(
        &s,
        "late",
        "2026-03-31 22:00",
        "支部委员会",
        "end: 2026-04-01 00:40\n",
    );
    s.build_ok();
    let html = s.read("ledger/2026/index.html");
    let committee = section(&html, "支部委员会");
    assert!(
        period(committee, "3月").contains("href=\"/activities/late/\""),
        "March"
    );
    assert!(
        !period(committee, "4月").contains("href=\"/activities/"),
        "not April"
    );
    let bytes = std::fs::read(s.public().join("ledger/2026.csv")).unwrap();
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let row = r.records().next().unwrap().unwrap();
    assert_eq!(&row[4], "22:00");
    assert_eq!(&row[5], "2026-04-01 00:40", "the end names its day");
    let page = s.read("activities/late/index.html");
    assert!(
        page.contains("2026年3月31日 周二 22:00 至 4月1日 00:40"),
        "{page}"
    );
}

#[test]
fn planned_meetings_are_scheduled_not_held() {
    let s = Site::new("planned");
    meeting(
        &s,
        "soon",
        "2026-12-26 14:00",
        "组织生活会",
        "agenda: [对照检查]\n",
    );
    s.build_ok();
    let html = s.read("ledger/2026/index.html");
    let life = section(&html, "组织生活会");
    assert!(life.contains(">已安排</span>"), "{life}");
    assert!(life.contains("会后填写"));
    let page = s.read("activities/soon/index.html");
    assert!(page.contains("尚未召开") && page.contains("会后填写"));
}

#[test]
fn a_site_without_meetings_has_an_empty_ledger_that_says_so() {
    let s = Site::new("nomeetings");
    s.build_ok();
    let index = s.read("ledger/index.html");
    assert!(index.contains("还没有三会一课的会议记录"), "{index}");
    assert!(index.contains("meeting: 支部委员会"), "tells editors how");
    assert!(!s.exists("ledger/2026/index.html") && !s.exists("ledger/2025.csv"));
    assert!(
        !s.read("index.html").contains("href=\"/ledger/\""),
        "no footer link"
    );
    // the annual summary of 2025: the held activity; 2026 has only an upcoming one
    assert!(s.exists("stats/2025/index.html"));
    assert!(!s.exists("stats/2026/index.html"));
}

#[test]
fn charts_count_only_activities_that_took_place() {
    let s = Site::new("charts");
    s.build_ok();
    let stats = s.read("stats/index.html");
    let chart = |html: &str, id: &str| -> String {
        let part = html.split(&format!("id=\"{id}\"")).nth(1).expect(id);
        text(&part[..part.find("</figure>").unwrap_or(part.len())])
    };
    let months = chart(&stats, "chart-months");
    assert!(
        months.contains("2025年5月") && !months.contains("2026年12月"),
        "the upcoming December activity is not counted: {months}"
    );
    let kinds = chart(&stats, "chart-kinds");
    assert!(
        kinds.contains("主题党日") && !kinds.contains("志愿服务"),
        "{kinds}"
    );
    let year = s.read("stats/2025/index.html");
    let may = chart(&year, "chart-2025-months");
    assert!(
        may.contains("共 1 次，最多的是5月"),
        "one activity, in May: {may}"
    );
    assert!(
        year.contains("<strong>4</strong><span>小时志愿服务"),
        "2 hours × 2 participants"
    );
    let volunteers = year.split("id=\"h-volunteers\"").nth(1).unwrap();
    let volunteers = &volunteers[..volunteers.find("</table>").unwrap()];
    assert_eq!(volunteers.matches("<th scope=\"row\">").count(), 2);
    assert!(year.contains("<strong>1</strong><span>课学习课程发布"));
    assert!(year.contains("<strong>1</strong><span>套在线测验发布"));
}

#[test]
fn attachments_on_every_kind_and_unlisted_files_named() {
    let s = Site::new("attach");
    s.bytes(
        "content/activities/2025-05-04-wusi/会议纪要.pdf",
        b"%PDF-1.4",
    );
    s.bytes("content/activities/2025-05-04-wusi/签到表.xlsx", b"xlsx");
    s.file(
        "content/activities/2025-05-04-wusi/index.md",
        "---\ntitle: 五四主题党日\ndate: 2025-05-04 14:00\nkind: 主题党日\nparticipants: [zhang-san]\nattachments: [会议纪要.pdf]\n---\n\n内容。\n",
    );
    s.bytes("content/notices/xuan-ju/章程.docx", b"docx");
    s.file(
        "content/notices/xuan-ju/index.md",
        "---\ntitle: 换届选举公告\nattachments: [章程.docx]\n---\n\n公告。\n",
    );
    s.bytes("content/members/zhang-san/事迹材料.pdf", b"%PDF");
    s.file(
        "content/members/zhang-san/index.md",
        "---\nname: 张三\nattachments: [事迹材料.pdf]\n---\n\n事迹。\n",
    );
    s.remove("content/members/zhang-san.md");
    let r = s.build_ok();
    let act = s.read("activities/2025-05-04-wusi/index.html");
    assert!(
        act.contains("href=\"/activities/2025-05-04-wusi/会议纪要.pdf\" download>会议纪要.pdf</a>"),
        "{act}"
    );
    assert!(
        s.read("notices/xuan-ju/index.html")
            .contains(">章程.docx</a>")
    );
    assert!(
        s.read("members/zhang-san/index.html")
            .contains(">事迹材料.pdf</a>")
    );
    let w = r.warnings.render(false);
    assert!(
        w.contains("content/activities/2025-05-04-wusi/签到表.xlsx"),
        "{w}"
    );
    assert!(
        !w.contains("会议纪要.pdf") && !w.contains("章程.docx"),
        "{w}"
    );
    assert!(w.contains("attachments: [签到表.xlsx]"), "{w}");
}

#[test]
fn the_example_site_shows_one_gap_in_2026() {
    let opts = zhibu::pipeline::Options {
        root: std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        now: Some(chrono::DateTime::parse_from_rfc3339(common::NOW).unwrap()),
        ..Default::default()
    };
    let c = zhibu::pipeline::compile(&opts).unwrap_or_else(|d| panic!("{}", d.render(false)));
    let file = |path: &str| {
        c.files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.read().unwrap().into_owned())
    };
    let html =
        |path: &str| String::from_utf8(file(path).unwrap_or_else(|| panic!("{path}"))).unwrap();
    let years: Vec<&str> = ["2024", "2025", "2026", "2027"]
        .into_iter()
        .filter(|y| file(&format!("ledger/{y}/index.html")).is_some())
        .collect();
    assert_eq!(years, ["2025", "2026"]);
    let y = html("ledger/2026/index.html");
    // one 缺 in the whole year: August's 支部委员会
    assert_eq!(y.matches("<strong class=\"gap\">缺</strong>").count(), 1);
    let committee = section(&y, "支部委员会");
    assert!(period(committee, "8月").contains("<strong class=\"gap\">缺</strong>"));
    let met = |name: &str| totals(&y, name)[1..3].to_vec();
    assert_eq!(met("支部党员大会"), ["4", "4"]);
    assert_eq!(met("党小组会"), ["11", "11"]);
    assert_eq!(
        met("党课"),
        ["3", "3"],
        "the fourth quarter's is still to come"
    );
    // 2025 is before `since`: its meetings are listed, nothing is 缺 or required
    let old = html("ledger/2025/index.html");
    assert!(!old.contains("class=\"gap\""));
    assert!(!old.contains("无缺漏"), "nothing was required");
    let meetings: usize = y
        .split("共 ")
        .nth(1)
        .and_then(|t| t.split(" 次会议").next())
        .and_then(|n| n.parse().ok())
        .expect("共 N 次会议");
    let bytes = file("ledger/2026.csv").unwrap();
    let rows = csv::Reader::from_reader(&bytes[3..]).records().count();
    assert_eq!(rows, meetings);
    assert!(rows >= 30, "a realistic year of records: {rows}");
}
