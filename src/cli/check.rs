//! `yuan check [DIR]`: load, check, report.

use super::{Color, Format};
use crate::diag::{self, Severity};
use chrono::NaiveDate;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The plan repository (default: the current directory).
    #[arg(default_value_os_t = super::default_dir())]
    pub(crate) dir: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(crate) format: Format,
    /// The date time-based rules use (YYYY-MM-DD); default `[check] today`, else the system date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub(crate) today: Option<NaiveDate>,
    /// `--deny warnings` makes warnings fail the check (exit 1).
    #[arg(long, value_name = "warnings", value_parser = ["warnings"])]
    pub(crate) deny: Option<String>,
    /// Report only documents changed since this git revision (and the documents that depend on
    /// them); the whole repository is still loaded so references resolve. E.g. `origin/main`.
    #[arg(long, value_name = "REV")]
    pub(crate) changed_since: Option<String>,
    /// Check what the next commit records: the files staged in the git index, not the working
    /// files; report only the staged changes and the documents that depend on them (the
    /// pre-commit hook).
    #[arg(long, conflicts_with = "changed_since")]
    pub(crate) staged: bool,
    /// Parse every file again instead of reusing `.yuan-cache/` (which is then left as it is).
    #[arg(long)]
    pub(crate) no_cache: bool,
    /// Colour the human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub(crate) color: Color,
}

pub(crate) fn run(args: &Args, run: &super::Run) -> anyhow::Result<i32> {
    let report = if args.staged {
        let staged = crate::git::staged(&args.dir)?;
        crate::Check::in_memory(staged.files, run.date())
            .changed(staged.changed)
            .today(args.today)
            .progress(run.progress)
            .run()?
    } else {
        crate::Check::new(&args.dir, run.date())
            .today(args.today)
            .progress(run.progress)
            .cache(!args.no_cache)
            .changed_since(args.changed_since.as_deref())
            .run()?
    };
    let lang = run.lang(report.loaded.config.check.lang.as_deref());
    for note in &report.loaded.notes {
        eprintln!("{}", note.get(lang));
    }
    // what the changes are counted against: `since REV`, or the staging area against HEAD
    let (since_zh, since_en) = match (&args.changed_since, args.staged) {
        (Some(rev), _) => (format!("自 {rev} 以来"), format!("since {rev}")),
        (None, true) => ("暂存区相对 HEAD".to_string(), "staged".to_string()),
        (None, false) => (String::new(), String::new()),
    };
    let rev = (args.changed_since.is_some() || args.staged).then_some(());
    if let (Some(()), Some((changed, scope))) = (rev, &report.scope) {
        let note = match scope {
            Some(paths) => {
                let (n, m) = (changed.len(), paths.len());
                if lang == crate::diag::Lang::Zh {
                    format!(
                        "{since_zh}改动 {n} 个文件；只报告这些文件及依赖它们的文档（共 {m} 个）"
                    )
                } else {
                    format!("{n} files changed {since_en}; reporting them and the documents that depend on them ({m} in all)")
                }
            }
            None => {
                if lang == crate::diag::Lang::Zh {
                    format!("{since_zh}登记册或 yuan.toml 有改动，可能影响所有文档：报告全部")
                } else {
                    format!("a registry or yuan.toml changed {since_en}, which can affect any document: reporting all")
                }
            }
        };
        eprintln!("{note}");
    }
    let stdout = std::io::stdout();
    // buffered: the JSON and SARIF outputs are written one diagnostic at a time
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut timer = crate::timing::Timer::new();
    // where the plan root sits in its git working tree (one look-up, for SARIF and the gate)
    let base =
        (args.staged || args.format == Format::Sarif).then(|| diag::sarif::Base::detect(&args.dir));
    // The commit gate (`--staged`, run by the pre-commit hook from the top of the working
    // tree) names files as git does, relative to the top (`plans/province/a.md`), in every
    // format, as SARIF always does; other runs name them relative to the plan root.
    let top = base
        .as_ref()
        .map(|b| b.prefix.as_str())
        .filter(|p| args.staged && !p.is_empty());
    let shown = top.map(|p| from_top(&report.diagnostics, p));
    let (diags, prefix) = match (&shown, top) {
        (Some(d), Some(p)) => (d.as_slice(), format!("{p}/")),
        _ => (report.diagnostics.as_slice(), String::new()),
    };
    // source lines are read by the path inside the plan root
    let snippet = |p: &str| {
        let inside = p.strip_prefix(prefix.as_str()).unwrap_or(p);
        report.loaded.corpus.read_text(inside)
    };
    match args.format {
        Format::Human => diag::human::emit_with(
            &mut out,
            Some(&snippet),
            diags,
            &report.summary,
            lang,
            run.colour(args.color),
        )?,
        Format::Json => diag::json::write(&mut out, diags, &report.summary, lang)?,
        Format::Sarif => diag::sarif::write(
            &mut out,
            Some(&|p: &str| report.loaded.corpus.read_text(p)),
            &report.diagnostics,
            lang,
            &base.unwrap_or_else(|| diag::sarif::Base::detect(&args.dir)),
        )?,
    }
    out.flush()?;
    timer.lap("output");
    // files that changed on disk while the run read them (during the rules or for snippets)
    if let Some(note) = report.loaded.corpus.changed_note() {
        eprintln!("{}", note.get(lang));
    }
    let deny_warnings = args.deny.is_some();
    let failed = report.diagnostics.iter().any(|d| {
        d.severity == Severity::Error || (deny_warnings && d.severity == Severity::Warning)
    });
    // The process ends now: leave the repository's memory to the OS instead of freeing 100,000
    // documents one by one (a few tenths of a second).
    std::mem::forget(report);
    Ok(i32::from(failed))
}

/// `diags` with their paths relative to the top of the working tree, the plan root being at
/// `prefix` below it.
fn from_top(diags: &[diag::Diagnostic], prefix: &str) -> Vec<diag::Diagnostic> {
    diags
        .iter()
        .map(|d| {
            let mut d = d.clone();
            if !d.path.is_empty() {
                d.path = format!("{prefix}/{}", d.path.trim_start_matches("./"));
            }
            d
        })
        .collect()
}
