//! Edits patched into an assembled site, for `serve`: a new body, or new
//! front matter that keeps the page where it is. The caller patches a copy
//! (cheap: pages are shared) and keeps the original until the copy has
//! rendered, so a failed edit changes nothing.

use std::sync::Arc;

use crate::diagnostics::Diagnostics;
use crate::model::arrange::arrange;
use crate::model::assemble::{
    BuildOptions, SUMMARY_CHARS, new_page, resolve_body, resolve_references,
};
use crate::model::participants::upcoming;
use crate::model::{PageId, Shared, Site, urls};
use crate::parse::ParsedPage;
use crate::parse::markdown::excerpt;

/// Puts new versions of pages whose front matter and headings are
/// unchanged into the site: their bodies, resolved links and derived
/// summaries. A broken link is an error.
pub fn patch_bodies(
    site: &mut Site,
    edits: Vec<(PageId, Arc<ParsedPage>)>,
) -> Result<(), Diagnostics> {
    let mut errors = Diagnostics::new();
    let mut resolved = Vec::new();
    for (id, src) in edits {
        let (html, problems) = resolve_body(&site.resolver, &src);
        errors.extend(problems);
        resolved.push((id, src, html));
    }
    if errors.has_errors() {
        return Err(errors.sorted());
    }
    for (id, src, html) in resolved {
        let page = Arc::make_mut(&mut site.pages[id]);
        page.resolved = html.map(Arc::from);
        if !page.summary_written {
            page.summary = excerpt(&src.md.plain, SUMMARY_CHARS);
        }
        page.src = Shared(src);
    }
    Ok(())
}

/// Whether a body edit can be patched in at `opts.now`: no activity has
/// started or ended since the site was arranged (a long `serve` reads the
/// clock at every edit).
pub fn same_moment(site: &Site, opts: &BuildOptions) -> bool {
    site.now == opts.now
        || site.activities.iter().all(|&id| {
            let p = &site.pages[id];
            p.activity.as_ref().map(|a| a.upcoming) == Some(upcoming(p, opts))
        })
}

/// Whether `src`, a new version of page `id`, keeps the page where it is:
/// same file, kind and URL, same headings, still published. Then nothing
/// placed depends on it, and [`patch_pages`] can put it into the site.
pub fn keeps_place(site: &Site, id: PageId, src: &ParsedPage, opts: &BuildOptions) -> bool {
    let old = &site.pages[id];
    src.kind == old.kind
        && src.file.rel == old.source
        && (!src.front.draft || opts.drafts)
        && src.md.anchors == old.src.md.anchors
        && crate::routes::page(&old.section, &urls::slug_of(src)) == old.path
}

/// Puts new versions of pages that keep their place ([`keeps_place`]) into
/// the site and arranges the lists again, as a full assembly would.
/// Returns the model's diagnostics.
pub fn patch_pages(
    site: &mut Site,
    edits: Vec<(PageId, Arc<ParsedPage>)>,
    opts: &BuildOptions,
) -> Result<Diagnostics, Diagnostics> {
    // The pages first: their own problems change nothing.
    let mut errors = Diagnostics::new();
    let mut fresh = Vec::new();
    for (id, src) in edits {
        let old = &site.pages[id];
        let mut page = new_page(
            id,
            &src,
            old.slug.clone(),
            old.section.clone(),
            old.path.clone(),
        );
        let (html, problems) = resolve_body(&site.resolver, &src);
        errors.extend(problems);
        page.resolved = html.map(Arc::from);
        resolve_references(&mut page, &src, &site.resolver, &mut errors);
        fresh.push(page);
    }
    if errors.has_errors() {
        return Err(errors.sorted());
    }
    for p in fresh {
        let id = p.id;
        site.pages[id] = Arc::new(p);
    }
    let mut diags = site.frame.diagnostics.clone();
    diags.extend(arrange(site, opts));
    if diags.has_errors() {
        return Err(diags.sorted());
    }
    Ok(diags)
}
