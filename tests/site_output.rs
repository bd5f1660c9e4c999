//! What a build writes: pages, lists, courses, tags, stats, feeds, calendar,
//! QR codes, share meta, base paths and atomic output.

mod common;

use common::{Site, snapshot};
use zhibu::check::check_links;
use zhibu::images::sample;

#[test]
fn every_kind_of_page_is_written() {
    let s = Site::new("pages");
    s.file("content/about.md", "---\ntitle: 关于支部\n---\n\n介绍。\n");
    s.build_ok();
    for f in [
        "index.html",
        "about/index.html",
        "lessons/index.html",
        "lessons/dang-zhang-01/index.html",
        "members/index.html",
        "members/zhang-san/index.html",
        "activities/index.html",
        "activities/2025-05-04-wusi/index.html",
        "courses/index.html",
        "courses/dang-zhang-xue-xi/index.html",
        "tags/index.html",
        "tags/dang-zhang/index.html",
        "stats/index.html",
        "search/index.html",
        "me/index.html",
        "404.html",
        "atom.xml",
        "sitemap.xml",
        "robots.txt",
        "calendar.ics",
        "lessons/dang-zhang-01/qr.svg",
        "favicon.svg",
    ] {
        assert!(s.exists(f), "{f} missing");
    }
    // styles, scripts and the search index carry content hashes in their names
    let names = |dir: &str| -> Vec<String> {
        std::fs::read_dir(s.public().join(dir))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect()
    };
    let hashed = |name: &str, prefix: &str, ext: &str| {
        name.strip_prefix(prefix)
            .and_then(|r| r.strip_suffix(ext))
            .is_some_and(|h| h.len() == 10 && h.chars().all(|c| c.is_ascii_hexdigit()))
    };
    assert!(
        names("css").iter().any(|n| hashed(n, "zhibu.", ".css")),
        "{:?}",
        names("css")
    );
    for js in ["learning.", "search."] {
        assert!(
            names("js").iter().any(|n| hashed(n, js, ".js")),
            "{:?}",
            names("js")
        );
    }
    let search = names("search");
    let version = search
        .iter()
        .find(|n| n.len() == 10 && n.chars().all(|c| c.is_ascii_hexdigit()))
        .expect("a versioned search folder");
    assert!(s.exists(&format!("search/{version}/index.json")));
    assert!(
        s.read("search/index.html")
            .contains(&format!("data-index=\"/search/{version}/\""))
    );
    assert!(s.read("index.html").contains("href=\"./css/zhibu."));
    let html = s.read("index.html");
    assert!(
        html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"),
        "{html}"
    );
}

#[test]
fn chinese_file_names_become_pinyin_slugs() {
    let s = Site::new("pinyin");
    s.file("content/lessons/党章学习.md", "---\ntitle: 党章学习\n---\n");
    s.file(
        "content/activities/五四青年节/index.md",
        "---\ntitle: 五四\ndate: 2025-05-04\n---\n",
    );
    s.build_ok();
    assert!(s.exists("lessons/dang-zhang-xue-xi/index.html"));
    assert!(s.exists("activities/wu-si-qing-nian-jie/index.html"));
}

#[test]
fn markdown_features() {
    let s = Site::new("md");
    s.file(
        "content/lessons/md.md",
        "---\ntitle: Markdown\n---\n\n## 一、总纲\n\n| 项目 | 人数 |\n|---|---|\n| 党员 | 3 |\n\n~~删除~~ 和脚注[^1]\n\n- [x] 已完成\n- [ ] 未完成\n\n### 小节 {#custom}\n\n见[第一课](@/lessons/dang-zhang-01.md#yi-dang-de-xing-zhi)和[本页](#custom)。\n\n[^1]: 注释。\n",
    );
    s.build_ok();
    let html = s.read("lessons/md/index.html");
    assert!(
        html.contains("<h2 id=\"yi-zong-gang\">一、总纲</h2>"),
        "{html}"
    );
    assert!(html.contains("<table>"));
    assert!(html.contains("<del>删除</del>"));
    assert!(html.contains("footnote-definition"));
    assert!(html.contains("已完成") && html.contains("未完成"));
    assert!(html.contains("<h3 id=\"custom\">"));
    assert!(
        html.contains("href=\"/lessons/dang-zhang-01/#yi-dang-de-xing-zhi\""),
        "{html}"
    );
    // table of contents for the template
    assert!(html.contains("class=\"toc\"") || html.matches("<h2").count() >= 1);
}

#[test]
fn bundle_files_are_copied_and_linked() {
    let s = Site::new("bundle");
    let png = sample::png(&sample::quadrants(400, 300), 400, 300, 3);
    s.bytes("content/activities/2025-05-04-wusi/photo-2.png", &png);
    s.bytes("content/activities/2025-05-04-wusi/photo-1.png", &png);
    s.bytes("content/activities/2025-05-04-wusi/纪要.pdf", b"%PDF-1.4 x");
    s.file(
        "content/activities/2025-05-04-wusi/index.md",
        "---\ntitle: 五四主题党日\ndate: 2025-05-04 14:00\nkind: 主题党日\nparticipants: [zhang-san, li-si]\nattachments: [纪要.pdf]\n---\n\n![合影](photo-1.png)\n",
    );
    s.build_ok();
    // Other files are copied as they are; images only as their copies.
    assert!(s.exists("activities/2025-05-04-wusi/纪要.pdf"));
    assert!(!s.exists("activities/2025-05-04-wusi/photo-1.png"));
    let html = s.read("activities/2025-05-04-wusi/index.html");
    assert!(
        html.contains("src=\"/activities/2025-05-04-wusi/photo-1-400w."),
        "{html}"
    );
    assert!(
        html.contains("width=\"400\" height=\"300\" alt=\"合影\""),
        "{html}"
    );
    // the gallery has every image of the bundle, in name order
    let gallery = &html[html.find("class=\"gallery\"").expect("gallery")..];
    let one = gallery.find("photo-1-").unwrap();
    let two = gallery.find("photo-2-").unwrap();
    assert!(one < two);
}

#[test]
fn courses_order_and_prev_next() {
    let s = Site::new("course");
    s.file(
        "content/lessons/c3.md",
        "---\ntitle: 第三课\ncourse: 党章学习\norder: 3\n---\n",
    );
    s.file(
        "content/lessons/c2.md",
        "---\ntitle: 第二课\ncourse: 党章学习\norder: 2\n---\n",
    );
    s.build_ok();
    let course = s.read("courses/dang-zhang-xue-xi/index.html");
    let (a, b, c) = (
        course.find("党章第一课").unwrap(),
        course.find("第二课").unwrap(),
        course.find("第三课").unwrap(),
    );
    assert!(a < b && b < c, "lessons out of order");
    let two = s.read("lessons/c2/index.html");
    assert!(
        two.contains("href=\"/lessons/dang-zhang-01/\" rel=\"prev\""),
        "{two}"
    );
    assert!(two.contains("href=\"/lessons/c3/\" rel=\"next\""), "{two}");
    assert!(two.contains("第 2/3 课"));
}

#[test]
fn members_and_activities_link_both_ways() {
    let s = Site::new("links");
    s.build_ok();
    let act = s.read("activities/2025-05-04-wusi/index.html");
    assert!(act.contains("href=\"/members/zhang-san/\""));
    assert!(act.contains("href=\"/members/li-si/\""));
    let m = s.read("members/zhang-san/index.html");
    assert!(m.contains("href=\"/activities/2025-05-04-wusi/\""));
    assert!(m.contains("href=\"/activities/2026-12-05-zhiyuan/\""));
    // hours count only for activities that took place: 2, not 4.5
    assert!(m.contains("<dd>2 小时</dd>"), "{m}");
}

#[test]
fn upcoming_and_past_activities() {
    let s = Site::new("upcoming");
    s.build_ok();
    let home = s.read("index.html");
    let upcoming =
        &home[home.find("h-upcoming").expect("upcoming block")..home.find("h-courses").unwrap()];
    assert!(upcoming.contains("社区志愿服务"));
    assert!(!upcoming.contains("五四主题党日"));
    assert!(
        s.read("activities/2026-12-05-zhiyuan/index.html")
            .contains("即将开展")
    );
}

#[test]
fn statistics_and_charts() {
    let s = Site::new("stats");
    s.build_ok();
    let st = s.read("stats/index.html");
    assert!(
        st.contains("<svg viewBox=\"0 0 360"),
        "charts are SVG drawn at build time"
    );
    assert!(st.contains("各类活动次数"));
    assert!(st.contains("主题党日"));
    // per-member hours table: 张三 2 h (the upcoming activity is not counted yet)
    assert!(
        st.contains(">张三</a></th><td>学生党员</td><td>2</td><td>2</td>"),
        "{st}"
    );
}

#[test]
fn tags_have_pages() {
    let s = Site::new("tags");
    s.build_ok();
    let t = s.read("tags/dang-zhang/index.html");
    assert!(t.contains("标签：党章"));
    assert!(t.contains("href=\"/lessons/dang-zhang-01/\""));
}

#[test]
fn pagination() {
    let s = Site::new("paginate");
    s.file("site.toml", "title = \"x\"\npaginate_by = 2\n");
    for i in 0..5 {
        s.file(
            &format!("content/lessons/p{i}.md"),
            &format!("---\ntitle: 课{i}\ndate: 2025-01-0{}\n---\n", i + 1),
        );
    }
    s.build_ok();
    assert!(s.exists("lessons/page/2/index.html"));
    assert!(s.exists("lessons/page/3/index.html"));
    assert!(!s.exists("lessons/page/4/index.html"));
    assert!(s.read("lessons/index.html").contains("rel=\"next\""));
}

#[test]
fn front_matter_is_escaped() {
    let s = Site::new("xss");
    s.file(
        "content/lessons/x.md",
        "---\ntitle: \"<script>alert(1)</script>\"\nsummary: \"\\\"><img src=x onerror=alert(1)>\"\ntags: [\"<b>\"]\nquiz:\n  questions:\n    - type: single\n      question: \"<script>bad()</script>\"\n      options: [\"<i>a</i>\", b]\n      answer: A\n---\n",
    );
    s.build_ok();
    let html = s.read("lessons/x/index.html");
    assert!(!html.contains("<script>alert(1)"), "title not escaped");
    assert!(!html.contains("<img src=x"), "summary not escaped");
    assert!(!html.contains("<script>bad()"), "quiz question not escaped");
    assert!(!html.contains("<i>a</i>"), "quiz option not escaped");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn site_templates_override_theme_file_by_file() {
    let s = Site::new("override");
    s.file("templates/member.html", "{% extends \"base.html\" %}{% block content %}<p class=\"custom\">自定义：{{ page.title }}</p>{% endblock content %}");
    s.build_ok();
    assert!(
        s.read("members/zhang-san/index.html")
            .contains("<p class=\"custom\">自定义：张三</p>")
    );
    // other templates still come from the theme
    assert!(
        s.read("lessons/dang-zhang-01/index.html")
            .contains("class=\"quiz-form\"")
    );
}

#[test]
fn quiz_form_without_answers_in_plain_text() {
    let s = Site::new("quizform");
    s.file(
        "content/lessons/q.md",
        "---\ntitle: 测验\nquiz:\n  pass: 80\n  questions:\n    - type: fill\n      question: 党的根本宗旨是全心全意为人民____。\n      answer: [服务]\n    - type: multiple\n      question: 哪些？\n      options: [甲选项, 乙选项, 丙选项]\n      answer: [A, C]\n    - type: judge\n      question: 对吗？\n      answer: 错\n---\n",
    );
    s.build_ok();
    let html = s.read("lessons/q/index.html");
    assert!(html.contains("<fieldset class=\"question\""));
    assert!(html.contains("<legend>"));
    assert!(html.contains("type=\"checkbox\""));
    assert!(html.contains("<label for=\"quiz-q1-answer\">"));
    assert!(html.contains("data-pass=\"80\""));
    let start = html.find("<form class=\"quiz-form\"").unwrap();
    let form = &html[start..start + html[start..].find("</form>").unwrap()];
    assert!(!form.contains("服务\""), "fill answer in the page");
    assert!(!form.contains("data-answer"), "{form}");
}

#[test]
fn feeds_calendar_sitemap() {
    let s = Site::new("feeds");
    s.build_ok();
    let atom = s.read("atom.xml");
    let doc = roxmltree::Document::parse(&atom).expect("atom.xml is XML");
    let entries = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .count();
    assert_eq!(entries, 3, "lessons and activities");
    assert!(atom.contains("<link rel=\"alternate\" type=\"text/html\" href=\"https://test.example.edu.cn/lessons/dang-zhang-01/\"/>"));
    let sitemap = s.read("sitemap.xml");
    roxmltree::Document::parse(&sitemap).expect("sitemap.xml is XML");
    assert!(sitemap.contains("<loc>https://test.example.edu.cn/members/zhang-san/</loc>"));
    assert!(
        s.read("robots.txt")
            .contains("Sitemap: https://test.example.edu.cn/sitemap.xml")
    );

    let ics = s.read("calendar.ics");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(
        ics.lines().all(|l| l.len() <= 76),
        "lines are folded at 75 octets"
    );
    let at = ics.find("SUMMARY:社区志愿服务").expect("upcoming event");
    let upcoming = &ics[ics[..at].rfind("BEGIN:VEVENT").expect("its VEVENT")..];
    assert!(
        upcoming.contains("DTSTART:20261205T010000Z"),
        "09:00 Beijing is 01:00 UTC: {upcoming}"
    );
    assert!(upcoming.contains("DTEND:20261205T033000Z"));
    assert!(ics.contains("UID:activities-2026-12-05-zhiyuan@test.example.edu.cn"));
    assert!(ics.contains("LOCATION:社区服务中心"));
}

#[test]
fn share_meta_and_qr_codes() {
    let s = Site::new("share");
    s.bytes(
        "content/activities/2025-05-04-wusi/cover.jpg",
        &sample::phone_photo(800, 600, 1, 1),
    );
    s.file(
        "content/activities/2025-05-04-wusi/index.md",
        "---\ntitle: 五四主题党日\ndate: 2025-05-04 14:00\ncover: cover.jpg\nsummary: 全体党员重温入党誓词。\n---\n",
    );
    s.build_ok();
    let html = s.read("activities/2025-05-04-wusi/index.html");
    // 800 × 600: the largest copy has the share size, and is the share image.
    assert!(html.contains("<meta property=\"og:image\" content=\"https://test.example.edu.cn/activities/2025-05-04-wusi/cover-800w."), "{html}");
    assert!(
        html.contains("<meta property=\"og:image:width\" content=\"800\">"),
        "{html}"
    );
    assert!(html.contains("<meta property=\"og:description\" content=\"全体党员重温入党誓词。\">"));
    assert!(html.contains("<meta property=\"og:url\" content=\"https://test.example.edu.cn/activities/2025-05-04-wusi/\">"));
    let qr = s.read("activities/2025-05-04-wusi/qr.svg");
    assert!(qr.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
}

#[test]
fn base_url_with_a_path() {
    let s = Site::new("basepath");
    s.file(
        "site.toml",
        "title = \"x\"\nbase_url = \"https://host.edu.cn/dangjian/zhibu1/\"\n",
    );
    s.file(
        "content/lessons/l.md",
        "---\ntitle: L\n---\n\n[关于](/about/) [第一课](@/lessons/dang-zhang-01.md)\n",
    );
    s.file("content/about.md", "---\ntitle: 关于\n---\n");
    s.build_ok();
    let r = s.compile().unwrap();
    let html = s.read("lessons/l/index.html");
    // styles and scripts relative to the page (it then also works from a local folder) …
    assert!(html.contains("href=\"../../css/zhibu."));
    // … except on the 404 page, which the server shows at any depth
    assert!(
        s.read("404.html")
            .contains("href=\"/dangjian/zhibu1/css/zhibu.")
    );
    assert!(html.contains("href=\"/dangjian/zhibu1/about/\""));
    assert!(html.contains("href=\"/dangjian/zhibu1/lessons/dang-zhang-01/\""));
    assert!(
        s.read("atom.xml")
            .contains("https://host.edu.cn/dangjian/zhibu1/lessons/l/")
    );
    assert!(
        s.read("calendar.ics")
            .contains("URL:https://host.edu.cn/dangjian/zhibu1/activities/")
    );
    let broken = check_links(&r.files, "/dangjian/zhibu1/");
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn base_url_from_the_command_line() {
    let s = Site::new("cli-base");
    let mut o = s.options();
    o.base_url = Some("https://www.example.edu.cn/x/y".into());
    zhibu::pipeline::build(&o).unwrap();
    let r = zhibu::pipeline::compile(&o).unwrap();
    assert!(
        s.read("index.html").contains("href=\"/x/y/about/\"")
            || s.read("index.html").contains("href=\"/x/y/lessons/\"")
    );
    assert!(check_links(&r.files, "/x/y/").is_empty());
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let s = Site::new("atomic");
    s.build_ok();
    let before = snapshot(&s.public());
    s.file(
        "content/lessons/broken.md",
        "---\ntitle: 坏\ndate: 2025-13-45\n---\n",
    );
    s.build_err();
    assert_eq!(
        snapshot(&s.public()),
        before,
        "output changed after a failed build"
    );
    // no staging folders left beside it
    let names: Vec<String> = std::fs::read_dir(&s.root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains("zhibu-staging")),
        "{names:?}"
    );
}

#[test]
fn drafts_only_with_the_flag_and_never_in_feeds_or_search() {
    let s = Site::new("drafts");
    s.file(
        "content/lessons/d.md",
        "---\ntitle: 草稿课\ndate: 2026-01-01\ndraft: true\n---\n\n草稿独有词语甲乙丙。\n",
    );
    s.build_ok();
    assert!(!s.exists("lessons/d/index.html"));
    let mut o = s.options();
    o.drafts = true;
    zhibu::pipeline::build(&o).unwrap();
    assert!(s.exists("lessons/d/index.html"));
    assert!(!s.read("atom.xml").contains("草稿课"));
    assert!(!s.read("sitemap.xml").contains("lessons/d/"));
    let all_search: String = snapshot(&s.public().join("search"))
        .into_iter()
        .map(|(_, b)| String::from_utf8_lossy(&b).into_owned())
        .collect();
    assert!(!all_search.contains("草稿课"), "draft in search index");
}

#[test]
fn every_internal_link_of_a_fixture_resolves() {
    let s = Site::new("linkcheck");
    let r = s.compile().unwrap();
    let broken = check_links(&r.files, "/");
    assert!(broken.is_empty(), "{broken:#?}");
}
