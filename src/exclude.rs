//! TODO(resources-core): the one exclude function of SPEC §1.1, shared by build and sync.
