//! Mirror of `agb::source`, holding only what the frontmatter parser needs.

/// Same as `agb::source::Metadata`.
pub type Metadata = serde_yaml::Mapping;

#[path = "../../../src/source/frontmatter.rs"]
pub mod frontmatter;
