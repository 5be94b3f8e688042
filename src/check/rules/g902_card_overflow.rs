use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::model::Document;
use crate::text;

declare_rule! {
    /// 处置卡放不下 · Card does not fit
    ///
    /// ## What it checks · 检查内容
    /// A disposal card (`kind: card`) whose steps, cautions, protective equipment and numbers
    /// do not fit on the card even with the type shrunk to the 7 pt minimum and the text
    /// continued on the back. Reported by `yuan cards` while it lays the card out (`yuan check`
    /// lays nothing out), at the card's `steps`, with how many millimetres are over.
    ///
    /// 处置卡缩到最小字号 7 磅、正反两面仍放不下（由 `yuan cards` 排版时报告），指向 `steps` 并给出超出的毫米数。
    ///
    /// ## Why it matters · 为什么重要
    /// A card is read in the first minutes of an accident, by one person at one post
    /// (GB/T 29639-2020 §8): type below 7 pt cannot be read in the field, and a card cut short
    /// loses exactly the last steps. yuan prints no card rather than an unreadable or a partial
    /// one.
    ///
    /// 处置卡在事故最初几分钟由一个岗位的一个人阅读（GB/T 29639-2020 第 8 章）：
    /// 小于 7 磅的字在现场看不清，被截断的卡片丢掉的恰恰是最后几步。yuan 宁可不印，
    /// 也不印看不清或不完整的卡片。
    ///
    /// ## Example · 示例
    /// A card whose steps copy the whole on-site plan: sixty sentences of procedure on an A6
    /// card.
    ///
    /// ## How to fix · 如何修改
    /// Keep the first minutes only: shorten the steps and cautions and leave the details in the
    /// on-site plan; or print larger cards with `--size a5` (or `[cards] size`).
    ///
    /// 只写最初几分钟要做的事：压缩步骤和注意事项，细节留在现场处置方案中；或用 `--size a5`（或 `[cards] size`）
    /// 印更大的卡片。
    pub(crate) struct CardOverflow {
        code: "G902",
        name: "card-overflow",
        severity: Error,
        stage: Print,
        summary: ("处置卡缩到最小字号仍放不下（由 yuan cards 报告）", "the card does not fit at the minimum type size (reported by yuan cards)"),
    }
}

/// The card `doc` is `over_mm` millimetres over at the minimum size on `pages` sides.
pub(crate) fn at(doc: &Document, pages: usize, over_mm: f32) -> Diagnostic {
    let mm = format!("{over_mm:.1}");
    CardOverflow::INFO
        .at(
            &doc.path,
            Some(doc.span_of("/steps")),
            text!(
                "处置卡内容过多：缩到最小字号 7 磅、用满 {pages} 面后仍超出约 {mm} 毫米",
                "the card does not fit: at the 7 pt minimum on {pages} side(s) it is still about {mm} mm over"
            ),
        )
        .help(text!(
            "处置卡只写事故初期最关键的动作：精简步骤和注意事项，把细节留在现场处置方案里，或改用 --size a5",
            "a card holds the first minutes only: shorten steps and cautions (details belong in the on-site plan), or use --size a5"
        ))
}
