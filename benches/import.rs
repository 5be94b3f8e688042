//! `yuan import` benchmark (issue 17: "importing a 150-page plan takes under 1 s").
//!
//! Builds, in memory, a .docx of about 150 A4 pages as a whole enterprise plan is written
//! (`YUAN_BENCH_PAGES`, default 150): a cover with its labels, a TOC field, then parts of
//! chapters whose headings use every kind of evidence (heading styles, automatic numbering
//! from numbering.xml, typed numbers in 黑体), body paragraphs of about 120 characters (about
//! 20 per page, 仿宋 三号 fits 22 lines of 28 characters), bullet lists, a footnote per part and
//! a contact table with merged cells every few pages. Then `yuan::import` runs on it
//! `YUAN_BENCH_ROUNDS` times (default 7), split and not split; the median is reported with the
//! fastest and slowest. Writing the files is not timed (the same `OutDir` as every output).
//!
//! Run: `cargo bench --bench import`. The machine is shared and noisy: read medians.

use std::io::Write as _;
use std::time::Instant;
use yuan::import::{import_for_bench, Options};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn p(text: &str, ppr: &str, rpr: &str) -> String {
    format!(
        "<w:p><w:pPr>{ppr}</w:pPr><w:r><w:rPr>{rpr}</w:rPr><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"
    )
}

const SENTENCE: &str = "事故发生后，现场人员应立即向值班长报告事故发生的时间、地点、介质、影响范围和已采取的措施，值班长接报后按照响应分级启动相应级别的应急响应，并通知应急指挥部各成员按职责赶赴现场开展处置工作，";

fn body_paragraph(n: usize) -> String {
    let mut t = String::new();
    while t.chars().count() < 110 {
        t.push_str(SENTENCE);
    }
    let t: String = t.chars().take(110 + n % 20).collect();
    p(
        &format!("{t}。"),
        "",
        "<w:rFonts w:eastAsia=\"仿宋_GB2312\"/><w:sz w:val=\"32\"/>",
    )
}

fn cell(text: &str, tcpr: &str) -> String {
    format!("<w:tc><w:tcPr>{tcpr}</w:tcPr>{}</w:tc>", p(text, "", ""))
}

fn contact_table(n: usize) -> String {
    let mut rows = format!(
        "<w:tr>{}</w:tr><w:tr>{}{}{}{}</w:tr>",
        cell("应急通讯录", "<w:gridSpan w:val=\"4\"/>"),
        cell("小组", ""),
        cell("职务", ""),
        cell("姓名", ""),
        cell("手机", "")
    );
    for r in 0..12 {
        let merge = if r % 3 == 0 {
            "<w:vMerge w:val=\"restart\"/>"
        } else {
            "<w:vMerge/>"
        };
        rows.push_str(&format!(
            "<w:tr>{}{}{}{}</w:tr>",
            cell(if r % 3 == 0 { "抢险组" } else { "" }, merge),
            cell("组员", ""),
            cell(&format!("成员{n}-{r}"), ""),
            cell(&format!("139{:08}", n * 100 + r), "")
        ));
    }
    format!("<w:tbl>{rows}</w:tbl>")
}

/// A whole plan of about `pages` pages: (document.xml, styles.xml, numbering.xml).
fn plan(pages: usize) -> (String, String, String) {
    let mut body = String::new();
    body.push_str(&p(
        "青溪恒达化工有限公司生产安全事故应急预案",
        "<w:jc w:val=\"center\"/>",
        "",
    ));
    for label in [
        "预案编号：HD-YA-2026-01",
        "版本号：2026.1",
        "编制单位：青溪恒达化工有限公司",
        "发布日期：2026年3月20日",
        "实施日期：2026年4月1日",
    ] {
        body.push_str(&p(label, "", ""));
    }
    body.push_str("<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> TOC \\o \"1-3\" </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1 总则</w:t></w:r><w:r><w:tab/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>");
    let parts = [
        "第一部分 综合应急预案",
        "第二部分 火灾爆炸事故专项应急预案",
        "第三部分 危险化学品泄漏中毒事故专项应急预案",
        "第四部分 反应釜区火灾现场处置方案",
        "第五部分 储罐区泄漏现场处置方案",
    ];
    let per_part = pages.div_ceil(parts.len());
    let mut n = 0;
    for (k, part) in parts.iter().enumerate() {
        body.push_str(&p(part, "<w:pStyle w:val=\"1\"/>", ""));
        for page in 0..per_part {
            // a chapter every 5 pages (automatic numbering), a section every page (style),
            // a typed heading in 黑体 every other page
            if page % 5 == 0 {
                body.push_str(&p(
                    "应急响应",
                    "<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr>",
                    "<w:b/>",
                ));
            }
            body.push_str(&p(
                &format!("{}.{} 处置措施", page / 5 + 1, page % 5 + 1),
                "<w:pStyle w:val=\"3\"/>",
                "",
            ));
            if page % 2 == 0 {
                body.push_str(&p(
                    "（一）信息报告",
                    "",
                    "<w:rFonts w:eastAsia=\"黑体\"/><w:sz w:val=\"32\"/>",
                ));
            }
            for _ in 0..16 {
                n += 1;
                body.push_str(&body_paragraph(n));
            }
            for item in ["立即切断物料来源；", "设置警戒区；", "组织人员疏散。"]
            {
                body.push_str(&p(
                    item,
                    "<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"2\"/></w:numPr>",
                    "",
                ));
            }
            if page % 6 == 5 {
                body.push_str(&contact_table(k * 1000 + page));
            }
        }
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"{W}\"><w:body>{body}</w:body></w:document>"
    );
    let styles = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:styles xmlns:w=\"{W}\">\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"a\"><w:name w:val=\"Normal\"/><w:rPr><w:rFonts w:eastAsia=\"仿宋_GB2312\"/><w:sz w:val=\"32\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"a\"/></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"3\"><w:name w:val=\"标题 3\"/><w:basedOn w:val=\"a\"/></w:style>\
         </w:styles>"
    );
    let numbering = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:numbering xmlns:w=\"{W}\">\
         <w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"第%1章\"/></w:lvl></w:abstractNum>\
         <w:abstractNum w:abstractNumId=\"1\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"●\"/></w:lvl></w:abstractNum>\
         <w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num><w:num w:numId=\"2\"><w:abstractNumId w:val=\"1\"/></w:num></w:numbering>"
    );
    (document, styles, numbering)
}

fn docx(pages: usize) -> Vec<u8> {
    let (document, styles, numbering) = plan(pages);
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, text) in [
            ("word/document.xml", &document),
            ("word/styles.xml", &styles),
            ("word/numbering.xml", &numbering),
        ] {
            z.start_file(name, opts).expect("zip entry");
            z.write_all(text.as_bytes()).expect("zip write");
        }
        z.finish().expect("zip");
    }
    buf.into_inner()
}

fn main() {
    let pages = env("YUAN_BENCH_PAGES", 150);
    let rounds = env("YUAN_BENCH_ROUNDS", 7).max(1);
    let bytes = docx(pages);
    println!(
        "import: a {pages}-page plan, {} KiB as .docx",
        bytes.len() / 1024
    );
    for split in [false, true] {
        let opts = Options {
            kind: None,
            id: Some("hd".into()),
            enterprise: None,
            jurisdiction: None,
            split,
            today: chrono::NaiveDate::from_ymd_opt(2026, 12, 6).expect("date"),
            new_repository: true,
            known: Default::default(),
        };
        let mut times = Vec::with_capacity(rounds);
        let mut last = (0, 0, 0);
        for _ in 0..rounds {
            let t = Instant::now();
            last = import_for_bench("plan.docx", &bytes, &opts).expect("imports");
            times.push(t.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        let (docs, headings, entries) = last;
        println!(
            "  split {}: median {:.3} s (fastest {:.3} s, slowest {:.3} s): {docs} documents, {headings} headings, {entries} registry entries",
            if split { "auto" } else { "none" },
            times[times.len() / 2],
            times[0],
            times[times.len() - 1]
        );
    }
}
