//! TODO(factory): the module factory (SPEC §2).
pub mod publish;
