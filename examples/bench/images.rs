//! `--images`: the photo pipeline on a corpus of 12-MP phone photos
//! (4032 × 3024 JPEGs at quality 92 with EXIF orientation, GPS, XMP and
//! IPTC, generated once into target/bench/photos-12mp-N/). Each run is a
//! child process (this binary with `--images-child`), measured with wait4:
//!
//! - baseline: the same process opening the cache and processing no photo;
//! - cold: an empty cache, every photo decoded, resized and encoded;
//! - warm: every photo in the cache;
//! - warm + write: the same, then every file written to an output folder
//!   through the build's writer (zhibu::write::Staging), as a rebuild does.
//!
//! `add_to_bundles` puts the same photos into a generated site for
//! `--photos` (examples/bench/builds.rs).
//!
//! Roles as on an activity page: every photo gets thumbnails and the
//! viewing size, every ninth (the cover of its activity) a share image.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;
use zhibu::cache::Cache;
use zhibu::config::ImagesConfig;
use zhibu::images::{Job, Processor, Role, Silent, sample};

use crate::{Run, measure, median};

const W: u32 = 4032;
const H: u32 = 3024;

/// Makes the corpus once; returns its folder.
fn corpus(work: &Path, n: usize) -> PathBuf {
    let dir = work.join(format!("photos-12mp-{n}"));
    if dir.join("complete").exists() {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("corpus folder");
    let started = Instant::now();
    (0..n).into_par_iter().for_each(|i| {
        let orientation = [1, 6, 1, 1, 3, 1, 8, 1, 6][i % 9];
        let photo = sample::phone_photo(W, H, i as u64 + 1, orientation);
        std::fs::write(dir.join(format!("photo-{i:03}.jpg")), photo).expect("write photo");
    });
    std::fs::write(dir.join("complete"), b"").expect("marker");
    println!(
        "generated {n} photos of {W}×{H} in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    dir
}

/// Puts `n` photos of the corpus into activity bundles, nine to a bundle
/// (an activity post's usual number), the bundles spread over the site;
/// hard links where the file system allows, as the bytes are the same.
pub(crate) fn add_to_bundles(work: &Path, bundles: &[PathBuf], n: usize) {
    let photos = corpus(work, n);
    let used = n.div_ceil(9);
    assert!(
        used <= bundles.len(),
        "{n} photos need {used} activity bundles, the site has {}",
        bundles.len()
    );
    let stride = bundles.len() / used;
    for i in 0..n {
        let from = photos.join(format!("photo-{i:03}.jpg"));
        let to = bundles[i / 9 * stride].join(format!("photo-{}.jpg", i % 9 + 1));
        std::fs::hard_link(&from, &to)
            .or_else(|_| std::fs::copy(&from, &to).map(|_| ()))
            .expect("put a photo into its bundle");
    }
}

fn jobs(corpus: &Path, n: usize) -> Vec<Job> {
    (0..n)
        .map(|i| {
            let mut roles = Role::Thumbnail | Role::View;
            if i % 9 == 0 {
                roles |= Role::Share;
            }
            Job {
                source: corpus.join(format!("photo-{i:03}.jpg")),
                site_path: format!("activities/activity-{}/photo-{}.jpg", i / 9, i % 9),
                roles,
            }
        })
        .collect()
}

/// The child: `--images-child MODE CORPUS SITE N REPORT`. SITE holds the
/// cache (`.zhibu/cache/`) and, for `write`, the output folder `public/`;
/// the counts go to the file REPORT.
pub(crate) fn child(args: &[String]) {
    let [mode, corpus, site, n, report] = args else {
        panic!("--images-child MODE CORPUS SITE N REPORT");
    };
    let (corpus, site) = (PathBuf::from(corpus), PathBuf::from(site));
    let n: usize = n.parse().expect("a count");
    let (cache, warning) = Cache::open(&site);
    assert!(warning.is_none(), "{warning:?}");
    let p = Processor::new(&site, &ImagesConfig::default(), Arc::new(cache));
    let jobs = if mode == "none" {
        Vec::new()
    } else {
        jobs(&corpus, n)
    };
    let done = p.process(&jobs, &Silent);
    assert!(done.diagnostics.is_empty(), "{:?}", done.diagnostics);
    if mode == "write" {
        let out = site.join("public");
        let staging = zhibu::write::Staging::open(&out).expect("staging");
        done.files
            .par_iter()
            .for_each(|f| staging.put(f).expect("write"));
        staging.finish().expect("swap");
    }
    // The child's own high-water mark: wait4's ru_maxrss also counts the
    // parent's pages at fork time, and the parent made the corpus.
    let hwm_kb: u64 = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0);
    let counts = format!(
        "{} {} {} {} {hwm_kb}",
        done.summary.images, done.summary.from_cache, done.summary.files, done.summary.bytes
    );
    std::fs::write(report, counts).expect("write the report");
}

fn run_child(mode: &str, corpus: &Path, site: &Path, n: usize) -> (Run, String) {
    let exe = std::env::current_exe().expect("own path");
    let mut cmd = Command::new(exe);
    let out_file = site.join(format!("child-{mode}.txt"));
    let _ = std::fs::remove_file(&out_file);
    cmd.arg("--images-child")
        .arg(mode)
        .arg(corpus)
        .arg(site)
        .arg(n.to_string())
        .arg(&out_file);
    let run = measure(&mut cmd);
    let printed = std::fs::read_to_string(&out_file).unwrap_or_default();
    (run, printed.trim().to_string())
}

pub(crate) fn bench(work: &Path, n: usize, runs: usize) {
    let corpus = corpus(work, n);
    let size: u64 = (0..n)
        .filter_map(|i| std::fs::metadata(corpus.join(format!("photo-{i:03}.jpg"))).ok())
        .map(|m| m.len())
        .sum();
    let site = work.join(format!("images-site-{n}"));
    let _ = std::fs::remove_dir_all(&site);
    std::fs::create_dir_all(&site).expect("site folder");
    let cold_runs = runs.clamp(1, 3);
    let series = |mode: &str, count: usize, fresh: bool| -> Vec<Run> {
        (0..count)
            .map(|_| {
                if fresh {
                    let _ = std::fs::remove_dir_all(site.join(".zhibu"));
                }
                let (mut r, printed) = run_child(mode, &corpus, &site, n);
                if std::env::var_os("BENCH_DEBUG").is_some() {
                    eprintln!("{mode}: {printed} {:?}", r.wall);
                }
                if let Some(kb) = printed
                    .split(' ')
                    .nth(4)
                    .and_then(|x| x.parse::<f64>().ok())
                {
                    r.rss_mb = kb / 1024.0;
                }
                r
            })
            .collect()
    };
    let base = series("none", runs, false);
    let cold = series("process", cold_runs, true);
    let (_, printed) = run_child("process", &corpus, &site, n);
    let warm = series("process", runs, false);
    let _ = series("write", 1, false); // fills public/
    let written = series("write", runs, false);
    let med = |rs: &[Run], f: fn(&Run) -> f64| median(rs.iter().map(f).collect());
    let wall = |r: &Run| r.wall.as_secs_f64();
    let cpu = |r: &Run| r.cpu.as_secs_f64();
    let rss = |r: &Run| r.rss_mb;
    let fields: Vec<u64> = printed.split(' ').filter_map(|x| x.parse().ok()).collect();
    let (files, bytes) = (
        fields.get(2).copied().unwrap_or(0),
        fields.get(3).copied().unwrap_or(0),
    );
    println!(
        "## images: {n} photos of {W}×{H}, {:.0} MB ({:.1} MB each)",
        size as f64 / 1e6,
        size as f64 / 1e6 / n as f64
    );
    println!(
        "published: {files} files, {:.1} MB ({:.0} KB per photo); cache hit on the warm runs: {}",
        bytes as f64 / 1e6,
        bytes as f64 / 1e3 / n as f64,
        fields.get(1) == fields.first()
    );
    println!("| run | wall (median) | CPU | peak RSS |");
    println!("|---|---:|---:|---:|");
    for (name, rs) in [
        ("baseline (no photos)", &base),
        ("cold", &cold),
        ("warm", &warm),
        ("warm + write", &written),
    ] {
        println!(
            "| {name} ({} runs) | {:.3} s | {:.3} s | {:.0} MB |",
            rs.len(),
            med(rs, wall),
            med(rs, cpu),
            med(rs, rss)
        );
    }
    let per_photo = (med(&cold, cpu) - med(&base, cpu)) / n as f64;
    println!("cold CPU per 12-MP photo: {per_photo:.3} s (budget 0.25 s)");
    println!(
        "warm adds: {:.3} s wall, {:.3} s CPU; with writing the output {:.3} s wall (budget 0.1 s)",
        med(&warm, wall) - med(&base, wall),
        med(&warm, cpu) - med(&base, cpu),
        med(&written, wall) - med(&base, wall)
    );
    println!(
        "peak RSS added: cold {:.0} MB, warm {:.0} MB (budget 100 MB)",
        med(&cold, rss) - med(&base, rss),
        med(&warm, rss) - med(&base, rss)
    );
}
