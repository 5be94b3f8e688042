//! `yuan drills pack DRILL_ID [DIR]`: the exercise pack of one drill record (演练资料包), one PDF
//! and one HTML file per copy (controllers' and participants'), see [`crate::drills::pack`].

use super::handbook::OutFormat;
use super::{resolve_lang, Color};
use crate::diag::terminal::escape;
use crate::diag::{Diagnostic, Lang, Severity};
use crate::drills::pack::{self, PackCopy, PackView};
use crate::git::Provenance;
use crate::model::meta::Kind;
use crate::model::{Corpus, Document};
use crate::render::flow::{self, Style};
use crate::render::font::{Face, Fonts};
use crate::render::output::OutDir;
use crate::render::pdf::{self, PdfMeta};
use crate::text;
use anyhow::bail;
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// Which copies to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CopyArg {
    /// 导调/评估版: everything, with the script and the evaluation forms.
    Controllers,
    /// 参演人员版: no evaluation forms; no script for a blind drill.
    Participants,
    Both,
}

#[derive(Debug, clap::Args)]
pub struct PackArgs {
    /// Id of the drill record (`kind: drill`).
    #[arg(value_name = "DRILL_ID")]
    pub drill: String,
    /// The plan repository (default: the current directory).
    #[arg(default_value_os_t = super::default_dir())]
    pub dir: PathBuf,
    /// Output folder (default: DIR/out/drills/packs).
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Copies to print.
    #[arg(long, value_enum, default_value_t = CopyArg::Both)]
    pub copy: CopyArg,
    /// Files to write.
    #[arg(long, value_enum, default_value_t = OutFormat::Both)]
    pub format: OutFormat,
    #[command(flatten)]
    pub fonts: super::FontArgs,
    /// Colour the diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

pub fn run(args: &PackArgs, lang: Option<&str>) -> anyhow::Result<i32> {
    use std::io::IsTerminal;
    let report = crate::Check::new(&args.dir, chrono::Local::now().date_naive())
        .progress(std::io::stderr().is_terminal())
        .run()?;
    let corpus = &report.loaded.corpus;
    let lang = resolve_lang(lang, report.loaded.config.check.lang.as_deref());
    let zh = lang == Lang::Zh;
    let doc = find_drill(corpus, &args.drill, zh)?;
    let id = &args.drill;

    let drill = doc.drill();
    let (plans, missing) = match drill {
        Some(d) => pack::exercised_plans(corpus, d),
        None => (Vec::new(), Vec::new()),
    };
    let mut wanted: HashSet<&str> = HashSet::from([doc.path.as_str()]);
    wanted.extend(plans.iter().map(|d| d.path.as_str()));
    let (mut diags, kept_out) = super::print_findings(&report.diagnostics, &wanted);
    let blocked = kept_out.contains(doc.path.as_str());
    let Some(drill) = drill.filter(|_| !blocked && missing.is_empty()) else {
        super::emit_findings(&args.dir, &mut diags, corpus.docs.len(), lang, args.color)?;
        let path = escape(&doc.path);
        let id = escape(id);
        let why = if missing.is_empty() {
            String::new()
        } else if zh {
            format!(
                "（引用的预案 {} 不在预案库中）",
                escape(&missing.join("、"))
            )
        } else {
            format!(
                " (it cites plans the repository lacks: {})",
                escape(&missing.join(", "))
            )
        };
        eprintln!(
            "{}",
            if zh {
                format!("演练记录 {id}（{path}）有错误{why}，未生成演练资料包；改正后重新运行")
            } else {
                format!("the drill record {id} ({path}) has errors{why}; no pack was printed: fix them and run again")
            }
        );
        return Ok(1);
    };

    let provenance = Provenance::detect(&args.dir);
    if let Some(note) = provenance.note.as_ref().map(|t| t.get(lang)) {
        eprintln!(
            "{}",
            if zh {
                format!("提示：{note}；来源标为 uncommitted")
            } else {
                format!("note: {note}; the source reads 'uncommitted'")
            }
        );
    }
    let label = provenance.label();
    let copies: &[PackCopy] = match args.copy {
        CopyArg::Controllers => &[PackCopy::Controllers],
        CopyArg::Participants => &[PackCopy::Participants],
        CopyArg::Both => &[PackCopy::Controllers, PackCopy::Participants],
    };
    let want_pdf = args.format != OutFormat::Html;
    let want_html = args.format != OutFormat::Pdf;
    let fonts = if want_pdf {
        Some(args.fonts.load(&report.loaded.config, &args.dir)?)
    } else {
        None
    };
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| args.dir.join("out").join("drills").join("packs"));
    let mut files: Vec<String> = wanted.iter().map(|s| s.to_string()).collect();
    files.extend(corpus.registry.files.iter().map(|f| f.path.clone()));
    let epoch = provenance.source_epoch();
    let mut failed_pdf = 0;
    let mut dir = OutDir::open(&out_dir, args.out.is_none().then_some(&*args.dir), zh)?;
    let mut notes = dir.take_notes();
    let views: Vec<PackView> = copies
        .iter()
        .map(|&copy| pack::view(corpus, drill, copy, &label))
        .collect();
    for view in &views {
        if want_html {
            dir.reserve(&view.file, "html")?;
        }
        if want_pdf {
            dir.reserve(&view.file, "pdf")?;
        }
    }
    for view in &views {
        if want_html {
            let html = pack::html(&args.dir, view)?;
            dir.write(&view.file, "html", html.as_bytes())?;
        }
        if let Some(fonts) = &fonts {
            let (bytes, glyphs) = print_pdf(view, fonts, epoch, &corpus.root, &files, &doc.path)?;
            match bytes {
                Some(b) => dir.write(&view.file, "pdf", &b)?,
                None => failed_pdf += 1,
            }
            diags.extend(glyphs);
        }
    }
    let written = dir.count();
    notes.extend(dir.finish("yuan drills pack", &label)?);
    super::emit_findings(&args.dir, &mut diags, corpus.docs.len(), lang, args.color)?;
    for n in notes {
        eprintln!("{n}");
    }
    let id = escape(id);
    let shown = out_dir.display();
    let tail = match (failed_pdf, zh) {
        (0, _) => String::new(),
        (n, true) => format!("；{n} 个 PDF 因缺字未生成"),
        (n, false) => format!("; {n} PDF(s) not generated because of missing glyphs"),
    };
    println!(
        "{}",
        if zh {
            format!("已生成演练 {id} 的演练资料包（{written} 个文件）→ {shown}{tail}")
        } else {
            format!("exercise pack of {id}: {written} file(s) in {shown}{tail}")
        }
    );
    Ok(i32::from(failed_pdf > 0))
}

/// The drill record `id`, or an error that says what `id` is instead (with suggestions).
fn find_drill<'a>(corpus: &'a Corpus, id: &str, zh: bool) -> anyhow::Result<&'a Document> {
    if let Some(d) = corpus
        .docs
        .iter()
        .find(|d| d.id.as_deref() == Some(id) && d.kind == Some(Kind::Drill))
    {
        return Ok(d);
    }
    if let Some(d) = corpus.doc(id) {
        let path = &d.path;
        bail!(
            "{}",
            if zh {
                format!("{id}（{path}）不是演练记录（kind: drill）；`yuan drills pack` 需要演练记录的 id")
            } else {
                format!("{id} ({path}) is not a drill record (kind: drill); `yuan drills pack` takes the id of a drill record")
            }
        );
    }
    let ids: Vec<&str> = corpus
        .docs
        .iter()
        .filter(|d| d.kind == Some(Kind::Drill))
        .filter_map(|d| d.id.as_deref())
        .collect();
    let near = crate::check::util::suggest(id, ids.iter().copied());
    let hint = if !near.is_empty() {
        let (z, e) = crate::check::util::did_you_mean(&near);
        if zh {
            z
        } else {
            e
        }
    } else if ids.is_empty() {
        if zh {
            "；预案库中没有演练记录（yuan drills new 可生成草稿）".to_string()
        } else {
            "; the repository has no drill records (`yuan drills new` scaffolds one)".to_string()
        }
    } else if zh {
        format!("；演练记录有：{}", ids.join("、"))
    } else {
        format!("; the drill records are: {}", ids.join(", "))
    };
    bail!(
        "{}",
        if zh {
            format!("没有 id 为 {id} 的演练记录{hint}")
        } else {
            format!("no drill record has the id {id}{hint}")
        }
    )
}

/// Lays out and draws one copy; `None` and G901 diagnostics when the fonts lack a character.
fn print_pdf(
    view: &PackView,
    fonts: &Fonts,
    epoch: i64,
    root: &Path,
    files: &[String],
    drill_path: &str,
) -> anyhow::Result<(Option<Vec<u8>>, Vec<Diagnostic>)> {
    let blocks = pack::blocks(view);
    let header = pack::running_header(view);
    let laid = flow::book(fonts, &Style::a4(), &pack::cover(view), &header, &blocks);
    let chars: BTreeSet<char> = laid
        .pages
        .iter()
        .flat_map(|p| p.texts())
        .flat_map(str::chars)
        .chain(laid.outline.iter().flat_map(|(t, _)| t.chars()))
        .collect();
    let all: String = chars.iter().collect();
    let mut missing = fonts.missing(&all, Face::Regular);
    for c in fonts.missing(&all, Face::Bold) {
        if !missing.contains(&c) {
            missing.push(c);
        }
    }
    if !missing.is_empty() {
        let font = fonts.regular.source.clone();
        let diags = missing
            .into_iter()
            .map(|c| {
                let (path, span) = crate::handbook::locate(root, files, c)
                    .unwrap_or_else(|| (drill_path.to_string(), None));
                let ch = format!("「{c}」U+{:04X}", c as u32);
                Diagnostic::new(
                    "G901",
                    Severity::Error,
                    &path,
                    text!(
                        "字体 {font} 中没有字符 {ch}，无法生成演练资料包 PDF",
                        "the font {font} has no glyph for {ch}; the exercise pack PDF cannot be printed"
                    ),
                )
                .span(span)
                .help(text!(
                    "改用常用字，或用 --font（或 yuan.toml 的 [render] font）选择包含该字的字体；HTML 资料包不受影响",
                    "use a common character, or choose a font that has it with --font (or [render] font in yuan.toml); the HTML pack is not affected"
                ))
            })
            .collect();
        return Ok((None, diags));
    }
    let meta = PdfMeta {
        title: format!("{} · {}", view.title, view.copy_label),
        subject: format!("{} {}", view.copy.slug(), view.source),
        epoch,
        bookmarks: laid.outline.clone(),
    };
    let reduced = fonts.reduced_to(&chars)?;
    Ok((Some(pdf::write(&laid.pages, &reduced, &meta)?), Vec::new()))
}
