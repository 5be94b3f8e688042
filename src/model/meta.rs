//! The front matter of documents, as Rust types. `schemas/*.schema.json` are generated from these
//! types (see `crate::schema`), so the validator, the editor schemas and the code cannot drift.
//! Field names follow domain.md §8.

use super::date::Date;
use super::lazy::Lazy;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Document kind (domain.md §8 glossary).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// 总体应急预案
    Overall,
    /// 专项应急预案 (government, or enterprise when `enterprise` is set)
    Special,
    /// 部门应急预案
    Department,
    /// 基层组织和单位应急预案
    Grassroots,
    /// 联合应急预案
    Joint,
    /// 综合应急预案 (enterprise, GB/T 29639-2020 §6)
    Comprehensive,
    /// 现场处置方案 (enterprise, GB/T 29639-2020 §8)
    Onsite,
    /// 应急处置卡
    Card,
    /// 应急演练记录 (a drill, planned or held; see `model::drill`)
    Drill,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Overall,
        Kind::Special,
        Kind::Department,
        Kind::Grassroots,
        Kind::Joint,
        Kind::Comprehensive,
        Kind::Onsite,
        Kind::Card,
        Kind::Drill,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Overall => "overall",
            Kind::Special => "special",
            Kind::Department => "department",
            Kind::Grassroots => "grassroots",
            Kind::Joint => "joint",
            Kind::Comprehensive => "comprehensive",
            Kind::Onsite => "onsite",
            Kind::Card => "card",
            Kind::Drill => "drill",
        }
    }
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub(crate) fn zh(self) -> &'static str {
        match self {
            Kind::Overall => "总体应急预案",
            Kind::Special => "专项应急预案",
            Kind::Department => "部门应急预案",
            Kind::Grassroots => "基层组织和单位应急预案",
            Kind::Joint => "联合应急预案",
            Kind::Comprehensive => "综合应急预案",
            Kind::Onsite => "现场处置方案",
            Kind::Card => "应急处置卡",
            Kind::Drill => "应急演练记录",
        }
    }
    /// Kinds that only enterprises write (they require `enterprise`).
    pub(crate) fn enterprise_only(self) -> bool {
        matches!(self, Kind::Comprehensive | Kind::Onsite | Kind::Card)
    }
}

/// Administrative level of a government plan or jurisdiction.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Level {
    /// 国家级: plans of the central authorities (中共中央、国务院 and their departments). Above
    /// every province; such a plan is filed with nobody (D703 does not apply).
    National,
    /// 省级
    Province,
    /// 市级
    City,
    /// 县级
    County,
    /// 乡镇（街道）
    Township,
    /// 村（社区）
    Community,
}

impl Level {
    /// 0 = national, 1 = province … 5 = community.
    pub(crate) fn depth(self) -> u8 {
        self as u8
    }
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Level::National => "national",
            Level::Province => "province",
            Level::City => "city",
            Level::County => "county",
            Level::Township => "township",
            Level::Community => "community",
        }
    }
}

/// The issuing body of a plan (`issuer`): one organisation id, or a list of them for a plan
/// issued jointly (联合印发, e.g. 中共中央、国务院, or several departments' joint plan). A single
/// id stays a single string in every output; a list stays a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Issuer {
    ids: Vec<String>,
    /// Written as a list (kept, so that outputs write what was read).
    listed: bool,
}

impl Issuer {
    /// One issuing body.
    #[cfg(test)]
    pub(crate) fn one(id: &str) -> Issuer {
        Issuer {
            ids: vec![id.to_string()],
            listed: false,
        }
    }
    /// The organisation ids, the lead issuer (the one named first) first.
    pub(crate) fn ids(&self) -> &[String] {
        &self.ids
    }
    /// Whether `issuer` was written as a list.
    pub(crate) fn is_listed(&self) -> bool {
        self.listed
    }
    /// The lead issuer: the body named first.
    pub(crate) fn lead(&self) -> &str {
        self.ids.first().map_or("", String::as_str)
    }
    /// Whether `id` is one of the issuing bodies.
    pub(crate) fn contains(&self, id: &str) -> bool {
        self.ids.iter().any(|i| i == id)
    }
    /// The bodies' names joined as a Chinese document joins them (`中共中央、国务院`), each id
    /// given its name by `name`.
    pub(crate) fn names(&self, name: impl Fn(&str) -> String) -> String {
        self.ids
            .iter()
            .map(|i| name(i))
            .collect::<Vec<_>>()
            .join("、")
    }
}

impl Serialize for Issuer {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match (s.is_human_readable(), self.listed, self.ids.as_slice()) {
            (true, false, [one]) => s.serialize_str(one),
            (true, _, ids) => ids.serialize(s),
            (false, listed, ids) => (listed, ids).serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Issuer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Issuer, D::Error> {
        struct OneOrList;
        impl<'de> serde::de::Visitor<'de> for OneOrList {
            type Value = Issuer;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an organisation id or a list of them")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Issuer, E> {
                self.visit_string(v.to_string())
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Issuer, E> {
                Ok(Issuer {
                    ids: vec![v],
                    listed: false,
                })
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Issuer, A::Error> {
                let mut ids = Vec::new();
                while let Some(id) = a.next_element::<String>()? {
                    ids.push(id);
                }
                if ids.is_empty() {
                    return Err(serde::de::Error::invalid_length(0, &self));
                }
                Ok(Issuer { ids, listed: true })
            }
        }
        if d.is_human_readable() {
            d.deserialize_any(OneOrList)
        } else {
            let (listed, ids) = <(bool, Vec<String>)>::deserialize(d)?;
            Ok(Issuer { ids, listed })
        }
    }
}

impl JsonSchema for Issuer {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Issuer".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": ["string", "array"],
            "items": { "type": "string" },
            "minItems": 1,
        })
    }
}

/// Lifecycle status of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Status {
    /// 草案
    Draft,
    /// 现行
    Active,
    /// 已废止/被替代
    Superseded,
}

/// Dates of a plan: `YYYY-MM-DD`, or `YYYY-MM` when only the month is known (an approval page
/// that says 二〇二四年六月). Rules count a month from its first day (docs/format.md §2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Dates {
    /// 印发日期: the date the plan was issued.
    pub(crate) issued: Date,
    /// 施行日期: the date it takes effect.
    pub(crate) effective: Date,
    /// 公布日期 (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) published: Option<Date>,
    /// 最近一次评估日期: the 3-year assessment clock runs from here (or from `issued`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) assessed: Option<Date>,
}

/// 备案: filing with the authority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Filing {
    /// 备案机关.
    pub(crate) authority: String,
    /// 备案日期.
    pub(crate) filed_on: Date,
    /// 备案登记号/回执号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) receipt_no: Option<String>,
}

/// How the plan was reviewed before issue (生产安全事故应急预案管理办法 Art. 21).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ReviewMode {
    /// 评审
    ExpertReview,
    /// 论证
    Justification,
}

/// 评审/论证 record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Review {
    pub(crate) mode: ReviewMode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) date: Option<Date>,
}

/// Vertical and lateral links of a plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Links {
    /// 上下衔接: plans of the level above for the same hazard; for enterprise plans, the
    /// government plan they dovetail with.
    #[serde(default)]
    pub(crate) upper: Vec<String>,
    /// 左右关联: plans of the same level to coordinate with.
    #[serde(default)]
    pub(crate) related: Vec<String>,
}

/// A role and its duties under this plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct RoleDuty {
    /// Role id (registry).
    pub(crate) role: String,
    /// 职责.
    pub(crate) duties: String,
}

/// 组织指挥体系.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Organization {
    /// 指挥机构, e.g. 市防汛抗旱指挥部.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) command_body: Option<String>,
    #[serde(default)]
    pub(crate) roles: Vec<RoleDuty>,
}

/// What one role does at one response level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Task {
    /// Role id (registry).
    pub(crate) role: String,
    #[serde(default)]
    pub(crate) actions: Vec<String>,
}

/// 应急响应级别. Level 1 (一级) is the highest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct ResponseLevel {
    /// 1 = 一级 (highest) … 4 = 四级.
    #[schemars(range(min = 1, max = 4))]
    pub(crate) level: u8,
    /// Name as the plan writes it, e.g. 一级应急响应 / Ⅰ级应急响应.
    pub(crate) name: String,
    /// 启动条件.
    pub(crate) trigger: String,
    /// Role id of who decides to start this level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) decided_by: Option<String>,
    /// Role id of who leads the response at this level.
    pub(crate) lead: String,
    /// 响应措施.
    #[serde(default)]
    pub(crate) actions: Vec<String>,
    /// Per-role checklists at this level.
    #[serde(default)]
    pub(crate) tasks: Vec<Task>,
}

/// 预警级别 colour (突发事件应对法: 一级红、二级橙、三级黄、四级蓝).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum WarningColor {
    Red,
    Orange,
    Yellow,
    Blue,
}

/// A warning level, kept apart from response levels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct WarningLevel {
    pub(crate) color: WarningColor,
    /// 发布条件.
    pub(crate) criteria: String,
    /// Role id of who issues it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) issued_by: Option<String>,
    /// 预警措施.
    #[serde(default)]
    pub(crate) measures: Vec<String>,
}

/// One step of the information-reporting flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct ReportStep {
    /// Role id that reports.
    pub(crate) from: String,
    /// Role id reported to.
    pub(crate) to: String,
    /// Time limit in minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) within_minutes: Option<u32>,
    /// What is reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) content: Option<String>,
}

/// Overrides of the drill cadence for this plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct DrillPolicy {
    /// Required interval between drills, in months.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) interval_months: Option<u32>,
    /// High-risk unit or crowded place (条例 Art. 8 ¶2: every half-year).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) high_risk: Option<bool>,
}

/// 上下衔接记录: which state of an upstream document or registry entry this document was last
/// reviewed against (written by `yuan align`; see docs/format.md §2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Aligned {
    /// The upstream: a document id (the parent, a `links.upper` plan, a card's on-site plan) or
    /// a registry entry as `KIND:ID` (`contact:…`, `resource:…`, `role:…`, `org:…`,
    /// `jurisdiction:…`, `hazard:…`).
    pub(crate) with: String,
    /// The upstream document's `version` when it was reviewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) version: Option<String>,
    /// Fingerprint of the upstream's content when it was reviewed (written by `yuan align`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) digest: Option<String>,
    /// The commit of the upstream file's last change when it was reviewed (lets yuan name the
    /// sections that changed since).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) commit: Option<String>,
    /// The date of the review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) date: Option<Date>,
}

/// Front matter of a plan (every kind except `card`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct PlanMeta {
    /// Unique id, also the file name.
    pub(crate) id: String,
    pub(crate) kind: Kind,
    /// 预案名称.
    pub(crate) title: String,
    /// 版本号. Quote it: an unquoted 2025.1 is a number.
    pub(crate) version: String,
    /// 预案编号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) plan_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) status: Option<Status>,
    /// Organisation id of the issuing body (制定/印发单位), or a list of them for a plan issued
    /// jointly (联合印发): `issuer: [zhonggong-zhongyang, guowuyuan]`.
    pub(crate) issuer: Issuer,
    /// Organisation id of the lead department (牵头部门).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) lead_department: Option<String>,
    /// Administrative level (government plans).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) level: Option<Level>,
    /// Jurisdiction id (registry).
    pub(crate) jurisdiction: String,
    /// Enterprise organisation id: makes this an enterprise document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) enterprise: Option<String>,
    /// The plan this one hangs under (see docs/format.md §1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) parent: Option<String>,
    #[serde(default)]
    pub(crate) links: Links,
    /// Hazard ids. For an overall plan: the hazards it assigns to special plans.
    #[serde(default)]
    pub(crate) hazards: Vec<String>,
    pub(crate) dates: Dates,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) filing: Option<Filing>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) review: Option<Review>,
    /// 签发.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) signed_by: Option<String>,
    #[serde(default, skip_serializing_if = "Lazy::is_absent")]
    pub(crate) organization: Lazy<Option<Organization>>,
    #[serde(default)]
    pub(crate) response_levels: Lazy<Vec<ResponseLevel>>,
    #[serde(default)]
    pub(crate) warning_levels: Lazy<Vec<WarningLevel>>,
    #[serde(default)]
    pub(crate) reporting: Lazy<Vec<ReportStep>>,
    /// Contact ids used by this plan.
    #[serde(default)]
    pub(crate) contacts: Vec<String>,
    /// Resource ids used by this plan.
    #[serde(default)]
    pub(crate) resources: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) drills: Option<DrillPolicy>,
    /// On-site plans: the key posts that need disposal cards.
    #[serde(default)]
    pub(crate) key_posts: Vec<String>,
    /// 上下衔接: the upstream versions this plan was last reviewed against (`yuan align`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) aligned: Vec<Aligned>,
}

/// Where to go after a decision step (1-based step numbers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Decision {
    #[schemars(range(min = 1))]
    pub(crate) yes: u32,
    #[schemars(range(min = 1))]
    pub(crate) no: u32,
}

/// One step of a disposal card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct CardStep {
    /// What to do (or, with `decision`, the question to answer).
    pub(crate) action: String,
    /// Role id of who does it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) who: Option<String>,
    /// Critical values to emphasise: valve tags, thresholds.
    #[serde(default)]
    pub(crate) values: Vec<String>,
    /// Heading of the parent on-site plan this step comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) clause: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) decision: Option<Decision>,
}

/// Front matter of a disposal card (应急处置卡).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct CardMeta {
    pub(crate) id: String,
    pub(crate) kind: Kind,
    pub(crate) title: String,
    pub(crate) version: String,
    /// Enterprise organisation id.
    pub(crate) enterprise: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) jurisdiction: Option<String>,
    /// The on-site disposal plan this card comes from.
    pub(crate) parent: String,
    /// 岗位: one of the parent's `key_posts`.
    pub(crate) post: String,
    /// Hazard id.
    pub(crate) hazard: String,
    /// One-line risk warning.
    pub(crate) risk: String,
    #[schemars(length(min = 1))]
    pub(crate) steps: Lazy<Vec<CardStep>>,
    /// 注意事项.
    #[serde(default)]
    pub(crate) cautions: Vec<String>,
    /// Personal protective equipment.
    #[serde(default)]
    pub(crate) ppe: Vec<String>,
    /// Contact ids to report to.
    #[schemars(length(min = 1))]
    pub(crate) report_to: Vec<String>,
    /// Emergency numbers printed large (119, 120, 110 …).
    #[serde(default)]
    pub(crate) emergency_numbers: Vec<String>,
    /// 应急集合点.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) assembly_point: Option<String>,
    pub(crate) dates: Dates,
    /// The on-site plan version this card was last reviewed against (`yuan align`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) aligned: Vec<Aligned>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_issuer_is_one_body_or_a_list_and_stays_as_written() {
        let one: Issuer = serde_json::from_value(serde_json::json!("qx-gov")).expect("one");
        assert_eq!(one, Issuer::one("qx-gov"));
        assert!(!one.is_listed());
        assert_eq!(serde_json::to_value(&one).expect("json"), "qx-gov");
        let joint: Issuer =
            serde_json::from_value(serde_json::json!(["zhongyang", "guowuyuan"])).expect("list");
        assert_eq!(joint.ids(), ["zhongyang", "guowuyuan"]);
        assert_eq!(joint.lead(), "zhongyang");
        assert!(joint.contains("guowuyuan") && !joint.contains("qx-gov"));
        assert_eq!(
            joint.names(|id| if id == "zhongyang" {
                "中共中央".into()
            } else {
                "国务院".into()
            }),
            "中共中央、国务院"
        );
        assert_eq!(
            serde_json::to_value(&joint).expect("json"),
            serde_json::json!(["zhongyang", "guowuyuan"])
        );
        let listed_one: Issuer =
            serde_json::from_value(serde_json::json!(["qx-gov"])).expect("list of one");
        assert_eq!(
            serde_json::to_value(&listed_one).expect("json"),
            serde_json::json!(["qx-gov"])
        );
        for v in [one, joint, listed_one] {
            let bytes = postcard::to_allocvec(&v).expect("encode");
            assert_eq!(postcard::from_bytes::<Issuer>(&bytes).expect("decode"), v);
        }
        assert!(serde_json::from_value::<Issuer>(serde_json::json!([])).is_err());
        assert!(serde_json::from_value::<Issuer>(serde_json::json!(3)).is_err());
    }

    #[test]
    fn national_is_above_every_province() {
        assert!(Level::National < Level::Province);
        assert_eq!(Level::National.depth(), 0);
        assert_eq!(Level::Community.depth(), 5);
        let l: Level = serde_json::from_value(serde_json::json!("national")).expect("level");
        assert_eq!(l.as_str(), "national");
    }
}
