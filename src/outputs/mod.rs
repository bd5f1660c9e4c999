//! Stage 5: every extra artifact beside the rendered pages. Each is one small
//! module with one function from the site to files: the calendar, QR codes,
//! static and content files. (Feeds and the sitemap are templates, rendered
//! with the pages, so that themes can change them.)

pub mod archive;
pub mod assets;
pub mod calendar;
pub mod ledger_csv;
pub mod qr;
pub mod search;

use std::borrow::Cow;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::model::Site;
use crate::render::theme::Theme;

/// What goes into one output file.
#[derive(Clone, Debug)]
pub enum Data {
    Bytes(Vec<u8>),
    Static(Cow<'static, [u8]>),
    /// Copied from this file on disk.
    Copy(PathBuf),
}

#[derive(Clone, Debug)]
pub struct OutputFile {
    /// Relative to the output folder, `/`-separated: `lessons/a/index.html`.
    pub path: String,
    pub data: Data,
}

impl OutputFile {
    pub fn bytes(path: impl Into<String>, bytes: Vec<u8>) -> Self {
        OutputFile {
            path: path.into(),
            data: Data::Bytes(bytes),
        }
    }

    pub fn copy(path: impl Into<String>, from: PathBuf) -> Self {
        OutputFile {
            path: path.into(),
            data: Data::Copy(from),
        }
    }

    /// The contents, reading copied files from disk.
    pub fn read(&self) -> std::io::Result<Cow<'_, [u8]>> {
        Ok(match &self.data {
            Data::Bytes(b) => Cow::Borrowed(b.as_slice()),
            Data::Static(b) => Cow::Borrowed(b.as_ref()),
            Data::Copy(p) => Cow::Owned(std::fs::read(p)?),
        })
    }
}

/// Calendar, QR codes and copied files (the search index is separate: see
/// [`versioned_search`]).
pub fn generate(site: &Site, theme: &Theme) -> Vec<OutputFile> {
    let mut out = vec![calendar_file(site)];
    out.extend(qr_files(site, |_| true));
    out.extend(assets::files(site, theme));
    out.extend(ledger_csv::files(site));
    out
}

/// The search index under a folder named by its content hash
/// (`search/1a2b3c4d5e/`), so that it can be cached for a year; returns
/// that folder's site path and the files.
pub fn versioned_search(site: &Site) -> (String, Vec<OutputFile>) {
    let mut files = search_files(site);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut parts: Vec<&[u8]> = Vec::new();
    for f in &files {
        parts.push(f.path.as_bytes());
        if let Data::Bytes(b) = &f.data {
            parts.push(b);
        }
    }
    let root = format!("search/{}/", assets::content_hash(&parts));
    for f in &mut files {
        if let Some(rest) = f.path.strip_prefix("search/") {
            f.path = format!("{root}{rest}");
        }
    }
    (root, files)
}

pub fn calendar_file(site: &Site) -> OutputFile {
    OutputFile::bytes("calendar.ics", calendar::calendar(site).into_bytes())
}

/// `qr.svg` beside every page for which `which` is true.
pub fn qr_files(
    site: &Site,
    which: impl Fn(&crate::model::Page) -> bool + Sync,
) -> Vec<OutputFile> {
    site.pages
        .par_iter()
        .filter(|p| which(p))
        .map(|p| {
            OutputFile::bytes(
                format!("{}qr.svg", p.path),
                qr::svg(&site.permalink(&p.path)).into_bytes(),
            )
        })
        .collect()
}

/// Every file of the search index.
pub fn search_files(site: &Site) -> Vec<OutputFile> {
    let tokenizer =
        search::tokenizer::Tokenizer::new(search::dictionary(site).iter().map(String::as_str));
    search::build(site, &tokenizer)
}
