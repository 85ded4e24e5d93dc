//! Text tools shared by the engine: formatting-preserving views of structured files.

pub mod json_span;
