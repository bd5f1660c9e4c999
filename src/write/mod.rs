//! Stage 6: write everything into a staging folder beside the output and
//! swap it in only when the whole build succeeded — or, when the build
//! cache's manifest shows the output as the last build left it, only the
//! files that changed, moved into place at the end ([`update`]). Either way
//! a failed build leaves the previous output untouched, byte for byte.

pub(crate) mod manifest;
pub(crate) mod reads;
pub(crate) mod update;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::files::{Data, OutputFile};

/// Refuses output folders whose replacement would destroy someone's work:
/// the site itself, a parent of it, a home folder, or a non-empty folder that
/// does not look like an earlier zhibu output.
pub fn check_output_dir(output: &Path, site_root: &Path) -> Result<(), Diagnostic> {
    let out_abs = absolute(output);
    let root_abs = absolute(site_root);
    let refuse = |why: &str| {
        Err(
            Diagnostic::error(format!("不能把网站输出到 {}：{why}", output.display()))
                .hint("用 --output 指定一个新的空文件夹，例如 public/"),
        )
    };
    if out_abs.parent().is_none() {
        return refuse("这是根目录");
    }
    if root_abs.starts_with(&out_abs) {
        return refuse("它包含站点本身，输出时会被整个替换");
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from)
        && absolute(&home) == out_abs
    {
        return refuse("这是用户主目录");
    }
    if out_abs.is_file() {
        return refuse("这是一个文件");
    }
    if out_abs.is_dir() {
        let looks_like_site = out_abs.join("site.toml").exists()
            || out_abs.join("content").is_dir()
            || out_abs.join(".git").exists();
        if looks_like_site {
            return refuse("里面有 site.toml、content/ 或 .git，看起来是别的站点或仓库");
        }
        let empty = std::fs::read_dir(&out_abs)
            .map(|mut d| d.next().is_none())
            .unwrap_or(true);
        let ours = out_abs.join("index.html").is_file() && out_abs.join("sitemap.xml").is_file();
        if !empty && !ours {
            return refuse("文件夹不是空的，也不像 zhibu 以前生成的网站；里面的文件会被删除");
        }
    }
    Ok(())
}

fn absolute(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    // Canonicalize what exists, so that `public/..` and symlinks compare right.
    std::fs::canonicalize(&abs).unwrap_or_else(|_| {
        let mut out = PathBuf::new();
        for c in abs.components() {
            match c {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::CurDir => {}
                c => out.push(c),
            }
        }
        out
    })
}

/// True when `rel` stays inside the folder it is joined to.
pub fn is_contained(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.starts_with('/')
        && !rel.contains('\\')
        && !rel.contains(':')
        && rel
            .split('/')
            .all(|s| !s.is_empty() && s != ".." && s != ".")
}

/// The staging folder beside `output`: `.public.zhibu-staging`. It holds the
/// build before last between builds, so that the next build rewrites only
/// the files that changed (no inode churn, and unchanged files keep their
/// modification times for rsync).
pub fn staging_dir(output: &Path) -> PathBuf {
    sibling_dir(output, "staging")
}

/// `.<output name>.zhibu-<what>` beside `output`: the folders a build
/// keeps next to the output (staging, incoming).
pub(crate) fn sibling_dir(output: &Path, what: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into());
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!(".{name}.zhibu-{what}"))
}

/// Writes `files` into `output`, atomically replacing what was there.
pub fn write_output(output: &Path, files: &[OutputFile]) -> Result<(), Diagnostic> {
    let staging = Staging::open(output)?;
    files.par_iter().try_for_each(|f| staging.put(f))?;
    staging.finish()
}

/// Where this build's files go: the staging folder (everything written)
/// or an update in place (only what changed). Both take each file with
/// its id — the key it was made from, or [`content_id`] — which the
/// manifest keeps for the next build.
pub(crate) enum Writer {
    Staging(Staging, Mutex<Vec<update::Made>>),
    Update(update::Update),
}

impl Writer {
    /// An update in place when `previous` (the verified manifest) is
    /// given, else the staging folder.
    /// `link_from`: a folder whose files never change in place (the build
    /// cache's blobs); copies of its files are hard links ([`link`]).
    pub(crate) fn open(
        output: &Path,
        previous: Option<manifest::Verified>,
        link_from: Option<&Path>,
    ) -> Result<Writer, Diagnostic> {
        let link_from = link_from.map(Path::to_path_buf);
        Ok(match previous {
            Some(v) => Writer::Update(update::Update::open(output, v, link_from)?),
            None => Writer::Staging(
                Staging::open(output)?.linking(link_from),
                Mutex::new(Vec::new()),
            ),
        })
    }

    pub(crate) fn put(&self, f: &OutputFile, id: u128) -> Result<(), Diagnostic> {
        match self {
            Writer::Staging(s, ids) => {
                s.put(f)?;
                ids.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((f.path.clone(), id, None));
                Ok(())
            }
            Writer::Update(u) => u.put(f, id),
        }
    }

    /// A failed build: nothing of it reaches the output.
    pub(crate) fn abandon(self) {
        if let Writer::Update(u) = self {
            u.abandon();
        }
    }

    /// Puts the build in place; returns every file of the output with its
    /// id (and its manifest entry when it was kept as it was).
    pub(crate) fn finish(self) -> Result<Vec<update::Made>, Diagnostic> {
        match self {
            Writer::Staging(s, ids) => {
                s.finish()?;
                Ok(ids.into_inner().unwrap_or_else(|e| e.into_inner()))
            }
            Writer::Update(u) => u.finish(),
        }
    }
}

impl crate::produce::Reuse for Writer {
    fn keep(&self, path: &str, key: u128) -> bool {
        match self {
            Writer::Staging(..) => false,
            Writer::Update(u) => u.keep(path, key),
        }
    }

    fn holds_any(&self) -> bool {
        matches!(self, Writer::Update(_))
    }

    fn holds(&self, path: &str, key: u128) -> bool {
        match self {
            Writer::Staging(..) => false,
            Writer::Update(u) => u.holds(path, key),
        }
    }
}

/// Puts `f` at `dest` as a hard link when it is a copy of a file under
/// `link_from` (the build cache's blobs, or its scratch folder: files that
/// are never changed in place, only replaced) and the file system allows;
/// false when `f` must be written instead. 300 photos' copies are then
/// 1 200 links instead of 120 MB copied; pages and the editor's own files
/// are always written.
pub(crate) fn link(f: &OutputFile, dest: &Path, link_from: Option<&Path>) -> bool {
    let (Data::Copy(src), Some(dir)) = (&f.data, link_from) else {
        return false;
    };
    if !src.starts_with(dir) {
        return false;
    }
    if same_file(src, dest) {
        return true;
    }
    let cleared = match std::fs::symlink_metadata(dest) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(dest).is_ok(),
        Ok(_) => std::fs::remove_file(dest).is_ok(),
        Err(_) => true,
    };
    cleared && std::fs::hard_link(src, dest).is_ok()
}

#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::symlink_metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &Path, _: &Path) -> bool {
    false
}

/// Whether the file at `p` has other names (hard links).
#[cfg(unix)]
fn shared(p: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(p).is_ok_and(|m| m.nlink() > 1)
}

#[cfg(not(unix))]
fn shared(_: &Path) -> bool {
    false
}

/// The id of a file made without a key: a hash of its bytes, or for a
/// copied file a hash of the source's path, length, time and inode (as
/// rsync's quick check: a changed source has a new time). Files under
/// `named_by_content` (the build cache, whose entries are named by the hash
/// of what they hold and never change in place) go by path and length
/// alone: the cache touches an entry it uses, and that must not make the
/// output look changed.
pub(crate) fn content_id(f: &OutputFile, named_by_content: Option<&Path>) -> u128 {
    use xxhash_rust::xxh3::{Xxh3, xxh3_128};
    match &f.data {
        Data::Bytes(b) => xxh3_128(b),
        Data::Static(b) => xxh3_128(b),
        Data::Copy(src) => {
            let mut h = Xxh3::new();
            h.update(b"copy\0");
            h.update(src.as_os_str().as_encoded_bytes());
            if let Ok(m) = std::fs::metadata(src) {
                h.update(&m.len().to_le_bytes());
                if !named_by_content.is_some_and(|d| src.starts_with(d)) {
                    h.update(&manifest::mtime(&m).to_le_bytes());
                    #[cfg(unix)]
                    {
                        use std::os::unix::fs::MetadataExt;
                        h.update(&m.ino().to_le_bytes());
                    }
                }
            }
            h.digest128()
        }
    }
}

pub(crate) fn io_error(e: std::io::Error, what: &Path) -> Diagnostic {
    Diagnostic::error(format!("写入 {} 失败：{e}", what.display())).hint("检查磁盘空间和文件夹权限")
}

/// The staging folder of one build, filled file by file from many threads
/// (pages are written as they are rendered, so a big site is never held in
/// memory whole), then swapped in. Unchanged files are left alone; files
/// this build did not write are removed at the end.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    /// See [`link`].
    link_from: Option<PathBuf>,
    written: Mutex<HashSet<String>>,
    made_dirs: Mutex<HashSet<PathBuf>>,
}

impl Staging {
    pub fn open(output: &Path) -> Result<Staging, Diagnostic> {
        let dir = staging_dir(output);
        if dir.is_file() || dir.is_symlink() {
            std::fs::remove_file(&dir).map_err(|e| io_error(e, &dir))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| io_error(e, &dir))?;
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            link_from: None,
            written: Mutex::new(HashSet::new()),
            made_dirs: Mutex::new(HashSet::new()),
        })
    }

    /// The same, putting copies of files under `dir` as hard links.
    pub(crate) fn linking(mut self, dir: Option<PathBuf>) -> Staging {
        self.link_from = dir;
        self
    }

    /// Writes one file (unless an identical one is already there).
    pub fn put(&self, f: &OutputFile) -> Result<(), Diagnostic> {
        if !is_contained(&f.path) {
            return Err(Diagnostic::error(format!(
                "拒绝写到输出文件夹之外：{}",
                f.path
            )));
        }
        let dest = self.dir.join(&f.path);
        if let Some(parent) = dest.parent() {
            let known = self
                .made_dirs
                .lock()
                .map(|d| d.contains(parent))
                .unwrap_or(false);
            if !known {
                if parent.is_file() {
                    std::fs::remove_file(parent).map_err(|e| io_error(e, parent))?;
                }
                std::fs::create_dir_all(parent).map_err(|e| io_error(e, parent))?;
                if let Ok(mut d) = self.made_dirs.lock() {
                    d.insert(parent.to_path_buf());
                }
            }
        }
        if link(f, &dest, self.link_from.as_deref()) {
            if let Ok(mut w) = self.written.lock() {
                w.insert(f.path.clone());
            }
            return Ok(());
        }
        let bytes = f.read().map_err(|e| match &f.data {
            Data::Copy(src) => io_error(e, src),
            _ => io_error(e, &dest),
        })?;
        let same = std::fs::metadata(&dest)
            .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
            && std::fs::read(&dest).is_ok_and(|old| old == *bytes);
        if !same {
            if dest.is_dir() {
                std::fs::remove_dir_all(&dest).map_err(|e| io_error(e, &dest))?;
            } else if shared(&dest) {
                // A hard link (to a cache blob, or to another output with the
                // same bytes): writing through it would change the others.
                std::fs::remove_file(&dest).map_err(|e| io_error(e, &dest))?;
            }
            std::fs::write(&dest, &bytes).map_err(|e| io_error(e, &dest))?;
        }
        if let Ok(mut w) = self.written.lock() {
            w.insert(f.path.clone());
        }
        Ok(())
    }

    /// Removes what this build did not write and swaps the folder in.
    pub fn finish(self) -> Result<(), Diagnostic> {
        let wanted = self.written.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut dirs = Vec::new();
        for e in walkdir::WalkDir::new(&self.dir)
            .min_depth(1)
            .contents_first(true)
            .into_iter()
            .flatten()
        {
            let Ok(rel) = e.path().strip_prefix(&self.dir) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if e.file_type().is_dir() {
                dirs.push(e.path().to_path_buf());
            } else if !wanted.contains(rel.as_str()) {
                std::fs::remove_file(e.path()).map_err(|err| io_error(err, e.path()))?;
            }
        }
        for d in dirs {
            // Only empty folders go; remove_dir refuses the others.
            let _ = std::fs::remove_dir(d);
        }
        swap_in(&self.dir, &self.output)
    }
}

/// Puts `staging` where `output` is, keeping the previous output as the next
/// staging folder. On Linux the two folders are exchanged in one step
/// (renameat2 with RENAME_EXCHANGE), so a server reading the output never
/// sees it missing.
fn swap_in(staging: &Path, output: &Path) -> Result<(), Diagnostic> {
    let fail = |e: std::io::Error| {
        Diagnostic::error(format!("无法替换输出文件夹 {}：{e}", output.display()))
            .hint("检查文件夹权限，或关闭正在使用它的程序")
    };
    if !output.exists() {
        return std::fs::rename(staging, output).map_err(fail);
    }
    if exchange(staging, output) {
        return Ok(());
    }
    let old = staging.with_extension("old");
    let _ = std::fs::remove_dir_all(&old);
    std::fs::rename(output, &old).map_err(fail)?;
    if let Err(e) = std::fs::rename(staging, output) {
        // Put the previous site back.
        let _ = std::fs::rename(&old, output);
        return Err(fail(e));
    }
    let _ = std::fs::rename(&old, staging);
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let (Ok(ca), Ok(cb)) = (
        CString::new(a.as_os_str().as_bytes()),
        CString::new(b.as_os_str().as_bytes()),
    ) else {
        return false;
    };
    // SAFETY: both arguments are valid NUL-terminated paths that outlive the call;
    // renameat2 only reads them.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    rc == 0
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests;
