//! Schedule exports (output stage of `yuan drills schedule`): iCalendar (RFC 5545) and CSV for
//! Excel/WPS, each in a public and a coordinators' edition ([`edition`]), with organisations by
//! name and each drill's place ([`Names`], looked up once per run).
//!
//! The iCalendar text is written here rather than with a builder crate: RFC 5545 needs CRLF line
//! ends, folding at 75 octets (never inside a UTF-8 character) and a VTIMEZONE for the TZID the
//! events use, and those few rules are easier to guarantee than to configure. Tests parse the
//! output with the `icalendar` crate's parser.
//!
//! Plan ids, titles and notes come from a repository someone else wrote, so none of them can
//! become structure: every TEXT value is escaped (a CR or LF becomes `\n`, other control
//! characters U+FFFD), UIDs keep only `A-Z a-z 0-9 - . _` and %-encode the rest, and a CSV cell
//! that a spreadsheet would read as a formula gets a leading `'` ([`csv_cell`]).

use super::schedule::{Schedule, Slot};
use chrono::NaiveDateTime;
use std::fmt::Write as _;

/// Which edition: the public one (ICS, CSV, JSON, HTML, PDF) leaves double-blind drills out
/// (双盲: neither time, place nor content is announced to the players).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Audience {
    Public,
    Coordinators,
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): `\\`, `\;`, `\,`, and a line end (LF, CRLF or a
/// lone CR) as `\n`. Other control characters, which TEXT may not hold, become U+FFFD; a tab
/// stays (TEXT allows it).
fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => o.push_str("\\\\"),
            ';' => o.push_str("\\;"),
            ',' => o.push_str("\\,"),
            '\n' => o.push_str("\\n"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    o.push_str("\\n");
                }
            }
            '\t' => o.push('\t'),
            c if c.is_control() => o.push('\u{fffd}'),
            c => o.push(c),
        }
    }
    o
}

/// A UID value made of safe characters only: `A-Z a-z 0-9 - . _` kept, every other byte
/// written as `%XX` (so distinct ids keep distinct UIDs).
fn uid(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_') {
            o.push(char::from(b));
        } else {
            let _ = write!(o, "%{b:02X}");
        }
    }
    o
}

/// Appends one content line, folded at 75 octets (§3.1) and ended by CRLF.
fn line(out: &mut String, text: &str) {
    let mut used = 0;
    for c in text.chars() {
        let n = c.len_utf8();
        if used + n > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
}

const VTIMEZONE: [&str; 9] = [
    "BEGIN:VTIMEZONE",
    "TZID:Asia/Shanghai",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0800",
    "TZOFFSETTO:+0800",
    "TZNAME:CST",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// What the exports print for ids: organisation names (the registry's, else the id) and the
/// places of drills on record (`place` of the drill record). Built once per run.
#[derive(Debug, Clone, Default)]
pub(crate) struct Names {
    pub(crate) orgs: std::collections::HashMap<String, String>,
    /// Drill record id -> its `place`.
    pub(crate) places: std::collections::HashMap<String, String>,
}

impl Names {
    /// The organisation's name, else its id.
    pub(crate) fn org<'a>(&'a self, id: &'a str) -> &'a str {
        self.orgs.get(id).map_or(id, String::as_str)
    }
    /// Where the drill is held: the record's `place`, else (a proposal, or a record without
    /// one) the organising unit.
    pub(crate) fn place<'a>(&'a self, s: &'a Slot) -> &'a str {
        s.record
            .as_deref()
            .and_then(|r| self.places.get(r))
            .map_or_else(|| self.org(&s.org), String::as_str)
    }
}

/// The schedule as `audience` may see it: the public edition without the double-blind drills
/// (their dates, uids and notes); everything else is the same, because no date of the
/// schedule is counted from a double-blind drill's date (see [`super::schedule`]).
pub(crate) fn edition(schedule: &Schedule, audience: Audience) -> std::borrow::Cow<'_, Schedule> {
    if audience == Audience::Coordinators || !schedule.slots.iter().any(|s| s.double_blind) {
        return std::borrow::Cow::Borrowed(schedule);
    }
    let mut public = schedule.clone();
    public.slots.retain(|s| !s.double_blind);
    std::borrow::Cow::Owned(public)
}

/// Title of a drill as shown in calendars and tables.
pub(crate) fn summary(s: &Slot) -> String {
    format!("演练 Drill: {}", s.title)
}

fn description(s: &Slot, names: &Names) -> String {
    let plans: Vec<&str> = s.plans().collect();
    let mut d = format!(
        "预案 Plan: {}\n组织单位 Organiser: {}\n形式 Form: {}·{}\n最迟 Due: {}",
        plans.join(", "),
        names.org(&s.org),
        s.form.zh(),
        s.content.zh(),
        s.due
    );
    match &s.record {
        Some(r) => {
            let _ = write!(d, "\n已定 Fixed: 演练记录 record {r}");
        }
        None => d.push_str("\n建议日期 Proposed date"),
    }
    if let Some(c) = &s.campaign {
        let _ = write!(d, "\n活动 Campaign: {c}");
    }
    if s.double_blind {
        d.push_str("\n双盲演练 Double-blind: 仅限导调人员 coordinators only");
    }
    for n in &s.notes {
        let _ = write!(d, "\n注 Note: {}", n.zh);
    }
    d
}

/// The iCalendar text. `stamp` (UTC) is DTSTAMP of every event: the caller passes the source
/// date (SOURCE_DATE_EPOCH or the commit time), never the clock, so runs are byte-identical.
pub(crate) fn ics(
    schedule: &Schedule,
    audience: Audience,
    name: &str,
    stamp: NaiveDateTime,
    names: &Names,
) -> String {
    let schedule = edition(schedule, audience);
    let mut o = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//yuan//drills schedule//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        line(&mut o, l);
    }
    line(&mut o, &format!("X-WR-CALNAME:{}", escape(name)));
    line(&mut o, "X-WR-TIMEZONE:Asia/Shanghai");
    for l in VTIMEZONE {
        line(&mut o, l);
    }
    let stamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    for s in &schedule.slots {
        let day = s.date.format("%Y%m%d");
        line(&mut o, "BEGIN:VEVENT");
        line(&mut o, &format!("UID:{}@yuan-drills", uid(&s.uid)));
        line(&mut o, &format!("DTSTAMP:{stamp}"));
        line(&mut o, &format!("DTSTART;TZID=Asia/Shanghai:{day}T090000"));
        line(&mut o, &format!("DTEND;TZID=Asia/Shanghai:{day}T120000"));
        line(&mut o, &format!("SUMMARY:{}", escape(&summary(s))));
        line(
            &mut o,
            &format!("DESCRIPTION:{}", escape(&description(s, names))),
        );
        line(&mut o, &format!("LOCATION:{}", escape(names.place(s))));
        let cat = if s.double_blind {
            "双盲演练"
        } else {
            "应急演练"
        };
        line(&mut o, &format!("CATEGORIES:{cat}"));
        if s.double_blind {
            line(&mut o, "CLASS:CONFIDENTIAL");
        }
        line(&mut o, "TRANSP:OPAQUE");
        line(&mut o, "END:VEVENT");
    }
    line(&mut o, "END:VCALENDAR");
    o
}

/// The CSV table (UTF-8 with a byte-order mark, so Excel and WPS open it as UTF-8), one row per
/// drill, then one row per unmet requirement. Every cell goes through [`csv_cell`].
pub(crate) fn csv(
    schedule: &Schedule,
    audience: Audience,
    names: &Names,
) -> anyhow::Result<Vec<u8>> {
    let schedule = edition(schedule, audience);
    let mut w = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    w.write_record([
        "日期 date",
        "预案 plan",
        "名称 title",
        "组织单位 organiser",
        "地点 place",
        "最迟 due",
        "形式 form",
        "内容 content",
        "盲演 blind",
        "演练记录 record",
        "双盲 double-blind",
        "活动 campaign",
        "说明 notes",
    ])?;
    for s in &schedule.slots {
        w.write_record(csv_row([
            s.date.to_string(),
            s.plan.clone(),
            s.title.clone(),
            names.org(&s.org).to_string(),
            names.place(s).to_string(),
            s.due.to_string(),
            s.form.zh().to_string(),
            s.content.zh().to_string(),
            s.blind.zh().to_string(),
            s.record.clone().unwrap_or_default(),
            if s.double_blind { "是 yes" } else { "" }.to_string(),
            s.campaign.clone().unwrap_or_default(),
            s.notes
                .iter()
                .map(|n| n.zh.as_str())
                .collect::<Vec<_>>()
                .join("；"),
        ]))?;
    }
    for u in &schedule.unmet {
        w.write_record(csv_row([
            "未安排 unmet".to_string(),
            u.plan.clone(),
            String::new(),
            names.org(&u.org).to_string(),
            String::new(),
            u.due.to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            u.reason.zh.clone(),
        ]))?;
    }
    w.into_inner()
        .map_err(|e| crate::env_error!("无法生成 CSV 文件：{e}", "cannot write the CSV: {e}"))
}

/// The cells of one row, each through [`csv_cell`].
fn csv_row<const N: usize>(cells: [String; N]) -> [String; N] {
    cells.map(csv_cell)
}

/// A cell that Excel or WPS would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or
/// a CR: OWASP "CSV injection") gets a leading `'`, so it is shown as text; readers see the `'`.
/// No cell of ours is a number that starts with `-` (dates start with a digit), so nothing
/// real is changed.
pub(crate) fn csv_cell(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn slot(plan: &str, blind: bool) -> Slot {
        let d = NaiveDate::from_ymd_opt(2027, 5, 12).expect("date");
        Slot {
            uid: format!("{plan}-20270601"),
            plan: plan.into(),
            also: Vec::new(),
            title: "青溪县防汛抢险实战演练（人员转移, 管涌抢护; 安置点开设）的全过程检验与评估"
                .into(),
            org: "qx-fzb".into(),
            date: d,
            due: d,
            record: None,
            form: crate::model::drill::DrillForm::Live,
            content: crate::model::drill::DrillContent::Comprehensive,
            blind: if blind {
                crate::model::drill::BlindLevel::Double
            } else {
                crate::model::drill::BlindLevel::None
            },
            double_blind: blind,
            campaign: Some("防灾减灾日 5.12".into()),
            notes: vec![],
        }
    }

    fn sched() -> Schedule {
        Schedule {
            slots: vec![slot("qx-flood", false), slot("hd-onsite", true)],
            ..Schedule::default()
        }
    }

    fn stamp() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 28)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("stamp")
    }

    #[test]
    fn lines_are_crlf_and_folded_at_75_octets() {
        let t = ics(
            &sched(),
            Audience::Coordinators,
            "演练",
            stamp(),
            &Names::default(),
        );
        assert!(t.ends_with("END:VCALENDAR\r\n"));
        assert!(!t.replace("\r\n", "").contains('\n'), "bare LF");
        for l in t.split("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        assert!(t.contains("\r\n "), "long lines are folded");
        // Unfolding gives back the escaped summary.
        let unfolded = t.replace("\r\n ", "");
        assert!(unfolded.contains(
            "SUMMARY:演练 Drill: 青溪县防汛抢险实战演练（人员转移\\, 管涌抢护\\; 安置点开设）"
        ));
    }

    #[test]
    fn public_calendar_leaves_blind_drills_out() {
        let public = ics(
            &sched(),
            Audience::Public,
            "演练",
            stamp(),
            &Names::default(),
        );
        let coord = ics(
            &sched(),
            Audience::Coordinators,
            "演练",
            stamp(),
            &Names::default(),
        );
        assert!(!public.contains("hd-onsite"));
        assert!(coord.contains("UID:hd-onsite-20270601@yuan-drills"));
        assert_eq!(public.matches("BEGIN:VEVENT").count(), 1);
    }

    #[test]
    fn a_real_parser_reads_it() {
        use icalendar::{Calendar, Component};
        let t = ics(
            &sched(),
            Audience::Coordinators,
            "演练计划",
            stamp(),
            &Names::default(),
        );
        let cal: Calendar = t.parse().expect("icalendar parses the output");
        let events: Vec<_> = cal.components.iter().filter_map(|c| c.as_event()).collect();
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].get_uid(), Some("qx-flood-20270601@yuan-drills"));
        assert!(events[0]
            .get_summary()
            .is_some_and(|s| s.contains("青溪县防汛抢险实战演练")));
        assert!(events[0].get_start().is_some());
        assert!(t.contains("BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\n"));
        assert!(t.contains("DTSTART;TZID=Asia/Shanghai:20270512T090000\r\n"));
    }

    fn hostile() -> Schedule {
        let mut a = slot("x\r\nATTACH:http://evil.example/a\r\nX", false);
        a.title = "t\r\nATTACH:http://evil.example/b\n\u{1b}[2J;,\\".into();
        a.notes = vec![crate::diag::Text::new("\rATTACH:c", "\rATTACH:c")];
        let mut b = slot("ok", false);
        b.title = "=HYPERLINK(\"http://evil.example\",\"点击\")".into();
        b.org = "+cmd|' /C calc'!A0".into();
        b.campaign = Some("@SUM(1+1)".into());
        b.notes = vec![crate::diag::Text::new("-2+3", "-2+3")];
        Schedule {
            slots: vec![a, b],
            ..Schedule::default()
        }
    }

    #[test]
    fn line_ends_in_ids_and_titles_inject_no_property() {
        use icalendar::{Calendar, Component};
        let t = ics(
            &hostile(),
            Audience::Coordinators,
            "名\r\nATTACH:x",
            stamp(),
            &Names::default(),
        );
        for l in t.split("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
            assert!(
                !l.contains('\n') && !l.contains('\r') && !l.contains('\u{1b}'),
                "{l:?}"
            );
            assert!(!l.starts_with("ATTACH"), "injected: {l}");
        }
        let cal: Calendar = t.parse().expect("icalendar parses the output");
        let events: Vec<_> = cal.components.iter().filter_map(|c| c.as_event()).collect();
        assert_eq!(events.len(), 2);
        for e in &events {
            assert!(e.property_value("ATTACH").is_none());
            assert!(e.get_uid().is_some_and(|u| u
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._%@".contains(&b))));
        }
        assert_eq!(
            events[0].get_uid(),
            Some("x%0D%0AATTACH%3Ahttp%3A%2F%2Fevil.example%2Fa%0D%0AX-20270601@yuan-drills")
        );
        let unfolded = t.replace("\r\n ", "");
        assert!(
            unfolded.contains("t\\nATTACH:http://evil.example/b\\n\u{fffd}[2J\\;\\,\\\\"),
            "{unfolded}"
        );
        assert!(unfolded.contains("注 Note: \\nATTACH:c"), "{unfolded}");
    }

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_are_text() {
        let t = String::from_utf8(
            csv(&hostile(), Audience::Coordinators, &Names::default()).expect("csv"),
        )
        .expect("utf-8");
        let mut r = ::csv::Reader::from_reader(t.trim_start_matches('\u{feff}').as_bytes());
        let rows: Vec<Vec<String>> = r
            .records()
            .map(|x| x.expect("record").iter().map(String::from).collect())
            .collect();
        assert_eq!(rows[1][2], "'=HYPERLINK(\"http://evil.example\",\"点击\")");
        assert_eq!(rows[1][3], "'+cmd|' /C calc'!A0");
        assert_eq!(rows[1][11], "'@SUM(1+1)");
        assert_eq!(rows[1][12], "'-2+3");
        assert_eq!(rows[1][0], "2027-05-12", "dates untouched");
        for row in &rows {
            for c in row {
                assert!(!c.starts_with(['=', '+', '-', '@', '\t', '\r']), "{c:?}");
            }
        }
        assert_eq!(csv_cell("\tx".into()), "'\tx");
        assert_eq!(csv_cell("青溪".into()), "青溪");
    }

    #[test]
    fn csv_has_bom_and_quotes() {
        let b = csv(&sched(), Audience::Coordinators, &Names::default()).expect("csv");
        assert!(b.starts_with("\u{feff}".as_bytes()));
        let t = String::from_utf8(b).expect("utf-8");
        assert!(t.contains(
            ",\"青溪县防汛抢险实战演练（人员转移, 管涌抢护; 安置点开设）的全过程检验与评估\","
        ));
        assert_eq!(t.lines().count(), 3);
    }
}
