//! `yuan list [DIR]`: the documents of a repository, as a table or JSON.

use crate::diag::error::said_in;
use crate::load;
use crate::model::meta::Kind;
use serde_json::json;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The plan repository (default: the current directory).
    #[arg(default_value_os_t = super::default_dir())]
    pub(crate) dir: PathBuf,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub(crate) format: ListFormat,
    /// Only documents of this kind.
    #[arg(long)]
    pub(crate) kind: Option<String>,
}

pub(crate) fn run(args: &Args, run: &super::Run) -> anyhow::Result<i32> {
    let loaded = load::load(&args.dir)?;
    let filter = match &args.kind {
        Some(k) => Some(Kind::parse(k).ok_or_else(|| {
            let lang = run.lang(loaded.config.check.lang.as_deref());
            said_in(
                crate::env_error!("未知的文档类别 `{k}`", "unknown kind `{k}`"),
                lang,
            )
        })?),
        None => None,
    };
    let rows: Vec<_> = loaded
        .corpus
        .docs
        .iter()
        .filter(|d| d.id.is_some())
        .filter(|d| filter.is_none() || d.kind == filter)
        .map(|d| {
            let plan = d.plan();
            json!({
                "id": d.id,
                "kind": d.kind.map(Kind::as_str),
                // Drill records are neither: they name the plans they exercise.
                "profile": match d.kind {
                    Some(Kind::Drill) => None,
                    _ if d.is_enterprise() => Some("enterprise"),
                    _ => Some("government"),
                },
                "level": plan.and_then(|p| p.level).map(|l| l.as_str()),
                "jurisdiction": plan.map(|p| p.jurisdiction.as_str()).or(d.card().and_then(|c| c.jurisdiction.as_deref())),
                "enterprise": plan.and_then(|p| p.enterprise.as_deref()).or(d.card().map(|c| c.enterprise.as_str())),
                "parent": d.parent(),
                "version": plan.map(|p| p.version.as_str()).or(d.card().map(|c| c.version.as_str())),
                "path": d.path,
                "title": d.title(),
            })
        })
        .collect();
    match args.format {
        ListFormat::Json => println!("{}", serde_json::to_string_pretty(&rows)?),
        ListFormat::Table => {
            // ids, paths and titles come from the repository: escaped for the terminal
            let s = |v: &serde_json::Value, k: &str| {
                crate::diag::terminal::escape(v[k].as_str().unwrap_or("-")).into_owned()
            };
            let idw = rows
                .iter()
                .map(|r| s(r, "id").len())
                .max()
                .unwrap_or(2)
                .max(2);
            println!(
                "{:<idw$}  {:<13}  {:<10}  {:<idw$}  TITLE",
                "ID", "KIND", "PROFILE", "PARENT"
            );
            for r in &rows {
                println!(
                    "{:<idw$}  {:<13}  {:<10}  {:<idw$}  {}",
                    s(r, "id"),
                    s(r, "kind"),
                    s(r, "profile"),
                    s(r, "parent"),
                    s(r, "title")
                );
            }
        }
    }
    Ok(0)
}
