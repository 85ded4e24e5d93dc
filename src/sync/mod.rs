//! `agb sync`: carry edits made in the project back into the source repository (SPEC §1.7).
//!
//! Plan (three-way, pure) then apply. The frontmatter patcher lives in [`patch`].

pub mod patch;
