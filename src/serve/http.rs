//! Answering requests: the site from memory under its base path, the live
//! reload script and event stream, and nothing else. Files are looked up in
//! the built output by key, never by joining the URL to a folder, so no URL
//! can reach a file outside the site.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex, RwLock};

use flate2::Compression;
use flate2::write::GzEncoder;
use tiny_http::{Header, Method, Request, Response, StatusCode};

use crate::files::OutputFile;
use crate::serve::events::Events;

pub const LIVE_JS: &str = include_str!("live.js");
const LIVE_PATH: &str = "/__zhibu/live.js";
const EVENTS_PATH: &str = "/__zhibu/events";
const LIVE_TAG: &str = "<script src=\"/__zhibu/live.js\" defer></script>";

/// The last good build, as served.
pub struct Snapshot {
    pub files: BTreeMap<String, Arc<OutputFile>>,
    /// Compressed bodies, made on first request.
    gz: Mutex<HashMap<String, Arc<Vec<u8>>>>,
}

impl Snapshot {
    pub fn new(files: BTreeMap<String, Arc<OutputFile>>) -> Self {
        Snapshot {
            files,
            gz: Mutex::new(HashMap::new()),
        }
    }
}

/// Everything the request threads share.
pub struct Shared {
    pub base_path: String,
    pub snapshot: RwLock<Arc<Snapshot>>,
    /// The search index, rebuilt in the background after each edit.
    pub search: RwLock<Arc<Snapshot>>,
    pub events: Events,
}

/// Content type by file extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "mp4" | "m4v" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "ogg" | "oga" => "audio/ogg",
        "wav" => "audio/wav",
        "zip" => "application/zip",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

fn compressible(ct: &str) -> bool {
    ct.starts_with("text/")
        || ct.contains("json")
        || ct.contains("xml")
        || ct.contains("svg")
        || ct.contains("javascript")
}

/// Why a URL is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// 400: traversal, encoded separators, control characters.
    Bad,
}

/// The decoded path of a request URL, or a refusal. `..`, `.`, encoded
/// slashes and backslashes, NUL and invalid UTF-8 are refused outright.
pub fn clean_path(url: &str) -> Result<String, Refusal> {
    let raw = url.split(['?', '#']).next().unwrap_or("");
    if !raw.starts_with('/') || raw.contains('\\') {
        return Err(Refusal::Bad);
    }
    let lower = raw.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return Err(Refusal::Bad);
    }
    let Ok(decoded) = String::from_utf8(decode_bytes(raw)) else {
        return Err(Refusal::Bad);
    };
    if decoded.contains(['\\', '\0']) || decoded.contains("//") {
        return Err(Refusal::Bad);
    }
    if decoded.split('/').any(|s| s == ".." || s == ".") {
        return Err(Refusal::Bad);
    }
    Ok(decoded)
}

fn decode_bytes(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

fn header(name: &str, value: &str) -> Header {
    // Names and values here are ASCII constants or ASCII paths we built.
    Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|_| {
        Header::from_bytes(&b"X-Zhibu"[..], &b"1"[..]).expect("a valid constant header")
    })
}

fn accepts_gzip(req: &Request) -> bool {
    req.headers().iter().any(|h| {
        h.field.equiv("Accept-Encoding")
            && h.value
                .as_str()
                .split(',')
                .any(|e| e.trim().starts_with("gzip"))
    })
}

fn plain(status: u16, text: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(text.as_bytes().to_vec())
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

/// Answers one request (runs on its own thread: a slow client blocks nobody).
pub fn handle(req: Request, shared: &Shared) {
    if !matches!(req.method(), Method::Get | Method::Head) {
        let r = plain(405, "只支持 GET 和 HEAD\n").with_header(header("Allow", "GET, HEAD"));
        let _ = req.respond(r);
        return;
    }
    let path = match clean_path(req.url()) {
        Ok(p) => p,
        Err(Refusal::Bad) => {
            let _ = req.respond(plain(400, "请求的路径无效\n"));
            return;
        }
    };
    if path == EVENTS_PATH {
        shared.events.stream(req);
        return;
    }
    if path == LIVE_PATH {
        let r = Response::from_data(LIVE_JS.as_bytes().to_vec())
            .with_header(header("Content-Type", "text/javascript; charset=utf-8"))
            .with_header(header("Cache-Control", "no-cache"));
        let _ = req.respond(r);
        return;
    }
    let base = shared.base_path.as_str();
    if base != "/" && (path == "/" || path == base.trim_end_matches('/')) {
        let r = Response::empty(StatusCode(302)).with_header(header("Location", base));
        let _ = req.respond(r);
        return;
    }
    let Some(rel) = path.strip_prefix(base) else {
        return not_found(req, shared);
    };
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    let from = if key.starts_with("search/") && key != "search/index.html" {
        &shared.search
    } else {
        &shared.snapshot
    };
    let snapshot = from
        .read()
        .map(|s| s.clone())
        .unwrap_or_else(|e| e.into_inner().clone());
    match snapshot.files.get(&key) {
        Some(f) => send(req, &snapshot, &key, f, 200),
        None if snapshot.files.contains_key(&format!("{rel}/index.html")) => {
            let loc = format!("{base}{rel}/");
            let _ = req.respond(
                Response::empty(StatusCode(301))
                    .with_header(header("Location", &encode_location(&loc))),
            );
        }
        None => not_found(req, shared),
    }
}

fn encode_location(s: &str) -> String {
    crate::parse::markdown::encode_path(s)
        .chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_string()
            } else {
                c.to_string().bytes().map(|b| format!("%{b:02X}")).collect()
            }
        })
        .collect()
}

fn not_found(req: Request, shared: &Shared) {
    let snapshot = shared
        .snapshot
        .read()
        .map(|s| s.clone())
        .unwrap_or_else(|e| e.into_inner().clone());
    match snapshot.files.get("404.html") {
        Some(f) => send(req, &snapshot, "404.html", f, 404),
        None => {
            let _ = req.respond(plain(404, "页面不存在\n"));
        }
    }
}

fn send(req: Request, snapshot: &Snapshot, key: &str, f: &OutputFile, status: u16) {
    let ct = content_type(key);
    let body: Cow<[u8]> = match f.read() {
        Ok(b) => b,
        Err(_) => {
            let _ = req.respond(plain(500, "文件读取失败\n"));
            return;
        }
    };
    // Every HTML page gets the live reload script.
    let body: Cow<[u8]> = if ct.starts_with("text/html") {
        Cow::Owned(inject(&body))
    } else {
        body
    };
    let gzip = accepts_gzip(&req) && compressible(ct) && body.len() > 256;
    let mut headers = vec![
        header("Content-Type", ct),
        header("Cache-Control", "no-cache"),
        header("Vary", "Accept-Encoding"),
    ];
    let data: Arc<Vec<u8>> = if gzip {
        headers.push(header("Content-Encoding", "gzip"));
        let mut cache = snapshot.gz.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(key.to_string())
            .or_insert_with(|| {
                let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
                let _ = enc.write_all(&body);
                Arc::new(enc.finish().unwrap_or_default())
            })
            .clone()
    } else {
        Arc::new(body.into_owned())
    };
    let len = data.len();
    let r = Response::new(
        StatusCode(status),
        headers,
        ArcReader(data, 0),
        Some(len),
        None,
    );
    let _ = req.respond(r);
}

/// `<script src="/__zhibu/live.js">` before `</body>` (or at the end).
pub fn inject(html: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(html.len() + LIVE_TAG.len());
    match find_last(html, b"</body>") {
        Some(i) => {
            out.extend_from_slice(&html[..i]);
            out.extend_from_slice(LIVE_TAG.as_bytes());
            out.extend_from_slice(&html[i..]);
        }
        None => {
            out.extend_from_slice(html);
            out.extend_from_slice(LIVE_TAG.as_bytes());
        }
    }
    out
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// A reader over shared bytes, so a cached gzip body is not copied per request.
struct ArcReader(Arc<Vec<u8>>, usize);

impl Read for ArcReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let rest = &self.0[self.1..];
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.1 += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused() {
        for bad in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/a%2f..%2fb",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "//etc/passwd",
            "/a/./b",
            "/%00",
            "etc/passwd",
            "/%ff%fe",
        ] {
            assert_eq!(clean_path(bad), Err(Refusal::Bad), "{bad}");
        }
    }

    #[test]
    fn normal_paths() {
        assert_eq!(clean_path("/lessons/a/?x=1#top").unwrap(), "/lessons/a/");
        assert_eq!(clean_path("/tags/%E5%85%9A/").unwrap(), "/tags/党/");
        assert_eq!(clean_path("/a%20b.jpg").unwrap(), "/a b.jpg");
    }

    #[test]
    fn injects_the_live_script() {
        assert_eq!(
            inject(b"<p>x</p></body></html>"),
            format!("<p>x</p>{LIVE_TAG}</body></html>").into_bytes()
        );
        assert_eq!(inject(b"<p>x"), format!("<p>x{LIVE_TAG}").into_bytes());
    }

    #[test]
    fn content_types() {
        assert_eq!(
            content_type("a/calendar.ics"),
            "text/calendar; charset=utf-8"
        );
        assert_eq!(content_type("search/index.json"), "application/json");
        assert_eq!(content_type("x.SVG"), "image/svg+xml");
        assert_eq!(content_type("font.woff2"), "font/woff2");
    }
}
