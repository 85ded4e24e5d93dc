//! Mirror of `agb::text`, holding only the YAML scalar writer the description patcher uses.

#[path = "../../../src/text/yaml_scalar.rs"]
#[allow(dead_code)] // the patcher uses a part of it
pub mod yaml_scalar;
