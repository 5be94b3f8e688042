//! The cards as one self-contained HTML page (generator stage, cards): takes the card views,
//! gives the page (phones, with print CSS), from a Tera template.
//!
//! What the page adds to the views: the list of posts at the top, each post once with its
//! cards by hazard (two cards of the 值班长 are one entry, not two); each step's action cut
//! into plain text and tags (`XV-101A`, `P-302`, phone numbers) that the template keeps on one
//! line; the QR code as inline SVG.

use super::content::CardView;
use super::CardSize;
use crate::render::templates;
use serde::Serialize;
use std::path::Path;

/// A piece of a step's action: plain text, or a tag that must not break across lines.
#[derive(Serialize, Debug, PartialEq)]
pub(crate) struct Part {
    text: String,
    tag: bool,
}

#[derive(Serialize)]
struct CardCtx<'a> {
    view: &'a CardView,
    /// Each step's action in parts (same order as `view.steps`).
    actions: Vec<Vec<Part>>,
    /// Inline SVG of the QR code (generated here, no user markup).
    qr_svg: String,
}

/// A post in the list at the top: its name and its cards (id, hazard).
#[derive(Serialize)]
struct PostCtx<'a> {
    post: &'a str,
    cards: Vec<(&'a str, &'a str)>,
}

/// `text` cut into plain runs and tags ([`crate::render::text::tag_spans`]).
pub(crate) fn parts(text: &str) -> Vec<Part> {
    let mut out = Vec::new();
    let mut at = 0;
    for (a, b) in crate::render::text::tag_spans(text) {
        if a > at {
            out.push(Part {
                text: text[at..a].to_string(),
                tag: false,
            });
        }
        out.push(Part {
            text: text[a..b].to_string(),
            tag: true,
        });
        at = b;
    }
    if at < text.len() || out.is_empty() {
        out.push(Part {
            text: text[at..].to_string(),
            tag: false,
        });
    }
    out
}

/// The posts of `cards`, each once, in the order they first appear.
fn posts<'a>(cards: &[&'a CardView]) -> Vec<PostCtx<'a>> {
    let mut out: Vec<PostCtx> = Vec::new();
    for v in cards {
        let card = (v.id.as_str(), v.hazard.as_str());
        match out.iter_mut().find(|p| p.post == v.post) {
            Some(p) => p.cards.push(card),
            None => out.push(PostCtx {
                post: &v.post,
                cards: vec![card],
            }),
        }
    }
    out
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
            actions: v.steps.iter().map(|s| parts(&s.action)).collect(),
            qr_svg: v.qr_code.as_ref().map(|c| c.svg()).unwrap_or_default(),
        })
        .collect();
    let (w, h) = size.mm();
    let mut ctx = tera::Context::new();
    ctx.insert("title", title);
    ctx.insert("cards", &ctxs);
    ctx.insert("posts", &posts(cards));
    ctx.insert("page_w", &w);
    ctx.insert("page_h", &h);
    templates::render_html(root, "cards/cards.html.tera", &ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_cut_out_of_the_action_and_nothing_is_lost() {
        let p = parts("关闭XV-101A和P-302，报告0745-6628119");
        let tags: Vec<&str> = p
            .iter()
            .filter(|x| x.tag)
            .map(|x| x.text.as_str())
            .collect();
        assert_eq!(tags, ["XV-101A", "P-302", "0745-6628119"]);
        let all: String = p.iter().map(|x| x.text.as_str()).collect();
        assert_eq!(all, "关闭XV-101A和P-302，报告0745-6628119");
        assert_eq!(parts("无位号").len(), 1);
        assert_eq!(parts("").len(), 1);
    }
}
