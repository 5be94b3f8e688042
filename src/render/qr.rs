//! QR codes drawn as vector squares (sharper and smaller than an image), encoded with the
//! `fast_qr` crate (best of the eight masks by the standard's penalty score).

use super::layout::{Color, Item};

/// An encoded QR code: `width` x `width` modules, row by row, `true` = dark. Encoding (the
/// choice of the best of eight masks) is the expensive part, so a card encodes its code once
/// and both the PDF and the HTML page draw from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    pub(crate) width: usize,
    pub(crate) dark: Vec<bool>,
}

impl Matrix {
    /// Encodes `data` at error-correction level M.
    pub fn encode(data: &str) -> anyhow::Result<Matrix> {
        let code = fast_qr::QRBuilder::new(data.as_bytes())
            .ecl(fast_qr::ECL::M)
            .build()
            .map_err(|e| {
                let n = data.len();
                crate::env_error!(
                    "无法生成二维码（{n} 字节）：{e}",
                    "cannot encode the QR code ({n} bytes): {e}"
                )
            })?;
        let n = code.size;
        Ok(Matrix {
            width: n,
            dark: code.data[..n * n].iter().map(|m| m.value()).collect(),
        })
    }

    /// The code as an inline SVG (one path of unit squares, 4-module quiet zone).
    pub(crate) fn svg(&self) -> String {
        use std::fmt::Write as _;
        let n = self.width;
        let mut d = String::new();
        for (i, dark) in self.dark.iter().enumerate() {
            if *dark {
                let _ = write!(d, "M{} {}h1v1h-1z", i % n + 4, i / n + 4);
            }
        }
        let size = n + 8;
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" role=\"img\" aria-label=\"QR\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path d=\"{d}\" fill=\"#000\"/></svg>"
        )
    }
}

/// Items drawing `code` as a QR code of side `size` mm at (`x`, `y`), with the 4-module quiet
/// zone inside that square. Horizontal runs of dark modules become one rectangle each.
pub fn draw(code: &Matrix, x: f32, y: f32, size: f32) -> Vec<Item> {
    let n = code.width;
    let colors = &code.dark;
    let quiet = 4.0;
    let module = size / (n as f32 + 2.0 * quiet);
    let mut items = vec![Item::Rect {
        x,
        y,
        w: size,
        h: size,
        fill: Some(Color::WHITE),
        stroke: None,
    }];
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if colors[row * n + col] {
                let start = col;
                while col < n && colors[row * n + col] {
                    col += 1;
                }
                items.push(Item::Rect {
                    x: x + (quiet + start as f32) * module,
                    y: y + (quiet + row as f32) * module,
                    // a hair wider and taller so neighbouring runs leave no visible seam
                    w: (col - start) as f32 * module + 0.01,
                    h: module + 0.01,
                    fill: Some(Color::BLACK),
                    stroke: None,
                });
            } else {
                col += 1;
            }
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_modules_inside_the_square() {
        let code = Matrix::encode("YUAN:plan=a;card=b;v=1").expect("qr");
        let items = draw(&code, 10.0, 10.0, 20.0);
        assert!(items.len() > 20);
        for i in &items {
            if let Item::Rect { x, y, w, h, .. } = i {
                assert!(*x >= 10.0 && *y >= 10.0 && x + w <= 30.02 && y + h <= 30.02);
            }
        }
    }
}
