//! The handbook as one self-contained HTML file (offline, print CSS, contents with anchors),
//! from the Tera template `templates/handbook/handbook.html.tera` (built in, overridable from
//! the plan repository). Values are escaped by Tera; the plan text arrives as HTML that
//! [`crate::render::markdown::to_html`] escaped (raw HTML in a plan is shown, not run).

use super::content::BookView;
use super::pdf::chinese_number;
use crate::render::templates;
use std::path::Path;

/// Renders `book` into one HTML page.
pub(crate) fn render(root: &Path, book: &BookView) -> anyhow::Result<String> {
    let mut ctx = tera::Context::new();
    ctx.insert("book", book);
    let numbers: Vec<String> = (1..=30).map(chinese_number).collect();
    ctx.insert("cn", &numbers);
    templates::render_html(root, "handbook/handbook.html.tera", &ctx)
}
