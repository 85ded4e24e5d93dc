//! Mirror of `agb::source`, holding only what the frontmatter parser needs.

/// Same as `agb::source::Metadata`.
pub type Metadata = serde_yaml::Mapping;

/// Same as agb's `crate::text::Located`, which `frontmatter` names as `super::Located`.
#[path = "../../../src/text/located.rs"]
#[allow(dead_code)] // only `range` and `known` are used here
mod located;
use located::Located;

#[path = "../../../src/source/frontmatter.rs"]
pub mod frontmatter;

/// Same as agb's `crate::text::yaml_guard`, which `frontmatter` names as `super::yaml_guard`.
#[path = "../../../src/text/yaml_guard.rs"]
#[allow(dead_code)] // MAX_BYTES and MAX_DEPTH are read only through `check`
mod yaml_guard;
