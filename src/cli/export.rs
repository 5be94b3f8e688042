//! `yuan export ID... [DIR]`: plans as Word documents in the style of GB/T 9704-2012
//! ([`crate::export::Export`] through the generator driver).
//!
//! The plan ids come first and the repository last, as in `yuan log ID DIR` and
//! `yuan align ID DIR`: the last argument is the repository when it names a folder (`-C DIR`
//! names it outright, for an id that is also the name of a folder here).

use super::{Color, Run};
use crate::export::{Export, Selection};
use crate::render::driver;
use std::path::{Path, PathBuf};

/// The file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ExportFormat {
    /// Office Open XML (Word 2007 and later, WPS, LibreOffice).
    Docx,
}

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The plans to export (ids); the last argument is the plan repository when it is a
    /// folder (default: the current directory).
    #[arg(value_name = "ID")]
    pub(crate) args: Vec<String>,
    /// The plan repository (instead of a last argument).
    #[arg(short = 'C', long = "dir", value_name = "DIR")]
    pub(crate) repo: Option<PathBuf>,
    /// Every plan of the repository, one document each.
    #[arg(long)]
    pub(crate) all: bool,
    /// With a comprehensive plan's id: the enterprise's whole plan as one document (cover,
    /// approval page, contents, the comprehensive, special and on-site plans, annexes).
    #[arg(long)]
    pub(crate) whole: bool,
    /// With --whole: the enterprise's disposal cards among the annexes.
    #[arg(long, requires = "whole")]
    pub(crate) cards: bool,
    /// File format.
    #[arg(long, value_enum, default_value_t = ExportFormat::Docx)]
    pub(crate) format: ExportFormat,
    /// Output folder (default: DIR/out/export).
    #[arg(short, long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
    /// Colour the diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub(crate) color: Color,
    /// The repository, once [`Args::resolve`] has read the arguments.
    #[arg(skip)]
    pub(crate) dir: PathBuf,
    /// The ids, once [`Args::resolve`] has read the arguments.
    #[arg(skip)]
    pub(crate) ids: Vec<String>,
}

impl Args {
    /// Splits the arguments into ids and the repository (the last argument when it is a
    /// folder, unless `-C` names it); returns the repository, for the command line to find
    /// its root.
    pub(crate) fn resolve(&mut self) -> &mut PathBuf {
        let mut ids = self.args.clone();
        self.dir = match &self.repo {
            Some(d) => d.clone(),
            None => match ids.last() {
                Some(last) if Path::new(last).is_dir() => {
                    PathBuf::from(ids.pop().unwrap_or_default())
                }
                _ => super::default_dir(),
            },
        };
        self.ids = ids;
        &mut self.dir
    }
}

pub(crate) fn run(args: &Args, run: &Run) -> anyhow::Result<i32> {
    let selection = match (args.all, args.ids.is_empty()) {
        (true, true) => Selection::All,
        (false, false) => Selection::Ids(args.ids.clone()),
        (true, false) => {
            return Err(crate::env_error!(
                "--all 导出全部预案，不能同时给出预案 id",
                "--all exports every plan: give either plan ids or --all"
            ))
        }
        (false, true) => {
            return Err(crate::env_error!(
                "请给出要导出的预案 id，或用 --all 导出全部预案（yuan list 列出全部文档）",
                "name the plans to export (their ids), or --all for every plan (yuan list shows them all)"
            ))
        }
    };
    let ExportFormat::Docx = args.format;
    let export = Export::new(selection, args.whole, args.cards);
    let fonts = super::FontArgs::default();
    let request = run.request(&args.dir, args.out.as_deref(), &fonts, args.color);
    driver::generate(&export, &request)
}
