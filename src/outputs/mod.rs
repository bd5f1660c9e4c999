//! Stage 5: every extra artifact beside the rendered pages. Each is one small
//! module with one function from the site to files: the calendar, QR codes,
//! static and content files. (Feeds and the sitemap are templates, rendered
//! with the pages, so that themes can change them.)

pub mod archive;
pub mod assets;
pub mod calendar;
pub mod ledger_csv;
pub mod search;
