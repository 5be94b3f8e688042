//! What a card says (generator stage, cards): takes a card's front matter and the registries,
//! gives a [`CardView`] with every id resolved to the words an operator reads (role names, but
//! not the card's own post; contacts as "title name" for a person; phone numbers; the hazard's
//! name; the plan's version) and the QR payload (`[cards] url`, else `tel:` the enterprise's
//! emergency line, which a phone can dial without a server).
//!
//! Everything printed is collected here with the YAML path it came from, so a character the
//! font cannot draw is reported at the exact line of the plan file (G901).

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::model::meta::CardMeta;
use crate::model::registry::PhoneType;
use crate::model::{Corpus, Document};
use crate::render::font::Fonts;
use crate::text;
use chrono::{Months, NaiveDate};
use serde::Serialize;

/// One step as printed.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StepView {
    /// 1-based.
    pub(crate) n: usize,
    pub(crate) action: String,
    /// Name of the responsible role (or the id when the registry lacks it).
    pub(crate) who: Option<String>,
    pub(crate) values: Vec<String>,
    /// The plan heading this step comes from.
    pub(crate) clause: Option<String>,
    /// (yes, no) target steps of a decision.
    pub(crate) decision: Option<(usize, usize)>,
}

/// A number to call, with what it is.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Phone {
    pub(crate) label: String,
    pub(crate) number: String,
}

/// A card ready to lay out.
#[derive(Debug, Clone, Serialize)]
pub struct CardView {
    pub(crate) id: String,
    /// Path of the card file, relative to the repository.
    pub(crate) path: String,
    pub(crate) title: String,
    pub(crate) enterprise: String,
    pub(crate) post: String,
    pub(crate) hazard: String,
    pub(crate) risk: String,
    pub(crate) steps: Vec<StepView>,
    pub(crate) cautions: Vec<String>,
    pub(crate) ppe: Vec<String>,
    /// report_to: whom to call, duty phones first.
    pub(crate) report_to: Vec<Phone>,
    /// 119, 120, 110 and the internal emergency numbers, printed large.
    pub(crate) emergency: Vec<Phone>,
    pub(crate) assembly_point: Option<String>,
    pub(crate) version: String,
    pub(crate) plan_id: String,
    pub(crate) plan_title: String,
    pub(crate) plan_version: String,
    pub(crate) effective: String,
    pub(crate) review_due: Option<NaiveDate>,
    /// Short commit id of the source, `+dirty` when the tree differs.
    pub(crate) source: String,
    /// What the QR code carries.
    pub qr: String,
    /// `qr` encoded (`None` when it is too long to encode).
    #[serde(skip)]
    pub(crate) qr_code: Option<crate::render::qr::Matrix>,
}

/// Labels of the national short numbers.
pub(crate) fn short_number_label(n: &str) -> Option<&'static str> {
    Some(match n {
        "119" => "火警",
        "120" => "急救",
        "110" => "报警",
        "122" => "交通事故",
        "12350" => "安全生产举报",
        "12369" => "环保举报",
        "12345" => "政务服务",
        _ => return None,
    })
}

/// Builds the view of the card document `doc`.
pub fn build(
    corpus: &Corpus,
    config: &Config,
    doc: &Document,
    card: &CardMeta,
    source: &str,
) -> CardView {
    let reg = &corpus.registry;
    let steps = card
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| StepView {
            n: i + 1,
            action: s.action.trim().to_string(),
            // the card's own post goes without saying: only another role is printed
            who: s
                .who
                .as_ref()
                .map(|w| {
                    reg.role(w)
                        .map(|r| r.name.clone())
                        .unwrap_or_else(|| w.to_string())
                })
                .filter(|name| !same_post(name, &card.post)),
            values: s.values.clone(),
            clause: s.clause.clone(),
            decision: s.decision.as_ref().map(|d| (d.yes as usize, d.no as usize)),
        })
        .collect();
    let mut report_to = Vec::new();
    for id in &card.report_to {
        let contact = reg
            .index
            .contacts
            .get(id)
            .and_then(|&i| reg.contacts.get(i))
            .map(|e| &e.item);
        match contact {
            Some(c) => {
                let phone = c
                    .phones
                    .iter()
                    .find(|p| p.phone_type == PhoneType::Duty)
                    .or_else(|| c.phones.iter().find(|p| p.phone_type != PhoneType::Fax));
                if let Some(p) = phone {
                    report_to.push(Phone {
                        label: contact_label(c, reg),
                        number: p.number.clone(),
                    });
                }
            }
            None => report_to.push(Phone {
                label: id.clone(),
                number: String::new(),
            }),
        }
    }
    let emergency: Vec<Phone> = card
        .emergency_numbers
        .iter()
        .map(|n| {
            let label = short_number_label(n)
                .map(String::from)
                .or_else(|| {
                    reg.contacts.iter().find_map(|e| {
                        e.item
                            .phones
                            .iter()
                            .any(|p| &p.number == n)
                            .then(|| contact_label(&e.item, reg))
                    })
                })
                .unwrap_or_else(|| "应急电话".into());
            Phone {
                label,
                number: n.to_string(),
            }
        })
        .collect();
    // the enterprise's 24-hour emergency line (`duty_contact` of its organisation) is in the
    // numbers block of every card, also when the card does not list it
    let mut emergency = emergency;
    if let Some((c, number)) = enterprise_line(reg, card) {
        let listed = (emergency.iter().chain(&report_to)).any(|p| p.number == number);
        if !listed {
            emergency.push(Phone {
                label: contact_label(c, reg),
                number: number.to_string(),
            });
        }
    }
    let plan = corpus.plan(&card.parent);
    let plan_version = plan.map(|p| p.version.clone()).unwrap_or_default();
    let review_due = plan.and_then(|p| {
        let base = p.dates.assessed.unwrap_or(p.dates.issued);
        base.first()
            .checked_add_months(Months::new(config.check.assessment_interval_months))
    });
    let enterprise = reg
        .organization(&card.enterprise)
        .map(|o| o.name.clone())
        .unwrap_or_else(|| card.enterprise.clone());
    let hazard = reg
        .hazard(&card.hazard)
        .map(|h| h.name.clone())
        .unwrap_or_else(|| card.hazard.clone());
    let qr = match &config.cards.url {
        Some(pattern) => pattern
            .replace("{plan}", &card.parent)
            .replace("{card}", &card.id)
            .replace("{version}", &plan_version)
            .replace("{enterprise}", &card.enterprise),
        // no server: the phone dials the enterprise's own emergency line
        None => duty_number(&emergency, &report_to)
            .map(tel_uri)
            .unwrap_or_default(),
    };
    CardView {
        id: card.id.clone(),
        path: doc.path.clone(),
        title: card.title.clone(),
        enterprise,
        post: card.post.clone(),
        hazard,
        risk: card.risk.trim().to_string(),
        steps,
        cautions: card.cautions.clone(),
        ppe: card.ppe.clone(),
        report_to,
        emergency,
        assembly_point: card.assembly_point.clone(),
        version: card.version.clone(),
        plan_id: card.parent.clone(),
        plan_title: plan.map(|p| p.title.clone()).unwrap_or_default(),
        plan_version,
        effective: card.dates.effective.shown(),
        review_due,
        source: source.to_string(),
        qr_code: (!qr.is_empty())
            .then(|| crate::render::qr::Matrix::encode(&qr).ok())
            .flatten(),
        qr,
    }
}

/// Whether the role `name` is the card's own `post` (`值班长（全厂当班）` is the post `值班长`):
/// a column that says the reader does the step tells the reader nothing.
pub(crate) fn same_post(name: &str, post: &str) -> bool {
    let bare = |s: &str| -> String {
        let mut depth = 0usize;
        let mut out = String::new();
        for c in s.chars() {
            match c {
                '（' | '(' => depth += 1,
                '）' | ')' => depth = depth.saturating_sub(1),
                c if depth == 0 && !c.is_whitespace() => out.push(c),
                _ => {}
            }
        }
        out
    };
    let (n, p) = (bare(name), bare(post));
    !p.is_empty() && n == p
}

/// Whether a contact's name is a person's (`曾晓峰`), not a desk's (`应急值班室`): two to four
/// Chinese characters, none of the endings of a desk, office or unit.
pub(crate) fn is_person(name: &str) -> bool {
    const DESK: &[&str] = &[
        "室", "部", "队", "站", "局", "院", "办", "科", "所", "厅", "委", "司", "处", "组", "中心",
        "车间", "班", "台", "库", "场", "厂", "馆", "会",
    ];
    let n = name.trim();
    let count = n.chars().count();
    (2..=4).contains(&count)
        && n.chars()
            .all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || c == '·')
        && !DESK.iter().any(|d| n.ends_with(d))
}

/// How a contact is shown on a card: a person with the title (`储运车间主任 曾晓峰`), or
/// without one the role the registry gives them, since a bare name tells a new worker nothing;
/// a desk by its name.
/// The enterprise's 24-hour emergency line: the contact its organisation names as
/// `duty_contact`, and that contact's duty number (else its first number).
pub(crate) fn enterprise_line<'r>(
    reg: &'r crate::model::Registry,
    card: &CardMeta,
) -> Option<(&'r crate::model::registry::Contact, &'r str)> {
    let id = reg
        .organization(&card.enterprise)?
        .duty_contact
        .as_deref()?;
    let c = &reg.contacts.get(*reg.index.contacts.get(id)?)?.item;
    let p = (c.phones.iter())
        .find(|p| p.phone_type == crate::model::registry::PhoneType::Duty)
        .or_else(|| c.phones.first())?;
    Some((c, p.number.as_str()))
}

fn contact_label(c: &crate::model::registry::Contact, reg: &crate::model::Registry) -> String {
    if !is_person(&c.name) {
        return c.name.clone();
    }
    let title = c.title.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let role = || {
        (reg.roles.iter())
            .find(|r| r.item.contact.as_deref() == Some(c.id.as_str()))
            .map(|r| r.item.name.as_str())
    };
    match title.or_else(role) {
        Some(t) if !t.contains(c.name.trim()) => format!("{t} {}", c.name.trim()),
        _ => c.name.clone(),
    }
}

/// The number the QR code dials when no `[cards] url` is set: the enterprise's own emergency
/// line (the first number of `emergency_numbers` that is not a national short number), else
/// the first contact to report to, else the first short number (119).
pub(crate) fn duty_number<'a>(emergency: &'a [Phone], report_to: &'a [Phone]) -> Option<&'a str> {
    let national = |n: &str| short_number_label(n).is_some();
    emergency
        .iter()
        .find(|p| !national(&p.number))
        .or_else(|| report_to.iter().find(|p| !p.number.is_empty()))
        .or_else(|| emergency.first())
        .map(|p| p.number.as_str())
        .filter(|n| !n.is_empty())
}

/// A `tel:` URI (RFC 3966) of a number as written: digits, `+` and the `-` separators kept,
/// spaces and brackets dropped, an extension (`转801`, `ext.801`) as `;ext=801`.
pub(crate) fn tel_uri(number: &str) -> String {
    let (main, ext) = match number.find('转').or_else(|| number.find("ext")) {
        Some(i) => (&number[..i], Some(&number[i..])),
        None => (number, None),
    };
    let mut uri = String::from("tel:");
    for c in main.chars() {
        match c {
            '0'..='9' | '+' => uri.push(c),
            '-' | ')' | '）' if !uri.ends_with('-') && uri.len() > 4 => uri.push('-'),
            _ => {}
        }
    }
    while uri.ends_with('-') {
        uri.pop();
    }
    if let Some(ext) = ext {
        let digits: String = ext.chars().filter(char::is_ascii_digit).collect();
        if !digits.is_empty() {
            uri.push_str(";ext=");
            uri.push_str(&digits);
        }
    }
    uri
}

impl CardView {
    /// Every printed string with the YAML pointer it comes from, owned (for G901).
    pub(crate) fn fields(&self) -> Vec<(String, String)> {
        self.printed()
            .into_iter()
            .map(|(pointer, text)| (pointer, text.to_string()))
            .collect()
    }

    /// Every printed string with the YAML pointer it comes from (for G901).
    pub(crate) fn printed(&self) -> Vec<(String, &str)> {
        let mut out = vec![
            ("/title".to_string(), self.title.as_str()),
            ("/post".to_string(), self.post.as_str()),
            ("/hazard".to_string(), self.hazard.as_str()),
            ("/risk".to_string(), self.risk.as_str()),
            ("/enterprise".to_string(), self.enterprise.as_str()),
        ];
        for (i, s) in self.steps.iter().enumerate() {
            out.push((format!("/steps/{i}/action"), s.action.as_str()));
            if let Some(w) = &s.who {
                out.push((format!("/steps/{i}/who"), w.as_str()));
            }
            if let Some(c) = &s.clause {
                out.push((format!("/steps/{i}/clause"), c.as_str()));
            }
            for (j, v) in s.values.iter().enumerate() {
                out.push((format!("/steps/{i}/values/{j}"), v.as_str()));
            }
        }
        for (i, c) in self.cautions.iter().enumerate() {
            out.push((format!("/cautions/{i}"), c.as_str()));
        }
        for (i, c) in self.ppe.iter().enumerate() {
            out.push((format!("/ppe/{i}"), c.as_str()));
        }
        for (i, p) in self.report_to.iter().enumerate() {
            out.push((format!("/report_to/{i}"), p.label.as_str()));
        }
        for (i, p) in self.emergency.iter().enumerate() {
            out.push((format!("/emergency_numbers/{i}"), p.label.as_str()));
            out.push((format!("/emergency_numbers/{i}"), p.number.as_str()));
        }
        if let Some(a) = &self.assembly_point {
            out.push(("/assembly_point".to_string(), a.as_str()));
        }
        out
    }
}

/// G901: characters of the card the fonts cannot draw, one diagnostic per field.
pub(crate) fn missing_glyphs(view: &CardView, doc: &Document, fonts: &Fonts) -> Vec<Diagnostic> {
    crate::render::driver::glyphs_in_fields(
        fonts,
        &view.fields(),
        // a field inherited from a `_defaults.yaml` is found at its line there
        |pointer| {
            let (path, span, _) = doc.place_of(pointer);
            (path.to_string(), span)
        },
        &unprintable(),
    )
}

/// What G901 says of a card.
pub(crate) fn unprintable() -> crate::diag::Text {
    text!("无法打印此卡", "the card cannot be printed")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(number: &str) -> Phone {
        Phone {
            label: String::new(),
            number: number.to_string(),
        }
    }

    #[test]
    fn the_own_post_is_recognised_with_or_without_a_qualifier() {
        assert!(same_post("反应釜操作工", "反应釜操作工"));
        assert!(same_post("值班长（全厂当班）", "值班长"));
        assert!(same_post("值班长 (夜班)", "值班长"));
        assert!(!same_post("应急总指挥（总经理）", "值班长"));
        assert!(!same_post("储运车间主任", "罐区操作工"));
        assert!(!same_post("", ""));
    }

    #[test]
    fn people_are_told_from_desks() {
        for person in ["曾晓峰", "刘志强", "王芳", "欧阳建国"] {
            assert!(is_person(person), "{person}");
        }
        for desk in [
            "恒达化工应急值班室",
            "医务室",
            "安全环保部",
            "专职消防队",
            "中心",
            "恒达化工中心控制室（DCS）",
            "DCS",
        ] {
            assert!(!is_person(desk), "{desk}");
        }
    }

    #[test]
    fn tel_uris_keep_digits_and_separators_and_an_extension() {
        assert_eq!(tel_uri("0745-6628119"), "tel:0745-6628119");
        assert_eq!(tel_uri("(0745)6628119"), "tel:0745-6628119");
        assert_eq!(tel_uri("（0745）6628119"), "tel:0745-6628119");
        assert_eq!(tel_uri("139 0745 2618"), "tel:13907452618");
        assert_eq!(tel_uri("0745-2231100转801"), "tel:0745-2231100;ext=801");
        assert_eq!(tel_uri("+86-0745-6628119"), "tel:+86-0745-6628119");
        assert_eq!(tel_uri("119"), "tel:119");
    }

    #[test]
    fn the_duty_number_is_the_first_number_of_the_enterprise() {
        let e = [phone("119"), phone("120"), phone("0745-6628119")];
        let r = [phone("0745-6628131")];
        assert_eq!(duty_number(&e, &r), Some("0745-6628119"));
        assert_eq!(duty_number(&e[..2], &r), Some("0745-6628131"));
        assert_eq!(duty_number(&e[..2], &[]), Some("119"));
        assert_eq!(duty_number(&[], &[phone("")]), None);
    }
}
