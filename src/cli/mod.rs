//! The command line: clap definitions and dispatch. One file per subcommand.
//!
//! Exit codes (documented in docs/cli.md): 0 no errors, 1 errors found (or warnings with
//! `--deny warnings`), 2 yuan could not run (bad arguments, unreadable directory, failed write).

mod align;
mod cards;
mod check;
mod diff;
mod drills;
mod drills_pack;
mod drills_report;
mod explain;
mod export;
mod handbook;
mod help;
mod hook;
mod import;
mod list;
mod log;
mod new;
mod schemas;

use crate::diag::Lang;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// The examples of `yuan --help` in English (the Chinese ones are in `help::ZH`).
const AFTER_HELP: &str = "\
Examples:
  yuan check plans                    check the whole plan repository under plans/
  yuan check --format json > out.json machine-readable findings (for CI)
  yuan check --format sarif > yuan.sarif
  yuan list plans --format json       list every document
  yuan explain S501                   what a rule checks
  yuan new onsite --enterprise hd-chem --id hd-onsite-boiler -o hd-onsite-boiler.md
  yuan cards plans --nup 4            disposal cards as PDF (A6, 4 on an A4 sheet) and HTML
  yuan diff main.. -C plans --format markdown   change review (for merge requests)
  yuan drills status plans            drill compliance (last drill, next due, corrective actions)
  yuan handbook plans --plan xj-flood response handbook (HTML and PDF)
  yuan export xj-flood plans          Word documents in the official style (GB/T 9704)
  yuan import plan.docx --out plans   a Word plan into plan repository documents

Exit codes: 0 = no errors, 1 = errors found, 2 = could not run
Language: Chinese by default; --lang en or YUAN_LANG=en for English";

/// yuan: emergency plans as code (the about `help::command` gives in each language).
#[derive(Debug, Parser)]
#[command(name = "yuan", version, about, after_help = AFTER_HELP)]
pub(crate) struct Cli {
    /// Message language: zh (default) or en. Also YUAN_LANG, `[check] lang`, or the locale.
    #[arg(long, global = true, value_name = "LANG")]
    pub(crate) lang: Option<String>,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Validate a plan repository.
    #[command(
        after_help = "Examples:\n  yuan check plans\n  yuan check plans --today 2027-01-01 --deny warnings\n  yuan check . --format sarif > yuan.sarif\n  yuan check plans --changed-since origin/main\n  yuan check plans --staged                   check what is about to be committed\n  yuan check plans --no-cache                 without the parse cache .yuan-cache/"
    )]
    Check(check::Args),
    /// List the documents of a repository.
    #[command(
        after_help = "Examples:\n  yuan list plans\n  yuan list plans --format json --kind card"
    )]
    List(list::Args),
    /// Explain a rule: what it checks, why, how to fix.
    #[command(after_help = "Examples:\n  yuan explain S501\n  yuan explain --all")]
    Explain(explain::Args),
    /// Print a new document with every mandatory section.
    #[command(
        after_help = "Examples:\n  yuan new special --id qx-geo > plans/county/qx-geo.md\n  yuan new onsite --enterprise hd-chem --id hd-onsite-boiler -o hd-onsite-boiler.md\n  yuan new card --from hd-onsite-loading --dir plans   a card drafted from an on-site plan"
    )]
    New(new::Args),
    /// Generate on-site disposal cards as PDF and HTML.
    #[command(
        after_help = "Examples:\n  yuan cards plans                         every card → plans/out/cards/\n  yuan cards plans --nup 4                 4 cards per A4 sheet, crop marks\n  yuan cards plans --plan hd-onsite-reactor --size pocket\n  yuan cards plans --card hd-card-reactor-operator --duplex\n  yuan cards plans --font /usr/share/fonts/truetype/wqy/wqy-microhei.ttc#0\n\nOutputs: <ID>.pdf per card, cards.pdf (print file), cards.html (phones, offline).\nSOURCE_DATE_EPOCH, else the commit time, dates the PDFs: same input, same bytes."
    )]
    Cards(cards::Args),
    /// Generate response handbooks as HTML and PDF.
    #[command(
        after_help = "Examples:\n  yuan handbook plans --plan xj-flood           one plan → plans/out/handbook/\n  yuan handbook plans --hazard hazchem          one book, province to enterprise\n  yuan handbook plans --all --format html       one book per plan, HTML only\n  yuan handbook plans --plan xj-flood --style official \\\n      --font /usr/share/fonts/fangsong.ttf --font-bold /usr/share/fonts/simhei.ttf\n\nContents: cover (issuer, version, effective date, source commit), contents, response-level\nmatrix, per-role checklists per level, reporting flow chart, warning levels, contacts (duty phones\nfirst), teams/stockpiles/shelters, linked plans, revision history, then the plan text.\n--style official: GB/T 9704 measures (margins 37/35/28/26 mm, 22 lines x 28 characters); the\nstandard wants FangSong body text and HeiTi headings, which yuan does not ship: pass them with\n--font and --font-bold (a .ttc face as file.ttc#N).\nTemplates: put templates/handbook/handbook.html.tera in the plan repository to brand the HTML.\nSOURCE_DATE_EPOCH, else the commit time, dates the PDFs: same input, same bytes."
    )]
    Handbook(handbook::Args),
    /// Export plans as Word documents in the official-document style (GB/T 9704-2012).
    #[command(
        after_help = "Examples:\n  yuan export xj-flood plans                 one plan → plans/out/export/xj-flood.docx\n  yuan export xj-flood qx-flood plans -o review/   several plans, written to review/\n  yuan export hd-comprehensive plans --whole        an enterprise's whole plan as one document: cover,\n                                                    approval page, contents, comprehensive, special\n                                                    and on-site plans, annexes\n  yuan export hd-comprehensive plans --whole --cards   the disposal cards as annexes too\n  yuan export plans --all                           one document per plan\n  yuan export xj-flood -C plans                     -C names the repository when an id is also a folder\n\nPage (GB/T 9704-2012): A4; margins 37/35/28/26 mm; 22 lines x 28 characters; title in\nFZXiaoBiaoSong 22 pt; body in FangSong_GB2312 16 pt; level-1 headings HeiTi, level 2 KaiTi_GB2312;\npage numbers \"— 1 —\" in SongTi 14 pt. Fonts are names: the reader's Word or WPS draws them with its\nown fonts (docs/export.md lists which to install and what stands in for a missing one).\nHeadings are Word headings (Heading 1, Heading 2 ...): a Word-style plan's plain-line headings too.\nPlans with errors are not exported (yuan check shows why).\nSOURCE_DATE_EPOCH, else the commit time, dates the documents: same input, same bytes."
    )]
    Export(export::Args),
    /// The commits that changed a plan or card, following renames.
    #[command(
        after_help = "Examples:\n  yuan log xj-flood plans\n  yuan log hd-card-reactor-operator plans --format json"
    )]
    Log(log::Args),
    /// Record that a plan or card was reviewed against its upstream.
    #[command(
        after_help = "Examples:\n  yuan align qx-flood plans                       re-aligned with parent and links.upper\n  yuan align hd-card-reactor-operator plans --dry-run\n  yuan align qx-flood plans --with xj-flood --today 2026-03-01\n  yuan align hd-onsite-reactor plans --with contact:hd-duty\n\nRewrites only the `aligned:` field of that file; `yuan check` (A304) warns when an upstream changes after it."
    )]
    Align(align::Args),
    /// Review the plan changes between two revisions: sections, major changes, documents to
    /// re-align.
    #[command(
        after_help = "Examples:\n  yuan diff                                 working tree against main's merge-base\n  yuan diff main..HEAD -C plans --format markdown > review.md\n  yuan diff v2025.1..v2026.1 --format json\n  yuan diff origin/main... --fail-on-major  CI: exit 1 on a major change\n\nMajor changes (organisation and duties, response procedure, main measures, response\ngrading) need re-approval and re-filing within 20 working days (docs/regulations.md)."
    )]
    Diff(diff::Args),
    /// Drill management: compliance status, schedule, new drill records, exercise packs.
    #[command(
        after_help = "Examples:\n  yuan drills status plans                 last drill, next due, corrective actions\n  yuan drills status plans --format json\n  yuan drills schedule plans --from 2027-01 --months 24   a two-year schedule → plans/out/drills/\n  yuan drills new plans --plan xj-flood                    a draft drill record\n  yuan drills pack dr-2026-xj-geo plans                    an exercise pack (both copies)"
    )]
    Drills(drills::Args),
    /// Install a git pre-commit hook that checks changed plans.
    #[command(
        after_help = "Examples:\n  yuan hook install plans\n  yuan hook install . --force\n\nThe hook runs `yuan check DIR --staged` (the content being committed); `git commit --no-verify` skips it once."
    )]
    Hook(hook::Args),
    /// Import Word (.docx) or text plans as documents of a plan repository.
    #[command(
        after_help = "Examples:\n  yuan import flood-plan.docx --out plans/county --id qx-flood --jurisdiction qx\n  yuan import hd-plan.docx --out hd --split auto --id hd --enterprise hd-chem\n                                           a whole enterprise plan: comprehensive, special and on-site\n                                           plans each a document, sharing one _defaults.yaml\n  yuan import a.docx b.docx c.txt --out imported --format json\n  soffice --headless --convert-to docx old-plan.doc   convert a .doc with LibreOffice first\n\nA folder that is not in a plan repository becomes one (yuan.toml, registry entries marked\n`imported`). What the text does not say is written as a placeholder with `status: draft`: `yuan check`\nreports it (T801). Bad input (corrupt, .doc, password, zip bomb): one line, exit 2, nothing written.\nSee docs/import.md."
    )]
    Import(import::Args),
    /// Print or write the JSON Schemas of every document kind (for editors).
    #[command(after_help = "Examples:\n  yuan schemas\n  yuan schemas --write schemas")]
    Schemas(schemas::Args),
}

/// Output format of reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Human,
    Json,
    Sarif,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    /// Whether to colour, `auto` meaning `by_default`.
    fn given(self, by_default: bool) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => by_default,
        }
    }
}

/// `auto` colours when NO_COLOR is unset and standard output is a terminal.
fn colour_by_default() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal()
}

/// What every command shares, resolved once when the run starts and passed down: the
/// language asked for (the repository's `[check] lang` joins it once its config is read),
/// whether output goes to a terminal (progress bars, colour), and the system date, the last
/// fallback of `today`. Nothing below the CLI reads the environment or the clock for these.
pub(crate) struct Run {
    /// `--lang`, else YUAN_LANG.
    asked: Option<Lang>,
    /// The locale (LC_ALL, LC_MESSAGES, LANG).
    locale: Option<Lang>,
    /// Standard error is a terminal: progress bars.
    pub(crate) progress: bool,
    colour: bool,
    clock: chrono::NaiveDate,
    /// `SOURCE_DATE_EPOCH` (reproducible-builds.org), if set and valid: dates the outputs.
    epoch: Option<i64>,
}

impl Run {
    /// The run as the flags and the environment give it.
    pub(crate) fn detect(lang_flag: Option<&str>) -> Run {
        use std::io::IsTerminal;
        let env = |var: &str| std::env::var(var).ok().as_deref().and_then(Lang::parse);
        Run {
            asked: lang_flag.and_then(Lang::parse).or_else(|| env("YUAN_LANG")),
            locale: ["LC_ALL", "LC_MESSAGES", "LANG"]
                .iter()
                .find_map(|v| env(v)),
            progress: std::io::stderr().is_terminal(),
            colour: colour_by_default(),
            clock: chrono::Local::now().date_naive(),
            epoch: std::env::var("SOURCE_DATE_EPOCH")
                .ok()
                .and_then(|v| v.trim().parse::<i64>().ok()),
        }
    }

    /// The language: flag, then YUAN_LANG, then the repository's `config`, then the locale;
    /// default zh.
    pub(crate) fn lang(&self, config: Option<&str>) -> Lang {
        self.asked
            .or_else(|| config.and_then(Lang::parse))
            .or(self.locale)
            .unwrap_or(Lang::Zh)
    }

    /// Whether to colour the findings, given `--color`.
    pub(crate) fn colour(&self, flag: Color) -> bool {
        flag.given(self.colour)
    }

    /// The date of the run, read from the clock once.
    pub(crate) fn date(&self) -> chrono::NaiveDate {
        self.clock
    }

    /// The day a command judges on: its flag, then `[check] today`, then the system date.
    pub(crate) fn today(
        &self,
        flag: Option<chrono::NaiveDate>,
        config: Option<chrono::NaiveDate>,
    ) -> chrono::NaiveDate {
        flag.or(config).unwrap_or(self.clock)
    }

    /// What the generator driver needs of the run, for the repository `dir`.
    fn request<'a>(
        &'a self,
        dir: &'a std::path::Path,
        out: Option<&'a std::path::Path>,
        fonts: &'a FontArgs,
        colour: Color,
    ) -> crate::render::driver::Request<'a> {
        crate::render::driver::Request {
            dir,
            out,
            font: fonts.font.as_deref(),
            font_bold: fonts.font_bold.as_deref(),
            progress: self.progress,
            colour: self.colour(colour),
            lang: self,
            date: self.clock,
            epoch: self.epoch,
        }
    }
}

impl crate::render::driver::Language for Run {
    fn lang(&self, config: Option<&str>) -> Lang {
        Run::lang(self, config)
    }
}

/// Font options of the generators (cards, handbooks).
#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct FontArgs {
    /// Regular font: .ttf/.otf, or file.ttc#N (default `[render] font`, else built-in).
    #[arg(long, value_name = "FILE")]
    pub(crate) font: Option<String>,
    /// Bold font, also for headings (default `[render] font_bold`; synthetic bold with a
    /// custom --font).
    #[arg(long, value_name = "FILE")]
    pub(crate) font_bold: Option<String>,
}

/// Default DIR of commands: the current directory.
pub(crate) fn default_dir() -> PathBuf {
    PathBuf::from(".")
}

impl Command {
    /// The plan repository the command works on, if it takes one.
    fn dir_mut(&mut self) -> Option<&mut PathBuf> {
        Some(match self {
            Command::Check(a) => &mut a.dir,
            Command::List(a) => &mut a.dir,
            Command::New(a) => &mut a.dir,
            Command::Cards(a) => &mut a.dir,
            Command::Handbook(a) => &mut a.dir,
            Command::Export(a) => a.resolve(),
            Command::Log(a) => &mut a.dir,
            Command::Diff(a) => &mut a.dir,
            Command::Hook(a) => &mut a.dir,
            Command::Align(a) => &mut a.dir,
            Command::Drills(a) => match &mut a.command {
                drills::Sub::Status(a) => &mut a.dir,
                drills::Sub::Schedule(a) => &mut a.dir,
                drills::Sub::New(a) => &mut a.dir,
                drills::Sub::Pack(a) => &mut a.dir,
                drills::Sub::Report(a) => a.dir_mut(),
            },
            Command::Explain(_) | Command::Schemas(_) | Command::Import(_) => return None,
        })
    }
}

/// Moves `dir` to the plan repository it is in or holds (`source::find_root`: run from the git
/// root above `plans/`, or from a subfolder of a repository, a command checks the repository,
/// not hundreds of files that are not plans), and says which root it used (`Ok(Some(note))`).
/// Where there is no repository, or several below and none is named, `Err(hint)`: one line
/// saying what yuan looked for and how to go on, and exit code 2 (yuan could not run), instead
/// of one finding per file. `yuan new` (`may_start`) works without a repository: it prints a
/// template.
fn find_root(
    dir: &mut PathBuf,
    may_start: bool,
) -> Result<Option<crate::diag::Text>, crate::diag::Text> {
    use crate::source::Root;
    let given = crate::diag::terminal::escape(&dir.display().to_string()).into_owned();
    let (root, zh, en) = match crate::source::find_root(dir) {
        Root::Given => return Ok(None),
        Root::Missing | Root::Several(_) if may_start => return Ok(None),
        Root::Missing => {
            return Err(crate::text!(
                "yuan 无法运行：{given} 不是预案库：它本身、它的上级目录和其下两层都没有 yuan.toml。新建预案库请在其根目录创建 yuan.toml（可以为空，见 docs/format.md §6）；检查已有的预案库请写明其目录：yuan check 目录",
                "yuan could not run: {given} is not a plan repository: no yuan.toml in it, in a folder above it or up to two levels below. To start one, create yuan.toml at its root (it may be empty; docs/format.md §6); to check one, name its folder: yuan check DIR"
            ));
        }
        Root::Several(found) => {
            let list = found
                .iter()
                .map(|p| crate::diag::terminal::escape(&p.display().to_string()).into_owned())
                .collect::<Vec<_>>();
            let (first, all) = (list[0].clone(), list.join(", "));
            return Err(crate::text!(
                "yuan 无法运行：{given} 之下有多个预案库（{all}），请写明要用哪一个，例如 yuan check {first}",
                "yuan could not run: {given} holds several plan repositories ({all}): name the one to use, e.g. yuan check {first}"
            ));
        }
        Root::Above(r) => (r, "其上级目录", "the folder above"),
        Root::Below(r) => (r, "其下的预案库", "the plan repository below it"),
    };
    let shown = crate::diag::terminal::escape(&root.display().to_string()).into_owned();
    *dir = root;
    Ok(Some(crate::text!(
        "注意：{given} 中没有 yuan.toml，使用{zh} {shown}",
        "note: {given} has no yuan.toml; using {en}, {shown}"
    )))
}

/// Runs the CLI and returns the exit code.
pub fn main() -> i32 {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // help and argument errors come before a `Run`: their language from the arguments
    let said = help::lang_before_parse(&args);
    let parsed = help::command(said)
        .try_get_matches_from(&args)
        .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m));
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => return clap_exit(&e, said),
    };
    // yuan only reads repositories; like git itself, it trusts the object store instead of
    // hashing every object it reads again (SHA-1 with collision detection: most of the time
    // of reading a 100,000-file tree for `--changed-since` or following history for `yuan log`)
    git2::opts::strict_hash_verification(false);
    let lang = cli.lang.as_deref();
    let run = Run::detect(lang);
    let mut cli = cli;
    let may_start = matches!(cli.command, Command::New(_));
    if let Some(dir) = cli.command.dir_mut() {
        match find_root(dir, may_start) {
            Ok(Some(note)) => eprintln!("{}", note.get(run.lang(None))),
            Ok(None) => {}
            Err(hint) => {
                eprintln!("{}", hint.get(run.lang(None)));
                return 2;
            }
        }
    }
    let result = match &cli.command {
        Command::Check(a) => check::run(a, &run),
        Command::List(a) => list::run(a, &run),
        Command::Explain(a) => explain::run(a, &run),
        Command::New(a) => new::run(a, &run),
        Command::Schemas(a) => schemas::run(a),
        Command::Cards(a) => cards::run(a, &run),
        Command::Handbook(a) => handbook::run(a, &run),
        Command::Export(a) => export::run(a, &run),
        Command::Log(a) => log::run(a, &run),
        Command::Diff(a) => diff::run(a, &run),
        Command::Hook(a) => hook::run(a, &run),
        Command::Align(a) => align::run(a, &run),
        Command::Drills(a) => drills::run(a, &run),
        Command::Import(a) => import::run(a, &run),
    };
    match result {
        Ok(code) => code,
        // standard output closed by its reader (where SIGPIPE does not end the process first):
        // nothing is left to say, and nobody to say it to
        Err(e) if closed_pipe(&e) => 0,
        Err(e) => {
            let told = crate::diag::error::language(&e).unwrap_or(run.lang(None));
            // an error may quote a file name or an id from the repository
            let e = crate::diag::error::describe(&e, told);
            let e = crate::diag::terminal::escape(&e).into_owned();
            let line = crate::text!("yuan 无法运行: {e}", "yuan could not run: {e}");
            eprintln!("{}", line.get(told));
            2
        }
    }
}

/// Prints what clap has to say instead of running (help, the version, an argument error) in
/// `lang`, and gives the exit code: 0 for help and the version, 2 for an error.
fn clap_exit(e: &clap::Error, lang: Lang) -> i32 {
    use std::io::{IsTerminal, Write};
    let to_stderr = e.use_stderr();
    let styled = e.render();
    let colour = std::env::var_os("NO_COLOR").is_none()
        && if to_stderr {
            std::io::stderr().is_terminal()
        } else {
            std::io::stdout().is_terminal()
        };
    let rendered = if colour {
        styled.ansi().to_string()
    } else {
        styled.to_string()
    };
    use clap::error::ErrorKind;
    let shown = match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => help::clap_words(&rendered, lang),
        _ if lang == Lang::Zh => help::error_zh(e, &styled.to_string()),
        _ => rendered,
    };
    // a closed pipe (`yuan --help | head`) is not an error of the user's
    let _ = if to_stderr {
        std::io::stderr().write_all(shown.as_bytes())
    } else {
        std::io::stdout().write_all(shown.as_bytes())
    };
    if to_stderr {
        2
    } else {
        0
    }
}

/// Whether `e` is a write to a pipe whose reader has gone.
fn closed_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
