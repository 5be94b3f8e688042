//! Hostile repositories (SECURITY.md): one small repository per class of attack, built at test
//! time with symlinks, FIFOs and special files. Each test asserts what happened on disk (nothing
//! outside `--out` or the cache changed, nothing of the repository deleted), and that the run
//! ended in bounded time and memory; exit codes alone prove nothing.
//!
//! One file per group of classes, so that each can grow without touching the others.

mod common;

#[path = "hostile/support.rs"]
mod support;

#[path = "hostile/bounds.rs"]
mod bounds;
#[path = "hostile/cache.rs"]
mod cache;
#[path = "hostile/outputs.rs"]
mod outputs;
#[path = "hostile/reader.rs"]
mod reader;
