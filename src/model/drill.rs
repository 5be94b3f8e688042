//! Front matter of a drill record (`kind: drill`, 应急演练记录), as Rust types: the schema
//! `schemas/drill.schema.json` is generated from them. Field names follow domain.md §8 and the
//! HSEEP mapping of §6 (injects = 演练脚本 / MSEL, corrective actions = 整改 / improvement plan).

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// 演练形式 (AQ/T 9007-2019; 《突发事件应急演练指南》).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DrillForm {
    /// 桌面演练 (桌面推演)
    Tabletop,
    /// 实战演练
    Live,
}

/// 演练内容 (AQ/T 9007-2019; 《突发事件应急演练指南》).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DrillContent {
    /// 单项演练
    Single,
    /// 综合演练
    Comprehensive,
}

/// 演练目的 (《突发事件应急演练指南》).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum DrillPurpose {
    /// 检验性
    Validation,
    /// 示范性
    Demonstration,
    /// 研究性
    Research,
}

/// 盲演程度: double-blind = 双盲 (no time, place or content announced).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum BlindLevel {
    /// 不盲: everything announced.
    #[default]
    None,
    /// 单盲: time or content withheld from the players.
    Single,
    /// 双盲: neither time, place nor content announced.
    Double,
}

impl DrillForm {
    /// The YAML value.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            DrillForm::Tabletop => "tabletop",
            DrillForm::Live => "live",
        }
    }
    /// 桌面 / 实战.
    pub(crate) fn zh(self) -> &'static str {
        match self {
            DrillForm::Tabletop => "桌面",
            DrillForm::Live => "实战",
        }
    }
}

impl DrillContent {
    /// The YAML value.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            DrillContent::Single => "single",
            DrillContent::Comprehensive => "comprehensive",
        }
    }
    /// 单项 / 综合.
    pub(crate) fn zh(self) -> &'static str {
        match self {
            DrillContent::Single => "单项",
            DrillContent::Comprehensive => "综合",
        }
    }
}

impl BlindLevel {
    /// 单盲 / 双盲; empty when not blind.
    pub(crate) fn zh(self) -> &'static str {
        match self {
            BlindLevel::None => "",
            BlindLevel::Single => "单盲",
            BlindLevel::Double => "双盲",
        }
    }
}

/// Status of a drill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum DrillStatus {
    /// 计划中
    Planned,
    /// 已实施
    Done,
    /// 已取消
    Cancelled,
}

/// A plan the drill exercises.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct ExercisedPlan {
    /// Plan id.
    pub(crate) plan: String,
    /// Headings of the plan the drill tests (optional; all of it when empty).
    #[serde(default)]
    pub(crate) clauses: Vec<String>,
}

/// 演练组织 (《突发事件应急演练指南》, AQ/T 9007-2019: 领导小组, 导调, 评估组, 保障组, 参演单位).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct DrillRoles {
    /// 演练领导小组.
    #[serde(default)]
    pub(crate) leadership: Vec<String>,
    /// 总指挥.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) director: Option<String>,
    /// 策划与导调组 (control cell).
    #[serde(default)]
    pub(crate) control: Vec<String>,
    /// 评估组.
    #[serde(default)]
    pub(crate) evaluators: Vec<String>,
    /// 保障组.
    #[serde(default)]
    pub(crate) support: Vec<String>,
    /// 参演单位和人员.
    #[serde(default)]
    pub(crate) players: Vec<String>,
    /// 观摩人员.
    #[serde(default)]
    pub(crate) observers: Vec<String>,
    /// 主持人 (解说): who reads the host's lines of the script.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) host: Option<String>,
    /// 模拟单位: outside parties that the control cell (or others) play in the script.
    #[serde(default)]
    pub(crate) simulated: Vec<Simulated>,
    /// 参演人数: how many people each unit or team named above sends (the sign-in sheet gives
    /// each person a row). A name not listed counts as written: `当班班组（12人）` is 12,
    /// otherwise one row.
    #[serde(default)]
    pub(crate) headcount: std::collections::BTreeMap<String, u16>,
}

/// An outside party played in the drill (模拟单位), and who plays it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Simulated {
    /// The party played (园区管委会, 县应急管理局, 120 急救中心 …).
    pub(crate) party: String,
    /// Who plays it (导调组 …).
    pub(crate) by: String,
}

/// One inject of the script (演练脚本 / MSEL line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Inject {
    /// Minutes after the start order (T+n).
    pub(crate) offset_minutes: u32,
    /// 情景/消息: what the control cell injects.
    pub(crate) inject: String,
    /// Who delivers it (control cell, simulated caller …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) from: Option<String>,
    /// Who receives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) to: Option<String>,
    /// 预期行动: what the players should do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) expected_action: Option<String>,
    /// Heading of an exercised plan this inject tests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) clause: Option<String>,
    /// 响应级别 set by this inject: `level` of the exercised plan's `response_levels` (1 = 一级).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 4))]
    pub(crate) level: Option<u8>,
    /// 主持人词 (解说词): what the host says at this inject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) host: Option<String>,
    /// 评估要点: what the evaluators watch for (default: the steps of the clause).
    #[serde(default)]
    pub(crate) points: Vec<String>,
    /// 实际情况: what happened at this inject (written after the drill, for the report).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) observed: Option<String>,
}

/// 演练评估 (《突发事件应急预案管理办法》（2013）第二十三条, AQ/T 9009-2015). Each field is the
/// evaluators' written judgement of one dimension.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Evaluation {
    /// Date of the evaluation report.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::model::date::opt::ser",
        deserialize_with = "crate::model::date::opt::de"
    )]
    pub(crate) date: Option<NaiveDate>,
    /// Who evaluated (评估组 / third party).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) evaluator: Option<String>,
    /// 演练的执行情况.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) execution: Option<String>,
    /// 预案的合理性与可操作性.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) plan_soundness: Option<String>,
    /// 指挥协调和应急联动情况.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) coordination: Option<String>,
    /// 应急人员的处置情况.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) responders: Option<String>,
    /// 演练所用设备装备的适用性.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) equipment: Option<String>,
    /// 对完善预案、应急准备、应急机制、应急措施的意见和建议.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) suggestions: Option<String>,
    /// 评估结论.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) conclusion: Option<String>,
    /// The written report (path or archive number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) report: Option<String>,
}

impl Evaluation {
    /// Whether any dimension or the conclusion is written.
    pub(crate) fn is_written(&self) -> bool {
        [
            &self.execution,
            &self.plan_soundness,
            &self.coordination,
            &self.responders,
            &self.equipment,
            &self.conclusion,
        ]
        .iter()
        .any(|f| f.as_deref().is_some_and(|s| !s.trim().is_empty()))
    }
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum FindingSeverity {
    /// 重大问题: may require revising the plan (办法 Art. 36 (5)).
    Major,
    #[default]
    Minor,
}

/// 发现的问题.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Finding {
    /// Short id within the drill (F1, F2 …), referred to by corrective actions.
    pub(crate) id: String,
    pub(crate) description: String,
    #[serde(default)]
    pub(crate) severity: FindingSeverity,
    /// The plan it concerns (default: the plan of the actions answering it, else the only
    /// exercised plan).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) plan: Option<String>,
    /// Heading of that plan it concerns (default: the clause of the actions answering it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) clause: Option<String>,
}

/// Status of a corrective action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ActionStatus {
    /// 未完成
    Open,
    /// 已完成
    Done,
}

/// 整改措施 (corrective action).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct CorrectiveAction {
    /// Ids of the findings it answers.
    #[serde(default)]
    pub(crate) findings: Vec<String>,
    pub(crate) description: String,
    /// 责任单位/责任人.
    pub(crate) owner: String,
    /// 完成时限.
    #[serde(
        serialize_with = "crate::model::date::ser",
        deserialize_with = "crate::model::date::de"
    )]
    pub(crate) due: NaiveDate,
    pub(crate) status: ActionStatus,
    /// Date it was completed.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::model::date::opt::ser",
        deserialize_with = "crate::model::date::opt::de"
    )]
    pub(crate) closed: Option<NaiveDate>,
    /// The plan to revise (default: the only exercised plan).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) plan: Option<String>,
    /// Heading of that plan to revise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) clause: Option<String>,
}

/// Front matter of a drill record (应急演练记录).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct DrillMeta {
    /// Unique id, also the file name.
    pub(crate) id: String,
    pub(crate) kind: super::meta::Kind,
    /// 演练名称.
    pub(crate) title: String,
    /// The plans it exercises.
    #[schemars(length(min = 1))]
    pub(crate) plans: Vec<ExercisedPlan>,
    pub(crate) form: DrillForm,
    pub(crate) content: DrillContent,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) purpose: Option<DrillPurpose>,
    #[serde(default)]
    pub(crate) blind: BlindLevel,
    pub(crate) status: DrillStatus,
    /// Date of the drill (planned or held).
    #[serde(
        serialize_with = "crate::model::date::ser",
        deserialize_with = "crate::model::date::de"
    )]
    pub(crate) date: NaiveDate,
    /// 开始时间 (`"09:30"`, quoted): the script's clock times count from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(r"^([01]?[0-9]|2[0-3]):[0-5][0-9]$"))]
    pub(crate) start: Option<String>,
    /// 演练地点.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) place: Option<String>,
    /// Organisation id of the organising unit (演练组织单位).
    pub(crate) organizer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) roles: Option<DrillRoles>,
    /// 演练目标.
    #[serde(default)]
    pub(crate) objectives: Vec<String>,
    /// 演练情景.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) scenario: Option<String>,
    /// 演练脚本.
    #[serde(default)]
    pub(crate) injects: Vec<Inject>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) evaluation: Option<Evaluation>,
    #[serde(default)]
    pub(crate) findings: Vec<Finding>,
    #[serde(default)]
    pub(crate) corrective_actions: Vec<CorrectiveAction>,
}

impl DrillMeta {
    /// The start time in minutes after midnight, when `start` is written as `HH:MM`.
    pub(crate) fn start_minutes(&self) -> Option<u32> {
        let (h, m) = self.start.as_deref()?.trim().split_once(':')?;
        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        (h < 24 && m < 60).then_some(h * 60 + m)
    }

    /// Whether the drill took place.
    pub(crate) fn is_done(&self) -> bool {
        self.status == DrillStatus::Done
    }
}
