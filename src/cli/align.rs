//! `yuan align ID [DIR] [--with UPSTREAM]`: records, after a review, the state of the upstreams a
//! plan or card is aligned with (上下衔接): their version, a digest of their content, the
//! commit of their last change and the date. It rewrites only the `aligned:` field of that
//! file's front matter; every other byte (comments, key order, body) stays as it was. A plan
//! that is a symbolic link (inside the repository) is edited in place, through the link: the
//! link stays; one that leaves the repository is refused.

use crate::align;
use crate::diag::error::said_in;
use crate::diag::Lang;
use crate::env_error;
use crate::text;
use chrono::NaiveDate;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Id of the plan or card that was reviewed.
    pub(crate) id: String,
    /// The plan repository (default: the current directory).
    #[arg(default_value_os_t = super::default_dir())]
    pub(crate) dir: PathBuf,
    /// The upstream reviewed against: a document id or a registry entry (`contact:ID` …).
    /// Repeatable. Default: the records already there, the parent and the `links.upper` plans.
    #[arg(long = "with", value_name = "UPSTREAM")]
    pub(crate) with: Vec<String>,
    /// The review date to record (YYYY-MM-DD); default `[check] today`, else the system date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub(crate) today: Option<NaiveDate>,
    /// Print the change instead of writing it.
    #[arg(long)]
    pub(crate) dry_run: bool,
}

pub(crate) fn run(args: &Args, run: &super::Run) -> anyhow::Result<i32> {
    let loaded = crate::load::load(&args.dir)?;
    let lang = run.lang(loaded.config.check.lang.as_deref());
    record(args, &loaded, lang, run).map_err(|e| said_in(e, lang))
}

/// Records the alignment of `args.id` (see the module docs), saying everything in `lang`.
fn record(
    args: &Args,
    loaded: &crate::load::Loaded,
    lang: Lang,
    run: &super::Run,
) -> anyhow::Result<i32> {
    let corpus = &loaded.corpus;
    let id = &args.id;
    let Some(doc) = corpus.doc(id) else {
        let near = crate::check::util::suggest(id, corpus.by_id.keys().map(String::as_str));
        let (hz, he) = crate::check::util::did_you_mean(&near);
        return Err(env_error!(
            "没有 id 为 {id} 的文档{hz}（yuan list 列出全部文档）",
            "no document has the id {id}{he} (yuan list shows them all)"
        ));
    };
    let path = &doc.path;
    if matches!(doc.meta, crate::model::Meta::Invalid) {
        return Err(env_error!(
            "{path} 的头信息有错误，请先修正（yuan check）",
            "the front matter of {path} has errors; fix them first (yuan check)"
        ));
    }
    let today = run.today(args.today, loaded.config.check.today);
    let review = align::review(corpus, &args.dir, doc, &args.with, today)?;
    // through the repository boundary; a plan that is a symlink is edited where it really is
    // (inside the repository), so the link stays a link
    let rel = std::path::Path::new(path);
    let file = corpus.reader.resolve(rel).map_err(|why| {
        let crate::diag::Text { zh, en } = why.message();
        env_error!("{path}: {zh}", "{path}: {en}")
    })?;
    let text = corpus
        .reader
        .read_text(rel, crate::source::reader::REREAD_CAP)
        .map_err(|why| {
            let crate::diag::Text { zh, en } = why.message();
            env_error!("无法读取 {path}：{zh}", "cannot read {path}: {en}")
        })?;
    let edit = align::rewrite(path, &text, &review.records)?;
    for n in &review.notes {
        eprintln!("{}", crate::diag::terminal::escape(n.get(lang)));
    }
    if args.dry_run {
        // the plan's own lines and path: no control character reaches the terminal raw
        let shown = crate::diag::terminal::escape(path);
        println!("--- {shown}\n+++ {shown}");
        for l in text[edit.old].lines() {
            println!("-{}", crate::diag::terminal::escape(l));
        }
        for l in edit.text[edit.new].lines() {
            println!("+{}", crate::diag::terminal::escape(l));
        }
        return Ok(0);
    }
    crate::render::output::write_atomic(&file, edit.text.as_bytes())?;
    for w in &review.upstreams {
        let Some(r) = review.records.iter().find(|a| &a.with == w) else {
            continue;
        };
        let version = r.version.as_deref().unwrap_or("-");
        let commit = r.commit.as_deref().map_or("-", |c| c.get(..7).unwrap_or(c));
        let digest = r.digest.as_deref().unwrap_or("-");
        let done = text!(
            "{path}：已记录与 {w} 的衔接（版本 {version}，内容指纹 {digest}，提交 {commit}，{today}）",
            "{path}: aligned with {w} (version {version}, digest {digest}, commit {commit}, {today})"
        );
        println!("{}", done.get(lang));
    }
    Ok(0)
}
