//! The pure modules of agb that the fuzz targets exercise, compiled straight from agb's sources
//! so a fuzz build does not pull agb's whole dependency tree (gix, reqwest…). The module paths
//! mirror agb's, so the included files compile unchanged.

#[path = "../../src/source/frontmatter.rs"]
#[doc(hidden)]
pub mod frontmatter_file;
#[path = "../../src/sync/patch.rs"]
#[doc(hidden)]
pub mod patch_file;

pub mod source {
    pub use crate::frontmatter_file as frontmatter;
}

pub mod sync {
    pub use crate::patch_file as patch;
}
