//! The plain layout model: pages of positioned text, boxes, lines and shapes.
//!
//! Every generator (cards, handbooks, packs) lays its content out into this model first and
//! only then draws it as PDF. The model is small, in millimetres with the origin at the top
//! left, and prints as stable text ([`Page::dump`]) so tests can snapshot a layout without
//! reading a PDF.

use super::font::Face;
use std::fmt::Write as _;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Color(pub u8, pub u8, pub u8);

impl Color {
    pub const BLACK: Color = Color(0, 0, 0);
    pub const WHITE: Color = Color(255, 255, 255);
    /// Office notes (footer, the clause a step follows), in small type.
    pub const GREY: Color = Color(100, 100, 100);
    pub(crate) const LIGHT: Color = Color(235, 235, 235);
    /// Safety red (GB 2893: 禁止、停止、消防).
    pub const RED: Color = Color(200, 16, 46);
    /// Safety yellow (警告), for the risk band.
    pub(crate) const YELLOW: Color = Color(255, 210, 0);
    pub(crate) const PALE_YELLOW: Color = Color(255, 245, 200);
    /// Safety blue (指令), for decisions.
    pub const BLUE: Color = Color(0, 85, 160);
    pub(crate) const PALE_BLUE: Color = Color(225, 237, 250);
    /// Safety green (提示、安全), for the assembly point.
    pub(crate) const GREEN: Color = Color(0, 122, 61);

    fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// One thing drawn on a page. Coordinates in mm from the top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A line of text; `y` is the baseline.
    Text {
        x: f32,
        y: f32,
        size: f32,
        face: Face,
        color: Color,
        text: String,
    },
    /// A rectangle, filled and/or stroked.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Color>,
        stroke: Option<(Color, f32)>,
    },
    /// A straight line of the given width (mm).
    Line {
        from: (f32, f32),
        to: (f32, f32),
        color: Color,
        width: f32,
    },
    /// A closed polygon (arrow heads, decision boxes).
    Polygon {
        points: Vec<(f32, f32)>,
        fill: Option<Color>,
        stroke: Option<(Color, f32)>,
    },
    /// A clickable area pointing at a page of the same document (0-based) or a URI.
    Link {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        target: LinkTarget,
    },
}

/// Where a [`Item::Link`] goes.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkTarget {
    Page(usize),
    Uri(String),
}

/// A page of the layout.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
}

impl Page {
    pub fn new(width: f32, height: f32) -> Page {
        Page {
            width,
            height,
            items: Vec::new(),
        }
    }

    /// The text lines of the page in drawing order (for tests and search).
    pub fn texts(&self) -> Vec<&str> {
        self.items
            .iter()
            .filter_map(|i| match i {
                Item::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    /// A stable, line-per-item text form for snapshots (0.1 mm precision).
    pub fn dump(&self) -> String {
        let mut s = format!("page {:.1}x{:.1}\n", self.width, self.height);
        for item in &self.items {
            let _ = match item {
                Item::Text {
                    x,
                    y,
                    size,
                    face,
                    color,
                    text,
                } => writeln!(
                    s,
                    "  text {x:.1},{y:.1} {size:.1}pt{} {} {text:?}",
                    if *face == Face::Bold { " bold" } else { "" },
                    color.hex()
                ),
                Item::Rect {
                    x,
                    y,
                    w,
                    h,
                    fill,
                    stroke,
                } => writeln!(
                    s,
                    "  rect {x:.1},{y:.1} {w:.1}x{h:.1}{}{}",
                    fill.map(|c| format!(" fill {}", c.hex()))
                        .unwrap_or_default(),
                    stroke
                        .map(|(c, w)| format!(" stroke {} {w:.2}", c.hex()))
                        .unwrap_or_default()
                ),
                Item::Line {
                    from,
                    to,
                    color,
                    width,
                } => writeln!(
                    s,
                    "  line {:.1},{:.1}->{:.1},{:.1} {} {width:.2}",
                    from.0,
                    from.1,
                    to.0,
                    to.1,
                    color.hex()
                ),
                Item::Polygon {
                    points,
                    fill,
                    stroke,
                } => writeln!(
                    s,
                    "  poly {}{}{}",
                    points
                        .iter()
                        .map(|(x, y)| format!("{x:.1},{y:.1}"))
                        .collect::<Vec<_>>()
                        .join(" "),
                    fill.map(|c| format!(" fill {}", c.hex()))
                        .unwrap_or_default(),
                    stroke
                        .map(|(c, w)| format!(" stroke {} {w:.2}", c.hex()))
                        .unwrap_or_default()
                ),
                Item::Link { x, y, w, h, target } => {
                    writeln!(s, "  link {x:.1},{y:.1} {w:.1}x{h:.1} {target:?}")
                }
            };
        }
        s
    }

    /// Copies of the page's items moved by (`dx`, `dy`) (used to impose pages on a sheet).
    pub(crate) fn transformed(&self, dx: f32, dy: f32) -> Vec<Item> {
        translated(&self.items, dx, dy)
    }
}

/// Copies of `items` moved by (`dx`, `dy`): blocks laid out at the origin are placed this way.
pub(crate) fn translated(items: &[Item], dx: f32, dy: f32) -> Vec<Item> {
    items
        .iter()
        .map(|i| {
            let mut i = i.clone();
            match &mut i {
                Item::Text { x, y, .. } | Item::Rect { x, y, .. } | Item::Link { x, y, .. } => {
                    *x += dx;
                    *y += dy;
                }
                Item::Line { from, to, .. } => {
                    from.0 += dx;
                    from.1 += dy;
                    to.0 += dx;
                    to.1 += dy;
                }
                Item::Polygon { points, .. } => {
                    for p in points {
                        p.0 += dx;
                        p.1 += dy;
                    }
                }
            }
            i
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dump_is_stable_and_readable() {
        let mut p = Page::new(105.0, 148.0);
        p.items.push(Item::Text {
            x: 5.0,
            y: 10.0,
            size: 12.0,
            face: Face::Bold,
            color: Color::RED,
            text: "报警".into(),
        });
        p.items.push(Item::Rect {
            x: 1.0,
            y: 2.0,
            w: 3.0,
            h: 4.0,
            fill: Some(Color::YELLOW),
            stroke: None,
        });
        assert_eq!(
            p.dump(),
            "page 105.0x148.0\n  text 5.0,10.0 12.0pt bold #c8102e \"报警\"\n  rect 1.0,2.0 3.0x4.0 fill #ffd200\n"
        );
        let moved = p.transformed(10.0, 0.0);
        assert!(matches!(moved[0], Item::Text { x, .. } if (x - 15.0).abs() < 1e-6));
    }
}
