//! `yuan export`: every plan of `plans/` and `tests/realistic/` exported to Word, the `.docx`
//! opened with the `zip` crate and its WordprocessingML read with quick-xml: heading styles and
//! Heading paragraphs at the right levels in order, the body text, tables with borders, the
//! GB/T 9704-2012 page (size, margins, grid), the footer's PAGE field, fixed dates, the same
//! bytes on a second run, hostile text escaped, and an enterprise's whole plan in one document.
//! (LibreOffice and python-docx read the same files in tests/external_word.rs.)

mod common;

use common::{copy_dir, root, run, same_files, text_of};
use quick_xml::events::Event;
use std::io::Read;
use std::path::Path;

/// 2024-06-20T00:00:00Z.
const EPOCH: &str = "1718841600";

fn yuan(args: &[&str]) -> std::process::Output {
    run(args, &[("SOURCE_DATE_EPOCH", EPOCH)])
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Runs `yuan export ARGS… --out <new folder>`, which must succeed; the folder.
fn export(args: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("tempdir");
    let mut all = vec!["export"];
    all.extend_from_slice(args);
    all.extend(["--out", s(out.path())]);
    let o = yuan(&all);
    assert!(o.status.success(), "{}", text_of(&o));
    out
}

/// A part of a `.docx`.
fn part(docx: &Path, name: &str) -> String {
    let bytes = std::fs::read(docx).expect("docx");
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut f = z
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} in {docx:?}"));
    let mut x = String::new();
    f.read_to_string(&mut x).expect("utf-8");
    x
}

/// A paragraph of `document.xml`: its style and text (tabs and breaks as spaces).
#[derive(Debug, Clone, PartialEq)]
struct Para {
    style: String,
    text: String,
    in_table: bool,
}

/// The paragraphs of a WordprocessingML part, read by a strict XML reader (a malformed part
/// fails the test).
fn paragraphs(xml: &str) -> Vec<Para> {
    let mut r = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut cur: Option<Para> = None;
    let mut in_t = false;
    let mut tables = 0usize;
    loop {
        match r.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"w:p" => {
                cur = Some(Para {
                    style: String::new(),
                    text: String::new(),
                    in_table: tables > 0,
                });
            }
            Event::Start(e) if e.name().as_ref() == b"w:tbl" => tables += 1,
            Event::End(e) if e.name().as_ref() == b"w:tbl" => tables -= 1,
            Event::Empty(e) if e.name().as_ref() == b"w:pStyle" => {
                if let (Some(p), Some(v)) = (cur.as_mut(), attr(&e, b"w:val")) {
                    p.style = v;
                }
            }
            Event::Start(e) if e.name().as_ref() == b"w:t" => in_t = true,
            Event::End(e) if e.name().as_ref() == b"w:t" => in_t = false,
            Event::Text(t) if in_t => {
                if let Some(p) = cur.as_mut() {
                    p.text.push_str(&t.xml10_content().expect("text"));
                }
            }
            Event::GeneralRef(g) if in_t => {
                if let Some(p) = cur.as_mut() {
                    let name: &[u8] = &g;
                    let c = match name {
                        b"lt" => "<",
                        b"gt" => ">",
                        b"amp" => "&",
                        b"quot" => "\"",
                        b"apos" => "'",
                        other => panic!("unexpected entity {other:?}"),
                    };
                    p.text.push_str(c);
                }
            }
            Event::End(e) if e.name().as_ref() == b"w:p" => out.extend(cur.take()),
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn attr(e: &quick_xml::events::BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// The Heading paragraphs: (level, text).
fn headings(paras: &[Para]) -> Vec<(u8, String)> {
    paras
        .iter()
        .filter_map(|p| {
            let l = p.style.strip_prefix("Heading")?.parse().ok()?;
            Some((l, p.text.clone()))
        })
        .collect()
}

fn flat(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The Markdown headings of a plan file (outside code blocks): (level, text).
fn md_headings(md: &str) -> Vec<(u8, String)> {
    let body = md.splitn(3, "---\n").nth(2).unwrap_or("");
    let mut fenced = false;
    body.lines()
        .filter_map(|l| {
            if l.starts_with("```") {
                fenced = !fenced;
            }
            if fenced {
                return None;
            }
            let hashes = l.chars().take_while(|c| *c == '#').count();
            let rest = l.get(hashes..)?;
            (1..=6)
                .contains(&hashes)
                .then_some(())
                .filter(|_| rest.starts_with(' '))?;
            Some((hashes as u8, rest.trim().to_string()))
        })
        .collect()
}

/// The plain paragraphs of a plan's body (no Markdown syntax in them), for "the text is there".
fn md_plain_lines(md: &str) -> Vec<String> {
    let body = md.splitn(3, "---\n").nth(2).unwrap_or("");
    body.lines()
        .map(str::trim)
        .filter(|l| l.chars().count() >= 6)
        .filter(|l| !l.contains(['#', '|', '[', ']', '*', '`', '_', '<', '>', '!', '\\']))
        .filter(|l| !l.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+'))
        .map(no_colons)
        .collect()
}

/// `s` flat and without colons: a label taken for a heading (`报警电话：…`) is printed as the
/// heading `报警电话` and a paragraph.
fn no_colons(s: &str) -> String {
    flat(s).replace(['：', ':'], "")
}

/// The plan files (not cards, not drill records) of a repository.
fn plan_files(repo: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![repo.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("ls").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                let t = std::fs::read_to_string(&p).expect("read");
                let kind = t.lines().find_map(|l| l.strip_prefix("kind: "));
                let id = t.lines().find_map(|l| l.strip_prefix("id: "));
                if let (Some(id), Some(k)) = (id, kind) {
                    if k != "card" && k != "drill" {
                        out.push((id.trim().to_string(), t.clone()));
                    }
                }
            }
        }
    }
    out.sort();
    out
}

/// Every plan of the two sample repositories: the package's parts, styles, headings in order at
/// the right levels, body text, the page, footers and dates.
#[test]
fn every_plan_of_the_samples_exports_to_a_word_document() {
    for repo in ["plans", "tests/realistic"] {
        let repo = root().join(repo);
        let out = export(&["--all", s(&repo)]);
        let plans = plan_files(&repo);
        assert!(plans.len() >= 4, "{repo:?}");
        for (id, md) in &plans {
            let docx = out.path().join(format!("{id}.docx"));
            let doc = part(&docx, "word/document.xml");
            let paras = paragraphs(&doc);
            // the title, then the plan's own headings in order, at their relative levels
            assert_eq!(paras[0].style, "Title", "{id}");
            let got = headings(&paras);
            let want = md_headings(md);
            let title = md
                .lines()
                .find_map(|l| l.strip_prefix("title: "))
                .unwrap_or("");
            let want: Vec<(u8, String)> = match want.first() {
                Some((_, t)) if t == title.trim() => want[1..].to_vec(),
                _ => want,
            };
            let min = want.iter().map(|w| w.0).min().unwrap_or(1);
            let mut at = 0;
            for (level, text) in &want {
                let found = got[at..]
                    .iter()
                    .position(|(_, t)| t == text)
                    .unwrap_or_else(|| panic!("{id}: heading {text} in order: {got:?}"));
                at += found;
                assert_eq!(got[at].0, level - min + 1, "{id}: level of {text}");
                at += 1;
            }
            let all: String = no_colons(
                &paras
                    .iter()
                    .map(|p| p.text.as_str())
                    .collect::<Vec<_>>()
                    .join(""),
            );
            for line in md_plain_lines(md) {
                assert!(all.contains(&line), "{id}: the text {line}");
            }
            // the page of GB/T 9704-2012
            for want in [
                r#"<w:pgSz w:w="11906" w:h="16838"/>"#,
                r#"<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587""#,
                r#"<w:docGrid w:type="linesAndChars" w:linePitch="579" w:charSpace="-849"/>"#,
                r#"<w:footerReference w:type="default" r:id="rId5"/>"#,
            ] {
                assert!(doc.contains(want), "{id}: {want}");
            }
            let core = part(&docx, "docProps/core.xml");
            assert!(
                core.contains(
                    r#"<dcterms:created xsi:type="dcterms:W3CDTF">2024-06-20T00:00:00Z</dcterms:created>"#
                ),
                "{core}"
            );
        }
        // one package's fixed parts
        let any = out.path().join(format!("{}.docx", plans[0].0));
        let styles = part(&any, "word/styles.xml");
        for (id, name, font) in [
            ("Heading1", "heading 1", "黑体"),
            ("Heading2", "heading 2", "楷体_GB2312"),
            ("Heading3", "heading 3", "仿宋_GB2312"),
            ("Title", "Title", "方正小标宋简体"),
        ] {
            let at = styles
                .find(&format!(r#"w:styleId="{id}"><w:name w:val="{name}"/>"#))
                .unwrap_or_else(|| panic!("style {id}"));
            let end = at + styles[at..].find("</w:style>").expect("end");
            assert!(
                styles[at..end].contains(&format!(r#"w:eastAsia="{font}""#)),
                "{id}"
            );
        }
        assert!(styles.contains(r#"<w:aliases w:val="标题 1"/>"#));
        assert!(styles.contains(r#"<w:spacing w:line="579" w:lineRule="exact"/>"#));
        let footer = part(&any, "word/footer1.xml");
        assert!(footer.contains(r#"<w:instrText xml:space="preserve"> PAGE </w:instrText>"#));
        assert!(footer.contains("— </w:t>") && footer.contains(" —</w:t>"));
        assert!(footer.contains(r#"w:eastAsia"#) || styles.contains(r#"w:eastAsia="宋体""#));
        assert!(part(&any, "word/settings.xml").contains("<w:evenAndOddHeaders/>"));
    }
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let repo = root().join("tests/realistic");
    let a = export(&["--all", s(&repo)]);
    let b = export(&["--all", s(&repo)]);
    let names = same_files(a.path(), b.path());
    assert!(names.iter().filter(|n| n.ends_with(".docx")).count() >= 7);
    let c = export(&["jw-comprehensive", s(&repo), "--whole", "--cards"]);
    let d = export(&["jw-comprehensive", s(&repo), "--whole", "--cards"]);
    same_files(c.path(), d.path());
}

/// A Word-style plan (bold and numbered plain lines instead of headings) gets Word headings
/// where the structure reading finds sections, and nowhere else.
#[test]
fn a_word_style_plan_gets_real_headings() {
    let repo = root().join("tests/realistic");
    let out = export(&["jw-comprehensive", s(&repo)]);
    let paras = paragraphs(&part(
        &out.path().join("jw-comprehensive.docx"),
        "word/document.xml",
    ));
    let h = headings(&paras);
    for want in [
        (1, "1　总则"),
        (2, "1.1　适用范围"),
        (2, "1.2　响应分级"),
        (1, "3　应急响应"),
        (2, "3.4　应急处置"),
        (1, "6　附件"),
    ] {
        assert!(
            h.iter().any(|(l, t)| (*l, t.as_str()) == want),
            "{want:?} in {h:?}"
        );
    }
    // the cover lines of the body, the number line and the month stay paragraphs
    for text in [
        "二〇二四年六月",
        "编号：JWJD-YA-2024　　　版本号：2024版",
        "附件1　应急指挥部成员通讯录",
    ] {
        let p = paras.iter().find(|p| p.text == text).expect(text);
        assert_eq!(p.style, "Normal", "{text}");
    }
    // the response-level table, with borders and a repeated header row
    let doc = part(
        &out.path().join("jw-comprehensive.docx"),
        "word/document.xml",
    );
    let tbl = &doc[doc.find("<w:tbl>").expect("a table")..];
    assert!(tbl.contains(r#"<w:tblBorders><w:top w:val="single" w:sz="4""#));
    assert!(tbl.contains(r#"<w:insideV w:val="single""#));
    assert!(tbl.contains("<w:tblHeader/>"));
    assert!(paras.iter().any(|p| p.in_table && p.text == "启动条件"));
}

#[test]
fn an_enterprise_plan_is_one_document_in_order() {
    let repo = root().join("tests/realistic");
    let out = export(&["jw-comprehensive", s(&repo), "--whole", "--cards"]);
    let docx = out.path().join("jw-comprehensive.docx");
    let doc = part(&docx, "word/document.xml");
    let paras = paragraphs(&doc);
    let parts: Vec<String> = headings(&paras)
        .into_iter()
        .filter(|(l, _)| *l == 1)
        .map(|(_, t)| t)
        .collect();
    assert_eq!(
        parts,
        [
            "临江金湾大酒店有限公司生产安全事故综合应急预案",
            "临江金湾大酒店有限公司火灾事故专项应急预案",
            "临江金湾大酒店有限公司食物中毒事故专项应急预案",
            "触电事故现场处置方案",
            "电梯困人事故现场处置方案",
            "燃气泄漏事故现场处置方案",
            "厨房火灾事故现场处置方案",
            "附件",
        ]
    );
    let texts: Vec<&str> = paras.iter().map(|p| p.text.as_str()).collect();
    let at = |t: &str| {
        texts
            .iter()
            .position(|x| x.contains(t))
            .unwrap_or_else(|| panic!("{t}"))
    };
    // cover (title without 综合, 预案编号, version), 批准页, 目录, then the parts
    assert!(at("临江金湾大酒店有限公司生产安全事故应急预案") < at("预案编号：JWJD-YA-2024"));
    assert!(at("版本号：2024版") < at("批准页"));
    assert!(at("批准人：陈建国（总经理）") < at("目　录"));
    assert!(texts.contains(&"《临江金湾大酒店有限公司生产安全事故应急预案》经2024年5月专家评审，现予批准发布，自2024年7月1日起施行。"));
    assert!(doc.contains(r#"<w:instrText xml:space="preserve"> TOC \o "1-3" \h \z </w:instrText>"#));
    assert!(part(&docx, "word/settings.xml").contains(r#"<w:updateFields w:val="true"/>"#));
    // the front matter is a section of its own, the body numbers its pages from 1
    assert_eq!(doc.matches("<w:sectPr>").count(), 2);
    assert!(doc.contains(r#"<w:pgNumType w:start="1"/>"#));
    // the plans' own first level is Heading 2, in 黑体
    assert!(headings(&paras).contains(&(2, "1　总则".to_string())));
    assert!(part(&docx, "word/styles.xml").contains(r#"w:styleId="Heading2"><w:name w:val="heading 2"/><w:aliases w:val="标题 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:ind w:firstLineChars="200" w:firstLine="640"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:rFonts w:ascii="黑体""#));
    // 附件: contacts from the registry, and the cards
    assert!(at("附件1　应急联系方式") < at("附件2"));
    assert!(texts.iter().any(|t| t.contains("应急处置卡")));
    assert!(texts.iter().any(|t| t.starts_with("岗位：")));
}

/// A plan with an error is not exported (exit 1), and the run says why.
#[test]
fn a_plan_with_errors_is_not_exported() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("plans"), dir.path());
    let f = dir.path().join("county/qx-flood.md");
    let t = std::fs::read_to_string(&f).expect("read");
    let line = t
        .lines()
        .find(|l| l.starts_with("version:"))
        .expect("version");
    std::fs::write(&f, t.replacen(line, "", 1)).expect("write");
    let out = tempfile::tempdir().expect("out");
    let o = yuan(&[
        "export",
        "qx-flood",
        "qx-overall",
        s(dir.path()),
        "--out",
        s(out.path()),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text_of(&o));
    assert!(!out.path().join("qx-flood.docx").exists());
    assert!(out.path().join("qx-overall.docx").exists());
    assert!(text_of(&o).contains("F003"), "{}", text_of(&o));
}

/// In a whole plan, a part with an error is left out (the run says so and exits 1); the rest is
/// written.
#[test]
fn a_part_with_errors_is_left_out_of_the_whole_plan() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/realistic"), dir.path());
    let f = dir.path().join("enterprise/jinwan/jw-special-food.md");
    let t = std::fs::read_to_string(&f).expect("read");
    let line = t.lines().find(|l| l.starts_with("title:")).expect("title");
    std::fs::write(&f, t.replacen(line, "", 1)).expect("write");
    let out = tempfile::tempdir().expect("out");
    let o = yuan(&[
        "export",
        "jw-comprehensive",
        s(dir.path()),
        "--whole",
        "--out",
        s(out.path()),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text_of(&o));
    assert!(text_of(&o).contains("F003"), "{}", text_of(&o));
    let paras = paragraphs(&part(
        &out.path().join("jw-comprehensive.docx"),
        "word/document.xml",
    ));
    let parts: Vec<String> = headings(&paras)
        .into_iter()
        .filter(|(l, _)| *l == 1)
        .map(|(_, t)| t)
        .collect();
    assert!(parts.contains(&"临江金湾大酒店有限公司火灾事故专项应急预案".to_string()));
    assert!(!parts.iter().any(|p| p.contains("食物中毒")), "{parts:?}");
}

#[test]
fn bad_arguments_say_what_to_do() {
    let plans = root().join("plans");
    let o = yuan(&["export", "xj-flod", s(&plans)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text_of(&o).contains("xj-flood"), "{}", text_of(&o));
    let o = yuan(&["export", "xj-flood", s(&plans), "--whole"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text_of(&o).contains("--whole"), "{}", text_of(&o));
    let o = yuan(&["export", s(&plans)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text_of(&o).contains("--all"), "{}", text_of(&o));
    // -C names the repository when the last argument is not it
    let out = tempfile::tempdir().expect("out");
    let o = yuan(&["export", "xj-flood", "-C", s(&plans), "-o", s(out.path())]);
    assert!(o.status.success(), "{}", text_of(&o));
    assert!(out.path().join("xj-flood.docx").exists());
}

/// Text from the plan is only ever text: `<`, `&`, `]]>` escaped, characters XML 1.0 cannot
/// carry dropped, a link to a file printed as text, and only an http(s) address a hyperlink
/// (External).
#[test]
fn hostile_text_stays_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("plans"), dir.path());
    let f = dir.path().join("county/qx-flood.md");
    let t = std::fs::read_to_string(&f).expect("read");
    let title = t.lines().find(|l| l.starts_with("title:")).expect("title");
    let t = t.replacen(
        title,
        r#"title: "青溪县<w:p>防汛&应急]]>预案\u0001\u000b""#,
        1,
    );
    let t = format!(
        "{t}\n\n## 附录\n\n见[本地文件](file:///etc/passwd)、[部网站](https://www.mem.gov.cn/?a=1&b=2)和[脚本](javascript:alert(1))。控制\u{7}字符</w:t></w:r> {{ PAGE }}\n"
    );
    std::fs::write(&f, t).expect("write");
    let out = export(&["qx-flood", s(dir.path())]);
    let docx = out.path().join("qx-flood.docx");
    let doc = part(&docx, "word/document.xml");
    let paras = paragraphs(&doc);
    assert_eq!(paras[0].text, "青溪县<w:p>防汛&应急]]>预案");
    assert!(doc.contains("青溪县&lt;w:p&gt;防汛&amp;应急]]&gt;预案"));
    assert!(!doc.contains('\u{1}') && !doc.contains('\u{7}') && !doc.contains('\u{b}'));
    let text: String = paras.iter().map(|p| p.text.as_str()).collect();
    assert!(text.contains("控制字符</w:t></w:r> { PAGE }"), "{text}");
    assert_eq!(
        doc.matches("<w:instrText").count(),
        0,
        "no field from the plan"
    );
    assert_eq!(doc.matches("<w:hyperlink").count(), 1);
    let rels = part(&docx, "word/_rels/document.xml.rels");
    assert!(rels.contains(r#"Target="https://www.mem.gov.cn/?a=1&amp;b=2" TargetMode="External""#));
    assert!(
        !rels.contains("passwd") && !rels.contains("javascript"),
        "{rels}"
    );
    let core = part(&docx, "docProps/core.xml");
    assert!(core.contains("<dc:title>青溪县&lt;w:p&gt;防汛&amp;应急]]&gt;预案</dc:title>"));
}

/// The document of one small plan, one element per line.
#[test]
fn document_xml_of_a_small_plan() {
    let repo = root().join("tests/realistic");
    let out = export(&["jw-onsite-elevator", s(&repo)]);
    let doc = part(
        &out.path().join("jw-onsite-elevator.docx"),
        "word/document.xml",
    );
    let mut shown = String::new();
    for piece in doc.split_inclusive('>') {
        if ["<w:p>", "<w:tbl>", "<w:tr>", "<w:sectPr>", "</w:body>"]
            .iter()
            .any(|t| piece.starts_with(t))
        {
            shown.push('\n');
        }
        shown.push_str(piece);
    }
    insta::assert_snapshot!(shown);
}
