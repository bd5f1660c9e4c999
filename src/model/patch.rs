//! Edits patched into an assembled site, for `serve`: a new body, or new
//! front matter that keeps the page where it is.

use std::sync::Arc;

use crate::diagnostics::Diagnostics;
use crate::model::arrange::arrange;
use crate::model::assemble::{
    BuildOptions, SUMMARY_CHARS, new_page, resolve_body, resolve_references,
};
use crate::model::urls;
use crate::model::{Course, Page, PageId, Section, Site, Tag};
use crate::parse::ParsedPage;
use crate::parse::markdown::excerpt;

/// Puts new versions of pages whose front matter and headings are
/// unchanged into the site: their bodies, resolved links and derived
/// summaries. Returns the pages whose card (the summary shown on lists)
/// changed. A broken link is an error and changes nothing.
pub fn patch_bodies(
    site: &mut Site,
    edits: Vec<(PageId, Arc<ParsedPage>)>,
) -> Result<Vec<PageId>, Diagnostics> {
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
    let mut cards = Vec::new();
    for (id, src, html) in resolved {
        let page = &mut site.pages[id];
        page.resolved = html.map(Arc::from);
        if !page.summary_written {
            let summary = excerpt(&src.md.plain, SUMMARY_CHARS);
            if summary != page.summary {
                page.summary = summary;
                cards.push(id);
            }
        }
        page.src = src;
    }
    Ok(cards)
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
        // A notice's period and category move it between lists.
        && src.front.notice == old.src.front.notice
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
        let (html, problems) = resolve_body(&site.resolver, &src);
        errors.extend(problems);
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
