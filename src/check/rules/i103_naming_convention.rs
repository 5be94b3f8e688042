use crate::check::util::at_doc;
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::{Diagnostic, Severity, Text};
use crate::text;
use std::ops::Range;

declare_rule! {
    /// id 与文件名约定 · Id and file-name conventions
    ///
    /// ## What it checks · 检查内容
    /// A document id must match `[check] id_pattern` (default: lower-case ASCII letters, digits
    /// and single hyphens, e.g. `qx-flood`), and the file should be named after its id
    /// (`qx-flood.md`).
    /// id 须符合命名规则（默认小写字母、数字和连字符），文件名应与 id 一致。
    ///
    /// An id that cannot be a file name is an **error**, whatever `id_pattern` allows: a path
    /// separator (`/`, `\`), a leading `.` or `-` (so `.` and `..`), a control character, a
    /// character Windows forbids in file names (`< > : " | ? *`), a trailing dot or space, a
    /// reserved Windows device name (`con`, `nul`, `com1`, …), or more than 100 bytes.
    /// Generators name files after ids (`<id>.pdf`), so such a document is never printed.
    ///
    /// 不能用作文件名的 id 是**错误**（路径分隔符、以 `.` 或 `-` 开头、控制字符、Windows 禁用的
    /// 字符或设备名、超过 100 字节）：生成器以 id 命名输出文件，此类文档不予生成。
    ///
    /// ## Why it matters · 为什么重要
    /// Ids appear in references, URLs, QR codes on disposal cards and file names on every
    /// operating system; Chinese or spaced ids break some of them. A file named after its id is
    /// found in seconds when a diagnostic or a card names the id. A repository may come from
    /// another organisation: an id such as `../../../.bashrc` would make `yuan cards` write
    /// outside its output folder, and a control character in an id would reach the terminal.
    ///
    /// 文档 id 出现在引用、网址、处置卡二维码和各操作系统的文件名中，中文或带空格的 id 会破坏其中一些。
    /// 以 id 命名的文件，在诊断或卡片提到 id 时几秒就能找到。预案库可能来自其他单位：
    /// `../../../.bashrc` 这样的 id 会让 `yuan cards` 写到输出目录之外，
    /// id 中的控制字符会传到终端。
    ///
    /// ## Example · 示例
    /// `county/防汛预案.md` with `id: QX Flood` (a warning); `id: ../../x` (an error).
    ///
    /// ## How to fix · 如何修改
    /// Rename the id (and its references) or the file (`git mv`).
    ///
    /// 重命名 id（及其引用）或文件（`git mv`）。
    pub(crate) struct NamingConvention {
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
    fn check_docs(&self, cx: &Context, docs: Range<usize>, out: &mut Vec<Diagnostic>) {
        let Some(re) = cx.id_pattern() else {
            return;
        };
        let pattern = &cx.config.check.id_pattern;
        for d in cx.docs_in(docs) {
            let Some(id) = &d.id else { continue };
            if let Some(why) = file_name_problem(id) {
                let shown = crate::diag::terminal::escape(id);
                let (wz, we) = (&why.zh, &why.en);
                let mut diag = at_doc(
                    &Self::INFO,
                    d,
                    "/id",
                    text!(
                        "id `{shown}` 不能用作文件名：{wz}",
                        "id `{shown}` cannot be a file name: {we}"
                    ),
                )
                .help(text!(
                    "处置卡、手册和演练资料包以 id 命名文件；使用小写字母、数字和连字符，如 `qx-flood`",
                    "cards, handbooks and exercise packs are named after the id; use lower-case letters, digits and hyphens, e.g. `qx-flood`"
                ));
                diag.severity = Severity::Error;
                out.push(diag);
                continue;
            }
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

/// The longest id (in bytes) that still leaves room for a suffix such as `-participants.html`
/// within the 255-byte file-name limit of common file systems.
pub(crate) const MAX_FILE_NAME_ID: usize = 100;

/// Why `name` cannot be one file name on every system yuan runs on, or `None` when it can.
/// The generators build every output path from names that pass this test
/// ([`crate::render::output`]), so the rule and the writers agree.
pub(crate) fn file_name_problem(name: &str) -> Option<Text> {
    let t = |zh: &str, en: &str| Some(Text::new(zh, en));
    if name.is_empty() {
        return t("为空", "it is empty");
    }
    if name.len() > MAX_FILE_NAME_ID {
        let n = name.len();
        return Some(text!(
            "长 {n} 字节，超过 {MAX_FILE_NAME_ID} 字节",
            "it is {n} bytes long, more than {MAX_FILE_NAME_ID}"
        ));
    }
    if name.contains(['/', '\\']) {
        return t(
            "含路径分隔符（/ 或 \\）",
            "it contains a path separator (/ or \\)",
        );
    }
    if name.starts_with('.') {
        return t(
            "以 `.` 开头（隐藏文件或上级目录）",
            "it starts with `.` (a hidden file or a parent folder)",
        );
    }
    if name.starts_with('-') {
        return t(
            "以 `-` 开头（会被当作命令行选项）",
            "it starts with `-` (read as an option by command-line tools)",
        );
    }
    if let Some(c) = name
        .chars()
        .find(|c| c.is_control() || crate::diag::terminal::is_invisible_format(*c))
    {
        let u = c as u32;
        return Some(text!(
            "含控制字符 U+{u:04X}",
            "it contains the control character U+{u:04X}"
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*'))
    {
        return Some(text!(
            "含 Windows 文件名禁用的字符 `{c}`",
            "it contains `{c}`, which Windows forbids in file names"
        ));
    }
    if name.ends_with(['.', ' ']) {
        return t(
            "以句点或空格结尾（Windows 会去掉）",
            "it ends with a dot or a space (Windows drops them)",
        );
    }
    let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    let reserved = matches!(stem.as_str(), "con" | "prn" | "aux" | "nul")
        || ((stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit());
    if reserved {
        return t(
            "是 Windows 保留的设备名",
            "it is a device name Windows reserves",
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_that_escape_or_break_are_refused() {
        for bad in [
            "",
            "../x",
            "../../../../tmp/x",
            "/etc/passwd",
            "a/b",
            "a\\b",
            ".",
            "..",
            ".hidden",
            "-rf",
            "a\nb",
            "a\u{1b}[31m",
            "a\rATTACH:x",
            "con",
            "NUL.txt",
            "com1",
            "a:b",
            "a?",
            "a.",
            "a ",
            "a\u{202e}b",
        ] {
            assert!(file_name_problem(bad).is_some(), "{bad:?} passed");
        }
        assert!(file_name_problem(&"a".repeat(101)).is_some());
        for good in [
            "qx-flood",
            "a",
            "hd-card-reactor-operator",
            "防汛预案",
            "a.b",
            "com10",
            "console",
            &"a".repeat(100),
        ] {
            assert!(file_name_problem(good).is_none(), "{good:?} refused");
        }
    }
}
