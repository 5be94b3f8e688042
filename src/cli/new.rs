//! `yuan new KIND`: a new document with every mandatory section of its profile, rendered from
//! the Tera templates in `templates/new/` (built in; a repository's own `templates/new/*.tera`
//! override them). The scaffold is a draft full of `待定`, which `yuan check` keeps reporting
//! until every one is filled in.

use crate::config::Config;
use crate::diag::error::said_in;
use crate::env_error;
use crate::model::meta::Kind;
use crate::model::sections;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Document kind: overall, special, department, grassroots, joint, comprehensive, onsite, card.
    pub(crate) kind: String,
    /// Document id (also the file name).
    #[arg(long, default_value = "new-plan")]
    pub(crate) id: String,
    /// Title.
    #[arg(long, default_value = "待定")]
    pub(crate) title: String,
    /// Enterprise organisation id: makes an enterprise document (required for comprehensive,
    /// onsite and card).
    #[arg(long)]
    pub(crate) enterprise: Option<String>,
    /// Administrative level of a government plan.
    #[arg(long, default_value = "county")]
    pub(crate) level: String,
    /// Repository whose yuan.toml section profiles and templates/ overrides apply.
    #[arg(long, default_value_os_t = super::default_dir())]
    pub(crate) dir: PathBuf,
    /// Date to put in `dates` (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub(crate) date: Option<chrono::NaiveDate>,
    /// Write to this file (refuses to overwrite) instead of standard output.
    #[arg(short, long)]
    pub(crate) output: Option<PathBuf>,
}

const PLAN_TEMPLATE: &str = include_str!("../../templates/new/plan.md.tera");
const CARD_TEMPLATE: &str = include_str!("../../templates/new/card.md.tera");

fn chinese_number(n: usize) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => D[n].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", D[n - 10]),
        _ => n.to_string(),
    }
}

pub(crate) fn run(args: &Args, run: &super::Run) -> anyhow::Result<i32> {
    let (config, _) = crate::load::read_config(&args.dir)?;
    let lang = run.lang(config.check.lang.as_deref());
    scaffold(args, run, &config)
        .and_then(|text| print_or_create(args.output.as_deref(), &text))
        .map_err(|e| said_in(e, lang))?;
    Ok(0)
}

/// The new document's text, from the template of its kind.
fn scaffold(args: &Args, run: &super::Run, config: &Config) -> anyhow::Result<String> {
    let asked = &args.kind;
    let Some(kind) = Kind::parse(asked) else {
        return Err(env_error!(
            "未知的文档类别 `{asked}`；可用：overall、special、department、grassroots、joint、comprehensive、onsite、card",
            "unknown kind `{asked}`; use one of overall, special, department, grassroots, joint, comprehensive, onsite, card"
        ));
    };
    if kind == Kind::Drill {
        return Err(env_error!(
            "演练记录要从其预案生成：请用 `yuan drills new --plan 预案ID`",
            "drill records are scaffolded from their plan: use `yuan drills new --plan PLAN_ID`"
        ));
    }
    if kind.enterprise_only() && args.enterprise.is_none() {
        let kind = kind.as_str();
        return Err(env_error!(
            "`{kind}` 是企业文档：请加上 --enterprise 企业ID",
            "`{kind}` is an enterprise document: add --enterprise ORG_ID"
        ));
    }
    let mut ctx = tera::Context::new();
    ctx.insert("id", &args.id);
    ctx.insert("kind", kind.as_str());
    ctx.insert("title", &args.title);
    ctx.insert("version", "1.0");
    ctx.insert("level", &args.level);
    ctx.insert("enterprise", &args.enterprise);
    // `yuan new` has always taken the system date, not `[check] today`
    let date = run.today(args.date, None);
    ctx.insert("today", &date.to_string());
    let parent_hint = match kind {
        Kind::Overall => Some("上一级总体预案 id（省级可删去此行）"),
        Kind::Special if args.enterprise.is_some() => Some("本企业综合应急预案 id"),
        Kind::Special | Kind::Department => Some("本级总体预案 id"),
        Kind::Grassroots => Some("本级或上级总体/专项预案 id"),
        Kind::Onsite => Some("本企业综合或专项应急预案 id"),
        _ => None,
    };
    ctx.insert("parent_hint", &parent_hint);
    let mut list = Vec::new();
    if let Some(name) = sections::profile_name(kind, args.enterprise.is_some()) {
        let profile = sections::profile(&config.sections, name);
        let (mut top, mut sub) = (0, 0);
        for s in profile {
            let (depth, number) = if s.within.is_some() {
                sub += 1;
                (2, format!("（{}）", chinese_number(sub)))
            } else {
                top += 1;
                sub = 0;
                (1, format!("{}、", chinese_number(top)))
            };
            list.push(serde_json::json!({
                "title": s.title, "hashes": "#".repeat(depth), "number": number,
                "source": s.source.clone().unwrap_or_default(),
            }));
        }
    }
    ctx.insert("sections", &list);
    let (name, builtin) = if kind == Kind::Card {
        ("card.md.tera", CARD_TEMPLATE)
    } else {
        ("plan.md.tera", PLAN_TEMPLATE)
    };
    // the repository's own scaffold, through the repository boundary (a regular file inside
    // it, capped), rendered by a Tera that cannot reach the machine
    let rel = format!("templates/new/{name}");
    let (template, origin) = match crate::render::templates::read_own(&args.dir, &rel)? {
        Some(t) => (t, rel),
        None => (builtin.to_string(), format!("built-in {name}")),
    };
    crate::render::templates::render(name, &template, &origin, &ctx)
}

/// Prints a scaffold, or writes it to a new file (an existing file is never overwritten).
pub(super) fn print_or_create(output: Option<&std::path::Path>, text: &str) -> anyhow::Result<()> {
    match output {
        None => print!("{text}"),
        Some(path) => crate::render::output::create_new(path, text.as_bytes())?,
    }
    Ok(())
}
