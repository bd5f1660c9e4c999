//! The build runs of one size and seed. Two copies of the generated site
//! (A and B, identical): A is built cold (`--no-cache`, into an emptied
//! folder) and warm into a kept folder — after nothing changed, then after
//! one lesson's body changed; B gets the same edit and a warm build into an
//! emptied folder with its cache kept (CI keeping .zhibu/cache, not
//! public/). With `--photos N` a second pair of sites carries N photos.
//!
//! One round runs Hugo's cold build, then every step of every site, so that
//! drift of the machine hits all of them alike; the first round warms the
//! page cache and is not counted. At the start of each round the cold build
//! is compared file by file with the previous round's warm one-edit outputs
//! (same corpus by then), and once more after the last round.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::corpus::{self, Corpus};
use crate::identity::Tree;
use crate::{NOW, Run, dir_size, hugo, images, load_average, measure, progress};

pub(crate) struct Options {
    pub(crate) bin: PathBuf,
    pub(crate) work: PathBuf,
    pub(crate) runs: usize,
    pub(crate) hugo: bool,
    /// Keep the generated sites and outputs in target/bench/ afterwards.
    pub(crate) keep: bool,
}

/// The zhibu builds measured for every site.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Step {
    Cold,
    WarmNothing,
    WarmEdit,
    WarmEditFresh,
}

pub(crate) const STEPS: [Step; 4] = [
    Step::Cold,
    Step::WarmNothing,
    Step::WarmEdit,
    Step::WarmEditFresh,
];

impl Step {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Step::Cold => "cold (--no-cache, empty output)",
            Step::WarmNothing => "warm, nothing changed",
            Step::WarmEdit => "warm, one lesson edited",
            Step::WarmEditFresh => "warm, one lesson edited, empty output",
        }
    }
}

/// What one site gave.
pub(crate) struct Measured {
    pub(crate) photos: usize,
    /// Runs per step, in the order of STEPS.
    pub(crate) runs: [Vec<Run>; 4],
    /// Output folders compared with a cold build, and what differed.
    pub(crate) compared: usize,
    pub(crate) differing: Vec<String>,
    pub(crate) files: usize,
    pub(crate) bytes: u64,
    pub(crate) index_bytes: u64,
}

impl Measured {
    pub(crate) fn step(&self, s: Step) -> &[Run] {
        &self.runs[STEPS
            .iter()
            .position(|x| *x == s)
            .expect("every step is in STEPS")]
    }
}

pub(crate) struct SizeResult {
    pub(crate) pages: usize,
    pub(crate) seed: u64,
    pub(crate) chars: usize,
    pub(crate) longest: usize,
    pub(crate) runs: usize,
    pub(crate) hugo: Vec<Run>,
    /// The plain site, then the one with photos if asked for.
    pub(crate) sites: Vec<Measured>,
    pub(crate) load_before: String,
    pub(crate) load_after: String,
}

impl SizeResult {
    pub(crate) fn identical(&self) -> bool {
        self.sites.iter().all(|s| s.differing.is_empty())
    }
}

/// One site pair and its output folders.
struct Site {
    a: PathBuf,
    b: PathBuf,
    edit_a: PathBuf,
    edit_b: PathBuf,
    original: String,
    cold: PathBuf,
    warm: PathBuf,
    fresh: PathBuf,
    m: Measured,
}

/// Takes an output folder and the staging folder zhibu keeps beside it
/// (`.NAME.zhibu-staging`, the previous output) out of the way, so the next
/// build starts from nothing. They are moved into `trash`, emptied when the
/// size's timings are done: on this machine's ext4 (no journal) the kernel
/// skips, one by one, every inode freed in the last minutes when it makes
/// a file, so a build right after deleting 30 000 files spent 29 s in the
/// kernel instead of 3 s (docs/performance.md). Without `trash` (sizes
/// too big to keep twice on disk) they are deleted.
fn clear(out: &Path, trash: Option<&Path>) {
    let name = out
        .file_name()
        .expect("an output folder has a name")
        .to_string_lossy()
        .into_owned();
    for d in [
        out.to_path_buf(),
        out.with_file_name(format!(".{name}.zhibu-staging")),
    ] {
        if !d.exists() {
            continue;
        }
        let moved = trash.is_some_and(|t| {
            static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            std::fs::create_dir_all(t).is_ok() && std::fs::rename(&d, t.join(n.to_string())).is_ok()
        });
        if !moved {
            let _ = std::fs::remove_dir_all(&d);
        }
    }
}

/// One `zhibu build`; stops the benchmark if it warns or fails, as the
/// corpus must build cleanly.
fn zhibu(o: &Options, site: &Path, out: &Path, cache: bool) -> Run {
    let mut c = Command::new(&o.bin);
    c.arg("--root")
        .arg(site)
        .args(["build", "--now", NOW, "--output"])
        .arg(out);
    if !cache {
        c.arg("--no-cache");
    }
    let r = measure(&mut c);
    let bad = r
        .stderr
        .lines()
        .any(|l| l.starts_with("警告") || l.starts_with("错误"));
    assert!(
        !bad,
        "the generated site {} builds with warnings:\n{}",
        site.display(),
        r.stderr
    );
    r
}

/// The edit of round `k`: a new paragraph at the end of the lesson's body,
/// text no earlier build has seen.
fn edit(file: &Path, original: &str, k: usize) {
    let text = format!(
        "{original}\n补充说明（第 {k} 次修改）：本次支部学习讨论围绕第 {k} 个问题展开，大家结合实际谈了体会。\n"
    );
    std::fs::write(file, text).expect("edit the lesson");
}

fn make_site(o: &Options, n: usize, seed: u64, photos: usize) -> (Site, Corpus) {
    let name = if photos > 0 {
        format!("site-{n}-photos")
    } else {
        format!("site-{n}")
    };
    let (a, b) = (o.work.join(&name), o.work.join(format!("{name}-b")));
    let ca = corpus::generate(&a, n, seed);
    let cb = corpus::generate(&b, n, seed);
    if photos > 0 {
        images::add_to_bundles(&o.work, &ca.bundles, photos);
        images::add_to_bundles(&o.work, &cb.bundles, photos);
    }
    let original = std::fs::read_to_string(&ca.edit).expect("the lesson to edit");
    let out = |what: &str| o.work.join(format!("out-{name}-{what}"));
    let site = Site {
        edit_a: ca.edit.clone(),
        edit_b: cb.edit,
        original,
        cold: out("cold"),
        warm: out("warm"),
        fresh: out("fresh"),
        a,
        b,
        m: Measured {
            photos,
            runs: Default::default(),
            compared: 0,
            differing: Vec::new(),
            files: 0,
            bytes: 0,
            index_bytes: 0,
        },
    };
    (site, ca)
}

/// `zhibu check --strict`: the corpus has no errors and no warnings.
fn check(o: &Options, site: &Path) {
    let ok = Command::new(&o.bin)
        .arg("--root")
        .arg(site)
        .args(["check", "--strict", "--now", NOW])
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        ok,
        "the generated site {} has errors or warnings",
        site.display()
    );
}

impl Site {
    /// The cold output against the warm ones, which were built from the
    /// same corpus.
    fn compare(&mut self, when: &str) {
        let cold = Tree::of(&self.cold);
        for (what, dir) in [("kept output", &self.warm), ("empty output", &self.fresh)] {
            let (count, shown) = cold.differences(&Tree::of(dir), 5);
            self.m.compared += 1;
            if count > 0 {
                eprintln!(
                    "OUTPUT DIFFERS {when}: warm build into {what} ({}) has {count} files unlike the cold build:",
                    dir.display()
                );
                for s in &shown {
                    eprintln!("  {s}");
                }
                self.m.differing.push(format!(
                    "{when}, {what}: {count} files, e.g. {}",
                    shown.join("; ")
                ));
            }
        }
        self.m.files = cold.len();
    }

    /// Every step once; the runs are kept when `count`.
    fn round(&mut self, o: &Options, k: usize, count: bool, trash: Option<&Path>) {
        let keep = |m: &mut Measured, s: usize, r: Run| {
            if count {
                m.runs[s].push(r);
            }
        };
        clear(&self.cold, trash);
        let r = zhibu(o, &self.a, &self.cold, false);
        keep(&mut self.m, 0, r);
        self.compare(&format!("before round {k}"));
        let r = zhibu(o, &self.a, &self.warm, true);
        keep(&mut self.m, 1, r);
        edit(&self.edit_a, &self.original, k);
        let r = zhibu(o, &self.a, &self.warm, true);
        keep(&mut self.m, 2, r);
        edit(&self.edit_b, &self.original, k);
        clear(&self.fresh, trash);
        let r = zhibu(o, &self.b, &self.fresh, true);
        keep(&mut self.m, 3, r);
    }
}

/// Measures one size and seed (with `photos` photos in a second site).
pub(crate) fn size(o: &Options, n: usize, seed: u64, photos: usize) -> SizeResult {
    progress(&format!("{n} pages, seed {seed}: generating"));
    let (plain, corpus) = make_site(o, n, seed, 0);
    progress("checking the corpus");
    check(o, &plain.a);
    let mut sites = vec![plain];
    if photos > 0 {
        sites.push(make_site(o, n, seed, photos).0);
    }
    let hsite = o.work.join(format!("hugo-{n}"));
    let hout = o.work.join(format!("hugo-out-{n}"));
    if o.hugo {
        hugo::generate(&sites[0].a, &hsite);
    }
    // Outputs are deleted only after the timings (see `clear`), where two
    // copies of each fit on disk.
    let trash_dir = o.work.join("trash");
    let trash = (n <= 20_000).then_some(trash_dir.as_path());
    progress("first builds (they fill the caches)");
    for s in &mut sites {
        for d in [&s.cold, &s.warm, &s.fresh] {
            clear(d, trash);
        }
        // the caches and the kept output, as after an editor's first build
        zhibu(o, &s.a, &s.warm, true);
        zhibu(o, &s.b, &s.fresh, true);
    }
    let load_before = load_average();
    let mut hugo_runs = Vec::new();
    for k in 0..=o.runs {
        progress(&format!(
            "{n} pages, seed {seed}: round {k} of {} (0 warms up)",
            o.runs
        ));
        if o.hugo {
            clear(&hout, trash);
            let r = measure(&mut hugo::command(&hsite, &hout));
            if k > 0 {
                hugo_runs.push(r);
            }
        }
        for s in &mut sites {
            s.round(o, k, k > 0, trash);
        }
    }
    let load_after = load_average();
    progress("the last cold build, compared with the warm ones");
    for s in &mut sites {
        clear(&s.cold, trash);
        zhibu(o, &s.a, &s.cold, false);
        s.compare("after the last round");
        s.m.bytes = dir_size(&s.cold);
        s.m.index_bytes = dir_size(&s.cold.join("search"));
    }
    let _ = std::fs::remove_dir_all(&trash_dir);
    if !o.keep {
        progress("removing the outputs");
        for s in &sites {
            for d in [&s.cold, &s.warm, &s.fresh] {
                clear(d, None);
            }
            let _ = std::fs::remove_dir_all(&s.b);
        }
        let _ = std::fs::remove_dir_all(&hout);
    }
    SizeResult {
        pages: n,
        seed,
        chars: corpus.chars,
        longest: corpus.longest,
        runs: o.runs,
        hugo: hugo_runs,
        sites: sites.into_iter().map(|s| s.m).collect(),
        load_before,
        load_after,
    }
}
