//! The cards as one self-contained HTML page (phones, with print CSS), from a Tera template.

use super::content::CardView;
use super::CardSize;
use crate::render::templates;
use qrcode::{EcLevel, QrCode};
use serde::Serialize;
use std::fmt::Write as _;
use std::path::Path;

#[derive(Serialize)]
struct CardCtx<'a> {
    view: &'a CardView,
    /// Inline SVG of the QR code (generated here, no user markup).
    qr_svg: String,
}

/// The QR code as an inline SVG: one path of unit squares.
pub fn qr_svg(data: &str) -> String {
    let Ok(code) = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M) else {
        return String::new();
    };
    let n = code.width();
    let colors = code.to_colors();
    let mut d = String::new();
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let _ = write!(d, "M{} {}h1v1h-1z", i % n + 4, i / n + 4);
        }
    }
    let size = n + 8;
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" role=\"img\" aria-label=\"QR\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path d=\"{d}\" fill=\"#000\"/></svg>"
    )
}

/// Renders `cards` into one HTML page.
pub fn render(
    root: &Path,
    title: &str,
    cards: &[&CardView],
    size: CardSize,
) -> anyhow::Result<String> {
    let ctxs: Vec<CardCtx> = cards
        .iter()
        .map(|v| CardCtx {
            view: v,
            qr_svg: qr_svg(&v.qr),
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
