//! zhibu (支部): a static site generator for university Party branches.
//!
//! The build is a straight pipeline; each stage is a module with a typed
//! output: [`config`] → [`load`] → [`parse`] → [`model`] → [`render`] →
//! [`outputs`] → [`write`], driven by [`pipeline`]. See ARCHITECTURE.md.

pub mod check;
pub mod cli;
pub mod config;
pub mod controls;
pub mod diagnostics;
mod fences;
pub mod load;
pub mod model;
pub mod outputs;
pub mod parse;
mod paths_check;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod serve;
mod site_walk;
pub mod slug;
mod textpos;
mod toml_yaml;
pub mod write;
