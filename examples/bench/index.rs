//! The search index: `--index` times building it alone, in this process,
//! from the compiled site (what it costs a build at most: in a build it runs
//! beside the page rendering); `--search` builds a site and runs
//! tests/browser/search-bench.mjs on it: the bytes a first query transfers
//! (gzip) and the query time, in Chromium.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::{NOW, median};

/// The search index alone, built from the compiled site: what it costs a
/// build at most (in a build it runs beside the page rendering).
pub(crate) fn bench_index(site: &Path, n: usize, runs: usize) {
    let mut opts = zhibu::pipeline::Options::for_site(site);
    opts.now = chrono::DateTime::parse_from_rfc3339(NOW).ok();
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

/// `--search` on the site `site` of `n` pages, built into `out`.
pub(crate) fn bench_search(root: &Path, bin: &Path, site: &Path, out: &Path, n: usize) {
    let ok = Command::new(bin)
        .args(["--root"])
        .arg(site)
        .args(["build", "--now", NOW, "--output"])
        .arg(out)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "zhibu build failed");
    println!("## search, {n} pages (first query of a fresh page)");
    let script = root.join("tests/browser/search-bench.mjs");
    let status = Command::new("node")
        .arg(&script)
        .arg(out)
        .arg("/dangjian/")
        .current_dir(root.join("tests/browser"))
        .status();
    assert!(
        status.is_ok_and(|s| s.success()),
        "the search benchmark needs node, Chromium and `npm ci` in tests/browser (scripts/test.sh installs them)"
    );
}
