//! The site as `serve` keeps it between edits: parsed files cached by size,
//! modification time and inode, the last good output in memory, and a rebuild
//! that re-parses only changed files and re-renders only the pages an edit
//! can show up on.
//!
//! Four paths, from cheapest:
//! - a body edit (front matter and headings unchanged) is patched into the
//!   current site: that page, plus the list pages showing its summary;
//! - a front matter edit that keeps the page's URL and headings (a new
//!   title, date, tags …) is patched in too, and the lists are arranged
//!   again: that page, its neighbours (course, participants) and the list
//!   pages it is on;
//! - other content edits re-assemble the site model and re-render the same;
//! - added or removed files, site.toml or theme changes rebuild everything.
//!
//! Which pages an edit shows up on is worked out in `jobs.rs`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::Utc;
use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{self, Scan, Stamp};
use crate::model::{self, BuildOptions, PageId, Site};
use crate::outputs::{self, OutputFile};
use crate::parse::privacy::Allow;
use crate::parse::{self, ParseContext, ParsedPage};
use crate::pipeline::{self, Options};
use crate::render::contexts::Job;
use crate::render::theme::Theme;
use crate::render::{self, Renderer};
use crate::serve::jobs::{Shown, affected, lists_showing, patched_jobs};

/// One parsed file and the stamp it was parsed at.
#[derive(Clone)]
struct Cached {
    stamp: Stamp,
    page: Option<Arc<ParsedPage>>,
    diagnostics: Vec<Diagnostic>,
}

/// What changed on disk, as far as the watcher can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Only files under content/.
    Content,
    /// site.toml, the theme, templates/ or static/: everything again.
    Everything,
}

pub struct LiveSite {
    opts: Options,
    config: Config,
    theme: Theme,
    renderer: Renderer,
    cache: HashMap<String, Cached>,
    /// Every content file at the last rebuild (a new or removed file can
    /// change other files' link checks, so then everything is parsed again).
    file_set: HashSet<String>,
    /// The last walk of content/. Edits of known files keep it (the order
    /// of files and the loose files are all the model takes from it).
    scan: Scan,
    site: Arc<Site>,
    /// Warnings of the model (not of single files) at the last assembly.
    model_warnings: Diagnostics,
    /// The output by path, without the search index (which `serve` keeps
    /// apart and rebuilds in the background).
    pub files: BTreeMap<String, Arc<OutputFile>>,
    /// Warnings of the last good build.
    pub warnings: Diagnostics,
    /// Content files saved since the last good rebuild (the ones after it
    /// failed were not rendered).
    pending: Vec<String>,
}

/// What one rebuild did, for the log line.
#[derive(Debug)]
pub struct Rebuilt {
    pub parsed: usize,
    pub rendered: usize,
}

/// The search index of a site, by path (slow on big sites: `serve` builds
/// it on another thread after the pages have reloaded).
pub fn search_index(site: &Site) -> BTreeMap<String, Arc<OutputFile>> {
    outputs::search_files(site)
        .into_iter()
        .map(|f| (f.path.clone(), Arc::new(f)))
        .collect()
}

impl LiveSite {
    /// The first, full build.
    pub fn new(opts: Options) -> Result<LiveSite, Diagnostics> {
        let config = pipeline::load_config(&opts)?;
        let theme = Theme::load(&opts.root, &config.theme)?;
        let scan = load::scan(&opts.root.join("content"));
        let mut cache = HashMap::new();
        let (file_set, _) = parse_into(&scan, &config, &mut cache, None);
        let (site, model_warnings) = assemble(&opts, &config, &scan, &cache, None)?;
        let renderer = Renderer::new(&theme, &site)?;
        let mut live = LiveSite {
            opts,
            config,
            theme,
            renderer,
            cache,
            file_set,
            scan,
            site: Arc::new(site),
            model_warnings,
            files: BTreeMap::new(),
            warnings: Diagnostics::new(),
            pending: Vec::new(),
        };
        live.render_all()?;
        live.collect_warnings();
        Ok(live)
    }

    pub fn site(&self) -> Arc<Site> {
        self.site.clone()
    }

    /// Re-reads what changed and updates the output. `paths` are the
    /// watcher's hints (absolute, under `root`). On error the previous
    /// output stays in place and the diagnostics are returned.
    pub fn rebuild(
        &mut self,
        change: Change,
        root: &Path,
        paths: &[PathBuf],
    ) -> Result<Rebuilt, Diagnostics> {
        let mut changed = Vec::new();
        let result = self.try_rebuild(change, root, paths, &mut changed);
        if result.is_ok() {
            self.pending.clear();
        } else {
            add_new(&mut self.pending, &changed);
        }
        result
    }

    /// [`rebuild`](Self::rebuild), telling `changed` which files it tried.
    fn try_rebuild(
        &mut self,
        change: Change,
        root: &Path,
        paths: &[PathBuf],
        changed: &mut Vec<String>,
    ) -> Result<Rebuilt, Diagnostics> {
        if change == Change::Everything {
            let fresh = LiveSite::new(self.opts.clone())?;
            let parsed = fresh.cache.len();
            *self = fresh;
            return Ok(Rebuilt {
                parsed,
                rendered: self.files.len(),
            });
        }
        // Edits of known files need no walk of content/; anything else does.
        let replaced = match self.reparse_known(root, paths) {
            Some(r) => r,
            None => {
                let scan = load::scan(&self.opts.root.join("content"));
                let (file_set, replaced) =
                    parse_into(&scan, &self.config, &mut self.cache, Some(&self.file_set));
                self.scan = scan;
                if file_set != self.file_set {
                    self.file_set = file_set;
                    return self.reassemble(&[], true, replaced.len());
                }
                replaced
            }
        };
        changed.extend(replaced.iter().map(|(k, _)| k.clone()));
        // Files saved while the site had errors were never rendered: they
        // go along, and the model is assembled again from every file.
        let retry = !self.pending.is_empty();
        add_new(changed, &self.pending);
        let changed: &[String] = changed;
        let file_errors = Diagnostics(
            self.cache
                .values()
                .flat_map(|c| c.diagnostics.iter().filter(|d| d.is_error()).cloned())
                .collect(),
        );
        if file_errors.has_errors() {
            return Err(file_errors.sorted());
        }
        if changed.is_empty() {
            return Ok(Rebuilt {
                parsed: 0,
                rendered: 0,
            });
        }
        if retry {
            return self.reassemble(changed, false, changed.len());
        }
        // Quickest: body edits patched into the current site.
        if let Some(jobs) = self.patch(changed, &replaced) {
            let n = self.render(&jobs?)?;
            self.collect_warnings();
            return Ok(Rebuilt {
                parsed: changed.len(),
                rendered: n,
            });
        }
        if let Some(rebuilt) = self.patch_front(changed) {
            return rebuilt;
        }
        self.reassemble(changed, false, changed.len())
    }

    /// Re-parses the Markdown files named by `paths` when all of them are
    /// files of the site already; `None` when a walk is needed (new or
    /// removed files, folders, other files).
    fn reparse_known(
        &mut self,
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
            if self.cache.contains_key(&rel) {
                let stamp = Stamp::of(p);
                if self.cache.get(&rel).is_some_and(|c| c.stamp != stamp)
                    && !todo.iter().any(|(r, _, _)| *r == rel)
                {
                    todo.push((rel, p.clone(), stamp));
                }
            }
            // other files (photos …) are read when served: nothing to do
        }
        let allow = Allow::new(&self.config.privacy.allow);
        let ctx = ParseContext {
            offset: self.config.offset(),
            allow: &allow,
            files: &self.file_set,
        };
        let mut replaced = Vec::new();
        for (rel, path, stamp) in todo {
            let assets = self
                .cache
                .get(&rel)
                .and_then(|c| c.page.as_ref())
                .map(|p| p.file.assets.clone())
                .unwrap_or_default();
            let entry = load::MdEntry {
                path,
                rel: rel.clone(),
                stamp,
                assets,
            };
            let (page, diagnostics) = match load::read_entry(entry) {
                Ok(f) => parse::parse_file(f, &ctx),
                Err(d) => (None, vec![d]),
            };
            let old = self.cache.insert(
                rel.clone(),
                Cached {
                    stamp,
                    page: page.map(Arc::new),
                    diagnostics,
                },
            );
            replaced.push((rel, old));
        }
        Some(replaced)
    }

    /// Front matter edits that keep every page in its place, patched into
    /// the site; `None` when some edit moves a page (new URL or headings,
    /// now a draft, not a page).
    fn patch_front(&mut self, changed: &[String]) -> Option<Result<Rebuilt, Diagnostics>> {
        let opts = build_options(&self.opts, &self.config);
        let mut edits = Vec::new();
        for rel in changed {
            let id = self.site.pages.iter().position(|p| p.source == *rel)?;
            let new = self.cache.get(rel)?.page.clone()?;
            if !model::keeps_place(&self.site, id, &new, &opts) {
                return None;
            }
            edits.push((id, new));
        }
        let ids: Vec<PageId> = edits.iter().map(|(id, _)| *id).collect();
        let site = Arc::make_mut(&mut self.site);
        let (earlier, diags) = match model::patch_pages(site, edits, &opts) {
            Ok(r) => r,
            Err(d) => return Some(Err(d)),
        };
        let rendered = match patched_jobs(&earlier, &self.site, &ids) {
            Some(jobs) => self.render(&jobs),
            None => self.render_all().map(|_| self.files.len()),
        };
        let rendered = match rendered {
            Ok(n) => n,
            Err(d) => {
                model::unpatch(Arc::make_mut(&mut self.site), &earlier, &opts);
                return Some(Err(d));
            }
        };
        let mut warnings = self.scan.diagnostics.clone();
        warnings.extend(diags);
        self.model_warnings = warnings.sorted();
        self.collect_warnings();
        Some(Ok(Rebuilt {
            parsed: changed.len(),
            rendered,
        }))
    }

    /// The slower path: a new site model, then the affected pages (or all).
    fn reassemble(
        &mut self,
        changed: &[String],
        all: bool,
        parsed: usize,
    ) -> Result<Rebuilt, Diagnostics> {
        let (site, model_warnings) = assemble(
            &self.opts,
            &self.config,
            &self.scan,
            &self.cache,
            Some(&self.site),
        )?;
        let old = std::mem::replace(&mut self.site, Arc::new(site));
        self.model_warnings = model_warnings;
        self.renderer.set_site(&self.site);
        let jobs = if all {
            None
        } else {
            affected(&old, &self.site, changed)
        };
        let result = match jobs {
            None => self.render_all().map(|_| self.files.len()),
            Some(jobs) => self.render(&jobs),
        };
        match result {
            Ok(n) => {
                self.collect_warnings();
                // Freeing a big site's model takes a noticeable moment
                // (10 000 pages: over 100 ms); the reload need not wait for it.
                std::thread::spawn(move || drop(old));
                Ok(Rebuilt {
                    parsed,
                    rendered: n,
                })
            }
            Err(d) => {
                self.site = old;
                self.renderer.set_site(&self.site);
                Err(d)
            }
        }
    }

    /// Patches body-only edits into the site; `None` when an edit is more
    /// than that (front matter, headings, a file that is not a page). A
    /// broken link in the new body is an error and changes nothing.
    fn patch(
        &mut self,
        changed: &[String],
        replaced: &[(String, Option<Cached>)],
    ) -> Option<Result<Vec<Job>, Diagnostics>> {
        let before: HashMap<&str, &Cached> = replaced
            .iter()
            .filter_map(|(k, c)| Some((k.as_str(), c.as_ref()?)))
            .collect();
        let by_source: HashMap<&str, PageId> = self
            .site
            .pages
            .iter()
            .map(|p| (p.source.as_str(), p.id))
            .collect();
        let mut edits = Vec::new();
        for rel in changed {
            let id = *by_source.get(rel.as_str())?;
            let new = self.cache.get(rel)?.page.clone()?;
            let old = before.get(rel.as_str())?.page.as_ref()?;
            if new.front != old.front || new.md.anchors != old.md.anchors || new.kind != old.kind {
                return None;
            }
            edits.push((id, new));
        }
        let changed_ids: Vec<PageId> = edits.iter().map(|(id, _)| *id).collect();
        let site = Arc::make_mut(&mut self.site);
        let cards = match model::patch_bodies(site, edits) {
            Ok(c) => c,
            Err(d) => return Some(Err(d)),
        };
        let mut jobs: Vec<Job> = changed_ids.iter().map(|&id| Job::Page(id)).collect();
        jobs.push(Job::Atom);
        for id in cards {
            // Same pages in the same order: only the lists showing it (the
            // lists kept their shape, so this is never `None`).
            jobs.extend(lists_showing(Shown::of(site, id), Shown::of(site, id), id)?);
        }
        Some(Ok(jobs))
    }

    fn render(&mut self, jobs: &[Job]) -> Result<usize, Diagnostics> {
        let mut jobs = jobs.to_vec();
        jobs.sort_by_key(|j| format!("{j:?}"));
        jobs.dedup();
        let (files, d) = render::render_jobs(&self.site, &self.renderer, &jobs);
        if d.has_errors() {
            return Err(d);
        }
        let n = files.len();
        for f in files {
            self.files.insert(f.path.clone(), Arc::new(f));
        }
        // The calendar shows activities only (10 000 pages: a 2 MB file).
        let activity =
            |j: &Job| matches!(j, Job::Page(id) if self.site.pages[*id].activity.is_some());
        if jobs.iter().any(activity) {
            let cal = outputs::calendar_file(&self.site);
            self.files.insert(cal.path.clone(), Arc::new(cal));
        }
        Ok(n)
    }

    /// Renders every page and regenerates everything but the search index.
    fn render_all(&mut self) -> Result<(), Diagnostics> {
        let (mut files, d) = render::render_site(&self.site, &self.renderer);
        if d.has_errors() {
            return Err(d);
        }
        files.push(outputs::calendar_file(&self.site));
        // QR codes depend only on the URL: keep the ones already made.
        let have: HashSet<&str> = self.files.keys().map(String::as_str).collect();
        files.extend(outputs::qr_files(&self.site, |p| {
            !have.contains(format!("{}qr.svg", p.path).as_str())
        }));
        files.extend(outputs::assets::files(&self.site, &self.theme));
        let mut map: BTreeMap<String, Arc<OutputFile>> = files
            .into_iter()
            .map(|f| (f.path.clone(), Arc::new(f)))
            .collect();
        for p in &self.site.pages {
            let qr = format!("{}qr.svg", p.path);
            if let (false, Some(old)) = (map.contains_key(&qr), self.files.get(&qr)) {
                map.insert(qr, old.clone());
            }
        }
        self.files = map;
        Ok(())
    }

    fn collect_warnings(&mut self) {
        let mut w = self.model_warnings.clone();
        w.extend(self.theme.warnings.iter().cloned());
        w.extend(
            self.cache
                .values()
                .flat_map(|c| c.diagnostics.iter().cloned()),
        );
        self.warnings = w.sorted();
    }
}

/// Parses the scanned files into `cache`: only those whose stamp changed,
/// or all of them when the set of files differs from `previous` (a file
/// added or removed can turn another file's broken link into a good one).
/// Returns the set of content files and the entries it replaced.
#[allow(clippy::type_complexity)]
fn parse_into(
    scan: &Scan,
    config: &Config,
    cache: &mut HashMap<String, Cached>,
    previous: Option<&HashSet<String>>,
) -> (HashSet<String>, Vec<(String, Option<Cached>)>) {
    let file_set: HashSet<String> = scan.all_files().map(str::to_string).collect();
    let all = previous != Some(&file_set);
    let known: HashSet<&str> = scan.md.iter().map(|m| m.rel.as_str()).collect();
    cache.retain(|k, _| known.contains(k.as_str()));
    let allow = Allow::new(&config.privacy.allow);
    let ctx = ParseContext {
        offset: config.offset(),
        allow: &allow,
        files: &file_set,
    };
    let fresh: Vec<(String, Cached)> = scan
        .md
        .par_iter()
        .filter(|m| all || cache.get(&m.rel).is_none_or(|c| c.stamp != m.stamp))
        .map(|m| {
            let (page, diagnostics) = match load::read_entry(m.clone()) {
                Ok(f) => parse::parse_file(f, &ctx),
                Err(d) => (None, vec![d]),
            };
            (
                m.rel.clone(),
                Cached {
                    stamp: m.stamp,
                    page: page.map(Arc::new),
                    diagnostics,
                },
            )
        })
        .collect();
    let replaced = fresh
        .into_iter()
        .map(|(k, c)| {
            let old = cache.insert(k.clone(), c);
            (k, old)
        })
        .collect();
    (file_set, replaced)
}

/// Appends the names in `more` that `list` does not have yet.
fn add_new(list: &mut Vec<String>, more: &[String]) {
    for m in more {
        if !list.contains(m) {
            list.push(m.clone());
        }
    }
}

fn build_options(opts: &Options, config: &Config) -> BuildOptions {
    BuildOptions {
        drafts: opts.drafts,
        now: opts
            .now
            .unwrap_or_else(|| Utc::now().with_timezone(&config.offset())),
    }
}

/// The site model from the cached parses.
fn assemble(
    opts: &Options,
    config: &Config,
    scan: &Scan,
    cache: &HashMap<String, Cached>,
    previous: Option<&Site>,
) -> Result<(Site, Diagnostics), Diagnostics> {
    let mut diags = scan.diagnostics.clone();
    let parsed: Vec<Arc<ParsedPage>> = scan
        .md
        .iter()
        .filter_map(|m| cache.get(&m.rel)?.page.clone())
        .collect();
    for m in &scan.md {
        if let Some(c) = cache.get(&m.rel) {
            diags.extend(c.diagnostics.iter().filter(|d| d.is_error()).cloned());
        }
    }
    let build_opts = build_options(opts, config);
    let (site, model_diags) = model::assemble_after(
        config.clone(),
        parsed,
        scan.loose_assets.clone(),
        &build_opts,
        previous,
    );
    diags.extend(model_diags);
    if diags.has_errors() {
        return Err(diags.sorted());
    }
    Ok((site, diags.sorted()))
}
