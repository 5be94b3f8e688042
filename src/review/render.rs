//! Output of a review: human (coloured only on a terminal), Markdown for a merge request, and
//! the stable JSON documented in docs/cli.md.

use super::{DocChange, Report, SectionChange, Status};
use crate::diag::Lang;
use crate::review::outline::SectionStatus;
use serde_json::{json, Value};
use std::io::Write;

/// Picks the language.
fn t<'a>(lang: Lang, zh: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

fn status_word(s: Status, lang: Lang) -> &'static str {
    match (s, lang) {
        (Status::Added, Lang::Zh) => "新增",
        (Status::Removed, Lang::Zh) => "删除",
        (Status::Changed, Lang::Zh) => "修改",
        (Status::Renamed, Lang::Zh) => "改名",
        (s, Lang::En) => s.as_str(),
    }
}

fn section_mark(s: SectionStatus) -> &'static str {
    match s {
        SectionStatus::Added => "+",
        SectionStatus::Removed => "-",
        SectionStatus::Changed => "~",
        SectionStatus::Moved => "→",
        SectionStatus::Renamed => "↻",
    }
}

/// Names of major keys in the output language.
fn major_names(r: &Report, keys: &[String], lang: Lang) -> String {
    keys.iter()
        .map(|k| {
            r.majors
                .iter()
                .find(|s| &s.key == k)
                .map(|s| t(lang, &s.title, &s.title_en).to_string())
                .unwrap_or_else(|| k.clone())
        })
        .collect::<Vec<_>>()
        .join(t(lang, "、", ", "))
}

fn range_line(r: &Report, lang: Lang) -> String {
    format!("{} .. {}", r.from.name.get(lang), r.to.name.get(lang))
}

/// Text as is (human output, escaped as a whole by the caller).
fn plain(s: &str) -> String {
    s.to_string()
}

/// Text from the repository inside Markdown: every ASCII character that Markdown, GFM or HTML
/// gives a meaning is backslash-escaped (so a title cannot add a link, an image, a mention, a
/// tag or a table cell), line breaks become spaces and control characters visible escapes.
fn md(s: &str) -> String {
    let s = s.replace(['\n', '\r'], " ");
    let s = crate::diag::terminal::escape(&s);
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '(' | ')' | '#' | '!' | '|' | '~'
            | '@' | '{' | '}' | '&' | ':' | '"' | '\'' | '=' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// An id or path from the repository as a Markdown code span: the fence is longer than any run
/// of backticks inside, pipes are escaped for tables, line breaks become spaces.
fn md_code(s: &str) -> String {
    let s = crate::diag::terminal::escape(&s.replace(['\n', '\r'], " ")).replace('|', "\\|");
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

fn section_line(s: &SectionChange, lang: Lang, esc: &dyn Fn(&str) -> String) -> String {
    let path = |p: &[String]| p.iter().map(|h| esc(h)).collect::<Vec<_>>().join(" › ");
    let mut line = format!("{} {}", section_mark(s.status), path(&s.path));
    if let Some(old) = &s.old_path {
        let was = path(old);
        let (zh, en) = match s.status {
            SectionStatus::Renamed => ("原标题", "renamed from"),
            _ => ("移自", "moved from"),
        };
        line.push_str(&format!("  ({} {was}", t(lang, zh, en)));
        if s.text_changed {
            line.push_str(t(lang, "，内容有改动", ", text changed"));
        }
        line.push(')');
    }
    line
}

fn version_text(d: &DocChange, lang: Lang) -> Option<String> {
    let v = &d.version;
    match (&v.old, &v.new) {
        (Some(a), Some(b)) if a != b => Some(format!("{a} → {b}")),
        (Some(a), Some(_)) => Some(format!("{a}{}", t(lang, "（未变）", " (unchanged)"))),
        (None, Some(b)) | (Some(b), None) => Some(b.clone()),
        (None, None) => None,
    }
}

/// The obligation of a major change, one sentence.
fn obligation(r: &Report, d: &DocChange, lang: Lang) -> Option<String> {
    let rf = d.refiling.as_ref()?;
    let what = major_names(r, &d.major, lang);
    let days = rf.working_days;
    let mut s = match lang {
        Lang::Zh => format!(
            "重大修订（{what}）：须重新履行编制、评审（论证）、审批、印发程序，并在印发后 {days} 个工作日内重新备案（《突发事件应急预案管理办法》（2024）第二十六条，《生产安全事故应急预案管理办法》第二十六条、第三十七条）"
        ),
        Lang::En => format!(
            "major change ({what}): re-draft, review, approve and re-issue, then re-file within {days} working days of issue (《突发事件应急预案管理办法》 (2024) Art. 26; 《生产安全事故应急预案管理办法》 Art. 26, 37)"
        ),
    };
    if let (Some(on), Some(by)) = (rf.reissued, rf.file_by) {
        s.push_str(&match lang {
            Lang::Zh => format!("；重新印发于 {on}，最迟 {by} 备案"),
            Lang::En => format!("; re-issued on {on}, file by {by}"),
        });
    } else {
        s.push_str(t(
            lang,
            "；dates.issued 未更新（重新印发后填写）",
            "; dates.issued not updated (set it when re-issued)",
        ));
    }
    s.push_str(if rf.version_bumped {
        t(lang, "；版本号已更新", "; version bumped")
    } else {
        t(lang, "；版本号未更新", "; version NOT bumped")
    });
    Some(s)
}

fn because_text(r: &super::NeedsReview, lang: Lang, esc: &dyn Fn(&str) -> String) -> String {
    r.because
        .iter()
        .map(|b| {
            let rel = match (b.relation.as_str(), lang) {
                ("parent", Lang::Zh) => "上级/所属预案",
                ("upper", Lang::Zh) => "上位预案",
                ("uses", Lang::Zh) => "所用登记册条目",
                ("parent", Lang::En) => "parent",
                ("uses", Lang::En) => "uses",
                ("defaults", Lang::Zh) => "所继承的共用前置信息",
                ("defaults", Lang::En) => "inherits from",
                _ => t(lang, "上位预案", "upper plan"),
            };
            let major = if b.major {
                t(lang, "，重大修订", ", major")
            } else {
                ""
            };
            let st = status_word(b.status, lang);
            let cites = if b.cites.is_empty() {
                String::new()
            } else {
                let list = b
                    .cites
                    .iter()
                    .map(|c| esc(c))
                    .collect::<Vec<_>>()
                    .join(t(lang, "、", ", "));
                match lang {
                    Lang::Zh => format!("；所引条款已改：{list}"),
                    Lang::En => format!("; cited clauses changed: {list}"),
                }
            };
            match lang {
                Lang::Zh => format!("{rel} {}（{st}{major}{cites}）", esc(&b.id)),
                Lang::En => format!("{rel} {} ({st}{major}{cites})", esc(&b.id)),
            }
        })
        .collect::<Vec<_>>()
        .join(t(lang, "；", "; "))
}

fn summary_line(r: &Report, lang: Lang) -> String {
    let s = &r.summary;
    match lang {
        Lang::Zh => format!(
            "新增 {} 个、删除 {} 个、修改 {} 个文档（其中重大修订 {} 个）；登记册条目变化 {} 个；需复核 {} 个",
            s.added, s.removed, s.changed, s.major, s.registry, s.needs_review
        ),
        Lang::En => format!(
            "{} added, {} removed, {} changed documents ({} major); registry entries changed: {}; need review: {}",
            s.added, s.removed, s.changed, s.major, s.registry, s.needs_review
        ),
    }
}

/// A status word padded to one column width (Chinese words are all two characters).
fn padded(word: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => word.to_string(),
        Lang::En => format!("{word:<7}"),
    }
}

/// One registry entry: `    changed contacts/x  registry/a.yaml`, or a Markdown list item.
fn registry_line(e: &super::EntryChange, lang: Lang, markdown: bool) -> String {
    let (st, key) = (status_word(e.status, lang), format!("{}/{}", e.list, e.id));
    if markdown {
        format!("- {st} {} ({})", md_code(&key), md_code(&e.path))
    } else {
        format!("    {} {key}  {}", padded(st, lang), e.path)
    }
}

/// Human output; `color` adds ANSI colours (the CLI passes true only on a terminal).
pub(crate) fn human(
    out: &mut dyn Write,
    r: &Report,
    lang: Lang,
    color: bool,
) -> std::io::Result<()> {
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    writeln!(out, "yuan diff: {}", range_line(r, lang))?;
    for n in &r.notes {
        writeln!(out, "{}: {}", t(lang, "注意", "note"), n.get(lang))?;
    }
    if r.documents.is_empty() && r.registry.is_empty() {
        writeln!(out, "{}", t(lang, "没有预案变更", "no plan changes"))?;
        return Ok(());
    }
    for d in &r.documents {
        writeln!(out)?;
        let code = match d.status {
            Status::Added => "32",
            Status::Removed => "31",
            _ => "33",
        };
        let mut head = format!(
            "{} {}  {}  {}",
            paint(code, &padded(status_word(d.status, lang), lang)),
            paint("1", &d.id),
            d.title,
            d.path
        );
        if let Some(old) = &d.old_path {
            head.push_str(&format!("  ({} {old})", t(lang, "原路径", "was")));
        }
        if let Some(v) = version_text(d, lang) {
            head.push_str(&format!("  {} {v}", t(lang, "版本", "version")));
        }
        writeln!(out, "{head}")?;
        for s in &d.sections {
            let mut line = format!("    {}", section_line(s, lang, &plain));
            if !s.major.is_empty() {
                let names = major_names(r, &s.major, lang);
                let m = match lang {
                    Lang::Zh => format!("[重大修订：{names}]"),
                    Lang::En => format!("[major: {names}]"),
                };
                line.push_str(&format!("  {}", paint("1;31", &m)));
            }
            writeln!(out, "{line}")?;
        }
        if !d.fields.is_empty() {
            let list = d
                .fields
                .iter()
                .map(|f| {
                    let mark = match f.status {
                        Status::Added => "+",
                        Status::Removed => "-",
                        _ => "~",
                    };
                    let m = if f.major.is_empty() {
                        String::new()
                    } else {
                        paint("1;31", &format!(" [{}]", major_names(r, &f.major, lang)))
                    };
                    format!("{mark}{}{m}", f.field)
                })
                .collect::<Vec<_>>()
                .join(" ");
            writeln!(out, "    {}{list}", t(lang, "头信息：", "front matter: "))?;
        }
        if let Some(o) = obligation(r, d, lang) {
            writeln!(out, "    {}", paint("1;31", &format!("! {o}")))?;
        }
    }
    if !r.registry.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", t(lang, "登记册：", "registry:"))?;
        for e in &r.registry {
            writeln!(out, "{}", registry_line(e, lang, false))?;
        }
    }
    if !r.needs_review.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            paint(
                "1;33",
                t(
                    lang,
                    "需复核（本次未修改，但其上级文档、所用登记册条目或所继承的共用前置信息有变化）：",
                    "needs review (not changed in this range, but a document above it, a registry entry it uses or the shared front matter it inherits changed):"
                )
            )
        )?;
        for n in &r.needs_review {
            writeln!(
                out,
                "    {}  {}  {}",
                n.id,
                n.path,
                because_text(n, lang, &plain)
            )?;
        }
    }
    if !r.retired_numbers.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            paint(
                "1;33",
                t(
                    lang,
                    "已从登记册撤下、但文档中仍写着的号码（改为引用联系人或现在的号码）：",
                    "numbers taken out of the registry and still written in documents (name the contact, or write its number now):"
                )
            )
        )?;
        for n in &r.retired_numbers {
            writeln!(out, "    {}  {} {}", n.number, n.contact, n.name)?;
            for c in &n.carried_by {
                writeln!(out, "        {}  {}:{}", c.id, c.path, c.line)?;
            }
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", summary_line(r, lang))?;
    Ok(())
}

/// Markdown for a merge-request description or comment.
pub(crate) fn markdown(out: &mut dyn Write, r: &Report, lang: Lang) -> std::io::Result<()> {
    writeln!(out, "### {}", t(lang, "预案变更审查", "Plan change review"))?;
    writeln!(out)?;
    writeln!(out, "{}", md_code(&range_line(r, lang)))?;
    for n in &r.notes {
        writeln!(out)?;
        writeln!(out, "> {}: {}", t(lang, "注意", "Note"), md(n.get(lang)))?;
    }
    writeln!(out)?;
    if r.documents.is_empty() && r.registry.is_empty() {
        writeln!(out, "{}", t(lang, "没有预案变更。", "No plan changes."))?;
        return Ok(());
    }
    if !r.documents.is_empty() {
        let head = t(
            lang,
            "| 文档 | 变更 | 版本 | 章节 | 重大修订 |",
            "| Document | Change | Version | Sections | Major |",
        );
        writeln!(out, "{head}\n|---|---|---|---|---|")?;
        for d in &r.documents {
            let mut doc = format!(
                "{} {}<br>{}",
                md_code(&d.id),
                md(&d.title),
                md_code(&d.path)
            );
            if let Some(old) = &d.old_path {
                doc.push_str(&format!(" ({} {})", t(lang, "原", "was"), md_code(old)));
            }
            let mut lines: Vec<String> = d
                .sections
                .iter()
                .map(|s| section_line(s, lang, &md))
                .collect();
            if !d.fields.is_empty() {
                let f: Vec<String> = d.fields.iter().map(|f| md_code(&f.field)).collect();
                lines.push(format!(
                    "{}{}",
                    t(lang, "头信息：", "front matter: "),
                    f.join(" ")
                ));
            }
            let major = if d.major.is_empty() {
                String::new()
            } else {
                format!("**{}**", md(&major_names(r, &d.major, lang)))
            };
            writeln!(
                out,
                "| {doc} | {} | {} | {} | {major} |",
                status_word(d.status, lang),
                version_text(d, lang).map(|v| md(&v)).unwrap_or_default(),
                lines.join("<br>"),
            )?;
        }
    }
    let majors: Vec<String> = r
        .documents
        .iter()
        .filter_map(|d| {
            obligation(r, d, lang).map(|o| format!("- **{}** {}", md_code(&d.id), md(&o)))
        })
        .collect();
    if !majors.is_empty() {
        writeln!(out)?;
        writeln!(out, "#### {}", t(lang, "重大修订", "Major changes"))?;
        writeln!(out)?;
        for m in majors {
            writeln!(out, "{m}")?;
        }
    }
    if !r.registry.is_empty() {
        writeln!(out)?;
        writeln!(out, "#### {}", t(lang, "登记册", "Registry"))?;
        writeln!(out)?;
        for e in &r.registry {
            writeln!(out, "{}", registry_line(e, lang, true))?;
        }
    }
    if !r.needs_review.is_empty() {
        writeln!(out)?;
        writeln!(out, "#### {}", t(lang, "需复核", "Needs review"))?;
        writeln!(out)?;
        for n in &r.needs_review {
            writeln!(
                out,
                "- [ ] {} ({}): {}",
                md_code(&n.id),
                md_code(&n.path),
                because_text(n, lang, &md)
            )?;
        }
    }
    if !r.retired_numbers.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "#### {}",
            t(
                lang,
                "已从登记册撤下、但文档中仍写着的号码",
                "Numbers taken out of the registry, still written in documents"
            )
        )?;
        writeln!(out)?;
        for n in &r.retired_numbers {
            let docs: Vec<String> = n
                .carried_by
                .iter()
                .map(|c| {
                    format!(
                        "{} ({})",
                        md_code(&c.id),
                        md_code(&format!("{}:{}", c.path, c.line))
                    )
                })
                .collect();
            writeln!(
                out,
                "- [ ] {} ({} {}): {}",
                md_code(&n.number),
                md_code(&n.contact),
                md(&n.name),
                docs.join(t(lang, "、", ", "))
            )?;
        }
    }
    writeln!(out)?;
    writeln!(out, "_{}_", summary_line(r, lang))?;
    Ok(())
}

/// The JSON contract (docs/cli.md, `yuan diff`): `version` 1.
pub(crate) fn json(r: &Report, lang: Lang) -> Value {
    let end = |e: &super::snapshot::End| {
        json!({
            "name": e.name.get(lang),
            "commit": e.commit(),
            "worktree": e.side == super::snapshot::Side::WorkTree,
        })
    };
    json!({
        "version": 1,
        "from": end(&r.from),
        "to": end(&r.to),
        "shallow": r.shallow,
        "notes": r.notes.iter().map(|n| n.get(lang)).collect::<Vec<_>>(),
        "documents": r.documents,
        "registry": r.registry,
        "needs_review": r.needs_review,
        "retired_numbers": r.retired_numbers,
        "summary": r.summary,
        "major_kinds": r.majors.iter().map(|m| json!({
            "key": m.key, "title": m.title, "title_en": m.title_en, "source": m.source,
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A title cannot add a link, an image, a tag, a mention, a table cell or a line.
    #[test]
    fn repository_text_stays_text_in_markdown() {
        let title =
            "应急预案 ![x](https://t.example/p.png) <img src=x onerror=alert(1)> @team | x\n# h";
        let out = md(title);
        // every character Markdown or HTML reads is behind a backslash
        let mut chars = out.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                chars.next();
                continue;
            }
            assert!(!"!<>[]()@|#`*_&:\n".contains(c), "unescaped {c:?} in {out}");
        }
        assert!(out.starts_with("应急预案 \\!\\[x\\]\\(https\\:"), "{out}");
        assert_eq!(md("\u{1b}[2J"), "\\\\u\\{1b\\}\\[2J");
    }

    /// A backtick in an id cannot close its code span; a pipe cannot end a table cell.
    #[test]
    fn code_spans_outlast_the_backticks_inside() {
        assert_eq!(md_code("qx-flood"), "`qx-flood`");
        assert_eq!(md_code("a`b"), "``a`b``");
        assert_eq!(md_code("`x``"), "``` `x`` ```");
        assert_eq!(md_code("a|b\nc"), "`a\\|b c`");
    }
}
