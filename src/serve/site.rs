//! The site as `serve` keeps it between edits: parsed files cached by size
//! and modification time, the last good output in memory, and a rebuild
//! that re-parses only changed files and re-renders only the pages an edit
//! can show up on.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chrono::Utc;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{self, Stamp};
use crate::model::{self, BuildOptions, Page, PageId, Site};
use crate::outputs::{self, OutputFile};
use crate::parse::privacy::Allow;
use crate::parse::{self, ParseContext, ParsedPage};
use crate::pipeline::{self, Options};
use crate::render::contexts::{self, Job};
use crate::render::theme::Theme;
use crate::render::{self, Renderer};

/// One parsed file and the stamp it was parsed at.
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
    /// change other files' link checks, so then everything is re-parsed).
    file_set: HashSet<String>,
    site: Arc<Site>,
    /// The output, by path (without the search index, which `serve` keeps
    /// apart and rebuilds in the background).
    pub files: BTreeMap<String, Arc<OutputFile>>,
    /// Warnings of the last good build.
    pub warnings: Diagnostics,
}

/// What one rebuild did, for the log line.
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
        let mut cache = HashMap::new();
        let (site, file_set, diags) = Self::assemble(&opts, &config, &mut cache, None)?;
        let renderer = Renderer::new(&theme, &site)?;
        let mut live = LiveSite {
            opts,
            config,
            theme,
            renderer,
            cache,
            file_set,
            site: Arc::new(site),
            files: BTreeMap::new(),
            warnings: diags,
        };
        live.render_all()?;
        Ok(live)
    }

    pub fn site(&self) -> Arc<Site> {
        self.site.clone()
    }

    /// Re-reads what changed and updates the output. On error the previous
    /// output stays in place and the diagnostics are returned.
    pub fn rebuild(&mut self, change: Change) -> Result<Rebuilt, Diagnostics> {
        if change == Change::Everything {
            let config = pipeline::load_config(&self.opts)?;
            let theme = Theme::load(&self.opts.root, &config.theme)?;
            let mut cache = HashMap::new();
            let (site, file_set, diags) = Self::assemble(&self.opts, &config, &mut cache, None)?;
            let renderer = Renderer::new(&theme, &site)?;
            let parsed = cache.len();
            let old = std::mem::replace(
                self,
                LiveSite {
                    opts: self.opts.clone(),
                    config,
                    theme,
                    renderer,
                    cache,
                    file_set,
                    site: Arc::new(site),
                    files: BTreeMap::new(),
                    warnings: diags,
                },
            );
            if let Err(d) = self.render_all() {
                *self = old;
                return Err(d);
            }
            return Ok(Rebuilt {
                parsed,
                rendered: self.files.len(),
            });
        }

        let mut cache = std::mem::take(&mut self.cache);
        let before: HashMap<String, Stamp> =
            cache.iter().map(|(k, c)| (k.clone(), c.stamp)).collect();
        let result = Self::assemble(&self.opts, &self.config, &mut cache, Some(&self.file_set));
        let (site, file_set, diags) = match result {
            Ok(x) => x,
            Err(d) => {
                self.cache = cache;
                return Err(d);
            }
        };
        let parsed = cache
            .iter()
            .filter(|(k, c)| before.get(*k) != Some(&c.stamp))
            .count();
        let changed: HashSet<String> = cache
            .iter()
            .filter(|(k, c)| before.get(*k) != Some(&c.stamp))
            .map(|(k, _)| k.clone())
            .collect();
        self.cache = cache;
        let structural = file_set != self.file_set;
        let old_site = std::mem::replace(&mut self.site, Arc::new(site));
        self.file_set = file_set;
        self.warnings = diags;
        self.renderer.set_site(&self.site);
        let jobs = if structural {
            None
        } else {
            dirty_jobs(&old_site, &self.site, &changed)
        };
        let rendered = match jobs {
            None => {
                if let Err(d) = self.render_all() {
                    self.site = old_site;
                    return Err(d);
                }
                self.files.len()
            }
            Some(jobs) => {
                let (files, d) = render::render_jobs(&self.site, &self.renderer, &jobs);
                if d.has_errors() {
                    self.site = old_site;
                    return Err(d);
                }
                let n = files.len();
                for f in files {
                    self.files.insert(f.path.clone(), Arc::new(f));
                }
                let cal = outputs::calendar_file(&self.site);
                self.files.insert(cal.path.clone(), Arc::new(cal));
                n
            }
        };
        Ok(Rebuilt { parsed, rendered })
    }

    /// Reads and parses content, reusing cached files whose stamp has not
    /// changed since `previous` (the file set of the last build).
    fn assemble(
        opts: &Options,
        config: &Config,
        cache: &mut HashMap<String, Cached>,
        previous: Option<&HashSet<String>>,
    ) -> Result<(Site, HashSet<String>, Diagnostics), Diagnostics> {
        let scan = load::scan(&opts.root.join("content"));
        let mut diags = scan.diagnostics.clone();
        let file_set: HashSet<String> = scan.all_files().map(str::to_string).collect();
        // A file added or removed can turn another file's broken link into a
        // good one (or back): then every file is checked again.
        let all = previous != Some(&file_set);
        let allow = Allow::new(&config.privacy.allow);
        let ctx = ParseContext {
            offset: config.offset(),
            allow: &allow,
            files: &file_set,
        };
        let known: HashSet<&str> = scan.md.iter().map(|m| m.rel.as_str()).collect();
        cache.retain(|k, _| known.contains(k.as_str()));
        let stale: Vec<&load::MdEntry> = scan
            .md
            .iter()
            .filter(|m| {
                all || cache.get(&m.rel).is_none_or(|c| {
                    c.stamp != m.stamp || c.page.as_ref().is_some_and(|p| p.file.assets != m.assets)
                })
            })
            .collect();
        use rayon::prelude::*;
        let fresh: Vec<(String, Cached)> = stale
            .par_iter()
            .map(|m| {
                let (page, diagnostics) = match load::read_entry((*m).clone()) {
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
        cache.extend(fresh);
        let mut parsed = Vec::new();
        for m in &scan.md {
            if let Some(c) = cache.get(&m.rel) {
                diags.extend(c.diagnostics.iter().cloned());
                parsed.extend(c.page.clone());
            }
        }
        let build_opts = BuildOptions {
            drafts: opts.drafts,
            now: opts
                .now
                .unwrap_or_else(|| Utc::now().with_timezone(&config.offset())),
        };
        let (site, model_diags) =
            model::assemble(config.clone(), parsed, scan.loose_assets, &build_opts);
        diags.extend(model_diags);
        if diags.has_errors() {
            return Err(diags.sorted());
        }
        Ok((site, file_set, diags.sorted()))
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
        let new_qr = outputs::qr_files(&self.site, |p| {
            !have.contains(format!("{}qr.svg", p.path).as_str())
        });
        files.extend(new_qr);
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
}

/// The jobs an edit of `changed` sources needs, or `None` for all of them.
fn dirty_jobs(old: &Site, new: &Site, changed: &HashSet<String>) -> Option<Vec<Job>> {
    if old.pages.len() != new.pages.len()
        || old
            .pages
            .iter()
            .zip(&new.pages)
            .any(|(a, b)| a.source != b.source || a.path != b.path)
    {
        return None;
    }
    let by_source: HashMap<&str, PageId> = new
        .pages
        .iter()
        .map(|p| (p.source.as_str(), p.id))
        .collect();
    let mut pages: Vec<PageId> = Vec::new();
    let mut lists = false;
    for src in changed {
        // _index.md and course descriptions appear on lists only.
        let Some(&id) = by_source.get(src.as_str()) else {
            lists = true;
            continue;
        };
        pages.push(id);
        if !same_card(&old.pages[id], &new.pages[id]) {
            lists = true;
            pages.extend(related(old, id));
            pages.extend(related(new, id));
        }
    }
    let mut jobs: Vec<Job> = pages
        .into_iter()
        .collect::<HashSet<_>>()
        .into_iter()
        .map(Job::Page)
        .collect();
    jobs.push(Job::Atom);
    if lists {
        jobs.extend(
            contexts::jobs(new)
                .into_iter()
                .filter(|j| !matches!(j, Job::Page(_))),
        );
    }
    Some(jobs)
}

/// Pages that show this one: its course mates, its participants or activities.
fn related(site: &Site, id: PageId) -> Vec<PageId> {
    let p = &site.pages[id];
    let mut out = Vec::new();
    if let Some(c) = p.lesson.as_ref().and_then(|l| l.course) {
        out.extend(site.courses[c].lessons.iter().copied());
    }
    if let Some(a) = &p.activity {
        out.extend(a.participants.iter().copied());
    }
    if let Some(m) = &p.member {
        out.extend(m.activities.iter().copied());
    }
    out
}

/// Whether everything a page shows on other pages (cards, lists, navigation) is unchanged.
fn same_card(a: &Page, b: &Page) -> bool {
    a.title == b.title
        && a.date == b.date
        && a.updated == b.updated
        && a.summary == b.summary
        && a.tags == b.tags
        && a.cover == b.cover
        && a.weight == b.weight
        && a.draft == b.draft
        && a.quiz().is_some() == b.quiz().is_some()
        && a.lesson
            .as_ref()
            .map(|l| (&l.course_name, l.order, l.duration))
            == b.lesson
                .as_ref()
                .map(|l| (&l.course_name, l.order, l.duration))
        && a.member
            .as_ref()
            .map(|m| (&m.photo, &m.role, &m.class, &m.honors, &m.motto, m.featured))
            == b.member
                .as_ref()
                .map(|m| (&m.photo, &m.role, &m.class, &m.honors, &m.motto, m.featured))
        && a.activity.as_ref().map(|x| {
            (
                x.end,
                &x.location,
                &x.kind,
                &x.participants,
                x.volunteer_hours.map(f64::to_bits),
                &x.gallery,
            )
        }) == b.activity.as_ref().map(|x| {
            (
                x.end,
                &x.location,
                &x.kind,
                &x.participants,
                x.volunteer_hours.map(f64::to_bits),
                &x.gallery,
            )
        })
}
