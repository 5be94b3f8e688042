//! Rendering shared by every generator (cards, handbooks, exercise packs): fonts, Chinese line
//! breaking, a plain layout model, PDF drawing, QR codes, templates and atomic output.
//!
//! Generators lay out into [`layout::Page`]s, which tests can snapshot, and [`pdf::write`]
//! draws them. There is one text layout in yuan, and it lives here.

pub(crate) mod driver;
pub mod flow;
pub mod font;
pub mod layout;
pub(crate) mod markdown;
pub(crate) mod output;
pub mod pdf;
pub mod qr;
pub(crate) mod templates;
pub(crate) mod text;
