//! `yuan align ID [DIR] [--with UPSTREAM]`: records, after a review, the state of the upstreams a
//! plan or card is aligned with (上下衔接): their version, a digest of their content, the
//! commit of their last change and the date. It rewrites only the `aligned:` field of that
//! file's front matter; every other byte (comments, key order, body) stays as it was. A plan
//! that is a symbolic link (inside the repository) is edited in place, through the link: the
//! link stays; one that leaves the repository is refused.

use super::resolve_lang;
use crate::align::{self, Upstream};
use crate::diag::error::said_in;
use crate::diag::error::Context as _;
use crate::diag::Lang;
use crate::env_error;
use crate::git;
use crate::model::meta::Aligned;
use crate::parse::splice;
use crate::text;
use chrono::NaiveDate;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Id of the plan or card that was reviewed.
    pub id: String,
    /// The plan repository (default: the current directory).
    #[arg(default_value_os_t = super::default_dir())]
    pub dir: PathBuf,
    /// The upstream reviewed against: a document id or a registry entry (`contact:ID` …).
    /// Repeatable. Default: the records already there, the parent and the `links.upper` plans.
    #[arg(long = "with", value_name = "UPSTREAM")]
    pub with: Vec<String>,
    /// The review date to record (YYYY-MM-DD); default `[check] today`, else the system date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<NaiveDate>,
    /// Print the change instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
}

/// The `aligned:` field for `records`, one line per element, without line endings.
fn aligned_field(records: &[Aligned]) -> Vec<String> {
    let entries: Vec<splice::Entry> = records
        .iter()
        .map(|a| {
            let mut entry = vec![("with", splice::scalar(&a.with))];
            let texts = [
                ("version", &a.version),
                ("digest", &a.digest),
                ("commit", &a.commit),
            ];
            for (key, value) in texts {
                if let Some(v) = value {
                    entry.push((key, splice::quoted(v)));
                }
            }
            if let Some(d) = a.date {
                entry.push(("date", d.to_string()));
            }
            entry
        })
        .collect();
    splice::block_sequence("aligned", &entries)
}

pub fn run(args: &Args, lang: Option<&str>) -> anyhow::Result<i32> {
    let loaded = crate::load::load(&args.dir)?;
    let lang = resolve_lang(lang, loaded.config.check.lang.as_deref());
    record(args, &loaded, lang).map_err(|e| said_in(e, lang))
}

/// Records the alignment of `args.id` (see the module docs), saying everything in `lang`.
fn record(args: &Args, loaded: &crate::load::Loaded, lang: Lang) -> anyhow::Result<i32> {
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
    let existing = align::records(doc);
    if matches!(doc.meta, crate::model::Meta::Invalid) {
        return Err(env_error!(
            "{path} 的头信息有错误，请先修正（yuan check）",
            "the front matter of {path} has errors; fix them first (yuan check)"
        ));
    }
    let mut withs: Vec<String> = Vec::new();
    let mut add = |w: &str| {
        if !withs.iter().any(|x| x == w) {
            withs.push(w.to_string());
        }
    };
    if args.with.is_empty() {
        existing.iter().for_each(|a| add(&a.with));
        doc.parent().into_iter().for_each(&mut add);
        if let Some(p) = doc.plan() {
            p.links.upper.iter().for_each(|u| add(u));
        }
    } else {
        args.with.iter().for_each(|w| add(w));
    }
    if withs.is_empty() {
        return Err(env_error!(
            "{id} 没有上级预案（parent 或 links.upper）：用 --with 指定要衔接的上位文件",
            "{id} has no parent or upper plan: name the upstream with --with"
        ));
    }
    let today = args
        .today
        .or(loaded.config.check.today)
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let mut records: Vec<Aligned> = existing.to_vec();
    let mut notes = Vec::new();
    for w in &withs {
        let Some(up) = align::resolve(corpus, w) else {
            return Err(env_error!(
                "找不到上位文件 `{w}`：应为文档 id 或登记册条目（如 `contact:ID`）",
                "cannot find the upstream `{w}`: give a document id or a registry entry (like `contact:ID`)"
            ));
        };
        if matches!(up, Upstream::Document(i) if corpus.by_id.get(id) == Some(&i)) {
            return Err(env_error!(
                "文档不能与自身衔接",
                "a document cannot be aligned with itself"
            ));
        }
        let up_path = up.path(corpus).to_string();
        let Some(snapshot) = up.current(corpus) else {
            return Err(env_error!(
                "无法读取上位文件 {up_path}（yuan check 会指出问题）",
                "cannot read the upstream {up_path} (yuan check shows why)"
            ));
        };
        // the commit of the upstream's last change, if its content there is what was reviewed
        // (changes of its own administration, like its `aligned` field, do not count)
        let digest = snapshot.digest();
        let commit = match git::last_change(&args.dir, &up_path) {
            Ok(Some(c)) => {
                let same = git::text_at(&args.dir, &up_path, &c)
                    .ok()
                    .and_then(|t| up.snapshot(&t))
                    .is_some_and(|s| s.digest() == digest);
                if !same {
                    notes.push(text!(
                        "注意：{up_path} 有未提交的改动，本次不记录提交；提交后再运行 yuan align，日后才能列出变更的章节",
                        "note: {up_path} has uncommitted changes, so no commit is recorded; commit it and run yuan align again so that later changes can be named by section",
                    ));
                }
                same.then_some(c)
            }
            Ok(None) => {
                notes.push(text!(
                    "注意：{up_path} 尚未提交，本次不记录提交",
                    "note: {up_path} is not committed yet, so no commit is recorded",
                ));
                None
            }
            Err(_) => {
                notes.push(text!(
                    "注意：不是 git 仓库（或还没有提交），基于历史的功能已关闭；只记录版本和内容指纹",
                    "note: not a git repository (or no commit yet), so history-based features are off; recording the version and digest only",
                ));
                None
            }
        };
        let record = Aligned {
            with: w.clone(),
            version: up.version(corpus).map(str::to_string),
            digest: Some(digest),
            commit,
            date: Some(today),
        };
        match records.iter_mut().find(|a| &a.with == w) {
            Some(slot) => *slot = record,
            None => records.push(record),
        }
    }
    notes.dedup();
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
        .context_text(|| text!("无法读取 {path}", "cannot read {path}"))?;
    let edit = splice::splice(&text, "aligned", &aligned_field(&records))
        .context_text(|| text!("无法更新 {path}", "cannot update {path}"))?;
    // the rest of the front matter must read back exactly as before, and the new field as written
    let before = splice::front_matter_without(&text, "aligned").map(|(v, _)| v);
    let after = splice::front_matter_without(&edit.text, "aligned");
    let ok = match (&before, &after) {
        (Some(b), Some((a, Some(field)))) => {
            b == a
                && serde_json::from_value::<Vec<Aligned>>(field.clone()).ok()
                    == Some(records.clone())
        }
        _ => false,
    };
    if !ok {
        return Err(env_error!(
            "无法安全地改写 {path} 的 aligned 字段，请手工编辑",
            "cannot rewrite the `aligned` field of {path} safely; edit it by hand"
        ));
    }
    for n in &notes {
        eprintln!("{}", crate::diag::human::escape(n.get(lang)));
    }
    if args.dry_run {
        // the plan's own lines and path: no control character reaches the terminal raw
        let shown = crate::diag::human::escape(path);
        println!("--- {shown}\n+++ {shown}");
        for l in text[edit.old].lines() {
            println!("-{}", crate::diag::human::escape(l));
        }
        for l in edit.text[edit.new].lines() {
            println!("+{}", crate::diag::human::escape(l));
        }
        return Ok(0);
    }
    crate::render::output::write_atomic(&file, edit.text.as_bytes())?;
    for w in &withs {
        let Some(r) = records.iter().find(|a| &a.with == w) else {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_quotes_texts_and_keeps_the_order_of_the_record() {
        let record = Aligned {
            with: "contact:zs".into(),
            version: Some("2025.1".into()),
            digest: Some("abc".into()),
            commit: None,
            date: NaiveDate::from_ymd_opt(2026, 1, 2),
        };
        assert_eq!(
            aligned_field(&[record]),
            [
                "aligned:",
                "  - with: contact:zs",
                "    version: \"2025.1\"",
                "    digest: \"abc\"",
                "    date: 2026-01-02"
            ]
        );
    }
}
