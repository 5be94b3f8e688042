//! `yuan cards [DIR]`: disposal cards as PDF (one per card plus a combined print file) and as
//! one offline HTML page ([`crate::cards::Cards`] through the generator driver).

use super::{Color, Run};
use crate::cards::{CardSize, Cards, Selection};
use crate::render::driver;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The plan repository (default: the current directory).
    #[arg(default_value_os_t = super::default_dir())]
    pub(crate) dir: PathBuf,
    /// Only the cards of this on-site plan (repeatable).
    #[arg(long = "plan", value_name = "ID")]
    pub(crate) plans: Vec<String>,
    /// Only this card (repeatable).
    #[arg(long = "card", value_name = "ID")]
    pub(crate) cards: Vec<String>,
    /// Only the cards of this enterprise (repeatable).
    #[arg(long = "enterprise", value_name = "ID")]
    pub(crate) enterprises: Vec<String>,
    /// Output folder (default: DIR/out/cards).
    #[arg(short, long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
    /// Card size (default `[cards] size`, else a6).
    #[arg(long, value_enum)]
    pub(crate) size: Option<CardSize>,
    /// Impose N cards on each A4 sheet with crop marks in the combined file (e.g. 4 for A6).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=16))]
    pub(crate) nup: Option<u16>,
    /// Two-sided cards: steps on the front; numbers, cautions and PPE on the back.
    #[arg(long)]
    pub(crate) duplex: bool,
    #[command(flatten)]
    pub(crate) fonts: super::FontArgs,
    /// Do not write cards.html.
    #[arg(long)]
    pub(crate) no_html: bool,
    /// Colour the diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub(crate) color: Color,
}

pub(crate) fn run(args: &Args, run: &Run) -> anyhow::Result<i32> {
    let cards = Cards {
        selection: Selection {
            plans: args.plans.clone(),
            cards: args.cards.clone(),
            enterprises: args.enterprises.clone(),
        },
        size: args.size,
        nup: args.nup,
        duplex: args.duplex,
        html: !args.no_html,
        only_broken: Default::default(),
        entries: Default::default(),
        left_for_registry: Default::default(),
    };
    let request = run.request(&args.dir, args.out.as_deref(), &args.fonts, args.color);
    driver::generate(&cards, &request)
}
