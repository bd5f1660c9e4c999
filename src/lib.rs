//! zhibu (支部): a static site generator for university Party branches.
//!
//! The build is a straight pipeline; each stage is a module with a typed
//! output: [`config`] → [`load`] → [`parse`] → [`model`] → [`render`] →
//! [`outputs`] → [`write`], driven by [`pipeline`]. See ARCHITECTURE.md.

pub mod cache;
pub mod check;
pub mod cli;
pub mod config;
pub mod controls;
pub mod deps;
pub mod diagnostics;
mod fences;
pub mod files;
mod hashing;
pub mod images;
pub mod load;
pub mod model;
pub mod outputs;
pub mod parse;
mod paths_check;
pub mod pipeline;
pub mod produce;
pub(crate) mod qr;
pub mod render;
pub mod routes;
pub mod scaffold;
pub mod serve;
pub mod session;
mod site_walk;
pub mod slug;
pub mod tally;
mod textpos;
pub mod theme;
pub(crate) mod timeline;
mod toml_yaml;
pub mod write;
