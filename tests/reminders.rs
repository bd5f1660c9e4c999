//! Sign-up on activities and reminders: the button and QR code until the
//! deadline, `activities/<slug>/event.ics` with the alarms of `[calendar]`,
//! calendar.ics with the same, and RFC 5545's rules for both files (a real
//! parser reads them too: tests/ics/check_ics.py, run by scripts/test.sh).

mod common;

use common::Site;

const UPCOMING: &str = "content/activities/2026-12-05-zhiyuan/index.md";

fn with_signup(signup: &str) -> Site {
    let s = Site::new("signup");
    s.file(
        UPCOMING,
        &format!("---\ntitle: 社区志愿服务\ndate: 2026-12-05 09:00\nend: 2026-12-05 11:30\nkind: 志愿服务\n{signup}---\n\n即将开展。\n"),
    );
    s
}

#[test]
fn an_open_signup_has_a_button_a_qr_code_and_the_deadline() {
    let s = with_signup(
        "signup:\n  url: https://www.wjx.cn/vm/example.aspx\n  deadline: 2026-12-03 18:00\n  note: 名额 12 人\n",
    );
    s.build_ok();
    let html = s.read("activities/2026-12-05-zhiyuan/index.html");
    let signup = &html[html.find("class=\"signup\"").expect("signup section")..];
    let signup = &signup[..signup.find("</section>").unwrap()];
    assert!(
        signup.contains("data-now-end=\"2026-12-03T18:00:00+08:00\" data-now=\"current\""),
        "{signup}"
    );
    assert!(signup.contains("href=\"https://www.wjx.cn/vm/example.aspx\""));
    assert!(signup.contains("12月3日（周四）18:00"));
    assert!(signup.contains("名额 12 人"));
    assert!(
        signup.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "QR code"
    );
    assert!(signup.contains("data-now-show=\"past\" hidden>报名已截止"));
}

#[test]
fn after_the_deadline_the_button_is_gone() {
    for deadline in ["2026-11-20", "2026-11-21 11:00"] {
        let s = with_signup(&format!(
            "signup:\n  url: https://www.wjx.cn/vm/example.aspx\n  deadline: {deadline}\n"
        ));
        s.build_ok();
        let html = s.read("activities/2026-12-05-zhiyuan/index.html");
        assert!(!html.contains("wjx.cn"), "{deadline}: no link to the form");
        assert!(!html.contains("<svg"), "{deadline}: no QR code");
        assert!(html.contains("data-now-show=\"past\">报名已截止"), "{html}");
    }
    // A deadline written as a date lasts the whole day.
    let s =
        with_signup("signup:\n  url: https://www.wjx.cn/vm/example.aspx\n  deadline: 2026-11-21\n");
    s.build_ok();
    let html = s.read("activities/2026-12-05-zhiyuan/index.html");
    assert!(html.contains("data-now-end=\"2026-11-22T00:00:00+08:00\" data-now=\"current\""));
}

#[test]
fn signup_links_must_be_https() {
    for (url, word) in [
        ("javascript:alert(document.cookie)", "javascript:"),
        ("http://www.wjx.cn/vm/x.aspx", "http://"),
    ] {
        let s = with_signup(&format!("signup:\n  url: \"{url}\"\n"));
        let e = s.build_err();
        assert!(e.contains(&format!("{UPCOMING}:7:8")), "{e}");
        assert!(e.contains(word) && e.contains("https://"), "{e}");
    }
}

/// The VEVENT of `summary` in an .ics text.
fn event<'a>(ics: &'a str, summary: &str) -> &'a str {
    let at = ics.find(&format!("SUMMARY:{summary}")).expect("the event");
    let start = ics[..at].rfind("BEGIN:VEVENT").unwrap();
    let end = at + ics[at..].find("END:VEVENT").unwrap();
    &ics[start..end]
}

/// RFC 5545 §3.1: CRLF line ends, lines of at most 75 octets, folded with a space.
fn assert_rfc5545_lines(ics: &str) {
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    assert!(!ics.replace("\r\n", "").contains('\n'), "bare LF");
    for l in ics.split("\r\n") {
        assert!(l.len() <= 75, "{} octets: {l}", l.len());
    }
    let starts = |p: &str| ics.split("\r\n").filter(|l| l.starts_with(p)).count();
    assert_eq!(starts("BEGIN:"), starts("END:"), "components are closed");
    assert!(ics.contains("\r\nDTSTAMP:"));
}

#[test]
fn every_activity_has_an_event_file_with_reminders() {
    let s = Site::new("event-ics");
    s.file(
        "content/activities/2026-07-10-shijian/index.md",
        "---\ntitle: 暑期社会实践：乡村振兴观察\ndate: 2026-07-10\nend: 2026-07-12\nkind: 社会实践\n---\n",
    );
    s.build_ok();
    for slug in [
        "2025-05-04-wusi",
        "2026-12-05-zhiyuan",
        "2026-07-10-shijian",
    ] {
        assert!(s.exists(&format!("activities/{slug}/event.ics")), "{slug}");
    }
    let one = s.read("activities/2026-12-05-zhiyuan/event.ics");
    assert_rfc5545_lines(&one);
    assert_eq!(one.matches("BEGIN:VEVENT").count(), 1);
    let ev = event(&one, "社区志愿服务");
    assert!(ev.contains("DTSTART:20261205T010000Z"), "{ev}");
    assert!(
        ev.contains("TRIGGER:-P1D") && ev.contains("TRIGGER:-PT1H"),
        "{ev}"
    );
    assert_eq!(ev.matches("BEGIN:VALARM").count(), 2);
    assert!(ev.contains("ACTION:DISPLAY"));

    // Whole days: reminded at 09:00 the day before, not at midnight.
    let days = s.read("activities/2026-07-10-shijian/event.ics");
    let ev = event(&days, "暑期社会实践");
    assert!(
        ev.contains("DTSTART;VALUE=DATE:20260710") && ev.contains("DTEND;VALUE=DATE:20260713"),
        "{ev}"
    );
    assert!(
        ev.contains("TRIGGER:-PT15H") && !ev.contains("TRIGGER:-PT1H"),
        "{ev}"
    );

    // calendar.ics carries the same events, alarms and UIDs.
    let all = s.read("calendar.ics");
    assert_rfc5545_lines(&all);
    assert_eq!(all.matches("BEGIN:VEVENT").count(), 3);
    assert_eq!(event(&all, "社区志愿服务"), event(&one, "社区志愿服务"));

    // The page and its card link to it.
    let page = s.read("activities/2026-12-05-zhiyuan/index.html");
    assert!(
        page.contains("href=\"/activities/2026-12-05-zhiyuan/event.ics\">加入日历</a>"),
        "{page}"
    );
    let home = s.read("index.html");
    assert!(home.contains("href=\"/activities/2026-12-05-zhiyuan/event.ics\">加入日历</a>"));

    // The same content gives the same files.
    let before = (one.clone(), all.clone());
    s.build_ok();
    assert_eq!(
        before,
        (
            s.read("activities/2026-12-05-zhiyuan/event.ics"),
            s.read("calendar.ics")
        )
    );
}

#[test]
fn alarms_timezone_and_base_path_from_site_toml() {
    let s = Site::new("alarms");
    s.file(
        "site.toml",
        "title = \"x\"\nbase_url = \"https://host.edu.cn/dangjian/zhibu1/\"\ntimezone = \"+09:00\"\n[calendar]\nalarms = [\"2h\", \"30分钟\"]\n",
    );
    s.build_ok();
    let ics = s.read("activities/2026-12-05-zhiyuan/event.ics");
    let ev = event(&ics, "社区志愿服务");
    // 09:00 at +09:00 is midnight UTC.
    assert!(ev.contains("DTSTART:20261205T000000Z"), "{ev}");
    assert!(
        ev.contains("TRIGGER:-PT2H") && ev.contains("TRIGGER:-PT30M"),
        "{ev}"
    );
    assert!(!ev.contains("TRIGGER:-P1D"));
    assert!(
        !ics.contains("X-WR-TIMEZONE:Asia/Shanghai"),
        "not Beijing time"
    );
    // Two branches on one host never share a UID.
    assert!(
        ev.contains("UID:dangjian-zhibu1-activities-2026-12-05-zhiyuan@host.edu.cn"),
        "{ev}"
    );
    assert!(ev.contains("URL:https://host.edu.cn/dangjian/zhibu1/activities/2026-12-05-zhiyuan/"));
    let page = s.read("activities/2026-12-05-zhiyuan/index.html");
    assert!(page.contains("href=\"/dangjian/zhibu1/activities/2026-12-05-zhiyuan/event.ics\""));

    s.file("site.toml", "title = \"x\"\n[calendar]\nalarms = []\n");
    s.build_ok();
    assert!(!s.read("calendar.ics").contains("VALARM"));

    s.file(
        "site.toml",
        "title = \"x\"\n\n[calendar]\nalarms = [\"1d\", \"明天\"]\n",
    );
    let e = s.build_err();
    assert!(
        e.contains("site.toml:4") && e.contains("明天") && e.contains("\"1d\""),
        "{e}"
    );
}

#[test]
fn activity_states_at_build_time() {
    let s = Site::new("activity-states");
    s.build_ok();
    let up = s.read("activities/2026-12-05-zhiyuan/index.html");
    assert!(up.contains("data-now-start=\"2026-12-05T09:00:00+08:00\" data-now-end=\"2026-12-05T11:30:00+08:00\" data-now=\"upcoming\""), "{up}");
    assert!(up.contains("data-now-show=\"upcoming\">即将开展"));
    assert!(up.contains("data-now-show=\"past\" hidden>已开展"));
    let past = s.read("activities/2025-05-04-wusi/index.html");
    assert!(past.contains("data-now-show=\"past\">已开展"), "{past}");
    assert!(!past.contains(">加入日历<"), "no button for what is over");
    // The home page's upcoming list hides what is over when read later.
    let home = s.read("index.html");
    assert!(home.contains("aria-labelledby=\"h-upcoming\" data-now-list=\"past\""));
}
