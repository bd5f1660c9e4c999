//! Broken and hostile input: nothing leaks out of the site, no script
//! comes through from content, feeds stay XML, output paths that some file
//! system refuses are named up front, and pages of extreme shapes finish
//! with the right output (asserted on output, never on time).

mod common;

use std::collections::HashSet;
use std::path::Path;

use common::Site;
use zhibu::diagnostics::Diagnostic;
use zhibu::parse::privacy::Allow;
use zhibu::parse::{ParseContext, ParsedPage, parse_file};

#[test]
fn markdown_spelt_otherwise_and_html_are_never_copied_raw() {
    let s = Site::new("ext");
    s.file(
        "content/lessons/upper.MD",
        "---\ntitle: 大写\nphone: 13812345678\n---\n",
    );
    s.file(
        "content/lessons/long.markdown",
        "---\ntitle: 长扩展名\n---\n",
    );
    s.file("content/lessons/raw.html", "<script>alert(1)</script>");
    let e = s.build_err();
    assert!(
        e.contains("content/lessons/upper.MD") && e.contains("upper.md"),
        "{e}"
    );
    assert!(
        e.contains("content/lessons/long.markdown") && e.contains("long.md"),
        "{e}"
    );
    assert!(
        e.contains("content/lessons/raw.html") && e.contains("static/"),
        "{e}"
    );
    assert!(!s.exists("lessons/upper.MD"));
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_publish_nothing() {
    let s = Site::new("static-link");
    s.file("static/ok.txt", "fine");
    std::os::unix::fs::symlink("/etc", s.root.join("static/etc")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", s.root.join("static/host.txt")).unwrap();
    std::fs::create_dir_all(s.root.join("templates")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", s.root.join("templates/page.html")).unwrap();
    std::os::unix::fs::symlink("/etc", s.root.join("content/lessons/etc")).unwrap();
    let r = s.build_ok();
    let w = r.warnings.render(false);
    for link in [
        "static/etc",
        "static/host.txt",
        "templates/page.html",
        "content/lessons/etc",
    ] {
        assert!(w.contains(link), "{link} not named:\n{w}");
    }
    assert_eq!(s.read("ok.txt"), "fine");
    for leaked in ["etc/passwd", "etc", "host.txt", "lessons/etc"] {
        assert!(!s.exists(leaked), "{leaked} published");
    }
}

#[test]
fn no_script_from_content_in_pages_or_feeds() {
    let s = Site::new("script");
    s.file(
        "content/lessons/xss.md",
        "---\ntitle: 粘贴来的文章\ndate: 2025-10-01\n---\n\n<div onclick=\"steal()\" style=\"position:fixed\">正文<script>alert(1)</script></div>\n\n<iframe src=\"https://evil.example/\"></iframe>\n\n[点我](javascript:alert(1)) ![图](data:text/html,x)\n\n<a href=\"vbscript:msgbox(1)\">旧</a> <img src=x onerror=alert(1)>\n\n## 解析 {#jie-xi}\n",
    );
    let r = s.build_ok();
    let w = r.warnings.render(false);
    assert!(
        w.contains("content/lessons/xss.md:10:1") && w.contains("javascript:"),
        "{w}"
    );
    let html = s.read("lessons/xss/index.html");
    let body = &html[html.find("<h1>").unwrap()..];
    let atom = s.read("atom.xml");
    for out in [body, atom.as_str()] {
        for bad in [
            "onclick",
            "onerror",
            "<iframe",
            "&lt;iframe",
            "javascript:",
            "vbscript:",
            "data:text",
            "alert(1)",
            "position:fixed",
        ] {
            assert!(!out.contains(bad), "{bad} in {out}");
        }
    }
    assert!(body.contains("正文") && body.contains("点我"), "{body}");
    assert!(body.contains("id=\"jie-xi\""), "{body}");
    roxmltree::Document::parse(&atom).expect("atom.xml is XML");
}

#[test]
fn control_characters_never_reach_html_or_xml() {
    let s = Site::new("controls");
    s.file(
        "content/lessons/pdf.md",
        "---\ntitle: \"从PDF\\0粘贴\"\ndate: 2025-10-01\nsummary: \"摘要\\f第二页\"\n---\n\n第一页\u{0C}第二页\u{0}\u{0B}完\u{1B}[0m\n",
    );
    let r = s.build_ok();
    let w = r.warnings.render(false);
    assert!(
        w.contains("content/lessons/pdf.md:7:4") && w.contains("控制字符"),
        "{w}"
    );
    for out in [
        "lessons/pdf/index.html",
        "atom.xml",
        "sitemap.xml",
        "index.html",
    ] {
        let text = s.read(out);
        let bad: Vec<char> = text
            .chars()
            .filter(|&c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
            .collect();
        assert!(bad.is_empty(), "{out} carries {bad:?}");
    }
    let atom = s.read("atom.xml");
    roxmltree::Document::parse(&atom).expect("atom.xml is XML");
    assert!(
        s.read("lessons/pdf/index.html")
            .contains("第一页 第二页 完")
    );
}

#[test]
fn output_paths_some_file_system_refuses_are_named_up_front() {
    let s = Site::new("paths");
    s.file("content/evil.md", "---\ntitle: 坏\nslug: index.html\n---\n");
    s.file("content/con.md", "---\ntitle: 保留名\nslug: CON\n---\n");
    s.file("content/About.md", "---\ntitle: 关于\n---\n");
    s.file("content/about.md", "---\ntitle: 关于我们\n---\n");
    s.file(
        "content/lessons/long.md",
        &format!(
            "---\ntitle: 长课程\ncourse: {}\n---\n",
            "习近平新时代中国特色社会主义思想学习纲要".repeat(4)
        ),
    );
    s.file(
        "content/activities/x/index.md",
        "---\ntitle: X\ndate: 2025-01-01\n---\n",
    );
    s.bytes("content/activities/x/Plan.PDF", b"%PDF-1.4");
    s.bytes("content/activities/x/plan.pdf", b"%PDF-1.4");
    s.bytes("content/files/会议:纪要.pdf", b"%PDF");
    let e = s.build_err();
    for (at, says) in [
        ("content/evil.md:3:7", "/index.html 既要是一个文件"),
        ("content/con.md:3:7", "保留名字"),
        ("content/about.md", "只差大小写"),
        ("content/lessons/long.md:3:9", "太长"),
        ("content/activities/x/plan.pdf", "只差大小写"),
        ("content/files/会议:纪要.pdf", "Windows 不允许的字符"),
    ] {
        let found = e
            .split("错误: ")
            .any(|m| m.contains(at) && m.contains(says));
        assert!(found, "no `{says}` at {at}:\n{e}");
    }
    for os_words in ["os error", "Not a directory", "File name too long", "磁盘"] {
        assert!(!e.contains(os_words), "{os_words} in:\n{e}");
    }
    assert!(!s.exists("index.html"), "nothing written");
}

#[test]
fn the_ledger_csv_never_runs_a_formula() {
    let s = Site::new("csv-injection");
    s.file(
        "content/activities/zwh.md",
        "---\ntitle: '=HYPERLINK(\"http://evil.example/\",\"点这里\")'\ndate: 2026-03-10 18:30\nmeeting: 支委会\nhost: '@SUM(1+1)'\nrecorder: '-2+3'\nattendance: {expected: 5, present: 5, leave: 0, absent: 0}\nagenda: ['+cmd']\n---\n",
    );
    s.build_ok();
    let bytes = std::fs::read(s.public().join("ledger/2026.csv")).unwrap();
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let head: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let row = r.records().next().unwrap().unwrap();
    assert_eq!(
        &row[col("会议名称")],
        "'=HYPERLINK(\"http://evil.example/\",\"点这里\")"
    );
    assert_eq!(&row[col("主持人")], "'@SUM(1+1)");
    assert_eq!(&row[col("记录人")], "'-2+3");
    assert_eq!(&row[col("议程")], "'+cmd");
    // Ordinary cells are left as they are.
    assert_eq!(&row[col("日期")], "2026-03-10");
    assert_eq!(&row[col("应到")], "5");
}

/// One file parsed as `content/lessons/x.md`.
fn parse(text: &str) -> (Option<ParsedPage>, Vec<Diagnostic>) {
    let f = zhibu::load::split(text.to_string(), Path::new("x.md"), "lessons/x.md")
        .unwrap_or_else(|d| panic!("{d}"));
    let files = HashSet::new();
    let allow = Allow::new(&[]);
    let ctx = ParseContext {
        offset: chrono::FixedOffset::east_opt(8 * 3600).unwrap(),
        allow: &allow,
        files: &files,
    };
    parse_file(f, &ctx)
}

#[test]
fn extreme_shapes_finish_with_the_right_output() {
    // A question bank: 10 000 equal headings.
    let body: String = (0..10_000)
        .map(|i| format!("### 解析\n\n第 {i} 题。\n\n"))
        .collect();
    let (p, d) = parse(&format!("---\ntitle: 题库\n---\n{body}"));
    assert!(d.is_empty(), "{d:?}");
    let md = p.unwrap().md;
    assert_eq!(md.anchors.len(), 10_000);
    assert_eq!(md.anchors[0], "jie-xi");
    assert_eq!(md.anchors[9_999], "jie-xi-10000");
    assert_eq!(md.anchors.iter().collect::<HashSet<_>>().len(), 10_000);

    // 100 000 links on one line, then 100 000 footnotes.
    let links = "[党网](https://www.12371.cn/) ".repeat(100_000);
    let notes: String = (0..100_000)
        .map(|i| format!("注[^{i}]"))
        .collect::<String>()
        + &(0..100_000)
            .map(|i| format!("\n[^{i}]: 第 {i} 条\n"))
            .collect::<String>();
    let (p, d) = parse(&format!("---\ntitle: 链接\n---\n{links}\n\n{notes}\n"));
    assert!(d.is_empty(), "{:?}", d.first());
    let html = p.unwrap().md.html;
    assert_eq!(
        html.matches("href=\"https://www.12371.cn/\"").count(),
        100_000
    );
    assert_eq!(
        html.matches("class=\"footnote-definition\"").count(),
        100_000
    );

    // Deep nesting: quotes and lists 5 000 levels deep.
    let quotes = ">".repeat(5_000) + " 深处";
    let list: String = (0..5_000)
        .map(|i| format!("{}- 第 {i} 层\n", "  ".repeat(i)))
        .collect();
    let (p, _) = parse(&format!("---\ntitle: 嵌套\n---\n{quotes}\n\n{list}"));
    let md = p.unwrap().md;
    assert!(md.html.contains("深处") && md.html.contains("第 4999 层"));

    // A 5 MB line, with a raw HTML tag so that the sanitiser sees it all.
    let line = "党".repeat(1_700_000);
    let (p, d) = parse(&format!("---\ntitle: 长行\n---\n<b>{line}</b>\n"));
    assert!(d.is_empty(), "{d:?}");
    assert!(p.unwrap().md.html.contains(&line));

    // A huge YAML list and 100 000 table rows.
    let items: String = (0..100_000).map(|i| format!("  - 第{i}项\n")).collect();
    let rows: String = (0..100_000).map(|i| format!("| {i} | 行 |\n")).collect();
    let (p, d) = parse(&format!(
        "---\ntitle: 大表\nitems:\n{items}---\n| a | b |\n|---|---|\n{rows}"
    ));
    assert!(d.is_empty(), "{:?}", d.first());
    let p = p.unwrap();
    assert_eq!(p.front.extra["items"].as_array().unwrap().len(), 100_000);
    assert_eq!(p.md.html.matches("<tr>").count(), 100_001);

    // 100 000 missing images: a bounded number of messages.
    let broken = "![x](nope.png) ".repeat(100_000);
    let (_, d) = parse(&format!("---\ntitle: 坏图片\n---\n{broken}\n"));
    assert_eq!(d.len(), 51, "50 and one that counts the rest");
    assert!(d[50].message.contains("99950"), "{}", d[50]);
}

#[test]
fn many_broken_links_give_a_bounded_list() {
    let s = Site::new("broken-links");
    let links = "[x](@/lessons/nope.md) ".repeat(20_000);
    s.file(
        "content/lessons/many.md",
        &format!("---\ntitle: 坏链接\n---\n{links}\n"),
    );
    let e = s.build_err();
    assert_eq!(
        e.matches("错误: ").count(),
        51,
        "{}",
        &e[..2000.min(e.len())]
    );
    assert!(
        e.contains("还有 19950 个"),
        "{}",
        &e[e.len().saturating_sub(500)..]
    );
}
