//! The command line: clap definitions and dispatch. One file per subcommand.
//!
//! Exit codes (documented in docs/cli.md): 0 no errors, 1 errors found (or warnings with
//! `--deny warnings`), 2 yuan could not run (bad arguments, unreadable directory, failed write).

mod cards;
mod check;
mod explain;
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
    /// The commits that changed a plan or card, following renames. 修订历史。
    #[command(
        after_help = "Examples / 示例:\n  yuan log xj-flood plans\n  yuan log hd-card-reactor-operator plans --format json"
    )]
    Log(log::Args),
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
    let lang = cli.lang.as_deref();
    let result = match &cli.command {
        Command::Check(a) => check::run(a, lang),
        Command::List(a) => list::run(a, lang),
        Command::Explain(a) => explain::run(a, lang),
        Command::New(a) => new::run(a, lang),
        Command::Schemas(a) => schemas::run(a),
        Command::Cards(a) => cards::run(a, lang),
        Command::Log(a) => log::run(a, lang),
        Command::Hook(a) => hook::run(a, lang),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            let zh = resolve_lang(lang, None) == Lang::Zh;
            eprintln!(
                "{}: {e:#}",
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
