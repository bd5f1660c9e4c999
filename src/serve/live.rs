//! The site as `serve` keeps it between edits: the session, the parsed
//! files, the site model, the last good output in memory and, for every
//! output, what it read when it was made.
//!
//! An edit goes through two steps. First a new site model, by the cheapest
//! way that gives the same model a full build would: a body edit patched
//! into a copy of the current model; a front-matter edit that keeps the
//! page's URL and headings patched in with the lists arranged again; else a
//! new assembly. Then the outputs: when the same pages exist, exactly the
//! outputs whose recorded reads changed are made again (`render::changes`);
//! when files were added, removed or renamed, everything. Both steps are
//! the ones a build runs (`pipeline`, `produce`); nothing here knows what
//! any page shows.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::diagnostics::Diagnostics;
use crate::files::OutputFile;
use crate::model::{self, PageId, Site};
use crate::pipeline::Options;
use crate::produce::{Made, produce};
use crate::render::changes::{self, Changes, SiteFields, site_fields};
use crate::render::views::{Memo, Views};
use crate::routes::{self, Route};
use crate::serve::made::Outputs;
use crate::serve::parsed::Parsed;
use crate::session::{SearchPlacement, Session};

/// What changed on disk, as far as the watcher can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Only files under content/.
    Content,
    /// site.toml, the theme, templates/ or static/: everything again.
    Everything,
}

/// What one rebuild did, for the log line.
#[derive(Debug)]
pub struct Rebuilt {
    pub parsed: usize,
    pub rendered: usize,
}

pub struct LiveSite {
    session: Session,
    parsed: Parsed,
    site: Arc<Site>,
    /// Cards and links made for `site`, with what each read.
    memo: Memo,
    /// The `site` value of `site`, field by field.
    site_fields: SiteFields,
    /// Warnings of the model (not of single files) at the last assembly.
    model_warnings: Diagnostics,
    /// Every output but the search index (which `serve` keeps apart and
    /// rebuilds in the background), with what each read.
    outputs: Outputs,
    /// Warnings of the last good build.
    warnings: Diagnostics,
    /// Content files saved since the last good rebuild (the ones after it
    /// failed were not rendered).
    pending: Vec<String>,
}

impl LiveSite {
    /// The first, full build.
    pub fn new(opts: Options) -> Result<LiveSite, Diagnostics> {
        let session = Session::open(&opts, SearchPlacement::Fixed)?;
        let parsed = Parsed::new(&session);
        let (mut site, model_warnings) = parsed.assemble(&session, None)?;
        // Until the photos are processed, originals stand in, sized.
        site.images = Arc::new(crate::images::jobs::stand_ins(
            &site,
            &session.theme,
            &site.images,
        ));
        let mut live = LiveSite {
            memo: Memo::new(0),
            site: Arc::new(Site::empty(session.config.clone(), session.now())),
            site_fields: SiteFields::new(),
            session,
            parsed,
            model_warnings,
            outputs: Outputs::default(),
            warnings: Diagnostics::new(),
            pending: Vec::new(),
        };
        live.publish(site, true)?;
        live.collect_warnings();
        Ok(live)
    }

    /// The output by path (the search index is apart: [`Self::search_input`]).
    pub fn files(&self) -> &BTreeMap<String, Arc<OutputFile>> {
        &self.outputs.files
    }

    /// Warnings of the last good build.
    pub fn warnings(&self) -> &Diagnostics {
        &self.warnings
    }

    /// What the search index is built from, for the background thread.
    pub fn search_input(&self) -> crate::outputs::search::Input {
        crate::outputs::search::Input::of(&self.site)
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
        if change == Change::Everything {
            let fresh = LiveSite::new(self.session.opts.clone())?;
            *self = fresh;
            return Ok(Rebuilt {
                parsed: self.site.pages.len(),
                rendered: self.outputs.files.len(),
            });
        }
        let mut changed = Vec::new();
        let result = self.try_rebuild(root, paths, &mut changed);
        if result.is_ok() {
            self.pending.clear();
        } else {
            add_new(&mut self.pending, &changed);
        }
        result
    }

    /// [`rebuild`](Self::rebuild) of content, telling `changed` which files it tried.
    fn try_rebuild(
        &mut self,
        root: &Path,
        paths: &[PathBuf],
        changed: &mut Vec<String>,
    ) -> Result<Rebuilt, Diagnostics> {
        let update = self.parsed.update(&self.session, root, paths);
        changed.extend(update.replaced.iter().map(|(k, _)| k.clone()));
        // Files saved while the site had errors were never rendered: they
        // go along, and the model is assembled again from every file.
        let retry = !self.pending.is_empty();
        add_new(changed, &self.pending);
        let errors = self.parsed.errors();
        if errors.has_errors() {
            return Err(errors.sorted());
        }
        if changed.is_empty() && !update.new_files {
            return Ok(Rebuilt {
                parsed: 0,
                rendered: 0,
            });
        }
        let (mut site, warnings) = if update.new_files || retry {
            self.parsed.assemble(&self.session, Some(&self.site))?
        } else {
            self.next_model(changed)?
        };
        // The photos made so far stay; new ones follow (serve/photos.rs),
        // a new file standing in meanwhile with the size of its header.
        site.images = Arc::new(if update.new_files {
            crate::images::jobs::stand_ins(&site, &self.session.theme, &self.site.images)
        } else {
            self.site.images.carried()
        });
        let rendered = self.publish(site, update.new_files)?;
        self.model_warnings = warnings;
        self.collect_warnings();
        Ok(Rebuilt {
            parsed: changed.len(),
            rendered,
        })
    }

    /// The model after edits of known files, by the cheapest way that
    /// gives what a full assembly would.
    fn next_model(&self, changed: &[String]) -> Result<(Site, Diagnostics), Diagnostics> {
        let by_source: HashMap<&str, PageId> = self
            .site
            .pages
            .iter()
            .map(|p| (p.source.as_str(), p.id))
            .collect();
        let edits: Option<Vec<(PageId, Arc<crate::parse::ParsedPage>)>> = changed
            .iter()
            .map(|rel| {
                Some((
                    *by_source.get(rel.as_str())?,
                    self.parsed.get(rel)?.page.clone()?,
                ))
            })
            .collect();
        let Some(edits) = edits else {
            // _index.md, a course description, a file that is no page (yet)
            return self.parsed.assemble(&self.session, Some(&self.site));
        };
        let body_only = edits.iter().all(|(id, new)| {
            let old = &self.site.pages[*id].src;
            new.front == old.front && new.md.anchors == old.md.anchors && new.kind == old.kind
        });
        let mut site = (*self.site).clone();
        let opts = self.session.build_options();
        if body_only && model::same_moment(&self.site, &opts) {
            model::patch_bodies(&mut site, edits)?;
            return Ok((site, self.model_warnings.clone()));
        }
        if edits
            .iter()
            .all(|(id, new)| model::keeps_place(&self.site, *id, new, &opts))
        {
            let diags = model::patch_pages(&mut site, edits, &opts)?;
            let mut warnings = self.parsed.scan.diagnostics.clone();
            warnings.extend(diags);
            return Ok((site, warnings.sorted()));
        }
        self.parsed.assemble(&self.session, Some(&self.site))
    }

    /// Makes the outputs of `site` that differ from the current ones (all
    /// of them when `all`), and makes it the current site. Returns how
    /// many outputs were made; on error nothing changes.
    fn publish(&mut self, site: Site, all: bool) -> Result<usize, Diagnostics> {
        let memo = Memo::new(site.pages.len());
        let routes = routes::all(&site, self.session.statics.len());
        let statics = &self.session.statics;
        let paths: Vec<String> = routes.iter().map(|r| r.file(&site, statics)).collect();
        // Output paths are checked when they change (the paths made before
        // passed the check: a failed check publishes nothing).
        if all || !self.outputs.same_paths(&paths) {
            let problems = crate::paths_check::check_routes(&site, &routes, &paths);
            if problems.has_errors() {
                return Err(problems.sorted());
            }
        }
        let same_pages = !all
            && self.site.pages.len() == site.pages.len()
            && self
                .site
                .pages
                .iter()
                .zip(&site.pages)
                .all(|(a, b)| a.source == b.source);
        let (todo, fields, valid) = {
            let views = Views::new(&site, &memo);
            let fields = site_fields(&views);
            if same_pages {
                let c = Changes::new(
                    &self.site,
                    &site,
                    &self.memo,
                    &views,
                    &self.site_fields,
                    &fields,
                );
                let todo = self.outputs.todo(&routes, &paths, |deps| c.stale(deps));
                (todo, fields, Some(c.still_valid()))
            } else {
                let todo = self.outputs.todo(&routes, &paths, |_| true);
                (todo, fields, None)
            }
        };
        // Cards and links still valid go over to the new model before
        // anything is made, so the pages made now reuse them. (Should the
        // making fail, the old site keeps an empty memo: what it needs is
        // made again when read.)
        let old_memo = std::mem::replace(&mut self.memo, Memo::new(self.site.pages.len()));
        if let Some(valid) = valid {
            changes::carry(old_memo, &memo, valid);
        }
        let todo_routes: Vec<Route> = todo.iter().map(|&i| routes[i]).collect();
        let made = Mutex::new(Vec::with_capacity(todo.len()));
        let diags = produce(
            &self.session,
            &site,
            &memo,
            routes::SEARCH,
            &todo_routes,
            None,
            &|m: Made| {
                made.lock().unwrap_or_else(|e| e.into_inner()).push(m);
                Ok(())
            },
        );
        if diags.has_errors() {
            return Err(diags.sorted());
        }
        let made = made.into_inner().unwrap_or_else(|e| e.into_inner());
        let n = made.len();
        self.outputs.keep(paths, &todo, &routes, made);
        self.memo = memo;
        let old_site = std::mem::replace(&mut self.site, Arc::new(site));
        // Freeing a big site's model takes a noticeable moment
        // (10 000 pages: over 100 ms); the reload need not wait for it.
        std::thread::spawn(move || drop(old_site));
        self.site_fields = fields;
        Ok(n)
    }

    /// The photos the current site shows, for serve/photos.rs.
    pub(crate) fn photo_request(&self) -> crate::serve::photos::Request {
        let statics = crate::images::jobs::Statics::of(&self.session.theme);
        crate::serve::photos::Request {
            jobs: crate::images::jobs::collect(&self.site, &statics),
            statics: statics.names().to_vec(),
            complete: self.site.images.complete,
        }
    }

    /// Shows the photos processed in the background: the outputs that read
    /// them are made again. Returns how many outputs were made.
    pub(crate) fn set_photos(
        &mut self,
        images: crate::images::Published,
    ) -> Result<usize, Diagnostics> {
        if *self.site.images == images {
            return Ok(0);
        }
        let mut site = (*self.site).clone();
        site.images = Arc::new(images);
        self.publish(site, false)
    }

    fn collect_warnings(&mut self) {
        let mut w = self.model_warnings.clone();
        w.extend(self.session.theme.warnings.iter().cloned());
        w.extend(self.parsed.diagnostics().cloned());
        self.warnings = w.sorted();
    }
}

/// Appends the names in `more` that `list` does not have yet.
fn add_new(list: &mut Vec<String>, more: &[String]) {
    for m in more {
        if !list.contains(m) {
            list.push(m.clone());
        }
    }
}
