use crate::declare_rule;
use crate::diag::{Diagnostic, Span};
use crate::parse::yaml::{YamlError, YamlErrorKind};
use crate::text;

declare_rule! {
    /// YAML 语法错误 · Invalid YAML
    ///
    /// ## What it checks · 检查内容
    /// The front matter (or a registry file) must be well-formed YAML whose top level is a
    /// mapping: no syntax errors, no duplicate keys, nesting at most 64 levels, and at most
    /// 200,000 nodes after expanding aliases (this stops "alias bombs"). A front matter over
    /// 1 MiB is reported as too large (with its size) and not parsed. Git merge-conflict
    /// markers (`<<<<<<<`, `=======`, `>>>>>>>`) in the front matter are reported as an
    /// unresolved merge conflict at the marker's line (markers in the body are T802).
    ///
    /// 头信息和登记册必须是合法的 YAML 映射：无语法错误、无重复键、嵌套不超过 64 层；头信息不超过
    /// 1 MiB；头信息中的合并冲突标记报告为“未解决的合并冲突”。
    ///
    /// ## Why it matters · 为什么重要
    /// A plan whose header cannot be read cannot be linked, filed or drilled; a duplicate key
    /// silently hides one of two values, e.g. two different `parent`s.
    ///
    /// 头信息无法读取的预案不能关联、备案或安排演练；重复的键会悄悄隐藏两个值中的一个，
    /// 例如两个不同的 `parent`。
    ///
    /// ## Example · 示例
    /// ```yaml
    /// title: 青溪县防汛抗旱应急预案
    ///   version: "2025.1"     # wrong indentation
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Fix the line shown. Quote values that contain `: ` or start with `[`, `{`, `*`, `&`, `!`,
    /// `|`, `>` or `#`. Keep one key per line at the same indentation.
    ///
    /// 改正所示的行。含有 `: ` 或以 `[`、`{`、`*`、`&`、`!`、
    /// `|`、`>`、`#` 开头的值要加引号；每行一个键，缩进一致。
    pub(crate) struct YamlInvalid {
        code: "F002",
        name: "yaml-invalid",
        severity: Error,
        stage: Load,
        summary: ("YAML 无法解析", "YAML cannot be parsed"),
    }
}

const INFO: &crate::diag::rule::RuleInfo = &YamlInvalid::INFO;

pub(crate) fn from_error(path: &str, e: &YamlError, span: Span) -> Diagnostic {
    let (msg, help) = match &e.kind {
        YamlErrorKind::Syntax(info) => (
            text!("YAML 语法错误：{info}", "YAML syntax error: {info}"),
            text!(
                "检查该行的缩进和冒号；含有 `: `、`#` 或以 `[`、`{{`、`*` 开头的值请加引号",
                "check indentation and colons on this line; quote values containing `: ` or `#`, or starting with `[`, `{{`, `*`"
            ),
        ),
        YamlErrorKind::DuplicateKey(k) => (
            text!("重复的键 `{k}`", "duplicate key `{k}`"),
            text!("删除或合并其中一个 `{k}`", "remove or merge one of the `{k}` keys"),
        ),
        YamlErrorKind::TooDeep(n) => (
            text!("YAML 嵌套超过 {n} 层", "YAML nested deeper than {n} levels"),
            text!("预案头信息不需要这样深的嵌套，请检查文件是否损坏", "plan front matter never needs this depth; check whether the file is damaged"),
        ),
        YamlErrorKind::TooManyNodes(n) => (
            text!("YAML 节点（含别名展开）超过 {n} 个", "YAML has more than {n} nodes after alias expansion"),
            text!("不要用锚点/别名（&、*）层层复制内容", "do not multiply content with anchors and aliases (&, *)"),
        ),
        YamlErrorKind::TooLarge { size, limit } => {
            let (kib, lim) = (size.div_ceil(1024), limit / 1024);
            (
                text!(
                    "头信息（front matter）过大：{size} 字节（约 {kib} KiB），上限 {limit} 字节（{lim} KiB），未解析",
                    "front matter too large: {size} bytes (about {kib} KiB), the limit is {limit} bytes ({lim} KiB); not parsed"
                ),
                text!(
                    "头信息只放编号、日期、层级等元数据；长文本、表格和附件请移到第二个 `---` 之后的正文中，或检查是否缺少结束的 `---`",
                    "keep only metadata (id, dates, hierarchy) in the front matter; move long text, tables and attachments into the body after the closing `---`, or check that the closing `---` is not missing"
                ),
            )
        }
        YamlErrorKind::MergeConflict => (
            text!(
                "未解决的合并冲突：头信息中有 git 冲突标记",
                "unresolved merge conflict: git conflict marker in the front matter"
            ),
            text!(
                "解决冲突：保留正确的一侧内容，删除 `<<<<<<<`、`=======`、`>>>>>>>` 标记行",
                "resolve the conflict: keep the right side and delete the `<<<<<<<`, `=======` and `>>>>>>>` lines"
            ),
        ),
        YamlErrorKind::UnknownAlias => (
            text!("引用了未定义的锚点", "alias refers to an undefined anchor"),
            text!("先用 `&名称` 定义锚点，再用 `*名称` 引用", "define the anchor with `&name` before using `*name`"),
        ),
        YamlErrorKind::MultipleDocuments => (
            text!("一个文件中只能有一个 YAML 文档", "only one YAML document is allowed here"),
            text!("删除多余的 `---` 行", "remove the extra `---` line"),
        ),
    };
    INFO.at(path, Some(span), msg).help(help)
}

pub(crate) fn not_mapping(path: &str, span: Span) -> Diagnostic {
    INFO.at(
        path,
        Some(span),
        text!(
            "YAML 顶层必须是“键: 值”映射",
            "the top level of the YAML must be a mapping of keys to values"
        ),
    )
    .help(text!(
        "每行写一个 `字段: 值`，如 `id: qx-flood`",
        "write one `key: value` per line, e.g. `id: qx-flood`"
    ))
}
