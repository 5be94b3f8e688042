use crate::declare_rule;
use crate::diag::{Diagnostic, Span};
use crate::text;
use std::path::Path;

declare_rule! {
    /// 文件无法读取 · Unreadable file
    ///
    /// ## What it checks · 检查内容
    /// A document or registry that cannot be read as text: invalid UTF-8 (e.g. saved as GBK),
    /// larger than `[check] max_file_bytes` (default 8 MiB), unreadable (permissions), a symlink
    /// loop, a symlink (to a file or a folder) that leaves the repository, a name that is not a
    /// regular file (a named pipe, a device, a socket), or an invalid `[files] exclude`
    /// pattern. Other files are still checked. A link that leaves the repository is reported
    /// once, with its target; what it points at is never read.
    ///
    /// 文件不是 UTF-8 编码（如 GBK）、过大、无权限读取、符号链接成环、符号链接指向仓库之外、
    /// 不是普通文件（命名管道、设备）等。指向仓库之外的链接只报告一次并显示目标，内容从不读取。
    ///
    /// ## Why it matters · 为什么重要
    /// A plan yuan cannot read is a plan nobody checked. GBK files from old Word exports are the
    /// most common cause; they display as mojibake on other machines too. A repository is
    /// untrusted input: a link to `/proc/self/environ` or to a file of another project must not
    /// bring secrets into the output, and a named pipe must not hang the check.
    ///
    /// 读不了的预案就是没人检查过的预案，最常见的原因是旧 Word 导出的 GBK 文件，
    /// 它在别的电脑上同样显示为乱码。预案库是不可信的输入：指向 `/proc/self/environ` 或其他项目文件的链接不能把机密带进输出，
    /// 命名管道也不能让检查挂起。
    ///
    /// ## Example · 示例
    /// A plan saved from Notepad as "ANSI" on a Chinese Windows (GBK); or `plans/a.md` committed
    /// as a symbolic link to `/etc/passwd`.
    ///
    /// ## How to fix · 如何修改
    /// Re-save as UTF-8 (e.g. `iconv -f GBK -t UTF-8 in.md > out.md`); split or remove huge files
    /// (attachments belong beside the plan, not inside it); fix the permission or the link; copy
    /// a file that lives outside the repository into it instead of linking to it.
    ///
    /// 另存为 UTF-8（如 `iconv -f GBK -t UTF-8 in.md > out.md`）；
    /// 拆分或删除过大的文件（附件放在预案旁边，不要放进预案里）；修正权限或链接；把库外的文件复制进来，
    /// 不要链接。
    pub(crate) struct UnreadableFile {
        code: "F005",
        name: "unreadable-file",
        severity: Error,
        stage: Load,
        summary: ("文件无法读取（编码、大小、权限或链接）", "file cannot be read (encoding, size, permission or link)"),
    }
}

const INFO: &crate::diag::rule::RuleInfo = &UnreadableFile::INFO;

pub(crate) fn invalid_utf8(path: &str, span: Span) -> Diagnostic {
    let line = span.line;
    INFO.at(
        path,
        Some(span),
        text!(
            "文件不是有效的 UTF-8 编码（第 {line} 行起）",
            "file is not valid UTF-8 (from line {line})"
        ),
    )
    .help(text!(
        "请以 UTF-8 重新保存，例如 `iconv -f GBK -t UTF-8 旧文件 > 新文件`",
        "re-save it as UTF-8, e.g. `iconv -f GBK -t UTF-8 old > new`"
    ))
}

pub(crate) fn too_large(path: &str, size: u64, max: u64) -> Diagnostic {
    let (mb, maxmb) = (size as f64 / 1048576.0, max as f64 / 1048576.0);
    INFO.at(
        path,
        None,
        text!(
            "文件过大（{mb:.1} MiB，上限 {maxmb:.1} MiB），未读取",
            "file too large ({mb:.1} MiB, limit {maxmb:.1} MiB); not read"
        ),
    )
    .help(text!(
        "附件不要放进预案正文；确需更大请调整 [check] max_file_bytes",
        "keep attachments out of the plan text, or raise [check] max_file_bytes"
    ))
}

pub(crate) fn io_error(path: &str, err: &std::io::Error) -> Diagnostic {
    INFO.at(
        path,
        None,
        text!("无法读取文件：{err}", "cannot read file: {err}"),
    )
}

/// A file the repository reader refused (outside the repository, not a regular file, too
/// large, unreadable): the reason and how to fix it, never the content.
pub(crate) fn refused(path: &str, why: &crate::source::Refusal) -> Diagnostic {
    use crate::source::Refusal;
    match why {
        Refusal::TooLarge {
            size,
            cap,
            exact: true,
        } => too_large(path, *size, *cap),
        Refusal::Io(e) => io_error(path, e),
        _ => INFO.at(path, None, why.message()).help(why.help()),
    }
}

pub(crate) fn walk_error(root: &Path, err: &ignore::Error) -> Diagnostic {
    let mut path = String::new();
    let mut e = err;
    loop {
        match e {
            ignore::Error::WithPath { path: p, err } => {
                path = p
                    .strip_prefix(root)
                    .unwrap_or(p)
                    .to_string_lossy()
                    .replace('\\', "/");
                e = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                e = err
            }
            _ => break,
        }
    }
    if let ignore::Error::Loop { child, .. } = e {
        path = child
            .strip_prefix(root)
            .unwrap_or(child)
            .to_string_lossy()
            .replace('\\', "/");
        return INFO
            .at(
                &path,
                None,
                text!("符号链接成环，已跳过", "symbolic link loop; skipped"),
            )
            .help(text!(
                "删除或改正这个符号链接",
                "remove or fix this symbolic link"
            ));
    }
    INFO.at(&path, None, text!("无法读取：{err}", "cannot read: {err}"))
}

pub(crate) fn bad_exclude(pattern: &str, err: &str) -> Diagnostic {
    INFO.at(
        "yuan.toml",
        None,
        text!(
            "[files] exclude 中的模式 `{pattern}` 无效：{err}",
            "invalid pattern `{pattern}` in [files] exclude: {err}"
        ),
    )
}
