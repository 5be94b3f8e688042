//! `yuan.toml`: the repository's configuration, read once and resolved into a validated form.
//!
//! Every key is optional; defaults follow domain.md. Its schema (`schemas/yuan-toml.schema.json`)
//! is generated from [`Config`]. A broken `yuan.toml` is a diagnostic (code F006), not a crash:
//! the check goes on with the defaults.

use crate::check::sections::SectionSpec;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Severity a repository assigns to a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
    /// The rule does not run.
    Off,
}

/// The whole `yuan.toml`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub check: CheckConfig,
    /// Severity per rule code, e.g. `T801 = "warning"`.
    pub rules: BTreeMap<String, Level>,
    pub files: FilesConfig,
    /// Section profiles replacing the built-in ones, keyed by profile name (overall, special,
    /// department, grassroots, joint, comprehensive, enterprise_special, onsite).
    pub sections: BTreeMap<String, Vec<SectionSpec>>,
    pub render: RenderConfig,
    pub cards: CardsConfig,
    pub review: ReviewConfig,
    pub drills: DrillsConfig,
}

/// `[review]`: change review (`yuan diff`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ReviewConfig {
    /// What counts as a major change (重大修订), replacing the built-in list
    /// (src/review/major.toml; domain.md §2.6, §3 Art. 37).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub major: Option<Vec<crate::review::MajorSpec>>,
}

/// `[render]`: fonts of every generated PDF (cards, handbooks, packs).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RenderConfig {
    /// Regular face: a .ttf/.otf path, or `file.ttc#N` for face N of a collection, relative to
    /// the repository. Default: the built-in Noto Sans CJK SC subset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub font: Option<String>,
    /// Bold face (same syntax). Without one, a custom regular face is drawn bold synthetically.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub font_bold: Option<String>,
}

/// `[cards]`: disposal cards (`yuan cards`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CardsConfig {
    /// Address the QR code opens, with `{plan}`, `{card}`, `{version}` and `{enterprise}`
    /// replaced, e.g. `https://yj.example.cn/plans/{plan}.html#{card}`. Without it the QR code
    /// carries `YUAN:plan=…;card=…;v=…`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Default card size: a6 | a5 | pocket.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
}

/// `[drills]`: drill cadences (E005, `yuan drills`). Defaults from domain.md §2.5, §3, §3.1, §9;
/// a plan's own `drills.interval_months` or `drills.high_risk` wins when it is stricter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DrillsConfig {
    /// Required interval between drills in months, per profile (overall, special, department,
    /// grassroots, joint, comprehensive, enterprise_special, onsite). 0 = no requirement of its
    /// own. An enterprise's comprehensive plan counts drills of its special plans too (Art. 33:
    /// one comprehensive-or-special drill a year).
    pub interval_months: BTreeMap<String, u32>,
    /// Interval of high-risk units and crowded places (条例 Art. 8 ¶2: every half-year).
    pub high_risk_months: u32,
    /// Warn this many days before a drill falls due (E005).
    pub warn_days: u32,
    /// `yuan drills schedule`: at most this many drills per organisation per month.
    pub max_per_org_month: u32,
    /// `yuan drills schedule`: at least this share of the scheduled drills is double-blind
    /// (双盲, domain.md §4.5), chosen among on-site plans first.
    pub double_blind_share: f64,
    /// Seasonal windows: drills of plans whose first hazard is listed are placed inside them
    /// (domain.md §5.2, Hunan values).
    pub seasons: Vec<Season>,
    /// Campaign periods preferred for drills (5.12, the June safety month, 11.9).
    pub campaigns: Vec<Period>,
    /// Yearly periods without drills (month-day ranges, e.g. National Day).
    pub yearly_blackouts: Vec<Period>,
    /// Dated periods without drills (Spring Festival holidays as announced each year).
    pub blackouts: Vec<DatedPeriod>,
}

/// A seasonal window for some hazards, as month-day range (`MM-DD`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Season {
    pub name: String,
    /// Hazard ids (registry).
    pub hazards: Vec<String>,
    /// First day, `MM-DD`.
    pub from: String,
    /// Last day, `MM-DD` (may be before `from`: the window wraps the new year).
    pub to: String,
}

/// A yearly period, as month-day range (`MM-DD`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub name: String,
    pub from: String,
    pub to: String,
}

/// A dated period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DatedPeriod {
    pub name: String,
    #[serde(deserialize_with = "dates::one")]
    #[schemars(with = "String")]
    pub from: NaiveDate,
    #[serde(deserialize_with = "dates::one")]
    #[schemars(with = "String")]
    pub to: NaiveDate,
}

fn period(name: &str, from: &str, to: &str) -> Period {
    Period {
        name: name.into(),
        from: from.into(),
        to: to.into(),
    }
}

/// Built-in seasonal windows (domain.md §5.2, §9; Hunan): flood and geological drills before
/// the main flood season (by the end of May), forest-fire drills before the fire period
/// (1 October).
pub fn default_seasons() -> Vec<Season> {
    vec![
        Season {
            name: "汛前 before the flood season".into(),
            hazards: vec!["flood".into(), "geological".into()],
            from: "03-01".into(),
            to: "05-31".into(),
        },
        Season {
            name: "森林防火期前 before the forest-fire period".into(),
            hazards: vec!["forest-fire".into()],
            from: "08-01".into(),
            to: "09-30".into(),
        },
    ]
}

/// Built-in Spring Festival holidays (eve to the sixth day; replace them with the State
/// Council's announcement of each year).
pub fn default_blackouts() -> Vec<DatedPeriod> {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
    [
        ("春节 Spring Festival 2027", "2027-02-05", "2027-02-12"),
        ("春节 Spring Festival 2028", "2028-01-25", "2028-02-01"),
        ("春节 Spring Festival 2029", "2029-02-12", "2029-02-19"),
    ]
    .into_iter()
    .map(|(n, a, b)| DatedPeriod {
        name: n.into(),
        from: d(a),
        to: d(b),
    })
    .collect()
}

impl Default for DrillsConfig {
    fn default() -> Self {
        DrillsConfig {
            interval_months: default_drill_intervals(),
            high_risk_months: 6,
            warn_days: 30,
            max_per_org_month: 2,
            double_blind_share: 0.1,
            seasons: default_seasons(),
            campaigns: vec![
                period("防灾减灾日 5.12", "05-06", "05-18"),
                period("安全生产月 June", "06-01", "06-30"),
                period("消防日 11.9", "11-02", "11-15"),
            ],
            yearly_blackouts: vec![period("国庆 National Day", "10-01", "10-07")],
            blackouts: default_blackouts(),
        }
    }
}

/// Built-in cadences (domain.md §9 "Scheduler"): governments and townships every 2 years (条例
/// Art. 8 ¶1), government special and departmental plans every 3 years (2013 办法 Art. 22; 2024
/// `[S]`), enterprises one comprehensive-or-special drill a year and every on-site plan each
/// half-year (88号令 Art. 33).
pub fn default_drill_intervals() -> BTreeMap<String, u32> {
    [
        ("overall", 24),
        ("special", 36),
        ("department", 36),
        ("grassroots", 24),
        ("joint", 36),
        ("comprehensive", 12),
        ("enterprise_special", 0),
        ("onsite", 6),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

impl DrillsConfig {
    /// The interval of a profile: the repository's value, else the built-in one.
    pub fn interval(&self, profile: &str) -> u32 {
        match self.interval_months.get(profile) {
            Some(&v) => v,
            None => default_drill_intervals().get(profile).copied().unwrap_or(0),
        }
    }
}

/// `[check]`: parameters of the rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CheckConfig {
    /// The date time-based rules use (also `--today`). Default: the system date.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "dates::optional"
    )]
    pub today: Option<NaiveDate>,
    /// Message language: zh | en.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Regular expression every document id must match.
    pub id_pattern: String,
    /// A contact not verified for this many days is flagged (C602).
    pub contact_max_age_days: u32,
    /// Plans are assessed at least this often (D702; domain.md §2.6, §3 Art. 35).
    pub assessment_interval_months: u32,
    /// Warn this many days before an assessment falls due.
    pub assessment_warn_days: u32,
    /// Filing deadline after issue, in working days (D703; 2024 办法 Art. 26, 88号令 Art. 26).
    pub filing_deadline_working_days: u32,
    /// Text that marks an unfinished plan (T801).
    pub placeholders: Vec<String>,
    /// Short numbers accepted as phone numbers (C601).
    pub short_numbers: Vec<String>,
    /// Weekdays that are public holidays, for working-day counts.
    #[serde(deserialize_with = "dates::list")]
    pub holidays: Vec<NaiveDate>,
    /// Weekend days that are working days (调休).
    #[serde(deserialize_with = "dates::list")]
    pub workdays: Vec<NaiveDate>,
    /// Files larger than this are not read (F005).
    pub max_file_bytes: u64,
    /// Keep parsed documents in `.yuan-cache/` between runs of `yuan check` (keyed by git
    /// blob id; safe to delete). `false` turns the cache off, like `--no-cache`.
    pub cache: bool,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            today: None,
            lang: None,
            id_pattern: "^[a-z0-9]+(-[a-z0-9]+)*$".into(),
            contact_max_age_days: 365,
            assessment_interval_months: 36,
            assessment_warn_days: 90,
            filing_deadline_working_days: 20,
            placeholders: ["XXX", "xxx", "××", "待定", "TODO", "TBD", "某某"]
                .map(String::from)
                .to_vec(),
            short_numbers: [
                "110", "119", "120", "122", "12110", "12119", "12345", "12350", "12395", "12369",
            ]
            .map(String::from)
            .to_vec(),
            holidays: Vec::new(),
            workdays: Vec::new(),
            max_file_bytes: 8 * 1024 * 1024,
            cache: true,
        }
    }
}

/// `[files]`: where things are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct FilesConfig {
    /// Folder of the registries, relative to the root.
    pub registry: String,
    /// Glob patterns (gitignore syntax) of paths not to read.
    pub exclude: Vec<String>,
}

impl Default for FilesConfig {
    fn default() -> Self {
        FilesConfig {
            registry: "registry".into(),
            exclude: Vec::new(),
        }
    }
}

/// Dates in yuan.toml may be written as TOML dates (`today = 2026-11-28`) or as strings
/// (`today = "2026-11-28"`): plan writers use both.
mod dates {
    use chrono::NaiveDate;
    use serde::{de::Error, Deserialize, Deserializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Toml(toml::value::Datetime),
    }

    fn convert<E: Error>(raw: Raw) -> Result<NaiveDate, E> {
        let text = match raw {
            Raw::Text(s) => s,
            Raw::Toml(d) => match (d.date, d.time) {
                (Some(date), None) => date.to_string(),
                _ => return Err(E::custom("expected a date like 2026-11-28, without a time")),
            },
        };
        NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map_err(|_| E::custom(format!("`{text}` is not a date like 2026-11-28")))
    }

    pub fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        Option::<Raw>::deserialize(d)?.map(convert).transpose()
    }

    pub fn one<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        convert(Raw::deserialize(d)?)
    }

    pub fn list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NaiveDate>, D::Error> {
        Vec::<Raw>::deserialize(d)?
            .into_iter()
            .map(convert)
            .collect()
    }
}

/// Settings that parse but name nothing yuan knows: rule codes, section profiles, languages.
pub fn unknown_settings(c: &Config) -> Vec<String> {
    let mut out = Vec::new();
    for code in c.rules.keys() {
        if crate::check::registry::find(code).is_none() {
            out.push(format!(
                "[rules] {code}: no rule has this code (`yuan explain --all` lists them)"
            ));
        }
    }
    let profiles = crate::check::sections::builtin();
    for name in c.sections.keys() {
        if !profiles.contains_key(name) {
            let known = profiles.keys().cloned().collect::<Vec<_>>().join(", ");
            out.push(format!(
                "[sections.{name}]: no such profile (known: {known})"
            ));
        }
    }
    if let Some(size) = &c.cards.size {
        if crate::cards::CardSize::parse(size).is_none() {
            out.push(format!(
                "[cards] size = \"{size}\": use \"a6\", \"a5\" or \"pocket\""
            ));
        }
    }
    let intervals = default_drill_intervals();
    for name in c.drills.interval_months.keys() {
        if !intervals.contains_key(name) {
            let known = intervals.keys().cloned().collect::<Vec<_>>().join(", ");
            out.push(format!(
                "[drills.interval_months] {name}: no such profile (known: {known})"
            ));
        }
    }
    let md = |what: &str, name: &str, from: &str, to: &str, out: &mut Vec<String>| {
        if crate::drills::schedule::MonthDays::parse(from, to).is_none() {
            out.push(format!(
                "[drills] {what} `{name}`: `{from}`..`{to}` is not a month-day range like \"03-01\"..\"05-31\""
            ));
        }
    };
    for s in &c.drills.seasons {
        md("seasons", &s.name, &s.from, &s.to, &mut out);
    }
    for p in c.drills.campaigns.iter().chain(&c.drills.yearly_blackouts) {
        md(
            "campaigns/yearly_blackouts",
            &p.name,
            &p.from,
            &p.to,
            &mut out,
        );
    }
    if let Some(l) = &c.check.lang {
        if crate::diag::Lang::parse(l).is_none() {
            out.push(format!("[check] lang = \"{l}\": use \"zh\" or \"en\""));
        }
    }
    out
}

/// Why `yuan.toml` could not be used: message and byte range.
#[derive(Debug, Clone)]
pub struct ConfigError {
    pub message: String,
    pub range: Option<std::ops::Range<usize>>,
}

/// Parses `yuan.toml` text.
pub fn parse(text: &str) -> Result<Config, ConfigError> {
    toml::from_str::<Config>(text).map_err(|e| ConfigError {
        message: e.message().to_string(),
        range: e.span(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_config_gives_defaults() {
        let c = parse("").expect("parses");
        assert_eq!(c.check.contact_max_age_days, 365);
        assert_eq!(c.files.registry, "registry");
    }

    #[test]
    fn dates_as_toml_dates_or_strings() {
        let c = parse("[check]\ntoday = 2026-11-28\nholidays = [2026-10-01, \"2026-10-02\"]\n")
            .expect("parses");
        assert_eq!(
            c.check.today.map(|d| d.to_string()).as_deref(),
            Some("2026-11-28")
        );
        assert_eq!(c.check.holidays.len(), 2);
        assert!(parse("[check]\ntoday = \"2026-13-01\"\n").is_err());
        assert!(parse("[check]\ntoday = 2026-11-28T08:00:00\n").is_err());
    }

    #[test]
    fn unknown_settings_are_named() {
        let c = parse("[check]\nlang = \"fr\"\n[rules]\nX999 = \"off\"\nS501 = \"warning\"\n[sections]\nonsight = []\n").expect("parses");
        let u = unknown_settings(&c);
        assert_eq!(u.len(), 3, "{u:?}");
    }

    #[test]
    fn errors_carry_spans() {
        let e = parse("[check]\ncontact_max_age_days = \"x\"\n").expect_err("type error");
        assert!(e.range.is_some());
        let e = parse("[chek]\n").expect_err("unknown table");
        assert!(e.message.contains("unknown field"));
    }
}
