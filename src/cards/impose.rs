//! Imposition: several cards on one A4 sheet, at full size, with crop marks for cutting.
//!
//! Cards are never scaled (a 7 pt minimum must stay 7 pt). The grid is centred on the sheet;
//! crop marks sit on the cut lines, in the margins and gutters, outside every card. When the
//! cards fill the sheet edge to edge (A6 4-up on A4), the marks are short ticks at the sheet
//! edges and small crosses where cut lines meet, inside the cards' white margins.
//! Two-sided cards go on the back of the same sheet, mirrored for long-edge duplex printing.

use crate::render::layout::{Color, Item, Page};

/// A4 portrait in mm.
pub(crate) const A4: (f32, f32) = (210.0, 297.0);

/// Columns, rows, sheet width and sheet height (mm).
pub(crate) type Grid = (usize, usize, f32, f32);

/// The grid for `n` cards of `w` x `h` on a sheet, if they fit: (cols, rows, sheet w, sheet h).
/// The grid may have empty slots (3 A6 cards go on a 2 x 2 grid): the fewest empty slots win,
/// then a portrait sheet, then the squarest grid.
pub(crate) fn grid(n: usize, w: f32, h: f32) -> Option<Grid> {
    // (empty slots, landscape, how far from square): the smallest wins
    let mut best: Option<((usize, usize, i64), Grid)> = None;
    for (landscape, (sw, sh)) in [A4, (A4.1, A4.0)].into_iter().enumerate() {
        for cols in 1..=n {
            let rows = n.div_ceil(cols);
            if cols as f32 * w <= sw + 0.01 && rows as f32 * h <= sh + 0.01 {
                let key = (
                    cols * rows - n,
                    landscape,
                    (cols as i64 - rows as i64).abs(),
                );
                if best.is_none_or(|(k, _)| key < k) {
                    best = Some((key, (cols, rows, sw, sh)));
                }
            }
        }
    }
    best.map(|(_, g)| g)
}

/// Imposes cards (each one or two pages) `n` to a sheet. Returns the sheets: front, then back
/// when any card has a back.
pub fn impose(cards: &[Vec<Page>], n: usize) -> Option<Vec<Page>> {
    let first = cards.first()?.first()?;
    let (w, h) = (first.width, first.height);
    let (cols, rows, sw, sh) = grid(n, w, h)?;
    let two_sided = cards.iter().any(|c| c.len() > 1);
    let gx = if cols > 1 {
        ((sw - cols as f32 * w) / (cols as f32 + 1.0)).min(8.0)
    } else {
        0.0
    };
    let gy = if rows > 1 {
        ((sh - rows as f32 * h) / (rows as f32 + 1.0)).min(8.0)
    } else {
        0.0
    };
    let x0 = (sw - cols as f32 * w - (cols as f32 - 1.0) * gx) / 2.0;
    let y0 = (sh - rows as f32 * h - (rows as f32 - 1.0) * gy) / 2.0;
    let slot = |c: usize, r: usize| (x0 + c as f32 * (w + gx), y0 + r as f32 * (h + gy));
    let mut sheets = Vec::new();
    for chunk in cards.chunks(n) {
        let mut front = Page::new(sw, sh);
        let mut back = Page::new(sw, sh);
        for (i, card) in chunk.iter().enumerate() {
            let (c, r) = (i % cols, i / cols);
            let (x, y) = slot(c, r);
            if let Some(p) = card.first() {
                front.items.extend(p.transformed(x, y));
            }
            if let Some(p) = card.get(1) {
                // long-edge duplex: the back of column c is column cols-1-c
                let (bx, by) = slot(cols - 1 - c, r);
                back.items.extend(p.transformed(bx, by));
            }
        }
        crop_marks(&mut front, cols, rows, w, h, gx, gy, x0, y0);
        sheets.push(front);
        if two_sided {
            crop_marks(&mut back, cols, rows, w, h, gx, gy, x0, y0);
            sheets.push(back);
        }
    }
    Some(sheets)
}

#[allow(clippy::too_many_arguments)]
fn crop_marks(
    page: &mut Page,
    cols: usize,
    rows: usize,
    w: f32,
    h: f32,
    gx: f32,
    gy: f32,
    x0: f32,
    y0: f32,
) {
    let (sw, sh) = (page.width, page.height);
    let mark = |page: &mut Page, from: (f32, f32), to: (f32, f32)| {
        page.items.push(Item::Line {
            from,
            to,
            color: Color::BLACK,
            width: 0.2,
        });
    };
    let mut xs: Vec<f32> = Vec::new();
    for c in 0..cols {
        let x = x0 + c as f32 * (w + gx);
        xs.push(x);
        xs.push(x + w);
    }
    let mut ys: Vec<f32> = Vec::new();
    for r in 0..rows {
        let y = y0 + r as f32 * (h + gy);
        ys.push(y);
        ys.push(y + h);
    }
    xs.dedup_by(|a, b| (*a - *b).abs() < 0.01);
    ys.dedup_by(|a, b| (*a - *b).abs() < 0.01);
    let top = ys.first().copied().unwrap_or(0.0);
    let bottom = ys.last().copied().unwrap_or(sh);
    let left = xs.first().copied().unwrap_or(0.0);
    let right = xs.last().copied().unwrap_or(sw);
    const LEN: f32 = 4.0;
    const OFF: f32 = 1.0;
    for &x in &xs {
        if x <= 0.01 || x >= sw - 0.01 {
            continue; // the sheet edge is the cut
        }
        if top >= LEN + OFF {
            mark(page, (x, top - OFF - LEN), (x, top - OFF));
            mark(page, (x, bottom + OFF), (x, bottom + OFF + LEN));
        } else {
            mark(page, (x, 0.0), (x, LEN));
            mark(page, (x, sh - LEN), (x, sh));
        }
    }
    for &y in &ys {
        if y <= 0.01 || y >= sh - 0.01 {
            continue;
        }
        if left >= LEN + OFF {
            mark(page, (left - OFF - LEN, y), (left - OFF, y));
            mark(page, (right + OFF, y), (right + OFF + LEN, y));
        } else {
            mark(page, (0.0, y), (LEN, y));
            mark(page, (sw - LEN, y), (sw, y));
        }
    }
    // cards touching: crosses where inner cut lines meet
    if gx < 0.01 && gy < 0.01 {
        for &x in &xs {
            for &y in &ys {
                let inner_x = x > left + 0.01 && x < right - 0.01;
                let inner_y = y > top + 0.01 && y < bottom - 0.01;
                if inner_x && inner_y {
                    mark(page, (x - 2.5, y), (x + 2.5, y));
                    mark(page, (x, y - 2.5), (x, y + 2.5));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a6_four_up_fills_a4_and_pocket_cards_get_gutters() {
        assert_eq!(grid(4, 105.0, 148.0), Some((2, 2, 210.0, 297.0)));
        assert_eq!(grid(4, 90.0, 130.0), Some((2, 2, 210.0, 297.0)));
        assert_eq!(
            grid(4, 148.0, 210.0),
            None,
            "four A5 cards do not fit on A4"
        );
        assert_eq!(grid(2, 148.0, 210.0), Some((2, 1, 297.0, 210.0)));
        // three A6 cards: a 2 x 2 grid with one empty slot (it said they did not fit)
        assert_eq!(grid(3, 105.0, 148.0), Some((2, 2, 210.0, 297.0)));
        assert_eq!(
            grid(9, 105.0, 148.0),
            None,
            "nine A6 cards do not fit on A4"
        );
    }

    #[test]
    fn backs_are_mirrored_and_marks_stay_outside_cards() {
        let mut a = Page::new(90.0, 130.0);
        a.items.push(Item::Rect {
            x: 0.0,
            y: 0.0,
            w: 1.0,
            h: 1.0,
            fill: Some(Color::RED),
            stroke: None,
        });
        let mut b = a.clone();
        b.items[0] = Item::Rect {
            x: 0.0,
            y: 0.0,
            w: 1.0,
            h: 1.0,
            fill: Some(Color::BLUE),
            stroke: None,
        };
        let sheets = impose(&[vec![a.clone(), b], vec![a]], 4).expect("fits");
        assert_eq!(sheets.len(), 2);
        let x_of = |p: &Page, c: Color| {
            p.items.iter().find_map(|i| match i {
                Item::Rect {
                    x, fill: Some(f), ..
                } if *f == c => Some(*x),
                _ => None,
            })
        };
        let front_x = x_of(&sheets[0], Color::RED).expect("front");
        let back_x = x_of(&sheets[1], Color::BLUE).expect("back");
        assert!(
            back_x > front_x + 80.0,
            "the back of the left card is on the right"
        );
        // marks: lines, none inside a card area of the front sheet
        let lines = sheets[0]
            .items
            .iter()
            .filter(|i| matches!(i, Item::Line { .. }))
            .count();
        assert!(lines >= 8);
    }
}
