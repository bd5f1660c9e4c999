//! Stage 5: every extra artifact beside the rendered pages. Each is one small
//! module with one function from the site to files: the calendar, QR codes,
//! static and content files. (Feeds and the sitemap are templates, rendered
//! with the pages, so that themes can change them.)

pub mod assets;
pub mod calendar;
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

/// Calendar, QR codes, copied files and the search index.
pub fn generate(site: &Site, theme: &Theme) -> Vec<OutputFile> {
    let mut out = Vec::new();
    out.push(OutputFile::bytes(
        "calendar.ics",
        calendar::calendar(site).into_bytes(),
    ));
    let qrs: Vec<OutputFile> = site
        .pages
        .par_iter()
        .map(|p| {
            OutputFile::bytes(
                format!("{}qr.svg", p.path),
                qr::svg(&site.permalink(&p.path)).into_bytes(),
            )
        })
        .collect();
    out.extend(qrs);
    out.extend(assets::files(site, theme));
    let tokenizer =
        search::tokenizer::Tokenizer::new(search::dictionary(site).iter().map(String::as_str));
    out.extend(search::build(site, &tokenizer));
    out
}
