//! Automatic numbering (import stage): `numbering.xml` -> the number a reader sees before each
//! numbered paragraph.
//!
//! In a Word document the `第一章` or `（三）` in front of a heading is usually not in the text:
//! the paragraph names a list (`w:numId`) and a level (`w:ilvl`), and `numbering.xml` gives the
//! level's text (`第%1章`, `%1、`, `（%1）`, `%1.%2`), its number format (`chineseCounting` 一二三,
//! `decimal`, `decimalEnclosedCircle` ①, `ideographTraditional` 甲乙丙 …) and start. Counting as
//! Word does (a level restarts when a level above it advances; the lists of one abstract
//! definition continue each other unless a `startOverride` restarts one) gives the number back,
//! so the import keeps what it means: the label, and its level text as evidence.

use super::xml::{attr, Events};
use quick_xml::events::Event;
use std::collections::HashMap;

/// One level of an abstract numbering definition.
#[derive(Debug, Clone, Default)]
pub(crate) struct Level {
    pub(crate) start: u32,
    /// `w:numFmt`: decimal, chineseCounting, bullet …
    pub(crate) format: String,
    /// `w:lvlText`: `第%1章`, `（%1）`, `%1.%2`.
    pub(crate) text: String,
    /// `w:isLgl`: every number of the text in decimal (`1.2.1` under `第一章`).
    pub(crate) legal: bool,
}

/// A list instance (`w:num`): its abstract definition and the levels it restarts.
#[derive(Debug, Clone, Default)]
struct Num {
    abstract_id: String,
    overrides: Vec<(u8, u32)>,
}

/// The definitions of `numbering.xml`.
#[derive(Debug, Default)]
pub(crate) struct Numbering {
    abstracts: HashMap<String, Vec<Level>>,
    nums: HashMap<String, Num>,
}

/// The number a reader sees, with the definition it came from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Label {
    /// `第一章`, `（三）`, `2.1`; empty for format `none`.
    pub(crate) text: String,
    /// The level text of the definition (`第%1章`).
    pub(crate) pattern: String,
    pub(crate) format: String,
    /// A bullet, not a number.
    pub(crate) bullet: bool,
}

/// Reads `numbering.xml`; broken XML gives what was read before the break.
pub(crate) fn parse(xml: &str) -> Numbering {
    let mut n = Numbering::default();
    let mut ev = Events::new(xml);
    let mut abstract_id: Option<String> = None;
    let mut levels: Vec<Level> = Vec::new();
    let mut level: Option<(usize, Level)> = None;
    let mut num: Option<(String, Num)> = None;
    let mut override_level: Option<u8> = None;
    while let Some(e) = ev.next() {
        match e {
            Event::Start(s) | Event::Empty(s) => match s.local_name().as_ref() {
                b"abstractNum" => {
                    abstract_id = attr(&s, b"abstractNumId");
                    levels.clear();
                }
                b"lvl" if num.is_none() => {
                    let i = attr(&s, b"ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                    level = Some((
                        usize::min(i, 8),
                        Level {
                            start: 1,
                            ..Level::default()
                        },
                    ));
                }
                b"start" => {
                    if let Some((_, l)) = &mut level {
                        l.start = attr(&s, b"val").and_then(|v| v.parse().ok()).unwrap_or(1);
                    }
                }
                b"numFmt" => {
                    if let Some((_, l)) = &mut level {
                        l.format = attr(&s, b"val").unwrap_or_default();
                    }
                }
                b"isLgl" => {
                    if let Some((_, l)) = &mut level {
                        l.legal = super::styles::on(&s);
                    }
                }
                b"lvlText" => {
                    if let Some((_, l)) = &mut level {
                        l.text = attr(&s, b"val").unwrap_or_default();
                    }
                }
                b"num" => {
                    if let Some(id) = attr(&s, b"numId") {
                        num = Some((id, Num::default()));
                    }
                }
                b"abstractNumId" => {
                    if let Some((_, m)) = &mut num {
                        m.abstract_id = attr(&s, b"val").unwrap_or_default();
                    }
                }
                b"lvlOverride" => {
                    override_level = attr(&s, b"ilvl").and_then(|v| v.parse().ok());
                }
                b"startOverride" => {
                    if let (Some((_, m)), Some(l)) = (&mut num, override_level) {
                        let start = attr(&s, b"val").and_then(|v| v.parse().ok()).unwrap_or(1);
                        m.overrides.push((l, start));
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"lvl" => {
                    if let Some((i, l)) = level.take() {
                        if levels.len() <= i {
                            levels.resize(i + 1, Level::default());
                        }
                        levels[i] = l;
                    }
                }
                b"abstractNum" => {
                    if let Some(id) = abstract_id.take() {
                        n.abstracts.insert(id, std::mem::take(&mut levels));
                    }
                }
                b"num" => {
                    if let Some((id, m)) = num.take() {
                        n.nums.insert(id, m);
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    n
}

/// Counts the numbered paragraphs of one document in order.
#[derive(Debug, Default)]
pub(crate) struct Counter {
    /// abstract id -> the current number of each level (0: not yet used).
    counts: HashMap<String, [u32; 9]>,
    /// list instances already started (their overrides applied).
    started: std::collections::HashSet<String>,
}

impl Counter {
    /// The label of the next paragraph of list `num_id` at level `ilvl`; `None` when the list or
    /// level is not defined (`numId` 0 means "no numbering").
    pub(crate) fn next(&mut self, defs: &Numbering, num_id: &str, ilvl: u8) -> Option<Label> {
        let num = defs.nums.get(num_id)?;
        let levels = defs.abstracts.get(&num.abstract_id)?;
        let i = usize::from(ilvl.min(8));
        let def = levels.get(i)?;
        let counts = self.counts.entry(num.abstract_id.clone()).or_insert([0; 9]);
        if self.started.insert(num_id.to_string()) {
            for (l, start) in &num.overrides {
                let l = usize::from((*l).min(8));
                counts[l] = start.saturating_sub(1);
                for c in counts.iter_mut().skip(l + 1) {
                    *c = 0;
                }
            }
        }
        counts[i] = if counts[i] == 0 {
            let start = num
                .overrides
                .iter()
                .find(|(l, _)| usize::from(*l) == i)
                .map_or(def.start, |(_, s)| *s);
            start.max(1)
        } else {
            counts[i].saturating_add(1)
        };
        for c in counts.iter_mut().skip(i + 1) {
            *c = 0;
        }
        let bullet = def.format == "bullet";
        let mut text = String::new();
        if bullet {
            text.push('•');
        } else {
            let mut chars = def.text.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '%' {
                    if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                        chars.next();
                        let l = (d as usize).saturating_sub(1).min(8);
                        let fmt = if def.legal {
                            "decimal"
                        } else {
                            levels.get(l).map_or("decimal", |x| x.format.as_str())
                        };
                        // a level above that has not counted yet shows its start
                        let n = if counts[l] == 0 {
                            levels.get(l).map_or(1, |x| x.start.max(1))
                        } else {
                            counts[l]
                        };
                        text.push_str(&format_number(n, fmt));
                        continue;
                    }
                }
                text.push(c);
            }
        }
        Some(Label {
            text,
            pattern: def.text.clone(),
            format: def.format.clone(),
            bullet,
        })
    }
}

/// `n` in the number format `fmt` (unknown formats: decimal).
pub(crate) fn format_number(n: u32, fmt: &str) -> String {
    const CIRCLED: &str = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳";
    const STEMS: &str = "甲乙丙丁戊己庚辛壬癸";
    match fmt {
        "chineseCounting"
        | "chineseCountingThousand"
        | "ideographDigital"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand" => chinese(n, false),
        "chineseLegalSimplified" | "ideographLegalTraditional" => chinese(n, true),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" | "ideographEnclosedCircle" => {
            CIRCLED
                .chars()
                .nth((n as usize).wrapping_sub(1))
                .map_or_else(|| n.to_string(), String::from)
        }
        "ideographTraditional" => STEMS
            .chars()
            .nth((n as usize).wrapping_sub(1))
            .map_or_else(|| n.to_string(), String::from),
        "decimalZero" => format!("{n:02}"),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .filter_map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32))
            .collect(),
        "upperLetter" | "lowerLetter" => {
            let base = if fmt == "upperLetter" { b'A' } else { b'a' };
            let k = n.saturating_sub(1);
            let c = char::from(base + (k % 26) as u8);
            std::iter::repeat_n(c, (k / 26 + 1) as usize).collect()
        }
        "upperRoman" => roman(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "none" => String::new(),
        _ => n.to_string(),
    }
}

/// 一 … 十, 十一, 二十, 一百零五, 一千二百; capitals (壹贰叁拾佰仟) for `legal`.
fn chinese(n: u32, legal: bool) -> String {
    let (digits, units): (Vec<char>, [char; 3]) = if legal {
        ("零壹贰叁肆伍陆柒捌玖".chars().collect(), ['拾', '佰', '仟'])
    } else {
        ("零一二三四五六七八九".chars().collect(), ['十', '百', '千'])
    };
    if n == 0 || n > 9999 {
        return n.to_string();
    }
    let parts = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let unit = [Some(units[2]), Some(units[1]), Some(units[0]), None];
    let mut s = String::new();
    let mut zero = false;
    for (i, d) in parts.iter().enumerate() {
        if *d == 0 {
            zero = !s.is_empty();
            continue;
        }
        if zero {
            s.push(digits[0]);
            zero = false;
        }
        // 十一, not 一十一, when the number starts at the tens
        if !(i == 2 && *d == 1 && s.is_empty() && !legal) {
            s.push(digits[*d as usize]);
        }
        if let Some(u) = unit[i] {
            s.push(u);
        }
    }
    s
}

fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = r#"<w:numbering xmlns:w="w">
      <w:abstractNum w:abstractNumId="0">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1章"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:isLgl/><w:lvlText w:val="%1.%2.%3"/></w:lvl>
        <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%4"/></w:lvl>
      </w:abstractNum>
      <w:abstractNum w:abstractNumId="1">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="●"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
      <w:num w:numId="3"><w:abstractNumId w:val="0"/>
        <w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
    </w:numbering>"#;

    #[test]
    fn numbers_count_as_word_counts_them() {
        let defs = parse(XML);
        let mut c = Counter::default();
        let mut next = |num: &str, l: u8| c.next(&defs, num, l).map(|l| l.text);
        assert_eq!(next("1", 0).as_deref(), Some("第一章"));
        assert_eq!(next("1", 1).as_deref(), Some("（一）"));
        assert_eq!(next("1", 1).as_deref(), Some("（二）"));
        assert_eq!(next("1", 2).as_deref(), Some("1.2.1"));
        // without isLgl a number keeps its level's format, as Word draws it
        assert_eq!(next("1", 3).as_deref(), Some("一.1"));
        assert_eq!(next("1", 0).as_deref(), Some("第二章"));
        assert_eq!(next("1", 1).as_deref(), Some("（一）"));
        assert_eq!(next("2", 0).as_deref(), Some("•"));
        assert_eq!(next("3", 0).as_deref(), Some("第五章"));
        assert_eq!(next("9", 0), None);
    }

    #[test]
    fn number_formats() {
        assert_eq!(format_number(10, "chineseCounting"), "十");
        assert_eq!(format_number(11, "chineseCounting"), "十一");
        assert_eq!(format_number(20, "chineseCounting"), "二十");
        assert_eq!(format_number(105, "chineseCounting"), "一百零五");
        assert_eq!(format_number(3, "chineseLegalSimplified"), "叁");
        assert_eq!(format_number(2, "ideographTraditional"), "乙");
        assert_eq!(format_number(3, "decimalEnclosedCircle"), "③");
        assert_eq!(format_number(4, "upperRoman"), "IV");
        assert_eq!(format_number(28, "lowerLetter"), "bb");
        assert_eq!(format_number(7, "decimalFullWidth"), "７");
    }
}
