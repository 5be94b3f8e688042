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
mod explain;
mod handbook;
mod hook;
mod list;
mod log;
mod new;
mod schemas;

use crate::diag::Lang;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Examples / 示例:
  yuan check plans                    检查 plans/ 下的整个预案库
  yuan check --format json > out.json 机器可读结果（供 CI 使用）
  yuan check --format sarif > yuan.sarif
  yuan list plans --format json       列出全部文档
  yuan explain S501                   规则说明
  yuan new onsite --enterprise hd-chem --id hd-onsite-boiler -o hd-onsite-boiler.md
  yuan cards plans --nup 4            处置卡 PDF（A6，4 张拼一张 A4）和 HTML
  yuan diff main.. -C plans --format markdown   变更审查（合并请求用）
  yuan drills status plans            演练合规情况（上次演练、下次到期、整改）
  yuan handbook plans --plan xj-flood 应急响应工作手册（HTML 和 PDF）

Exit codes / 退出码: 0 = no errors 无错误, 1 = errors found 发现错误, 2 = could not run 无法运行";

/// yuan (预案): emergency plans as code. 应急预案即代码。
#[derive(Debug, Parser)]
#[command(name = "yuan", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// Message language: zh (default) or en. Also YUAN_LANG, `[check] lang`, or the locale.
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a plan repository. 校验预案库。
    #[command(
        after_help = "Examples / 示例:\n  yuan check plans\n  yuan check plans --today 2027-01-01 --deny warnings\n  yuan check . --format sarif > yuan.sarif\n  yuan check plans --changed-since origin/main\n  yuan check plans --no-cache                 不用解析缓存 .yuan-cache/"
    )]
    Check(check::Args),
    /// List the documents of a repository. 列出文档。
    #[command(
        after_help = "Examples / 示例:\n  yuan list plans\n  yuan list plans --format json --kind card"
    )]
    List(list::Args),
    /// Explain a rule: what it checks, why, how to fix. 解释规则。
    #[command(after_help = "Examples / 示例:\n  yuan explain S501\n  yuan explain --all")]
    Explain(explain::Args),
    /// Print a new document with every mandatory section. 生成新文档模板。
    #[command(
        after_help = "Examples / 示例:\n  yuan new special --id qx-geo > plans/county/qx-geo.md\n  yuan new onsite --enterprise hd-chem --id hd-onsite-boiler -o hd-onsite-boiler.md"
    )]
    New(new::Args),
    /// Generate on-site disposal cards as PDF and HTML. 生成应急处置卡。
    #[command(
        after_help = "Examples / 示例:\n  yuan cards plans                         全部处置卡 → plans/out/cards/\n  yuan cards plans --nup 4                 合订本 4 张一版拼在 A4 上，带裁切线\n  yuan cards plans --plan hd-onsite-reactor --size pocket\n  yuan cards plans --card hd-card-reactor-operator --duplex\n  yuan cards plans --font /usr/share/fonts/truetype/wqy/wqy-microhei.ttc#0\n\nOutputs / 输出: <ID>.pdf per card, cards.pdf (print file), cards.html (phones, offline).\nSOURCE_DATE_EPOCH, else the commit time, dates the PDFs: same input, same bytes."
    )]
    Cards(cards::Args),
    /// Generate response handbooks (应急响应工作手册) as HTML and PDF. 生成应急响应工作手册。
    #[command(
        after_help = "Examples / 示例:\n  yuan handbook plans --plan xj-flood           一个预案的手册 → plans/out/handbook/xj-flood.{html,pdf}\n  yuan handbook plans --hazard hazchem          危化品事故：省、市、县专项预案和企业预案合订一本\n  yuan handbook plans --all --format html       每个预案一本，只要 HTML\n  yuan handbook plans --plan xj-flood --style official \\\n      --font /usr/share/fonts/fangsong.ttf --font-bold /usr/share/fonts/simhei.ttf\n\nContents / 内容: cover (issuer, version, effective date, source commit), contents, response-level\nmatrix, per-role checklists per level, reporting flow chart, warning levels, contacts (duty phones\nfirst), teams/stockpiles/shelters, linked plans, revision history, then the plan text.\n--style official: GB/T 9704 measures (margins 37/35/28/26 mm, 22 lines x 28 characters); the\nstandard wants 仿宋 body text and 黑体 headings, which yuan does not ship: pass them with\n--font and --font-bold (a .ttc face as file.ttc#N).\nTemplates: put templates/handbook/handbook.html.tera in the plan repository to brand the HTML.\nSOURCE_DATE_EPOCH, else the commit time, dates the PDFs: same input, same bytes."
    )]
    Handbook(handbook::Args),
    /// The commits that changed a plan or card, following renames. 修订历史。
    #[command(
        after_help = "Examples / 示例:\n  yuan log xj-flood plans\n  yuan log hd-card-reactor-operator plans --format json"
    )]
    Log(log::Args),
    /// Record that a plan or card was reviewed against its upstream. 记录上下衔接复核。
    #[command(
        after_help = "Examples / 示例:\n  yuan align qx-flood plans                       与 parent 和 links.upper 重新衔接\n  yuan align hd-card-reactor-operator plans --dry-run\n  yuan align qx-flood plans --with xj-flood --today 2026-03-01\n  yuan align hd-onsite-reactor plans --with contact:hd-duty\n\nRewrites only the `aligned:` field of that file; `yuan check` (A304) warns when an upstream changes after it."
    )]
    Align(align::Args),
    /// Review the plan changes between two revisions: sections, major changes, documents to
    /// re-align. 变更审查。
    #[command(
        after_help = "Examples / 示例:\n  yuan diff                                 与主分支的共同祖先比较工作区\n  yuan diff main..HEAD -C plans --format markdown > review.md\n  yuan diff v2025.1..v2026.1 --format json\n  yuan diff origin/main... --fail-on-major  CI：有重大修订时退出码 1\n\nMajor changes (重大修订: organisation and duties, response procedure, main measures, response\ngrading) need re-approval and re-filing within 20 working days (domain.md §2.6, §3 Art. 37)."
    )]
    Diff(diff::Args),
    /// Drill management: compliance status, schedule, new drill records, exercise packs. 演练管理。
    #[command(
        after_help = "Examples / 示例:\n  yuan drills status plans                 每个预案的上次演练、下次到期、逾期和整改\n  yuan drills status plans --format json\n  yuan drills schedule plans --from 2027-01 --months 24   两年演练计划 → plans/out/drills/\n  yuan drills new plans --plan xj-flood                    演练记录草稿\n  yuan drills pack dr-2026-xj-geo plans                    演练资料包（导调版、参演版）"
    )]
    Drills(drills::Args),
    /// Install a git pre-commit hook that checks changed plans. 安装提交前检查钩子。
    #[command(
        after_help = "Examples / 示例:\n  yuan hook install plans\n  yuan hook install . --force\n\nThe hook runs `yuan check DIR --changed-since HEAD`; `git commit --no-verify` skips it once."
    )]
    Hook(hook::Args),
    /// Print or write the JSON Schemas of every document kind (for editors). 输出 JSON Schema。
    #[command(after_help = "Examples / 示例:\n  yuan schemas\n  yuan schemas --write schemas")]
    Schemas(schemas::Args),
}

/// Output format of reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    pub fn enabled(self) -> bool {
        use std::io::IsTerminal;
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal()
            }
        }
    }
}

/// The language: flag, then YUAN_LANG, then the repository config, then the locale; default zh.
pub fn resolve_lang(flag: Option<&str>, config: Option<&str>) -> Lang {
    if let Some(l) = flag.and_then(Lang::parse) {
        return l;
    }
    if let Some(l) = std::env::var("YUAN_LANG")
        .ok()
        .as_deref()
        .and_then(Lang::parse)
    {
        return l;
    }
    if let Some(l) = config.and_then(Lang::parse) {
        return l;
    }
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Some(l) = std::env::var(var).ok().as_deref().and_then(Lang::parse) {
            return l;
        }
    }
    Lang::Zh
}

/// Prints the findings that stopped a generator (sorted, on standard error); nothing when
/// there are none. `counted` is the number of documents the summary line reports as checked.
/// The findings a generator shows for the documents at `wanted`: their errors (upkeep ones
/// included), and the paths among them that stay out of print (see
/// `check::keeps_out_of_print`: a wrong number on paper is worse than none).
pub fn print_findings<'a>(
    all: &'a [crate::diag::Diagnostic],
    wanted: &std::collections::HashSet<&str>,
) -> (
    Vec<crate::diag::Diagnostic>,
    std::collections::HashSet<&'a str>,
) {
    let mut shown = Vec::new();
    let mut kept_out = std::collections::HashSet::new();
    for d in all.iter().filter(|d| wanted.contains(d.path.as_str())) {
        if d.severity == crate::diag::Severity::Error {
            shown.push(d.clone());
        }
        if crate::check::keeps_out_of_print(d) {
            kept_out.insert(d.path.as_str());
        }
    }
    (shown, kept_out)
}

pub fn emit_findings(
    dir: &std::path::Path,
    diags: &mut Vec<crate::diag::Diagnostic>,
    counted: usize,
    lang: Lang,
    color: Color,
) -> anyhow::Result<()> {
    if diags.is_empty() {
        return Ok(());
    }
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup();
    let summary = crate::diag::Summary::count(diags, counted, counted);
    let stderr = std::io::stderr();
    crate::diag::human::emit(
        &mut stderr.lock(),
        dir,
        diags,
        &summary,
        lang,
        color.enabled(),
    )?;
    Ok(())
}

/// Font options of the generators (cards, handbooks).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FontArgs {
    /// Regular font: .ttf/.otf, or file.ttc#N (default `[render] font`, else built-in).
    #[arg(long, value_name = "FILE")]
    pub font: Option<String>,
    /// Bold font, also for headings (default `[render] font_bold`; synthetic bold with a
    /// custom --font).
    #[arg(long, value_name = "FILE")]
    pub font_bold: Option<String>,
}

impl FontArgs {
    /// The faces to draw with: flags first, then `[render]`, else the built-in font.
    /// Flag paths are relative to the current directory and may lie anywhere (the user chose
    /// them); config paths are relative to the repository and read only inside it.
    pub fn load(
        &self,
        config: &crate::config::Config,
        dir: &std::path::Path,
    ) -> anyhow::Result<crate::render::font::Fonts> {
        crate::render::font::Fonts::load(&self.choice(config), dir)
    }

    /// Which faces the flags and `[render]` select.
    pub fn choice(&self, config: &crate::config::Config) -> crate::render::font::FontChoice {
        use crate::render::font::FontPath;
        let pick = |flag: &Option<String>, setting: &Option<String>| {
            flag.clone()
                .map(FontPath::User)
                .or_else(|| setting.clone().map(FontPath::Repository))
        };
        crate::render::font::FontChoice {
            regular: pick(&self.font, &config.render.font),
            bold: pick(&self.font_bold, &config.render.font_bold),
        }
    }
}

/// Default DIR of commands: the current directory.
pub fn default_dir() -> PathBuf {
    PathBuf::from(".")
}

/// Runs the CLI and returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    // yuan only reads repositories; like git itself, it trusts the object store instead of
    // hashing every object it reads again (SHA-1 with collision detection: most of the time
    // of reading a 100,000-file tree for `--changed-since` or following history for `yuan log`)
    git2::opts::strict_hash_verification(false);
    let lang = cli.lang.as_deref();
    let result = match &cli.command {
        Command::Check(a) => check::run(a, lang),
        Command::List(a) => list::run(a, lang),
        Command::Explain(a) => explain::run(a, lang),
        Command::New(a) => new::run(a, lang),
        Command::Schemas(a) => schemas::run(a),
        Command::Cards(a) => cards::run(a, lang),
        Command::Handbook(a) => handbook::run(a, lang),
        Command::Log(a) => log::run(a, lang),
        Command::Diff(a) => diff::run(a, lang),
        Command::Hook(a) => hook::run(a, lang),
        Command::Align(a) => align::run(a, lang),
        Command::Drills(a) => drills::run(a, lang),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            let told = crate::diag::error::language(&e).unwrap_or(resolve_lang(lang, None));
            let zh = told == Lang::Zh;
            // an error may quote a file name or an id from the repository
            let e = crate::diag::error::describe(&e, told);
            let e = crate::diag::terminal::escape(&e).into_owned();
            eprintln!(
                "{}: {e}",
                if zh {
                    "yuan 无法运行"
                } else {
                    "yuan could not run"
                }
            );
            2
        }
    }
}
