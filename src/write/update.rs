//! Updating an output folder in place (issue 19), when its manifest shows
//! it as the last build left it: outputs whose key or contents are those of
//! the file already there are kept; the others are written into an
//! `incoming` folder beside the output while the build runs, and moved into
//! place, one `rename` each, only when the whole build succeeded. Files no
//! longer made are removed, and so is anything someone added to a folder
//! since, so that the folder ends exactly as a build from scratch leaves it.
//! A new file whose id is that of a file already in the folder under another
//! name (the search index's files, in a new versioned folder after an edit)
//! is a hard link to it: no bytes written, and no new inode to allocate.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use rustc_hash::{FxHashMap, FxHashSet};

use super::manifest::{Entry, Verified};
use super::{io_error, is_contained};
use crate::diagnostics::Diagnostic;
use crate::files::OutputFile;

/// The folder beside `output` that holds this build's changed files.
fn incoming_dir(output: &Path) -> PathBuf {
    super::sibling_dir(output, "incoming")
}

/// A file of this build: its path, its id, and its manifest entry when it
/// was kept as it was (else it is read from disk once it is in place).
pub(crate) type Made = (String, u128, Option<Entry>);

pub(crate) struct Update {
    output: PathBuf,
    incoming: PathBuf,
    old: Verified,
    /// Every file of this build: (path, id, its entry when kept as it was).
    ids: Mutex<Vec<Made>>,
    /// Files waiting in `incoming`.
    written: Mutex<Vec<String>>,
    made_dirs: Mutex<HashSet<PathBuf>>,
    /// See [`super::link`].
    link_from: Option<PathBuf>,
    /// The files in place by id, made when first needed.
    by_id: OnceLock<FxHashMap<u128, String>>,
}

impl Update {
    pub(crate) fn open(
        output: &Path,
        old: Verified,
        link_from: Option<PathBuf>,
    ) -> Result<Update, Diagnostic> {
        let incoming = incoming_dir(output);
        if fs::symlink_metadata(&incoming).is_ok() {
            // Left by a build that was killed.
            remove_any(&incoming)?;
        }
        Ok(Update {
            output: output.to_path_buf(),
            incoming,
            old,
            ids: Mutex::new(Vec::new()),
            written: Mutex::new(Vec::new()),
            made_dirs: Mutex::new(HashSet::new()),
            link_from,
            by_id: OnceLock::new(),
        })
    }

    /// True when `path` holds what `id` names (nothing is kept).
    pub(crate) fn holds(&self, path: &str, id: u128) -> bool {
        self.old.files.get(path).is_some_and(|e| e.id == id)
    }

    /// True (and the file is kept) when `path` holds what `id` names.
    pub(crate) fn keep(&self, path: &str, id: u128) -> bool {
        match self.old.files.get(path) {
            Some(e) if e.id == id => {
                lock(&self.ids).push((path.to_string(), id, Some(*e)));
                true
            }
            _ => false,
        }
    }

    /// Keeps the file when it is already there, else writes it into the
    /// incoming folder.
    pub(crate) fn put(&self, f: &OutputFile, id: u128) -> Result<(), Diagnostic> {
        if self.keep(&f.path, id) {
            return Ok(());
        }
        if !is_contained(&f.path) {
            return Err(Diagnostic::error(format!(
                "拒绝写到输出文件夹之外：{}",
                f.path
            )));
        }
        let dest = self.incoming.join(&f.path);
        if let Some(parent) = dest.parent()
            && !lock(&self.made_dirs).contains(parent)
        {
            fs::create_dir_all(parent).map_err(|e| io_error(e, parent))?;
            lock(&self.made_dirs).insert(parent.to_path_buf());
        }
        if !self.link_same(id, &dest) && !super::link(f, &dest, self.link_from.as_deref()) {
            let bytes = f.read().map_err(|e| match &f.data {
                crate::files::Data::Copy(src) => io_error(e, src),
                _ => io_error(e, &dest),
            })?;
            fs::write(&dest, &bytes).map_err(|e| io_error(e, &dest))?;
        }
        lock(&self.ids).push((f.path.clone(), id, None));
        lock(&self.written).push(f.path.clone());
        Ok(())
    }

    /// Links `dest` to the file in place that has `id` (equal ids are equal
    /// bytes); false when there is none or the link failed.
    fn link_same(&self, id: u128, dest: &Path) -> bool {
        let by_id = self.by_id.get_or_init(|| {
            let files = &self.old.files;
            files.iter().map(|(p, e)| (e.id, p.clone())).collect()
        });
        by_id
            .get(&id)
            .is_some_and(|p| fs::hard_link(self.output.join(p), dest).is_ok())
    }

    /// A failed build: the output stays as it was.
    pub(crate) fn abandon(self) {
        let _ = fs::remove_dir_all(&self.incoming);
    }

    /// Moves the written files into place, removes what is no longer made
    /// and returns every file of the output with its id (for the manifest).
    pub(crate) fn finish(self) -> Result<Vec<Made>, Diagnostic> {
        let ids = std::mem::take(&mut *lock(&self.ids));
        let written = std::mem::take(&mut *lock(&self.written));
        for path in &written {
            let from = self.incoming.join(path);
            let to = self.output.join(path);
            make_parent(&self.output, path)?;
            if fs::symlink_metadata(&to).is_ok_and(|m| m.is_dir()) {
                remove_any(&to)?;
            }
            fs::rename(&from, &to).map_err(|e| io_error(e, &to))?;
        }
        let wanted: FxHashSet<&str> = ids.iter().map(|(p, ..)| p.as_str()).collect();
        let mut emptied = Vec::new();
        for path in &self.old.known {
            if !wanted.contains(path.as_str()) {
                let p = self.output.join(path);
                if fs::symlink_metadata(&p).is_ok() {
                    remove_any(&p)?;
                }
                emptied.push(path.as_str());
            }
        }
        self.remove_strays(&wanted)?;
        for path in emptied {
            let mut p = path;
            while let Some(i) = p.rfind('/') {
                p = &p[..i];
                // Only empty folders go; remove_dir refuses the others.
                if fs::remove_dir(self.output.join(p)).is_err() {
                    break;
                }
            }
        }
        let _ = fs::remove_dir_all(&self.incoming);
        Ok(ids)
    }

    /// Entries of changed folders that this build did not make: gone, as a
    /// build from scratch would leave them.
    fn remove_strays(&self, wanted: &FxHashSet<&str>) -> Result<(), Diagnostic> {
        if self.old.changed_dirs.is_empty() {
            return Ok(());
        }
        let mut dirs: FxHashSet<&str> = FxHashSet::default();
        for path in wanted {
            let mut p = *path;
            while let Some(i) = p.rfind('/') {
                p = &p[..i];
                if !dirs.insert(p) {
                    break;
                }
            }
        }
        for d in &self.old.changed_dirs {
            let Ok(entries) = fs::read_dir(self.output.join(d)) else {
                continue;
            };
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                let rel = if d.is_empty() {
                    name
                } else {
                    format!("{d}/{name}")
                };
                if !wanted.contains(rel.as_str()) && !dirs.contains(rel.as_str()) {
                    remove_any(&e.path())?;
                }
            }
        }
        Ok(())
    }
}

impl crate::produce::Reuse for Update {
    fn keep(&self, path: &str, key: u128) -> bool {
        Update::keep(self, path, key)
    }

    fn holds(&self, path: &str, key: u128) -> bool {
        Update::holds(self, path, key)
    }
}

/// Makes the folders above `rel` in `output`, replacing a file that stands
/// where a folder must be.
fn make_parent(output: &Path, rel: &str) -> Result<(), Diagnostic> {
    let Some(i) = rel.rfind('/') else {
        return Ok(());
    };
    let dir = output.join(&rel[..i]);
    if fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
        return Ok(());
    }
    let mut at = output.to_path_buf();
    for part in rel[..i].split('/') {
        at.push(part);
        match fs::symlink_metadata(&at) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                fs::remove_file(&at).map_err(|e| io_error(e, &at))?;
                fs::create_dir(&at).map_err(|e| io_error(e, &at))?;
            }
            Err(_) => fs::create_dir(&at).map_err(|e| io_error(e, &at))?,
        }
    }
    Ok(())
}

fn remove_any(p: &Path) -> Result<(), Diagnostic> {
    let is_dir = fs::symlink_metadata(p).is_ok_and(|m| m.is_dir());
    let r = if is_dir {
        fs::remove_dir_all(p)
    } else {
        fs::remove_file(p)
    };
    r.map_err(|e| io_error(e, p))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
