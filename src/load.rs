//! Stage 1: walk `content/` once, read every file, decode it, split front
//! matter from body. Pure data out; nothing here knows what a lesson is.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// A Markdown file of the site.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path on disk.
    pub path: PathBuf,
    /// Path relative to `content/`, with `/` separators: `activities/wusi/index.md`.
    pub rel: String,
    /// Decoded text: BOM removed, line endings normalised to `\n`.
    pub text: String,
    /// Byte range of the YAML between the `---` lines.
    pub front: Range<usize>,
    /// Byte range of the Markdown after the closing `---`.
    pub body: Range<usize>,
    /// Line number (1-based) of the first YAML line.
    pub front_line: u32,
    /// Line number (1-based) of the first body line.
    pub body_line: u32,
    /// For a bundle's `index.md`: the files beside it.
    pub assets: Vec<Asset>,
    /// Control characters taken out of the text when it was read.
    pub removed: Option<crate::controls::Removed>,
}

impl SourceFile {
    pub fn front(&self) -> &str {
        &self.text[self.front.clone()]
    }

    pub fn body(&self) -> &str {
        &self.text[self.body.clone()]
    }

    /// `content/…` as shown in messages.
    pub fn display(&self) -> PathBuf {
        Path::new("content").join(&self.rel)
    }

    /// The section (first folder) or "" for top-level files.
    pub fn section(&self) -> &str {
        match self.rel.split_once('/') {
            Some((s, _)) => s,
            None => "",
        }
    }

    pub fn file_name(&self) -> &str {
        self.rel.rsplit('/').next().unwrap_or(&self.rel)
    }

    /// `_index.md`: front matter of a section (or of the home page).
    pub fn is_section_index(&self) -> bool {
        self.file_name() == "_index.md"
    }

    /// `index.md` of a page bundle.
    pub fn is_bundle(&self) -> bool {
        self.file_name() == "index.md"
    }

    /// The name a slug falls back to: the file name, or the bundle's folder name.
    pub fn stem(&self) -> &str {
        let parts: Vec<&str> = self.rel.split('/').collect();
        if self.is_bundle() && parts.len() >= 2 {
            parts[parts.len() - 2]
        } else {
            let f = parts[parts.len() - 1];
            f.strip_suffix(".md").unwrap_or(f)
        }
    }

    /// Folder (relative to content/) that relative links in this file start from.
    pub fn dir(&self) -> &str {
        match self.rel.rfind('/') {
            Some(i) => &self.rel[..i],
            None => "",
        }
    }
}

/// A non-Markdown file in content/: a bundle's photo, a loose PDF.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asset {
    pub path: PathBuf,
    /// Relative to content/.
    pub rel: String,
}

#[derive(Debug, Default)]
pub struct Loaded {
    pub files: Vec<SourceFile>,
    /// Files outside bundles, copied to the same place in the output.
    pub loose_assets: Vec<Asset>,
    pub diagnostics: Diagnostics,
}

/// Files editors' tools leave behind; never content.
fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        || name.eq_ignore_ascii_case("Thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
}

/// What a file in content/ is, from its name.
enum FileKind {
    /// `*.md`: a page.
    Page,
    /// Anything else: a photo, a PDF, copied beside its page.
    Asset,
    /// Neither: a Markdown file spelt otherwise, or an HTML file. Copying
    /// them would publish front matter (past the privacy guard) or raw HTML
    /// (past the sanitiser).
    Refused(Diagnostic),
}

/// Pages are `.md`, in lower case, and nothing else: `lesson.MD`,
/// `lesson.markdown` are errors that say how to rename them (links and
/// bundles name `index.md`, and a page must not depend on the file system
/// ignoring case). HTML files are refused: content is sanitised, and raw
/// files belong in static/.
fn content_kind(rel: &str) -> FileKind {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return FileKind::Asset;
    };
    if ext == "md" {
        return FileKind::Page;
    }
    let lower = ext.to_ascii_lowercase();
    if [
        "md", "markdown", "mdown", "mkd", "mkdn", "mdwn", "mdtxt", "mdtext",
    ]
    .contains(&lower.as_str())
    {
        return FileKind::Refused(
            Diagnostic::error(format!(
                "Markdown 文件的扩展名要写成小写的 .md，这里是 .{ext}：这个文件不会生成页面，也不会被原样发布"
            ))
            .hint(format!("把文件重命名为 {stem}.md")),
        );
    }
    if ["html", "htm", "xhtml", "xht", "shtml", "mht", "mhtml"].contains(&lower.as_str()) {
        return FileKind::Refused(
            Diagnostic::error("content/ 里的 HTML 文件不会原样发布：页面的内容要经过安全检查")
                .hint("把内容写成 .md 页面（可以夹带简单的 HTML）；确实要原样发布的网页放进站点的 static/ 文件夹"),
        );
    }
    FileKind::Asset
}

/// A Markdown file found by [`scan`], not read yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MdEntry {
    pub path: PathBuf,
    pub rel: String,
    /// Size and modification time: `serve` re-reads a file only when they change.
    pub stamp: Stamp,
    /// Files beside a bundle's index.md.
    pub assets: Vec<Asset>,
}

/// What tells a changed file from an unchanged one without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Stamp {
    pub len: u64,
    pub modified: Option<std::time::SystemTime>,
    /// The inode on Unix: an editor that saves by renaming a new file over
    /// the old one may leave size and (coarse) modification time equal.
    pub file: u64,
}

impl Stamp {
    pub fn of(path: &Path) -> Stamp {
        match std::fs::metadata(path) {
            Ok(m) => Stamp::from(&m),
            Err(_) => Stamp::default(),
        }
    }
}

impl From<&std::fs::Metadata> for Stamp {
    fn from(m: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        let file = std::os::unix::fs::MetadataExt::ino(m);
        #[cfg(not(unix))]
        let file = 0;
        Stamp {
            len: m.len(),
            modified: m.modified().ok(),
            file,
        }
    }
}

/// Every file under content/, sorted, without reading any.
#[derive(Debug, Default)]
pub struct Scan {
    pub md: Vec<MdEntry>,
    pub loose_assets: Vec<Asset>,
    pub diagnostics: Diagnostics,
}

impl Scan {
    /// Every file (Markdown and others) relative to content/.
    pub fn all_files(&self) -> impl Iterator<Item = &str> {
        self.md
            .iter()
            .flat_map(|m| {
                std::iter::once(m.rel.as_str()).chain(m.assets.iter().map(|a| a.rel.as_str()))
            })
            .chain(self.loose_assets.iter().map(|a| a.rel.as_str()))
    }
}

/// Walks `content_dir` once: Markdown files, bundles and their files, loose
/// files. Symbolic links are followed inside the site only; loops and links
/// that leave the site are skipped with a warning.
pub fn scan(content_dir: &Path) -> Scan {
    let mut out = Scan::default();
    if !content_dir.is_dir() {
        out.diagnostics.push(
            Diagnostic::error("找不到 content/ 文件夹")
                .in_file("content")
                .hint("文章放在站点根目录的 content/ 里；用 `zhibu init` 可以新建一个示例站点"),
        );
        return out;
    }
    let site_root = content_dir
        .parent()
        .and_then(|p| std::fs::canonicalize(p).ok())
        .unwrap_or_else(|| content_dir.to_path_buf());
    let mut md: Vec<(PathBuf, String)> = Vec::new();
    let mut others: Vec<Asset> = Vec::new();
    let mut walker = WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| relative_display(content_dir, p))
                    .unwrap_or_else(|| PathBuf::from("content"));
                let message = if e.loop_ancestor().is_some() {
                    "符号链接指回了它自己所在的文件夹（循环），已跳过".to_string()
                } else {
                    format!("无法读取：{e}")
                };
                out.diagnostics.push(
                    Diagnostic::warning(message)
                        .in_file(path)
                        .hint("删除或修正这个链接/文件夹的权限"),
                );
                continue;
            }
        };
        if entry.path_is_symlink() {
            let inside =
                std::fs::canonicalize(entry.path()).is_ok_and(|t| t.starts_with(&site_root));
            if !inside {
                out.diagnostics.push(
                    Diagnostic::warning("符号链接指向站点文件夹之外，已跳过")
                        .in_file(relative_display(content_dir, entry.path()))
                        .hint("把文件复制进站点，而不是链接到站点外面"),
                );
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(content_dir) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        match content_kind(&rel) {
            FileKind::Page => md.push((entry.path().to_path_buf(), rel)),
            FileKind::Asset => others.push(Asset {
                path: entry.path().to_path_buf(),
                rel,
            }),
            FileKind::Refused(d) => out
                .diagnostics
                .push(d.in_file(Path::new("content").join(&rel))),
        }
    }

    // Bundle folders: those holding an index.md. Everything under them belongs to the bundle.
    let bundles: Vec<String> = md
        .iter()
        .filter_map(|(_, rel)| rel.strip_suffix("/index.md").map(str::to_string))
        .collect();
    let bundle_index: HashMap<&str, usize> = bundles
        .iter()
        .enumerate()
        .map(|(i, b)| (b.as_str(), i))
        .collect();
    // The deepest bundle folder above `rel`, walking up its folders.
    let bundle_of = |rel: &str| -> Option<usize> {
        let mut dir = rel;
        while let Some(i) = dir.rfind('/') {
            dir = &dir[..i];
            if let Some(&b) = bundle_index.get(dir) {
                return Some(b);
            }
        }
        None
    };
    let mut bundle_assets: BTreeMap<usize, Vec<Asset>> = BTreeMap::new();
    for a in others {
        match bundle_of(&a.rel) {
            Some(i) => bundle_assets.entry(i).or_default().push(a),
            None => out.loose_assets.push(a),
        }
    }
    for (path, rel) in md {
        if let Some(b) = bundle_of(&rel)
            && !rel.ends_with("/index.md")
        {
            out.diagnostics.push(
                Diagnostic::warning(
                    "页面包（有 index.md 的文件夹）里的这个 Markdown 文件不会生成页面",
                )
                .in_file(Path::new("content").join(&rel))
                .hint(format!(
                    "把它移出 content/{}/，或改成 index.md 的一部分",
                    bundles[b]
                )),
            );
            continue;
        }
        let assets = rel
            .strip_suffix("/index.md")
            .and_then(|b| bundle_index.get(b))
            .and_then(|i| bundle_assets.remove(i))
            .unwrap_or_default();
        out.md.push(MdEntry {
            stamp: Stamp::of(&path),
            path,
            rel,
            assets,
        });
    }
    out
}

/// Walks and reads `content_dir` (files in parallel).
pub fn load(content_dir: &Path) -> Loaded {
    let scan = scan(content_dir);
    let mut out = Loaded {
        files: Vec::new(),
        loose_assets: scan.loose_assets,
        diagnostics: scan.diagnostics,
    };
    let read: Vec<Result<SourceFile, Diagnostic>> =
        scan.md.into_par_iter().map(read_entry).collect();
    for r in read {
        match r {
            Ok(f) => out.files.push(f),
            Err(d) => out.diagnostics.push(d),
        }
    }
    out
}

/// Reads one scanned file, attaching its bundle files.
pub fn read_entry(m: MdEntry) -> Result<SourceFile, Diagnostic> {
    let mut f = read_source(&m.path, &m.rel)?;
    f.assets = m.assets;
    Ok(f)
}

fn relative_display(root: &Path, p: &Path) -> PathBuf {
    match p.strip_prefix(root) {
        Ok(r) => Path::new("content").join(r),
        Err(_) => p.to_path_buf(),
    }
}

/// Reads and decodes one Markdown file, takes control characters out and
/// splits its front matter.
pub fn read_source(path: &Path, rel: &str) -> Result<SourceFile, Diagnostic> {
    let display = Path::new("content").join(rel);
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(format!("无法读取文件：{e}")).in_file(&display))?;
    let text = decode(&bytes).map_err(|d| d.in_file(&display))?;
    let (text, removed) = crate::controls::clean_file(text);
    let mut f = split(text, path, rel).map_err(|d| d.in_file(&display))?;
    f.removed = removed;
    Ok(f)
}

/// UTF-8 (with or without BOM). Anything else is an error that says how to fix it.
pub fn decode(bytes: &[u8]) -> Result<String, Diagnostic> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::error("文件是 UTF-16 编码，zhibu 只读 UTF-8")
            .at(None, 1, 1)
            .hint(SAVE_AS_UTF8));
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    // UTF-16 without a byte-order mark is valid UTF-8 full of NULs.
    if bytes.len() >= 8 && bytes.iter().filter(|&&b| b == 0).count() * 4 > bytes.len() {
        return Err(Diagnostic::error(
            "文件看起来是 UTF-16 编码（或者根本不是文本文件），zhibu 只读 UTF-8",
        )
        .at(None, 1, 1)
        .hint(SAVE_AS_UTF8));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(normalize_newlines(s)),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            // valid_up_to() marks the end of valid UTF-8, so this cannot fail.
            let good = std::str::from_utf8(good).unwrap_or("");
            let line = good.matches('\n').count() as u32 + 1;
            let col = good.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
            let gbk = encoding_rs::GBK
                .decode_without_bom_handling_and_without_replacement(bytes)
                .is_some();
            let message = if gbk {
                "文件不是 UTF-8 编码（看起来是 GBK，中文 Windows 记事本等编辑器的默认编码）"
            } else {
                "文件不是 UTF-8 编码"
            };
            Err(Diagnostic::error(message)
                .at(None, line, col)
                .hint(SAVE_AS_UTF8))
        }
    }
}

const SAVE_AS_UTF8: &str = "请把文件另存为 UTF-8：记事本选「另存为 → 编码：UTF-8」，\
VS Code 点右下角的编码 →「通过编码保存」→ UTF-8";

fn normalize_newlines(s: &str) -> String {
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s.to_string()
    }
}

/// Splits `---\nYAML\n---\nbody` (see [`crate::fences`] for the slips
/// around the fences that are understood).
pub fn split(text: String, path: &Path, rel: &str) -> Result<SourceFile, Diagnostic> {
    let f = crate::fences::split(&text)?;
    Ok(SourceFile {
        path: path.to_path_buf(),
        rel: rel.to_string(),
        front: f.front,
        body: f.body,
        front_line: f.front_line,
        body_line: f.body_line,
        text,
        assets: Vec::new(),
        removed: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_str(t: &str) -> Result<SourceFile, Diagnostic> {
        split(t.to_string(), Path::new("x.md"), "lessons/x.md")
    }

    #[test]
    fn splits_front_and_body() {
        let f = split_str("---\ntitle: 学习\n---\n正文\n").unwrap();
        assert_eq!(f.front(), "title: 学习\n");
        assert_eq!(f.body(), "正文\n");
        assert_eq!(f.front_line, 2);
        assert_eq!(f.body_line, 4);
    }

    #[test]
    fn bom_and_crlf() {
        let t = decode(b"\xEF\xBB\xBF---\r\ntitle: a\r\n---\r\nbody\r\n").unwrap();
        let f = split_str(&t).unwrap();
        assert_eq!(f.front(), "title: a\n");
        assert_eq!(f.body(), "body\n");
    }

    #[test]
    fn gbk_is_named() {
        let (gbk, _, _) = encoding_rs::GBK.encode("---\ntitle: 党章学习\n---\n");
        let e = decode(&gbk).unwrap_err();
        assert!(e.message.contains("GBK"), "{e}");
        assert_eq!(e.line, 2);
        assert!(e.hint.unwrap().contains("UTF-8"));
    }

    #[test]
    fn random_bytes_are_not_gbk() {
        let e = decode(b"---\ntitle: \xff\xff\xff\n").unwrap_err();
        assert!(!e.message.contains("GBK"), "{e}");
        assert!(e.message.contains("UTF-8"));
    }

    #[test]
    fn missing_front_matter_and_unclosed() {
        let e = split_str("# 标题\n").unwrap_err();
        assert!(e.message.contains("front matter"), "{e}");
        let e = split_str("---\ntitle: a\n正文").unwrap_err();
        assert!(e.message.contains("没有结束"), "{e}");
    }

    #[test]
    fn stems() {
        let f = split(
            "---\n---\n".into(),
            Path::new("x"),
            "activities/2024-wusi/index.md",
        )
        .unwrap();
        assert_eq!(f.stem(), "2024-wusi");
        assert_eq!(f.section(), "activities");
        assert_eq!(f.dir(), "activities/2024-wusi");
        let f = split("---\n---\n".into(), Path::new("x"), "about.md").unwrap();
        assert_eq!(f.stem(), "about");
        assert_eq!(f.section(), "");
    }
}
