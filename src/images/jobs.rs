//! Which images a site shows, as [`Job`]s for the [`Processor`]: read from
//! the finished site model, after `prepare`. Each image gets the roles of
//! every place it appears: a `cover` (cards and the share image), a
//! member's `photo` (portrait, cards, share image), an activity's gallery
//! (thumbnails that open the viewing copy), a course cover, images in
//! Markdown bodies and in section texts (viewing copies), and the site's
//! `default_cover` (share image). Files in formats zhibu refuses (HEIC …)
//! anywhere in content/ are jobs too, so that the editor learns why they
//! are not shown instead of finding them missing.
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

/// Where the files of the site's static/ folder and the theme's are on
/// disk, by their published name (`images/logo.png`).
pub(crate) type Statics<'a> = &'a dyn Fn(&str) -> Option<PathBuf>;

/// Every image `site` shows, once per file with all its roles.
pub(crate) fn collect(site: &Site, statics: Statics) -> Vec<Job> {
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
                .or_else(|| statics(&site_path))?;
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
    let on_disk: HashMap<&str, &PathBuf> = theme
        .statics()
        .filter_map(|(name, f)| Some((name, f.disk.as_ref()?)))
        .collect();
    let statics = |p: &str| on_disk.get(p).map(|d| (*d).clone());
    let jobs = collect(site, &statics);
    let mut done = processor.process(&jobs, progress);
    let diagnostics = std::mem::take(&mut done.diagnostics);
    let summary = done.summary;
    let in_static = |p: &str| theme.statics().any(|(name, _)| name == p);
    Run {
        published: Published::new(done, &in_static),
        diagnostics,
        summary,
    }
}
