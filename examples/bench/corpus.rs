//! The generated corpus: a Chinese branch site in zhibu's format, less
//! regular than the test fixtures. Page lengths follow a log-normal
//! distribution (one short paragraph to 20 000-character documents, median
//! about 1 200 characters); tags 0–8 per page from 150, picked with a skew;
//! courses of 1–40 lessons; participant lists of 0–40; 三会一课 records,
//! notices (公示 with disclosure periods) and a few study plans beside the
//! lessons, members and activities. Everything follows from `--seed`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::text::*;
use crate::words::*;

/// What the benchmark needs to know about a generated site.
pub(crate) struct Corpus {
    /// The lesson whose body the warm runs edit (in a course, not a draft,
    /// with a body long enough that the edit leaves its summary alone).
    pub(crate) edit: PathBuf,
    /// Activity bundles (not meeting records), for `--photos`.
    pub(crate) bundles: Vec<PathBuf>,
    /// Body characters over all pages, and the longest body.
    pub(crate) chars: usize,
    pub(crate) longest: usize,
}

/// Pages per kind for a site of `n` pages.
struct Mix {
    members: usize,
    activities: usize,
    meetings: usize,
    notices: usize,
    plans: usize,
    lessons: usize,
}

fn mix(n: usize) -> Mix {
    let members = (n * 8 / 100).max(45);
    let activities = n * 22 / 100;
    let meetings = n * 8 / 100;
    let notices = n * 3 / 100;
    let plans = 2 + n / 2000;
    let lessons = n.saturating_sub(members + activities + meetings + notices + plans);
    Mix {
        members,
        activities,
        meetings,
        notices,
        plans,
        lessons,
    }
}

pub(crate) fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a file in a folder")).expect("create folder");
    std::fs::write(path, text).expect("write file");
}

const QUIZ: &str = "quiz:\n  pass: 60\n  questions:\n    - type: single\n      question: 党的根本宗旨是什么？\n      options: [全心全意为人民服务, 发展生产力, 实现现代化]\n      answer: A\n    - type: judge\n      question: 预备党员的预备期为一年。\n      answer: 对\n    - type: multiple\n      question: 三会一课包括哪些？\n      options: [支部党员大会, 支部委员会, 党小组会, 党课]\n      answer: ABCD\n    - type: fill\n      question: 党的最高理想是实现____。\n      answer: [共产主义]\n";

/// Writes the site into `dir` (emptied first).
pub(crate) fn generate(dir: &Path, pages: usize, seed: u64) -> Corpus {
    let _ = std::fs::remove_dir_all(dir);
    let mut r = Rng::new(seed ^ (pages as u64).rotate_left(32));
    let m = mix(pages);
    write(
        &dir.join("site.toml"),
        "title = \"基准测试支部\"\nbase_url = \"https://bench.example.edu.cn/dangjian/\"\norganization = \"中共基准大学新闻传播学院委员会\"\ntimezone = \"Asia/Shanghai\"\n\n[ledger]\nsince = \"2019-01\"\n",
    );
    write(
        &dir.join("content/about.md"),
        "---\ntitle: 关于本支部\n---\n\n本站是基准测试生成的支部网站。\n",
    );
    let t = Targets {
        lessons: m.lessons,
        members: m.members,
        activities: m.activities,
    };
    let mut c = Corpus {
        edit: PathBuf::new(),
        bundles: Vec::new(),
        chars: 0,
        longest: 0,
    };
    for i in 0..m.members {
        let mut f = format!(
            "name: {}\nrole: {}\nclass: 20{}级{}\n",
            name(&mut r),
            r.pick(ROLES),
            18 + r.below(8),
            r.pick(MAJORS)
        );
        let honors: Vec<String> = (0..r.skewed(4))
            .map(|_| format!("{}年度{}", 2019 + r.below(8), r.pick(HONORS)))
            .collect();
        if !honors.is_empty() {
            let _ = writeln!(f, "honors: [{}]", honors.join(", "));
        }
        if r.chance(0.3) {
            let _ = writeln!(f, "motto: {}", sentence(&mut r));
        }
        f.push_str(&tags(&mut r));
        let len = body_len(&mut r, 600.0);
        let b = body(&mut r, &t, len);
        put(
            &mut c,
            dir.join(format!("content/members/member-{i}.md")),
            f,
            b,
        );
    }
    lessons(&mut r, dir, &m, &t, &mut c);
    for i in 0..m.activities {
        let (f, b) = activity(&mut r, &m, &t);
        let path = dir.join(format!("content/activities/activity-{i}/index.md"));
        c.bundles
            .push(path.parent().expect("index.md in its bundle").to_path_buf());
        put(&mut c, path, f, b);
    }
    for i in 0..m.meetings {
        let (f, b) = meeting(&mut r, &m, &t);
        put(
            &mut c,
            dir.join(format!("content/activities/meeting-{i}.md")),
            f,
            b,
        );
    }
    for i in 0..m.notices {
        let (f, b) = notice(&mut r, i, &t);
        put(
            &mut c,
            dir.join(format!("content/notices/notice-{i}.md")),
            f,
            b,
        );
    }
    for i in 0..m.plans {
        let (f, b) = plan(&mut r, i, &t);
        put(&mut c, dir.join(format!("content/plans/plan-{i}.md")), f, b);
    }
    c
}

/// Writes one page and counts its body.
fn put(c: &mut Corpus, path: PathBuf, front: String, body: String) {
    let n = body.chars().count();
    c.chars += n;
    c.longest = c.longest.max(n);
    write(&path, &format!("---\n{front}---\n\n{body}"));
}

/// Lessons in courses of 1–40 (15 % on their own), a quarter with quizzes;
/// a third of the courses have a description in content/courses/.
fn lessons(r: &mut Rng, dir: &Path, m: &Mix, t: &Targets, c: &mut Corpus) {
    let mut i = 0;
    let mut course = 0;
    while i < m.lessons {
        let (name, size) = if r.chance(0.15) {
            (None, 1)
        } else {
            course += 1;
            let size = r.lognormal(8.0, 0.8, 1.0, 40.0).round() as usize;
            let name = format!("{}{}专题{course}", r.pick(WORDS), r.pick(WORDS));
            if r.chance(0.33) {
                write(
                    &dir.join(format!("content/courses/course-{course}.md")),
                    &format!(
                        "---\ntitle: {name}\nsummary: {}\nweight: {}\n---\n\n{}",
                        sentence(r),
                        r.below(50),
                        paragraph(r, t, 150)
                    ),
                );
            }
            (Some(name), size)
        };
        for order in 1..=size.min(m.lessons - i) {
            let mut f = format!(
                "title: {}{}第{i}课\ndate: {}\nduration: {}\n",
                r.pick(WORDS),
                r.pick(WORDS),
                date(r, false),
                5 + r.below(60)
            );
            if let Some(n) = &name {
                let _ = write!(f, "course: {n}\norder: {order}\n");
            }
            if draft(i) {
                f.push_str("draft: true\n");
            }
            if r.chance(0.2) {
                let _ = writeln!(f, "summary: {}", sentence(r));
            }
            f.push_str(&tags(r));
            if r.below(4) == 0 {
                f.push_str(QUIZ);
            }
            let len = body_len(r, 1200.0);
            let b = body(r, t, len);
            let path = dir.join(format!("content/lessons/lesson-{i}.md"));
            if c.edit.as_os_str().is_empty()
                && i >= m.lessons / 2
                && name.is_some()
                && !draft(i)
                && len >= 800
            {
                c.edit = path.clone();
            }
            put(c, path, f, b);
            i += 1;
        }
    }
}

fn participants(r: &mut Rng, members: usize) -> String {
    let n = if r.chance(0.1) {
        0
    } else {
        r.lognormal(6.0, 0.9, 1.0, 40.0) as usize
    };
    let mut p: Vec<usize> = (0..n).map(|_| r.below(members)).collect();
    p.sort_unstable();
    p.dedup();
    if p.is_empty() {
        return String::new();
    }
    let list: Vec<String> = p.iter().map(|i| format!("member-{i}")).collect();
    format!("participants: [{}]\n", list.join(", "))
}

fn activity(r: &mut Rng, m: &Mix, t: &Targets) -> (String, String) {
    let future = r.chance(0.03);
    let kind = r.pick(KINDS);
    let day = date(r, future);
    let hour = 8 + r.below(12);
    let mut f = format!(
        "title: {}{}{kind}\ndate: {day} {hour:02}:{}\nkind: {kind}\nlocation: {}\n",
        r.pick(WORDS),
        r.pick(WORDS),
        ["00", "30"][r.below(2)],
        r.pick(PLACES)
    );
    if r.chance(0.4) {
        let _ = writeln!(f, "end: {day} {:02}:00", hour + 1 + r.below(3));
    }
    f.push_str(&participants(r, m.members));
    if kind == "志愿服务" {
        let _ = writeln!(f, "volunteer_hours: {}", 1 + r.below(8));
    }
    if future && r.chance(0.5) {
        let _ = writeln!(
            f,
            "signup:\n  url: https://www.wjx.cn/vm/bench{}.aspx\n  deadline: {day}",
            r.below(100_000)
        );
    }
    f.push_str(&tags(r));
    let len = body_len(r, 1000.0);
    (f, body(r, t, len))
}

/// A 三会一课 record: type, attendance that adds up, host, agenda.
fn meeting(r: &mut Rng, m: &Mix, t: &Targets) -> (String, String) {
    let kind = r.weighted(MEETINGS);
    let day = date(r, false);
    let expected = 8 + r.below(50);
    let leave = r.below(4).min(expected);
    let absent = r.below(3).min(expected - leave);
    let mut f = format!(
        "title: {kind}：{}{}\ndate: {day} {:02}:30\nmeeting: {kind}\nlocation: {}\nhost: {}\nrecorder: {}\nattendance:\n  expected: {expected}\n  present: {}\n  leave: {leave}\n  absent: {absent}\nagenda:\n",
        r.pick(WORDS),
        r.pick(WORDS),
        12 + r.below(8),
        r.pick(PLACES),
        name(r),
        name(r),
        expected - leave - absent
    );
    for _ in 0..(1 + r.below(5)) {
        let _ = writeln!(
            f,
            "  - {}{}{}",
            r.pick(WORDS),
            r.pick(CONNECT),
            r.pick(WORDS)
        );
    }
    let decisions = r.below(4);
    if decisions > 0 {
        f.push_str("decisions:\n");
        for _ in 0..decisions {
            let _ = writeln!(f, "  - {}", sentence(r));
        }
    }
    f.push_str(&participants(r, m.members));
    f.push_str(&tags(r));
    let len = body_len(r, 500.0);
    (f, body(r, t, len))
}

fn notice(r: &mut Rng, i: usize, t: &Targets) -> (String, String) {
    let category = ["公示", "公示", "通知", "通知", "通知", "公开"][r.below(6)];
    // every twentieth 公示 is in its disclosure period on the benchmark's "now"
    let day = if i % 20 == 0 {
        format!("2026-11-{:02}", 17 + r.below(4))
    } else {
        date(r, false)
    };
    let mut f = format!(
        "title: 关于{}{}的{category}\ncategory: {category}\ndate: {day}\n",
        r.pick(WORDS),
        r.pick(WORDS)
    );
    if category == "公示" {
        let (y, mo, d) = (
            &day[..4],
            &day[5..7],
            day[8..].parse::<usize>().unwrap_or(1),
        );
        let _ = write!(f, "start: {day}\nend: {y}-{mo}-{:02}\n", (d + 6).min(28));
        let _ = writeln!(f, "contact: 支部组织委员 {}（{}）", name(r), r.pick(PLACES));
    }
    f.push_str(&tags(r));
    let len = body_len(r, 500.0);
    (f, body(r, t, len))
}

/// A study plan of 3–12 distinct lessons, some with their own due date.
fn plan(r: &mut Rng, i: usize, t: &Targets) -> (String, String) {
    let month = 1 + i % 12;
    let year = 2026 - (i / 12) as i32;
    let mut f = format!(
        "title: {year}年{month}月学习任务\nstart: {year}-{month:02}-01\ndue: {year}-{month:02}-28\nsummary: {}\nitems:\n",
        sentence(r)
    );
    let mut seen = Vec::new();
    for _ in 0..(3 + r.below(10)) {
        let l = t.lesson(r);
        if seen.contains(&l) {
            continue;
        }
        if r.chance(0.3) {
            let _ = writeln!(
                f,
                "  - page: \"{l}\"\n    due: {year}-{month:02}-{:02}\n    required: {}",
                10 + r.below(18),
                r.chance(0.7)
            );
        } else {
            let _ = writeln!(f, "  - \"{l}\"");
        }
        seen.push(l);
    }
    let len = body_len(r, 400.0);
    (f, body(r, t, len))
}
