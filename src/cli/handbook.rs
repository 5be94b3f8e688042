//! `yuan handbook [DIR]`: response handbooks (应急响应工作手册) as one offline HTML file and one
//! PDF per handbook ([`crate::handbook::Handbooks`] through the generator driver).

use super::{Color, Run};
use crate::handbook::{Handbooks, Selection};
use crate::render::driver;
use std::path::PathBuf;

/// Which files to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum OutFormat {
    Html,
    Pdf,
    Both,
}

/// Page style of the PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum PageStyle {
    /// A4, 20 mm margins, 10.5 pt body, running header.
    Default,
    /// GB/T 9704-2012 measures: margins 37/35/28/26 mm, 22 lines of 28 characters (size 3, 16 pt),
    /// page numbers "— N —" on the outer side. Supply FangSong with --font and HeiTi with --font-bold.
    Official,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["plan", "hazard", "all"])))]
pub(crate) struct Args {
    /// The plan repository (default: the current directory).
    #[arg(default_value_os_t = super::default_dir())]
    pub(crate) dir: PathBuf,
    /// The handbook of this plan.
    #[arg(long, value_name = "ID")]
    pub(crate) plan: Option<String>,
    /// One book of the vertical chain for this hazard id: province, city and county special
    /// plans and the enterprise plans under them.
    #[arg(long, value_name = "HAZARD")]
    pub(crate) hazard: Option<String>,
    /// One handbook per plan.
    #[arg(long)]
    pub(crate) all: bool,
    /// Output folder (default: DIR/out/handbook).
    #[arg(short, long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
    /// Files to write.
    #[arg(long, value_enum, default_value_t = OutFormat::Both)]
    pub(crate) format: OutFormat,
    /// PDF page style.
    #[arg(long, value_enum, default_value_t = PageStyle::Default)]
    pub(crate) style: PageStyle,
    #[command(flatten)]
    pub(crate) fonts: super::FontArgs,
    /// Colour the diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub(crate) color: Color,
}

pub(crate) fn run(args: &Args, run: &Run) -> anyhow::Result<i32> {
    let selection = match (&args.plan, &args.hazard) {
        (Some(p), _) => Selection::Plan(p.clone()),
        (None, Some(h)) => Selection::Hazard(h.clone()),
        _ => Selection::All,
    };
    let books = Handbooks::new(
        selection,
        args.format != OutFormat::Pdf,
        args.format != OutFormat::Html,
        args.style == PageStyle::Official,
    );
    let request = run.request(&args.dir, args.out.as_deref(), &args.fonts, args.color);
    driver::generate(&books, &request)
}
