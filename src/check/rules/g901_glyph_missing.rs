use crate::declare_rule;
use crate::diag::{Diagnostic, Span, Text};
use crate::text;

declare_rule! {
    /// 字体缺字 · Character the fonts cannot draw
    ///
    /// ## What it checks · 检查内容
    /// A character that a generator (`yuan cards`, `yuan handbook`, `yuan drills pack`,
    /// `yuan drills schedule`) would print in a PDF and that the regular or the bold font has no
    /// glyph for. Reported by the generators while they print (`yuan check` loads no font), at
    /// the first place the character is written: the field of a card, or the line of the plan,
    /// drill record or registry it comes from. The PDF of that card, book, copy or edition is
    /// not written; the HTML, which the reader's own fonts draw, still is.
    ///
    /// 生成 PDF 时，正文或粗体字体中没有某个要印出的字符（由生成命令报告，`yuan check` 不加载字体）；
    /// 指向该字符首次出现的位置。该 PDF 不生成，HTML 仍生成。
    ///
    /// ## Why it matters · 为什么重要
    /// A missing glyph prints as an empty box or nothing at all: a person's name, a place or a
    /// phone label silently wrong on paper that people act on in an emergency. Rare characters
    /// in names (生僻字) are common in Chinese place and person names, and the built-in font is a
    /// GB2312 subset.
    ///
    /// 缺字会印成空框或什么都不印：人名、地名或电话标签在应急时依据的纸面上悄悄出错。
    /// 地名和人名中的生僻字很常见，而内置字体只含 GB2312 子集。
    ///
    /// ## Example · 示例
    /// A card whose PPE list names `防火服` followed by the compatibility ideograph U+2F81F, or
    /// a drill at `青溪恒达化工有限公司𠀀号罐区` (U+20000).
    ///
    /// ## How to fix · 如何修改
    /// Use a common character if the text allows it; otherwise choose a font that has the
    /// character with `--font` (and `--font-bold`), or `[render] font` in yuan.toml (a `.ttf`,
    /// `.otf` or `file.ttc#N` inside the repository).
    ///
    /// 能换用常用字就换；否则用 `--font`（和 `--font-bold`）
    /// 或 yuan.toml 的 `[render] font` 指定含有该字的字体（库内的 `.ttf`、
    /// `.otf` 或 `file.ttc#N`）。
    pub(crate) struct GlyphMissing {
        code: "G901",
        name: "glyph-missing",
        severity: Error,
        stage: Print,
        summary: ("字体中没有要印出的字符（生成 PDF 时报告）", "the fonts cannot draw a character to print (reported by generators)"),
    }
}

/// `chars` that the font `font` cannot draw, written at `path` (`span`), so that `what` (e.g.
/// "the handbook PDF cannot be printed") follows; `whose` names the units that print them
/// when the path alone does not say, `unaffected` what is written all the same (the HTML).
pub(crate) fn at(
    path: &str,
    span: Option<Span>,
    glyphs: &Glyphs,
    what: &Text,
    unaffected: Option<&Text>,
) -> Diagnostic {
    let Glyphs { font, chars, whose } = glyphs;
    let point = |c: &char| format!("U+{:04X}", *c as u32);
    // 「字」U+5B57 each; with the units that print them: 「字」 (id, id) U+5B57
    let (shown_zh, shown_en) = if whose.is_empty() {
        let shown: Vec<String> = chars
            .iter()
            .map(|c| format!("「{c}」{}", point(c)))
            .collect();
        (shown.join(" "), shown.join(" "))
    } else {
        let quoted: String = chars.iter().map(|c| format!("「{c}」")).collect();
        let points: Vec<String> = chars.iter().map(point).collect();
        let points = points.join(" ");
        (
            format!("{quoted}（{}） {points}", whose.join("、")),
            format!("{quoted} ({}) {points}", whose.join(", ")),
        )
    };
    let (what_zh, what_en) = (&what.zh, &what.en);
    let (also_zh, also_en) = unaffected.map_or((String::new(), String::new()), |t| {
        (format!("；{}", t.zh), format!("; {}", t.en))
    });
    GlyphMissing::INFO
        .at(
            path,
            span,
            text!(
                "字体 {font} 中没有字符 {shown_zh}，{what_zh}",
                "the font {font} has no glyph for {shown_en}; {what_en}"
            ),
        )
        .help(text!(
            "改用常用字，或用 --font（或 yuan.toml 的 [render] font）选择包含该字的字体{also_zh}",
            "use a common character, or choose a font that has it with --font (or [render] font in yuan.toml){also_en}"
        ))
}

/// What a G901 finding says is missing: the font's name, the characters, and (optional) the
/// units that print them.
pub(crate) struct Glyphs {
    pub(crate) font: String,
    pub(crate) chars: Vec<char>,
    pub(crate) whose: Vec<String>,
}
