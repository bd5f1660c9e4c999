//! Fixture sites for integration tests: a temporary folder with site.toml
//! and content, built with a fixed "now" so that results never depend on
//! the day the tests run.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::DateTime;
use zhibu::diagnostics::Diagnostics;
use zhibu::pipeline::{self, BuildReport, Compiled, Options};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// 2026-11-21 noon, Beijing time.
pub const NOW: &str = "2026-11-21T12:00:00+08:00";

pub struct Site {
    pub root: PathBuf,
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

impl Site {
    /// An empty site: only site.toml.
    pub fn empty(name: &str) -> Site {
        let root = std::env::temp_dir().join(format!(
            "zhibu-it-{name}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("content")).unwrap();
        let s = Site { root };
        s.file(
            "site.toml",
            "title = \"测试支部\"\nbase_url = \"https://test.example.edu.cn/\"\n",
        );
        s
    }

    /// A small valid site: one lesson with a quiz, two members, a past and
    /// an upcoming activity.
    pub fn new(name: &str) -> Site {
        let s = Site::empty(name);
        s.file(
            "content/lessons/dang-zhang-01.md",
            "---\ntitle: 党章第一课\ndate: 2025-09-01\ncourse: 党章学习\norder: 1\nduration: 20\ntags: [党章]\nquiz:\n  questions:\n    - type: single\n      question: 党的根本宗旨是什么？\n      options: [全心全意为人民服务, 发展生产力]\n      answer: A\n      explain: 党章总纲。\n---\n\n## 一、党的性质\n\n正文。\n",
        );
        s.file(
            "content/members/zhang-san.md",
            "---\nname: 张三\nrole: 学生党员\nhonors: [优秀共产党员]\n---\n\n事迹。\n",
        );
        s.file(
            "content/members/li-si.md",
            "---\nname: 李四\nrole: 预备党员\n---\n\n事迹。\n",
        );
        s.file(
            "content/activities/2025-05-04-wusi/index.md",
            "---\ntitle: 五四主题党日\ndate: 2025-05-04 14:00\nend: 2025-05-04 16:00\nkind: 主题党日\nlocation: 党员之家\nparticipants: [zhang-san, li-si]\nvolunteer_hours: 2\n---\n\n活动内容。\n",
        );
        s.file(
            "content/activities/2026-12-05-zhiyuan/index.md",
            "---\ntitle: 社区志愿服务\ndate: 2026-12-05 09:00\nend: 2026-12-05 11:30\nkind: 志愿服务\nlocation: 社区服务中心\nparticipants: [zhang-san]\nvolunteer_hours: 2.5\n---\n\n即将开展。\n",
        );
        s
    }

    pub fn file(&self, rel: &str, text: &str) -> &Self {
        self.bytes(rel, text.as_bytes())
    }

    pub fn bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        let p = self.root.join(rel);
        if p.is_dir() {
            std::fs::remove_dir_all(p).unwrap();
        } else {
            std::fs::remove_file(p).unwrap();
        }
        self
    }

    pub fn options(&self) -> Options {
        Options {
            root: self.root.clone(),
            now: Some(DateTime::parse_from_rfc3339(NOW).unwrap()),
            ..Default::default()
        }
    }

    pub fn build(&self) -> Result<BuildReport, Diagnostics> {
        pipeline::build(&self.options())
    }

    pub fn compile(&self) -> Result<Compiled, Diagnostics> {
        pipeline::compile(&self.options())
    }

    /// Builds and panics with the rendered diagnostics on failure.
    pub fn build_ok(&self) -> BuildReport {
        match self.build() {
            Ok(r) => r,
            Err(d) => panic!("build failed:\n{}", d.render(false)),
        }
    }

    /// Builds, expecting failure; returns the rendered diagnostics.
    pub fn build_err(&self) -> String {
        match self.build() {
            Ok(_) => panic!("build succeeded but should have failed"),
            Err(d) => d.render(false),
        }
    }

    pub fn public(&self) -> PathBuf {
        self.root.join("public")
    }

    pub fn read(&self, rel: &str) -> String {
        let p = self.public().join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.public().join(rel).exists()
    }
}

/// Every file under `dir` with its bytes, sorted, for byte-for-byte comparisons.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .to_string();
            out.push((rel, std::fs::read(e.path()).unwrap()));
        }
    }
    out
}

/// A full build of `s` in memory, as `serve` shows it: every file by path,
/// without the search index (which `serve` builds apart) and with the
/// search page pointing at `search/` as it does in `serve`.
pub fn full_build(s: &Site) -> std::collections::BTreeMap<String, Vec<u8>> {
    let c = pipeline::compile(&s.options()).unwrap_or_else(|d| panic!("{}", d.render(false)));
    let mut out = std::collections::BTreeMap::new();
    let re = regex::Regex::new(r#"data-index="([^"]*)search/[0-9a-f]{10}/""#).unwrap();
    for f in &c.files {
        let rest = f.path.strip_prefix("search/");
        if rest.is_some_and(|r| r != "index.html") {
            continue;
        }
        let mut bytes = f.read().unwrap().into_owned();
        if f.path == "search/index.html" {
            let text = String::from_utf8(bytes).unwrap();
            bytes = re
                .replace(&text, r#"data-index="${1}search/""#)
                .into_owned()
                .into_bytes();
        }
        out.insert(f.path.clone(), bytes);
    }
    out
}

/// The bytes of every file `serve` holds, by path (to compare with [`full_build`]).
pub fn bytes(
    files: &std::collections::BTreeMap<String, std::sync::Arc<zhibu::files::OutputFile>>,
) -> std::collections::BTreeMap<String, Vec<u8>> {
    files
        .iter()
        .map(|(k, f)| {
            let b = match &f.data {
                zhibu::files::Data::Bytes(b) => b.clone(),
                zhibu::files::Data::Static(b) => b.to_vec(),
                zhibu::files::Data::Copy(p) => std::fs::read(p).unwrap(),
            };
            (k.clone(), b)
        })
        .collect()
}
