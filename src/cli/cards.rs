//! `yuan cards [DIR]`: disposal cards as PDF (one per card plus a combined print file) and as
//! one offline HTML page.

use super::{resolve_lang, Color};
use crate::cards::{self, layout::Options, CardSize, Selection};
use crate::diag::terminal::escape;
use crate::diag::Lang;
use crate::git::Provenance;
use crate::render::output::OutDir;
use crate::render::pdf;
use anyhow::bail;
use std::collections::HashSet;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The plan repository (default: the current directory).
    #[arg(default_value_os_t = super::default_dir())]
    pub dir: PathBuf,
    /// Only the cards of this on-site plan (repeatable).
    #[arg(long = "plan", value_name = "ID")]
    pub plans: Vec<String>,
    /// Only this card (repeatable).
    #[arg(long = "card", value_name = "ID")]
    pub cards: Vec<String>,
    /// Only the cards of this enterprise (repeatable).
    #[arg(long = "enterprise", value_name = "ID")]
    pub enterprises: Vec<String>,
    /// Output folder (default: DIR/out/cards).
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Card size (default `[cards] size`, else a6).
    #[arg(long, value_enum)]
    pub size: Option<CardSize>,
    /// Impose N cards on each A4 sheet with crop marks in the combined file (e.g. 4 for A6).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=16))]
    pub nup: Option<u16>,
    /// Two-sided cards: steps on the front; numbers, cautions and PPE on the back.
    #[arg(long)]
    pub duplex: bool,
    #[command(flatten)]
    pub fonts: super::FontArgs,
    /// Do not write cards.html.
    #[arg(long)]
    pub no_html: bool,
    /// Colour the diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
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
    let size = match (args.size, &config.cards.size) {
        (Some(s), _) => s,
        (None, Some(s)) => *s,
        (None, None) => CardSize::A6,
    };
    let sel = Selection {
        plans: args.plans.clone(),
        cards: args.cards.clone(),
        enterprises: args.enterprises.clone(),
    };
    let docs = cards::select(corpus, &sel);
    if docs.is_empty() {
        bail!(
            "{}",
            if zh {
                "没有符合条件的处置卡（kind: card）"
            } else {
                "no disposal card (kind: card) matches"
            }
        );
    }
    // cards whose own file has errors are not printed: a wrong number on a card is worse than none
    // (upkeep findings such as an overdue drill do not: see check::UPKEEP_RULES)
    let wanted: HashSet<&str> = docs.iter().map(|d| d.path.as_str()).collect();
    let (mut diags, broken) = super::print_findings(&report.diagnostics, &wanted);
    let printable: Vec<_> = docs
        .iter()
        .copied()
        .filter(|d| !broken.contains(d.path.as_str()))
        .collect();

    let provenance = Provenance::detect(&args.dir);
    if let Some(note) = provenance.note.as_ref().map(|t| t.get(lang)) {
        eprintln!(
            "{}",
            if zh {
                format!("提示：{note}，历史相关功能关闭；卡片来源标为 uncommitted")
            } else {
                format!("note: {note}; history-based features are off and cards say 'uncommitted'")
            }
        );
    }
    let fonts = args.fonts.load(config, &args.dir)?;
    let opts = Options {
        size,
        duplex: args.duplex,
    };
    let epoch = provenance.source_epoch();
    let label = provenance.label();
    let job = cards::Job {
        corpus,
        config,
        fonts: &fonts,
        opts,
        source: &label,
        epoch,
        progress: std::io::stderr().is_terminal(),
    };
    let bar = cards::progress_bar(&job, printable.len());
    let (ready, failed) = cards::prepare(&job, &printable, &bar)?;
    diags.extend(failed);

    let out = args
        .out
        .clone()
        .unwrap_or_else(|| args.dir.join("out").join("cards"));
    let mut written = 0;
    let mut notes = Vec::new();
    if !ready.cards.is_empty() {
        let mut dir = OutDir::open(&out, args.out.is_none().then_some(&*args.dir), zh)?;
        notes.extend(dir.take_notes());
        // every name is reserved before anything is written: a card whose id would give the
        // name of another output (`cards.pdf`) stops the run with nothing overwritten
        dir.reserve("cards", "pdf")?;
        if !args.no_html {
            dir.reserve("cards", "html")?;
        }
        for (view, _) in &ready.cards {
            dir.reserve(&view.id, "pdf")?;
        }
        let title = if zh {
            "应急处置卡合订本".to_string()
        } else {
            "Disposal cards".to_string()
        };
        let meta = pdf::PdfMeta {
            title,
            subject: provenance.label(),
            epoch,
            bookmarks: Vec::new(),
        };
        // the print file and the HTML page are one long task each: draw them beside the cards
        let (pdfs, (print_file, html)) = rayon::join(
            || cards::draw(&job, &ready, &bar),
            || {
                rayon::join(
                    || print_file(&ready, args.nup, size, zh, &meta),
                    || {
                        (!args.no_html).then(|| {
                            let views: Vec<_> = ready.cards.iter().map(|(v, _)| v).collect();
                            cards::html::render(&args.dir, "应急处置卡", &views, size)
                        })
                    },
                )
            },
        );
        for ((view, _), pdf) in ready.cards.iter().zip(pdfs?) {
            dir.write(&view.id, "pdf", &pdf)?;
        }
        dir.write("cards", "pdf", &print_file?)?;
        if let Some(html) = html {
            dir.write("cards", "html", html?.as_bytes())?;
        }
        written = dir.count();
        // the manifest last: a run killed before this line leaves the old manifest, which the
        // next run finds out of step with the folder
        notes.extend(dir.finish("yuan cards", &label)?);
    }

    super::emit_findings(&args.dir, &mut diags, docs.len(), lang, args.color)?;
    for n in notes {
        eprintln!("{n}");
    }
    for (view, laid) in &ready.cards {
        let pages = laid.pages.len();
        let shrunk = laid.scale < 1.0;
        if shrunk || pages > 1 {
            let pct = (laid.scale * 100.0).round();
            eprintln!(
                "{}",
                if zh {
                    format!(
                        "  {}：{}{}",
                        escape(&view.id),
                        if shrunk {
                            format!("字号缩至 {pct}%")
                        } else {
                            String::new()
                        },
                        if pages > 1 {
                            "，内容续印在背面"
                        } else {
                            ""
                        }
                    )
                } else {
                    format!(
                        "  {}: {}{}",
                        escape(&view.id),
                        if shrunk {
                            format!("type shrunk to {pct}%")
                        } else {
                            String::new()
                        },
                        if pages > 1 {
                            ", continued on the back"
                        } else {
                            ""
                        }
                    )
                }
            );
        }
    }
    let skipped = docs.len() - ready.cards.len();
    println!(
        "{}",
        if zh {
            format!(
                "已生成 {} 张处置卡（{} 个文件）→ {}{}",
                ready.cards.len(),
                written,
                out.display(),
                if skipped > 0 {
                    format!("；{skipped} 张因错误未生成")
                } else {
                    String::new()
                }
            )
        } else {
            format!(
                "{} cards generated ({} files) in {}{}",
                ready.cards.len(),
                written,
                out.display(),
                if skipped > 0 {
                    format!("; {skipped} not generated because of errors")
                } else {
                    String::new()
                }
            )
        }
    );
    Ok(i32::from(skipped > 0))
}

/// The combined print file: the cards in order, imposed `nup` to an A4 sheet when asked.
fn print_file(
    ready: &cards::Ready,
    nup: Option<u16>,
    size: CardSize,
    zh: bool,
    meta: &pdf::PdfMeta,
) -> anyhow::Result<Vec<u8>> {
    let per_card: Vec<Vec<_>> = ready.cards.iter().map(|(_, l)| l.pages.clone()).collect();
    let sheets = match nup {
        Some(n) if n > 1 => match cards::impose::impose(&per_card, usize::from(n)) {
            Some(s) => s,
            None => bail!(
                "{}",
                if zh {
                    format!("{n} 张 {size:?} 卡片放不下一张 A4 纸，请减小 --nup")
                } else {
                    format!("{n} {size:?} cards do not fit on an A4 sheet; use a smaller --nup")
                }
            ),
        },
        _ => per_card.into_iter().flatten().collect(),
    };
    pdf::write(&sheets, &ready.fonts, meta)
}
