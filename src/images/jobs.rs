//! Which images a site shows, as [`Job`]s for the [`Processor`]: read from
//! the finished site model, after `prepare`. Each image gets the roles of
//! every place it appears: a `cover` (cards and the share image), a
//! member's `photo` (portrait, cards, share image), an activity's gallery
//! (thumbnails that open the viewing copy), a course cover, images in
//! Markdown bodies and in section texts (viewing copies), and the site's
//! `default_cover` (share image). Files in formats zhibu refuses (HEIC …)
//! anywhere in content/ are jobs too, so that the editor learns why they
//! are not shown instead of finding them missing. So is every raster file
//! of static/ ([`Roles::STATIC`]): whether a template or a style shows it
//! cannot be known, and a phone photo there carries its location.
//!
//! [`Processor`]: super::Processor

use std::collections::HashMap;
use std::path::PathBuf;

use crate::diagnostics::Diagnostics;
use crate::images::{
    Job, Processor, Progress, Published, Role, Roles, Summary, body, is_image_name, is_raster_name,
};
use crate::model::Site;
use crate::theme::Theme;

/// The static files of the site's static/ folder and the theme's: their
/// published names in the theme's order (the order of `Route::Theme`), and
/// where those with a file are on disk.
pub(crate) struct Statics {
    names: Vec<String>,
    disk: HashMap<String, PathBuf>,
}

impl Statics {
    pub(crate) fn of(theme: &Theme) -> Statics {
        Statics {
            names: theme.statics().map(|(n, _)| n.to_string()).collect(),
            disk: theme
                .statics()
                .filter_map(|(n, f)| Some((n.to_string(), f.disk.clone()?)))
                .collect(),
        }
    }

    /// Published names, in the theme's order.
    pub(crate) fn names(&self) -> &[String] {
        &self.names
    }

    fn disk(&self, name: &str) -> Option<PathBuf> {
        self.disk.get(name).cloned()
    }
}

/// Whether a static file is a raster image zhibu rewrites (it cannot
/// rewrite the formats it refuses in content/; those are left as they are).
fn rewritable(name: &str) -> bool {
    is_raster_name(name) && !refused(name)
}

/// Every image `site` shows, once per file with all its roles, and every
/// raster file of static/ (published at its own name, stripped).
pub(crate) fn collect(site: &Site, statics: &Statics) -> Vec<Job> {
    let sources = sources(site);
    let base = site.config.base_path();
    let mut roles: HashMap<String, Roles> = HashMap::new();
    let mut add = |path: &str, r: Roles| {
        if path.contains("://") || path.starts_with("//") || !is_image_name(path) {
            return;
        }
        *roles
            .entry(path.trim_start_matches('/').to_string())
            .or_default() |= r;
    };
    let thumb_share = Role::Thumbnail | Role::Share;
    for p in &site.pages {
        if let Some(c) = &p.cover {
            add(c, thumb_share);
        }
        if let Some(photo) = p.member.as_ref().and_then(|m| m.photo.as_deref()) {
            add(photo, thumb_share);
        }
        for g in p.activity.iter().flat_map(|a| &a.gallery) {
            add(g, Role::Thumbnail | Role::View);
        }
        for b in body::sources(p.html(), &base) {
            add(&b, Roles::from(Role::View));
        }
    }
    for c in &site.courses {
        if let Some(cover) = &c.cover {
            add(cover, Roles::from(Role::Thumbnail));
        }
        for b in c
            .description
            .iter()
            .flat_map(|d| body::sources(&d.html, &base))
        {
            add(&b, Roles::from(Role::View));
        }
    }
    let texts = site
        .home
        .iter()
        .chain(site.sections.iter().filter_map(|s| s.text.as_ref()));
    for t in texts {
        for b in body::sources(&t.html, &base) {
            add(&b, Roles::from(Role::View));
        }
    }
    if !site.config.default_cover.is_empty() {
        add(&site.config.default_cover, Roles::from(Role::Share));
    }
    // static/'s photos (a banner, a logo): nothing but pixels leaves.
    for name in statics.disk.keys().filter(|n| rewritable(n)) {
        add(name, Roles::STATIC);
    }
    // Refused formats, wherever they are: their error says what to do;
    // SVGs, so that every published one is checked for scripts.
    for (path, _) in sources
        .iter()
        .filter(|(p, _)| refused(p) || !is_raster_name(p))
    {
        add(path, Roles::from(Role::View));
    }
    let mut jobs: Vec<Job> = roles
        .into_iter()
        .filter_map(|(site_path, roles)| {
            let source = sources
                .get(&site_path)
                .cloned()
                .or_else(|| statics.disk(&site_path))?;
            Some(Job {
                source,
                site_path,
                roles,
            })
        })
        .collect();
    jobs.sort_by(|a, b| a.site_path.cmp(&b.site_path));
    jobs
}

/// Every file of content/ that is not Markdown, by its site path.
fn sources(site: &Site) -> HashMap<String, PathBuf> {
    let assets = &site.resolver.assets;
    site.pages
        .iter()
        .flat_map(|p| p.assets().iter())
        .chain(site.loose_assets.iter())
        .filter(|a| is_image_name(&a.rel))
        .filter_map(|a| Some((assets.get(&a.rel)?.clone(), a.path.clone())))
        .collect()
}

/// Formats that are images but never published (HEIC, AVIF, TIFF, BMP).
/// Not the same as "not supported": each gets its own message.
fn refused(name: &str) -> bool {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some("heic" | "heif" | "avif" | "tif" | "tiff" | "bmp")
    )
}

/// For `serve`, before its photos are processed: the sets of `previous`
/// and a stand-in for every other raster image of content/ and static/,
/// sized from its header (see [`Published::with_stand_ins`]).
pub(crate) fn stand_ins(site: &Site, theme: &Theme, previous: &Published) -> Published {
    let statics = Statics::of(theme);
    let content = sources(site).into_iter();
    let files = content.chain(statics.disk).filter(|(p, _)| rewritable(p));
    previous.with_stand_ins(files)
}

/// The photos of one site, made (or found in the cache).
pub(crate) struct Run {
    pub(crate) published: Published,
    pub(crate) diagnostics: Diagnostics,
    pub(crate) summary: Summary,
}

/// Collects the jobs of `site`, processes them and sorts the results into
/// what the model holds.
pub(crate) fn run(
    site: &Site,
    theme: &Theme,
    processor: &Processor,
    progress: &dyn Progress,
) -> Run {
    let statics = Statics::of(theme);
    let jobs = collect(site, &statics);
    let mut done = processor.process(&jobs, progress);
    let diagnostics = std::mem::take(&mut done.diagnostics);
    let summary = done.summary;
    Run {
        published: Published::new(done, statics.names()),
        diagnostics,
        summary,
    }
}
