//! `zhibu serve`: live preview for editors. The site is built in memory and
//! served by tiny_http on 127.0.0.1; a watcher rebuilds what changed and
//! every open page reloads (or shows the errors) through server-sent events.
//! serve writes no files at all: the output stays in memory.

pub mod events;
pub mod http;
mod jobs;
pub mod site;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Instant;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pipeline::{self, Options};
use events::Events;
use http::{Shared, Snapshot};
use site::{Change, LiveSite};

pub struct ServeOptions {
    pub root: PathBuf,
    pub port: u16,
    pub bind: IpAddr,
    pub drafts: bool,
    pub open: bool,
    pub now: Option<chrono::DateTime<chrono::FixedOffset>>,
}

/// Prints diagnostics the way the other commands do.
pub type Report<'a> = &'a dyn Fn(&Diagnostics);

/// Runs until the process is stopped. Returns only on a startup failure.
pub fn run(o: ServeOptions, report: Report) -> Result<(), Diagnostic> {
    limit_arenas();
    if !o.bind.is_loopback() {
        eprintln!(
            "注意：正在监听 {}，同一网络里的其他设备也能打开这个预览；只在本机预览请去掉 --bind",
            o.bind
        );
    }
    let server = tiny_http::Server::http(SocketAddr::new(o.bind, o.port)).map_err(|e| {
        Diagnostic::error(format!(
            "无法在 {}:{} 上启动预览服务器：{e}",
            o.bind, o.port
        ))
        .hint("端口可能已被占用，换一个：zhibu serve --port 1112")
    })?;
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .unwrap_or(o.port);
    let host = if o.bind.is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        o.bind.to_string()
    };
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host
    };

    // The configured base path is kept: links work exactly as published.
    let base_path = pipeline::load_config(&Options::for_site(&o.root))
        .map(|c| c.base_path())
        .unwrap_or_else(|_| "/".to_string());
    let opts = Options {
        root: o.root.clone(),
        output: None,
        base_url: Some(format!("http://{host}:{port}{base_path}")),
        drafts: o.drafts,
        now: o.now,
    };

    let shared = Arc::new(Shared {
        hosts: http::Hosts::new(o.bind, port),
        base_path: base_path.clone(),
        snapshot: RwLock::new(Arc::new(Snapshot::new(Default::default()))),
        search: RwLock::new(Arc::new(Snapshot::new(Default::default()))),
        events: Events::default(),
    });
    // The newest search index wins; an older one finishing late is dropped.
    let search_generation = Arc::new(AtomicU64::new(0));
    // One low-priority thread for the index: the next edit's pages come first.
    let search_pool = Arc::new(
        rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .thread_name(|_| "zhibu-search".into())
            .start_handler(|_| lower_priority())
            .build()
            .map_err(|e| Diagnostic::error(format!("无法启动搜索索引线程：{e}")))?,
    );
    // Closed while pages are rebuilt: on two cores an index being built in
    // the background would otherwise take a core from the next reload.
    let gate = Arc::new(Gate::default());
    let refresh_search = {
        let shared = shared.clone();
        let generation = search_generation.clone();
        let gate = gate.clone();
        // Takes the index's input, not the site: the site stays unshared,
        // so the next edit can be patched into it without copying it.
        move |input: crate::outputs::search::Input| {
            let mine = generation.fetch_add(1, Ordering::SeqCst) + 1;
            let shared = shared.clone();
            let generation = generation.clone();
            let pool = search_pool.clone();
            let gate = gate.clone();
            std::thread::spawn(move || {
                // Wait for the editor to pause: a burst of saves builds one index, not one each.
                std::thread::sleep(std::time::Duration::from_millis(700));
                if generation.load(Ordering::SeqCst) != mine {
                    return;
                }
                // A newer edit may have come while this one waited for the thread.
                let current = || generation.load(Ordering::SeqCst) == mine;
                let Some(files) = pool.install(|| current().then(|| input.build(&|| gate.wait())))
                else {
                    return;
                };
                let index = files
                    .into_iter()
                    .map(|f| (f.path.clone(), Arc::new(f)))
                    .collect();
                if current() {
                    *shared.search.write().unwrap_or_else(|e| e.into_inner()) =
                        Arc::new(Snapshot::new(index));
                }
                // Trimming locks the allocator for a moment: not during a rebuild.
                gate.wait();
                release_memory();
            });
        }
    };
    let started = Instant::now();
    let mut live = match LiveSite::new(opts.clone()) {
        Ok(l) => {
            report(&l.warnings);
            *shared.snapshot.write().unwrap_or_else(|e| e.into_inner()) =
                Arc::new(Snapshot::new(l.files.clone()));
            *shared.search.write().unwrap_or_else(|e| e.into_inner()) =
                Arc::new(Snapshot::new(site::search_index(&l.site())));
            eprintln!(
                "已生成 {} 个文件，用时 {:.2} 秒",
                l.files.len(),
                started.elapsed().as_secs_f64()
            );
            Some(l)
        }
        Err(d) => {
            report(&d);
            shared.events.errors(&d);
            None
        }
    };

    // Watching starts before the address is announced: nothing saved after
    // that moment is missed.
    let watch = watch::Watch::new(&o.root)
        .map_err(|e| Diagnostic::error(format!("无法监视文件变化：{e}")))?;
    let url = format!("http://{host}:{port}{base_path}");
    println!("{url}");
    eprintln!("正在预览：{url}  保存文件后页面会自动刷新；按 Ctrl+C 停止");
    {
        let shared = shared.clone();
        std::thread::spawn(move || {
            for req in server.incoming_requests() {
                let shared = shared.clone();
                std::thread::spawn(move || http::handle(req, &shared));
            }
        });
    }
    if o.open {
        open_browser(&url);
    }

    while let Some(batch) = watch.next() {
        let change = batch.kind;
        let t = Instant::now();
        let closed = gate.close();
        let result = match live.as_mut() {
            Some(l) => l.rebuild(change, &watch.root, &batch.paths),
            None => LiveSite::new(opts.clone()).map(|l| {
                *shared.search.write().unwrap_or_else(|e| e.into_inner()) =
                    Arc::new(Snapshot::new(site::search_index(&l.site())));
                live = Some(l);
                site::Rebuilt {
                    parsed: 0,
                    rendered: 0,
                }
            }),
        };
        match result {
            Ok(r) => {
                let Some(l) = live.as_mut() else { continue };
                *shared.snapshot.write().unwrap_or_else(|e| e.into_inner()) =
                    Arc::new(Snapshot::new(l.files.clone()));
                shared.events.reload();
                report(&l.warnings);
                eprintln!(
                    "已更新：{}，重新解析 {} 个文件，渲染 {} 个页面，用时 {} 毫秒",
                    if change == Change::Everything {
                        "全部重建"
                    } else {
                        "内容有改动"
                    },
                    r.parsed,
                    r.rendered,
                    t.elapsed().as_millis()
                );
                // The search index follows after the page has reloaded.
                refresh_search(crate::outputs::search::Input::of(&l.site()));
                release_memory();
            }
            Err(d) => {
                report(&d);
                eprintln!(
                    "生成失败：{}；预览保留上一次成功的结果，页面上会显示错误",
                    d.summary()
                );
                shared.events.errors(&d);
            }
        }
        drop(closed);
    }
    Ok(())
}

/// Where the background search index waits while pages are rebuilt.
#[derive(Default)]
struct Gate {
    closed: Mutex<bool>,
    opened: Condvar,
}

/// Reopens the gate when dropped (also when a rebuild fails).
struct Closed<'a>(&'a Gate);

impl Gate {
    fn close(&self) -> Closed<'_> {
        *self.closed.lock().unwrap_or_else(|e| e.into_inner()) = true;
        Closed(self)
    }

    fn wait(&self) {
        let mut closed = self.closed.lock().unwrap_or_else(|e| e.into_inner());
        while *closed {
            closed = self.opened.wait(closed).unwrap_or_else(|e| e.into_inner());
        }
    }
}

impl Drop for Closed<'_> {
    fn drop(&mut self) {
        *self.0.closed.lock().unwrap_or_else(|e| e.into_inner()) = false;
        self.0.opened.notify_all();
    }
}

/// Hands freed memory back to the system. Rebuilds and search indexes
/// allocate on several threads; without this, glibc keeps each thread's
/// high-water mark and a long editing session looks like a leak.
fn release_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory of the allocator's own arenas.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// serve runs for hours and answers every request on a thread of its own;
/// glibc would give each busy thread an arena of its own and keep each
/// one's high-water mark. Two arenas are plenty for one editor.
fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only tunes the allocator; called before serve starts its threads.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Nice 10 for the calling thread (Linux: nice values are per thread).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority on the calling thread (who = 0) only changes its scheduling.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

fn open_browser(url: &str) {
    let cmd: &[&str] = if cfg!(target_os = "macos") {
        &["open"]
    } else if cfg!(windows) {
        &["cmd", "/C", "start", ""]
    } else {
        &["xdg-open"]
    };
    let _ = std::process::Command::new(cmd[0])
        .args(&cmd[1..])
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
