//! `zhibu serve` over HTTP: status codes, content types, HEAD, gzip,
//! traversal attempts, the base path, slow and concurrent clients, live
//! updates and the error stream. Each test starts the real binary.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{NOW, Site};

struct Server {
    child: Child,
    addr: String,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(site: &Site) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhibu"))
        .arg("--root")
        .arg(&site.root)
        .args(["serve", "--port", "0", "--now", NOW])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start zhibu serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("http://")
        .expect("serve prints its URL")
        .to_string();
    let (addr, path) = url.split_once('/').unwrap();
    Server {
        child,
        addr: addr.to_string(),
        base: format!("/{path}"),
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One request on a fresh connection, written by hand (no client library,
/// so that malformed paths reach the server as they are).
fn request(addr: &str, method: &str, path: &str, extra: &str) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{extra}\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response")
        + 4;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = b.windows(2).position(|w| w == b"\r\n") {
        let n =
            usize::from_str_radix(std::str::from_utf8(&b[..end]).unwrap().trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.extend_from_slice(&b[end + 2..end + 2 + n]);
        b = &b[end + 2 + n + 2..];
    }
    out
}

fn get(srv: &Server, path: &str) -> Reply {
    request(&srv.addr, "GET", path, "")
}

#[test]
fn pages_assets_types_head_gzip_and_404() {
    let s = Site::new("serve-basic");
    s.bytes(
        "content/activities/2025-05-04-wusi/p.jpg",
        b"\xff\xd8\xff fake jpeg",
    );
    let srv = serve(&s);
    let home = get(&srv, "/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        home.text().contains("/__zhibu/live.js"),
        "live reload script injected"
    );
    // styles and scripts carry a content hash in their names
    let html = home.text();
    let css = format!(
        "/{}",
        html.split("href=\"./")
            .find(|p| p.starts_with("css/"))
            .unwrap()
            .split('"')
            .next()
            .unwrap()
    );
    assert!(
        css.starts_with("/css/zhibu.") && css.len() == "/css/zhibu.0123456789.css".len(),
        "{css}"
    );
    let lesson = get(&srv, "/lessons/dang-zhang-01/").text();
    let js = format!(
        "/{}",
        lesson
            .split("src=\"../../")
            .find(|p| p.starts_with("js/learning."))
            .unwrap()
            .split('"')
            .next()
            .unwrap()
    );
    for (path, ct) in [
        (css.as_str(), "text/css; charset=utf-8"),
        (js.as_str(), "text/javascript; charset=utf-8"),
        ("/search/index.json", "application/json"),
        ("/lessons/dang-zhang-01/qr.svg", "image/svg+xml"),
        ("/calendar.ics", "text/calendar; charset=utf-8"),
        ("/atom.xml", "application/xml; charset=utf-8"),
        ("/activities/2025-05-04-wusi/p.jpg", "image/jpeg"),
        ("/favicon.svg", "image/svg+xml"),
    ] {
        let r = get(&srv, path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("Content-Type"), Some(ct), "{path}");
    }
    // HEAD: headers, no body
    let head = request(&srv.addr, "HEAD", "/lessons/dang-zhang-01/", "");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    // only GET and HEAD
    assert_eq!(
        request(&srv.addr, "POST", "/", "Content-Length: 0\r\n").status,
        405
    );
    assert_eq!(request(&srv.addr, "DELETE", "/index.html", "").status, 405);
    // gzip when asked for, identical content
    let plain = get(&srv, &css);
    let gz = request(&srv.addr, "GET", &css, "Accept-Encoding: gzip, deflate\r\n");
    assert_eq!(gz.header("Content-Encoding"), Some("gzip"));
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&gz.body[..])
        .read_to_end(&mut unzipped)
        .unwrap();
    assert_eq!(unzipped, plain.body);
    assert!(gz.body.len() < plain.body.len());
    // the site's own 404 page, with status 404
    let missing = get(&srv, "/lessons/no-such-lesson/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("页面不存在"));
    // a folder without its slash is redirected
    let r = get(&srv, "/lessons/dang-zhang-01");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("Location"), Some("/lessons/dang-zhang-01/"));
    // serve writes nothing into the site
    assert!(!s.root.join("public").exists());
}

#[test]
fn traversal_never_reaches_outside_files() {
    let s = Site::new("serve-traversal");
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc", s.root.join("content/etc-link")).unwrap();
    let srv = serve(&s);
    for path in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "/lessons/..%5c..%5cetc%5cpasswd",
        "/lessons\\..\\..\\etc\\passwd",
        "//etc/passwd",
        "/%00",
        "/etc-link/passwd",
        "/etc/passwd",
    ] {
        let r = get(&srv, path);
        assert!(r.status == 400 || r.status == 404, "{path}: {}", r.status);
        assert!(!r.text().contains("root:"), "{path} leaked a system file");
    }
}

/// One request with the given `Host` header line (or none).
fn with_host(addr: &str, path: &str, host: Option<&str>) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
    write!(s, "GET {path} HTTP/1.1\r\n{host}Connection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        headers: Vec::new(),
        body: raw,
    }
}

#[test]
fn foreign_host_names_are_refused() {
    let s = Site::new("serve-host");
    let srv = serve(&s);
    let port = srv.addr.rsplit(':').next().unwrap().to_string();
    for ok in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
    ] {
        assert_eq!(with_host(&srv.addr, "/", Some(&ok)).status, 200, "{ok}");
    }
    // A page elsewhere that points its own name at 127.0.0.1 (DNS
    // rebinding) sends that name: it must not read the preview.
    for bad in [
        format!("evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("localhost.evil.example:{port}"),
        "evil.example".to_string(),
        "127.0.0.1:1".to_string(),
    ] {
        for path in [
            "/",
            "/lessons/dang-zhang-01/",
            "/__zhibu/events",
            "/__zhibu/live.js",
        ] {
            let r = with_host(&srv.addr, path, Some(&bad));
            assert_eq!(r.status, 403, "{bad} {path}");
            assert!(r.text().contains("本机地址"), "{}", r.text());
            assert!(!r.text().contains("党章"), "{bad} {path} leaked the page");
        }
    }
    assert_ne!(
        with_host(&srv.addr, "/", None).status,
        200,
        "no Host at all"
    );
}

#[cfg(unix)]
#[test]
fn symlinks_in_static_leading_out_are_not_served() {
    let s = Site::new("serve-static-link");
    std::fs::create_dir_all(s.root.join("static")).unwrap();
    s.file("static/ok.txt", "fine");
    std::os::unix::fs::symlink("/etc", s.root.join("static/etc")).unwrap();
    let srv = serve(&s);
    assert_eq!(get(&srv, "/ok.txt").text(), "fine");
    for path in ["/etc/passwd", "/etc/hostname", "/etc/"] {
        let r = get(&srv, path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.text().contains("root:"), "{path} leaked a system file");
    }
}

#[test]
fn base_path_is_honoured() {
    let s = Site::new("serve-base");
    s.file(
        "site.toml",
        "title = \"x\"\nbase_url = \"https://host.edu.cn/dangjian/zhibu1/\"\n",
    );
    let srv = serve(&s);
    assert_eq!(srv.base, "/dangjian/zhibu1/");
    let root = get(&srv, "/");
    assert_eq!(root.status, 302);
    assert_eq!(root.header("Location"), Some("/dangjian/zhibu1/"));
    let page = get(&srv, "/dangjian/zhibu1/lessons/dang-zhang-01/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("href=\"/dangjian/zhibu1/lessons/\""));
    assert_eq!(get(&srv, "/lessons/dang-zhang-01/").status, 404);
}

#[test]
fn slow_and_concurrent_clients() {
    let s = Site::new("serve-slow");
    let srv = serve(&s);
    // A client that starts a request and stalls …
    let mut stalled = TcpStream::connect(&srv.addr).unwrap();
    write!(
        stalled,
        "GET /index.html HTTP/1.1\r\nHost: {}\r\n",
        srv.addr
    )
    .unwrap();
    // … and one that never reads its (large) response.
    let mut unread = TcpStream::connect(&srv.addr).unwrap();
    write!(
        unread,
        "GET /search/index.json HTTP/1.1\r\nHost: {}\r\n\r\n",
        srv.addr
    )
    .unwrap();
    let started = Instant::now();
    let handles: Vec<_> = (0..24)
        .map(|i| {
            let addr = srv.addr.clone();
            std::thread::spawn(move || {
                let path = if i % 2 == 0 {
                    "/"
                } else {
                    "/lessons/dang-zhang-01/"
                };
                request(&addr, "GET", path, "").status
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), 200);
    }
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "blocked by the stalled clients"
    );
    drop(stalled);
    drop(unread);
}

/// Reads server-sent events until `want` appears.
fn wait_for_event(stream: &mut BufReader<TcpStream>, want: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = String::new();
    while Instant::now() < deadline {
        let mut line = String::new();
        match stream.read_line(&mut line) {
            Ok(0) => break,
            Ok(_) => {
                seen.push_str(&line);
                if seen.contains(want) {
                    return seen;
                }
            }
            Err(_) => {}
        }
    }
    panic!("no `{want}` event; got:\n{seen}");
}

fn events(srv: &Server) -> BufReader<TcpStream> {
    let mut s = TcpStream::connect(&srv.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    write!(
        s,
        "GET /__zhibu/events HTTP/1.1\r\nHost: {}\r\n\r\n",
        srv.addr
    )
    .unwrap();
    let mut r = BufReader::new(s);
    wait_for_event(&mut r, "retry:");
    r
}

fn wait_until(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("timed out waiting for {what}");
}

#[test]
fn edits_show_up_and_errors_are_streamed() {
    let s = Site::new("serve-live");
    let srv = serve(&s);
    let mut ev = events(&srv);
    let lesson = "content/lessons/dang-zhang-01.md";
    let original = std::fs::read_to_string(s.root.join(lesson)).unwrap();

    s.file(lesson, &original.replace("正文。", "改过的正文。"));
    wait_for_event(&mut ev, "event: reload");
    wait_until("the new text", || {
        get(&srv, "/lessons/dang-zhang-01/")
            .text()
            .contains("改过的正文")
    });

    // A title change reaches the lists that show it.
    s.file(
        lesson,
        &original.replace("title: 党章第一课", "title: 党章第一课（修订）"),
    );
    wait_for_event(&mut ev, "event: reload");
    wait_until("the new title on the lists", || {
        get(&srv, "/lessons/").text().contains("党章第一课（修订）")
            && get(&srv, "/courses/dang-zhang-xue-xi/")
                .text()
                .contains("党章第一课（修订）")
    });

    // A mistake: the last good page stays, the error is streamed with file and line.
    s.file(
        lesson,
        &original.replace("date: 2025-09-01", "date: 2025-09-31"),
    );
    wait_for_event(&mut ev, "event: errors");
    let seen = wait_for_event(&mut ev, "data: [");
    let line = seen
        .lines()
        .rev()
        .find(|l| l.starts_with("data: ["))
        .unwrap();
    assert!(
        line.contains("content/lessons/dang-zhang-01.md") && line.contains("\"line\":3"),
        "{line}"
    );
    assert_eq!(get(&srv, "/lessons/dang-zhang-01/").status, 200);
    // A page opened now is told about the errors at once.
    let mut late = events(&srv);
    wait_for_event(&mut late, "event: errors");

    // Fixing it reloads the pages.
    s.file(lesson, &original);
    wait_for_event(&mut ev, "event: reload");
    wait_until("the fixed page", || {
        get(&srv, "/lessons/dang-zhang-01/")
            .text()
            .contains("<h1>党章第一课</h1>")
    });

    // New and removed files.
    s.file(
        "content/lessons/xin-ke.md",
        "---\ntitle: 新的一课\n---\n\n新内容。\n",
    );
    wait_until("the new lesson", || {
        get(&srv, "/lessons/xin-ke/").status == 200
    });
    s.remove("content/lessons/xin-ke.md");
    wait_until("the removed lesson", || {
        get(&srv, "/lessons/xin-ke/").status == 404
    });

    // A template change rebuilds everything.
    s.file("templates/page.html", "{% extends \"base.html\" %}{% block content %}<p id=\"custom\">{{ page.title }}</p>{% endblock content %}");
    s.file("content/about.md", "---\ntitle: 关于\n---\n");
    wait_until("the new template", || {
        get(&srv, "/about/")
            .text()
            .contains("<p id=\"custom\">关于</p>")
    });
    assert!(!s.root.join("public").exists(), "serve wrote files");
}

#[test]
fn photos_follow_the_page_and_new_ones_too() {
    let s = Site::new("serve-photos");
    let act = "content/activities/2025-05-04-wusi/";
    s.bytes(
        &format!("{act}photo-1.jpg"),
        &zhibu::images::sample::phone_photo(1600, 1200, 1, 6),
    );
    let srv = serve(&s);
    let page = "/activities/2025-05-04-wusi/";
    // The page is there at once; its photo follows, sized and upright.
    assert_eq!(get(&srv, page).status, 200);
    wait_until("the photo's copies", || {
        get(&srv, page).text().contains("photo-1-320w.")
    });
    let html = get(&srv, page).text();
    assert!(html.contains("width=\"640\" height=\"853\""), "{html}");
    let copy = html
        .split(['"', ' ', ','])
        .find(|p| p.contains("photo-1-320w."))
        .unwrap()
        .to_string();
    let bytes = get(&srv, &copy).body;
    assert!(bytes.starts_with(&[0xFF, 0xD8]), "{copy}");
    assert!(!bytes.windows(4).any(|w| w == b"Exif"));
    // Once the copies are there, the original is not served.
    assert_eq!(get(&srv, &format!("{page}photo-1.jpg")).status, 404);

    // A photo added while serving shows up, then gets its copies.
    s.bytes(
        &format!("{act}photo-2.jpg"),
        &zhibu::images::sample::phone_photo(1200, 900, 2, 1),
    );
    wait_until("the new photo's copies", || {
        get(&srv, page).text().contains("photo-2-320w.")
    });
}
