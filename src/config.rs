//! `yuan.toml`: the repository's configuration, read once and resolved into a validated form.
//!
//! Every key is optional; defaults follow domain.md. Its schema (`schemas/yuan-toml.schema.json`)
//! is generated from [`Config`]. A broken `yuan.toml` is a diagnostic (code F006), not a crash:
//! the check goes on with the defaults.

use chrono::{Datelike as _, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Severity a repository assigns to a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Level {
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
    pub(crate) check: CheckConfig,
    /// Severity per rule code, e.g. `T801 = "warning"`.
    pub(crate) rules: BTreeMap<String, Level>,
    pub(crate) files: FilesConfig,
    /// Section profiles replacing the built-in ones, keyed by profile name (overall, special,
    /// department, grassroots, joint, comprehensive, enterprise_special, onsite).
    pub(crate) sections: BTreeMap<String, Vec<SectionSpec>>,
    pub(crate) render: RenderConfig,
    pub(crate) cards: CardsConfig,
    pub(crate) review: ReviewConfig,
    pub(crate) drills: DrillsConfig,
    pub(crate) hazards: HazardsConfig,
}

/// `[hazards]`: the hazard vocabulary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct HazardsConfig {
    /// Use the built-in hazards (natural disasters, the accident classes of GB 6441-1986, …)
    /// beside the repository's own `hazards` (default `true`); `false`: only the repository's.
    pub(crate) builtin: bool,
}

impl Default for HazardsConfig {
    fn default() -> Self {
        HazardsConfig { builtin: true }
    }
}

/// `[review]`: change review (`yuan diff`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct ReviewConfig {
    /// What counts as a major change (重大修订), replacing the built-in list
    /// (src/review/major.toml; 《生产安全事故应急预案管理办法》第三十七条, docs/regulations.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) major: Option<Vec<MajorSpec>>,
}

/// `[render]`: fonts of every generated PDF (cards, handbooks, packs).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct RenderConfig {
    /// Regular face: a .ttf/.otf path, or `file.ttc#N` for face N of a collection, relative to
    /// the repository. Default: the built-in Noto Sans CJK SC subset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) font: Option<String>,
    /// Bold face (same syntax). Without one, a custom regular face is drawn bold synthetically.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) font_bold: Option<String>,
}

/// `[cards]`: disposal cards (`yuan cards`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct CardsConfig {
    /// Address the QR code opens, with `{plan}`, `{card}`, `{version}` and `{enterprise}`
    /// replaced, e.g. `https://yj.example.cn/plans/{plan}.html#{card}`. Without it the QR code
    /// dials the enterprise's own emergency line (`tel:0745-6628119`: the card's first
    /// emergency number that is not a national one, else its first contact to report to).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) url: Option<String>,
    /// Default card size: a6 | a5 | pocket.
    #[serde(rename = "size", skip_serializing_if = "Option::is_none")]
    size_as_written: Option<String>,
    /// The default card size, typed when the file is parsed ([`parse`]); `None` when it is not
    /// set or names no size (F006 when the file is read, and A6 applies).
    #[serde(skip)]
    pub(crate) size: Option<CardSize>,
    /// At most this many steps on a card before G903 warns (default 8, see
    /// [`CardsConfig::DEFAULT_MAX_STEPS`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) max_steps: Option<u32>,
    /// At most this many characters in one step (its label and spaces not counted) before G903
    /// warns (default 60, see [`CardsConfig::DEFAULT_MAX_STEP_CHARS`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) max_step_chars: Option<u32>,
}

impl CardsConfig {
    /// Published cards have three to six steps: the first ten minutes of one post's response.
    /// Eight two-line steps are what the front of an A6 card holds beside its numbers block.
    pub(crate) const DEFAULT_MAX_STEPS: u32 = 8;
    /// An A6 card's step column is about 85 mm wide: at 9 pt (3.2 mm a character) a line holds
    /// 26 to 30 characters, so 60 characters is two printed lines. Published cards' steps run
    /// 15 to 40 characters; those over 60 join several actions in one sentence.
    pub(crate) const DEFAULT_MAX_STEP_CHARS: u32 = 60;

    /// `[cards] max_steps`, or its default.
    pub(crate) fn max_steps(&self) -> u32 {
        self.max_steps.unwrap_or(Self::DEFAULT_MAX_STEPS)
    }
    /// `[cards] max_step_chars`, or its default.
    pub(crate) fn max_step_chars(&self) -> u32 {
        self.max_step_chars.unwrap_or(Self::DEFAULT_MAX_STEP_CHARS)
    }
}

/// Card sizes (`[cards] size`, `yuan cards --size`). A configuration type, so it lives here,
/// below the cards that read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CardSize {
    /// A6 portrait, 105 x 148 mm (default).
    A6,
    /// A5 portrait, 148 x 210 mm.
    A5,
    /// Pocket card, 90 x 130 mm.
    Pocket,
}

impl CardSize {
    /// The names `[cards] size` accepts, as they are written.
    pub(crate) const NAMES: [&str; 3] = ["a6", "a5", "pocket"];

    pub fn parse(s: &str) -> Option<CardSize> {
        match s.to_ascii_lowercase().as_str() {
            "a6" => Some(CardSize::A6),
            "a5" => Some(CardSize::A5),
            "pocket" => Some(CardSize::Pocket),
            _ => None,
        }
    }
    /// Width and height in mm.
    pub(crate) fn mm(self) -> (f32, f32) {
        match self {
            CardSize::A6 => (105.0, 148.0),
            CardSize::A5 => (148.0, 210.0),
            CardSize::Pocket => (90.0, 130.0),
        }
    }
}

/// `[drills]`: drill cadences (E005, `yuan drills`). Defaults from the regulations of
/// docs/regulations.md (条例 Art. 8, 管理办法 Art. 33, 2013 办法 Art. 22);
/// a plan's own `drills.interval_months` or `drills.high_risk` wins when it is stricter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DrillsConfig {
    /// Required interval between drills in months, per profile (overall, special, department,
    /// grassroots, joint, comprehensive, enterprise_special, onsite). 0 = no requirement of its
    /// own. An enterprise's comprehensive plan counts drills of its special plans too (Art. 33:
    /// one comprehensive-or-special drill a year).
    pub(crate) interval_months: BTreeMap<String, u32>,
    /// Interval of high-risk units and crowded places (条例 Art. 8 ¶2: every half-year).
    pub(crate) high_risk_months: u32,
    /// Warn this many days before a drill falls due (E005).
    pub(crate) warn_days: u32,
    /// `yuan drills schedule`: at most this many drills per organisation per month.
    pub(crate) max_per_org_month: u32,
    /// `yuan drills schedule`: at least this share of the scheduled drills is double-blind
    /// (双盲: no time, place or scenario announced), chosen among on-site plans first.
    pub(crate) double_blind_share: f64,
    /// `yuan drills schedule`: place each proposed drill this many days before it falls due
    /// where the constraints allow (those that cannot get it are reported).
    pub(crate) slack_days: u32,
    /// Seasonal windows: drills of plans whose first hazard is listed are placed inside them
    /// (default: Hunan values).
    pub(crate) seasons: Vec<Season>,
    /// Campaign periods preferred for drills (5.12, the June safety month, 11.9).
    pub(crate) campaigns: Vec<Period>,
    /// Yearly periods without drills (month-day ranges, e.g. National Day).
    pub(crate) yearly_blackouts: Vec<Period>,
    /// Dated periods without drills (Spring Festival holidays as announced each year).
    pub(crate) blackouts: Vec<DatedPeriod>,
}

/// A seasonal window for some hazards, as month-day range (`MM-DD`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Season {
    pub(crate) name: String,
    /// Hazard ids (registry).
    pub(crate) hazards: Vec<String>,
    /// First day, `MM-DD`.
    pub(crate) from: String,
    /// Last day, `MM-DD` (may be before `from`: the window wraps the new year).
    pub(crate) to: String,
}

/// A yearly period, as month-day range (`MM-DD`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Period {
    pub(crate) name: String,
    pub(crate) from: String,
    pub(crate) to: String,
}

/// A month-day range of `[drills]` (`from` after `to` wraps the new year): the form its
/// periods take once read, for the schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MonthDays {
    pub(crate) from: (u32, u32),
    pub(crate) to: (u32, u32),
}

impl MonthDays {
    /// Parses `MM-DD` .. `MM-DD`.
    pub(crate) fn parse(from: &str, to: &str) -> Option<MonthDays> {
        let md = |s: &str| -> Option<(u32, u32)> {
            let (m, d) = s.split_once('-')?;
            let (m, d) = (m.parse().ok()?, d.parse().ok()?);
            // Validate against a leap year so 02-29 is accepted.
            NaiveDate::from_ymd_opt(2028, m, d)?;
            Some((m, d))
        };
        Some(MonthDays {
            from: md(from)?,
            to: md(to)?,
        })
    }
    pub(crate) fn contains(&self, d: NaiveDate) -> bool {
        self.contains_md((d.month(), d.day()))
    }
    /// Whether the (month, day) `x` is inside.
    pub(crate) fn contains_md(&self, x: (u32, u32)) -> bool {
        if self.from <= self.to {
            self.from <= x && x <= self.to
        } else {
            x >= self.from || x <= self.to
        }
    }
}

/// A dated period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DatedPeriod {
    pub(crate) name: String,
    #[serde(deserialize_with = "dates::one")]
    #[schemars(with = "String")]
    pub(crate) from: NaiveDate,
    #[serde(deserialize_with = "dates::one")]
    #[schemars(with = "String")]
    pub(crate) to: NaiveDate,
}

fn period(name: &str, from: &str, to: &str) -> Period {
    Period {
        name: name.into(),
        from: from.into(),
        to: to.into(),
    }
}

/// Built-in seasonal windows (Hunan practice): flood and geological drills before
/// the main flood season (by the end of May), forest-fire drills before the fire period
/// (1 October).
pub(crate) fn default_seasons() -> Vec<Season> {
    vec![
        Season {
            // names are data, as a repository writes them (one language, quoted in messages)
            name: "汛前".into(),
            hazards: vec!["flood".into(), "geological".into()],
            from: "03-01".into(),
            to: "05-31".into(),
        },
        Season {
            name: "森林防火期前".into(),
            hazards: vec!["forest-fire".into()],
            from: "08-01".into(),
            to: "09-30".into(),
        },
    ]
}

/// Built-in Spring Festival holidays (eve to the sixth day; replace them with the State
/// Council's announcement of each year).
pub(crate) fn default_blackouts() -> Vec<DatedPeriod> {
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
            slack_days: 30,
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

/// Built-in cadences (docs/regulations.md): governments and townships every 2 years (条例
/// Art. 8 ¶1), government special and departmental plans every 3 years (2013 办法 Art. 22; 2024
/// `[S]`), enterprises one comprehensive-or-special drill a year and every on-site plan each
/// half-year (88号令 Art. 33).
pub(crate) fn default_drill_intervals() -> BTreeMap<String, u32> {
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
    pub(crate) fn interval(&self, profile: &str) -> u32 {
        match self.interval_months.get(profile) {
            Some(&v) => v,
            None => default_drill_intervals().get(profile).copied().unwrap_or(0),
        }
    }
}

/// `[check]`: parameters of the rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct CheckConfig {
    /// The date time-based rules use (also `--today`). Default: the system date.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "dates::optional"
    )]
    pub(crate) today: Option<NaiveDate>,
    /// Message language: zh | en.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) lang: Option<String>,
    /// Regular expression every document id must match.
    pub(crate) id_pattern: String,
    /// A contact not verified for this many days is flagged (C602).
    pub(crate) contact_max_age_days: u32,
    /// Plans are assessed at least this often (D702; 《生产安全事故应急预案管理办法》第三十五条).
    pub(crate) assessment_interval_months: u32,
    /// Warn this many days before an assessment falls due.
    pub(crate) assessment_warn_days: u32,
    /// Filing deadline after issue, in working days (D703; 2024 办法 Art. 26, 88号令 Art. 26).
    pub(crate) filing_deadline_working_days: u32,
    /// Text that marks an unfinished plan (T801).
    pub(crate) placeholders: Vec<String>,
    /// Short numbers accepted as phone numbers (C601).
    pub(crate) short_numbers: Vec<String>,
    /// Weekdays that are public holidays, for working-day counts.
    #[serde(deserialize_with = "dates::list")]
    pub(crate) holidays: Vec<NaiveDate>,
    /// Weekend days that are working days (调休).
    #[serde(deserialize_with = "dates::list")]
    pub(crate) workdays: Vec<NaiveDate>,
    /// Files larger than this are not read (F005).
    pub(crate) max_file_bytes: u64,
    /// Keep parsed documents in `.yuan-cache/` between runs of `yuan check` (keyed by git
    /// blob id; safe to delete). `false` turns the cache off, like `--no-cache`.
    pub(crate) cache: bool,
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
pub(crate) struct FilesConfig {
    /// Folder of the registries, relative to the root.
    pub(crate) registry: String,
    /// Glob patterns (gitignore syntax) of paths not to read.
    pub(crate) exclude: Vec<String>,
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

    pub(crate) fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        Option::<Raw>::deserialize(d)?.map(convert).transpose()
    }

    pub(crate) fn one<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        convert(Raw::deserialize(d)?)
    }

    pub(crate) fn list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NaiveDate>, D::Error> {
        Vec::<Raw>::deserialize(d)?
            .into_iter()
            .map(convert)
            .collect()
    }
}

// The types of `[sections.<profile>]` and `[[review.major]]`: configuration types, so they live
// here, below the model and the review that read them (and read their built-in tables, written in
// the same shape: model/sections.toml, review/major.toml).

/// How strongly a section is required; the confidence of its source decides.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum SectionSeverity {
    #[default]
    Error,
    Warning,
}

/// One required section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionSpec {
    /// Stable key, used by `within`.
    pub key: String,
    /// Canonical heading.
    pub title: String,
    /// Other accepted headings.
    #[serde(default)]
    pub(crate) synonyms: Vec<String>,
    /// Key of the section that must contain this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<String>,
    #[serde(default)]
    pub(crate) severity: SectionSeverity,
    /// The clause that requires it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) source: Option<String>,
    /// It may also come before the section listed just above it (among the same siblings):
    /// published plans put the two either way round, such as 应急保障 before or after 后期处置.
    /// S502 then checks both against the sections above them only.
    #[serde(default, skip_serializing_if = "is_false")]
    pub(crate) either_order: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One kind of major content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MajorSpec {
    /// Stable identifier, used in JSON output (`organization`, `procedure`, `measures`, `grading`).
    pub key: String,
    /// Chinese name shown in reports.
    pub title: String,
    /// English name shown in reports.
    pub(crate) title_en: String,
    /// Section-profile keys (sections.toml) whose sections are this content.
    #[serde(default)]
    pub(crate) sections: Vec<String>,
    /// Further headings that are this content in any document.
    #[serde(default)]
    pub(crate) headings: Vec<String>,
    /// Front-matter fields that are this content.
    #[serde(default)]
    pub(crate) fields: Vec<String>,
    /// The clause that makes it major.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) source: Option<String>,
}

/// Settings that parse but name nothing yuan knows: rule codes, section profiles (`profiles`:
/// the names of the built-in ones, which the model knows), languages.
pub(crate) fn unknown_settings(c: &Config, profiles: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for code in c.rules.keys() {
        if crate::diag::codes::known(&code.to_ascii_uppercase()).is_none() {
            out.push(format!(
                "[rules] {code}: no rule has this code (`yuan explain --all` lists them)"
            ));
        }
    }
    for name in c.sections.keys() {
        if !profiles.contains(&name.as_str()) {
            let known = profiles.join(", ");
            out.push(format!(
                "[sections.{name}]: no such profile (known: {known})"
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
    if let Some(l) = &c.check.lang {
        if crate::diag::Lang::parse(l).is_none() {
            out.push(format!("[check] lang = \"{l}\": use \"zh\" or \"en\""));
        }
    }
    out
}

/// A number in `yuan.toml` outside the range yuan accepts; the default was used instead.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OutOfRange {
    /// The setting, as written in docs/format.md: `[check] filing_deadline_working_days`.
    pub(crate) setting: String,
    pub(crate) value: String,
    /// The allowed range, e.g. `0–250`.
    pub(crate) range: String,
    pub(crate) default: String,
    /// Byte range of the setting's line in the text, when it could be found.
    pub(crate) at: Option<std::ops::Range<usize>>,
}

/// The ranges of the numbers in `yuan.toml`. Each is wide enough for any real repository and
/// narrow enough that no setting can make a check or a generator work without end (a count of
/// working days walked from a date, months added in a loop, a file read into memory):
/// - day counts (`contact_max_age_days`, warn days): up to 3,650, ten years;
/// - month intervals: up to 120, ten years (the regulations ask for 6 months to 3 years);
/// - `filing_deadline_working_days`: up to 250, about one working year (the rule is 20);
/// - `max_file_bytes`: 1 KiB to 64 MiB (the default, 8 MiB, is far beyond any plan's text;
///   every byte read is held in memory with its parse);
/// - `max_per_org_month`: 1 to 31 (0 would forbid every drill);
/// - `double_blind_share`: a share, 0 to 1;
/// - `[cards] max_steps`: 1 to 100, `max_step_chars`: 10 to 1,000 (a limit G903 can never
///   reach is turning it off, which `[rules] G903 = "off"` says plainly).
pub(crate) mod ranges {
    pub(crate) const CONTACT_MAX_AGE_DAYS: (u32, u32) = (1, 3650);
    pub(crate) const ASSESSMENT_INTERVAL_MONTHS: (u32, u32) = (1, 120);
    pub(crate) const WARN_DAYS: (u32, u32) = (0, 3650);
    pub(crate) const FILING_DEADLINE_WORKING_DAYS: (u32, u32) = (0, 250);
    pub(crate) const MAX_FILE_BYTES: (u64, u64) = (1024, 64 << 20);
    pub(crate) const DRILL_INTERVAL_MONTHS: (u32, u32) = (0, 120);
    pub(crate) const HIGH_RISK_MONTHS: (u32, u32) = (1, 120);
    pub(crate) const MAX_PER_ORG_MONTH: (u32, u32) = (1, 31);
    pub(crate) const DOUBLE_BLIND_SHARE: (f64, f64) = (0.0, 1.0);
    pub(crate) const SLACK_DAYS: (u32, u32) = (0, 180);
    pub(crate) const CARD_MAX_STEPS: (u32, u32) = (1, 100);
    pub(crate) const CARD_MAX_STEP_CHARS: (u32, u32) = (10, 1000);
}

/// Where `key` of `[table]` is set in `text` (the line's byte range): in the table's section,
/// as a dotted key, or else on the first line that assigns `key` at all (inline tables).
fn locate_setting(text: &str, table: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let full = format!("{table}.{key}");
    let clean = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'')
            .collect()
    };
    let mut section = String::new();
    let mut offset = 0;
    let mut fallback = None;
    for line in text.split_inclusive('\n') {
        let range = offset..offset + line.trim_end().len();
        offset += line.len();
        let t = line.trim();
        if let Some(h) = t.strip_prefix('[') {
            section = clean(h.split(']').next().unwrap_or(""));
            continue;
        }
        let Some((lhs, _)) = t.split_once('=') else {
            continue;
        };
        let lhs = clean(lhs);
        let name = if section.is_empty() {
            lhs.clone()
        } else {
            format!("{section}.{lhs}")
        };
        if name == full {
            return Some(range);
        }
        if fallback.is_none() {
            // `key = ` anywhere on the line, e.g. inside an inline table
            let found = t.match_indices(key).any(|(i, _)| {
                let before = t[..i].chars().next_back();
                let after = t[i + key.len()..].trim_start();
                !before.is_some_and(|c| c.is_alphanumeric() || c == '_') && after.starts_with('=')
            });
            if found {
                fallback = Some(range);
            }
        }
    }
    fallback
}

/// Checks every number of `c` against [`ranges`]; a number outside is replaced by its default
/// and reported. `text` is the file, to point at the line.
pub(crate) fn check_ranges(c: &mut Config, text: &str) -> Vec<OutOfRange> {
    fn int<T: PartialOrd + Copy + std::fmt::Display>(
        out: &mut Vec<OutOfRange>,
        text: &str,
        (table, key): (&str, &str),
        value: &mut T,
        (lo, hi): (T, T),
        default: T,
    ) {
        if *value < lo || *value > hi {
            out.push(OutOfRange {
                setting: format!("[{table}] {key}"),
                value: value.to_string(),
                range: format!("{lo}–{hi}"),
                default: default.to_string(),
                at: locate_setting(text, table, key),
            });
            *value = default;
        }
    }
    let mut out = Vec::new();
    let (dc, dd) = (CheckConfig::default(), DrillsConfig::default());
    let k = &mut c.check;
    int(
        &mut out,
        text,
        ("check", "contact_max_age_days"),
        &mut k.contact_max_age_days,
        ranges::CONTACT_MAX_AGE_DAYS,
        dc.contact_max_age_days,
    );
    int(
        &mut out,
        text,
        ("check", "assessment_interval_months"),
        &mut k.assessment_interval_months,
        ranges::ASSESSMENT_INTERVAL_MONTHS,
        dc.assessment_interval_months,
    );
    int(
        &mut out,
        text,
        ("check", "assessment_warn_days"),
        &mut k.assessment_warn_days,
        ranges::WARN_DAYS,
        dc.assessment_warn_days,
    );
    int(
        &mut out,
        text,
        ("check", "filing_deadline_working_days"),
        &mut k.filing_deadline_working_days,
        ranges::FILING_DEADLINE_WORKING_DAYS,
        dc.filing_deadline_working_days,
    );
    int(
        &mut out,
        text,
        ("check", "max_file_bytes"),
        &mut k.max_file_bytes,
        ranges::MAX_FILE_BYTES,
        dc.max_file_bytes,
    );
    let d = &mut c.drills;
    let builtin = default_drill_intervals();
    for (profile, months) in d.interval_months.iter_mut() {
        let default = builtin.get(profile).copied().unwrap_or(0);
        int(
            &mut out,
            text,
            ("drills.interval_months", profile),
            months,
            ranges::DRILL_INTERVAL_MONTHS,
            default,
        );
    }
    int(
        &mut out,
        text,
        ("drills", "high_risk_months"),
        &mut d.high_risk_months,
        ranges::HIGH_RISK_MONTHS,
        dd.high_risk_months,
    );
    int(
        &mut out,
        text,
        ("drills", "warn_days"),
        &mut d.warn_days,
        ranges::WARN_DAYS,
        dd.warn_days,
    );
    int(
        &mut out,
        text,
        ("drills", "max_per_org_month"),
        &mut d.max_per_org_month,
        ranges::MAX_PER_ORG_MONTH,
        dd.max_per_org_month,
    );
    int(
        &mut out,
        text,
        ("drills", "slack_days"),
        &mut d.slack_days,
        ranges::SLACK_DAYS,
        dd.slack_days,
    );
    // NaN is in no range: compared, it is neither below nor above, so test it first
    if d.double_blind_share.is_nan() {
        d.double_blind_share = -1.0;
    }
    int(
        &mut out,
        text,
        ("drills", "double_blind_share"),
        &mut d.double_blind_share,
        ranges::DOUBLE_BLIND_SHARE,
        dd.double_blind_share,
    );
    let cards = &mut c.cards;
    if let Some(n) = &mut cards.max_steps {
        let default = CardsConfig::DEFAULT_MAX_STEPS;
        int(
            &mut out,
            text,
            ("cards", "max_steps"),
            n,
            ranges::CARD_MAX_STEPS,
            default,
        );
    }
    if let Some(n) = &mut cards.max_step_chars {
        let default = CardsConfig::DEFAULT_MAX_STEP_CHARS;
        let range = ranges::CARD_MAX_STEP_CHARS;
        int(
            &mut out,
            text,
            ("cards", "max_step_chars"),
            n,
            range,
            default,
        );
    }
    out
}

/// A setting in `yuan.toml` that names none of the values yuan accepts; what applies instead
/// was put in its place.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NotAChoice {
    /// The setting, as written in docs/format.md: `[cards] size`.
    pub(crate) setting: String,
    pub(crate) value: String,
    /// What may be written, e.g. `"a6", "a5" or "pocket"`.
    pub(crate) allowed: crate::diag::Text,
    /// What applies instead: the default, or the list without this entry.
    pub(crate) instead: crate::diag::Text,
    /// Byte range of the setting's line in the text, when it could be found.
    pub(crate) at: Option<std::ops::Range<usize>>,
}

/// Checks the settings of `c` that are one of a fixed set of values (`[cards] size`) or must
/// read as a month-day range (`[drills]` seasons, campaigns and yearly blackouts): a card size
/// that is none becomes the default, a list entry whose range cannot be read is left out, and
/// each is reported. `text` is the file, to point at the line.
pub(crate) fn check_choices(c: &mut Config, text: &str) -> Vec<NotAChoice> {
    let mut out = Vec::new();
    if let (Some(size), None) = (&c.cards.size_as_written, c.cards.size) {
        let allowed = CardSize::NAMES.map(|n| format!("\"{n}\"")).join(", ");
        out.push(NotAChoice {
            setting: "[cards] size".into(),
            value: format!("\"{size}\""),
            allowed: crate::text!("{allowed}", "{allowed}"),
            instead: crate::text!("已改用默认尺寸 a6", "the default size a6 is used instead"),
            at: locate_setting(text, "cards", "size"),
        });
    }
    let d = &mut c.drills;
    let mut seasons = std::mem::take(&mut d.seasons);
    seasons.retain(|s| month_days_or_report(&mut out, text, "seasons", &s.name, &s.from, &s.to));
    d.seasons = seasons;
    for (what, list) in [
        ("campaigns", &mut d.campaigns),
        ("yearly_blackouts", &mut d.yearly_blackouts),
    ] {
        list.retain(|p| month_days_or_report(&mut out, text, what, &p.name, &p.from, &p.to));
    }
    out
}

/// Whether `from`..`to` of the entry `name` of `[drills] what` reads as a month-day range;
/// reports it when not.
fn month_days_or_report(
    out: &mut Vec<NotAChoice>,
    text: &str,
    what: &str,
    name: &str,
    from: &str,
    to: &str,
) -> bool {
    if MonthDays::parse(from, to).is_some() {
        return true;
    }
    // the line of the value that does not read (a TOML string: in double or single quotes)
    let bad = if MonthDays::parse(from, from).is_none() {
        from
    } else {
        to
    };
    let at = [format!("\"{bad}\""), format!("'{bad}'")]
        .iter()
        .find_map(|quoted| locate_text(text, quoted))
        .or_else(|| locate_setting(text, "drills", what));
    out.push(NotAChoice {
        setting: format!("[drills] {what} `{name}`"),
        value: format!("\"{from}\"..\"{to}\""),
        allowed: crate::text!(
            "月-日范围，如 \"03-01\"..\"05-31\"",
            "a month-day range like \"03-01\"..\"05-31\""
        ),
        instead: crate::text!("此条目被忽略", "this entry is left out"),
        at,
    });
    false
}

/// The byte range of the first line of `text` that contains `needle`, without its line end.
fn locate_text(text: &str, needle: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.contains(needle) {
            return Some(offset..offset + line.trim_end().len());
        }
        offset += line.len();
    }
    None
}

/// Why `yuan.toml` could not be used: message and byte range.
#[derive(Debug, Clone)]
pub struct ConfigError {
    pub message: String,
    pub(crate) range: Option<std::ops::Range<usize>>,
}

/// Parses `yuan.toml` text. Settings with a fixed set of values come out typed (a value that
/// names none of them as `None`; [`check_choices`] reports it).
pub fn parse(text: &str) -> Result<Config, ConfigError> {
    let mut c = toml::from_str::<Config>(text).map_err(|e| ConfigError {
        message: e.message().to_string(),
        range: e.span(),
    })?;
    c.cards.size = c.cards.size_as_written.as_deref().and_then(CardSize::parse);
    Ok(c)
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
        let u = unknown_settings(&c, &["overall", "onsite"]);
        assert_eq!(u.len(), 3, "{u:?}");
    }

    #[test]
    fn numbers_out_of_range_are_named_located_and_replaced() {
        let text = "[check]\ncontact_max_age_days = 0\nfiling_deadline_working_days = 4294967295\n\n[drills]\nwarn_days = 10\ndouble_blind_share = nan\ninterval_months = { overall = 9999, onsite = 6 }\n";
        let mut c = parse(text).expect("parses");
        let bad = check_ranges(&mut c, text);
        let names: Vec<&str> = bad.iter().map(|b| b.setting.as_str()).collect();
        assert_eq!(
            names,
            [
                "[check] contact_max_age_days",
                "[check] filing_deadline_working_days",
                "[drills.interval_months] overall",
                "[drills] double_blind_share",
            ]
        );
        let f = &bad[1];
        assert_eq!(
            (f.value.as_str(), f.range.as_str(), f.default.as_str()),
            ("4294967295", "0–250", "20")
        );
        let line = |b: &OutOfRange| b.at.clone().map(|r| &text[r]);
        assert_eq!(line(f), Some("filing_deadline_working_days = 4294967295"));
        assert_eq!(line(&bad[0]), Some("contact_max_age_days = 0"));
        assert!(line(&bad[2]).is_some_and(|l| l.starts_with("interval_months")));
        assert_eq!(c.check.filing_deadline_working_days, 20);
        assert_eq!(c.check.contact_max_age_days, 365);
        assert_eq!(c.drills.interval("overall"), 24);
        assert_eq!(c.drills.interval("onsite"), 6);
        assert_eq!(c.drills.double_blind_share, 0.1);
        assert_eq!(c.drills.warn_days, 10);
    }

    #[test]
    fn card_simplicity_limits_default_and_are_kept_in_range() {
        let c = Config::default();
        assert_eq!((c.cards.max_steps(), c.cards.max_step_chars()), (8, 60));
        let text = "[cards]\nmax_steps = 12\nmax_step_chars = 0\n";
        let mut c = parse(text).expect("parses");
        let bad = check_ranges(&mut c, text);
        assert_eq!(bad.len(), 1, "{bad:?}");
        assert_eq!(bad[0].setting, "[cards] max_step_chars");
        assert_eq!(
            bad[0].at.clone().map(|r| &text[r]),
            Some("max_step_chars = 0")
        );
        assert_eq!((c.cards.max_steps(), c.cards.max_step_chars()), (12, 60));
    }

    #[test]
    fn dotted_keys_and_defaults_pass() {
        let text = "check.assessment_interval_months = 500\n";
        let mut c = parse(text).expect("parses");
        let bad = check_ranges(&mut c, text);
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].at.clone().map(|r| &text[r]), Some(text.trim_end()));
        let mut d = Config::default();
        assert!(
            check_ranges(&mut d, "").is_empty(),
            "the defaults are in range"
        );
    }

    #[test]
    fn a_card_size_is_typed_when_parsed_and_an_unknown_one_is_located_and_dropped() {
        let c = parse("[cards]\nsize = \"Pocket\"\n").expect("parses");
        assert_eq!(c.cards.size, Some(CardSize::Pocket));
        let text = "[cards]\nurl = \"https://x.cn/{plan}\"\nsize = \"a4\"\n";
        let mut c = parse(text).expect("parses");
        assert_eq!(c.cards.size, None);
        let bad = check_choices(&mut c, text);
        assert_eq!(bad.len(), 1, "{bad:?}");
        assert_eq!(bad[0].setting, "[cards] size");
        assert!(bad[0].allowed.en.contains("\"pocket\""));
        assert_eq!(bad[0].at.clone().map(|r| &text[r]), Some("size = \"a4\""));
        let mut d = parse("[cards]\nsize = \"a5\"\n").expect("parses");
        assert!(check_choices(&mut d, "").is_empty());
    }

    #[test]
    fn a_drill_period_that_does_not_read_is_located_and_left_out() {
        let text = "[drills]\nseasons = [\n  { name = \"a\", hazards = [], from = \"03-01\", to = \"05-31\" },\n  { name = \"b\", hazards = [], from = \"02-30\", to = \"05-31\" },\n]\n\n[[drills.yearly_blackouts]]\nname = \"c\"\nfrom = '10-01'\nto = '10-99'\n";
        let mut c = parse(text).expect("parses");
        let bad = check_choices(&mut c, text);
        let lines: Vec<&str> = bad
            .iter()
            .filter_map(|b| b.at.clone().map(|r| &text[r]))
            .collect();
        assert_eq!(
            lines,
            [
                "  { name = \"b\", hazards = [], from = \"02-30\", to = \"05-31\" },",
                "to = '10-99'"
            ]
        );
        assert_eq!(bad[0].setting, "[drills] seasons `b`");
        assert_eq!(c.drills.seasons.len(), 1);
        assert!(c.drills.yearly_blackouts.is_empty());
        assert!(
            check_choices(&mut Config::default(), "").is_empty(),
            "the defaults read"
        );
    }

    #[test]
    fn errors_carry_spans() {
        let e = parse("[check]\ncontact_max_age_days = \"x\"\n").expect_err("type error");
        assert!(e.range.is_some());
        let e = parse("[chek]\n").expect_err("unknown table");
        assert!(e.message.contains("unknown field"));
    }
}
