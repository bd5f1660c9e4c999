//! The build benchmark (issues 19 and 13). Generates Chinese branch sites in
//! zhibu's format (examples/bench/corpus.rs), builds each with the release
//! binary and prints, per size, the cold build (`--no-cache`, fresh output
//! folder), the warm build after nothing changed, the warm build after one
//! lesson's body changed (output folder kept, as an editor's public/ is) and
//! the same edit into a fresh output folder (CI keeping .zhibu/cache but not
//! public/), beside Hugo's cold build of the same pages in the same run:
//! medians of `--runs` runs with min–max, runs alternating zhibu and Hugo,
//! and the load average before and after. Every warm one-edit output is
//! compared, file by file, with a cold build of the same corpus.
//!
//!     cargo run --release --example bench                          # 1 000 and 10 000 pages
//!     cargo run --release --example bench -- --pages 1000,10000,50000 --runs 3
//!     cargo run --release --example bench -- --seed 2
//!     cargo run --release --example bench -- --pages 10000 --photos 300
//!     cargo run --release --example bench -- --bin /tmp/zhibu-old --pages 10000
//!     cargo run --release --example bench -- --serve --pages 10000 --edits 1000
//!     cargo run --release --example bench -- --search
//!     cargo run --release --example bench -- --index
//!     cargo run --release --example bench -- --images --photos 300
//!
//! `--photos N` adds N generated 12-MP phone photos to activity bundles of
//! the 10 000-page site and reports issue 13's budgets (examples/bench/builds.rs).
//! `--serve` measures live preview instead (examples/bench/serve.rs);
//! `--search` the first query in Chromium and `--index` the search index
//! alone (examples/bench/index.rs); `--images` the photo pipeline alone, in
//! process (examples/bench/images.rs).
//!
//! Not part of the test suite: timings depend on the machine.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

mod builds;
mod corpus;
mod hugo;
mod identity;
mod images;
mod index;
mod report;
mod serve;
mod text;
mod words;

/// "Now" for every build, so that upcoming events and 公示 periods do not
/// depend on the day the benchmark runs.
pub(crate) const NOW: &str = "2026-11-21T12:00:00+08:00";

/// The seed of the default corpus.
const SEED: u64 = 1;

pub(crate) struct Run {
    pub(crate) wall: Duration,
    pub(crate) cpu: Duration,
    pub(crate) rss_mb: f64,
    /// What the command wrote to stderr.
    pub(crate) stderr: String,
}

/// Runs a command to its end and measures it with wait4 (its own CPU time
/// and peak RSS). Its stderr goes to a file (a pipe nobody reads could
/// fill up and stop it) and comes back in `Run::stderr`; a failing command
/// stops the benchmark with that text.
// The child is reaped by wait4 below, which std's Child cannot see.
#[allow(clippy::zombie_processes)]
pub(crate) fn measure(cmd: &mut Command) -> Run {
    let log = std::env::temp_dir().join(format!("zhibu-bench-{}.stderr", std::process::id()));
    let file = std::fs::File::create(&log).expect("a file for the child's stderr");
    let started = Instant::now();
    let child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(file)
        .spawn()
        .expect("spawn");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for the kernel to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own child, status and usage point to live locals.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    let stderr = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    assert_eq!(rc, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "failed: {cmd:?}\n{stderr}"
    );
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    Run {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        rss_mb: usage.ru_maxrss as f64 / 1024.0,
        stderr,
    }
}

/// A progress line on stderr, with the time since the benchmark started.
pub(crate) fn progress(message: &str) {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    let t = START.get_or_init(Instant::now).elapsed().as_secs_f64();
    eprintln!("[{t:7.1} s] {message}");
}

/// The middle value; for an even count, the mean of the two middle ones
/// (so that two runs do not report the slower one).
pub(crate) fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let m = v.len() / 2;
    if v.len() % 2 == 0 {
        (v[m - 1] + v[m]) / 2.0
    } else {
        v[m]
    }
}

/// The 1-, 5- and 15-minute load averages, as /proc/loadavg writes them,
/// and where the kernel has it, the share of the last minute in which some
/// task waited for a CPU (/proc/pressure/cpu, `some avg60`).
pub(crate) fn load_average() -> String {
    let load = std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into());
    let pressure = std::fs::read_to_string("/proc/pressure/cpu")
        .ok()
        .and_then(|s| {
            let some = s.lines().find(|l| l.starts_with("some"))?;
            let avg = some
                .split_whitespace()
                .find_map(|f| f.strip_prefix("avg60="))?;
            Some(format!(" (CPU pressure {avg} %)"))
        })
        .unwrap_or_default();
    format!("{load}{pressure}")
}

/// Every file under `dir`, sorted.
pub(crate) fn walk(dir: &Path) -> Vec<PathBuf> {
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

pub(crate) fn dir_size(dir: &Path) -> u64 {
    walk(dir)
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum()
}

/// The command line: `--name value` pairs and flags.
struct Args(Vec<String>);

impl Args {
    fn value(&self, name: &str) -> Option<&str> {
        let i = self.0.iter().position(|a| a == name)?;
        self.0.get(i + 1).map(String::as_str)
    }
    fn flag(&self, name: &str) -> bool {
        self.0.iter().any(|a| a == name)
    }
    fn number<T: std::str::FromStr>(&self, name: &str, default: T) -> T {
        match self.value(name) {
            None => default,
            Some(v) => v
                .parse()
                .unwrap_or_else(|_| panic!("{name} wants a number, not `{v}`")),
        }
    }
    fn list(&self, name: &str, default: &[u64]) -> Vec<u64> {
        self.value(name).map_or_else(
            || default.to_vec(),
            |v| {
                v.split(',')
                    .map(|x| {
                        x.trim().parse().unwrap_or_else(|_| {
                            panic!("{name} wants numbers like 1000,10000, not `{v}`")
                        })
                    })
                    .collect()
            },
        )
    }
}

/// Builds the release binary of this checkout (cargo does not build
/// binaries for `run --example`) and returns its path.
fn release_binary(root: &Path) -> PathBuf {
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
    root.join("target/release/zhibu")
}

fn main() {
    let args = Args(std::env::args().collect());
    progress("start");
    if args.0.get(1).is_some_and(|a| a == "--images-child") {
        images::child(&args.0[2..]);
        return;
    }
    let sizes: Vec<usize> = args
        .list("--pages", &[1000, 10000])
        .into_iter()
        .map(|n| n as usize)
        .collect();
    let seeds = args.list("--seed", &[SEED]);
    let runs: usize = args.number("--runs", 5).max(1);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let work = root.join("target/bench");
    if args.flag("--images") {
        images::bench(&work, args.number("--photos", 300), runs);
        return;
    }
    // `--bin PATH` measures another binary (an older commit's, say).
    let bin = args
        .value("--bin")
        .map_or_else(|| release_binary(&root), PathBuf::from);
    let site_of = |n: usize, seed: u64| {
        let site = work.join(format!("site-{n}"));
        (corpus::generate(&site, n, seed), site)
    };
    if args.flag("--serve") {
        let edits = args.number("--edits", 200);
        let pause: u64 = args.number("--pause", 0);
        for &n in &sizes {
            let (c, site) = site_of(n, seeds[0]);
            println!("## serve, {n} pages, {pause} ms between saves");
            serve::bench(&bin, &site, &c.edit, edits, Duration::from_millis(pause));
        }
        return;
    }
    if args.flag("--index") {
        for &n in &sizes {
            let (_, site) = site_of(n, seeds[0]);
            index::bench_index(&site, n, runs);
        }
        return;
    }
    if args.flag("--search") {
        for &n in &sizes {
            let (_, site) = site_of(n, seeds[0]);
            index::bench_search(&root, &bin, &site, &work.join(format!("public-{n}")), n);
        }
        return;
    }
    let opts = builds::Options {
        bin,
        work,
        runs,
        hugo: hugo::available(),
        keep: args.flag("--keep"),
    };
    if !builds_mode(&opts, &sizes, &seeds, args.number("--photos", 0)) {
        eprintln!("FAILED: a warm build's output differs from a cold build's (see above)");
        std::process::exit(1);
    }
}

/// The default mode: every size for every seed, then the growth table.
/// False when a warm output differed from a cold one.
fn builds_mode(opts: &builds::Options, sizes: &[usize], seeds: &[u64], photos: usize) -> bool {
    let photo_size = if sizes.contains(&10_000) {
        10_000
    } else {
        sizes.iter().copied().max().unwrap_or(10_000)
    };
    let mut identical = true;
    for &seed in seeds {
        let mut results = Vec::new();
        for &n in sizes {
            let p = if n == photo_size { photos } else { 0 };
            let r = builds::size(opts, n, seed, p);
            report::size(&r);
            identical &= r.identical();
            results.push(r);
        }
        report::growth(&results);
    }
    if !opts.hugo {
        println!("(hugo is not installed: `apt-get install hugo` for the comparison)");
    }
    identical
}
