//! zhibu (支部): a static site generator for university Party branches.
//!
//! The build is a straight pipeline; each stage is a module with a typed
//! output: [`config`] → [`load`] → [`parse`] → [`model`] → [`render`] →
//! [`outputs`] → [`write`]. See ARCHITECTURE.md.

pub mod config;
pub mod diagnostics;
pub mod load;
pub mod parse;
pub mod slug;
pub mod model;
