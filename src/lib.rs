//! yuan (预案): emergency plans as code.
//!
//! The library's one entry point is [`Check`]: the whole of `yuan check` but the output.
//!
//! ```no_run
//! let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).expect("a date");
//! let report = yuan::Check::new(std::path::Path::new("plans"), date).run()?;
//! println!("{} errors", report.summary.errors);
//! # Ok::<(), anyhow::Error>(())
//! ```
//!
//! The modules are the pipeline, one per stage (ARCHITECTURE.md, "Stages and seams"):
//! `source` (the one way in) → `parse` (syntax) → `model` (meaning) → `check` (rules) →
//! `render` (the generator driver and the one way out), with `diag` beside every stage. Items
//! are `pub(crate)` unless this crate's own tests, benchmarks or fuzz targets reach them; the
//! modules that are `pub` are so for them and are not a stable API (`#[doc(hidden)]`).
//! The documentation is for the people who work on yuan: `cargo doc --document-private-items`,
//! where a public item's doc may link to a private one.

#![allow(rustdoc::private_intra_doc_links)]

pub(crate) mod align;
#[doc(hidden)]
pub mod cache;
#[doc(hidden)]
pub mod cards;
#[doc(hidden)]
pub mod check;
#[doc(hidden)]
pub mod cli;
#[doc(hidden)]
pub mod config;
pub(crate) mod diag;
#[doc(hidden)]
pub mod drills;
#[doc(hidden)]
pub mod export;
pub(crate) mod git;
#[doc(hidden)]
pub mod handbook;
#[doc(hidden)]
pub mod import;
#[doc(hidden)]
pub mod load;
#[doc(hidden)]
pub mod model;
#[doc(hidden)]
pub mod parse;
#[doc(hidden)]
pub mod render;
pub(crate) mod review;
#[doc(hidden)]
pub mod schema;
#[doc(hidden)]
pub mod source;
pub(crate) mod timing;

pub use check::pipeline::{Check, Report};
