//! Notices (通知公告, 公示): their states at build time (`now` is
//! 2026-11-21 noon), /notices/ with the current ones first and an archive,
//! the home page, the feed and search; and the mistakes editors make with them.

mod common;

use common::Site;

/// A site with one notice of every situation.
fn notices() -> Site {
    let s = Site::new("notices");
    s.file(
        "content/notices/gongshi-now.md",
        "---\ntitle: 关于拟将赵嘉怡同志列为发展对象的公示\ncategory: 公示\nstart: 2026-11-19\nend: 2026-11-25\ncontact: 支部组织委员，办公电话 0571-88273456\n---\n\n公示内容。\n",
    );
    s.file(
        "content/notices/gongshi-ended.md",
        "---\ntitle: 关于杨帆同志拟按期转正的公示\ncategory: 公示\nstart: 2026-06-15\nend: 2026-06-19\n---\n\n已结束。\n",
    );
    s.file(
        "content/notices/gongshi-future.md",
        "---\ntitle: 关于优秀共产党员推荐人选的公示\ncategory: 公示\ndate: 2026-11-20\nstart: 2026-11-30\nend: 2026-12-04 17:00\n---\n\n将要公示。\n",
    );
    s.file(
        "content/notices/tongzhi-recent.md",
        "---\ntitle: 关于开展民主评议党员工作的通知\ndate: 2026-11-18\n---\n\n通知。\n",
    );
    s.file(
        "content/notices/tongzhi-old.md",
        "---\ntitle: 关于暑期社会实践的通知\ndate: 2026-06-01\n---\n\n旧通知。\n",
    );
    s.file(
        "content/notices/gongkai.md",
        "---\ntitle: 支部委员会组成\ncategory: 公开\n---\n\n书记、组织委员、宣传委员。\n",
    );
    s
}

fn between<'a>(html: &'a str, from: &str, to: &str) -> &'a str {
    let a = html
        .find(from)
        .unwrap_or_else(|| panic!("no {from} in {html}"));
    let b = html[a..].find(to).map(|b| a + b).unwrap_or(html.len());
    &html[a..b]
}

#[test]
fn states_at_build_time() {
    let s = notices();
    s.build_ok();
    let now = s.read("notices/gongshi-now/index.html");
    assert!(
        now.contains("data-now-start=\"2026-11-19T00:00:00+08:00\" data-now-end=\"2026-11-26T00:00:00+08:00\" data-now=\"current\""),
        "the window, the last day included: {now}"
    );
    // Sat 21st to Wed 25th: five days, today included.
    assert!(
        now.contains("data-now-show=\"current\">公示中（剩 <span data-now-days>5</span> 天）"),
        "{now}"
    );
    assert!(now.contains("data-now-show=\"past\" hidden>已结束"));
    assert!(now.contains("2026年11月19日至11月25日"));
    assert!(now.contains("支部组织委员，办公电话 0571-88273456"));

    let ended = s.read("notices/gongshi-ended/index.html");
    assert!(ended.contains("data-now-show=\"past\">已结束"), "{ended}");
    assert!(ended.contains("data-now-show=\"current\" hidden>"));

    let future = s.read("notices/gongshi-future/index.html");
    assert!(
        future.contains("data-now-show=\"upcoming\">11月30日起公示"),
        "{future}"
    );
    // A period that ends at a time of day ends then.
    assert!(future.contains("data-now-end=\"2026-12-04T17:00:00+08:00\""));

    // A 通知 without a period shows no state.
    let t = s.read("notices/tongzhi-recent/index.html");
    assert!(!t.contains("data-now-show"), "{t}");
    assert!(t.contains(">通知</span>"));
}

#[test]
fn notices_list_current_first_then_the_archive() {
    let s = notices();
    s.build_ok();
    let list = s.read("notices/index.html");
    let current = between(&list, "h-notices-current", "h-notices-archive");
    let archive = between(&list, "h-notices-archive", "</main>");
    for t in ["赵嘉怡", "优秀共产党员", "民主评议", "支部委员会组成"] {
        assert!(current.contains(t), "{t} is current: {current}");
    }
    for t in ["杨帆", "暑期社会实践"] {
        assert!(archive.contains(t), "{t} is over: {archive}");
        assert!(!current.contains(t));
    }
    // Running ones before the one still to come; each moves to the archive when over.
    assert!(current.find("赵嘉怡").unwrap() < current.find("优秀共产党员").unwrap());
    assert!(current.contains("data-now-to=\"notices-archive\""));
    assert!(archive.contains("id=\"notices-archive\""));

    let home = s.read("index.html");
    let bar = between(&home, "notice-bar", "</aside>");
    assert!(bar.contains("赵嘉怡") && bar.contains("优秀共产党员") && bar.contains("民主评议"));
    assert!(
        !bar.contains("杨帆") && !bar.contains("暑期社会实践"),
        "{bar}"
    );
    assert!(bar.contains("data-now-list=\"past\""));
    assert!(
        home.find("notice-bar").unwrap() < home.find("class=\"hero\"").unwrap(),
        "at the top"
    );
    // The menu links to the list.
    assert!(home.contains("href=\"/notices/\">通知公告</a>"), "{home}");
}

#[test]
fn a_site_without_notices_still_has_the_list() {
    let s = Site::new("no-notices");
    s.build_ok();
    assert!(s.read("notices/index.html").contains("这里还没有内容"));
    assert!(!s.read("index.html").contains("notice-bar"));
}

#[test]
fn notices_in_the_feed_and_in_search() {
    let s = notices();
    s.build_ok();
    let atom = s.read("atom.xml");
    let doc = roxmltree::Document::parse(&atom).expect("atom.xml is well-formed XML");
    let titles: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|e| e.children().find(|c| c.has_tag_name("title")))
        .filter_map(|t| t.text().map(str::to_string))
        .collect();
    assert!(titles.iter().any(|t| t.contains("赵嘉怡")), "{titles:?}");
    assert!(atom.contains("<category term=\"公示\"/>"), "{atom}");
    assert!(atom.contains("<published>2026-11-19T00:00:00+08:00</published>"));

    // In the search index's display data: path, title, kind …
    let r = s.compile().unwrap();
    let shown: String = r
        .files
        .iter()
        .filter(|f| f.path.starts_with("search/") && f.path.contains("/d/"))
        .map(|f| String::from_utf8_lossy(&f.read().unwrap()).into_owned())
        .collect();
    let row = shown
        .split("],[")
        .find(|row| row.contains("\"notices/gongshi-now/\""))
        .expect("indexed");
    assert!(row.contains("\"通知公告\""), "{row}");
}

#[test]
fn undated_notice_is_a_standing_one_and_base_paths_work() {
    let s = notices();
    s.file(
        "site.toml",
        "title = \"x\"\nbase_url = \"https://host.edu.cn/dangjian/zhibu1/\"\n",
    );
    s.build_ok();
    let home = s.read("index.html");
    assert!(
        home.contains("href=\"/dangjian/zhibu1/notices/gongkai/\""),
        "{home}"
    );
    assert!(home.contains("href=\"/dangjian/zhibu1/notices/\""));
    let r = s.compile().unwrap();
    let broken = zhibu::check::check_links(&r.files, "/dangjian/zhibu1/");
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn a_publicity_notice_without_its_last_day_is_an_error_with_the_date() {
    let s = Site::new("gongshi-end");
    s.file(
        "content/notices/x.md",
        "---\ntitle: 公示\ncategory: 公示\nstart: 2026-11-19\n---\n",
    );
    let e = s.build_err();
    assert!(e.contains("content/notices/x.md:3"), "{e}");
    assert!(e.contains("end: 2026-11-25"), "five working days on: {e}");
}

#[test]
fn notice_mistakes_are_named() {
    let s = Site::new("notice-errors");
    s.file(
        "content/notices/x.md",
        "---\ntitle: 公示\ncategory: 公式\nstart: 2026-11-25\nend: 2026-11-19\ncontact: 联系人 13812345678\n---\n",
    );
    let e = s.build_err();
    assert!(
        e.contains("content/notices/x.md:3") && e.contains("公式"),
        "{e}"
    );
    assert!(
        e.contains("content/notices/x.md:5") && e.contains("早于"),
        "{e}"
    );
    assert!(
        e.contains("content/notices/x.md:6") && e.contains("[privacy] allow"),
        "{e}"
    );
    assert!(!e.contains("13812345678"), "the number is masked: {e}");
    // An office number published on purpose.
    s.file(
        "site.toml",
        "title = \"x\"\n[privacy]\nallow = [\"13812345678\"]\n",
    );
    s.file(
        "content/notices/x.md",
        "---\ntitle: 公示\ncategory: 公示\nstart: 2026-11-19\nend: 2026-11-25\ncontact: 办公室 13812345678\n---\n",
    );
    s.build_ok();
}
