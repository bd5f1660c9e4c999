//! Edits patched into an assembled site, for `serve`: a new body, or new
//! front matter that keeps the page where it is.

use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::arrange::arrange;
use crate::model::assemble::{BuildOptions, SUMMARY_CHARS, display, new_page, resolve_references};
use crate::model::links::to_diagnostic;
use crate::model::urls;
use crate::model::{Course, Page, PageId, Section, Site, Tag};
use crate::parse::ParsedPage;
use crate::parse::markdown::excerpt;

/// Puts a new version of a page whose front matter and headings are
/// unchanged into the site: its body, resolved links and derived summary.
/// Returns whether anything shown on other pages (the summary) changed.
pub fn patch_body(site: &mut Site, id: PageId, src: Arc<ParsedPage>) -> (bool, Vec<Diagnostic>) {
    let (html, problems) = site.resolver.resolve_html(&src.md.html, &src.md.links);
    let diags = problems
        .into_iter()
        .map(|pr| to_diagnostic(pr, &display(&src.file.rel), &src.file.text))
        .collect();
    let page = &mut site.pages[id];
    page.resolved = html.map(Arc::from);
    let mut card_changed = false;
    if !page.summary_written {
        let summary = excerpt(&src.md.plain, SUMMARY_CHARS);
        card_changed = summary != page.summary;
        page.summary = summary;
    }
    page.src = src;
    (card_changed, diags)
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
        && urls::page_path(&old.section, &urls::slug_of(src)) == old.path
}

/// What [`patch_pages`] replaced: the pages as they were and the lists
/// they were on, to compare with the new ones.
pub struct Earlier {
    pub pages: Vec<Page>,
    pub courses: Vec<Course>,
    pub tags: Vec<Tag>,
    pub sections: Vec<Section>,
}

/// Puts new versions of pages that keep their place ([`keeps_place`]) into
/// the site and arranges the lists again, as a full assembly would. Returns
/// what was replaced and the model's diagnostics; on error the site is
/// left as it was.
pub fn patch_pages(
    site: &mut Site,
    edits: Vec<(PageId, Arc<ParsedPage>)>,
    opts: &BuildOptions,
) -> Result<(Earlier, Diagnostics), Diagnostics> {
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
        let (html, problems) = site.resolver.resolve_html(&src.md.html, &src.md.links);
        errors.extend(
            problems
                .into_iter()
                .map(|pr| to_diagnostic(pr, &display(&src.file.rel), &src.file.text)),
        );
        page.resolved = html.map(Arc::from);
        resolve_references(&mut page, &src, &site.resolver, &mut errors);
        fresh.push(page);
    }
    if errors.has_errors() {
        return Err(errors.sorted());
    }
    let pages = fresh
        .into_iter()
        .map(|p| {
            let id = p.id;
            std::mem::replace(&mut site.pages[id], p)
        })
        .collect();
    let earlier = Earlier {
        pages,
        courses: std::mem::take(&mut site.courses),
        tags: std::mem::take(&mut site.tags),
        sections: std::mem::take(&mut site.sections),
    };
    let mut diags = site.frame.diagnostics.clone();
    diags.extend(arrange(site, opts));
    if diags.has_errors() {
        unpatch(site, &earlier, opts);
        return Err(diags.sorted());
    }
    Ok((earlier, diags))
}

/// Undoes [`patch_pages`] (for `serve`, when the patched site fails to render).
pub fn unpatch(site: &mut Site, earlier: &Earlier, opts: &BuildOptions) {
    for p in &earlier.pages {
        site.pages[p.id] = p.clone();
    }
    arrange(site, opts);
}
