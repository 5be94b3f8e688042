//! yuan (预案): emergency plans as code.
//!
//! The pipeline, one module per stage:
//! 1. [`source`]: which files of the repository to read;
//! 2. [`parse`]: bytes -> front matter (YAML) + Markdown structure, never failing;
//! 3. [`model`]: typed documents and registries, indexed by id ([`load`] drives 1–3);
//! 4. [`check`]: rules over the corpus, each in its own file, reporting [`diag::Diagnostic`]s;
//! 5. [`diag`]: human, JSON and SARIF output;
//! 6. [`render`]: fonts, line breaking, layout model and PDF shared by the generators:
//!    [`cards`] (disposal cards). [`git`] supplies the provenance every artefact carries.
//!
//! [`review`] (`yuan diff`) runs source → parse on two revisions and compares them.

pub mod align;
pub mod cache;
pub mod cards;
pub mod check;
pub mod cli;
pub mod config;
pub mod diag;
pub mod drills;
pub mod git;
pub mod handbook;
pub mod load;
pub mod model;
pub mod parse;
pub mod render;
pub mod review;
pub mod schema;
pub mod source;
pub mod timing;

pub use check::pipeline::{Check, Report};
