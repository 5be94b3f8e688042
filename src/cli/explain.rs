//! `yuan explain CODE`: a rule's documentation, from its doc comment.

use crate::check::registry;
use crate::check::RuleInfo;
use crate::diag::{Lang, Text};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Rule code, e.g. S501.
    pub(crate) code: Option<String>,
    /// List every rule (with --markdown: the whole rule reference, docs/rules.md).
    #[arg(long)]
    pub(crate) all: bool,
    /// Markdown output.
    #[arg(long)]
    pub(crate) markdown: bool,
    /// Print the built-in section profiles (docs/sections.md).
    #[arg(long)]
    pub(crate) sections: bool,
}

fn severity_name(i: &RuleInfo, lang: Lang) -> &'static str {
    i.severity.label(lang)
}

pub(crate) fn run(args: &Args, run: &super::Run) -> anyhow::Result<i32> {
    let lang = run.lang(None);
    if args.sections {
        print!("{}", crate::model::sections::reference_markdown());
        return Ok(0);
    }
    if args.all || args.code.is_none() {
        if args.markdown {
            print!("{}", registry::reference_markdown());
        } else {
            for r in registry::every_rule() {
                let i = r.info();
                let summary = Text::new(i.summary.0, i.summary.1);
                println!(
                    "{}  {:<28} {:<7}  {}",
                    i.code,
                    i.name,
                    severity_name(i, lang),
                    summary.get(lang)
                );
            }
        }
        return Ok(0);
    }
    let code = args.code.as_deref().unwrap_or_default();
    let Some(rule) = registry::documented(code) else {
        return Err(crate::env_error!(
            "没有代码为 `{code}` 的规则；`yuan explain --all` 列出全部规则",
            "unknown rule code `{code}`; `yuan explain --all` lists them"
        ));
    };
    let i = rule.info();
    println!("{} {} ({})\n", i.code, i.name, severity_name(i, lang));
    println!("{}", i.doc_in(lang));
    Ok(0)
}
