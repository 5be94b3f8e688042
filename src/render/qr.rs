//! QR codes drawn as vector squares (sharper and smaller than an image), via the `qrcode` crate.

use super::layout::{Color, Item};
use qrcode::{EcLevel, QrCode};

/// Items drawing `data` as a QR code of side `size` mm at (`x`, `y`), with the 4-module quiet
/// zone inside that square. Horizontal runs of dark modules become one rectangle each.
pub fn draw(data: &str, x: f32, y: f32, size: f32) -> anyhow::Result<Vec<Item>> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)
        .map_err(|e| anyhow::anyhow!("cannot encode the QR code ({} bytes): {e}", data.len()))?;
    let n = code.width();
    let colors = code.to_colors();
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
            if colors[row * n + col] == qrcode::Color::Dark {
                let start = col;
                while col < n && colors[row * n + col] == qrcode::Color::Dark {
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
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_modules_inside_the_square() {
        let items = draw("YUAN:plan=a;card=b;v=1", 10.0, 10.0, 20.0).expect("qr");
        assert!(items.len() > 20);
        for i in &items {
            if let Item::Rect { x, y, w, h, .. } = i {
                assert!(*x >= 10.0 && *y >= 10.0 && x + w <= 30.02 && y + h <= 30.02);
            }
        }
    }
}
