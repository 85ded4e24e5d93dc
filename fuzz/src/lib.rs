//! The pure modules of agb that the fuzz targets exercise, compiled straight from agb's sources
//! so a fuzz build does not pull agb's whole dependency tree (gix, reqwest…). The module tree
//! mirrors agb's (`source::frontmatter`, `sync::patch`), so the included files compile unchanged.

pub mod source;
pub mod sync;
pub mod text;
