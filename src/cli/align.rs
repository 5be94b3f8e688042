//! `yuan align ID [DIR] [--with UPSTREAM]`: records, after a review, the state of the upstreams a
//! plan or card is aligned with (上下衔接): their version, a digest of their content, the
//! commit of their last change and the date. It rewrites only the `aligned:` field of that
//! file's front matter; every other byte (comments, key order, body) stays as it was. A plan
//! that is a symbolic link (inside the repository) is edited in place, through the link: the
//! link stays; one that leaves the repository is refused.

use super::resolve_lang;
use crate::align::{self, Upstream};
use crate::diag::Lang;
use crate::git;
use crate::model::meta::Aligned;
use crate::parse::{front_matter, lines::char_to_byte, yaml};
use anyhow::{bail, Context as _};
use chrono::NaiveDate;
use serde_json::Value;
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

fn say(zh: bool, z: String, e: String) -> String {
    if zh {
        z
    } else {
        e
    }
}

/// A YAML scalar for `s`: plain when that reads back as the same string, else double-quoted.
fn scalar(s: &str) -> String {
    let plain = s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:/".contains(c))
        && !s.ends_with(':')
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain {
        s.to_string()
    } else {
        Value::String(s.to_string()).to_string()
    }
}

/// The `aligned:` block, one line per element, without line endings.
pub fn render(records: &[Aligned]) -> Vec<String> {
    let mut out = vec!["aligned:".to_string()];
    for a in records {
        out.push(format!("  - with: {}", scalar(&a.with)));
        let quoted = |s: &str| Value::String(s.to_string()).to_string();
        if let Some(v) = &a.version {
            out.push(format!("    version: {}", quoted(v)));
        }
        if let Some(v) = &a.digest {
            out.push(format!("    digest: {}", quoted(v)));
        }
        if let Some(v) = &a.commit {
            out.push(format!("    commit: {}", quoted(v)));
        }
        if let Some(v) = a.date {
            out.push(format!("    date: {v}"));
        }
    }
    out
}

/// The file text with its front matter's top-level `aligned` field replaced by `block` (or,
/// when there is none, `block` added at the end of the front matter), and the byte ranges of
/// the old and new field. Nothing else changes; the file's line endings are kept.
pub fn splice(
    text: &str,
    block: &[String],
) -> anyhow::Result<(String, std::ops::Range<usize>, std::ops::Range<usize>)> {
    let split =
        front_matter::split(text).map_err(|_| anyhow::anyhow!("the file has no front matter"))?;
    let fm = &text[split.yaml.clone()];
    let (_, spans) = yaml::parse(fm, true, yaml::Limits::default())
        .map_err(|_| anyhow::anyhow!("the front matter is not valid YAML (run yuan check)"))?;
    let eol = if fm.contains("\r\n") { "\r\n" } else { "\n" };
    let base = split.yaml.start;
    let (range, col) = match spans
        .get("/aligned")
        .and_then(|n| n.key.map(|k| (k, n.value)))
    {
        Some(((key, _), (_, value_end))) => {
            let key_at = char_to_byte(fm, key.index);
            let value_end = char_to_byte(fm, value_end.index);
            let start = fm[..key_at].rfind('\n').map_or(0, |i| i + 1);
            let col = fm[start..key_at].chars().count();
            // the field runs on while lines are blank, indented deeper, or `- ` items at its column
            let mut end = fm[key_at..].find('\n').map_or(fm.len(), |i| key_at + i + 1);
            let mut kept = end;
            while end < fm.len() {
                let next = fm[end..].find('\n').map_or(fm.len(), |i| end + i + 1);
                let line = fm[end..next].trim_end_matches(['\n', '\r']);
                let indent = line.len() - line.trim_start_matches(' ').len();
                let rest = &line[indent..];
                if rest.is_empty() {
                    end = next;
                    continue;
                }
                if indent > col || (indent == col && (rest == "-" || rest.starts_with("- "))) {
                    end = next;
                    kept = next;
                } else {
                    break;
                }
            }
            // a block collection ends at the next token: only blank and comment lines between
            let gap = fm.get(kept..value_end.max(kept)).unwrap_or("");
            if !gap
                .lines()
                .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
            {
                bail!("cannot find where the `aligned` field ends; edit it by hand");
            }
            (base + start..base + kept, col)
        }
        None => (split.yaml.end..split.yaml.end, 0),
    };
    let pad = " ".repeat(col);
    let mut new_field = String::new();
    for l in block {
        new_field.push_str(&pad);
        new_field.push_str(l);
        new_field.push_str(eol);
    }
    let mut out = String::with_capacity(text.len() + new_field.len());
    out.push_str(&text[..range.start]);
    if range.is_empty() && range.start > 0 && !text[..range.start].ends_with('\n') {
        out.push_str(eol);
    }
    let new_start = out.len();
    out.push_str(&new_field);
    let new_end = out.len();
    out.push_str(&text[range.end..]);
    Ok((out, range, new_start..new_end))
}

/// The front matter of `text` as a JSON value, without `aligned`.
fn front_matter_without_aligned(text: &str) -> Option<(Value, Option<Value>)> {
    let split = front_matter::split(text).ok()?;
    let (mut v, _) = yaml::parse(&text[split.yaml], false, yaml::Limits::default()).ok()?;
    let aligned = v.as_object_mut()?.remove("aligned");
    Some((v, aligned))
}

pub fn run(args: &Args, lang: Option<&str>, run: &super::Run) -> anyhow::Result<i32> {
    let loaded = crate::load::load(&args.dir)?;
    let zh = resolve_lang(lang, loaded.config.check.lang.as_deref()) == Lang::Zh;
    let corpus = &loaded.corpus;
    let Some(doc) = corpus.doc(&args.id) else {
        let near = crate::check::util::suggest(&args.id, corpus.by_id.keys().map(String::as_str));
        let (hz, he) = crate::check::util::did_you_mean(&near);
        bail!(
            "{}",
            say(
                zh,
                format!(
                    "没有 id 为 {} 的文档{hz}（yuan list 列出全部文档）",
                    args.id
                ),
                format!(
                    "no document has the id {}{he} (yuan list shows them all)",
                    args.id
                )
            )
        );
    };
    let existing = align::records(doc);
    if matches!(doc.meta, crate::model::Meta::Invalid) {
        bail!(
            "{}",
            say(
                zh,
                format!("{} 的头信息有错误，请先修正（yuan check）", doc.path),
                format!(
                    "the front matter of {} has errors; fix them first (yuan check)",
                    doc.path
                )
            )
        );
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
        bail!(
            "{}",
            say(
                zh,
                format!(
                    "{} 没有上级预案（parent 或 links.upper）：用 --with 指定要衔接的上位文件",
                    args.id
                ),
                format!(
                    "{} has no parent or upper plan: name the upstream with --with",
                    args.id
                )
            )
        );
    }
    let today = run.today(args.today, loaded.config.check.today);
    let mut records: Vec<Aligned> = existing.to_vec();
    let mut notes = Vec::new();
    for w in &withs {
        let Some(up) = align::resolve(corpus, w) else {
            bail!(
                "{}",
                say(
                    zh,
                    format!("找不到上位文件 `{w}`：应为文档 id 或登记册条目（如 `contact:ID`）"),
                    format!("cannot find the upstream `{w}`: give a document id or a registry entry (like `contact:ID`)")
                )
            );
        };
        if matches!(up, Upstream::Document(i) if corpus.by_id.get(&args.id) == Some(&i)) {
            bail!(
                "{}",
                say(
                    zh,
                    "文档不能与自身衔接".into(),
                    "a document cannot be aligned with itself".into()
                )
            );
        }
        let path = up.path(corpus).to_string();
        let Some(snapshot) = up.current(corpus) else {
            bail!(
                "{}",
                say(
                    zh,
                    format!("无法读取上位文件 {path}（yuan check 会指出问题）"),
                    format!("cannot read the upstream {path} (yuan check shows why)")
                )
            );
        };
        // the commit of the upstream's last change, if its content there is what was reviewed
        // (changes of its own administration, like its `aligned` field, do not count)
        let digest = snapshot.digest();
        let commit = match git::last_change(&args.dir, &path) {
            Ok(Some(c)) => {
                let same = git::text_at(&args.dir, &path, &c)
                    .ok()
                    .and_then(|t| up.snapshot(&t))
                    .is_some_and(|s| s.digest() == digest);
                if !same {
                    notes.push(say(
                        zh,
                        format!("注意：{path} 有未提交的改动，本次不记录提交；提交后再运行 yuan align，日后才能列出变更的章节"),
                        format!("note: {path} has uncommitted changes, so no commit is recorded; commit it and run yuan align again so that later changes can be named by section"),
                    ));
                }
                same.then_some(c)
            }
            Ok(None) => {
                notes.push(say(
                    zh,
                    format!("注意：{path} 尚未提交，本次不记录提交"),
                    format!("note: {path} is not committed yet, so no commit is recorded"),
                ));
                None
            }
            Err(_) => {
                notes.push(say(
                    zh,
                    "注意：不是 git 仓库（或还没有提交），基于历史的功能已关闭；只记录版本和内容指纹".into(),
                    "note: not a git repository (or no commit yet), so history-based features are off; recording the version and digest only".into(),
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
    let rel = std::path::Path::new(&doc.path);
    let file = corpus.reader.resolve(rel).map_err(|why| {
        let m = why.message();
        anyhow::anyhow!("{}: {}", doc.path, if zh { m.zh } else { m.en })
    })?;
    let text = corpus
        .reader
        .read_text(rel, crate::source::reader::REREAD_CAP)
        .with_context(|| format!("cannot read {}", doc.path))?;
    let (new_text, old_range, new_range) =
        splice(&text, &render(&records)).with_context(|| format!("cannot update {}", doc.path))?;
    // the rest of the front matter must read back exactly as before, and the new field as written
    let before = front_matter_without_aligned(&text).map(|(v, _)| v);
    let after = front_matter_without_aligned(&new_text);
    let ok = match (&before, &after) {
        (Some(b), Some((a, Some(field)))) => {
            b == a
                && serde_json::from_value::<Vec<Aligned>>(field.clone()).ok()
                    == Some(records.clone())
        }
        _ => false,
    };
    if !ok {
        bail!(
            "{}",
            say(
                zh,
                format!("无法安全地改写 {} 的 aligned 字段，请手工编辑", doc.path),
                format!(
                    "cannot rewrite the `aligned` field of {} safely; edit it by hand",
                    doc.path
                )
            )
        );
    }
    for n in &notes {
        eprintln!("{}", crate::diag::human::escape(n));
    }
    if args.dry_run {
        // the plan's own lines and path: no control character reaches the terminal raw
        let shown = crate::diag::human::escape(&doc.path);
        println!("--- {shown}\n+++ {shown}");
        for l in text[old_range].lines() {
            println!("-{}", crate::diag::human::escape(l));
        }
        for l in new_text[new_range].lines() {
            println!("+{}", crate::diag::human::escape(l));
        }
        return Ok(0);
    }
    crate::render::output::write_atomic(&file, new_text.as_bytes())?;
    for w in &withs {
        let Some(r) = records.iter().find(|a| &a.with == w) else {
            continue;
        };
        let version = r.version.as_deref().unwrap_or("-");
        let commit = r.commit.as_deref().map_or("-", |c| c.get(..7).unwrap_or(c));
        let digest = r.digest.as_deref().unwrap_or("-");
        println!(
            "{}",
            say(
                zh,
                format!("{}：已记录与 {w} 的衔接（版本 {version}，内容指纹 {digest}，提交 {commit}，{today}）", doc.path),
                format!("{}: aligned with {w} (version {version}, digest {digest}, commit {commit}, {today})", doc.path)
            )
        );
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(with: &str) -> Aligned {
        Aligned {
            with: with.into(),
            version: Some("2025.1".into()),
            digest: Some("0123456789abcdef".into()),
            commit: None,
            date: NaiveDate::from_ymd_opt(2026, 1, 2),
        }
    }

    #[test]
    fn adds_the_field_at_the_end_of_the_front_matter() {
        let text = "---\n# 注释\nid: a   # trailing\nparent: p\n---\n\n# 1 总则\n";
        let (out, old, new) = splice(text, &render(&[rec("p")])).expect("splice");
        assert!(old.is_empty());
        assert_eq!(&out[..old.start], &text[..old.start]);
        assert_eq!(&out[new.end..], &text[old.end..]);
        assert_eq!(
            &out[new],
            "aligned:\n  - with: p\n    version: \"2025.1\"\n    digest: \"0123456789abcdef\"\n    date: 2026-01-02\n"
        );
    }

    #[test]
    fn replaces_only_the_field_and_keeps_crlf_comments_and_order() {
        let text = "---\r\nid: a\r\naligned:\r\n- with: p   # old\r\n  version: '1'\r\n\r\n# about hazards\r\nhazards: [flood]\r\n---\r\nbody\r\n";
        let (out, old, new) = splice(text, &render(&[rec("p")])).expect("splice");
        assert_eq!(
            &text[old.clone()],
            "aligned:\r\n- with: p   # old\r\n  version: '1'\r\n"
        );
        assert_eq!(&out[..old.start], &text[..old.start]);
        assert_eq!(&out[new.end..], &text[old.end..]);
        assert!(out[new].ends_with("date: 2026-01-02\r\n"));
        let (v, a) = front_matter_without_aligned(&out).expect("yaml");
        assert_eq!(v["hazards"][0], "flood");
        let a: Vec<Aligned> = serde_json::from_value(a.expect("aligned")).expect("typed");
        assert_eq!(a, [rec("p")]);
    }

    #[test]
    fn flow_style_field_is_replaced() {
        let text = "---\nid: a\naligned: [{with: p}]\ntitle: t\n---\n";
        let (out, _, _) = splice(text, &render(&[rec("contact:zs")])).expect("splice");
        assert!(
            out.starts_with("---\nid: a\naligned:\n  - with: contact:zs\n"),
            "{out}"
        );
        assert!(out.ends_with("date: 2026-01-02\ntitle: t\n---\n"), "{out}");
    }

    #[test]
    fn odd_scalars_are_quoted() {
        assert_eq!(scalar("xj-flood"), "xj-flood");
        assert_eq!(scalar("contact:zs"), "contact:zs");
        assert_eq!(scalar("2024"), "\"2024\"");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
    }
}
