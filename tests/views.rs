//! Snapshots of the views the generators print, before any HTML or PDF: the drill pack's
//! [`PackView`] and the handbook's [`BookView`] with the flow blocks its PDF lays out.
//!
//! The other tests read packs and handbooks back from their PDFs and HTML; these pin what the
//! content stage says, so a change of wording or of a part's order shows as a readable diff.
//! Views are built from copies of the sample repository `plans/` outside any git repository
//! (no commit ids, history or absolute paths), with the source label `test`: deterministic.

mod common;

use common::plans_copy;
use yuan::drills::pack::{self, PackCopy, PackView};
use yuan::handbook::{self, content::BookView, pdf, Index, Selection};
use yuan::render::flow::{Block, ListKind, Run};

/// The source label of every view (a commit id in real runs).
const SOURCE: &str = "test";

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).expect("views serialise")
}

/// One copy of the pack of `drill` from the sample repository.
fn pack_view(drill: &str, copy: PackCopy) -> PackView {
    let repo = plans_copy();
    let loaded = yuan::load::load(repo.path()).expect("load");
    let corpus = &loaded.corpus;
    let meta = corpus
        .doc(drill)
        .and_then(|d| d.drill())
        .expect("a drill record of plans/");
    pack::view(corpus, meta, copy, SOURCE)
}

/// A live drill that is not blind: the controllers' copy holds every part (work plan, script,
/// evaluation forms of the cited clauses, levels, reporting and duties, sign-in, checklists).
#[test]
fn pack_view_of_an_open_live_drill_for_controllers() {
    let v = pack_view("dr-2026-xj-geo", PackCopy::Controllers);
    insta::assert_snapshot!("pack_xj_geo_controllers", json(&v));
}

/// The participants' copy of the same drill: the script, no evaluation forms.
#[test]
fn pack_view_of_an_open_live_drill_for_participants() {
    let v = pack_view("dr-2026-xj-geo", PackCopy::Participants);
    insta::assert_snapshot!("pack_xj_geo_participants", json(&v));
}

/// A single-blind drill, participants: no scenario, no script.
#[test]
fn pack_view_of_a_single_blind_drill_for_participants() {
    let v = pack_view("dr-2026-xj-earthquake", PackCopy::Participants);
    insta::assert_snapshot!("pack_xj_earthquake_participants", json(&v));
}

/// A double-blind drill: the controllers' copy with its warnings, and the participants' copy
/// without title, date, place, objectives, scope or resources.
#[test]
fn pack_views_of_a_double_blind_drill() {
    let c = pack_view("dr-2026-hd-tankfarm-h2", PackCopy::Controllers);
    insta::assert_snapshot!("pack_hd_tankfarm_h2_controllers", json(&c));
    let p = pack_view("dr-2026-hd-tankfarm-h2", PackCopy::Participants);
    insta::assert_snapshot!("pack_hd_tankfarm_h2_participants", json(&p));
}

/// A tabletop drill of an on-site plan that cites no clause: the steps of its response
/// section and the duties of its text.
#[test]
fn pack_view_of_an_onsite_plan_without_cited_clauses() {
    let v = pack_view("dr-2026-hd-reactor-h2", PackCopy::Controllers);
    insta::assert_snapshot!("pack_hd_reactor_h2_controllers", json(&v));
}

/// The book of `sel` from the sample repository, with its flow blocks printed one a line.
fn book(sel: Selection) -> (BookView, String) {
    let repo = plans_copy();
    let loaded = yuan::load::load(repo.path()).expect("load");
    let corpus = &loaded.corpus;
    let index = Index::new(corpus);
    let books = handbook::select(corpus, &sel);
    let plan = books.first().expect("a book of plans/");
    let view = handbook::view(corpus, &index, plan, SOURCE);
    let blocks = pdf::blocks(&view);
    (view, dump_blocks(&blocks))
}

/// The view as JSON without the plan text's HTML (the HTML snapshots of tests/handbook.rs
/// hold it; the blocks below hold the same text as the PDF prints it).
fn book_json(view: &BookView) -> String {
    let mut v = serde_json::to_value(view).expect("views serialise");
    if let Some(parts) = v.get_mut("parts").and_then(|p| p.as_array_mut()) {
        for p in parts {
            if let Some(p) = p.as_object_mut() {
                p.remove("body_html");
            }
        }
    }
    json(&v)
}

/// Runs as Markdown-like text: `**bold**`, `[link](href)`.
fn runs(r: &[Run]) -> String {
    r.iter()
        .map(|r| {
            let t = if r.bold {
                format!("**{}**", r.text)
            } else {
                r.text.clone()
            };
            match &r.href {
                Some(h) => format!("[{t}]({h})"),
                None => t,
            }
        })
        .collect()
}

/// Flow blocks and their anchors, one block a line (table rows and list items indented).
fn dump_blocks(b: &pdf::Blocks) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for (i, block) in b.blocks.iter().enumerate() {
        for a in b.anchors.iter().filter(|a| a.block == i) {
            let row = a.row.map(|r| format!(" row {r}")).unwrap_or_default();
            let _ = writeln!(out, "@{}{row}", a.id);
        }
        let line = |s: &str| s.replace('\n', "⏎");
        let _ = match block {
            Block::Heading { level, text } => writeln!(out, "h{level} {}", line(text)),
            Block::Para(r) => writeln!(out, "para {}", line(&runs(r))),
            Block::Note(t) => writeln!(out, "note {}", line(t)),
            Block::List { kind, items } => {
                let kind = match kind {
                    ListKind::Bullet => "bullet",
                    ListKind::Numbered => "numbered",
                    ListKind::Check => "check",
                };
                let _ = writeln!(out, "list {kind}");
                for it in items {
                    let _ = writeln!(out, "  - {}", line(&runs(it)));
                }
                Ok(())
            }
            Block::Table {
                header,
                rows,
                widths,
                marks,
            } => {
                let _ = writeln!(out, "table {widths:?} marks {marks:?}");
                let _ = writeln!(out, "  | {} |", header.join(" | "));
                for r in rows {
                    let cells: Vec<String> = r.iter().map(|c| line(c)).collect();
                    let _ = writeln!(out, "  | {} |", cells.join(" | "));
                }
                Ok(())
            }
            Block::Flow(steps) => {
                let _ = writeln!(out, "flow");
                for s in steps {
                    let _ = writeln!(
                        out,
                        "  {} -[{}]-> {} : {}",
                        line(&s.from),
                        line(&s.label),
                        line(&s.to),
                        line(&s.note)
                    );
                }
                Ok(())
            }
            Block::PageBreak => writeln!(out, "page break"),
        };
    }
    out
}

/// The handbook of one provincial plan: the view, and its blocks at the top level.
#[test]
fn handbook_view_of_one_plan() {
    let (view, blocks) = book(Selection::Plan("xj-flood".into()));
    insta::assert_snapshot!("handbook_xj_flood_view", book_json(&view));
    insta::assert_snapshot!("handbook_xj_flood_blocks", blocks);
}

/// A hazard's vertical chain: several plans, each part one level down.
#[test]
fn handbook_blocks_of_a_hazard_chain() {
    let (view, blocks) = book(Selection::Hazard("hazchem".into()));
    assert!(view.multi, "the chain holds several plans");
    insta::assert_snapshot!("handbook_hazchem_blocks", blocks);
}
