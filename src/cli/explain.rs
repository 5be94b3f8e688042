//! `yuan explain CODE`: a rule's documentation, from its doc comment.

use super::resolve_lang;
use crate::check::registry::{self, RULES};
use crate::check::RuleInfo;
use crate::diag::Lang;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Rule code, e.g. S501.
    pub code: Option<String>,
    /// List every rule (with --markdown: the whole rule reference, docs/rules.md).
    #[arg(long)]
    pub all: bool,
    /// Markdown output.
    #[arg(long)]
    pub markdown: bool,
}

fn severity_name(i: &RuleInfo, lang: Lang) -> &'static str {
    i.severity.label(lang)
}

/// The rule reference as Markdown (docs/rules.md is this text; a test keeps it current).
pub fn reference_markdown() -> String {
    let mut s = String::from(
        "# 规则 · Rules\n\nGenerated from the rule registry by `yuan explain --all --markdown`; do not edit by hand.\n\n| Code | Name | Default | Summary |\n|---|---|---|---|\n",
    );
    for r in RULES {
        let i = r.info();
        s.push_str(&format!(
            "| [{}](#{}) | `{}` | {} | {} · {} |\n",
            i.code,
            i.code.to_lowercase(),
            i.name,
            i.severity.as_str(),
            i.summary.0,
            i.summary.1
        ));
    }
    for r in RULES {
        let i = r.info();
        s.push_str(&format!("\n## {}\n\n`{}` · default **{}**\n\n", i.code, i.name, i.severity.as_str()));
        let doc = i.doc_text().replace("\n## ", "\n### ");
        s.push_str(&doc);
        s.push('\n');
    }
    s
}

pub fn run(args: &Args, lang: Option<&str>) -> anyhow::Result<i32> {
    let lang = resolve_lang(lang, None);
    if args.all || args.code.is_none() {
        if args.markdown {
            print!("{}", reference_markdown());
        } else {
            for r in RULES {
                let i = r.info();
                let summary = if lang == Lang::Zh { i.summary.0 } else { i.summary.1 };
                println!("{}  {:<28} {:<7}  {}", i.code, i.name, severity_name(i, lang), summary);
            }
        }
        return Ok(0);
    }
    let code = args.code.as_deref().unwrap_or_default();
    let Some(rule) = registry::find(code) else {
        anyhow::bail!("unknown rule code `{code}`; `yuan explain --all` lists them");
    };
    let i = rule.info();
    println!("{} {} ({})\n", i.code, i.name, severity_name(i, lang));
    println!("{}", i.doc_text());
    Ok(0)
}
