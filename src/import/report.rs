//! The import report (import stage): what [`super::import`] found, for people (`--format
//! human`) and for tools (`--format json`), one entry per document: the source and the files
//! written, every heading with its level and evidence, every front-matter value with the
//! paragraph it came from, every guess and placeholder, and everything left out.

use super::{Imported, Place};
use crate::diag::terminal::escape;
use crate::diag::{Lang, Text};
use serde::Serialize;

/// The JSON report of a run.
#[derive(Debug, Serialize)]
pub(crate) struct Report<'a> {
    pub(crate) sources: Vec<SourceReport<'a>>,
}

#[derive(Debug, Serialize)]
pub(crate) struct SourceReport<'a> {
    pub(crate) source: &'a str,
    /// Every file written, relative to the repository root.
    pub(crate) written: Vec<String>,
    pub(crate) documents: Vec<DocReport<'a>>,
    pub(crate) registry: Vec<Entry<'a>>,
    pub(crate) left_out: Vec<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct DocReport<'a> {
    pub(crate) id: &'a str,
    pub(crate) path: String,
    pub(crate) kind: &'a str,
    pub(crate) title: &'a str,
    pub(crate) headings: Vec<HeadingReport<'a>>,
    pub(crate) fields: Vec<FieldReport<'a>>,
    pub(crate) notes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct HeadingReport<'a> {
    pub(crate) level: u8,
    pub(crate) text: &'a str,
    pub(crate) paragraph: usize,
    pub(crate) evidence: &'a super::structure::Evidence,
}

#[derive(Debug, Serialize)]
pub(crate) struct FieldReport<'a> {
    pub(crate) field: &'a str,
    pub(crate) value: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) paragraph: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) source: Option<&'a str>,
    pub(crate) how: String,
    pub(crate) placeholder: bool,
}

#[derive(Debug, Serialize)]
pub(crate) struct Entry<'a> {
    pub(crate) list: &'a str,
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
}

/// Where the files of an import go, relative to the repository root: the documents' folder
/// and the registry folder.
pub(crate) struct Places<'a> {
    pub(crate) documents: &'a str,
    pub(crate) registry: &'a str,
}

impl Places<'_> {
    fn join(dir: &str, rest: &str) -> String {
        if dir.is_empty() || dir == "." {
            rest.to_string()
        } else {
            format!("{}/{rest}", dir.trim_end_matches('/'))
        }
    }
    /// The path of a written file.
    pub(crate) fn of(&self, f: &super::File) -> String {
        let name = format!("{}.{}", f.stem, f.ext);
        match (f.place, &f.folder) {
            (Place::Registry, _) => Self::join(self.registry, &name),
            (Place::Documents, Some(folder)) => {
                Self::join(self.documents, &format!("{folder}/{name}"))
            }
            (Place::Documents, None) => Self::join(self.documents, &name),
        }
    }
}

/// The report of one source, in `lang`.
pub(crate) fn source<'a>(i: &'a Imported, places: &Places, lang: Lang) -> SourceReport<'a> {
    let say = |t: &Text| t.get(lang).to_string();
    SourceReport {
        source: &i.source,
        written: i.files.iter().map(|f| places.of(f)).collect(),
        documents: i
            .docs
            .iter()
            .map(|d| DocReport {
                id: &d.id,
                path: Places::join(places.documents, &d.path),
                kind: d.kind.as_str(),
                title: &d.title,
                headings: d
                    .headings
                    .iter()
                    .map(|(level, text, para, evidence)| HeadingReport {
                        level: *level,
                        text,
                        paragraph: *para,
                        evidence,
                    })
                    .collect(),
                fields: d
                    .fields
                    .iter()
                    .map(|f| FieldReport {
                        field: f.name,
                        value: &f.value,
                        paragraph: f.para,
                        source: f.quote.as_deref(),
                        how: say(&f.how),
                        placeholder: f.placeholder,
                    })
                    .collect(),
                notes: d.notes.iter().map(say).collect(),
            })
            .collect(),
        registry: i
            .registry
            .iter()
            .map(|(list, id, name)| Entry { list, id, name })
            .collect(),
        left_out: i.left_out.iter().map(say).collect(),
    }
}

/// The human report of one source, in `lang`.
pub(crate) fn human(r: &SourceReport, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let e = |s: &str| escape(s).into_owned();
    let mut out = String::new();
    let line = |out: &mut String, s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(
        &mut out,
        if zh {
            format!("导入 {}", e(r.source))
        } else {
            format!("imported {}", e(r.source))
        },
    );
    for d in &r.documents {
        line(
            &mut out,
            format!("  {} ({}) {}", e(&d.path), d.kind, e(d.title)),
        );
        line(
            &mut out,
            if zh {
                format!("    标题 {} 个：", d.headings.len())
            } else {
                format!("    {} headings:", d.headings.len())
            },
        );
        for h in &d.headings {
            let (ezh, een) = h.evidence.words();
            let indent = "  ".repeat(usize::from(h.level.saturating_sub(1)));
            line(
                &mut out,
                if zh {
                    format!(
                        "      {indent}{} {}  ← 第 {} 段，{}",
                        h.level,
                        e(h.text),
                        h.paragraph,
                        ezh
                    )
                } else {
                    format!(
                        "      {indent}{} {}  <- paragraph {}, {}",
                        h.level,
                        e(h.text),
                        h.paragraph,
                        een
                    )
                },
            );
        }
        line(
            &mut out,
            if zh {
                "    头信息：".to_string()
            } else {
                "    front matter:".to_string()
            },
        );
        for f in &d.fields {
            let mark = if f.placeholder {
                if zh {
                    "【待定】"
                } else {
                    "[placeholder] "
                }
            } else {
                ""
            };
            let from = match (f.paragraph, f.source) {
                (Some(p), Some(q)) if zh => format!("，第 {p} 段“{}”", e(q)),
                (Some(p), Some(q)) => format!(", paragraph {p} \"{}\"", e(q)),
                _ => String::new(),
            };
            line(
                &mut out,
                format!(
                    "      {mark}{}: {}  ({}{from})",
                    f.field,
                    e(f.value),
                    e(&f.how)
                ),
            );
        }
        for n in &d.notes {
            line(&mut out, format!("    ! {}", e(n)));
        }
    }
    if !r.registry.is_empty() {
        line(
            &mut out,
            if zh {
                "  登记册（均标注 imported，请核实）：".to_string()
            } else {
                "  registry entries (each marked imported: check them):".to_string()
            },
        );
        for en in &r.registry {
            line(
                &mut out,
                format!("    {} {} {}", en.list, e(en.id), e(en.name)),
            );
        }
    }
    if !r.left_out.is_empty() {
        line(
            &mut out,
            if zh {
                "  未导入：".to_string()
            } else {
                "  left out:".to_string()
            },
        );
        for l in &r.left_out {
            line(&mut out, format!("    - {}", e(l)));
        }
    }
    line(
        &mut out,
        if zh {
            format!(
                "  写入 {} 个文件：{}",
                r.written.len(),
                r.written.join("、")
            )
        } else {
            format!(
                "  wrote {} files: {}",
                r.written.len(),
                r.written.join(", ")
            )
        },
    );
    out
}
