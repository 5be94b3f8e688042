use crate::check::util::at_doc;
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::model::steps;
use crate::text;
use std::ops::Range;

declare_rule! {
    /// 处置卡不够简明 · Card not simple
    ///
    /// ## What it checks · 检查内容
    /// A disposal card (`kind: card`) has at most `[cards] max_steps` steps (default 8), and
    /// no step's `action` is longer than `[cards] max_step_chars` characters (default 60:
    /// two printed lines of an A6 card at 9 pt). Spaces and a leading step label (`切断：`) are
    /// not counted. A long step's message suggests a short label for it (报警, 停车, 切断, 防护,
    /// 警戒, 灭火, 堵漏, 救护, 疏散, 撤离 …) from its own wording.
    ///
    /// 处置卡步骤数不超过 `[cards] max_steps`（默认 8），每步字数不超过 `[cards] max_step_chars`
    /// （默认 60 字，不计空格和步骤标签）；超长的步骤给出建议的简短标签。
    ///
    /// ## Why it matters · 为什么重要
    /// 《生产安全事故应急预案管理办法》 Art. 19 asks for disposal cards that are 简明、实用、有效
    /// and that workers can carry: the key post's first actions, not a copy of the on-site plan.
    /// A worker reads the card in the first minutes of an accident, often with gloves on and
    /// under a torch: one short action per line, led by a verb, is what gets read. A card of
    /// twelve steps, or a step of three sentences, is a small plan, and the critical value in
    /// the middle of it is missed.
    ///
    /// 《生产安全事故应急预案管理办法》第十九条要求处置卡简明、实用、有效，便于从业人员携带：写的是关键岗位最初的动作，
    /// 不是现场处置方案的副本。事故最初几分钟，岗位人员常常戴着手套、借着手电读卡：一行一个简短的动作、以动词开头，
    /// 才读得进去。十二步的卡片、三句话的一步，就是一份小预案，中间的关键参数会被漏看。
    ///
    /// ## Example · 示例
    /// ```yaml
    /// steps:
    ///   - action: 发现泄漏后立即向中控室报告，同时关闭进料阀和出料阀，佩戴空气呼吸器后检查泄漏部位，如泄漏无法控制则组织本岗位人员沿上风向撤离至应急集合点并清点人数
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// One action per step, led by a short label, with valve tags and thresholds in `values`:
    ///
    /// 一步一个动作，前面加简短标签，阀门位号和阈值写入 `values`：
    ///
    /// ```yaml
    /// steps:
    ///   - action: 报告：向中控室报告泄漏部位和介质
    ///   - action: 切断：关闭进料阀、出料阀
    ///     values: [XV-101, XV-102]
    ///   - action: 撤离：泄漏无法控制时沿上风向撤至集合点，清点人数
    /// ```
    /// Leave what is not the post's first minutes in the on-site plan, or split the card by
    /// accident type. Where a repository's cards are longer on purpose (A5 cards), raise the
    /// limits in `yuan.toml`: `[cards] max_steps = 10`, `max_step_chars = 80`.
    ///
    /// 不属于岗位最初几分钟的内容留在现场处置方案中，或按事故类型拆卡。确需更长的卡片（A5 卡）可在 `yuan.toml` 中放宽：`[cards] max_steps = 10`、`max_step_chars = 80`。
    pub(crate) struct CardNotSimple {
        code: "G903",
        name: "card-not-simple",
        severity: Warning,
        stage: Corpus,
        summary: ("处置卡步骤过多或单步过长", "the card has too many steps, or a step too long"),
    }
}

impl Rule for CardNotSimple {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check_docs(&self, cx: &Context, docs: Range<usize>, out: &mut Vec<Diagnostic>) {
        let max_steps = cx.config.cards.max_steps() as usize;
        let max_chars = cx.config.cards.max_step_chars() as usize;
        for d in cx.docs_in(docs) {
            let Some(card) = d.card() else { continue };
            let n = card.steps.len();
            if n > max_steps {
                out.push(
                    at_doc(
                        &Self::INFO,
                        d,
                        "/steps",
                        text!(
                            "处置卡有 {n} 步，超过 {max_steps} 步（[cards] max_steps）",
                            "the card has {n} steps, more than {max_steps} ([cards] max_steps)"
                        ),
                    )
                    .help(text!(
                        "只保留本岗位最初几分钟的动作，其余留在现场处置方案中；或按事故类型拆成两张卡",
                        "keep the post's first minutes only and leave the rest in the on-site plan, or split the card by accident type"
                    )),
                );
            }
            for (i, s) in card.steps.iter().enumerate() {
                let len = steps::length(&s.action);
                if len <= max_chars {
                    continue;
                }
                let no = i + 1;
                let help = match steps::suggest_label(&s.action) {
                    Some(l) => text!(
                        "一步只写一个动作，阀门位号和数值写入 `values`；在前面加简短标签，如“{l}：…”",
                        "one action per step, valve tags and values in `values`; lead it with a short label, e.g. \"{l}：…\""
                    ),
                    None => text!(
                        "一步只写一个动作，阀门位号和数值写入 `values`；在前面加简短标签，如“报警：”“切断：”“撤离：”",
                        "one action per step, valve tags and values in `values`; lead it with a short label such as \"报警：\", \"切断：\", \"撤离：\""
                    ),
                };
                out.push(
                    at_doc(
                        &Self::INFO,
                        d,
                        &format!("/steps/{i}/action"),
                        text!(
                            "第 {no} 步有 {len} 个字，超过 {max_chars} 字（[cards] max_step_chars）",
                            "step {no} has {len} characters, more than {max_chars} ([cards] max_step_chars)"
                        ),
                    )
                    .help(help),
                );
            }
        }
    }
}
