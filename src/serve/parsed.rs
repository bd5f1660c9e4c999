//! The content files as `serve` keeps them between edits: each parsed once
//! and kept with the size, time and inode it was parsed at, so that an edit
//! re-reads only the files it touched. A file added or removed can turn
//! another file's broken link into a good one, so then every file is
//! parsed again.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{self, MdEntry, Scan, Stamp};
use crate::model::{self, Site};
use crate::parse::{self, ParsedPage};
use crate::session::Session;

/// One parsed file and the stamp it was parsed at.
#[derive(Clone)]
pub(super) struct Cached {
    stamp: Stamp,
    pub(super) page: Option<Arc<ParsedPage>>,
    diagnostics: Vec<Diagnostic>,
}

/// What [`Parsed::update`] did.
pub(super) struct Update {
    /// Content files read again, with what was cached for each before.
    pub(super) replaced: Vec<(String, Option<Cached>)>,
    /// Files were added or removed: every file was parsed again.
    pub(super) new_files: bool,
}

pub(super) struct Parsed {
    cache: HashMap<String, Cached>,
    /// Every file under content/ at the last update.
    file_set: HashSet<String>,
    /// The last walk of content/. Edits of known files keep it (the order
    /// of files and the loose files are all the model takes from it).
    pub(super) scan: Scan,
}

impl Parsed {
    /// Walks content/ and parses every file.
    pub(super) fn new(s: &Session) -> Parsed {
        let mut p = Parsed {
            cache: HashMap::new(),
            file_set: HashSet::new(),
            scan: load::scan(&s.content_dir()),
        };
        p.parse_scanned(s, true);
        p
    }

    pub(super) fn get(&self, rel: &str) -> Option<&Cached> {
        self.cache.get(rel)
    }

    /// Reads what changed. `paths` are the watcher's hints (absolute, under
    /// `root`): when they name only known Markdown files, only those are
    /// read; otherwise content/ is walked again.
    pub(super) fn update(&mut self, s: &Session, root: &Path, paths: &[PathBuf]) -> Update {
        if let Some(replaced) = self.reparse_known(s, root, paths) {
            return Update {
                replaced,
                new_files: false,
            };
        }
        self.scan = load::scan(&s.content_dir());
        let before = self.file_set.clone();
        let set: HashSet<String> = self.scan.all_files().map(str::to_string).collect();
        let new_files = set != before;
        let replaced = self.parse_scanned(s, new_files);
        Update {
            replaced,
            new_files,
        }
    }

    /// Errors of single files (a file with an error is not a page).
    pub(super) fn errors(&self) -> Diagnostics {
        Diagnostics(
            self.cache
                .values()
                .flat_map(|c| c.diagnostics.iter().filter(|d| d.is_error()).cloned())
                .collect(),
        )
    }

    /// Every file's diagnostics.
    pub(super) fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.cache.values().flat_map(|c| c.diagnostics.iter())
    }

    /// The site model from the parsed files, taking what it can from
    /// `previous`; errors of any file or of the model stop it.
    pub(super) fn assemble(
        &self,
        s: &Session,
        previous: Option<&Site>,
    ) -> Result<(Site, Diagnostics), Diagnostics> {
        let mut diags = self.scan.diagnostics.clone();
        let parsed: Vec<Arc<ParsedPage>> = self
            .scan
            .md
            .iter()
            .filter_map(|m| self.cache.get(&m.rel)?.page.clone())
            .collect();
        diags.extend(self.errors());
        let (site, model_diags) = model::assemble_after(
            s.config.clone(),
            parsed,
            self.scan.loose_assets.clone(),
            &s.build_options(),
            previous,
        );
        diags.extend(model_diags);
        if diags.has_errors() {
            return Err(diags.sorted());
        }
        Ok((site, diags.sorted()))
    }

    /// Parses the scanned files whose stamp changed (or all of them);
    /// returns the entries it replaced.
    fn parse_scanned(&mut self, s: &Session, all: bool) -> Vec<(String, Option<Cached>)> {
        self.file_set = self.scan.all_files().map(str::to_string).collect();
        let known: HashSet<&str> = self.scan.md.iter().map(|m| m.rel.as_str()).collect();
        self.cache.retain(|k, _| known.contains(k.as_str()));
        let ctx = s.parse_context(&self.file_set);
        let cache = &self.cache;
        let fresh: Vec<(String, Cached)> = self
            .scan
            .md
            .par_iter()
            .filter(|m| all || cache.get(&m.rel).is_none_or(|c| c.stamp != m.stamp))
            .map(|m| (m.rel.clone(), parse_entry(m.clone(), &ctx)))
            .collect();
        fresh
            .into_iter()
            .map(|(k, c)| {
                let old = self.cache.insert(k.clone(), c);
                (k, old)
            })
            .collect()
    }

    /// Re-parses the Markdown files named by `paths` when all of them are
    /// files of the site already; `None` when a walk is needed (new or
    /// removed files, folders, other files).
    fn reparse_known(
        &mut self,
        s: &Session,
        root: &Path,
        paths: &[PathBuf],
    ) -> Option<Vec<(String, Option<Cached>)>> {
        let content = root.join("content");
        let mut todo: Vec<(String, PathBuf, Stamp)> = Vec::new();
        for p in paths {
            let rel = p
                .strip_prefix(&content)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let known = self.file_set.contains(&rel);
            if !known && !p.exists() {
                // Made and gone within the burst: an editor's temporary
                // file, renamed over the real one (which is named too).
                continue;
            }
            if !known || !p.is_file() {
                return None;
            }
            if let Some(c) = self.cache.get(&rel) {
                let stamp = Stamp::of(p);
                if c.stamp != stamp && !todo.iter().any(|(r, _, _)| *r == rel) {
                    todo.push((rel, p.clone(), stamp));
                }
            }
            // other files (photos …) are read when served: nothing to do
        }
        let ctx = s.parse_context(&self.file_set);
        let mut replaced = Vec::new();
        for (rel, path, stamp) in todo {
            let assets = self
                .cache
                .get(&rel)
                .and_then(|c| c.page.as_ref())
                .map(|p| p.file.assets.clone())
                .unwrap_or_default();
            let entry = MdEntry {
                path,
                rel: rel.clone(),
                stamp,
                assets,
            };
            let old = self.cache.insert(rel.clone(), parse_entry(entry, &ctx));
            replaced.push((rel, old));
        }
        Some(replaced)
    }
}

fn parse_entry(m: MdEntry, ctx: &parse::ParseContext) -> Cached {
    let stamp = m.stamp;
    let (page, diagnostics) = match load::read_entry(m) {
        Ok(f) => parse::parse_file(f, ctx),
        Err(d) => (None, vec![d]),
    };
    Cached {
        stamp,
        page: page.map(Arc::new),
        diagnostics,
    }
}
