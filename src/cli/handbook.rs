//! `yuan handbook [DIR]`: response handbooks (应急响应工作手册) as one offline HTML file and one
//! PDF per handbook.

use super::{resolve_lang, Color};
use crate::diag::{Diagnostic, Lang};
use crate::git::Provenance;
use crate::handbook::{self, Index, Selection};
use crate::render::flow::Style;
use crate::render::output::OutDir;
use crate::render::pdf;
use anyhow::bail;
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::PathBuf;

/// Which files to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutFormat {
    Html,
    Pdf,
    Both,
}

/// Page style of the PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PageStyle {
    /// A4, 20 mm margins, 10.5 pt body, running header.
    Default,
    /// GB/T 9704-2012 measures: margins 37/35/28/26 mm, 22 lines of 28 characters (3号),
    /// page numbers "— N —" on the outer side. Supply 仿宋 with --font and 黑体 with --font-bold.
    Official,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["plan", "hazard", "all"])))]
pub struct Args {
    /// The plan repository (default: the current directory).
    #[arg(default_value_os_t = super::default_dir())]
    pub dir: PathBuf,
    /// The handbook of this plan.
    #[arg(long, value_name = "ID")]
    pub plan: Option<String>,
    /// One book of the vertical chain for this hazard id: province, city and county special
    /// plans and the enterprise plans under them.
    #[arg(long, value_name = "HAZARD")]
    pub hazard: Option<String>,
    /// One handbook per plan.
    #[arg(long)]
    pub all: bool,
    /// Output folder (default: DIR/out/handbook).
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Files to write.
    #[arg(long, value_enum, default_value_t = OutFormat::Both)]
    pub format: OutFormat,
    /// PDF page style.
    #[arg(long, value_enum, default_value_t = PageStyle::Default)]
    pub style: PageStyle,
    #[command(flatten)]
    pub fonts: super::FontArgs,
    /// Colour the diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

/// One book's outputs, or the diagnostics that stopped its PDF.
struct Made {
    file: String,
    html: Option<String>,
    pdf: Option<Vec<u8>>,
    diags: Vec<Diagnostic>,
    /// Plans whose text was cut at the caps of `render::markdown`: (path, what was left out).
    refused: Vec<(String, crate::diag::Text)>,
}

pub fn run(args: &Args, lang: Option<&str>) -> anyhow::Result<i32> {
    use std::io::IsTerminal;
    let report = crate::Check::new(&args.dir, chrono::Local::now().date_naive())
        .progress(std::io::stderr().is_terminal())
        .run()?;
    let corpus = &report.loaded.corpus;
    let config = &report.loaded.config;
    let lang = resolve_lang(lang, config.check.lang.as_deref());
    let zh = lang == Lang::Zh;
    let sel = match (&args.plan, &args.hazard) {
        (Some(p), _) => Selection::Plan(p.clone()),
        (None, Some(h)) => Selection::Hazard(h.clone()),
        _ => Selection::All,
    };
    let mut books = handbook::select(corpus, &sel);
    if books.is_empty() {
        bail!(
            "{}",
            match &sel {
                Selection::Plan(id) if zh => format!("没有 id 为 {id} 的预案"),
                Selection::Plan(id) => format!("no plan has the id {id}"),
                Selection::Hazard(h) if zh =>
                    format!("没有针对灾种 {h} 的专项、部门或联合预案（hazards 中列出该灾种）"),
                Selection::Hazard(h) =>
                    format!("no special, department or joint plan lists the hazard {h}"),
                Selection::All if zh => "预案库中没有预案".to_string(),
                Selection::All => "the repository has no plans".to_string(),
            }
        );
    }
    // plans whose own file has errors are left out: a wrong number in a handbook is worse than none
    // (upkeep findings such as an overdue drill do not: see check::UPKEEP_RULES)
    let wanted: HashSet<&str> = books
        .iter()
        .flat_map(|b| b.docs.iter().map(|d| d.path.as_str()))
        .collect();
    let (mut diags, broken) = super::print_findings(&report.diagnostics, &wanted);
    let mut left_out = 0;
    for b in &mut books {
        let before = b.docs.len();
        b.docs.retain(|d| !broken.contains(d.path.as_str()));
        left_out += before - b.docs.len();
    }
    let skipped_books = books.iter().filter(|b| b.docs.is_empty()).count();
    books.retain(|b| !b.docs.is_empty());

    let provenance = Provenance::detect(&args.dir);
    if let Some(note) = provenance.note.as_ref().map(|t| t.get(lang)) {
        eprintln!(
            "{}",
            if zh {
                format!("提示：{note}，修订记录只列预案中的日期；来源标为 uncommitted")
            } else {
                format!("note: {note}; the revision history lists front-matter dates only and the source reads 'uncommitted'")
            }
        );
    }
    let want_pdf = args.format != OutFormat::Html;
    let want_html = args.format != OutFormat::Pdf;
    let fonts = if want_pdf {
        if args.style == PageStyle::Official && args.fonts.choice(config).regular.is_none() {
            eprintln!(
                "{}",
                if zh {
                    "提示：--style official 按 GB/T 9704 排版，但正文应为仿宋、一级标题为黑体：请用 --font 指定仿宋字体、--font-bold 指定黑体字体；现用内置无衬线字体"
                } else {
                    "note: --style official uses the GB/T 9704 measures, which call for 仿宋 body and 黑体 headings: pass a FangSong font with --font and a HeiTi font with --font-bold; using the built-in sans face"
                }
            );
        }
        Some(args.fonts.load(config, &args.dir)?)
    } else {
        None
    };
    let style = match args.style {
        PageStyle::Default => Style::a4(),
        PageStyle::Official => Style::official(),
    };
    let epoch = provenance.source_epoch();
    let label = provenance.label();
    let index = Index::new(corpus);
    let made: Vec<anyhow::Result<Made>> = books
        .par_iter()
        .map(|book| {
            let mut timer = crate::timing::Timer::new();
            let view = handbook::view(corpus, &index, book, &label);
            timer.lap("handbook: content");
            // the HTML and the PDF of a book are made side by side (one large book keeps
            // both cores busy)
            let (html, pdf) = rayon::join(
                || {
                    let mut timer = crate::timing::Timer::new();
                    let html = want_html
                        .then(|| handbook::html::render(&args.dir, &view))
                        .transpose();
                    timer.lap("handbook: HTML");
                    html
                },
                || -> anyhow::Result<(Option<Vec<u8>>, Vec<Diagnostic>)> {
                    let Some(fonts) = &fonts else {
                        return Ok((None, Vec::new()));
                    };
                    let mut timer = crate::timing::Timer::new();
                    let blocks = handbook::pdf::blocks(&view);
                    let printed = handbook::pdf::printed(&view, &blocks.blocks);
                    let diags = handbook::missing_glyphs(corpus, book, &printed, fonts);
                    timer.lap("handbook: glyph check");
                    if !diags.is_empty() {
                        return Ok((None, diags));
                    }
                    let (laid, meta) = handbook::pdf::layout(&view, &blocks, fonts, &style, epoch);
                    timer.lap("handbook: layout");
                    // drawing from a subset of the characters used makes printpdf's per-glyph
                    // cmap lookups cheap (as for the cards' run-wide subset)
                    let chars: std::collections::BTreeSet<char> = laid
                        .pages
                        .iter()
                        .flat_map(|p| p.texts())
                        .flat_map(str::chars)
                        .collect();
                    let reduced = fonts.reduced_to(&chars)?;
                    let bytes = pdf::write(&laid.pages, &reduced, &meta)?;
                    timer.lap("handbook: PDF");
                    Ok((Some(bytes), diags))
                },
            );
            let (pdf, diags) = pdf?;
            let refused = view
                .parts
                .iter()
                .filter_map(|p| p.refused.clone().map(|t| (p.path.clone(), t)))
                .collect();
            let out = Made {
                refused,
                file: view.file.clone(),
                html: html?,
                pdf,
                diags,
            };
            Ok(out)
        })
        .collect();
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| args.dir.join("out").join("handbook"));
    let mut failed_pdf = 0;
    let mut cut = 0;
    let made: Vec<Made> = made.into_iter().collect::<anyhow::Result<_>>()?;
    let mut dir = OutDir::open(&out_dir, args.out.is_none().then_some(&*args.dir), zh)?;
    let mut notes = dir.take_notes();
    // every name first: two books that would share a file name stop the run before a write
    for m in &made {
        if m.html.is_some() {
            dir.reserve(&m.file, "html")?;
        }
        if m.pdf.is_some() {
            dir.reserve(&m.file, "pdf")?;
        }
    }
    for m in made {
        for (path, what) in &m.refused {
            cut += 1;
            let what = what.get(lang);
            let path = crate::diag::terminal::escape(path);
            eprintln!(
                "{}",
                if zh {
                    format!(
                        "提示：{path} 的正文超出上限，以下内容未印入 {}：{what}",
                        m.file
                    )
                } else {
                    format!(
                        "note: {path}: the text is over the caps; left out of {}: {what}",
                        m.file
                    )
                }
            );
        }
        if let Some(h) = &m.html {
            dir.write(&m.file, "html", h.as_bytes())?;
        }
        if let Some(p) = &m.pdf {
            dir.write(&m.file, "pdf", p)?;
        } else if want_pdf {
            failed_pdf += 1;
        }
        diags.extend(m.diags);
    }
    let written = dir.count();
    notes.extend(dir.finish("yuan handbook", &label)?);
    super::emit_findings(&args.dir, &mut diags, corpus.docs.len(), lang, args.color)?;
    for n in notes {
        eprintln!("{n}");
    }
    let n = books.len();
    let mut tail = String::new();
    if left_out > 0 {
        tail.push_str(&if zh {
            format!("；{left_out} 个预案因错误未编入")
        } else {
            format!("; {left_out} plan(s) left out because of errors")
        });
    }
    if skipped_books > 0 {
        tail.push_str(&if zh {
            format!("；{skipped_books} 本手册未生成")
        } else {
            format!("; {skipped_books} handbook(s) not generated")
        });
    }
    if cut > 0 {
        tail.push_str(&if zh {
            format!("；{cut} 个预案的正文超出上限，已截短")
        } else {
            format!("; the text of {cut} plan(s) cut at the caps")
        });
    }
    if failed_pdf > 0 {
        tail.push_str(&if zh {
            format!("；{failed_pdf} 个 PDF 因缺字未生成")
        } else {
            format!("; {failed_pdf} PDF(s) not generated because of missing glyphs")
        });
    }
    println!(
        "{}",
        if zh {
            format!(
                "已生成 {n} 本应急响应工作手册（{written} 个文件）→ {}{tail}",
                out_dir.display()
            )
        } else {
            format!(
                "{n} handbook(s) generated ({written} files) in {}{tail}",
                out_dir.display()
            )
        }
    );
    Ok(i32::from(
        left_out > 0 || skipped_books > 0 || failed_pdf > 0,
    ))
}
