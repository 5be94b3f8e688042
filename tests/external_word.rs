//! Cross-checks of `yuan export` with independent readers: LibreOffice opens the `.docx` and
//! prints it to PDF, poppler's `pdftotext` finds every heading and the body text on its pages and
//! `pdffonts` names the fonts the document asks for or their stand-ins, and python-docx reads the
//! Word heading styles at the levels yuan wrote (tests/export.rs reads the same files with zip and
//! quick-xml).
//!
//! `cargo test` does not run these; `.ci/run` installs the readers and runs them in its stage
//! "Word export read by external readers":
//!
//! ```sh
//! apt-get install libreoffice-writer-nogui poppler-utils python3-docx fonts-noto-cjk
//! cargo test --test external_word -- --ignored
//! ```

mod common;

use common::{root, run, text_of};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Exports `args` into a new folder (which must succeed) and returns it with the `.docx` path.
fn export(args: &[&str], id: &str) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().expect("tempdir");
    let mut all = vec!["export"];
    all.extend_from_slice(args);
    all.extend(["--out", s(out.path())]);
    let o = run(&all, &[("SOURCE_DATE_EPOCH", "1718841600")]);
    assert!(o.status.success(), "{}", text_of(&o));
    let docx = out.path().join(format!("{id}.docx"));
    (out, docx)
}

/// Runs a reader, which must succeed; its standard output.
fn tool(cmd: &str, args: &[&str]) -> String {
    let o = Command::new(cmd).args(args).output().unwrap_or_else(|e| {
        panic!("{cmd} must be installed (apt-get install libreoffice-writer-nogui poppler-utils python3-docx): {e}")
    });
    assert!(
        o.status.success(),
        "{cmd} failed: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn flat(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The Heading paragraphs yuan wrote: (level, text), read from `document.xml`.
fn written_headings(docx: &Path) -> Vec<(u8, String)> {
    let bytes = std::fs::read(docx).expect("docx");
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut doc = String::new();
    z.by_name("word/document.xml")
        .expect("document")
        .read_to_string(&mut doc)
        .expect("utf-8");
    let mut out = Vec::new();
    for p in doc.split("<w:p>").skip(1) {
        let Some(rest) = p.strip_prefix(r#"<w:pPr><w:pStyle w:val="Heading"#) else {
            continue;
        };
        let level = rest[..1].parse().expect("level");
        let text: String = rest
            .split(r#"<w:t xml:space="preserve">"#)
            .skip(1)
            .filter_map(|t| t.split("</w:t>").next())
            .collect();
        let text = text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        out.push((level, text));
    }
    out
}

/// LibreOffice prints `docx` to a PDF in `dir` (a profile of its own, so parallel runs and a
/// desktop session do not meet).
fn to_pdf(docx: &Path, dir: &Path) -> PathBuf {
    let profile = format!("-env:UserInstallation=file://{}/lo-profile", s(dir));
    tool(
        "soffice",
        &[
            &profile,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            s(dir),
            s(docx),
        ],
    );
    let pdf = dir.join(docx.with_extension("pdf").file_name().expect("name"));
    assert!(pdf.exists(), "LibreOffice wrote no PDF for {docx:?}");
    pdf
}

/// Fonts the document names, or what a reader draws instead of them.
const FONTS: &[&str] = &[
    // the names, and the Windows fonts they map to
    "FangSong",
    "SimHei",
    "KaiTi",
    "FZXiaoBiaoSong",
    "SimSun",
    "仿宋",
    "黑体",
    "楷体",
    "宋体",
    // stand-ins on a Linux machine (fontconfig's CJK defaults), and the Latin default
    "NotoSansCJK",
    "NotoSerifCJK",
    "SourceHan",
    "WenQuanYi",
    "DroidSansFallback",
    "ARPL",
    "DejaVu",
    "Liberation",
];

fn check_pdf(docx: &Path, pdf: &Path, body: &[&str]) {
    let text = flat(&tool("pdftotext", &[s(pdf), "-"]));
    let headings = written_headings(docx);
    assert!(headings.len() >= 4, "{headings:?}");
    for (_, h) in &headings {
        assert!(
            text.contains(&flat(h)),
            "LibreOffice's PDF lacks the heading {h}"
        );
    }
    for b in body {
        assert!(text.contains(&flat(b)), "LibreOffice's PDF lacks {b}");
    }
    // page numbers "— 1 —"
    assert!(text.contains("—1—") && text.contains("—2—"), "page numbers");
    let fonts = tool("pdffonts", &[s(pdf)]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in &rows {
        let name = row.split_whitespace().next().unwrap_or("");
        let family = name.split('+').next_back().unwrap_or(name);
        assert!(
            FONTS.iter().any(|f| family.contains(f)),
            "pdffonts names {family}, neither a font the document asks for nor a known stand-in:\n{fonts}"
        );
    }
    assert!(
        rows.iter()
            .any(|r| FONTS[..13].iter().any(|f| r.contains(f))),
        "a CJK font draws the text:\n{fonts}"
    );
}

#[test]
#[ignore = "needs libreoffice-writer-nogui, poppler-utils and fonts-noto-cjk"]
fn libreoffice_prints_every_heading_and_the_text() {
    let (out, docx) = export(&["xj-flood", s(&root().join("plans"))], "xj-flood");
    let pdf = to_pdf(&docx, out.path());
    check_pdf(&docx, &pdf, &["湘江省防汛抗旱应急预案", "预案编号："]);
    let (out, docx) = export(
        &[
            "jw-comprehensive",
            s(&root().join("tests/realistic")),
            "--whole",
        ],
        "jw-comprehensive",
    );
    let pdf = to_pdf(&docx, out.path());
    check_pdf(
        &docx,
        &pdf,
        &[
            "批准页",
            "目录",
            "酒店成立应急指挥部，总经理任总指挥",
            "燃气泄漏事故现场处置方案",
        ],
    );
    let pages = tool("pdfinfo", &[s(&pdf)]);
    let n: usize = pages
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pages");
    assert!(n >= 10, "{pages}");
}

/// python-docx, an independent reader, sees yuan's headings as Word heading styles at their
/// levels, in order.
#[test]
#[ignore = "needs python3-docx"]
fn python_docx_reads_the_heading_styles() {
    let python = ["/usr/bin/python3", "python3"]
        .into_iter()
        .find(|p| {
            Command::new(p)
                .args(["-c", "import docx"])
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .expect("a python3 with python-docx (apt-get install python3-docx)");
    for (args, id) in [
        (vec!["jw-onsite-gas", "tests/realistic"], "jw-onsite-gas"),
        (
            vec!["jw-comprehensive", "tests/realistic", "--whole", "--cards"],
            "jw-comprehensive",
        ),
        (
            vec!["hd-comprehensive", "plans", "--whole"],
            "hd-comprehensive",
        ),
    ] {
        let repo = root().join(args[1]);
        let mut a: Vec<&str> = args.clone();
        a[1] = s(&repo);
        let (_out, docx) = export(&a, id);
        let script = "import sys, docx\nfor p in docx.Document(sys.argv[1]).paragraphs:\n    n = p.style.name\n    if n.startswith('Heading '):\n        print(n[8:] + '\\t' + p.text)\n";
        let seen = tool(python, &["-c", script, s(&docx)]);
        let seen: Vec<(u8, String)> = seen
            .lines()
            .filter_map(|l| {
                let (lv, t) = l.split_once('\t')?;
                Some((lv.parse().ok()?, t.to_string()))
            })
            .collect();
        let written = written_headings(&docx);
        assert!(written.len() >= 4, "{id}: {written:?}");
        assert_eq!(seen, written, "{id}");
    }
}
