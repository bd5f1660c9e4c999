//! The build benchmark: generates realistic Chinese sites of 1 000 and
//! 10 000 pages in zhibu's format, builds each several times with the
//! release binary and prints median wall time, CPU time, peak memory,
//! output size and search-index size. When `hugo` is installed it also
//! builds an equivalent Hugo site from the same corpus and prints the ratio.
//!
//!     cargo run --release --example bench
//!     cargo run --release --example bench -- --pages 1000 --runs 3
//!     cargo run --release --example bench -- --serve --pages 10000 --edits 1000
//!     cargo run --release --example bench -- --search
//!     cargo run --release --example bench -- --index
//!     cargo run --release --example bench -- --images --photos 300
//!
//! `--serve` measures live preview instead: the time from saving a lesson
//! to the reloaded page being served, and the server's memory over many edits.
//! `--search` builds the sites once and runs tests/browser/search-bench.mjs
//! on each: bytes a first query transfers (gzip) and query time, in Chromium.
//! `--index` times building the search index alone, in this process.
//! `--images` measures the photo pipeline on generated 12-MP phone photos:
//! cold CPU per photo, a warm run from the cache, peak memory (see
//! examples/bench/images.rs).
//!
//! Not part of the test suite: timings depend on the machine.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

#[path = "bench/images.rs"]
mod images;

/// A tiny deterministic generator, so every run builds the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.below(v.len())]
    }
}

const WORDS: &[&str] = &[
    "党支部",
    "党员",
    "学习",
    "理论",
    "实践",
    "志愿服务",
    "三会一课",
    "主题党日",
    "组织生活会",
    "民主评议",
    "同学",
    "老师",
    "学院",
    "学校",
    "社区",
    "群众",
    "服务",
    "发展",
    "建设",
    "坚持",
    "推进",
    "落实",
    "加强",
    "提高",
    "认识",
    "思想",
    "工作",
    "活动",
    "组织",
    "开展",
    "参加",
    "讨论",
    "交流",
    "总结",
    "经验",
    "问题",
    "方法",
    "责任",
    "担当",
    "初心",
    "使命",
    "精神",
    "传统",
    "历史",
    "党史",
    "党章",
    "新时代",
    "青年",
    "奋斗",
    "理想",
    "信念",
    "宗旨",
    "纪律",
    "作风",
    "团结",
    "进步",
    "调研",
    "乡村振兴",
    "宣传",
    "新闻",
    "采访",
    "报道",
    "写作",
    "阅读",
    "讲座",
    "课程",
    "测验",
    "考核",
    "评议",
    "批评",
    "自我批评",
    "整改",
    "清单",
    "计划",
    "安排",
    "会议",
    "记录",
    "材料",
    "申请",
    "培养",
    "考察",
    "发展对象",
    "预备党员",
    "入党积极分子",
    "联系人",
    "谈心谈话",
    "意见",
    "建议",
    "图书馆",
    "实验室",
    "宿舍",
    "食堂",
    "操场",
    "教室",
    "报告厅",
    "党员之家",
    "烈士陵园",
    "纪念馆",
    "博物馆",
    "农村",
    "城市",
    "老人",
    "儿童",
    "家长",
    "新生",
    "毕业生",
    "教师",
    "辅导员",
    "书记",
    "委员",
    "小组",
    "年级",
    "专业",
    "课堂",
    "论文",
    "项目",
    "比赛",
    "奖学金",
    "荣誉",
    "榜样",
    "先锋",
    "模范",
    "典型",
    "事迹",
    "故事",
    "感悟",
    "体会",
    "收获",
    "成长",
    "变化",
    "未来",
    "国家",
    "人民",
    "社会",
    "时代",
    "科技",
    "文化",
    "教育",
    "健康",
    "安全",
    "环境",
    "绿化",
    "植树",
    "反诈",
    "防疫",
    "古籍",
    "修复",
];
const CONNECT: &[&str] = &[
    "的", "和", "在", "对", "把", "让", "从", "向", "为", "与", "通过", "围绕", "结合", "按照",
];
const END: &[&str] = &["。", "。", "。", "！", "；", "，"];
const KINDS: &[&str] = &[
    "主题党日",
    "志愿服务",
    "三会一课",
    "组织生活会",
    "党课",
    "社会实践",
];
const TAGS: &[&str] = &[
    "党史",
    "党章",
    "理论学习",
    "志愿服务",
    "三会一课",
    "主题党日",
    "民主评议",
    "社会实践",
    "乡村振兴",
    "新媒体",
    "学雷锋",
    "青年",
    "组织建设",
    "党员教育",
];
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗",
];
const GIVEN: &[&str] = &[
    "晓", "子", "思", "一", "雨", "浩", "嘉", "若", "明", "华", "婷", "宇", "欣", "然", "航", "远",
    "楠", "怡", "鸣", "轩",
];

fn sentence(r: &mut Rng) -> String {
    let mut s = String::new();
    for i in 0..(6 + r.below(8)) {
        if i > 0 && r.below(3) == 0 {
            s.push_str(r.pick(CONNECT));
        }
        s.push_str(r.pick(WORDS));
    }
    s.push_str(r.pick(END));
    s
}

/// About 1 200 characters of Markdown: headings, lists, bold, links.
fn body(r: &mut Rng, links: &[String]) -> String {
    let mut b = String::new();
    let mut chars = 0;
    let mut section = 1;
    while chars < 1200 {
        let _ = writeln!(
            b,
            "## 第{section}部分：{}{}\n",
            r.pick(WORDS),
            r.pick(WORDS)
        );
        section += 1;
        for _ in 0..3 {
            let mut p = String::new();
            for _ in 0..(3 + r.below(3)) {
                p.push_str(&sentence(r));
            }
            if r.below(4) == 0 {
                p.push_str(&format!("**{}**", r.pick(WORDS)));
            }
            if !links.is_empty() && r.below(3) == 0 {
                p.push_str(&format!(
                    "参见[相关内容](@/{})。",
                    links[r.below(links.len())]
                ));
            }
            chars += p.chars().count();
            let _ = writeln!(b, "{p}\n");
        }
        if r.below(2) == 0 {
            for _ in 0..3 {
                let _ = writeln!(b, "- {}", sentence(r));
            }
            b.push('\n');
        }
    }
    b
}

fn tags(r: &mut Rng) -> String {
    let a = r.pick(TAGS);
    let b = r.pick(TAGS);
    if a == b {
        format!("[{a}]")
    } else {
        format!("[{a}, {b}]")
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("has a parent")).expect("create folder");
    std::fs::write(path, text).expect("write file");
}

/// A site of `pages` pages: 60 % lessons (a third with quizzes), 10 %
/// members, 30 % activities.
fn generate(dir: &Path, pages: usize) {
    let _ = std::fs::remove_dir_all(dir);
    let mut r = Rng(0x5eed_0000 + pages as u64);
    write(
        &dir.join("site.toml"),
        "title = \"基准测试支部\"\nbase_url = \"https://bench.example.edu.cn/dangjian/\"\n",
    );
    let members = pages / 10;
    let activities = pages * 3 / 10;
    let lessons = pages - members - activities;
    let member_slugs: Vec<String> = (0..members).map(|i| format!("member-{i}")).collect();
    let lesson_files: Vec<String> = (0..lessons)
        .map(|i| format!("lessons/lesson-{i}.md"))
        .collect();
    for (i, slug) in member_slugs.iter().enumerate() {
        let name = format!("{}{}{}", r.pick(SURNAMES), r.pick(GIVEN), r.pick(GIVEN));
        let text = format!(
            "---\nname: {name}\nrole: 学生党员\nclass: 20{}级新闻学\nhonors: [优秀共产党员]\ntags: {}\n---\n\n{}",
            20 + i % 6,
            tags(&mut r),
            body(&mut r, &lesson_files)
        );
        write(&dir.join(format!("content/members/{slug}.md")), &text);
    }
    for (i, file) in lesson_files.iter().enumerate() {
        let course = format!("系列课程{}", i / 12);
        let quiz = if i % 3 == 0 {
            "quiz:\n  questions:\n    - type: single\n      question: 党的根本宗旨是什么？\n      options: [全心全意为人民服务, 发展生产力, 实现现代化]\n      answer: A\n    - type: judge\n      question: 预备党员的预备期为一年。\n      answer: 对\n    - type: fill\n      question: 党的最高理想是实现____。\n      answer: [共产主义]\n"
        } else {
            ""
        };
        let text = format!(
            "---\ntitle: {}{}第{i}课\ndate: 20{:02}-{:02}-{:02}\ncourse: {course}\norder: {}\nduration: {}\ntags: {}\n{quiz}---\n\n{}",
            r.pick(WORDS),
            r.pick(WORDS),
            20 + i % 6,
            1 + i % 12,
            1 + i % 28,
            i % 12 + 1,
            10 + i % 30,
            tags(&mut r),
            body(&mut r, &lesson_files)
        );
        write(&dir.join("content").join(file), &text);
    }
    for i in 0..activities {
        let mut people = Vec::new();
        for _ in 0..(2 + r.below(5)) {
            if !member_slugs.is_empty() {
                people.push(member_slugs[r.below(members)].clone());
            }
        }
        people.sort();
        people.dedup();
        let text = format!(
            "---\ntitle: {}{}活动{i}\ndate: 20{:02}-{:02}-{:02} 14:00\nkind: {}\nlocation: 党员之家\nparticipants: [{}]\nvolunteer_hours: {}\ntags: {}\n---\n\n{}",
            r.pick(WORDS),
            r.pick(KINDS),
            20 + i % 7,
            1 + i % 12,
            1 + i % 28,
            r.pick(KINDS),
            people.join(", "),
            i % 5,
            tags(&mut r),
            body(&mut r, &lesson_files)
        );
        write(
            &dir.join(format!("content/activities/activity-{i}/index.md")),
            &text,
        );
    }
}

/// The same corpus as a Hugo site (YAML front matter is shared; Hugo gets a
/// minimal theme of its own).
fn generate_hugo(zhibu: &Path, hugo: &Path) {
    let _ = std::fs::remove_dir_all(hugo);
    write(
        &hugo.join("hugo.toml"),
        "baseURL = 'https://bench.example.edu.cn/dangjian/'\ntitle = '基准测试支部'\nlanguageCode = 'zh-cn'\nhasCJKLanguage = true\ndisableKinds = ['RSS']\n[taxonomies]\ntag = 'tags'\n",
    );
    write(
        &hugo.join("layouts/_default/baseof.html"),
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head><body><main>{{ block \"main\" . }}{{ end }}</main></body></html>\n",
    );
    write(
        &hugo.join("layouts/_default/single.html"),
        "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n",
    );
    write(
        &hugo.join("layouts/_default/list.html"),
        "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}</ul>{{ end }}\n",
    );
    write(
        &hugo.join("layouts/index.html"),
        "{{ define \"main\" }}<ul>{{ range first 10 .Site.RegularPages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n",
    );
    for e in walk(&zhibu.join("content")) {
        let rel = e
            .strip_prefix(zhibu.join("content"))
            .expect("inside content");
        let text = std::fs::read_to_string(&e).expect("read");
        // Hugo links are plain paths; zhibu's @/ links become relative Hugo refs.
        let text = text
            .replace("](@/lessons/", "](/lessons/")
            .replace(".md)", "/)")
            .replace("name: ", "title: ");
        write(&hugo.join("content").join(rel), &text);
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn dir_size(dir: &Path) -> u64 {
    walk(dir)
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum()
}

struct Run {
    wall: Duration,
    cpu: Duration,
    rss_mb: f64,
}

/// Runs a command and measures it with wait4 (its own CPU time and peak RSS).
// The child is reaped by wait4 below, which std's Child cannot see.
#[allow(clippy::zombie_processes)]
fn measure(cmd: &mut Command) -> Run {
    let started = Instant::now();
    let child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for the kernel to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own child, status and usage point to live locals.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    assert_eq!(rc, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "build failed: {cmd:?}"
    );
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    Run {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        rss_mb: usage.ru_maxrss as f64 / 1024.0,
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// Saves a lesson `edits` times; each time waits for the reload event and
/// fetches the page, as the browser does.
/// `pause`: time between a reload and the next save (0: back to back, the
/// hardest case; an editor typing takes seconds, and then the search index
/// is rebuilt in the background between saves).
fn bench_serve(bin: &Path, site: &Path, edits: usize, pause: std::time::Duration) {
    use std::io::{BufRead, BufReader, Read as _, Write as _};
    use std::net::TcpStream;
    let mut child = Command::new(bin)
        .arg("--root")
        .arg(site)
        .args(["serve", "--port", "0", "--now", "2026-11-21T12:00:00+08:00"])
        .stdout(std::process::Stdio::piped())
        .stderr(if std::env::var_os("BENCH_DEBUG").is_some() {
            std::process::Stdio::inherit()
        } else {
            std::process::Stdio::null()
        })
        .spawn()
        .expect("start serve");
    let started = Instant::now();
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("piped"))
        .read_line(&mut line)
        .expect("serve prints its URL");
    println!(
        "serve: first build and start {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let url = line.trim().trim_start_matches("http://").to_string();
    let (addr, base) = url.split_once('/').expect("host/path");
    let base = format!("/{base}");
    let mut ev = TcpStream::connect(addr).expect("connect");
    // serve refuses a Host that is not its own address (DNS rebinding).
    write!(ev, "GET /__zhibu/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").expect("write");
    let mut ev = BufReader::new(ev);
    let wait_reload = |ev: &mut BufReader<TcpStream>| loop {
        let mut l = String::new();
        if ev.read_line(&mut l).unwrap_or(0) == 0 || l.starts_with("event: reload") {
            break;
        }
    };
    let page = format!("{base}lessons/lesson-7/");
    let fetch = |path: &str| {
        let mut s = TcpStream::connect(addr).expect("connect");
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .expect("write");
        let mut body = Vec::new();
        s.read_to_end(&mut body).expect("read");
        body
    };
    let file = site.join("content/lessons/lesson-7.md");
    let original = std::fs::read_to_string(&file).expect("lesson 7");
    let pid = child.id();
    let rss_start = rss_mb(pid);
    let mut times = Vec::new();
    for i in 0..edits {
        // a body edit, and every tenth time a title edit (lists re-render)
        let text = if i % 10 == 9 {
            original.replacen("title: ", &format!("title: 改{i}"), 1)
        } else {
            format!("{original}\n修改 {i}。\n")
        };
        let t = Instant::now();
        std::fs::write(&file, text).expect("write lesson");
        wait_reload(&mut ev);
        let reloaded = t.elapsed();
        let body = fetch(&page);
        if std::env::var_os("BENCH_DEBUG").is_some() {
            eprintln!(
                "reload event after {reloaded:?}, page fetched after {:?}",
                t.elapsed()
            );
        }
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(!body.is_empty());
        std::thread::sleep(pause);
        if i % 100 == 99 {
            println!("serve: RSS after {} edits {:.0} MB", i + 1, rss_mb(pid));
        }
    }
    let rss_end = rss_mb(pid);
    std::fs::write(&file, original).expect("restore");
    let _ = child.kill();
    let _ = child.wait();
    // Edits 9, 19 … change the title and 10, 20 … change it back: both
    // re-render the lists showing the lesson.
    let title_edit = |i: usize| i % 10 == 9 || (i % 10 == 0 && i > 0);
    let report = |what: &str, mut sorted: Vec<f64>| {
        if sorted.is_empty() {
            return;
        }
        sorted.sort_by(|a, b| a.total_cmp(b));
        let p = |q: f64| sorted[((sorted.len() - 1) as f64 * q) as usize];
        println!(
            "serve: save -> reloaded page, {what} ({}): median {:.0} ms, p90 {:.0} ms, max {:.0} ms",
            sorted.len(),
            p(0.5),
            p(0.9),
            p(1.0)
        );
    };
    report("all edits", times.clone());
    let pick = |title: bool| -> Vec<f64> {
        times
            .iter()
            .enumerate()
            .filter(|(i, _)| title_edit(*i) == title)
            .map(|(_, t)| *t)
            .collect()
    };
    report("body edits", pick(false));
    report("title edits", pick(true));
    println!("serve: RSS at start {rss_start:.0} MB, after {edits} edits {rss_end:.0} MB");
}

/// The search index alone, built from the compiled site: what it costs a
/// build at most (in a build it runs beside the page rendering).
fn bench_index(site: &Path, n: usize, runs: usize) {
    let mut opts = zhibu::pipeline::Options::for_site(site);
    opts.now = chrono::DateTime::parse_from_rfc3339("2026-11-21T12:00:00+08:00").ok();
    let compiled = zhibu::pipeline::compile(&opts).expect("the generated site builds");
    let time = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a thread pool");
        let mut t = Vec::new();
        for _ in 0..runs {
            let started = Instant::now();
            let files = pool.install(|| compiled.search_index());
            t.push(started.elapsed().as_secs_f64());
            assert!(!files.is_empty());
        }
        median(t)
    };
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "index, {n} pages: {:.2} s on {all} threads, {:.2} s on 1 thread (median of {runs})",
        time(all),
        time(1)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).is_some_and(|a| a == "--images-child") {
        images::child(&args[2..]);
        return;
    }
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let sizes: Vec<usize> = arg("--pages")
        .map(|s| s.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_else(|| vec![1000, 10000]);
    let runs: usize = arg("--runs").and_then(|s| s.parse().ok()).unwrap_or(5);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // The binary under test is the release build of this checkout; make sure
    // it is current (cargo does not build binaries for `run --example`).
    let built = Command::new(env!("CARGO"))
        .args([
            "build",
            "--release",
            "--quiet",
            "--bin",
            "zhibu",
            "--manifest-path",
        ])
        .arg(root.join("Cargo.toml"))
        .status()
        .is_ok_and(|s| s.success());
    assert!(built, "cargo build --release failed");
    let bin = root.join("target/release/zhibu");
    let work = root.join("target/bench");
    let hugo = Command::new("hugo")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if args.iter().any(|a| a == "--serve") {
        let edits: usize = arg("--edits").and_then(|s| s.parse().ok()).unwrap_or(200);
        for &n in &sizes {
            let site = work.join(format!("site-{n}"));
            generate(&site, n);
            let pause: u64 = arg("--pause").and_then(|s| s.parse().ok()).unwrap_or(0);
            println!("## serve, {n} pages, {pause} ms between saves");
            bench_serve(&bin, &site, edits, std::time::Duration::from_millis(pause));
        }
        return;
    }
    if args.iter().any(|a| a == "--images") {
        let photos: usize = arg("--photos").and_then(|s| s.parse().ok()).unwrap_or(300);
        images::bench(&work, photos, runs);
        return;
    }
    if args.iter().any(|a| a == "--index") {
        for &n in &sizes {
            let site = work.join(format!("site-{n}"));
            generate(&site, n);
            bench_index(&site, n, runs);
        }
        return;
    }
    if args.iter().any(|a| a == "--search") {
        for &n in &sizes {
            let site = work.join(format!("site-{n}"));
            generate(&site, n);
            let out = work.join(format!("public-{n}"));
            let ok = Command::new(&bin)
                .args(["--root"])
                .arg(&site)
                .args(["build", "--now", "2026-11-21T12:00:00+08:00", "--output"])
                .arg(&out)
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "zhibu build failed");
            println!("## search, {n} pages (first query of a fresh page)");
            let script = root.join("tests/browser/search-bench.mjs");
            let status = Command::new("node")
                .arg(&script)
                .arg(&out)
                .arg("/dangjian/")
                .current_dir(root.join("tests/browser"))
                .status();
            assert!(
                status.is_ok_and(|s| s.success()),
                "the search benchmark needs node, Chromium and `npm ci` in tests/browser (scripts/test.sh installs them)"
            );
        }
        return;
    }

    println!(
        "| pages | wall (median) | CPU | peak RSS | output | search index | Hugo wall | zhibu/Hugo |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &n in &sizes {
        let site = work.join(format!("site-{n}"));
        generate(&site, n);
        let out = work.join(format!("public-{n}"));
        let mut results = Vec::new();
        // one warm-up run fills the page cache
        for i in 0..=runs {
            let r = measure(
                Command::new(&bin)
                    .args(["--root"])
                    .arg(&site)
                    .args(["build", "--now", "2026-11-21T12:00:00+08:00", "--output"])
                    .arg(&out),
            );
            if i > 0 {
                results.push(r);
            }
        }
        let wall = median(results.iter().map(|r| r.wall.as_secs_f64()).collect());
        let cpu = median(results.iter().map(|r| r.cpu.as_secs_f64()).collect());
        let rss = median(results.iter().map(|r| r.rss_mb).collect());
        let size = dir_size(&out) as f64 / 1e6;
        let index = dir_size(&out.join("search")) as f64 / 1e6;
        let (hugo_wall, ratio) = if hugo {
            let hsite = work.join(format!("hugo-{n}"));
            generate_hugo(&site, &hsite);
            let mut hw = Vec::new();
            for i in 0..=runs {
                let r = measure(
                    Command::new("hugo")
                        .arg("--quiet")
                        .arg("-s")
                        .arg(&hsite)
                        .arg("-d")
                        .arg(work.join(format!("hugo-public-{n}"))),
                );
                if i > 0 {
                    hw.push(r.wall.as_secs_f64());
                }
            }
            let h = median(hw);
            (format!("{h:.2} s"), format!("{:.2}×", wall / h))
        } else {
            ("(no hugo)".into(), "–".into())
        };
        println!(
            "| {n} | {wall:.2} s | {cpu:.2} s | {rss:.0} MB | {size:.1} MB | {index:.1} MB | {hugo_wall} | {ratio} |"
        );
    }
}
