//! TODO(build): plan (pure) then apply (I/O) of `agb build` (SPEC §1.6).
