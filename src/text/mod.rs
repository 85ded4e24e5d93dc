//! Text-level pieces shared by every module that reads or writes the YAML files a user edits:
//! writing a string as a YAML scalar ([`yaml_scalar`]), finding the line of a key in a file
//! ([`locate`]), pointing an error at a place in a file for miette ([`located`]), refusing
//! YAML too deep or too large before it is parsed ([`yaml_guard`]), and printing names with
//! their control characters escaped ([`shown`]).
//!
//! Also a span-keeping JSON reader ([`json_span`]) for edits of `catalog.json` that keep every
//! other byte.
//!
//! Pure functions over strings; each module only needs std, serde_yaml and miette, so the fuzz
//! crate can compile one by path.
//!
//! Not here: parsing YAML into values (serde_yaml, `source::frontmatter`), the error enums that
//! use [`Located`] (one per module), reading or writing files.

pub mod json_span;
pub mod locate;
pub mod located;
pub mod shown;
pub mod yaml_guard;
pub mod yaml_scalar;

pub use locate::{line_of_offset, locate_key};
pub use located::Located;
