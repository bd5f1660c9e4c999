//! `zhibu serve`: live preview for editors. The site is built in memory and
//! served by tiny_http on 127.0.0.1; a watcher rebuilds what changed and
//! every open page reloads (or shows the errors) through server-sent events.
//! serve writes no files at all: the output stays in memory.

mod background;
pub mod events;
pub mod http;
mod live;
mod made;
mod parsed;
mod photos;
pub mod watch;

pub use live::{Change, LiveSite, Rebuilt};

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pipeline::Options;
use background::SearchIndex;
use events::Events;
use http::{Shared, Snapshot};

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
    let host = host_name(o.bind);
    // The configured base path is kept: links work exactly as published.
    let base_path = crate::session::load_config(&Options::for_site(&o.root))
        .map(|c| c.base_path())
        .unwrap_or_else(|_| "/".to_string());
    let opts = Options {
        root: o.root.clone(),
        output: None,
        base_url: Some(format!("http://{host}:{port}{base_path}")),
        drafts: o.drafts,
        now: o.now,
        no_cache: false,
    };
    let shared = Arc::new(Shared {
        hosts: http::Hosts::new(o.bind, port),
        base_path: base_path.clone(),
        snapshot: RwLock::new(Arc::new(Snapshot::new(Default::default()))),
        search: RwLock::new(Arc::new(Snapshot::new(Default::default()))),
        events: Events::default(),
    });
    let search = SearchIndex::new(shared.clone())?;
    let live = first_build(&opts, &shared, &search, report);

    // Watching starts before the address is announced: nothing saved after
    // that moment is missed.
    let watch = watch::Watch::new(&o.root)
        .map_err(|e| Diagnostic::error(format!("无法监视文件变化：{e}")))?;
    let config = crate::session::load_config(&opts).unwrap_or_default();
    let photos = photos::Photos::new(o.root.clone(), &config.images, watch.waker());
    if let Some(l) = &live {
        photos.refresh(l.photo_request());
    }
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
    Editing {
        opts,
        shared,
        search,
        photos,
        live,
        report,
    }
    .follow(&watch);
    Ok(())
}

/// The address as it goes into a URL: `127.0.0.1`, `[::1]`.
fn host_name(bind: IpAddr) -> String {
    let host = if bind.is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        bind.to_string()
    };
    if host.contains(':') {
        format!("[{host}]")
    } else {
        host
    }
}

/// The first build: the site (or its errors, shown on every page) and the
/// search index.
fn first_build(
    opts: &Options,
    shared: &Shared,
    search: &SearchIndex,
    report: Report,
) -> Option<LiveSite> {
    let started = Instant::now();
    match LiveSite::new(opts.clone()) {
        Ok(l) => {
            report(l.warnings());
            *shared.snapshot.write().unwrap_or_else(|e| e.into_inner()) =
                Arc::new(Snapshot::new(l.files().clone()));
            search.build_now(&l.search_input());
            eprintln!(
                "已生成 {} 个文件，用时 {:.2} 秒",
                l.files().len(),
                started.elapsed().as_secs_f64()
            );
            Some(l)
        }
        Err(d) => {
            report(&d);
            shared.events.errors(&d);
            None
        }
    }
}

/// The editing session: every batch of saves rebuilt and shown.
struct Editing<'a> {
    opts: Options,
    shared: Arc<Shared>,
    search: SearchIndex,
    photos: photos::Photos,
    /// `None` while the site has never built.
    live: Option<LiveSite>,
    report: Report<'a>,
}

impl Editing<'_> {
    fn follow(mut self, watch: &watch::Watch) {
        while let Some(batch) = watch.next() {
            if batch.photos {
                self.show_photos();
                if batch.paths.is_empty() {
                    continue;
                }
            }
            let t = Instant::now();
            let gate = self.search.gate.clone();
            let closed = gate.close();
            let result = match self.live.as_mut() {
                Some(l) => l.rebuild(batch.kind, &watch.root, &batch.paths),
                None => LiveSite::new(self.opts.clone()).map(|l| {
                    self.search.build_now(&l.search_input());
                    self.live = Some(l);
                    Rebuilt {
                        parsed: 0,
                        rendered: 0,
                    }
                }),
            };
            match result {
                Ok(r) => self.show(batch.kind, r, t),
                Err(d) => {
                    (self.report)(&d);
                    eprintln!(
                        "生成失败：{}；预览保留上一次成功的结果，页面上会显示错误",
                        d.summary()
                    );
                    self.shared.events.errors(&d);
                }
            }
            drop(closed);
        }
    }

    /// Publishes a good rebuild and reloads the open pages.
    fn show(&mut self, change: Change, r: Rebuilt, started: Instant) {
        let Some(l) = self.live.as_mut() else { return };
        *self
            .shared
            .snapshot
            .write()
            .unwrap_or_else(|e| e.into_inner()) = Arc::new(Snapshot::new(l.files().clone()));
        self.shared.events.reload();
        (self.report)(l.warnings());
        eprintln!(
            "已更新：{}，重新解析 {} 个文件，渲染 {} 个页面，用时 {} 毫秒",
            if change == Change::Everything {
                "全部重建"
            } else {
                "内容有改动"
            },
            r.parsed,
            r.rendered,
            started.elapsed().as_millis()
        );
        // The search index and the photos follow after the page has reloaded.
        self.search.refresh(l.search_input());
        self.photos.refresh(l.photo_request());
        release_memory();
    }

    /// The photos processed in the background, into the live site.
    fn show_photos(&mut self) {
        let (Some(l), Some(ready)) = (self.live.as_mut(), self.photos.take()) else {
            return;
        };
        (self.report)(&ready.diagnostics);
        let t = Instant::now();
        match l.set_photos(ready.published) {
            Ok(0) => {}
            Ok(n) => {
                *self
                    .shared
                    .snapshot
                    .write()
                    .unwrap_or_else(|e| e.into_inner()) =
                    Arc::new(Snapshot::new(l.files().clone()));
                self.shared.events.reload();
                eprintln!(
                    "照片已处理好：重新生成 {n} 个文件，用时 {} 毫秒",
                    t.elapsed().as_millis()
                );
            }
            Err(d) => (self.report)(&d),
        }
    }
}

/// Hands freed memory back to the system. Rebuilds and search indexes
/// allocate on several threads; without this, glibc keeps each thread's
/// high-water mark and a long editing session looks like a leak.
pub(crate) fn release_memory() {
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
