//! TODO(factory): the module factory (SPEC §2).
