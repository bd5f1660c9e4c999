//! zhibu (支部): a static site generator for university Party branches.
//!
//! The build is a straight pipeline; each stage is a module with a typed
//! output: [`config`] → [`load`] → [`parse`] → [`model`] → [`render`] →
//! [`outputs`] → [`write`], driven by [`pipeline`]. See ARCHITECTURE.md.

pub mod cache;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod images;
pub mod load;
pub mod model;
pub mod outputs;
pub mod parse;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod slug;
pub mod write;
