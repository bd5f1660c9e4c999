//! Live preview re-renders only what an edit touches. Whatever it skips must
//! be exactly what a full build would have left unchanged: after every edit
//! below, the incremental output is compared byte for byte with a fresh build
//! of the same files.

mod common;

use common::{Site, bytes};
use zhibu::serve::{Change, LiveSite};

/// Writes `text` to `rel`, lets the live site rebuild from the watcher's
/// hint, and checks the result against a full build.
fn edit(s: &Site, live: &mut LiveSite, rel: &str, text: Option<&str>, what: &str) {
    let path = s.root.join(rel);
    match text {
        Some(t) => {
            s.file(rel, t);
        }
        None => std::fs::remove_file(&path).unwrap(),
    }
    rebuilt(s, live, &[path], what);
}

/// An editor's atomic save: a temporary file renamed over `rel`; the
/// watcher names both.
fn save_atomically(s: &Site, live: &mut LiveSite, rel: &str, text: &str, what: &str) {
    let path = s.root.join(rel);
    let tmp = s.root.join(format!("{rel}.sav9x2"));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
    rebuilt(s, live, &[tmp, path], what);
}

/// Rebuilds from the watcher's hint and checks the result against a full build.
fn rebuilt(s: &Site, live: &mut LiveSite, paths: &[std::path::PathBuf], what: &str) {
    live.rebuild(Change::Content, &s.root, paths)
        .unwrap_or_else(|d| panic!("{what}: {}", d.render(false)));
    let (got, want) = (bytes(live.files()), common::full_build(s));
    let differ: std::collections::BTreeSet<&String> = want
        .keys()
        .chain(got.keys())
        .filter(|k| got.get(*k) != want.get(*k))
        .collect();
    assert!(
        differ.is_empty(),
        "{what}: these files differ from a full build: {differ:?}"
    );
}

/// Writes a mistake to `rel`: the rebuild must fail naming `needle` and
/// leave the output as it was.
fn edit_fails(s: &Site, live: &mut LiveSite, rel: &str, text: &str, needle: &str) {
    let before = bytes(live.files());
    s.file(rel, text);
    let err = live
        .rebuild(Change::Content, &s.root, &[s.root.join(rel)])
        .expect_err("the mistake is an error");
    assert!(err.render(false).contains(needle), "{}", err.render(false));
    assert!(
        bytes(live.files()) == before,
        "a failed edit changed the output"
    );
}

fn lesson(title: &str, date: &str, course: &str, order: u32, tags: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: {date}\ncourse: {course}\norder: {order}\ntags: [{tags}]\n---\n\n{body}\n"
    )
}

#[test]
fn every_kind_of_edit_gives_what_a_full_build_gives() {
    let s = Site::empty("incremental");
    s.file(
        "site.toml",
        "title = \"测试支部\"\nbase_url = \"https://test.example.edu.cn/dangjian/\"\npaginate_by = 2\n",
    );
    let courses = ["党章学习", "党史学习"];
    for i in 0..7u32 {
        s.file(
            &format!("content/lessons/l{i}.md"),
            &lesson(
                &format!("第{i}课"),
                &format!("2025-0{}-0{}", 1 + i % 6, 1 + i),
                courses[(i % 2) as usize],
                i,
                if i % 3 == 0 {
                    "党章, 理论"
                } else {
                    "理论"
                },
                &format!(
                    "第{i}课的正文。参见[下一课](@/lessons/l{}.md)。",
                    (i + 1) % 7
                ),
            ),
        );
    }
    for (slug, name) in [
        ("zhang-san", "张三"),
        ("li-si", "李四"),
        ("wang-wu", "王五"),
    ] {
        s.file(
            &format!("content/members/{slug}.md"),
            &format!("---\nname: {name}\nrole: 学生党员\n---\n\n事迹。\n"),
        );
    }
    for i in 0..5u32 {
        s.file(
            &format!("content/activities/a{i}.md"),
            &format!(
                "---\ntitle: 活动{i}\ndate: 2026-0{}-10 14:00\nkind: 志愿服务\nparticipants: [zhang-san{}]\nvolunteer_hours: 2\n---\n\n活动记录。\n",
                1 + i,
                if i % 2 == 0 { ", li-si" } else { "" }
            ),
        );
    }
    let mut live = LiveSite::new(s.options()).expect("the fixture builds");

    let l3 = "content/lessons/l3.md";
    let base = lesson(
        "第3课",
        "2025-04-04",
        "党史学习",
        3,
        "党章, 理论",
        "第3课的正文。参见[下一课](@/lessons/l4.md)。",
    );
    edit(
        &s,
        &mut live,
        l3,
        Some(&base.replace("第3课的正文", "改过的正文")),
        "a body edit",
    );
    edit_fails(
        &s,
        &mut live,
        l3,
        &base.replace("(@/lessons/l4.md)", "(@/lessons/l44.md)"),
        "l44.md",
    );
    // Another file saved while that mistake stands: still an error; once
    // the mistake is fixed (next edit) this file must show up too.
    edit_fails(
        &s,
        &mut live,
        "content/lessons/l5.md",
        &lesson(
            "第五课",
            "2025-06-06",
            "党史学习",
            5,
            "理论",
            "第5课的正文。参见[下一课](@/lessons/l6.md)。",
        ),
        "l44.md",
    );
    edit(
        &s,
        &mut live,
        l3,
        Some(&base.replace("title: 第3课", "title: 第三课（修订）")),
        "a title edit",
    );
    edit(
        &s,
        &mut live,
        l3,
        Some(&base.replace("2025-04-04", "2024-12-30")),
        "a date edit that reorders the lists",
    );
    save_atomically(
        &s,
        &mut live,
        l3,
        &base.replace("order: 3", "order: 0"),
        "an order edit within the course, saved through a temporary file",
    );
    edit(
        &s,
        &mut live,
        l3,
        Some(&base.replace("tags: [党章, 理论]", "tags: [理论]")),
        "a tag removed",
    );
    edit(
        &s,
        &mut live,
        l3,
        Some(&base.replace("党史学习", "党章学习")),
        "a lesson moved to another course",
    );
    edit(
        &s,
        &mut live,
        "content/activities/a1.md",
        Some(
            "---\ntitle: 活动1\ndate: 2026-02-10 14:00\nkind: 志愿服务\nparticipants: [wang-wu]\nvolunteer_hours: 3\n---\n\n活动记录。\n",
        ),
        "participants and hours changed",
    );
    edit(
        &s,
        &mut live,
        "content/members/li-si.md",
        Some("---\nname: 李四\nrole: 预备党员\n---\n\n新的事迹。\n"),
        "a member's role",
    );
    edit(
        &s,
        &mut live,
        "content/members/zhang-san.md",
        Some("---\nname: 赵六\nrole: 学生党员\nfeatured: true\n---\n\n事迹。\n"),
        "a member renamed and featured (the member list reorders)",
    );
    edit(
        &s,
        &mut live,
        "content/activities/a0.md",
        Some(
            "---\ntitle: 活动0\ndate: 2027-03-10 14:00\nkind: 主题党日\nparticipants: [zhang-san]\nvolunteer_hours: 5\n---\n\n活动记录。\n",
        ),
        "an activity moved into the future (upcoming, hours, calendar)",
    );
    edit(
        &s,
        &mut live,
        l3,
        Some(&base.replace("order: 3", "order: 3\nweight: 1\nsummary: 手写的摘要")),
        "a weight and a written summary",
    );
    edit(
        &s,
        &mut live,
        "content/activities/a1.md",
        Some(
            "---\ntitle: 活动1\ndate: 2026-02-10 14:00\nkind: 志愿服务\nparticipants: [li-si]\nvolunteer_hours: 3\n---\n\n活动记录。\n",
        ),
        "a member left their only activity",
    );
    // A mistake in front matter: the preview keeps the last good output,
    // and the next good save goes on from there.
    edit_fails(
        &s,
        &mut live,
        "content/activities/a2.md",
        "---\ntitle: 活动2\ndate: 2026-03-10 14:00\nparticipants: [nobody]\n---\n\n记录。\n",
        "nobody",
    );
    edit(
        &s,
        &mut live,
        "content/activities/a2.md",
        Some(
            "---\ntitle: 活动2（更正）\ndate: 2026-03-10 14:00\nparticipants: [li-si]\n---\n\n记录。\n",
        ),
        "the mistake fixed",
    );
    let a3 = "---\ntitle: 活动3\ndate: 2026-04-10 14:00\nkind: 志愿服务\nparticipants: [zhang-san]\nvolunteer_hours: 2\n---\n\n活动记录。\n";
    edit(
        &s,
        &mut live,
        "content/activities/a3.md",
        Some(&a3.replace("kind:", "draft: true\nkind:")),
        "an activity made a draft",
    );
    edit(
        &s,
        &mut live,
        "content/activities/a3.md",
        Some(a3),
        "the draft published again",
    );
    // Pages linking to l4 (l3) keep their resolved links only while every
    // link target is unchanged.
    let l4 = lesson(
        "第4课",
        "2025-05-05",
        "党章学习",
        4,
        "理论",
        "第4课的正文。参见[下一课](@/lessons/l5.md)。",
    );
    edit(
        &s,
        &mut live,
        "content/lessons/l4.md",
        Some(
            &l4.replace("title: 第4课", "title: 第四课")
                .replace("---\ntitle", "---\nslug: di-si-ke\ntitle"),
        ),
        "a linked page's title and address",
    );
    edit(
        &s,
        &mut live,
        "content/lessons/l4.md",
        Some(&format!("{l4}\n## 小结\n\n要点。\n")),
        "a linked page back at its address, with a new heading",
    );
    edit(
        &s,
        &mut live,
        l3,
        Some(&base.replace("(@/lessons/l4.md)", "(@/lessons/l4.md#xiao-jie)")),
        "a link to the new heading",
    );
    edit(
        &s,
        &mut live,
        "content/lessons/l9.md",
        Some(&lesson(
            "第9课",
            "2025-07-01",
            "党章学习",
            9,
            "理论",
            "新的一课。",
        )),
        "a new lesson",
    );
    edit(
        &s,
        &mut live,
        "content/lessons/l9.md",
        None,
        "a lesson removed",
    );
}

/// Output paths are checked in `serve` as in a build: a file that clashes
/// by case with another, or a course name too long for a file name, is an
/// error at once, and the fix brings the site back.
#[test]
fn serve_checks_output_paths_when_they_change() {
    let s = Site::empty("serve-paths");
    s.file("site.toml", "title = \"测试支部\"\n");
    let page = |course: &str| {
        format!("---\ntitle: 一课\ndate: 2025-03-01\ncourse: {course}\n---\n\n正文。\n")
    };
    s.file("content/lessons/b.md", &page("党章学习"));
    s.file(
        "content/activities/x/index.md",
        "---\ntitle: 活动\ndate: 2025-03-01\nattachments: [plan.pdf]\n---\n\n记录。\n",
    );
    s.bytes("content/activities/x/plan.pdf", b"%PDF-1.4");
    let mut live = LiveSite::new(s.options()).expect("the fixture builds");
    let clash = "content/activities/x/Plan.pdf";
    edit_fails(&s, &mut live, clash, "%PDF-1.4", "只差大小写");
    edit(&s, &mut live, clash, None, "the clashing file removed");
    // A front-matter edit that keeps the page's place but names a new course.
    let b = "content/lessons/b.md";
    edit_fails(
        &s,
        &mut live,
        b,
        &page(&"很长的课程名".repeat(14)),
        "255 字节",
    );
    edit(
        &s,
        &mut live,
        b,
        Some(&page("党史学习")),
        "the course renamed",
    );
}
