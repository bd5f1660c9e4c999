//! `--serve`: live preview. Starts `zhibu serve` on a generated site, saves
//! one lesson many times (every tenth save changes its title, the next one
//! changes it back) and measures from the write to the reloaded page having
//! been fetched, as an open browser tab does; and the server's memory.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

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
pub(crate) fn bench(
    bin: &Path,
    site: &Path,
    lesson: &Path,
    edits: usize,
    pause: std::time::Duration,
) {
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
    let stem = lesson
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("lesson-N.md");
    let page = format!("{base}lessons/{stem}/");
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
    let file = lesson;
    let original = std::fs::read_to_string(file).expect("the lesson to edit");
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
        std::fs::write(file, text).expect("write lesson");
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
    std::fs::write(file, original).expect("restore");
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
