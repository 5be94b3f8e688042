//! `yuan diff [RANGE] [DIR]`: change review between two revisions (see `crate::review`).

use super::Color;
use crate::diag::error::said_in;
use crate::review;
use std::io::Write;
use std::path::PathBuf;

/// Output format of `yuan diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum DiffFormat {
    Human,
    Markdown,
    Json,
}

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// `REV1..REV2`, `REV1..` or `REV1` (to the working tree), `REV1...REV2` (from their
    /// merge-base). Default: the merge-base of HEAD and the main branch (main, master,
    /// origin/main, origin/master, origin/HEAD) .. the working tree.
    #[arg(value_name = "RANGE")]
    pub(crate) range: Option<String>,
    /// The plan repository (default: the current directory).
    #[arg(long, short = 'C', default_value_os_t = super::default_dir(), value_name = "DIR")]
    pub(crate) dir: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub(crate) format: DiffFormat,
    /// Exit 1 when a plan has a major change, e.g. to require a filing note in CI.
    #[arg(long)]
    pub(crate) fail_on_major: bool,
    /// Colour the human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub(crate) color: Color,
}

pub(crate) fn run(args: &Args, run: &super::Run) -> anyhow::Result<i32> {
    if !args.dir.is_dir() {
        let shown = args.dir.display();
        return Err(crate::env_error!(
            "{shown} 不是目录",
            "{shown} is not a directory"
        ));
    }
    let (config, _) = crate::load::read_config(&args.dir)?;
    let lang = run.lang(config.check.lang.as_deref());
    let report =
        review::review(&args.dir, args.range.as_deref(), &config).map_err(|e| said_in(e, lang))?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = match args.format {
        DiffFormat::Human => {
            // titles, headings and paths come from the repository: rendered whole, then every
            // control character escaped except line ends and yuan's own colours
            let color = run.colour(args.color);
            let mut buf = Vec::new();
            review::render::human(&mut buf, &report, lang, color).and_then(|_| {
                let text = String::from_utf8_lossy(&buf);
                out.write_all(crate::diag::terminal::escape_rendered(&text, color).as_bytes())
            })
        }
        DiffFormat::Markdown => review::render::markdown(&mut out, &report, lang),
        DiffFormat::Json => {
            let v = review::render::json(&report, lang);
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)
        }
    };
    match written {
        // `yuan diff | head` closes the pipe early: not an error of yuan
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other?,
    }
    Ok(i32::from(args.fail_on_major && report.summary.major > 0))
}
