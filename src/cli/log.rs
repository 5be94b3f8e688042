//! `yuan log ID [DIR]`: the commits that changed a plan or card, newest first, following
//! renames. Front-matter dates stay authoritative; this is the history git adds to them.

use super::Format;
use crate::diag::error::said_in;
use crate::diag::Lang;
use crate::git;
use crate::{env_error, text};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Document id (a plan or a card).
    pub(crate) id: String,
    /// The plan repository (default: the current directory).
    #[arg(default_value_os_t = super::default_dir())]
    pub(crate) dir: PathBuf,
    /// Output format (human or json).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(crate) format: Format,
}

pub(crate) fn run(args: &Args, run: &super::Run) -> anyhow::Result<i32> {
    let loaded = crate::load::load(&args.dir)?;
    let lang = run.lang(loaded.config.check.lang.as_deref());
    show(args, &loaded, lang).map_err(|e| said_in(e, lang))
}

/// Prints the history of `args.id`, saying everything in `lang`.
fn show(args: &Args, loaded: &crate::load::Loaded, lang: Lang) -> anyhow::Result<i32> {
    let id = &args.id;
    let Some(doc) = loaded.corpus.doc(id) else {
        return Err(env_error!(
            "没有 id 为 {id} 的文档（yuan list 列出全部文档）",
            "no document has the id {id} (yuan list shows them all)"
        ));
    };
    let Some(history) = git::history(&args.dir, &doc.path)? else {
        return Err(env_error!(
            "不是 git 仓库（或还没有提交），没有修订历史",
            "not a git repository (or no commit yet): there is no history"
        ));
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        Format::Json => {
            let v = serde_json::json!({
                "id": args.id,
                "path": doc.path,
                "truncated": history.truncated,
                "revisions": history.revisions.iter().map(|r| serde_json::json!({
                    "commit": r.commit,
                    "date": r.date(),
                    "author": r.author,
                    "summary": r.summary,
                    "path": r.path,
                })).collect::<Vec<_>>(),
            });
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        }
        _ => {
            // ids, paths, authors and commit summaries come from the repository: escaped
            use crate::diag::terminal::escape;
            writeln!(out, "{}  {}", escape(&args.id), escape(&doc.path))?;
            let mut path = doc.path.as_str();
            for r in &history.revisions {
                let short = r.commit.get(..7).unwrap_or(&r.commit);
                let (author, summary) = (escape(&r.author), escape(&r.summary));
                write!(out, "{}  {short}  {author}  {summary}", r.date())?;
                if r.path != path {
                    let was = escape(&r.path);
                    let before = text!("  （此前为 {was}）", "  (was {was})");
                    write!(out, "{}", before.get(lang))?;
                    path = r.path.as_str();
                }
                writeln!(out)?;
            }
            if history.revisions.is_empty() {
                let none = text!("（尚未提交）", "(not committed yet)");
                writeln!(out, "{}", none.get(lang))?;
            }
            if history.truncated {
                let shallow = text!(
                    "注意：浅克隆，历史不完整；最早一条可能并未修改此文件（git fetch --unshallow 可取得完整历史）",
                    "note: shallow clone, history truncated; the oldest entry may not have changed this file (git fetch --unshallow gets the rest)"
                );
                writeln!(out, "{}", shallow.get(lang))?;
            }
        }
    }
    Ok(0)
}
