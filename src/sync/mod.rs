//! TODO(sync): plan (three-way, pure) then apply (SPEC §1.7).
