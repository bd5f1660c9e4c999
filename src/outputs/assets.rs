//! Files copied as they are: the theme's static files (with the site's
//! static/ over them) and the files of content/ (bundle photos beside their
//! page, loose files at their own path).

use crate::model::Site;
use crate::outputs::{Data, OutputFile};
use crate::render::theme::Theme;

pub fn files(site: &Site, theme: &Theme) -> Vec<OutputFile> {
    let mut out = Vec::new();
    for (path, f) in theme.statics() {
        out.push(OutputFile {
            path: path.to_string(),
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
