//! `yuan drills pack DRILL_ID [DIR]`: the exercise pack of one drill record (演练资料包), one PDF
//! and one HTML file per copy (controllers' and participants'), see [`crate::drills::pack`]
//! and [`crate::drills::pack_print::Packs`] (through the generator driver).

use super::handbook::OutFormat;
use super::{Color, Run};
use crate::drills::pack::PackCopy;
use crate::drills::pack_print::Packs;
use crate::render::driver;
use std::path::PathBuf;

/// Which copies to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum CopyArg {
    /// Controllers' and evaluators' copy: everything, with the script and the evaluation forms.
    Controllers,
    /// Participants' copy: no evaluation forms; no script for a blind drill.
    Participants,
    Both,
}

#[derive(Debug, clap::Args)]
pub(crate) struct PackArgs {
    /// Id of the drill record (`kind: drill`).
    #[arg(value_name = "DRILL_ID")]
    pub(crate) drill: String,
    /// The plan repository (default: the current directory).
    #[arg(default_value_os_t = super::default_dir())]
    pub(crate) dir: PathBuf,
    /// Output folder (default: DIR/out/drills/packs).
    #[arg(short, long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
    /// Copies to print.
    #[arg(long, value_enum, default_value_t = CopyArg::Both)]
    pub(crate) copy: CopyArg,
    /// Files to write.
    #[arg(long, value_enum, default_value_t = OutFormat::Both)]
    pub(crate) format: OutFormat,
    #[command(flatten)]
    pub(crate) fonts: super::FontArgs,
    /// Colour the diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub(crate) color: Color,
}

pub(crate) fn run(args: &PackArgs, run: &Run) -> anyhow::Result<i32> {
    let copies = match args.copy {
        CopyArg::Controllers => vec![PackCopy::Controllers],
        CopyArg::Participants => vec![PackCopy::Participants],
        CopyArg::Both => vec![PackCopy::Controllers, PackCopy::Participants],
    };
    let packs = Packs {
        drill: args.drill.clone(),
        copies,
        html: args.format != OutFormat::Pdf,
        pdf: args.format != OutFormat::Html,
    };
    let request = run.request(&args.dir, args.out.as_deref(), &args.fonts, args.color);
    driver::generate(&packs, &request)
}
