//! Live preview never shows what a build would not: random sequences of
//! editor edits — bodies; titles, dates, tags, course order, courses,
//! participants and volunteer hours; members; notices (category, period
//! across now, added and removed); a lesson given a quiz; a study plan's
//! items and dates (it lists lessons, a course and an activity), the plan
//! added and removed; 三会一课 records (their type, attendance, host, a
//! date moving between months and years, a record added or removed), which
//! the 台账, its CSV and the annual summaries show; added, removed and
//! renamed files; site.toml; a site template override that shows a
//! site-wide figure — are applied to a running `serve` (its `LiveSite`),
//! and after every step its whole output is compared byte for byte with a
//! full build of the same files.
//!
//! The same edits are given to `zhibu build` with the build cache, which
//! keeps every file whose recorded reads did not change (issue 19): after
//! every step its output folder is compared byte for byte with a build
//! without the cache into a fresh folder.
//!
//! `PROPTEST_CASES=200 cargo test --test serve_property` runs more cases.

mod common;
#[path = "serve_property/meetings.rs"]
mod meetings;
#[path = "serve_property/plans.rs"]
mod plans;

use std::collections::BTreeMap;
use std::path::PathBuf;

use proptest::prelude::*;
use zhibu::serve::{Change, LiveSite};

use meetings::{MEETINGS, Meeting, MeetingEdit};
use plans::PlanEdit;

const LESSONS: usize = 6;
/// Lessons 0..FIXED are always there (others link to them); the rest come and go.
const FIXED: usize = 3;
const ACTIVITIES: usize = 4;
const MEMBERS: usize = 3;
const NOTICES: usize = 3;
const TAGS: [&str; 3] = ["党史", "理论学习", "志愿服务"];
const COURSES: [&str; 2] = ["党章学习", "党史学习"];

#[derive(Clone, Debug)]
struct Lesson {
    present: bool,
    /// The file name: `l3.md` or, renamed, `l3-new.md`.
    renamed: bool,
    title: u8,
    day: u8,
    course: u8,
    order: u8,
    tags: u8,
    body: u8,
    quiz: bool,
}

#[derive(Clone, Debug)]
struct Activity {
    title: u8,
    /// Months from 2026-09; later than November is still to come.
    month: u8,
    participants: u8,
    hours: u8,
    tags: u8,
    body: u8,
}

#[derive(Clone, Debug)]
struct Member {
    name: u8,
    role: u8,
    featured: bool,
}

#[derive(Clone, Debug)]
struct Notice {
    present: bool,
    /// 公示, 通知, 公开.
    category: u8,
    /// The period starts this many days after 2026-11-14 (the builds take
    /// 2026-11-21 as now), and lasts `days`.
    start: u8,
    days: u8,
    title: u8,
}

#[derive(Clone, Debug)]
struct State {
    lessons: Vec<Lesson>,
    activities: Vec<Activity>,
    members: Vec<Member>,
    notices: Vec<Notice>,
    meetings: Vec<Meeting>,
    paginate_by: u8,
    /// 0: no override; 1: base.html shows the total volunteer hours;
    /// 2: base.html shows the number of lessons.
    template: u8,
    home: u8,
    plan: plans::Plan,
}

#[derive(Clone, Debug)]
enum Edit {
    LessonBody(usize, u8),
    LessonTitle(usize, u8),
    LessonDay(usize, u8),
    LessonOrder(usize, u8),
    LessonCourse(usize, u8),
    LessonTags(usize, u8),
    LessonQuiz(usize, bool),
    AddOrRemoveLesson(usize),
    RenameLesson(usize),
    ActivityTitle(usize, u8),
    ActivityMonth(usize, u8),
    ActivityParticipants(usize, u8),
    ActivityHours(usize, u8),
    ActivityTags(usize, u8),
    ActivityBody(usize, u8),
    MemberName(usize, u8),
    MemberRole(usize, u8),
    MemberFeatured(usize, bool),
    NoticeCategory(usize, u8),
    NoticePeriod(usize, u8, u8),
    NoticeTitle(usize, u8),
    AddOrRemoveNotice(usize),
    Meeting(usize, MeetingEdit),
    PaginateBy(u8),
    Template(u8),
    Home(u8),
    Plan(plans::PlanEdit),
}

fn edit() -> impl Strategy<Value = Edit> {
    let l = 0..LESSONS;
    let a = 0..ACTIVITIES;
    let m = 0..MEMBERS;
    prop_oneof![
        (l.clone(), any::<u8>()).prop_map(|(i, v)| Edit::LessonBody(i, v)),
        (l.clone(), 0..4u8).prop_map(|(i, v)| Edit::LessonTitle(i, v)),
        (l.clone(), 1..28u8).prop_map(|(i, v)| Edit::LessonDay(i, v)),
        (l.clone(), 0..6u8).prop_map(|(i, v)| Edit::LessonOrder(i, v)),
        (l.clone(), 0..3u8).prop_map(|(i, v)| Edit::LessonCourse(i, v)),
        (l.clone(), 0..8u8).prop_map(|(i, v)| Edit::LessonTags(i, v)),
        (l.clone(), any::<bool>()).prop_map(|(i, v)| Edit::LessonQuiz(i, v)),
        (FIXED..LESSONS).prop_map(Edit::AddOrRemoveLesson),
        (FIXED..LESSONS).prop_map(Edit::RenameLesson),
        (a.clone(), 0..4u8).prop_map(|(i, v)| Edit::ActivityTitle(i, v)),
        (a.clone(), 0..6u8).prop_map(|(i, v)| Edit::ActivityMonth(i, v)),
        (a.clone(), 0..8u8).prop_map(|(i, v)| Edit::ActivityParticipants(i, v)),
        (a.clone(), 0..5u8).prop_map(|(i, v)| Edit::ActivityHours(i, v)),
        (a.clone(), 0..8u8).prop_map(|(i, v)| Edit::ActivityTags(i, v)),
        (a, any::<u8>()).prop_map(|(i, v)| Edit::ActivityBody(i, v)),
        (m.clone(), 0..3u8).prop_map(|(i, v)| Edit::MemberName(i, v)),
        (m.clone(), 0..3u8).prop_map(|(i, v)| Edit::MemberRole(i, v)),
        (m, any::<bool>()).prop_map(|(i, v)| Edit::MemberFeatured(i, v)),
        (0..NOTICES, 0..3u8).prop_map(|(i, v)| Edit::NoticeCategory(i, v)),
        (0..NOTICES, 0..14u8, 1..8u8).prop_map(|(i, a, b)| Edit::NoticePeriod(i, a, b)),
        (0..NOTICES, 0..3u8).prop_map(|(i, v)| Edit::NoticeTitle(i, v)),
        (0..NOTICES).prop_map(Edit::AddOrRemoveNotice),
        meetings::edit().prop_map(|(i, e)| Edit::Meeting(i, e)),
        meetings::edit().prop_map(|(i, e)| Edit::Meeting(i, e)),
        (1..4u8).prop_map(Edit::PaginateBy),
        (0..3u8).prop_map(Edit::Template),
        (0..3u8).prop_map(Edit::Home),
        plans::edit().prop_map(Edit::Plan),
        plans::edit().prop_map(Edit::Plan),
    ]
}

fn tags(mask: u8) -> String {
    let chosen: Vec<&str> = (0..TAGS.len())
        .filter(|i| mask & (1 << i) != 0)
        .map(|i| TAGS[i])
        .collect();
    format!("[{}]", chosen.join(", "))
}

impl State {
    fn new() -> State {
        State {
            lessons: (0..LESSONS)
                .map(|i| Lesson {
                    present: i < FIXED + 1,
                    renamed: false,
                    title: 0,
                    day: 1 + i as u8,
                    course: (i % 2) as u8,
                    order: i as u8,
                    tags: 1 + (i % 3) as u8,
                    body: 0,
                    quiz: i == 0,
                })
                .collect(),
            activities: (0..ACTIVITIES)
                .map(|i| Activity {
                    title: 0,
                    month: i as u8,
                    participants: 1 + i as u8 % 3,
                    hours: 2,
                    tags: 4,
                    body: 0,
                })
                .collect(),
            members: (0..MEMBERS)
                .map(|_| Member {
                    name: 0,
                    role: 0,
                    featured: false,
                })
                .collect(),
            notices: (0..NOTICES)
                .map(|i| Notice {
                    present: i < 2,
                    category: i as u8,
                    start: 3 * i as u8,
                    days: 5,
                    title: 0,
                })
                .collect(),
            meetings: (0..MEETINGS).map(Meeting::initial).collect(),
            paginate_by: 2,
            template: 0,
            home: 0,
            plan: plans::Plan::new(),
        }
    }

    fn lesson_text(&self, i: usize) -> String {
        let l = &self.lessons[i];
        let course = match l.course {
            2 => String::new(),
            c => format!("course: {}\n", COURSES[c as usize]),
        };
        let quiz = if l.quiz {
            format!(
                "quiz:\n  questions:\n    - type: judge\n      question: 第{i}课的问题\n      answer: 对\n"
            )
        } else {
            String::new()
        };
        format!(
            "---\ntitle: 第{i}课{}\ndate: 2025-03-{:02}\n{course}order: {}\ntags: {}\n{quiz}---\n\n第{i}课的正文{}。参见[上一课](@/lessons/l{}.md)。\n",
            ["", "（修订）", "：专题", "·再版"][l.title as usize % 4],
            l.day,
            l.order,
            tags(l.tags),
            l.body,
            (i + 1) % FIXED,
        )
    }

    fn activity_text(&self, i: usize) -> String {
        let a = &self.activities[i];
        let who: Vec<String> = (0..MEMBERS)
            .filter(|m| a.participants & (1 << m) != 0)
            .map(|m| format!("m{m}"))
            .collect();
        let (year, month) = (
            2026 + (8 + a.month as u32) / 12,
            (8 + a.month as u32) % 12 + 1,
        );
        format!(
            "---\ntitle: 活动{i}{}\ndate: {year}-{month:02}-1{i} 14:00\nkind: {}\nparticipants: [{}]\nvolunteer_hours: {}\ntags: {}\n---\n\n活动记录{}。\n",
            ["", "（更正）", "·二", "·三"][a.title as usize % 4],
            ["志愿服务", "主题党日"][i % 2],
            who.join(", "),
            a.hours,
            tags(a.tags),
            a.body,
        )
    }

    fn member_name(&self, i: usize) -> String {
        format!(
            "{}{i}",
            ["张", "李", "王"][self.members[i].name as usize % 3]
        )
    }

    fn member_text(&self, i: usize) -> String {
        let m = &self.members[i];
        format!(
            "---\nname: {}\nrole: {}\nfeatured: {}\n---\n\n事迹。\n",
            self.member_name(i),
            ["学生党员", "预备党员", "入党积极分子"][m.role as usize % 3],
            m.featured,
        )
    }

    fn notice_text(&self, i: usize) -> String {
        let n = &self.notices[i];
        let day = |d: u8| {
            let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 14).unwrap()
                + chrono::Duration::days(i64::from(d));
            d.format("%Y-%m-%d").to_string()
        };
        format!(
            "---\ntitle: 通知{i}{}\ncategory: {}\ndate: {}\nstart: {}\nend: {}\n---\n\n内容。\n",
            ["", "（更正）", "·二"][n.title as usize % 3],
            ["公示", "通知", "公开"][n.category as usize % 3],
            day(n.start),
            day(n.start),
            day(n.start + n.days),
        )
    }

    fn site_toml(&self) -> String {
        format!(
            "title = \"测试支部\"\nbase_url = \"https://test.example.edu.cn/dangjian/\"\npaginate_by = {}\n",
            self.paginate_by
        )
    }

    /// Every file of the site as it should be now (`None`: absent).
    fn files(&self) -> BTreeMap<String, Option<String>> {
        let mut out = BTreeMap::new();
        for i in 0..LESSONS {
            let l = &self.lessons[i];
            for renamed in [false, true] {
                let name = format!(
                    "content/lessons/l{i}{}.md",
                    if renamed { "-new" } else { "" }
                );
                let here = l.present && l.renamed == renamed;
                out.insert(name, here.then(|| self.lesson_text(i)));
            }
        }
        for i in 0..ACTIVITIES {
            out.insert(
                format!("content/activities/a{i}.md"),
                Some(self.activity_text(i)),
            );
        }
        for (i, m) in self.meetings.iter().enumerate() {
            out.insert(
                format!("content/activities/r{i}.md"),
                m.present.then(|| m.text(i, MEMBERS)),
            );
        }
        for i in 0..MEMBERS {
            out.insert(
                format!("content/members/m{i}.md"),
                Some(self.member_text(i)),
            );
        }
        for i in 0..NOTICES {
            let text = self.notices[i].present.then(|| self.notice_text(i));
            out.insert(format!("content/notices/n{i}.md"), text);
        }
        out.insert(
            "content/_index.md".into(),
            Some(format!(
                "---\ntitle: 首页\n---\n\n{}\n",
                ["支部简介。", "新的支部简介。", "支部简介，第三版。"][self.home as usize % 3]
            )),
        );
        out.insert(
            "content/plans/p.md".into(),
            self.plan.present.then(|| {
                let course = self.lessons.iter().any(|l| l.present && l.course == 0);
                self.plan.text(course)
            }),
        );
        out.insert("site.toml".into(), Some(self.site_toml()));
        out.insert("templates/base.html".into(), template(self.template));
        out
    }

    fn apply(&mut self, e: &Edit) {
        match *e {
            Edit::LessonBody(i, v) if self.lessons[i].present => self.lessons[i].body = v,
            Edit::LessonTitle(i, v) if self.lessons[i].present => self.lessons[i].title = v,
            Edit::LessonDay(i, v) if self.lessons[i].present => self.lessons[i].day = v,
            Edit::LessonOrder(i, v) if self.lessons[i].present => self.lessons[i].order = v,
            Edit::LessonCourse(i, v) if self.lessons[i].present => self.lessons[i].course = v,
            Edit::LessonTags(i, v) if self.lessons[i].present => self.lessons[i].tags = v,
            Edit::LessonQuiz(i, v) if self.lessons[i].present => self.lessons[i].quiz = v,
            Edit::AddOrRemoveLesson(i) => self.lessons[i].present = !self.lessons[i].present,
            Edit::RenameLesson(i) if self.lessons[i].present => {
                self.lessons[i].renamed = !self.lessons[i].renamed
            }
            Edit::ActivityTitle(i, v) => self.activities[i].title = v,
            Edit::ActivityMonth(i, v) => self.activities[i].month = v,
            Edit::ActivityParticipants(i, v) => self.activities[i].participants = v,
            Edit::ActivityHours(i, v) => self.activities[i].hours = v,
            Edit::ActivityTags(i, v) => self.activities[i].tags = v,
            Edit::ActivityBody(i, v) => self.activities[i].body = v,
            Edit::MemberName(i, v) => self.members[i].name = v,
            Edit::MemberRole(i, v) => self.members[i].role = v,
            Edit::MemberFeatured(i, v) => self.members[i].featured = v,
            Edit::NoticeCategory(i, v) if self.notices[i].present => self.notices[i].category = v,
            Edit::NoticePeriod(i, a, b) if self.notices[i].present => {
                self.notices[i].start = a;
                self.notices[i].days = b;
            }
            Edit::NoticeTitle(i, v) if self.notices[i].present => self.notices[i].title = v,
            Edit::AddOrRemoveNotice(i) => self.notices[i].present = !self.notices[i].present,
            Edit::Meeting(i, ref e) => self.meetings[i].apply(e),
            Edit::PaginateBy(v) => self.paginate_by = v,
            Edit::Template(v) => self.template = v,
            Edit::Home(v) => self.home = v,
            Edit::Plan(ref p) => self.plan.apply(p),
            _ => {}
        }
    }
}

/// A site override of the theme's base.html that shows a site-wide figure.
fn template(which: u8) -> Option<String> {
    let figure = match which {
        1 => "<p class=\"totals\">志愿服务 {{ site.totals.volunteer_hours | num }} 小时</p>",
        2 => "<p class=\"totals\">{{ site.totals.lessons }} 课</p>",
        _ => return None,
    };
    let base = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/base.html"),
    )
    .expect("the theme's base.html");
    Some(base.replacen("</footer>", &format!("{figure}</footer>"), 1))
}

/// Writes the files that differ between `before` and `after` and returns
/// what the watcher would report: the change and the paths.
fn write(s: &common::Site, before: &State, after: &State) -> (Change, Vec<PathBuf>) {
    let (old, new) = (before.files(), after.files());
    let mut change = Change::Content;
    let mut paths = Vec::new();
    for (rel, text) in &new {
        if old.get(rel) == Some(text) {
            continue;
        }
        let path = s.root.join(rel);
        match text {
            Some(t) => {
                s.file(rel, t);
            }
            None => {
                let _ = std::fs::remove_file(&path);
            }
        }
        if !rel.starts_with("content/") {
            change = Change::Everything;
        }
        paths.push(path);
    }
    (change, paths)
}

/// The named sequences: through `serve` and through warm builds.
fn run(edits: &[Edit]) {
    run_serve(edits);
    run_warm(edits);
}

/// A site with the files of `state`.
fn site_of(name: &str, state: &State) -> common::Site {
    let s = common::Site::empty(name);
    for (rel, text) in state.files() {
        if let Some(t) = text {
            s.file(&rel, &t);
        }
    }
    s
}

/// The paths whose bytes differ between two outputs.
fn differing<'a>(
    got: &'a BTreeMap<String, Vec<u8>>,
    want: &'a BTreeMap<String, Vec<u8>>,
) -> Vec<&'a String> {
    want.keys()
        .chain(got.keys())
        .filter(|k| got.get(*k) != want.get(*k))
        .collect()
}

fn run_serve(edits: &[Edit]) {
    let mut state = State::new();
    let s = site_of("property", &state);
    let mut live = LiveSite::new(s.options()).unwrap_or_else(|d| panic!("{}", d.render(false)));
    for (n, e) in edits.iter().enumerate() {
        let before = state.clone();
        state.apply(e);
        let (change, paths) = write(&s, &before, &state);
        if paths.is_empty() {
            continue;
        }
        live.rebuild(change, &s.root, &paths)
            .unwrap_or_else(|d| panic!("step {n} {e:?}: {}", d.render(false)));
        let (got, want) = (common::bytes(live.files()), common::full_build(&s));
        let differ = differing(&got, &want);
        assert!(
            differ.is_empty(),
            "after step {n} ({e:?}) these files differ from a full build: {differ:?}"
        );
    }
}

/// The edits given to warm builds into one output folder.
fn run_warm(edits: &[Edit]) {
    let mut state = State::new();
    let s = site_of("property-warm", &state);
    s.build_ok();
    for (n, e) in edits.iter().enumerate() {
        let before = state.clone();
        state.apply(e);
        let (_, paths) = write(&s, &before, &state);
        if paths.is_empty() {
            continue;
        }
        s.build_ok();
        let warm = common::snapshot(&s.public());
        let fresh = s.root.with_extension("cold");
        let _ = std::fs::remove_dir_all(&fresh);
        let opts = zhibu::pipeline::Options {
            output: Some(fresh.clone()),
            no_cache: true,
            ..s.options()
        };
        zhibu::pipeline::build(&opts).unwrap_or_else(|d| panic!("{}", d.render(false)));
        let cold = common::snapshot(&fresh);
        let _ = std::fs::remove_dir_all(&fresh);
        let (got, want): (BTreeMap<_, _>, BTreeMap<_, _>) =
            (warm.into_iter().collect(), cold.into_iter().collect());
        let differ = differing(&got, &want);
        assert!(
            differ.is_empty(),
            "after step {n} ({e:?}) a warm build left these files unlike a cold one: {differ:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 12,
        max_shrink_iters: 64,
        ..ProptestConfig::default()
    })]

    #[test]
    fn serve_shows_what_a_build_makes(edits in proptest::collection::vec(edit(), 1..16)) {
        run_serve(&edits);
    }

}

proptest! {
    // Two builds a step (warm, and cold to compare): fewer cases than serve's.
    #![proptest_config(ProptestConfig {
        cases: 8,
        max_shrink_iters: 64,
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_warm_build_leaves_what_a_cold_build_makes(
        edits in proptest::collection::vec(edit(), 1..12)
    ) {
        run_warm(&edits);
    }
}

/// The two sequences that showed stale pages before serve derived its
/// updates from what each page read.
#[test]
fn known_stale_pages() {
    // A tag page showed 「党章学习 · 第 1 课」 after the lesson's order changed.
    run(&[Edit::LessonOrder(0, 5), Edit::LessonOrder(2, 0)]);
    // A notice's period moved past now: it leaves the home page's bar.
    run(&[Edit::NoticePeriod(0, 0, 2), Edit::NoticeCategory(1, 0)]);
    // A site template showing site.totals kept the old figure.
    run(&[
        Edit::Template(1),
        Edit::ActivityHours(0, 4),
        Edit::ActivityParticipants(1, 7),
    ]);
}

/// What a study plan shows of its items, its window, and the items
/// themselves: a listed lesson renamed or given a quiz, a course gaining a
/// lesson, the window moving into the future, an item's own due date, the
/// plan removed and added again.
#[test]
fn study_plans() {
    run(&[
        Edit::LessonTitle(1, 2),
        Edit::LessonQuiz(1, true),
        Edit::Plan(PlanEdit::Items(0b1_1110)),
        Edit::LessonCourse(2, 0),
        Edit::Plan(PlanEdit::Window(3)),
        Edit::Plan(PlanEdit::ItemDue(true)),
        Edit::LessonTitle(0, 1),
        Edit::Plan(PlanEdit::AddOrRemove),
        Edit::Plan(PlanEdit::AddOrRemove),
    ]);
}

/// The 台账, its CSV and the annual summaries under edits of meeting
/// records: attendance and type (the year's totals), a date moving to
/// another month and year (a new ledger year, another summary), a host
/// who becomes or stops being a member's name, a record removed and added.
#[test]
fn meeting_records() {
    run(&[
        Edit::Meeting(0, MeetingEdit::Attendance(3)),
        Edit::Meeting(1, MeetingEdit::Kind(3)),
        Edit::Meeting(0, MeetingEdit::Month(1)),
        Edit::MemberName(0, 1),
        Edit::Meeting(1, MeetingEdit::Host(0)),
        Edit::MemberName(1, 0),
        Edit::MemberName(0, 0),
        Edit::Meeting(2, MeetingEdit::AddOrRemove),
        Edit::Meeting(2, MeetingEdit::Month(14)),
        Edit::Meeting(0, MeetingEdit::Body(7)),
        Edit::Meeting(1, MeetingEdit::AddOrRemove),
        Edit::Meeting(0, MeetingEdit::Month(13)),
        Edit::Meeting(2, MeetingEdit::Month(16)),
        Edit::Meeting(2, MeetingEdit::Attendance(2)),
        Edit::Meeting(2, MeetingEdit::Month(3)),
    ]);
}
