//! Front matter from the text (import stage): the recovered paragraphs of a plan's cover,
//! approval page and first pages -> its title, 预案编号, 版本号, issuing body, dates, kind and
//! hazards, each with the paragraph it came from.
//!
//! Published plans say these in a few fixed ways: labels on the cover (`预案编号：`, `版本号：`,
//! `编制单位：`, `发布日期：`, `实施日期：`), the notice that issues a government plan (`关于印发
//! XX应急预案的通知`), the sentence `本预案自2024年7月1日起施行`, and a date alone on the cover
//! (`二〇二四年六月`: a month only). Dates are read in every form (`2024年6月20日`, Chinese
//! numerals with 〇, full-width digits, month only) into [`Date`] through
//! [`crate::model::date::suggest`]. The kind comes from the title (总体/综合/专项/现场处置方案,
//! an enterprise's name), the hazards from the title through the built-in vocabulary
//! ([`crate::model::hazards`]). Nothing is invented: what the text does not say is left `None`
//! and becomes a placeholder the report lists.

use super::structure::{Item, Recovered};
use crate::model::date::{self, Date};
use crate::model::meta::{Kind, Level};
use regex::Regex;
use std::sync::LazyLock;

/// A value with the paragraph it came from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found<T> {
    pub(crate) value: T,
    /// 1-based paragraph of the source (line of a text file).
    pub(crate) para: usize,
    /// The paragraph's text (shortened).
    pub(crate) quote: String,
}

/// What the text says of the plan.
#[derive(Debug, Clone, Default)]
pub(crate) struct Front {
    pub(crate) title: Option<Found<String>>,
    pub(crate) plan_no: Option<Found<String>>,
    pub(crate) version: Option<Found<String>>,
    /// The issuing body's name.
    pub(crate) issuer: Option<Found<String>>,
    /// The issuer was not named: it is the government of the place the title names (a
    /// county's plan is the county government's).
    pub(crate) issuer_guessed: bool,
    pub(crate) issued: Option<Found<Date>>,
    pub(crate) effective: Option<Found<Date>>,
    /// Paragraphs used up by the front matter (cover lines), left out of the body.
    pub(crate) used: Vec<usize>,
}

/// A date as plans write it.
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"([0-9〇○零一二三四五六七八九]{4})\s*年\s*([0-9一二三四五六七八九十]{1,3})\s*月",
        r"(?:\s*([0-9一二三四五六七八九十]{1,3})\s*[日号])?",
        r"|([0-9]{4})[-./]([0-9]{1,2})(?:[-./]([0-9]{1,2}))?"
    ))
    .expect("static regex")
});

static LABELS: LazyLock<[(Field, Regex); 6]> = LazyLock::new(|| {
    let re = |s: &str| Regex::new(s).expect("static regex");
    [
        (
            Field::PlanNo,
            re(
                r"(?:预案编号|预案编码|文件编号|编\s*号)\s*[:：]\s*([A-Za-z0-9][A-Za-z0-9〔〕\[\]（）()\-_/．.]*)",
            ),
        ),
        (
            Field::Version,
            re(
                r"(?:版\s*本\s*号?|版\s*次)\s*[:：]\s*([A-Za-z0-9第][A-Za-z0-9._\-版次一二三四五六七八九十]*)",
            ),
        ),
        (
            Field::Issuer,
            re(r"(?:编制单位|发布单位|印发单位|制定单位|颁布单位)\s*[:：]\s*(\S{2,40})"),
        ),
        (
            Field::Issued,
            re(r"(?:发布|印发|颁布|签发|批准)(?:日期|时间)\s*[:：]\s*(.+)"),
        ),
        (
            Field::Effective,
            re(r"(?:实施|施行|生效|执行)(?:日期|时间)\s*[:：]\s*(.+)"),
        ),
        (
            Field::Effective,
            re(r"(?:本预案|本方案)?自\s*(.{2,20}?)\s*起(?:施行|实施|执行|生效)"),
        ),
    ]
});

#[derive(Debug, Clone, Copy, PartialEq)]
enum Field {
    PlanNo,
    Version,
    Issuer,
    Issued,
    Effective,
}

/// The notice that issues a government plan: `关于印发《XX应急预案》的通知`.
static NOTICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"关于印发《?(.{4,60}?(?:预案|处置方案))》?的通知").expect("static regex")
});

/// An organisation's name at the start of a title: the issuing body.
static ORG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(.{2,30}?(?:有限责任公司|股份有限公司|有限公司|集团|公司|人民政府|委员会|管理局|",
        r"应急管理局|厅|局|厂|医院|学校|学院|大学|中心|矿|站))"
    ))
    .expect("static regex")
});

/// One place name of an administrative division at the start of a name (`湘江省`, `云州市`,
/// `青溪县`, `河口镇`); several follow each other (`青溪县河口镇`).
static PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[^\s，。、（(]{1,8}?(?:自治区|自治州|自治县|省|市|县|区|旗|街道|镇|乡)")
        .expect("static regex")
});

/// Shortened for the report.
pub(crate) fn quote(t: &str) -> String {
    let mut s: String = t.chars().take(40).collect();
    if t.chars().count() > 40 {
        s.push('…');
    }
    s
}

/// Reads a date in any of the forms plans use: `2024年6月20日`, `二〇二四年六月`, `2024-06-20`,
/// `2024.6`; full-width digits too.
pub(crate) fn read_date(text: &str) -> Option<Date> {
    let t: String = text
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect();
    let m = DATE.find(&t)?;
    let s = m.as_str().replace(char::is_whitespace, "");
    Date::parse(&s).or_else(|| date::suggest(&s).and_then(|d| Date::parse(&d)))
}

/// The texts of the recovered body with their paragraphs, tables' label cells included
/// (`| 预案编号 | HD-YA-2026-01 |` reads as `预案编号：HD-YA-2026-01`).
fn texts(r: &Recovered) -> Vec<(usize, String, bool)> {
    let mut out = Vec::new();
    let mut first_heading = true;
    for item in &r.items {
        match item {
            Item::Heading { para, text, .. } => {
                first_heading = false;
                out.push((*para, text.clone(), false));
            }
            Item::Text { para, text } => out.push((*para, text.clone(), first_heading)),
            Item::Table { lines, .. } if first_heading => {
                for l in lines {
                    let cells: Vec<&str> =
                        l.trim_matches('|').split(" | ").map(str::trim).collect();
                    for pair in cells.chunks(2) {
                        if let [k, v] = pair {
                            out.push((0, format!("{k}：{v}"), true));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// What the text says (see the module documentation).
pub(crate) fn read(r: &Recovered) -> Front {
    let mut f = Front::default();
    let texts = texts(r);
    // title: the title style, the notice, a cover line naming a plan, the first heading that does
    for (para, text) in &r.titled {
        if names_plan(text) {
            f.title = Some(found(text.clone(), *para, text));
            f.used.push(*para);
            break;
        }
    }
    if f.title.is_none() {
        for (para, text, front) in texts.iter().take(400) {
            if let Some(c) = NOTICE.captures(text) {
                f.title = Some(found(c[1].to_string(), *para, text));
                break;
            }
            if *front && names_plan(text) && text.chars().count() <= 60 && !text.contains('《') {
                let mut title = text.replace(char::is_whitespace, "");
                f.used.push(*para);
                // the organisation on the line before, as covers print it
                if let Some((p, prev, _)) = texts
                    .iter()
                    .take_while(|(p, _, _)| p < para)
                    .filter(|(_, _, front)| *front)
                    .last()
                {
                    let prev = prev.replace(char::is_whitespace, "");
                    if ORG.is_match(&prev)
                        && ORG
                            .captures(&prev)
                            .is_some_and(|c| c[1].len() == prev.len())
                        && !title.contains(&prev)
                    {
                        title = format!("{prev}{title}");
                        f.used.push(*p);
                    }
                }
                f.title = Some(found(title, *para, text));
                break;
            }
        }
    }
    // 自印发之日起施行: effective when issued, once the issue date is known
    let mut when_issued: Option<(usize, String)> = None;
    for (para, text, front) in texts.iter().take(2_000) {
        for (field, re) in LABELS.iter() {
            let Some(c) = re.captures(text) else { continue };
            let value = c[1].trim().to_string();
            let on_cover = *front && text.chars().count() <= 60;
            match field {
                Field::PlanNo if f.plan_no.is_none() => {
                    f.plan_no = Some(found(value, *para, text));
                }
                Field::Version if f.version.is_none() => {
                    let v = value.trim_start_matches(['V', 'v']).to_string();
                    f.version = Some(found(if v.is_empty() { value } else { v }, *para, text));
                }
                Field::Issuer if f.issuer.is_none() => {
                    f.issuer = Some(found(value, *para, text));
                }
                Field::Issued if f.issued.is_none() => {
                    if let Some(d) = read_date(&value) {
                        f.issued = Some(found(d, *para, text));
                    }
                }
                Field::Effective if f.effective.is_none() => {
                    if let Some(d) = read_date(&value) {
                        f.effective = Some(found(d, *para, text));
                    } else if value.contains("之日") && when_issued.is_none() {
                        when_issued = Some((*para, quote(text)));
                    }
                }
                _ => continue,
            }
            if on_cover && *para > 0 {
                f.used.push(*para);
            }
        }
    }
    // a date alone on the cover or under the issuing notice: the issue date
    if f.issued.is_none() {
        if let Some((para, text, _)) = texts.iter().take(400).find(|(_, t, front)| {
            *front
                && t.chars().count() <= 16
                && DATE.find(t).is_some_and(|m| m.len() + 4 >= t.len())
        }) {
            if let Some(d) = read_date(text) {
                f.issued = Some(found(d, *para, text));
                f.used.push(*para);
            }
        }
    }
    if let (None, Some((para, quote))) = (&f.effective, when_issued) {
        f.effective = f.issued.clone().map(|i| Found { para, quote, ..i });
    }
    // the issuing body alone on a line of the cover (`青溪县人民政府`)
    if f.issuer.is_none() {
        if let Some((para, text, _)) = texts
            .iter()
            .take(400)
            .find(|(_, t, front)| *front && t.chars().count() <= 40 && cover_org(t).is_some())
        {
            let org = cover_org(text).unwrap_or_default();
            f.issuer = Some(found(org, *para, text));
            f.used.push(*para);
        }
    }
    if f.issuer.is_none() {
        if let Some(t) = &f.title {
            if let Some(c) = ORG.captures(&t.value) {
                f.issuer = Some(Found {
                    value: c[1].to_string(),
                    para: t.para,
                    quote: t.quote.clone(),
                });
            }
        }
    }
    if f.issuer.is_none() {
        if let Some(t) = &f.title {
            if let Some((place, level)) = place_of(&t.value) {
                if level != Level::National && !is_enterprise(&t.value) {
                    f.issuer = Some(Found {
                        value: format!("{place}人民政府"),
                        para: t.para,
                        quote: t.quote.clone(),
                    });
                    f.issuer_guessed = true;
                }
            }
        }
    }
    f.used.sort_unstable();
    f.used.dedup();
    f
}

/// An organisation's name alone on a line (`青溪县人民政府`); the office that prints a
/// government's notice (`青溪县人民政府办公室`) stands for the government.
fn cover_org(line: &str) -> Option<String> {
    let t = line.trim();
    let c = ORG.captures(t)?;
    let org = &c[1];
    let rest = &t[org.len()..];
    (rest.is_empty() || (org.ends_with("人民政府") && matches!(rest, "办公室" | "办公厅")))
        .then(|| org.to_string())
}

fn found<T>(value: T, para: usize, text: &str) -> Found<T> {
    Found {
        value,
        para,
        quote: quote(text),
    }
}

/// Whether a line names a plan: it ends in 预案 or 方案 (a title, not a sentence about one).
pub(crate) fn names_plan(text: &str) -> bool {
    let t = text.trim().trim_end_matches(['）', ')']);
    let t = t.split(['（', '(']).next().unwrap_or(t).trim();
    (t.ends_with("预案") || t.ends_with("方案")) && !t.contains('，') && !t.contains('。')
}

/// The kind a title says, with the reason; `enterprise` when the issuer is an enterprise.
pub(crate) fn kind_of(title: &str, enterprise: bool, hazards: bool) -> (Kind, &'static str) {
    if title.contains("现场处置方案") || title.ends_with("处置方案") {
        (
            Kind::Onsite,
            "标题含“现场处置方案” / the title says 现场处置方案",
        )
    } else if title.contains("综合应急预案") {
        (
            Kind::Comprehensive,
            "标题含“综合应急预案” / the title says 综合应急预案",
        )
    } else if title.contains("总体应急预案") {
        (
            Kind::Overall,
            "标题含“总体应急预案” / the title says 总体应急预案",
        )
    } else if title.contains("专项应急预案") {
        (
            Kind::Special,
            "标题含“专项应急预案” / the title says 专项应急预案",
        )
    } else if title.contains("部门应急预案") {
        (
            Kind::Department,
            "标题含“部门应急预案” / the title says 部门应急预案",
        )
    } else if title.contains("联合应急预案") {
        (
            Kind::Joint,
            "标题含“联合应急预案” / the title says 联合应急预案",
        )
    } else if enterprise {
        (
            Kind::Comprehensive,
            "企业的应急预案（综合应急预案为其总纲） / an enterprise's plan (its comprehensive plan leads it)",
        )
    } else if department_issued(title) {
        (
            Kind::Department,
            "政府部门印发（标题以部门名称开头） / issued by a government department (the title starts with its name)",
        )
    } else if hazards || names_event(title) {
        (
            Kind::Special,
            "政府预案，标题中有灾种 / a government plan whose title names a hazard",
        )
    } else {
        (
            Kind::Overall,
            "政府预案，标题中没有灾种 / a government plan whose title names no hazard",
        )
    }
}

/// Whether a title starts with a government department's name (`青溪县自然资源局…`,
/// `云州市卫生健康委员会…`): a department's plan.
fn department_issued(title: &str) -> bool {
    ORG.captures(title).is_some_and(|c| {
        let org = &c[1];
        ["局", "委员会", "厅", "办公室", "中心"]
            .iter()
            .any(|s| org.ends_with(s))
            && !org.contains("人民政府")
    })
}

/// Whether a government plan's title names one kind of event (`食品安全事故应急预案`,
/// `重污染天气应急预案` is caught by its hazard), not 突发事件 as a whole (an overall plan).
fn names_event(title: &str) -> bool {
    let t = title.trim_end_matches("应急预案");
    let whole = t.ends_with("突发事件") || t.ends_with("突发公共事件");
    !whole
        && ["事故", "事件", "灾害", "灾难", "疫情"]
            .iter()
            .any(|e| t.ends_with(e))
}

/// The event a special plan's title names when the vocabulary does not know it
/// (`青溪县食品安全事故应急预案` → 食品安全事故): the title without its place, 专项 and 应急预案.
pub(crate) fn event_of(title: &str) -> Option<String> {
    let t = title.trim_end_matches("应急预案").trim_end_matches("专项");
    let t = match place_of(t) {
        Some((place, _)) => t.strip_prefix(place.as_str()).unwrap_or(t),
        None => t,
    };
    (t.chars().count() >= 2 && names_event(title)).then(|| t.to_string())
}

/// Whether an organisation's name is an enterprise's.
pub(crate) fn is_enterprise(name: &str) -> bool {
    ["公司", "集团", "厂", "矿", "酒店", "宾馆", "商场"]
        .iter()
        .any(|k| name.contains(k))
}

/// The hazards a title names (built-in vocabulary), a longer name winning over one inside it
/// (森林火灾 over 火灾): (id, name as written).
pub(crate) fn hazards_of(title: &str) -> Vec<(String, String)> {
    let mut hits: Vec<(usize, usize, String, String)> = Vec::new();
    for h in crate::model::hazards::builtin() {
        for name in crate::model::hazards::names(&h) {
            if let Some(at) = title.find(name) {
                hits.push((at, at + name.len(), h.id.clone(), name.to_string()));
            }
        }
    }
    let kept: Vec<&(usize, usize, String, String)> = hits
        .iter()
        .filter(|a| {
            !hits
                .iter()
                .any(|b| b.2 != a.2 && b.0 <= a.0 && a.1 <= b.1 && (b.1 - b.0) > (a.1 - a.0))
        })
        .collect();
    let mut out: Vec<(usize, String, String)> = Vec::new();
    for (at, _, id, name) in kept {
        match out.iter_mut().find(|(_, i, _)| i == id) {
            Some(o) if o.0 > *at => *o = (*at, id.clone(), name.clone()),
            Some(_) => {}
            None => out.push((*at, id.clone(), name.clone())),
        }
    }
    out.sort();
    out.into_iter().map(|(_, id, name)| (id, name)).collect()
}

/// The place an organisation's name starts with, and its level (`青溪县人民政府` → 青溪县,
/// county); `None` for names without one.
pub(crate) fn place_of(name: &str) -> Option<(String, Level)> {
    if name.starts_with("国务院") || name.starts_with("国家") || name.starts_with("中共中央")
    {
        return Some(("中华人民共和国".into(), Level::National));
    }
    // the most specific division named: 青溪县河口镇 is a township of a county
    let mut place = String::new();
    let mut rest = name;
    while let Some(m) = PLACE.find(rest) {
        let part = m.as_str();
        // 化工园区, 风景区, 厂区: areas, not divisions
        if ["园区", "景区", "厂区", "矿区", "库区", "灾区", "工业区"]
            .iter()
            .any(|a| part.ends_with(a))
        {
            break;
        }
        place.push_str(part);
        rest = &rest[m.end()..];
    }
    if place.is_empty() {
        return None;
    }
    let level = if place.ends_with("自治区") || place.ends_with('省') {
        Level::Province
    } else if place.ends_with('市') || place.ends_with("自治州") {
        Level::City
    } else if place.ends_with('县') || place.ends_with('区') || place.ends_with('旗') {
        Level::County
    } else {
        Level::Township
    };
    Some((place, level))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_every_form() {
        let d = |s: &str| read_date(s).map(|d| d.to_string());
        assert_eq!(d("2024年6月20日").as_deref(), Some("2024-06-20"));
        assert_eq!(d("二〇二四年六月").as_deref(), Some("2024-06"));
        assert_eq!(d("二〇二四年六月二十日").as_deref(), Some("2024-06-20"));
        assert_eq!(
            d("发布日期：２０２４年１２月３１日").as_deref(),
            Some("2024-12-31")
        );
        assert_eq!(d("2024-6-5").as_deref(), Some("2024-06-05"));
        assert_eq!(d("2024.06").as_deref(), Some("2024-06"));
        assert_eq!(d("二〇二四年十三月"), None);
        assert_eq!(d("第三章"), None);
    }

    #[test]
    fn issuers_from_the_cover() {
        assert_eq!(
            cover_org("青溪县人民政府").as_deref(),
            Some("青溪县人民政府")
        );
        assert_eq!(
            cover_org("明溪县人民政府办公室").as_deref(),
            Some("明溪县人民政府")
        );
        assert_eq!(
            cover_org("青溪县自然资源局").as_deref(),
            Some("青溪县自然资源局")
        );
        assert_eq!(cover_org("青溪县人民政府关于印发"), None);
    }

    #[test]
    fn kinds_and_hazards_from_titles() {
        assert_eq!(
            kind_of("青溪县防汛抗旱应急预案", false, true).0,
            Kind::Special
        );
        assert_eq!(
            kind_of("青溪恒达化工有限公司生产安全事故应急预案", true, false).0,
            Kind::Comprehensive
        );
        assert_eq!(
            kind_of("反应釜区火灾现场处置方案", true, true).0,
            Kind::Onsite
        );
        assert_eq!(
            kind_of("青溪县突发事件总体应急预案", false, false).0,
            Kind::Overall
        );
        let ids = |t: &str| hazards_of(t).into_iter().map(|h| h.0).collect::<Vec<_>>();
        assert_eq!(ids("云州市森林火灾应急预案"), vec!["forest-fire"]);
        assert_eq!(ids("青溪县防汛抗旱应急预案"), vec!["flood", "drought"]);
        assert_eq!(ids("火灾爆炸事故专项应急预案"), vec!["fire", "explosion"]);
        assert!(ids("生产安全事故综合应急预案").is_empty());
        assert_eq!(
            kind_of("青溪县食品安全事故应急预案", false, false).0,
            Kind::Special
        );
        assert_eq!(
            kind_of("青溪县突发事件应急预案", false, false).0,
            Kind::Overall
        );
        assert_eq!(
            event_of("青溪县食品安全事故应急预案").as_deref(),
            Some("食品安全事故")
        );
        assert_eq!(
            place_of("青溪县人民政府"),
            Some(("青溪县".into(), Level::County))
        );
        assert_eq!(place_of("恒达化工有限公司"), None);
        assert_eq!(
            place_of("青溪县河口镇人民政府"),
            Some(("青溪县河口镇".into(), Level::Township))
        );
        assert_eq!(
            place_of("云州市化工园区管委会"),
            Some(("云州市".into(), Level::City))
        );
        assert_eq!(
            kind_of("青溪县自然资源局地质灾害应急预案", false, true).0,
            Kind::Department
        );
    }
}
