//! Draws layout pages as a PDF with printpdf, byte for byte reproducibly.
//!
//! printpdf names fonts and the document `/ID` from a process-global counter, so two runs (or
//! two documents built on rayon threads in varying order) would differ. Here the font resource
//! ids are fixed, the `/ID` is a hash of what is drawn, and the dates come from the source
//! (commit time or `SOURCE_DATE_EPOCH`), so the same input always gives the same bytes.
//! Fonts are embedded as subsets (printpdf's `text_layout` feature) with a ToUnicode map, so
//! the text can be searched and copied.

use super::font::{Face, Fonts, PT_TO_MM};
use super::layout::{self, Item, LinkTarget, Page};
use printpdf::{
    Actions, Color, Destination, FontId, Line, LineCapStyle, LinePoint, LinkAnnotation, Mm, Op,
    PageAnnotId, PageAnnotation, PaintMode, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions,
    Point, Polygon, PolygonRing, Pt, Rect, Rgb, TextItem, TextRenderingMode, WindingOrder,
};
use sha2::{Digest, Sha256};

/// Document-level facts of a PDF.
#[derive(Debug, Clone, Default)]
pub struct PdfMeta {
    pub title: String,
    pub subject: String,
    /// Seconds since the epoch for the creation and modification dates.
    pub epoch: i64,
    /// Outline entries: (title, 0-based page).
    pub bookmarks: Vec<(String, usize)>,
}

const REGULAR_ID: &str = "YUANRG";
const BOLD_ID: &str = "YUANBD";

fn pt(mm: f32) -> Pt {
    Pt(mm / PT_TO_MM)
}

fn rgb(c: layout::Color) -> Color {
    Color::Rgb(Rgb::new(
        f32::from(c.0) / 255.0,
        f32::from(c.1) / 255.0,
        f32::from(c.2) / 255.0,
        None,
    ))
}

/// Renders `pages` to PDF bytes, drawing from a subset of `fonts` reduced to the characters
/// the pages use (the tests' shortcut; generators go through the driver, which does this).
#[cfg(test)]
pub(crate) fn write_subset(
    pages: &[Page],
    fonts: &Fonts,
    meta: &PdfMeta,
) -> anyhow::Result<Vec<u8>> {
    let chars: std::collections::BTreeSet<char> = pages
        .iter()
        .flat_map(|p| p.texts())
        .flat_map(str::chars)
        .collect();
    write(pages, &fonts.reduced_to(&chars)?, meta)
}

/// Renders `pages` to PDF bytes.
pub fn write(pages: &[Page], fonts: &Fonts, meta: &PdfMeta) -> anyhow::Result<Vec<u8>> {
    let mut doc = PdfDocument::new(&meta.title);
    let epoch = printpdf::OffsetDateTime::from_unix_timestamp(meta.epoch)
        .or_else(|_| printpdf::OffsetDateTime::from_unix_timestamp(0))
        .map_err(|e| crate::env_error!("时间戳无效：{e}", "bad timestamp: {e}"))?;
    let info = &mut doc.metadata.info;
    info.creation_date = epoch;
    info.modification_date = epoch;
    info.metadata_date = epoch;
    info.subject = meta.subject.clone();
    info.creator = "yuan".into();
    info.producer = concat!("yuan ", env!("CARGO_PKG_VERSION"), " (printpdf)").into();

    let uses_bold = pages.iter().any(|p| {
        p.items.iter().any(|i| {
            matches!(
                i,
                Item::Text {
                    face: Face::Bold,
                    ..
                }
            )
        })
    });
    let regular_id = FontId(REGULAR_ID.into());
    doc.resources.fonts.map.insert(
        regular_id.clone(),
        printpdf::PdfFont::new(fonts.regular.parsed.clone()),
    );
    let bold_id = match (&fonts.bold, uses_bold) {
        (Some(b), true) => {
            let id = FontId(BOLD_ID.into());
            doc.resources
                .fonts
                .map
                .insert(id.clone(), printpdf::PdfFont::new(b.parsed.clone()));
            Some(id)
        }
        _ => None,
    };

    let mut hasher = Sha256::new();
    hasher.update(meta.title.as_bytes());
    hasher.update(fonts.regular.source.as_bytes());
    for page in pages {
        hash_page(&mut hasher, page);
    }
    {
        use rayon::prelude::*;
        let ops: Vec<Vec<Op>> = pages
            .par_iter()
            .map(|page| page_ops(page, &regular_id, bold_id.as_ref()))
            .collect();
        for (page, ops) in pages.iter().zip(ops) {
            doc.pages
                .push(PdfPage::new(Mm(page.width), Mm(page.height), ops));
        }
    }
    for (i, (title, page)) in meta.bookmarks.iter().enumerate() {
        doc.bookmarks.map.insert(
            PageAnnotId(format!("B{i:06}")),
            PageAnnotation {
                name: title.clone(),
                page: page + 1,
            },
        );
    }
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&PdfSaveOptions::default(), &mut warnings);
    drop_pdfx_claim(&mut lo);
    compress(&mut lo);
    let digest = hasher.finalize();
    let id: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    lo.trailer.set(
        "ID",
        lopdf::Object::Array(vec![
            lopdf::Object::String(id.clone().into_bytes(), lopdf::StringFormat::Hexadecimal),
            lopdf::Object::String(id.into_bytes(), lopdf::StringFormat::Hexadecimal),
        ]),
    );
    let mut out = Vec::new();
    lo.save_to(&mut out).map_err(|e| {
        crate::env_error!("无法生成 PDF 文件：{e}", "cannot serialise the PDF: {e}")
    })?;
    Ok(out)
}

/// printpdf writes `GTS_PDFXVersion` (empty) into the document information, the key by which a
/// file says it is PDF/X. These PDFs are not (no output intent, RGB colours), so the key goes:
/// a print shop's preflight must not take them for PDF/X (issue 16).
fn drop_pdfx_claim(lo: &mut lopdf::Document) {
    let Ok(info) = lo
        .trailer
        .get(b"Info")
        .and_then(lopdf::Object::as_reference)
    else {
        return;
    };
    if let Ok(dict) = lo.get_object_mut(info).and_then(lopdf::Object::as_dict_mut) {
        dict.remove(b"GTS_PDFXVersion");
    }
}

/// Feeds what a page draws into the `/ID` hash (cheaper than hashing `Page::dump`).
fn hash_page(h: &mut Sha256, page: &Page) {
    let f = |h: &mut Sha256, v: f32| h.update(v.to_bits().to_le_bytes());
    f(h, page.width);
    f(h, page.height);
    for item in &page.items {
        match item {
            Item::Text {
                x,
                y,
                size,
                face,
                color,
                text,
            } => {
                h.update([b'T', *face as u8, color.0, color.1, color.2]);
                for v in [*x, *y, *size] {
                    f(h, v);
                }
                h.update(text.as_bytes());
                h.update([0]);
            }
            Item::Rect {
                x,
                y,
                w,
                h: rh,
                fill,
                stroke,
            } => {
                h.update([b'R']);
                for v in [*x, *y, *w, *rh] {
                    f(h, v);
                }
                match fill {
                    Some(c) => h.update([1, c.0, c.1, c.2]),
                    None => h.update([0]),
                }
                match stroke {
                    Some((c, w)) => {
                        h.update([1, c.0, c.1, c.2]);
                        f(h, *w);
                    }
                    None => h.update([0]),
                }
            }
            other => h.update(format!("{other:?}").as_bytes()),
        }
    }
}

/// Deflates every stream that has no filter yet, at zlib level 1: a quarter of the drawing
/// time went into level 9 (lopdf's `compress`), for files only ~10% smaller.
/// Streams are compressed in parallel (a book of thousands of pages has as many streams).
fn compress(doc: &mut lopdf::Document) {
    use rayon::prelude::*;
    use std::io::Write as _;
    let streams: Vec<&mut lopdf::Stream> = doc
        .objects
        .values_mut()
        .filter_map(|obj| match obj {
            lopdf::Object::Stream(s) if s.dict.get(b"Filter").is_err() && s.allows_compression => {
                Some(s)
            }
            _ => None,
        })
        .collect();
    streams.into_par_iter().for_each(|stream| {
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        if enc.write_all(&stream.content).is_err() {
            return;
        }
        if let Ok(z) = enc.finish() {
            if z.len() + 19 < stream.content.len() {
                stream.dict.set("Filter", "FlateDecode");
                stream.set_content(z);
            }
        }
    });
}

fn point(page: &Page, x: f32, y: f32) -> Point {
    Point {
        x: pt(x),
        y: pt(page.height - y),
    }
}

/// Fill, stroke, both or (`None`) nothing to draw.
fn paint_mode(fill: bool, stroke: bool) -> Option<PaintMode> {
    match (fill, stroke) {
        (true, true) => Some(PaintMode::FillStroke),
        (true, false) => Some(PaintMode::Fill),
        (false, true) => Some(PaintMode::Stroke),
        (false, false) => None,
    }
}

/// Graphics state already set in the content stream, so unchanged values are not repeated
/// (fewer operators: smaller streams, less to compress).
#[derive(Default)]
struct State {
    fill: Option<layout::Color>,
    stroke: Option<(layout::Color, u32)>,
    synthetic: Option<bool>,
    /// Font and size (bits): the text state outlives BT … ET, so `Tf` is set on change only.
    font: Option<(bool, u32)>,
}

impl State {
    fn paint(
        &mut self,
        ops: &mut Vec<Op>,
        fill: Option<layout::Color>,
        stroke: Option<(layout::Color, f32)>,
    ) {
        if let Some(f) = fill {
            self.fill(ops, f);
        }
        if let Some((c, w)) = stroke {
            self.stroke(ops, c, pt(w).0);
        }
    }
    fn fill(&mut self, ops: &mut Vec<Op>, c: layout::Color) {
        if self.fill != Some(c) {
            ops.push(Op::SetFillColor { col: rgb(c) });
            self.fill = Some(c);
        }
    }
    fn stroke(&mut self, ops: &mut Vec<Op>, c: layout::Color, width_pt: f32) {
        let key = (c, width_pt.to_bits());
        if self.stroke != Some(key) {
            ops.push(Op::SetOutlineColor { col: rgb(c) });
            ops.push(Op::SetOutlineThickness { pt: Pt(width_pt) });
            self.stroke = Some(key);
        }
    }
}

fn page_ops(page: &Page, regular: &FontId, bold: Option<&FontId>) -> Vec<Op> {
    let mut ops = vec![Op::SetLineCapStyle {
        cap: LineCapStyle::Butt,
    }];
    let mut st = State::default();
    for item in &page.items {
        match item {
            Item::Text {
                x,
                y,
                size,
                face,
                color,
                text,
            } => {
                let (font, synthetic) = match (face, bold) {
                    (Face::Bold, Some(b)) => (b.clone(), false),
                    (Face::Bold, None) => (regular.clone(), true),
                    _ => (regular.clone(), false),
                };
                st.fill(&mut ops, *color);
                if synthetic {
                    st.stroke(&mut ops, *color, size * 0.04);
                }
                ops.push(Op::StartTextSection);
                let key = (font == *regular, size.to_bits());
                if st.font != Some(key) {
                    ops.push(Op::SetFont {
                        font: PdfFontHandle::External(font),
                        size: Pt(*size),
                    });
                    st.font = Some(key);
                }
                if st.synthetic != Some(synthetic) {
                    ops.push(Op::SetTextRenderingMode {
                        mode: if synthetic {
                            TextRenderingMode::FillStroke
                        } else {
                            TextRenderingMode::Fill
                        },
                    });
                    st.synthetic = Some(synthetic);
                }
                ops.push(Op::SetTextCursor {
                    pos: point(page, *x, *y),
                });
                ops.push(Op::ShowText {
                    items: vec![TextItem::Text(text.clone())],
                });
                ops.push(Op::EndTextSection);
            }
            Item::Rect {
                x,
                y,
                w,
                h,
                fill,
                stroke,
            } => {
                let Some(mode) = paint_mode(fill.is_some(), stroke.is_some()) else {
                    continue;
                };
                st.paint(&mut ops, *fill, *stroke);
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: pt(*x),
                        y: pt(page.height - y - h),
                        width: pt(*w),
                        height: pt(*h),
                        mode: Some(mode),
                        winding_order: Some(WindingOrder::NonZero),
                    },
                });
            }
            Item::Line {
                from,
                to,
                color,
                width,
            } => {
                st.stroke(&mut ops, *color, pt(*width).0);
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![
                            LinePoint {
                                p: point(page, from.0, from.1),
                                bezier: false,
                            },
                            LinePoint {
                                p: point(page, to.0, to.1),
                                bezier: false,
                            },
                        ],
                        is_closed: false,
                    },
                });
            }
            Item::Polygon {
                points,
                fill,
                stroke,
            } => {
                let Some(mode) = paint_mode(fill.is_some(), stroke.is_some()) else {
                    continue;
                };
                st.paint(&mut ops, *fill, *stroke);
                ops.push(Op::DrawPolygon {
                    polygon: Polygon {
                        rings: vec![PolygonRing {
                            points: points
                                .iter()
                                .map(|(x, y)| LinePoint {
                                    p: point(page, *x, *y),
                                    bezier: false,
                                })
                                .collect(),
                        }],
                        mode,
                        winding_order: WindingOrder::NonZero,
                    },
                });
            }
            Item::Link { x, y, w, h, target } => {
                let actions = match target {
                    LinkTarget::Page(p) => Actions::Goto(Destination::Xyz {
                        page: p + 1,
                        left: None,
                        top: None,
                        zoom: None,
                    }),
                    LinkTarget::Uri(u) => Actions::Uri(u.clone()),
                };
                ops.push(Op::LinkAnnotation {
                    link: LinkAnnotation::new(
                        Rect {
                            x: pt(*x),
                            y: pt(page.height - y - h),
                            width: pt(*w),
                            height: pt(*h),
                            mode: None,
                            winding_order: None,
                        },
                        actions,
                        Some(printpdf::BorderArray::Solid([0.0, 0.0, 0.0])),
                        None,
                        None,
                    ),
                });
            }
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::layout::Color as C;

    fn sample() -> Vec<Page> {
        let mut p = Page::new(105.0, 148.0);
        p.items.push(Item::Text {
            x: 5.0,
            y: 10.0,
            size: 12.0,
            face: Face::Bold,
            color: C::BLACK,
            text: "应急处置卡 119".into(),
        });
        p.items.push(Item::Rect {
            x: 5.0,
            y: 20.0,
            w: 50.0,
            h: 10.0,
            fill: None,
            stroke: Some((C::RED, 0.5)),
        });
        vec![p]
    }

    #[test]
    fn same_input_same_bytes_and_small() {
        let fonts = Fonts::builtin().expect("font");
        let meta = PdfMeta {
            title: "t".into(),
            epoch: 1_700_000_000,
            ..PdfMeta::default()
        };
        let a = write(&sample(), &fonts, &meta).expect("pdf");
        let b = write(&sample(), &fonts, &meta).expect("pdf");
        assert_eq!(a, b);
        assert!(a.starts_with(b"%PDF-"));
        assert!(
            a.len() < 60_000,
            "{} bytes: the font must be subset",
            a.len()
        );
    }
}
