//! TODO(build): `.agb/manifest.json` (SPEC §1.6 step 4).
