//! The cards as one self-contained HTML page (phones, with print CSS), from a Tera template.

use super::content::CardView;
use super::CardSize;
use crate::render::templates;
use serde::Serialize;
use std::path::Path;

#[derive(Serialize)]
struct CardCtx<'a> {
    view: &'a CardView,
    /// Inline SVG of the QR code (generated here, no user markup).
    qr_svg: String,
}

/// Renders `cards` into one HTML page.
pub(crate) fn render(
    root: &Path,
    title: &str,
    cards: &[&CardView],
    size: CardSize,
) -> anyhow::Result<String> {
    let ctxs: Vec<CardCtx> = cards
        .iter()
        .map(|v| CardCtx {
            view: v,
            qr_svg: v.qr_code.as_ref().map(|c| c.svg()).unwrap_or_default(),
        })
        .collect();
    let (w, h) = size.mm();
    let mut ctx = tera::Context::new();
    ctx.insert("title", title);
    ctx.insert("cards", &ctxs);
    ctx.insert("page_w", &w);
    ctx.insert("page_h", &h);
    templates::render_html(root, "cards/cards.html.tera", &ctx)
}
