//! Fonts: the shipped default, `--font`, measuring text, and missing glyphs.
//!
//! yuan ships a GB2312 subset of Noto Sans CJK SC (OFL, `assets/fonts/`), so a fresh machine
//! prints Chinese without installing anything. A repository or a user can select another face
//! (an official 仿宋 or 黑体) with `[render] font` or `--font`; a collection is addressed as
//! `file.ttc#2`. Without a bold face, bold text is drawn with a thin outline (synthetic bold).
//! A character the font lacks must never print as an empty box: [`Fonts::missing`] finds it
//! before anything is drawn, so the caller can name the character and where it is.
//!
//! A font named by the repository (`[render] font`) is read through the repository boundary
//! ([`crate::source::Reader`]): a regular file inside the repository, at most [`FONT_CAP`]. A
//! font named on the command line (`--font`) is the user's own choice and may lie anywhere,
//! but is still a regular file read with the same cap: a FIFO or `/dev/zero` is refused in
//! bounded time and memory.

use crate::diag::error::Context as _;
use crate::diag::Text;
use crate::source::reader::{read_user_file, FONT_CAP};
use crate::source::Reader;
use crate::{env_error, text};
use printpdf::ParsedFont;
use std::path::Path;
use std::sync::Arc;

/// The shipped faces (see assets/fonts/README.md).
static DEFAULT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-Regular.ttf");
static DEFAULT_BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-Bold.ttf");

/// Regular or bold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Face {
    Regular,
    Bold,
}

/// One parsed face and what measuring needs of it.
pub struct FontFace {
    pub(crate) parsed: ParsedFont,
    /// Where it came from, for messages: `built-in Noto Sans CJK SC` or a path.
    pub(crate) source: String,
    units_per_em: f32,
    /// Identifies this face in the per-thread glyph caches.
    key: usize,
    /// Ascender and descender in em (positive, descender below the baseline).
    pub(crate) ascent: f32,
    pub(crate) descent: f32,
}

impl FontFace {
    fn parse(bytes: &[u8], index: usize, source: String) -> anyhow::Result<FontFace> {
        let mut warnings = Vec::new();
        let Some(parsed) = ParsedFont::from_bytes(bytes, index, &mut warnings) else {
            return Err(env_error!(
                "{source}：不是可用的 TrueType/OpenType 字体（字体序号 {index}）",
                "{source}: not a usable TrueType/OpenType font (face {index})"
            ));
        };
        let m = &parsed.pdf_font_metrics;
        let upm = f32::from(m.units_per_em.max(1));
        let ascent = f32::from(m.ascender) / upm;
        let descent = (-f32::from(m.descender)) / upm;
        if parsed.lookup_glyph_index('0' as u32).unwrap_or(0) == 0 {
            return Err(env_error!(
                "{source}：该字体没有数字，请选用正文字体",
                "{source}: the font has no digits; choose a text font"
            ));
        }
        Ok(FontFace {
            parsed,
            source,
            units_per_em: upm,
            key: NEXT_KEY.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            ascent: if ascent > 0.0 { ascent } else { 0.88 },
            descent: if descent > 0.0 { descent } else { 0.12 },
        })
    }

    /// Glyph id (0 = missing) and advance of `c`. The font's cmap lookup is slow and layout
    /// measures the same characters again and again, so results are cached per thread: a
    /// shared cache behind a lock made the threads fight over one cache line.
    fn glyph(&self, c: char) -> (u16, u16) {
        GLYPHS.with(|cache| {
            let mut cache = cache.borrow_mut();
            *cache.entry((self.key, c)).or_insert_with(|| {
                let gid = self.parsed.lookup_glyph_index(c as u32).unwrap_or(0);
                (gid, self.parsed.get_horizontal_advance(gid))
            })
        })
    }

    /// Whether the face can draw `c` (whitespace and controls need no glyph).
    pub(crate) fn has(&self, c: char) -> bool {
        c.is_whitespace() || c.is_control() || self.glyph(c).0 != 0
    }

    /// Width of `text` at `size` points, in millimetres.
    pub(crate) fn width_mm(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text.chars().map(|c| u32::from(self.glyph(c).1)).sum();
        units as f32 / self.units_per_em * size * PT_TO_MM
    }
}

/// Source of [`FontFace`] cache keys.
static NEXT_KEY: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

thread_local! {
    /// (face key, char) -> (glyph id, advance).
    static GLYPHS: std::cell::RefCell<std::collections::HashMap<(usize, char), (u16, u16)>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// Millimetres per point.
pub const PT_TO_MM: f32 = 25.4 / 72.0;

/// The faces a document is drawn with.
#[derive(Clone)]
pub struct Fonts {
    pub(crate) regular: Arc<FontFace>,
    /// `None`: bold is synthetic (outlined regular).
    pub bold: Option<Arc<FontFace>>,
}

/// Where to take fonts from: the built-in default unless a path is given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FontChoice {
    /// `path` or `path#index` of the regular face.
    pub(crate) regular: Option<FontPath>,
    /// `path` or `path#index` of the bold face; with a custom regular face and no bold one,
    /// bold is synthetic.
    pub(crate) bold: Option<FontPath>,
}

/// One face's `path` or `path#index`, and who named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FontPath {
    /// Named by the user on the command line: relative to the current folder, may lie anywhere.
    User(String),
    /// Named by the repository (`[render]`): relative to the repository root, and read only
    /// inside it.
    Repository(String),
}

impl Fonts {
    /// The built-in Noto Sans CJK SC subset (regular and bold).
    pub fn builtin() -> anyhow::Result<Fonts> {
        Ok(Fonts {
            regular: Arc::new(FontFace::parse(
                DEFAULT_REGULAR,
                0,
                "built-in Noto Sans CJK SC".into(),
            )?),
            bold: Some(Arc::new(FontFace::parse(
                DEFAULT_BOLD,
                0,
                "built-in Noto Sans CJK SC Bold".into(),
            )?)),
        })
    }

    /// Loads the faces `choice` names; the repository's own paths are resolved against (and
    /// read only inside) `repo`.
    pub(crate) fn load(choice: &FontChoice, repo: &Path) -> anyhow::Result<Fonts> {
        let Some(regular) = &choice.regular else {
            let mut fonts = Fonts::builtin()?;
            if let Some(b) = &choice.bold {
                fonts.bold = Some(Arc::new(load_face(b, repo)?));
            }
            return Ok(fonts);
        };
        let regular = Arc::new(load_face(regular, repo)?);
        let bold = match &choice.bold {
            Some(b) => Some(Arc::new(load_face(b, repo)?)),
            None => None,
        };
        Ok(Fonts { regular, bold })
    }

    /// The face that draws `face` (regular when bold is synthetic).
    pub(crate) fn face(&self, face: Face) -> &FontFace {
        match (face, &self.bold) {
            (Face::Bold, Some(b)) => b,
            _ => &self.regular,
        }
    }

    /// Ascender of the bold face in em.
    pub(crate) fn bold_ascent(&self) -> f32 {
        self.face(Face::Bold).ascent
    }

    /// Width of `text` in millimetres.
    pub fn width_mm(&self, text: &str, size: f32, face: Face) -> f32 {
        self.face(face).width_mm(text, size)
    }

    /// The same faces reduced to the characters of `chars` (plus printable ASCII), with
    /// identical advances. printpdf still subsets each document to the glyphs it uses; starting
    /// from this run-wide subset instead of the whole font makes that several times cheaper
    /// (its per-document cost grows with the size of the font's cmap and CFF table).
    pub fn reduced_to(&self, chars: &std::collections::BTreeSet<char>) -> anyhow::Result<Fonts> {
        let reduce = |face: &FontFace| -> anyhow::Result<FontFace> {
            let mut wanted: std::collections::BTreeMap<u16, String> = Default::default();
            for c in chars.iter().copied().chain((0x20u8..0x7f).map(char::from)) {
                let gid = face.glyph(c).0;
                if gid != 0 {
                    wanted.entry(gid).or_insert_with(|| c.to_string());
                }
            }
            let sub = printpdf::font::subset_font(&face.parsed, &wanted).map_err(|e| {
                let source = &face.source;
                env_error!(
                    "{source}：无法生成字体子集：{e}",
                    "{source}: cannot subset the font: {e}"
                )
            })?;
            let mut reduced = FontFace::parse(&sub.bytes, 0, face.source.clone())?;
            // the subset keeps the face's metrics; keep the exact ones layout used
            reduced.ascent = face.ascent;
            reduced.descent = face.descent;
            Ok(reduced)
        };
        Ok(Fonts {
            regular: Arc::new(reduce(&self.regular)?),
            bold: match &self.bold {
                Some(b) => Some(Arc::new(reduce(b)?)),
                None => None,
            },
        })
    }

    /// The characters of `text` that `face` cannot draw, in order of first appearance.
    pub(crate) fn missing(&self, text: &str, face: Face) -> Vec<char> {
        let f = self.face(face);
        let mut out: Vec<char> = Vec::new();
        for c in text.chars() {
            if !f.has(c) && !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }
}

/// `path` or `path#index`, read as its [`FontPath`] says.
fn load_face(spec: &FontPath, repo: &Path) -> anyhow::Result<FontFace> {
    let (text, user) = match spec {
        FontPath::User(s) => (s.as_str(), true),
        FontPath::Repository(s) => (s.as_str(), false),
    };
    let (path, index) = match text.rsplit_once('#') {
        Some((p, i)) if i.chars().all(|c| c.is_ascii_digit()) && !i.is_empty() => {
            (p, i.parse::<usize>().unwrap_or(0))
        }
        _ => (text, 0),
    };
    let (bytes, shown) = if user {
        let bytes = read_user_file(Path::new(path), FONT_CAP).map_err(|why| {
            let Text { zh, en } = why.message();
            env_error!(
                "无法读取字体 {path}（--font）：{zh}",
                "cannot read font {path} (--font): {en}"
            )
        })?;
        (bytes, path.to_string())
    } else {
        let shown = repo.display();
        let reader =
            Reader::new(repo).context_text(|| text!("无法打开 {shown}", "cannot open {shown}"))?;
        let bytes = reader.read(Path::new(path), FONT_CAP).map_err(|why| {
            let Text { zh, en } = why.message();
            env_error!(
                "无法读取字体 {path}（预案库 yuan.toml 中的 [render] font）：{zh}",
                "cannot read font {path} ([render] font of the repository): {en}"
            )
        })?;
        (bytes, repo.join(path).display().to_string())
    };
    FontFace::parse(&bytes, index, shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_covers_plan_text_and_measures_cjk_as_one_em() {
        let f = Fonts::builtin().expect("built-in font");
        assert!(f
            .missing("应急处置卡，岗位：反应釜（R-101）≥95℃ ①", Face::Regular)
            .is_empty());
        let w = f.width_mm("应急", 10.0, Face::Regular);
        assert!((w - 2.0 * 10.0 * PT_TO_MM).abs() < 0.01, "{w}");
        assert!(f.width_mm("11", 10.0, Face::Bold) < w);
    }

    #[test]
    fn missing_characters_are_named_once() {
        let f = Fonts::builtin().expect("built-in font");
        // U+2F81F is a CJK compatibility ideograph outside GB2312
        assert_eq!(
            f.missing("a\u{2F81F}b\u{2F81F}", Face::Regular),
            vec!['\u{2F81F}']
        );
    }

    #[test]
    fn a_missing_font_file_is_an_error_not_a_panic() {
        let err = Fonts::load(
            &FontChoice {
                regular: Some(FontPath::User("/nonexistent/font.ttf#1".into())),
                bold: None,
            },
            Path::new("."),
        )
        .err()
        .expect("error");
        assert!(err.to_string().contains("/nonexistent/font.ttf"));
        let dir = tempfile::tempdir().expect("tempdir");
        let junk = dir.path().join("junk.ttf");
        std::fs::write(&junk, b"not a font").expect("write");
        assert!(Fonts::load(
            &FontChoice {
                regular: Some(FontPath::User(junk.display().to_string())),
                bold: None
            },
            Path::new(".")
        )
        .is_err());
    }

    /// The repository's font is read inside the repository only; the user's may be anywhere,
    /// but never a device.
    #[cfg(unix)]
    #[test]
    fn repository_fonts_stay_inside_user_fonts_are_regular_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(&repo).expect("mkdir");
        let font = dir.path().join("outside.ttf");
        std::fs::write(&font, DEFAULT_REGULAR).expect("write");
        std::os::unix::fs::symlink(&font, repo.join("f.ttf")).expect("link");
        let choice = |p: FontPath| FontChoice {
            regular: Some(p),
            bold: None,
        };
        let err = Fonts::load(&choice(FontPath::Repository("f.ttf".into())), &repo)
            .err()
            .expect("refused");
        assert!(
            format!("{err:#}").contains("leaves the repository"),
            "{err:#}"
        );
        let user = FontPath::User(font.display().to_string());
        assert!(Fonts::load(&choice(user), &repo).is_ok());
        let err = Fonts::load(&choice(FontPath::User("/dev/zero".into())), &repo)
            .err()
            .expect("refused");
        assert!(format!("{err:#}").contains("not a regular file"), "{err:#}");
    }
}
