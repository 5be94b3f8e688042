use crate::align::{self, ChangeKind, PartKind, Upstream, Verdict};
use crate::check::broken::skipped;
use crate::check::util::{at_doc, Suggester};
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::{Diagnostic, Severity, Text};
use crate::text;

declare_rule! {
    /// 上位文件变更后未复核衔接 · Upstream changed since the last alignment review
    ///
    /// ## What it checks · 检查内容
    /// Every `aligned:` record of a plan or card names an upstream (its parent, a `links.upper`
    /// plan, a card's on-site plan, or a registry entry such as `contact:ID`) and the state it
    /// was reviewed against: `version`, `digest` (a fingerprint of the content) and `commit`.
    /// When the upstream's version or content differs now, the document must be reviewed again.
    /// With a recorded commit that git still has, the message names the sections (headings,
    /// front-matter fields, registry fields) added, removed or changed since. Outside git or in
    /// a shallow clone that lacks the commit, the version and digest still tell whether the
    /// upstream changed, and the message says why the sections cannot be named. A record
    /// without a digest whose commit cannot be read (or with nothing to compare at all) is a
    /// note saying so, never a guess. A record of an external plan (`external_plans` of the
    /// registry) is never reported: its text is not here to compare.
    ///
    /// 文档的 `aligned:` 记录了上次复核时上位预案（或登记册条目）的版本、内容指纹和提交；
    /// 上位文件此后变更的，提示复核本文档，并尽可能列出变更的章节。
    ///
    /// ## Why it matters · 为什么重要
    /// A change of the upper plan is a revision trigger: 《突发事件应急预案管理办法》（2013）第二十五条
    /// 第（一）项 and its 2024 successor, and 《生产安全事故应急预案管理办法》第三十六条第（一）项:
    /// 上位预案中的有关规定发生变化的，应当及时修订. Revisions that touch organisation and duties,
    /// procedures, main measures or response grading must be approved and filed again (第三十七条,
    /// by secondary sources; filing within 20 working days: 《突发事件应急预案管理办法》（2024）
    /// 第二十六条).
    /// Plans must dovetail (衔接) with the plans above them (Art. 18). A lower plan or a
    /// disposal card that silently keeps the old text of its parent sends people to act on
    /// duties, numbers or thresholds that no longer hold.
    ///
    /// 上位预案变化是修订情形：《突发事件应急预案管理办法》（2013）第二十五条第（一）
    /// 项及其 2024 年对应条款、《生产安全事故应急预案管理办法》第三十六条第（一）
    /// 项——上位预案中的有关规定发生变化的，应当及时修订。涉及组织指挥体系与职责、
    /// 处置程序、主要措施或响应分级的修订须重新审批并备案。沿用上级旧内容的下级预案或处置卡，
    /// 会让人按已失效的职责、电话或阈值行动。
    ///
    /// ## Example · 示例
    /// ```yaml
    /// parent: xj-flood
    /// aligned:
    ///   - with: xj-flood
    ///     version: "2024.1"   # xj-flood is now version "2025.1"
    ///     date: 2025-03-01
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Review the document against the named changes of its upstream and revise it where
    /// needed, then run `yuan align ID` (or `yuan align ID --with UPSTREAM`) to record the
    /// upstream's current version, digest and commit.
    ///
    /// 对照上位文件列出的变化复核本文件，需要时修订，然后运行 `yuan align ID`（或 `yuan align ID --with 上位文件`）
    /// 记录上位文件当前的版本、摘要和提交。
    pub(crate) struct UpstreamChanged {
        code: "A304",
        name: "upstream-changed",
        severity: Warning,
        stage: Corpus,
        summary: ("上位预案或登记册条目在上次衔接复核后已变更", "the upstream changed since the document was last aligned with it"),
    }
}

/// At most this many changed parts are named in one message.
const MAX_NAMED: usize = 8;

/// "4 应急响应（修改）、…" and "4 应急响应 (changed), …".
fn describe(changes: &[align::Change]) -> (String, String) {
    let mut zh = Vec::new();
    let mut en = Vec::new();
    for c in changes.iter().take(MAX_NAMED) {
        let (what_zh, what_en) = match c.part {
            PartKind::Field => (format!("`{}`", c.title), format!("`{}`", c.title)),
            PartKind::Preamble => (
                "正文开头".to_string(),
                "text before the first heading".into(),
            ),
            PartKind::Section => (format!("“{}”", c.title), format!("“{}”", c.title)),
        };
        let (kz, ke) = match c.kind {
            ChangeKind::Added => ("新增", "added"),
            ChangeKind::Removed => ("删除", "removed"),
            ChangeKind::Changed => ("修改", "changed"),
        };
        zh.push(format!("{what_zh}（{kz}）"));
        en.push(format!("{what_en} ({ke})"));
    }
    if changes.len() > MAX_NAMED {
        let more = changes.len() - MAX_NAMED;
        zh.push(format!("另有 {more} 处"));
        en.push(format!("{more} more"));
    }
    (zh.join("、"), en.join(", "))
}

impl Rule for UpstreamChanged {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let corpus = cx.corpus;
        let facts = cx.alignment();
        let mut near = Suggester::default();
        // findings are about the document holding the record: only those in focus
        for d in cx.docs() {
            let records = align::records(d);
            let Some(id) = d.id.as_deref() else { continue };
            for (i, a) in records.iter().enumerate() {
                let pointer = format!("/aligned/{i}/with");
                let with = &a.with;
                let Some(cur) = facts.current.get(with) else {
                    // an external plan has no text here to compare: nothing to verify
                    if corpus.registry.external_plan(with).is_some() {
                        continue;
                    }
                    let (zh, en) =
                        near.did_you_mean("id", with, || corpus.by_id.keys().map(String::as_str));
                    out.push(at_doc(&Self::INFO, d, &pointer, text!(
                        "`aligned` 记录的上位 `{with}` 既不是文档 id，也不是登记册条目（如 `contact:ID`）{zh}",
                        "`aligned` names `{with}`, which is neither a document id nor a registry entry (like `contact:ID`){en}"
                    )).help(text!("改正 id，或删除这条记录", "correct the id, or remove this record")));
                    continue;
                };
                if cur.snapshot.is_none() {
                    continue; // the upstream's own file is broken: other rules report that
                }
                // an upstream document whose front matter failed its schema (F003) has no
                // version to compare: the comparison is skipped, and said so
                if let align::Upstream::Document(u) = cur.upstream {
                    if let Some(up) = corpus.docs.get(u).filter(|x| x.is_broken()) {
                        out.push(skipped(
                            &Self::INFO,
                            d,
                            &pointer,
                            up,
                            ("与上位文件的比对", "the comparison with the upstream was"),
                        ));
                        continue;
                    }
                }
                let verdict = Verdict::of(a, cur.upstream.version(corpus), &cur.digest);
                let past = a
                    .commit
                    .as_ref()
                    .and_then(|c| facts.past.get(&(with.clone(), c.clone())));
                let changes = match past {
                    Some(Ok(old)) => {
                        Some(align::compare(old, cur.snapshot.as_ref().unwrap_or(old)))
                    }
                    _ => None,
                };
                let changed = verdict.changed()
                    || (a.digest.is_none() && changes.as_ref().is_some_and(|c| !c.is_empty()));
                let help = if records.len() > 1 {
                    format!("yuan align {id} --with {with}")
                } else {
                    format!("yuan align {id}")
                };
                let (noun_zh, noun_en) = match cur.upstream {
                    Upstream::Document(_) => ("上位文档", "upstream document"),
                    Upstream::Entry { .. } => ("登记册条目", "registry entry"),
                };
                let title = cur.upstream.title(corpus);
                let (tz, te) = crate::check::util::paren(title, title);
                if !changed {
                    // the content could not be compared: say why instead of guessing
                    let unverified = a.digest.is_none()
                        && match past {
                            Some(Err(_)) => true,
                            Some(Ok(_)) => false,
                            None => a.version.is_none(),
                        };
                    if unverified {
                        let why = match past {
                            Some(Err(u)) => u.text(),
                            _ => Text::new("没有记录提交", "no commit is recorded"),
                        };
                        let (wz, we) = (why.zh, why.en);
                        let mut note = at_doc(&Self::INFO, d, &pointer, text!(
                            "无法核实与{noun_zh} `{with}`{tz}的衔接：记录中没有内容指纹，且{wz}",
                            "cannot verify the alignment with {noun_en} `{with}`{te}: the record has no digest, and {we}"
                        ))
                        .help(text!("运行 `{help}` 记录上位文件当前的版本和内容指纹", "run `{help}` to record the upstream's current version and digest"));
                        note.severity = Severity::Info;
                        out.push(note);
                    }
                    continue;
                }
                let when_zh = match (&a.version, a.date) {
                    (Some(v), Some(dt)) => format!("版本 {v}，{dt}"),
                    (Some(v), None) => format!("版本 {v}"),
                    (None, Some(dt)) => format!("{dt}"),
                    (None, None) => "未记录版本".into(),
                };
                let when_en = match (&a.version, a.date) {
                    (Some(v), Some(dt)) => format!("version {v}, {dt}"),
                    (Some(v), None) => format!("version {v}"),
                    (None, Some(dt)) => format!("{dt}"),
                    (None, None) => "no version recorded".into(),
                };
                let mut zh = Vec::new();
                let mut en = Vec::new();
                if let Some((old, new)) = &verdict.version {
                    zh.push(format!("版本 {old} → {new}"));
                    en.push(format!("version {old} → {new}"));
                }
                match (&changes, past) {
                    (Some(c), _) if c.is_empty() => {
                        zh.push("内容未变".into());
                        en.push("content unchanged".into());
                    }
                    (Some(c), _) => {
                        let (z, e) = describe(c);
                        zh.push(format!("变更：{z}"));
                        en.push(format!("changes: {e}"));
                    }
                    (None, Some(Err(u))) => {
                        let why = u.text();
                        zh.push(format!("无法列出变更的章节：{}", why.zh));
                        en.push(format!("the changed sections cannot be named: {}", why.en));
                    }
                    (None, _) => {
                        if verdict.digest_changed {
                            zh.push("内容已变（未记录提交，无法列出变更的章节）".into());
                            en.push("content changed (no commit recorded, so the changed sections cannot be named)".into());
                        }
                    }
                }
                let (what_zh, what_en) = (zh.join("；"), en.join("; "));
                out.push(
                    at_doc(&Self::INFO, d, &pointer, text!(
                        "{noun_zh} `{with}`{tz}在上次衔接复核（{when_zh}）后已变更：{what_zh}",
                        "{noun_en} `{with}`{te} has changed since this document was last aligned with it ({when_en}): {what_en}"
                    ))
                    .help(text!(
                        "对照上述变更复核本文档，然后运行 `{help}`",
                        "review the document against the changes, then run `{help}`"
                    )),
                );
            }
        }
    }
}
