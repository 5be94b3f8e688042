use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::model::Document;
use crate::text;

declare_rule! {
    /// 处置卡放不下 · Card does not fit
    ///
    /// ## What it checks · 检查内容
    /// A disposal card (`kind: card`) whose steps, cautions, protective equipment and numbers
    /// do not fit on the card at the minimum type sizes (9 pt for steps and what a worker
    /// reads, 10 pt for phone numbers and critical values), with the numbers on the front and
    /// the steps continued on the back. Reported by `yuan cards` while it lays the card out
    /// (`yuan check` lays nothing out), at the longest step, with how many millimetres are
    /// over and the first step that no longer fits (where the card could be split).
    ///
    /// 处置卡在最小字号（步骤 9 磅、电话和关键参数 10 磅）下、电话在正面、步骤续印背面仍放不下
    /// （由 `yuan cards` 排版时报告）：指向最长的一步，给出超出的毫米数和从第几步起放不下（可在此拆卡）。
    ///
    /// ## Why it matters · 为什么重要
    /// A card is read in the first minutes of an accident, by one person at one post
    /// (GB/T 29639-2020 §8; 生产安全事故应急预案管理办法 Art. 19: 简明、实用、有效, 便于携带):
    /// type shrunk below 9 pt cannot be read in smoke or poor light, and a card cut short loses
    /// exactly the last steps. yuan prints no card rather than an unreadable or a partial one.
    ///
    /// 处置卡在事故最初几分钟由一个岗位的一个人阅读（GB/T 29639-2020 第 8 章；《生产安全事故应急预案管理办法》
    /// 第十九条：简明、实用、有效，便于携带）：缩到 9 磅以下的字在烟雾和暗处看不清，被截断的卡片丢掉的恰恰是最后几步。yuan 宁可不印，
    /// 也不印看不清或不完整的卡片。
    ///
    /// ## Example · 示例
    /// A card whose steps copy the whole on-site plan: sixty sentences of procedure on an A6
    /// card.
    ///
    /// ## How to fix · 如何修改
    /// Keep the first minutes only: shorten the longest step (one action per step) and the
    /// cautions and leave the details in the on-site plan; or split the card at the step named
    /// (one card per stage or per post); or print larger cards with `--size a5` (or
    /// `[cards] size`).
    ///
    /// 只写最初几分钟要做的事：缩短最长的一步（一步一个动作）和注意事项，细节留在现场处置方案中；
    /// 或在报告的那一步拆成两张卡（按阶段或岗位）；或用 `--size a5`（或 `[cards] size`）印更大的卡片。
    pub(crate) struct CardOverflow {
        code: "G902",
        name: "card-overflow",
        severity: Error,
        stage: Print,
        summary: ("处置卡缩到最小字号仍放不下（由 yuan cards 报告）", "the card does not fit at the minimum type size (reported by yuan cards)"),
    }
}

/// The card `doc` is `over_mm` millimetres over at the minimum sizes on `pages` sides;
/// `longest` is its longest step (1-based, characters) and `first_out` the first step that did
/// not fit. The finding points at the longest step, the one to shorten first.
pub(crate) fn at(
    doc: &Document,
    pages: usize,
    over_mm: f32,
    longest: Option<(usize, usize)>,
    first_out: Option<usize>,
) -> Diagnostic {
    let mm = format!("{over_mm:.1}");
    let (from_zh, from_en) = match first_out {
        Some(k) => (
            format!("，从第 {k} 步起放不下"),
            format!("; from step {k} on nothing fits"),
        ),
        None => (String::new(), String::new()),
    };
    let (short_zh, short_en) = match longest {
        Some((n, chars)) => (
            format!("最长的是第 {n} 步（{chars} 字）：缩短它，一步只写一个动作；"),
            format!("the longest is step {n} ({chars} characters): shorten it to one action; "),
        ),
        None => (String::new(), String::new()),
    };
    let (split_zh, split_en) = match first_out {
        Some(k) if k > 1 => (
            format!("或从第 {k} 步起拆成第二张处置卡（按事故阶段或岗位分开）；"),
            format!("or split the card before step {k} (by stage or by post); "),
        ),
        _ => (
            "或把步骤拆成两张处置卡（按事故阶段或岗位分开）；".to_string(),
            "or split the steps into two cards (by stage or by post); ".to_string(),
        ),
    };
    let span = match longest {
        Some((n, _)) => doc.span_of(&format!("/steps/{}/action", n - 1)),
        None => doc.span_of("/steps"),
    };
    CardOverflow::INFO
        .at(
            &doc.path,
            Some(span),
            text!(
                "处置卡内容过多：步骤 9 磅、电话 10 磅（最小字号），用满 {pages} 面后仍超出约 {mm} 毫米{from_zh}",
                "the card does not fit: at the minimum sizes (9 pt steps, 10 pt numbers) on {pages} side(s) it is still about {mm} mm over{from_en}"
            ),
        )
        .help(text!(
            "{short_zh}{split_zh}细节留在现场处置方案里，或改用 --size a5",
            "{short_en}{split_en}details belong in the on-site plan; or use --size a5"
        ))
}
