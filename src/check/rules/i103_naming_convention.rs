use crate::check::util::at_doc;
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::text;

declare_rule! {
    /// id 与文件名约定 · Id and file-name conventions
    ///
    /// ## What it checks · 检查内容
    /// A document id must match `[check] id_pattern` (default: lower-case ASCII letters, digits
    /// and single hyphens, e.g. `qx-flood`), and the file should be named after its id
    /// (`qx-flood.md`).
    /// id 须符合命名规则（默认小写字母、数字和连字符），文件名应与 id 一致。
    ///
    /// ## Why it matters · 为什么重要
    /// Ids appear in references, URLs, QR codes on disposal cards and file names on every
    /// operating system; Chinese or spaced ids break some of them. A file named after its id is
    /// found in seconds when a diagnostic or a card names the id.
    ///
    /// ## Example · 示例
    /// `county/防汛预案.md` with `id: QX Flood`.
    ///
    /// ## How to fix · 如何修改
    /// Rename the id (and its references) or the file (`git mv`).
    pub struct NamingConvention {
        code: "I103",
        name: "naming-convention",
        severity: Warning,
        stage: Corpus,
        summary: ("id 或文件名不合约定", "id or file name breaks the convention"),
    }
}

impl Rule for NamingConvention {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let Ok(re) = regex::Regex::new(&cx.config.check.id_pattern) else {
            return;
        };
        let pattern = &cx.config.check.id_pattern;
        for d in cx.docs() {
            let Some(id) = &d.id else { continue };
            if !re.is_match(id) {
                out.push(
                    at_doc(
                        &Self::INFO,
                        d,
                        "/id",
                        text!(
                            "id `{id}` 不符合命名规则 `{pattern}`",
                            "id `{id}` does not match `{pattern}`"
                        ),
                    )
                    .help(text!(
                        "使用小写字母、数字和连字符，如 `qx-flood`",
                        "use lower-case letters, digits and hyphens, e.g. `qx-flood`"
                    )),
                );
                continue;
            }
            let stem = d.path.rsplit('/').next().unwrap_or(&d.path);
            let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
            if stem != id {
                out.push(
                    at_doc(
                        &Self::INFO,
                        d,
                        "/id",
                        text!(
                            "文件名 `{stem}` 与 id `{id}` 不一致",
                            "file name `{stem}` differs from id `{id}`"
                        ),
                    )
                    .help(text!(
                        "将文件改名为 `{id}.md`（git mv）",
                        "rename the file to `{id}.md` (git mv)"
                    )),
                );
            }
        }
    }
}
