//! TODO(resources-core): agb.yaml → typed, validated Config (SPEC §1.1).
