//! TODO(factory): the module factory (SPEC §2).

pub mod bump;
pub mod compare;
pub mod validate;
