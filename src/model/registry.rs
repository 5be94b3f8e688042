//! Registries: the one source of truth for jurisdictions, organisations, roles, contacts,
//! resources and hazards. Plans refer to their entries by id.

use super::meta::Level;
use chrono::NaiveDate;
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
}

/// 行政区.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Jurisdiction {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) level: Level,
    /// The jurisdiction one level up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) parent: Option<String>,
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
    /// 最近核实日期.
    #[serde(
        serialize_with = "crate::model::date::ser",
        deserialize_with = "crate::model::date::de"
    )]
    pub(crate) verified: NaiveDate,
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
}
