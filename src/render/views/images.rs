//! Photos as templates see them (issue 13): an [`ImageView`] (`src`,
//! `srcset`, `sizes`, `width`, `height`, `alt`) for a card's cover, a
//! member's portrait, a gallery thumbnail or the share image, and the
//! Markdown images of a body rewritten to the same (and its links to
//! photos pointed at a published file). Every set is read
//! through `Tracked::image`, which records `Dep::Image`, so `serve` makes
//! a page again when its photos are ready. An image without a set (a full
//! URL, a file of the theme, or one `serve` has not processed yet) is shown
//! as written, without sizes.

use serde::Serialize;

use crate::deps::Reads;
use crate::images::{
    self, BodyTag, ImageView, Role, escape_attr, rewrite_body, rewrite_photo_links,
};
use crate::render::views::Views;

/// `sizes` of a member's portrait on their page.
pub(crate) const PORTRAIT_SIZES: &str = "10rem";
/// `sizes` of a member's avatar on cards.
pub(crate) const AVATAR_SIZES: &str = "4.5rem";

/// The share image of a page: absolute URL and size.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub(crate) struct ShareImage {
    pub url: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

impl Views<'_> {
    /// The `<img>` of the image at `path` (a site path or a full URL) in
    /// `role`.
    pub(crate) fn image(
        &self,
        path: &str,
        role: Role,
        alt: &str,
        sizes: &str,
        r: &mut Reads,
    ) -> ImageView {
        match self.image_set(path, r) {
            Some(set) => set.view(role, alt, sizes, |p| self.url(p)),
            None => ImageView {
                src: self.url(path),
                srcset: String::new(),
                sizes: String::new(),
                width: 0,
                height: 0,
                alt: alt.to_string(),
            },
        }
    }

    fn image_set(&self, path: &str, r: &mut Reads) -> Option<&images::ImageSet> {
        if path.contains("://") || path.starts_with("//") {
            return None;
        }
        self.site_images(path.trim_start_matches('/'), r)
    }

    fn site_images(&self, path: &str, r: &mut Reads) -> Option<&images::ImageSet> {
        // Deref to Tracked, which records the read.
        std::ops::Deref::deref(self).image(path, r)
    }

    /// The viewing copy's URL (what a gallery thumbnail opens).
    pub(crate) fn image_full(&self, path: &str, r: &mut Reads) -> String {
        self.image(path, Role::View, "", "", r).src
    }

    /// The share image of `path` (a cover, or the site's default cover).
    pub(crate) fn share_image(&self, path: &str, r: &mut Reads) -> ShareImage {
        let v = self.image(path, Role::Share, "", "", r);
        let known = v.width > 0;
        ShareImage {
            url: v.src,
            width: known.then_some(v.width),
            height: known.then_some(v.height),
        }
    }

    /// `html` with its Markdown images as sized `<img>`s, and how many it
    /// has. The first is loaded at once (it may be the first thing a
    /// reader sees), the others when scrolled to.
    pub(crate) fn body_html(&self, html: &str, r: &mut Reads) -> (String, usize) {
        let base = self.config().base_path();
        let mut count = 0;
        let out = rewrite_body(html, &base, |i, tag| {
            count = i + 1;
            self.body_img(i, tag, r)
        });
        // Links to photos open a published file, not the original.
        let linked = rewrite_photo_links(&out, &base, |p| {
            let to = self.site_images(p, r)?.link_target()?;
            Some(self.url(&to.path))
        });
        (linked.into_owned(), count)
    }

    fn body_img(&self, i: usize, tag: &BodyTag, r: &mut Reads) -> String {
        let set = tag
            .site_path
            .as_deref()
            .and_then(|p| self.site_images(p, r));
        let mut out = String::from("<img");
        match set {
            Some(set) => {
                // The view copy of the set; `alt` stays as escaped in the HTML.
                let v = set.view(Role::View, "", images::VIEW_SIZES, |p| self.url(p));
                out.push_str(&format!(" src=\"{}\"", escape_attr(&v.src)));
                if !v.srcset.is_empty() {
                    out.push_str(&format!(
                        " srcset=\"{}\" sizes=\"{}\"",
                        escape_attr(&v.srcset),
                        escape_attr(&v.sizes)
                    ));
                }
                out.push_str(&format!(" width=\"{}\" height=\"{}\"", v.width, v.height));
            }
            None => out.push_str(&format!(" src=\"{}\"", tag.src)),
        }
        out.push_str(&format!(" alt=\"{}\"{}", tag.alt, tag.title));
        out.push_str(if i == 0 {
            " decoding=\"async\">"
        } else {
            " loading=\"lazy\" decoding=\"async\">"
        });
        out
    }
}
