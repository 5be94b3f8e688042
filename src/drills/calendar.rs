//! The schedule as a calendar for people: a grid of months × organisations (HTML,
//! `templates/drills/schedule.html.tera`) and a printable month-by-month table (PDF,
//! [`super::print`]). Both read one [`CalendarView`], built per [`Audience`]: the public view
//! leaves double-blind drills out entirely (domain.md §4.5), as the public iCalendar does.

use super::export::Audience;
use super::schedule::{Schedule, Slot};
use crate::model::drill::{DrillContent, DrillForm};
use crate::render::layout::Color;
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Months per grid table (a half-year fits an A4 landscape page across).
const MONTHS_PER_TABLE: usize = 6;

/// The four drill types a colour stands for: form × content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DrillType(pub DrillForm, pub DrillContent);

impl DrillType {
    pub(crate) const ALL: [DrillType; 4] = [
        DrillType(DrillForm::Tabletop, DrillContent::Single),
        DrillType(DrillForm::Tabletop, DrillContent::Comprehensive),
        DrillType(DrillForm::Live, DrillContent::Single),
        DrillType(DrillForm::Live, DrillContent::Comprehensive),
    ];
    pub(crate) fn of(s: &Slot) -> DrillType {
        DrillType(s.form, s.content)
    }
    /// CSS class suffix: `tabletop-single` …
    pub(crate) fn key(self) -> String {
        format!("{}-{}", self.0.as_str(), self.1.as_str())
    }
    /// 桌面·单项 …
    pub(crate) fn label(self) -> String {
        format!("{}·{}", self.0.zh(), self.1.zh())
    }
    /// English label.
    pub(crate) fn label_en(self) -> String {
        let f = match self.0 {
            DrillForm::Tabletop => "tabletop",
            DrillForm::Live => "live",
        };
        let c = match self.1 {
            DrillContent::Single => "single",
            DrillContent::Comprehensive => "comprehensive",
        };
        format!("{f}, {c}")
    }
    /// The colour of the type (the safety colours of the cards and handbooks).
    pub(crate) fn color(self) -> Color {
        match (self.0, self.1) {
            (DrillForm::Tabletop, DrillContent::Single) => Color::BLUE,
            (DrillForm::Tabletop, DrillContent::Comprehensive) => Color::GREEN,
            (DrillForm::Live, DrillContent::Single) => Color(230, 140, 0),
            (DrillForm::Live, DrillContent::Comprehensive) => Color::RED,
        }
    }
    fn hex(self) -> String {
        let Color(r, g, b) = self.color();
        format!("#{r:02x}{g:02x}{b:02x}")
    }
}

/// One drill as a calendar shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct CalendarItem {
    pub(crate) uid: String,
    pub(crate) date: String,
    /// `MM-DD`.
    pub(crate) day: String,
    pub(crate) plan: String,
    pub(crate) also: Vec<String>,
    pub(crate) title: String,
    pub(crate) org: String,
    pub(crate) org_name: String,
    pub(crate) form: &'static str,
    pub(crate) content: &'static str,
    /// CSS key and label of the type.
    pub(crate) kind: String,
    pub(crate) kind_label: String,
    /// 单盲 / 双盲 / empty.
    pub(crate) blind: &'static str,
    /// On record as planned (the record id), else a proposal.
    pub(crate) fixed: bool,
    pub(crate) record: String,
    pub(crate) due: String,
    pub(crate) campaign: String,
    pub(crate) notes: Vec<String>,
}

/// A month heading.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Month {
    /// `2027-01`.
    pub(crate) key: String,
    /// `2027年1月`.
    pub(crate) label: String,
    /// `1月`.
    pub(crate) short: String,
}

/// One organisation's row of a grid table: a cell per month.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Row {
    pub(crate) org: String,
    pub(crate) org_name: String,
    pub(crate) cells: Vec<Vec<CalendarItem>>,
}

/// A grid table: up to six months across, organisations down.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Grid {
    pub(crate) label: String,
    pub(crate) months: Vec<Month>,
    pub(crate) rows: Vec<Row>,
}

/// A legend line: type, colour, count.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Legend {
    pub(crate) kind: String,
    pub(crate) label: String,
    pub(crate) label_en: String,
    pub(crate) color: String,
    pub(crate) count: usize,
}

/// An unmet requirement.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct UnmetView {
    pub(crate) plan: String,
    pub(crate) org: String,
    pub(crate) org_name: String,
    pub(crate) due: String,
    pub(crate) reason: String,
}

/// Everything a calendar prints, for one audience.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct CalendarView {
    pub(crate) title: String,
    pub(crate) coordinators: bool,
    /// 公开版 / 导调版.
    pub(crate) edition: String,
    pub(crate) source: String,
    pub(crate) from: String,
    pub(crate) last: String,
    /// Every month of the horizon, with its drills (for the PDF's month tables).
    pub(crate) months: Vec<(Month, Vec<CalendarItem>)>,
    pub(crate) grids: Vec<Grid>,
    pub(crate) legend: Vec<Legend>,
    pub(crate) unmet: Vec<UnmetView>,
    /// Fixed drills that break a constraint (their notes say which).
    pub(crate) conflicts: Vec<CalendarItem>,
    pub(crate) drills: usize,
    pub(crate) fixed: usize,
    pub(crate) proposed: usize,
    pub(crate) double_blind: usize,
}

fn month_of(d: NaiveDate) -> Month {
    Month {
        key: d.format("%Y-%m").to_string(),
        label: format!("{}年{}月", d.year(), d.month()),
        short: format!("{}月", d.month()),
    }
}

/// The view of `schedule` for `audience`; `org_name` names an organisation id (the
/// registry's name, else the id); `source` is the provenance label.
pub(crate) fn view(
    schedule: &Schedule,
    audience: Audience,
    org_name: &dyn Fn(&str) -> String,
    source: &str,
) -> CalendarView {
    let coordinators = audience == Audience::Coordinators;
    let shown: Vec<&Slot> = schedule
        .slots
        .iter()
        .filter(|s| coordinators || !s.double_blind)
        .collect();
    let entry = |s: &Slot| {
        let t = DrillType::of(s);
        CalendarItem {
            uid: s.uid.clone(),
            date: s.date.to_string(),
            day: s.date.format("%m-%d").to_string(),
            plan: s.plan.clone(),
            also: s.also.clone(),
            title: s.title.clone(),
            org: s.org.clone(),
            org_name: org_name(&s.org),
            form: s.form.zh(),
            content: s.content.zh(),
            kind: t.key(),
            kind_label: t.label(),
            blind: s.blind.zh(),
            fixed: s.is_fixed(),
            record: s.record.clone().unwrap_or_default(),
            due: s.due.to_string(),
            campaign: s.campaign.clone().unwrap_or_default(),
            // the printed schedule is a Chinese document
            notes: s.notes.iter().map(|n| n.zh.clone()).collect(),
        }
    };
    // every month of the horizon, empty ones too
    let mut months: Vec<(Month, Vec<CalendarItem>)> = Vec::new();
    let mut m = schedule.from.with_day(1).unwrap_or(schedule.from);
    while m < schedule.until {
        months.push((month_of(m), Vec::new()));
        match m.checked_add_months(chrono::Months::new(1)) {
            Some(n) => m = n,
            None => break,
        }
    }
    let index: BTreeMap<String, usize> = months
        .iter()
        .enumerate()
        .map(|(i, (m, _))| (m.key.clone(), i))
        .collect();
    for s in &shown {
        if let Some(&i) = index.get(&s.date.format("%Y-%m").to_string()) {
            months[i].1.push(entry(s));
        }
    }
    // organisations with a drill (or an unmet requirement) in the horizon, by id
    let orgs: BTreeSet<&str> = shown
        .iter()
        .map(|s| s.org.as_str())
        .chain(schedule.unmet.iter().map(|u| u.org.as_str()))
        .collect();
    let grids = months
        .chunks(MONTHS_PER_TABLE)
        .map(|chunk| {
            let first = &chunk[0].0;
            let last = &chunk[chunk.len() - 1].0;
            Grid {
                label: if first.key == last.key {
                    first.label.clone()
                } else {
                    format!("{} – {}", first.label, last.label)
                },
                months: chunk.iter().map(|(m, _)| m.clone()).collect(),
                rows: orgs
                    .iter()
                    .map(|o| Row {
                        org: o.to_string(),
                        org_name: org_name(o),
                        cells: chunk
                            .iter()
                            .map(|(_, es)| es.iter().filter(|e| e.org == *o).cloned().collect())
                            .collect(),
                    })
                    .collect(),
            }
        })
        .collect();
    let legend = DrillType::ALL
        .iter()
        .map(|t| Legend {
            kind: t.key(),
            label: t.label(),
            label_en: t.label_en(),
            color: t.hex(),
            count: shown.iter().filter(|s| DrillType::of(s) == *t).count(),
        })
        .collect();
    let last = schedule.until.pred_opt().unwrap_or(schedule.until);
    CalendarView {
        title: format!("应急演练计划 Drill schedule {} 至 {last}", schedule.from),
        coordinators,
        edition: if coordinators {
            "导调版（含双盲演练，不得公开） Coordinators' edition (with double-blind drills; not for players)".into()
        } else {
            "公开版（不含双盲演练） Public edition (without double-blind drills)".into()
        },
        source: source.to_string(),
        from: schedule.from.to_string(),
        last: last.to_string(),
        grids,
        legend,
        unmet: schedule
            .unmet
            .iter()
            .map(|u| UnmetView {
                plan: u.plan.clone(),
                org: u.org.clone(),
                org_name: org_name(&u.org),
                due: u.due.to_string(),
                reason: u.reason.zh.clone(),
            })
            .collect(),
        conflicts: shown
            .iter()
            .filter(|s| s.is_fixed() && !s.notes.is_empty())
            .map(|s| entry(s))
            .collect(),
        drills: shown.len(),
        fixed: shown.iter().filter(|s| s.is_fixed()).count(),
        proposed: shown.iter().filter(|s| !s.is_fixed()).count(),
        double_blind: shown.iter().filter(|s| s.double_blind).count(),
        months,
    }
}

/// The offline HTML calendar (`templates/drills/schedule.html.tera`, overridable from the
/// repository's `templates/`; every value escaped).
pub(crate) fn html(root: &Path, view: &CalendarView) -> anyhow::Result<String> {
    let mut ctx = tera::Context::new();
    ctx.insert("cal", view);
    crate::render::templates::render_html(root, "drills/schedule.html.tera", &ctx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::drill::BlindLevel;

    fn slot(uid: &str, date: &str, org: &str, blind: BlindLevel, fixed: bool) -> Slot {
        let d = NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("date");
        Slot {
            uid: uid.into(),
            plan: format!("plan-{uid}"),
            also: Vec::new(),
            title: format!("<b>{uid}</b> & \"演练\""),
            org: org.into(),
            date: d,
            due: d,
            record: fixed.then(|| uid.to_string()),
            form: DrillForm::Live,
            content: DrillContent::Single,
            blind,
            double_blind: blind == BlindLevel::Double,
            campaign: None,
            notes: if fixed {
                vec![crate::diag::Text::new(
                    "处于禁排期 <春节>",
                    "in the blackout period <春节>",
                )]
            } else {
                Vec::new()
            },
        }
    }

    fn schedule() -> Schedule {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        Schedule {
            from: d("2027-01-01"),
            until: d("2027-08-01"),
            slots: vec![
                slot("a", "2027-01-12", "org-b", BlindLevel::None, false),
                slot("secret", "2027-03-03", "org-a", BlindLevel::Double, false),
                slot("rec", "2027-07-08", "org-a", BlindLevel::Single, true),
            ],
            unmet: vec![super::super::schedule::Unmet {
                plan: "late<plan>".into(),
                org: "org-c".into(),
                due: d("2027-02-01"),
                reason: crate::diag::Text::new("没有可用日期", "no day fits"),
            }],
        }
    }

    fn name(o: &str) -> String {
        format!("单位 {o}")
    }

    #[test]
    fn grid_is_months_by_organisations_in_half_years() {
        let v = view(&schedule(), Audience::Coordinators, &name, "abc1234");
        assert_eq!(v.months.len(), 7);
        assert_eq!(v.grids.len(), 2);
        assert_eq!(v.grids[0].label, "2027年1月 – 2027年6月");
        assert_eq!(v.grids[1].months.len(), 1);
        let orgs: Vec<&str> = v.grids[0].rows.iter().map(|r| r.org.as_str()).collect();
        assert_eq!(orgs, ["org-a", "org-b", "org-c"]);
        assert_eq!(v.grids[0].rows[0].cells[2][0].uid, "secret");
        assert_eq!(v.grids[1].rows[0].cells[0][0].blind, "单盲");
        assert_eq!((v.drills, v.fixed, v.double_blind), (3, 1, 1));
        assert_eq!(v.conflicts.len(), 1);
        assert_eq!(v.legend[2].count, 3, "{:?}", v.legend);
    }

    #[test]
    fn public_view_leaves_double_blind_drills_out() {
        let v = view(&schedule(), Audience::Public, &name, "abc1234");
        assert_eq!(v.drills, 2);
        assert!(v
            .months
            .iter()
            .flat_map(|(_, e)| e)
            .all(|e| e.uid != "secret"));
        let page = html(Path::new("/nonexistent"), &v).expect("render");
        assert!(!page.contains("secret"), "{page}");
        assert!(page.contains("公开版"));
    }

    #[test]
    fn hostile_text_is_escaped() {
        let v = view(&schedule(), Audience::Coordinators, &name, "<img src=x>");
        let page = html(Path::new("/nonexistent"), &v).expect("render");
        assert!(
            !page.contains("<b>"),
            "markup from a title reached the page"
        );
        assert!(
            !page.contains("<img"),
            "markup from the source reached the page"
        );
        assert!(!page.contains("<春节>"));
        assert!(page.contains("&lt;b&gt;a&lt;&#x2F;b&gt; &amp; &quot;演练&quot;"));
        assert!(page.contains("late&lt;plan&gt;"));
    }
}
