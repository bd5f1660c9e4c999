//! zhibu (支部): a static site generator for university Party branches.
//!
//! The build is a straight pipeline; each stage is a module with a typed
//! output: [`config`] → [`load`] → [`parse`] → [`model`] → [`render`] →
//! [`outputs`] → [`write`], driven by [`pipeline`]. See ARCHITECTURE.md.

pub mod cache;
pub mod check;
pub mod cli;
pub mod config;
pub mod deps;
pub mod diagnostics;
pub mod files;
pub mod images;
pub mod load;
pub mod model;
pub mod outputs;
pub mod parse;
pub mod pipeline;
pub mod produce;
pub(crate) mod qr;
pub mod render;
pub mod routes;
pub mod scaffold;
pub mod serve;
pub mod session;
pub mod slug;
pub mod tally;
pub mod theme;
pub(crate) mod timeline;
pub mod write;
