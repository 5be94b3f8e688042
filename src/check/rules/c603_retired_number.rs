use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::{Diagnostic, Text};
use crate::git::{self, PastBounds, PastFile};
use crate::model::meta::Kind;
use crate::model::phones::{self, Finder};
use crate::model::Corpus;
use crate::parse::lines::LineIndex;
use crate::text;
use rayon::prelude::*;
use std::collections::HashSet;

declare_rule! {
    /// 写死的号码已从登记册撤下 · Number retired from the registry still written in a document
    ///
    /// ## What it checks · 检查内容
    /// A phone number written literally in a card or plan (its front matter or its text, however
    /// punctuated: `0745-6628118`, `(0745)6628118`) that was a registry contact's number in the
    /// git history of the registry folder and is no longer the number of any contact now. yuan
    /// reads the registry files as they were in the last 200 commits of the first-parent line
    /// from HEAD (each version once; a merged branch counts as its merge); outside git, or with no registry history, there is nothing to compare and the
    /// rule finds nothing (as for the staged files of `yuan check --staged`, checked in
    /// memory). Short numbers (110, 119, 120, 12350 …) are never retired and never
    /// looked for; drill records, which keep what happened, are not checked.
    ///
    /// 卡片或预案中写死的电话号码，曾是登记册联系人的号码（见登记册目录的 git 历史，最近 200 次提交），
    /// 而现在已不是任何联系人的号码。
    ///
    /// ## Why it matters · 为什么重要
    /// A disposal card gives the key post its contacts and their numbers (《生产安全事故应急预案管理办法》
    /// Art. 19), and contact details must be updated as soon as they change (Art. 16; GB/T
    /// 29639-2020 §9.5). The registry is where a changed number is corrected; a copy typed into
    /// a card or a plan's text is not corrected with it, and a worker dials the old duty phone in
    /// the first minute of an accident.
    ///
    /// 处置卡要写明关键岗位的联络人员和联系方式（《生产安全事故应急预案管理办法》第十九条），联系方式变化后要及时更新
    /// （第十六条；GB/T 29639-2020 第 9.5 条）。号码改在登记册里；抄进卡片或预案正文的号码不会跟着改，
    /// 事故发生的第一分钟，岗位人员拨出的就是旧的值班电话。
    ///
    /// ## Example · 示例
    /// The registry changed the duty phone of `hd-duty` from `0745-6628118` to `0745-6628119`,
    /// and a card still says:
    /// ```yaml
    /// steps:
    ///   - action: 报警：打应急值班室 0745-6628118
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Name the contact instead of copying its number: `report_to: [hd-duty]` on a card, or a
    /// body link `[应急值班室](contact:hd-duty)`; printed cards and handbooks then show the
    /// registry's number. Or write the number the contact has now. If the old number still
    /// works (another unit's line kept in the text on purpose), add it to the registry as a
    /// contact and verify it (C602).
    ///
    /// 不要抄号码，改为引用联系人：处置卡写 `report_to: [hd-duty]`，正文写 `[应急值班室](contact:hd-duty)`，
    /// 打印的处置卡和手册就会显示登记册中的号码；或改为该联系人现在的号码。旧号码若仍有效（有意保留的其他单位电话），
    /// 把它作为联系人登记并核实（C602）。
    pub(crate) struct RetiredNumber {
        code: "C603",
        name: "retired-number",
        severity: Warning,
        stage: Corpus,
        summary: ("文档中写死的号码已不是登记册中任何联系人的号码", "a number written in a document is no longer any registry contact's number"),
    }
}

/// How far back the registry's history is read: enough for years of a registry's changes, and
/// bounded so that a repository with a long history costs milliseconds.
pub(crate) const BOUNDS: PastBounds = PastBounds {
    commits: 200,
    bytes: 32 << 20,
};

/// The registry's numbers now: every registry file loaded, and every file that had a past
/// version and can be read now (one that failed to load still holds its numbers).
fn current_keys(corpus: &Corpus, past: &[PastFile]) -> HashSet<String> {
    let mut keys = HashSet::new();
    for e in &corpus.registry.contacts {
        for p in &e.item.phones {
            keys.extend(phones::key(&p.number));
        }
    }
    let mut paths: Vec<&str> = corpus
        .registry
        .files
        .iter()
        .map(|f| f.path.as_str())
        .collect();
    paths.extend(past.iter().map(|f| f.path.as_str()));
    paths.sort_unstable();
    paths.dedup();
    for p in paths {
        if let Some(text) = corpus.read_text(p) {
            phones::keys_in_text(&text, &mut keys);
        }
    }
    keys
}

impl Rule for RetiredNumber {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        // a repository in memory (the staged files of `yuan check --staged`) has no history
        // of its own to read
        if cx.corpus.root.as_os_str().is_empty() {
            return;
        }
        let docs: Vec<_> = cx.docs().filter(|d| d.kind != Some(Kind::Drill)).collect();
        if docs.is_empty() {
            return;
        }
        // the versions that are the registry files as they are now (same blob id) are not read
        let current = |path: &str| cx.corpus.registry_file_at(path)?.blob;
        let past = git::past_versions(&cx.corpus.root, &cx.config.files.registry, BOUNDS, &current);
        if past.is_empty() {
            return;
        }
        // every past version is the file as it is now (the registry never changed in the
        // history read, nor since): nothing can have been retired
        if past.iter().all(|f| {
            cx.corpus
                .read_text(&f.path)
                .is_some_and(|now| now == f.text)
        }) {
            return;
        }
        let current = current_keys(cx.corpus, &past);
        let retired = phones::retired(&past, &current);
        let finder = Finder::new(retired.iter().map(|r| r.was.number.as_str()));
        if finder.is_empty() {
            return;
        }
        let reg = &cx.corpus.registry;
        let found: Vec<Vec<Diagnostic>> = docs
            .par_iter()
            .map(|d| {
                let Some(text) = cx.corpus.read_text(&d.path) else {
                    return Vec::new();
                };
                let hits = finder.find(&text);
                if hits.is_empty() {
                    return Vec::new();
                }
                let lines = LineIndex::new(&text);
                let mut budget = cx.budget(&Self::INFO, &d.path);
                let mut v = Vec::new();
                for h in hits {
                    if !budget.admit() {
                        continue;
                    }
                    let r = &retired[h.which];
                    let span = lines.span(&text, h.range.start, h.range.end);
                    let written = &text[h.range.clone()];
                    let (id, name, when) = (&r.was.contact, &r.was.name, r.when());
                    let now = now_of(reg, id);
                    let (now_zh, now_en) = (&now.zh, &now.en);
                    v.push(
                        Self::INFO
                            .at(
                                &d.path,
                                Some(span),
                                text!(
                                    "`{written}` 曾是登记册联系人“{name}”（`{id}`）的号码（至 {when}），现已不是任何联系人的号码{now_zh}",
                                    "`{written}` was the number of registry contact \"{name}\" (`{id}`, until {when}) and is no longer any contact's number{now_en}"
                                ),
                            )
                            .help(text!(
                                "引用联系人而不是抄写号码（卡片 `report_to: [{id}]`，正文 `[{name}](contact:{id})`），或改为现在的号码；旧号码仍有效的，登记到登记册并核实",
                                "name the contact instead of copying its number (`report_to: [{id}]` on a card, `[{name}](contact:{id})` in the text), or write its number now; if the old number still works, add it to the registry and verify it"
                            )),
                    );
                }
                v
            })
            .collect();
        out.extend(found.into_iter().flatten());
    }
}

/// "; 现在登记的号码：…" / "; its numbers now: …", when contact `id` is still in the registry.
fn now_of(reg: &crate::model::Registry, id: &str) -> Text {
    let Some(&i) = reg.index.contacts.get(id) else {
        return Text::new("", "");
    };
    let numbers: Vec<&str> = reg.contacts[i]
        .item
        .phones
        .iter()
        .map(|p| p.number.as_str())
        .collect();
    if numbers.is_empty() {
        return Text::new("", "");
    }
    let list = numbers.join("、");
    let list_en = numbers.join(", ");
    text!(
        "；该联系人现在的号码：{list}",
        "; its numbers now: {list_en}"
    )
}
