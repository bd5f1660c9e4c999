//! Files copied as they are: the theme's static files (with the site's
//! static/ over them) and the files of content/ (bundle photos beside their
//! page, loose files at their own path). Styles and scripts get a content
//! hash in their name (`css/zhibu.1a2b3c4d5e.css`), so that servers can let
//! browsers keep them for a year while pages stay fresh.

use std::collections::BTreeMap;

use crate::model::Site;
use crate::outputs::{Data, OutputFile};
use crate::render::theme::Theme;

/// 64-bit FNV-1a of some bytes as 10 hex digits: short, stable, and plenty
/// for telling versions of one file apart.
pub fn content_hash(parts: &[&[u8]]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // a separator, so that ("ab", "c") and ("a", "bc") differ
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")[..10].to_string()
}

fn fingerprinted(path: &str) -> bool {
    path.ends_with(".css") || path.ends_with(".js")
}

/// Output name of every static file: `css/zhibu.css` ->
/// `css/zhibu.1a2b3c4d5e.css`; other files keep their name.
pub fn fingerprints(theme: &Theme) -> BTreeMap<String, String> {
    theme
        .statics()
        .map(|(path, f)| {
            let out = if fingerprinted(path) {
                let (stem, ext) = path.rsplit_once('.').unwrap_or((path, ""));
                format!("{stem}.{}.{ext}", content_hash(&[&f.bytes]))
            } else {
                path.to_string()
            };
            (path.to_string(), out)
        })
        .collect()
}

pub fn files(site: &Site, theme: &Theme) -> Vec<OutputFile> {
    let mut out = Vec::new();
    let names = fingerprints(theme);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes() {
        assert_eq!(content_hash(&[b"body{}"]).len(), 10);
        assert_eq!(content_hash(&[b"a"]), content_hash(&[b"a"]));
        assert_ne!(content_hash(&[b"a"]), content_hash(&[b"b"]));
        assert_ne!(content_hash(&[b"ab", b"c"]), content_hash(&[b"a", b"bc"]));
    }
}
