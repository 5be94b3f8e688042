//! Hostile repositories: see the module docs of `tests/hostile.rs`.

#[allow(unused_imports)]
use super::support;
