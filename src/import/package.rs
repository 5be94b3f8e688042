//! The .docx container (import stage): bytes of a file the user named -> the XML parts that
//! carry the plan (document, styles, numbering, footnotes, relationships), or one refusal.
//!
//! A .docx is a zip file that anyone can craft, so nothing in it is trusted: the number of
//! entries, each entry's uncompressed size and the total are capped (counted while inflating,
//! never taken from the header), and an entry that inflates more than [`MAX_RATIO`] times its
//! compressed size is a zip bomb. What is not a .docx is told apart by its first bytes: an OLE
//! compound file (`D0 CF 11 E0`) is either a Word 97–2003 .doc (convert it with LibreOffice) or
//! a password-protected .docx (Office encrypts OOXML into an OLE file with an `EncryptionInfo`
//! stream). Macros (`vbaProject.bin`) are never run and external relationships
//! (`TargetMode="External"`: linked pictures, templates, hyperlinks) never followed: both are
//! reported as ignored, not refused.

use crate::text;
use std::io::{Cursor, Read as _};

/// At most this many entries (a plan has a few dozen; pictures add one each).
pub(crate) const MAX_ENTRIES: usize = 10_000;
/// At most this many bytes in one part once inflated (document.xml of a 300-page plan is a
/// few MiB).
pub(crate) const MAX_ENTRY: u64 = 128 << 20;
/// At most this many bytes inflated in all (declared sizes, and the parts actually read).
pub(crate) const MAX_TOTAL: u64 = 512 << 20;
/// An entry of more than [`RATIO_FLOOR`] bytes that inflates more than this many times its
/// compressed size is a bomb (XML compresses 5–20 times; bombs 1,000 times and more).
pub(crate) const MAX_RATIO: u64 = 200;
const RATIO_FLOOR: u64 = 1 << 20;

/// The parts of a .docx that an import reads, as text.
#[derive(Debug, Default)]
pub(crate) struct Package {
    pub(crate) document: String,
    pub(crate) styles: Option<String>,
    pub(crate) numbering: Option<String>,
    pub(crate) footnotes: Option<String>,
    /// Relationships of the main document (`word/_rels/document.xml.rels`).
    pub(crate) rels: Option<String>,
    /// What was found and deliberately not used (macros, external targets): (Chinese, English).
    pub(crate) ignored: Vec<crate::diag::Text>,
}

/// Why a file cannot be imported: one line, the file named by the caller.
#[derive(Debug)]
pub(crate) enum Refused {
    /// A Word 97–2003 binary document.
    Doc,
    /// A password-protected (encrypted) document.
    Encrypted,
    /// Not a zip file, or a zip file without `word/document.xml`, or broken XML text.
    Corrupt(String),
    /// A zip bomb or an archive past the caps.
    Bomb(String),
}

impl Refused {
    /// The line to print after the file's name.
    pub(crate) fn text(&self) -> crate::diag::Text {
        match self {
            Refused::Doc => text!(
                "这是 Word 97-2003 的 .doc 文件，不是 .docx：请先转换，例如 soffice --headless --convert-to docx 文件.doc",
                "this is a Word 97-2003 .doc file, not a .docx: convert it first, e.g. soffice --headless --convert-to docx FILE.doc"
            ),
            Refused::Encrypted => text!(
                "文件有密码保护（已加密）：请在 Word 或 WPS 中取消密码后另存为 .docx 再导入",
                "the file is password-protected (encrypted): remove the password in Word or WPS, save as .docx and import that"
            ),
            Refused::Corrupt(why) => text!(
                "不是有效的 .docx 文件（{why}）：请用 Word 或 WPS 打开后另存为 .docx",
                "not a valid .docx file ({why}): open it in Word or WPS and save it as .docx again"
            ),
            Refused::Bomb(why) => text!(
                "拒绝读取：{why}（疑似压缩炸弹）",
                "refused: {why} (looks like a zip bomb)"
            ),
        }
    }
}

/// The OLE compound file signature (.doc, .xls, encrypted OOXML).
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Whether `bytes` start like a zip file.
pub(crate) fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// Whether `bytes` are an OLE compound file.
pub(crate) fn is_ole(bytes: &[u8]) -> bool {
    bytes.starts_with(&OLE_MAGIC[..4])
}

/// Opens a .docx: its parts, or why not.
pub(crate) fn open(bytes: &[u8]) -> Result<Package, Refused> {
    if is_ole(bytes) {
        return Err(if contains_utf16(bytes, "EncryptionInfo") {
            Refused::Encrypted
        } else {
            Refused::Doc
        });
    }
    if !is_zip(bytes) {
        return Err(Refused::Corrupt(
            text!("文件开头不是 zip 格式", "it does not start as a zip file").en,
        ));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| Refused::Corrupt(format!("zip: {e}")))?;
    if zip.len() > MAX_ENTRIES {
        return Err(Refused::Bomb(format!(
            "{} entries in the archive, at most {MAX_ENTRIES}",
            zip.len()
        )));
    }
    let mut pkg = Package::default();
    let mut total: u64 = 0;
    let mut names: Vec<String> = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| Refused::Corrupt(format!("zip: {e}")))?;
        if entry.encrypted() {
            return Err(Refused::Encrypted);
        }
        let (size, packed) = (entry.size(), entry.compressed_size());
        check_size(entry.name(), size, packed)?;
        total = total.saturating_add(size);
        if total > MAX_TOTAL {
            return Err(Refused::Bomb(format!(
                "more than {} MiB once uncompressed",
                MAX_TOTAL >> 20
            )));
        }
        names.push(entry.name().to_string());
    }
    let mut read_total: u64 = 0;
    let mut read =
        |zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str| -> Result<Option<String>, Refused> {
            let Ok(entry) = zip.by_name(name) else {
                return Ok(None);
            };
            let packed = entry.compressed_size();
            let mut buf = Vec::new();
            entry
                .take(MAX_ENTRY + 1)
                .read_to_end(&mut buf)
                .map_err(|e| Refused::Corrupt(format!("{name}: {e}")))?;
            check_size(name, buf.len() as u64, packed)?;
            read_total += buf.len() as u64;
            if read_total > MAX_TOTAL {
                return Err(Refused::Bomb(format!(
                    "more than {} MiB once uncompressed",
                    MAX_TOTAL >> 20
                )));
            }
            // a BOM may precede the XML declaration
            let buf = buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buf).to_vec();
            String::from_utf8(buf)
                .map(Some)
                .map_err(|_| Refused::Corrupt(format!("{name} is not UTF-8")))
        };
    pkg.document = read(&mut zip, "word/document.xml")?.ok_or_else(|| {
        Refused::Corrupt(
            text!(
                "没有 word/document.xml",
                "no word/document.xml in the archive"
            )
            .en,
        )
    })?;
    pkg.styles = read(&mut zip, "word/styles.xml")?;
    pkg.numbering = read(&mut zip, "word/numbering.xml")?;
    pkg.footnotes = read(&mut zip, "word/footnotes.xml")?;
    pkg.rels = read(&mut zip, "word/_rels/document.xml.rels")?;
    if let Some(macros) = names
        .iter()
        .find(|n| n.to_ascii_lowercase().ends_with("vbaproject.bin"))
    {
        pkg.ignored.push(text!(
            "宏（{macros}）：未运行，也未导入",
            "macros ({macros}): not run and not imported"
        ));
    }
    if let Some(rels) = &pkg.rels {
        for target in external_targets(rels) {
            pkg.ignored.push(text!(
                "外部关系（{target}）：未访问",
                "external relationship ({target}): not followed"
            ));
        }
    }
    Ok(pkg)
}

/// Refuses an entry that is too large or inflates too much.
fn check_size(name: &str, size: u64, packed: u64) -> Result<(), Refused> {
    if size > MAX_ENTRY {
        return Err(Refused::Bomb(format!(
            "{name} is more than {} MiB once uncompressed",
            MAX_ENTRY >> 20
        )));
    }
    if size > RATIO_FLOOR && size / packed.max(1) > MAX_RATIO {
        return Err(Refused::Bomb(format!(
            "{name} inflates {} times",
            size / packed.max(1)
        )));
    }
    Ok(())
}

/// The targets of the relationships marked `TargetMode="External"`.
pub(crate) fn external_targets(rels: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(rels);
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Empty(e) | Event::Start(e)) if e.local_name().as_ref() == b"Relationship" => {
                let mut external = false;
                let mut target = String::new();
                for a in e.attributes().flatten() {
                    match a.key.local_name().as_ref() {
                        b"TargetMode" => {
                            external = a.value.as_ref().eq_ignore_ascii_case(b"External")
                        }
                        b"Target" => {
                            target = a
                                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .map(|v| v.into_owned())
                                .unwrap_or_default()
                        }
                        _ => {}
                    }
                }
                if external {
                    out.push(crate::diag::terminal::escape(&target).into_owned());
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// Whether `bytes` hold `needle` in UTF-16LE (the names of OLE streams).
fn contains_utf16(bytes: &[u8], needle: &str) -> bool {
    let pattern: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(pattern.len()).any(|w| w == pattern)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            for (name, bytes) in files {
                w.start_file(*name, opts).expect("start");
                w.write_all(bytes).expect("write");
            }
            w.finish().expect("finish");
        }
        buf.into_inner()
    }

    #[test]
    fn a_docx_opens_and_reports_what_it_ignores() {
        let rels = br#"<Relationships><Relationship Id="r1" Type="x" Target="https://example.com/t.dotm" TargetMode="External"/><Relationship Id="r2" Type="x" Target="styles.xml"/></Relationships>"#;
        let bytes = zip_of(&[
            ("word/document.xml", b"<w:document/>"),
            ("word/_rels/document.xml.rels", rels),
            ("word/vbaProject.bin", b"\0\0"),
        ]);
        let pkg = open(&bytes).expect("opens");
        assert_eq!(pkg.document, "<w:document/>");
        assert_eq!(pkg.ignored.len(), 2, "{:?}", pkg.ignored);
        assert!(pkg.ignored[1].en.contains("https://example.com/t.dotm"));
        assert!(!pkg.ignored[1].en.contains("styles.xml"));
    }

    #[test]
    fn what_is_not_a_docx_is_told_apart() {
        let mut doc = OLE_MAGIC.to_vec();
        doc.extend(b"WordDocument".iter().flat_map(|b| [*b, 0]));
        assert!(matches!(open(&doc), Err(Refused::Doc)));
        let mut enc = OLE_MAGIC.to_vec();
        enc.extend("EncryptionInfo".encode_utf16().flat_map(u16::to_le_bytes));
        assert!(matches!(open(&enc), Err(Refused::Encrypted)));
        assert!(matches!(open(b"hello"), Err(Refused::Corrupt(_))));
        assert!(matches!(open(b"PK\x03\x04junk"), Err(Refused::Corrupt(_))));
        let no_document = zip_of(&[("a.txt", b"x")]);
        assert!(matches!(open(&no_document), Err(Refused::Corrupt(_))));
    }

    #[test]
    fn a_bomb_is_refused() {
        let zeros = vec![b'0'; 40 << 20];
        let bytes = zip_of(&[("word/document.xml", &zeros)]);
        match open(&bytes) {
            Err(Refused::Bomb(why)) => assert!(why.contains("inflates"), "{why}"),
            other => panic!("{other:?}"),
        }
    }
}
