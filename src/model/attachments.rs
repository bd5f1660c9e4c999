//! `attachments` on any page (minutes, a policy PDF, slides): each resolved
//! to its published URL with its format and size; and the non-image files
//! in bundles that no page lists anywhere, which get a warning naming them
//! (they are published, but no reader finds them).

use std::collections::HashSet;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Attachment;
use crate::model::assemble::{display, is_image, reference};
use crate::model::links::Resolver;
use crate::parse::ParsedPage;
use crate::parse::markdown::{LinkTarget, normalize, percent_decode};

/// The attachments of `src`, each a file beside it, in static/ or a URL.
pub(super) fn resolve(
    resolver: &Resolver,
    src: &ParsedPage,
    diags: &mut Diagnostics,
) -> Vec<Attachment> {
    src.front
        .attachments
        .iter()
        .filter_map(|a| {
            let url = reference(resolver, a, src, "attachments", diags)?;
            let name = a.value.rsplit('/').next().unwrap_or(&a.value).to_string();
            let format = name
                .rsplit_once('.')
                .map(|(_, e)| e.to_uppercase())
                .unwrap_or_default();
            let bytes = if url.contains("://") {
                None
            } else {
                let on_disk = src.file.path.parent().map(|d| d.join(&a.value));
                on_disk
                    .and_then(|p| std::fs::metadata(p).ok())
                    .map(|m| m.len())
            };
            Some(Attachment {
                url,
                name,
                format,
                bytes,
            })
        })
        .collect()
}

/// The file under content/ that a front-matter path names (`None` for URLs
/// and paths into static/), the way [`Resolver::resolve_ref`] reads it.
fn content_file(written: &str, dir: &str) -> Option<String> {
    let w = written.trim();
    if w.contains("://") || w.starts_with("//") || w.starts_with('/') {
        return None;
    }
    let decoded = percent_decode(w);
    normalize(&if dir.is_empty() {
        decoded
    } else {
        format!("{dir}/{decoded}")
    })
}

/// Every content file that some page names: in front matter (attachments,
/// cover, photo, video, audio, gallery) or as a link in its body.
fn listed<'a>(pages: impl Iterator<Item = &'a ParsedPage>) -> HashSet<String> {
    let mut out = HashSet::new();
    for p in pages {
        let f = &p.front;
        let dir = p.file.dir();
        let written = f
            .attachments
            .iter()
            .chain(f.cover.iter())
            .chain(f.member.photo.iter())
            .chain(f.lesson.video.iter())
            .chain(f.lesson.audio.iter())
            .chain(f.activity.gallery.iter());
        out.extend(written.filter_map(|l| content_file(&l.value, dir)));
        for l in &p.md.links {
            if let LinkTarget::Asset { path } = &l.target {
                out.insert(path.clone());
            }
        }
    }
    out
}

/// A warning for each non-image file in a page bundle that no page lists.
pub(super) fn unlisted<'a>(pages: impl Iterator<Item = &'a ParsedPage> + Clone) -> Diagnostics {
    let named = listed(pages.clone());
    let mut diags = Diagnostics::new();
    for p in pages {
        for a in &p.file.assets {
            if is_image(&a.rel) || named.contains(&a.rel) {
                continue;
            }
            let name = a.rel.rsplit('/').next().unwrap_or(&a.rel);
            diags.push(
                Diagnostic::warning(format!(
                    "{} 放在页面文件夹里，但没有页面列出它，读者找不到这个文件",
                    display(&a.rel)
                ))
                .in_file(display(&p.file.rel))
                .hint(format!(
                    "在 front matter 里列出它：attachments: [{name}]；不需要的话就删掉这个文件"
                )),
            );
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_paths_to_content_files() {
        assert_eq!(
            content_file("纪要.pdf", "activities/a").as_deref(),
            Some("activities/a/纪要.pdf")
        );
        assert_eq!(
            content_file("../b/%E7%BA%AA.pdf", "activities/a").as_deref(),
            Some("activities/b/纪.pdf")
        );
        assert_eq!(content_file("/files/x.pdf", "activities/a"), None);
        assert_eq!(content_file("https://x.cn/a.pdf", "activities/a"), None);
    }
}
