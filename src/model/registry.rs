//! Registries: the one source of truth for jurisdictions, organisations, roles, contacts,
//! resources, hazards and the plans of other organisations (`external_plans`). Plans refer to
//! their entries by id.

use super::date::Date;
use super::meta::{Kind, Level};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One registry file: any of the lists, in any file under `registry/`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct RegistryFile {
    #[serde(default)]
    pub(crate) jurisdictions: Vec<Jurisdiction>,
    #[serde(default)]
    pub(crate) organizations: Vec<Organization>,
    #[serde(default)]
    pub(crate) roles: Vec<Role>,
    #[serde(default)]
    pub(crate) contacts: Vec<Contact>,
    #[serde(default)]
    pub(crate) resources: Vec<Resource>,
    #[serde(default)]
    pub(crate) hazards: Vec<Hazard>,
    /// Plans kept outside this repository (a local government's, the national ones) that plans
    /// here name as `parent` or in `links` (see [`crate::model::external`]).
    #[serde(default)]
    pub(crate) external_plans: Vec<ExternalPlan>,
}

/// 行政区. The top is a national jurisdiction (`level: national`, no parent, e.g. `cn`
/// 中华人民共和国) or, in a repository without one, a province.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Jurisdiction {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) level: Level,
    /// The jurisdiction one level up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) parent: Option<String>,
    /// Written by `yuan import`: the file the entry was read from (a Word document's name).
    /// The entry was found in a plan's text, not checked by a person: remove the key once it
    /// is (docs/format.md §5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) imported: Option<String>,
}

/// Type of an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum OrgType {
    /// 人民政府
    Government,
    /// 政府部门
    Department,
    /// 指挥机构 (指挥部、安委会)
    Command,
    /// 企业
    Enterprise,
    /// 救援队伍
    Team,
    Other,
}

/// 单位/机构.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Organization {
    pub(crate) id: String,
    pub(crate) name: String,
    #[serde(rename = "type")]
    pub(crate) org_type: OrgType,
    /// Jurisdiction id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) jurisdiction: Option<String>,
    /// Parent organisation id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) parent: Option<String>,
    /// High-risk unit or crowded place (条例 Art. 8 ¶2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) high_risk: Option<bool>,
    /// Contact id of the unit's 24-hour emergency line (应急值班电话): its duty number is
    /// printed in the numbers block of every disposal card of the enterprise, also when the
    /// card does not list it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) duty_contact: Option<String>,
    /// Written by `yuan import`: the file the entry was read from (a Word document's name).
    /// The entry was found in a plan's text, not checked by a person: remove the key once it
    /// is (docs/format.md §5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) imported: Option<String>,
}

/// 岗位/角色, e.g. 总指挥.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Role {
    pub(crate) id: String,
    pub(crate) name: String,
    /// Organisation id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) org: Option<String>,
    /// Contact id of the holder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) contact: Option<String>,
    /// Written by `yuan import`: the file the entry was read from (a Word document's name).
    /// The entry was found in a plan's text, not checked by a person: remove the key once it
    /// is (docs/format.md §5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) imported: Option<String>,
}

/// Kind of a phone number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum PhoneType {
    /// 值班电话
    Duty,
    Office,
    Mobile,
    Fax,
    /// 应急/报警号码
    Emergency,
}

/// A phone number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Phone {
    pub(crate) number: String,
    #[serde(rename = "type")]
    pub(crate) phone_type: PhoneType,
}

/// 通讯录 entry: a person or a duty desk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Contact {
    pub(crate) id: String,
    pub(crate) name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) org: Option<String>,
    /// 职务.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) title: Option<String>,
    #[schemars(length(min = 1))]
    pub(crate) phones: Vec<Phone>,
    /// 最近核实日期: `YYYY-MM-DD`, or `YYYY-MM` (C602 counts from the month's first day).
    pub(crate) verified: Date,
    /// Written by `yuan import`: the file the entry was read from (a Word document's name).
    /// The entry was found in a plan's text, not checked by a person: remove the key once it
    /// is (docs/format.md §5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) imported: Option<String>,
}

/// Type of an emergency resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ResourceType {
    /// 救援队伍
    Team,
    /// 物资储备库
    Stockpile,
    /// 避难场所/集合点
    Shelter,
    /// 专家
    Expert,
    /// 装备
    Equipment,
}

/// An item held in a stockpile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Item {
    pub(crate) name: String,
    pub(crate) quantity: f64,
    pub(crate) unit: String,
}

/// 应急资源.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Resource {
    pub(crate) id: String,
    #[serde(rename = "type")]
    pub(crate) resource_type: ResourceType,
    pub(crate) name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) org: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) location: Option<String>,
    /// Contact id of the custodian (保管人).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) custodian: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) capacity: Option<String>,
    #[serde(default)]
    pub(crate) items: Vec<Item>,
    #[serde(default)]
    pub(crate) hazards: Vec<String>,
}

/// Category of a hazard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum HazardCategory {
    /// 自然灾害
    Natural,
    /// 事故灾难
    Accident,
    /// 公共卫生事件
    PublicHealth,
    /// 社会安全事件
    Social,
}

/// 灾种.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Hazard {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) category: HazardCategory,
    /// Other names plans write for it (触电事故 for 触电), matched in risk descriptions (H208).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) aliases: Vec<String>,
    /// Written by `yuan import`: the file whose title named the event (its category is a
    /// guess from the name). Remove the key once a person has checked the entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) imported: Option<String>,
}

/// A plan that lives outside this repository (外部预案): the overall plan of the local
/// government an enterprise dovetails with, the national special plan above a province's.
/// Today its facts are the registry entry itself; a later `repository:` form will resolve it into
/// another yuan repository pinned at a git revision (the key is reserved, see
/// [`crate::model::external::Source`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct ExternalPlan {
    /// The id plans here use for it (unique among documents and external plans).
    pub(crate) id: String,
    /// The title as published, without 《》.
    pub(crate) title: String,
    /// 文号, e.g. 国办函〔2024〕6号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) doc_no: Option<String>,
    /// The issuing bodies, as printed: one, or several for a joint issue (联合印发).
    #[schemars(length(min = 1))]
    pub(crate) issuers: Vec<String>,
    /// Jurisdiction id (registry). Leave it out only for a plan of a jurisdiction the registry
    /// does not hold (the nation above a provincial repository): the rules then cannot tell
    /// which jurisdictions it contains, and it counts for none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) jurisdiction: Option<String>,
    /// Level; defaults to the jurisdiction's level in the registry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) level: Option<Level>,
    /// Plan kind (`overall`, `special`, `department`, … ; `comprehensive` and `onsite` are
    /// enterprise plans, every other kind a government one).
    pub(crate) kind: Kind,
    /// Hazard ids it covers.
    #[serde(default)]
    pub(crate) hazards: Vec<String>,
    /// Version as published, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) version: Option<String>,
    /// Date of issue: `YYYY-MM-DD`, or `YYYY-MM` where the published text gives only the month
    /// (the precision is kept, see [`Date`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) date: Option<Date>,
    /// Where the published text can be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) url: Option<String>,
    /// Written by `yuan import`: the file whose text cited the plan (its issuers and kind are
    /// read from the title). Remove the key once a person has checked the entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) imported: Option<String>,
}

impl ExternalPlan {
    /// Whether it is an enterprise plan (by its kind: external plans name no enterprise).
    pub(crate) fn is_enterprise(&self) -> bool {
        self.kind.enterprise_only()
    }
}
