//! Files copied as they are: the theme's static files (with the site's
//! static/ over them) and the files of content/ (bundle photos beside their
//! page, loose files at their own path). Styles and scripts get a content
//! hash in their name (`css/zhibu.1a2b3c4d5e.css`), so that servers can let
//! browsers keep them for a year while pages stay fresh.

use crate::files::{Data, OutputFile};
use crate::model::Site;
use crate::theme::Theme;

pub fn files(site: &Site, theme: &Theme) -> Vec<OutputFile> {
    let mut out = Vec::new();
    let names = theme.fingerprints();
    for (path, f) in theme.statics() {
        out.push(OutputFile {
            path: names.get(path).cloned().unwrap_or_else(|| path.to_string()),
            data: match &f.disk {
                Some(p) => Data::Copy(p.clone()),
                None => Data::Static(f.bytes.clone()),
            },
        });
    }
    for a in &site.loose_assets {
        out.push(OutputFile::copy(a.rel.clone(), a.path.clone()));
    }
    for p in &site.pages {
        let dir = match p.source.rfind('/') {
            Some(i) => &p.source[..=i],
            None => "",
        };
        for a in p.assets() {
            let inner = a.rel.strip_prefix(dir).unwrap_or(&a.rel);
            out.push(OutputFile::copy(
                format!("{}{inner}", p.path),
                a.path.clone(),
            ));
        }
    }
    out
}
