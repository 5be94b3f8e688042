//! The fixed wording of an exercise pack: section titles, notes, table columns, the groups of
//! the drill organisation with their duties, the steps of the procedure, the safety measures,
//! the evaluation dimensions and the checklist items.
//!
//! [`super::view`] decides what a copy holds and fills in the drill's own facts; this file only
//! says things, so the words can be read and corrected in one place without reading the logic.
//! Sources: the documents and groups of domain.md §4.1–4.2, the evaluation dimensions of
//! §4.3 and §4.6 (2013 办法 Art. 23, AQ/T 9009-2015), the disclosure of blind drills of §4.5.
//! Packs are printed in Chinese only, like the plans they are compiled from.

use super::Team;
use crate::model::drill::{BlindLevel, DrillContent, DrillForm, DrillPurpose, DrillStatus};

/// The columns of a table: header cells and relative widths, one per column.
pub(crate) struct Columns {
    pub(crate) header: &'static [&'static str],
    pub(crate) widths: &'static [f64],
}

/// The rating scale ticked on the forms (the three grades of 2009-era practice, domain.md §4.3).
pub(crate) const RATING: &str = "□好 □一般 □差";
/// A time stamp to fill in.
pub(crate) const STAMP: &str = "\u{3000}\u{3000}:\u{3000}\u{3000}";
/// Two blank lines for notes.
pub(crate) const NOTES: &str = "\n\n";
/// Two lines: room for a signature.
pub(crate) const SIGNATURE: &str = "\n";
/// A blank to fill in by hand.
pub(crate) const BLANK: &str = "________";
/// What a part holds when the drill record leaves a group empty.
pub(crate) const TO_BE_NAMED: &str = "（待定）";
/// The place of a drill record without one.
pub(crate) const PLACE_TBA: &str = "另行通知";
/// What a double-blind copy says instead of the time and place.
pub(crate) const ANNOUNCED_LATER: &str = "由导调组临机通知";

/// Section titles, in the order of the pack.
pub(crate) mod titles {
    pub(crate) const WORK_PLAN: &str = "演练工作方案";
    pub(crate) const OBJECTIVES: &str = "演练目的与目标";
    pub(crate) const SCOPE: &str = "演练范围";
    pub(crate) const SCENARIO: &str = "演练情景";
    pub(crate) const TIME_AND_PLACE: &str = "时间与地点";
    pub(crate) const ORGANISATION: &str = "组织机构与职责";
    pub(crate) const PROCEDURE: &str = "实施程序";
    pub(crate) const SAFETY: &str = "安全措施";
    pub(crate) const SCRIPT: &str = "演练脚本";
    pub(crate) const FORMS: &str = "评估表";
    pub(crate) const FORM_OBJECTIVES: &str = "演练目标";
    pub(crate) const FORM_INJECTS: &str = "脚本科目";
    pub(crate) const FORM_CLAUSES: &str = "检验条款";
    pub(crate) const FORM_LEVELS: &str = "响应级别与岗位行动";
    pub(crate) const FORM_REPORTING: &str = "信息报告";
    pub(crate) const FORM_DUTIES: &str = "岗位职责履行";
    pub(crate) const FORM_OVERALL: &str = "综合评估";
    pub(crate) const FORM_FINDINGS: &str = "发现的问题与整改建议";
    pub(crate) const SIGN_IN: &str = "签到表";
    pub(crate) const CHECKLIST: &str = "保障与安全检查表";
    pub(crate) const BEFORE: &str = "演练前";
    pub(crate) const RESOURCES: &str = "应急队伍与物资（预案所列）";
    pub(crate) const DURING: &str = "演练中";
    pub(crate) const AFTER: &str = "演练后";
}

/// Labels of the cover.
pub(crate) mod cover {
    pub(crate) const ORGANIZER: &str = "组织单位";
    pub(crate) const TYPE: &str = "演练类型";
    pub(crate) const DATE: &str = "演练日期";
    pub(crate) const PLACE: &str = "演练地点";
    pub(crate) const PLANS: &str = "检验预案";
    pub(crate) const TIME_AND_PLACE: &str = "演练时间地点";
    pub(crate) const BLIND: &str = "盲演";
    pub(crate) const RECORD: &str = "演练记录";
    pub(crate) const SOURCE: &str = "来源提交";
}

pub(crate) const CONTROLLERS_COPY: &str = "导调/评估版";
pub(crate) const CONTROLLERS_COPY_OF_BLIND: &str = "导调/评估版（内部资料，不得向参演人员分发）";
pub(crate) const PARTICIPANTS_COPY: &str = "参演人员版";

pub(crate) fn form_label(f: DrillForm) -> &'static str {
    match f {
        DrillForm::Tabletop => "桌面演练",
        DrillForm::Live => "实战演练",
    }
}

pub(crate) fn content_label(c: DrillContent) -> &'static str {
    match c {
        DrillContent::Single => "单项演练",
        DrillContent::Comprehensive => "综合演练",
    }
}

pub(crate) fn purpose_label(p: Option<DrillPurpose>) -> &'static str {
    match p {
        Some(DrillPurpose::Validation) | None => "检验性",
        Some(DrillPurpose::Demonstration) => "示范性",
        Some(DrillPurpose::Research) => "研究性",
    }
}

pub(crate) fn blind_label(b: BlindLevel) -> &'static str {
    match b {
        BlindLevel::None => "不盲（时间、地点和内容事先告知）",
        BlindLevel::Single => "单盲（情景和脚本不事先告知参演人员）",
        BlindLevel::Double => "双盲（时间、地点和内容均不事先告知参演人员）",
    }
}

pub(crate) fn status_label(s: DrillStatus) -> &'static str {
    match s {
        DrillStatus::Planned => "计划中",
        DrillStatus::Done => "已实施",
        DrillStatus::Cancelled => "已取消",
    }
}

/// The title of a double-blind copy, which must not name the drill.
pub(crate) fn double_blind_title(organizer: &str) -> String {
    format!("{organizer}应急演练（双盲）")
}

// 一、演练工作方案

/// Why the drill is held: the five purposes of domain.md §4.1.
pub(crate) fn purpose_para(form: &str, content: &str, purpose: &str) -> String {
    format!(
        "本次演练为{form}（{content}、{purpose}），按照“检验预案、完善准备、锻炼队伍、磨合机制、科普宣教”的目的组织实施。"
    )
}
pub(crate) const NO_OBJECTIVES: &str = "演练记录未列出演练目标（objectives）。";
pub(crate) const DOUBLE_BLIND_OBJECTIVES: &str =
    "双盲演练：演练科目、时间和地点事先不通知参演单位；接到导调组指令后，按本单位应急预案和岗位职责立即处置。";

pub(crate) const SCOPE_COLUMNS: Columns = Columns {
    header: &["预案", "编号与版本", "检验内容（条款）"],
    widths: &[4.0, 2.4, 4.0],
};
/// The clauses tested hint at the scenario a blind drill withholds.
pub(crate) const CLAUSES_WITHHELD: &str = "由导调组在演练中发布";
pub(crate) const ALL_CLAUSES: &str = "全部响应程序";
pub(crate) const PLAYERS_ON_SIGN_IN: &str = "见签到表";
pub(crate) fn players_para(players: &str) -> String {
    format!("参演单位：{players}。")
}
pub(crate) const SCOPE_WITHHELD: &str = "演练范围由导调组掌握，不事先通知参演单位。";

pub(crate) const NO_SCENARIO: &str = "演练记录未写情景（scenario）；以演练脚本中的情景消息为准。";
pub(crate) const SCENARIO_WITHHELD: &str =
    "情景不事先告知参演人员，由导调组在演练中以情景消息（任务卡、电话、对讲）发布。";

pub(crate) const TIME_AND_PLACE_COLUMNS: Columns = Columns {
    header: &["项目", "安排"],
    widths: &[1.6, 8.4],
};
pub(crate) const DATE_ROW: &str = "日期";
pub(crate) const PLACE_ROW: &str = "地点";
/// Rows of the time and place after the date and the place.
pub(crate) const TIMING_ROWS: [[&str; 2]; 2] = [
    [
        "开始",
        "T+0 为总指挥下达演练开始指令的时刻；脚本中的时间均为开始后的分钟数。",
    ],
    ["集合与签到", "开始前 30 分钟，按签到表签到。"],
];
/// The start row when the record gives the start time.
pub(crate) fn start_row(clock: &str) -> [String; 2] {
    [
        "开始".to_string(),
        format!("{clock}（T+0），总指挥下达演练开始指令；脚本中的钟点由此起算。"),
    ]
}
pub(crate) fn time_and_place_withheld() -> String {
    format!("演练时间和地点{ANNOUNCED_LATER}；接到通知即按实战要求响应。")
}

pub(crate) const ORGANISATION_COLUMNS: Columns = Columns {
    header: &["机构", "组成", "职责"],
    widths: &[2.2, 4.0, 4.6],
};

/// A group of the drill organisation (domain.md §4.2): its name in the organisation table,
/// its duty there, and its role on the sign-in sheet.
pub(crate) struct TeamWording {
    pub(crate) team: Team,
    pub(crate) name: &'static str,
    pub(crate) duty: &'static str,
    pub(crate) sign_in: &'static str,
    /// Listed in the organisation only when the record names members.
    pub(crate) optional: bool,
}

/// The groups in the order of the organisation table and the sign-in sheet.
pub(crate) const TEAMS: [TeamWording; 7] = [
    TeamWording {
        team: Team::Leadership,
        name: "演练领导小组",
        duty: "审定演练工作方案，决定演练的启动、中止和终止",
        sign_in: "领导小组",
        optional: false,
    },
    TeamWording {
        team: Team::Director,
        name: "总指挥",
        duty: "下达演练开始、中止和结束指令，出现真实险情时立即终止演练",
        sign_in: "总指挥",
        optional: false,
    },
    TeamWording {
        team: Team::Control,
        name: "策划与导调组",
        duty: "编写演练脚本，按脚本发布情景消息，掌握演练进程",
        sign_in: "导调组",
        optional: false,
    },
    TeamWording {
        team: Team::Evaluators,
        name: "评估组",
        duty: "按评估表观察记录，组织现场点评，编写评估报告",
        sign_in: "评估组",
        optional: false,
    },
    TeamWording {
        team: Team::Support,
        name: "保障组",
        duty: "场地、物资、通信、安全警戒、医疗和后勤保障",
        sign_in: "保障组",
        optional: false,
    },
    TeamWording {
        team: Team::Players,
        name: "参演单位和人员",
        duty: "按预案和岗位职责实施处置",
        sign_in: "参演",
        optional: false,
    },
    TeamWording {
        team: Team::Observers,
        name: "观摩人员",
        duty: "在指定区域观摩，不干扰演练",
        sign_in: "观摩",
        optional: true,
    },
];

pub(crate) const PROCEDURE: [&str; 6] = [
    "各组就位，参演人员签到，保障组完成安全检查并向总指挥报告。",
    "总指挥下达演练开始指令（T+0）。",
    "导调组按脚本发布情景消息；参演人员按预案处置；评估组观察记录（文字、照片、视频）。",
    "出现真实险情或安全隐患时，总指挥中止或终止演练。",
    "全部科目完成后，总指挥宣布演练结束；评估组现场点评，参演人员自评。",
    "恢复现场，清点人员和物资；评估表、签到表和影像资料交导调组归档。",
];

pub(crate) const SAFETY: [&str; 3] = [
    "演练前由保障组完成安全检查（见保障与安全检查表），总指挥确认后方可开始。",
    "所有演练信息、电话和对讲通话均冠以“演练”二字，防止误解为真实事件。",
    "演练中发生真实突发事件或出现安全隐患，立即中止演练，转入实际处置。",
];
pub(crate) const SAFETY_LIVE: [&str; 3] = [
    "实战演练区域设置警戒，无关人员不得进入；参演人员按规定佩戴个体防护装备。",
    "医疗救护和消防力量全程在位；模拟险情不得使用真实危险物质或明火（经批准的除外）。",
    "演练不得影响正常生产、运行和公共秩序；涉及道路、水域时提前协调管控。",
];
pub(crate) const SAFETY_BLIND_CONTROLLERS: &str =
    "盲演事先向上级和属地有关部门报备，防止引发误报或社会恐慌；导调组保持与各参演单位的联络。";

// 二、演练脚本

pub(crate) const SCRIPT_NOTE: &str =
    "时间为钟点（演练记录的 start 加上各科目的 T+分钟）；未写 start 时只印 T+分钟。主持人按“主持人”栏解说，导调组按“导调”栏发出情景，评估组按“评估要点”记录；“实际”栏记录实际时间。";
pub(crate) const SCRIPT_NO_START: &str =
    "演练记录未写开始时间：在头信息写 start: \"09:30\"（加引号）即印出各科目的钟点。";
/// The script's columns (the controllers' copy adds the evaluation points and the actual time).
pub(crate) const SCRIPT_COLUMNS: Columns = Columns {
    header: &["时间", "科目与情景", "主持人（解说）", "导调", "预期行动"],
    widths: &[1.0, 2.5, 2.4, 1.5, 2.5],
};
pub(crate) const SCRIPT_POINTS: (&str, f64) = ("评估要点", 2.7);
pub(crate) const SCRIPT_ACTUAL: (&str, f64) = ("实际", 0.8);
pub(crate) const SCRIPT_CAST: &str = "角色与模拟单位";
pub(crate) const SCRIPT_TABLE: &str = "脚本";
pub(crate) const CAST_COLUMNS: Columns = Columns {
    header: &["角色", "担任/扮演", "说明"],
    widths: &[2.0, 3.0, 4.0],
};
pub(crate) const CAST_HOST: &str = "主持人（解说）";
pub(crate) const CAST_HOST_NOTE: &str = "宣布各阶段，按脚本解说";
pub(crate) const CAST_DIRECTOR: &str = "总指挥";
pub(crate) const CAST_DIRECTOR_NOTE: &str = "下达开始、中止和结束指令";
pub(crate) const CAST_CONTROL: &str = "导调组";
pub(crate) const CAST_CONTROL_NOTE: &str = "按脚本发出情景和消息";
pub(crate) fn cast_simulated(party: &str) -> String {
    format!("模拟 {party}")
}
pub(crate) const CAST_SIMULATED_NOTE: &str = "扮演不参演的外部单位，接收报告、发出指令";
pub(crate) const CAST_NO_SIMULATED: &str =
    "演练记录未列模拟单位：报告对象或支援力量不参演时，在 roles.simulated 写明由谁扮演。";
/// The opening rows of the script: ready, then the start order.
pub(crate) const SUBJECT_READY: &str = "演练准备";
pub(crate) const HOST_READY: &str =
    "各参演单位、各小组请注意：演练即将开始，请各就各位，检查通信和防护装备。";
pub(crate) const ACTION_READY: &str =
    "参演人员签到就位；保障组完成安全检查，向总指挥报告“准备就绪”。";
pub(crate) const POINTS_READY: &str = "人员、装备、通信到位情况；安全措施落实情况";
pub(crate) const SUBJECT_START: &str = "演练开始";
pub(crate) const POINTS_START: &str = "开始指令是否清楚，各组是否同时收到";
pub(crate) fn host_start(title: &str, director: &str) -> String {
    format!("报告{director}：{title}准备就绪，请指示。（{director}：“演练开始！”）")
}
pub(crate) const ACTION_START: &str = "导调组按脚本发出第一条情景。";
pub(crate) const SUBJECT_END: &str = "演练结束";
pub(crate) fn host_end(director: &str) -> String {
    format!("报告{director}：演练科目全部完成，请指示。（{director}：“演练结束！”）")
}
pub(crate) const ACTION_END: &str = "参演人员清点人数、恢复现场；评估组现场讲评，参演单位自评。";
pub(crate) const POINTS_END: &str = "人员清点和现场恢复；现场讲评要点";
pub(crate) const TIME_END: &str = "科目完成后";
/// The host's line of an inject the record gives none for.
pub(crate) fn host_inject(time: &str, inject: &str, to: Option<&str>) -> String {
    let inject = inject.trim_end_matches(['。', '；', ';']);
    match to {
        Some(to) => format!("{time}，{inject}。下面请看{to}的处置。"),
        None => format!("{time}，{inject}。"),
    }
}
pub(crate) fn subject_of(n: usize, clause: Option<&str>) -> String {
    match clause {
        Some(c) => format!("科目{}：{c}", super::chinese_number(n)),
        None => format!("科目{}", super::chinese_number(n)),
    }
}
pub(crate) fn scenario_line(inject: &str) -> String {
    format!("情景：{inject}")
}
pub(crate) fn level_line(name: &str) -> String {
    format!("响应级别：{name}")
}
pub(crate) fn level_unknown(level: u8) -> String {
    format!(
        "响应级别：{}级（预案未列此级别）",
        super::chinese_number(level as usize)
    )
}
pub(crate) fn simulated_by(party: &str, by: &str) -> String {
    format!("{party}（模拟，由{by}扮演）")
}
/// Expected actions taken from the plan when the record gives none.
pub(crate) fn from_plan(clause: &str) -> String {
    format!("（按预案“{clause}”）")
}
pub(crate) fn report_point(from: &str, to: &str, minutes: Option<u32>) -> String {
    match minutes {
        Some(m) => format!("{from}→{to}：{m} 分钟内报告"),
        None => format!("{from}→{to}：报告及时、内容完整"),
    }
}
pub(crate) const NO_POINTS: &str = "预期行动是否完成、是否及时";
pub(crate) const NO_SCRIPT: &str = "演练记录没有脚本（injects）。";

// 三、评估表

pub(crate) fn forms_note() -> String {
    format!(
        "评定：好 = 按预案和脚本完成；一般 = 完成但有偏差或延误；差 = 未完成或有重大偏差。每项勾选评定（{RATING}），记录观察到的时间（时:分）和事实（AQ/T 9009-2015：现场观察、查阅资料、询问）。"
    )
}
pub(crate) const EVALUATOR_COLUMNS: Columns = Columns {
    header: &["评估人", "评估位置/对象", "日期", "开始", "结束"],
    widths: &[2.5, 3.5, 2.0, 1.2, 1.2],
};
/// An evaluation form: the second column is named by each form (目标, 条款/步骤 …).
pub(crate) const EVALUATION_COLUMNS: Columns = Columns {
    header: &["序号", "", "观察要点", "评定", "时间", "记录"],
    widths: &[0.8, 2.0, 4.2, 1.9, 1.0, 2.3],
};
/// Names of the second column of each evaluation form.
pub(crate) mod rows {
    pub(crate) const OBJECTIVE: &str = "目标";
    pub(crate) const INJECT: &str = "时间/接收";
    pub(crate) const CLAUSE: &str = "条款/步骤";
    pub(crate) const LEVEL: &str = "级别/岗位";
    pub(crate) const REPORT: &str = "报告";
    pub(crate) const DUTY: &str = "岗位";
    pub(crate) const DIMENSION: &str = "评估内容";
}
pub(crate) const NO_OBJECTIVES_TO_RATE: &str = "演练记录未列出演练目标。";
pub(crate) fn objective_row(n: usize, objective: &str) -> (String, String) {
    (format!("目标{n}"), format!("{objective}：是否达成"))
}
pub(crate) fn inject_observed(
    inject: &str,
    expected: Option<&str>,
    clause: Option<&str>,
) -> String {
    let mut what = format!("情景：{inject}");
    if let Some(a) = expected {
        what.push_str(&format!("\n预期：{a}"));
    }
    if let Some(c) = clause {
        what.push_str(&format!("（{c}）"));
    }
    what
}
/// What is observed of a clause that has no steps of its own.
pub(crate) const CLAUSE_AS_WRITTEN: &str = "按本条款规定处置";
pub(crate) fn clause_step(title: &str, n: usize) -> String {
    format!("{title}\n步骤{n}")
}
pub(crate) const LEVELS_NOTE: &str =
    "演练中实际启动的响应级别逐项评估；未启动的级别在“记录”栏注明“未启动”。";
pub(crate) fn level_started(name: &str, trigger: &str) -> String {
    format!("按启动条件及时判定并启动{name}：{trigger}")
}
pub(crate) fn report_observed(within_minutes: Option<u32>, content: Option<&str>) -> String {
    let within = within_minutes
        .map(|m| format!("，{m} 分钟内"))
        .unwrap_or_default();
    let content = content.map(|c| format!("：{c}")).unwrap_or_default();
    format!("报告时限与内容{within}{content}")
}
/// Who a duty of the plan text belongs to when its line names no one.
pub(crate) const NO_ONE_NAMED: &str = "—";
pub(crate) const OVERALL_NOTE: &str =
    "评估内容依《突发事件应急预案管理办法》（2013）第二十三条和 AQ/T 9009-2015。";
/// The evaluation dimensions (2013 办法 Art. 23) and what to look at for each.
pub(crate) const DIMENSIONS: [(&str, &str); 6] = [
    ("演练的执行情况", "各科目是否按方案和脚本完成，进程是否受控"),
    (
        "预案的合理性与可操作性",
        "启动条件、职责分工、处置程序是否清楚可行，有无缺漏或矛盾",
    ),
    (
        "指挥协调和应急联动情况",
        "指挥部启动、会商、信息传递和部门联动是否顺畅",
    ),
    (
        "应急人员的处置情况",
        "参演人员是否熟悉职责和程序，动作是否规范、及时",
    ),
    (
        "演练所用设备装备的适用性",
        "通信、防护、救援和监测装备是否到位、好用",
    ),
    (
        "意见和建议",
        "对完善预案、应急准备、应急机制和应急措施的意见和建议",
    ),
];
pub(crate) const FINDINGS_COLUMNS: Columns = Columns {
    header: &[
        "序号",
        "问题描述",
        "严重程度",
        "涉及预案条款",
        "整改建议与责任单位",
    ],
    widths: &[0.7, 4.0, 1.5, 2.2, 3.0],
};
/// Rows of the findings form.
pub(crate) const FINDING_ROWS: usize = 5;
pub(crate) const SEVERITY_TICK: &str = "□重大 □一般";
pub(crate) const CONCLUSION: &str = "评估结论：□ 达到演练目标　□ 基本达到　□ 未达到";
pub(crate) const EVALUATOR_SIGNS: &str = "评估人（签字）：____________　　日期：____________";

// 四、签到表

pub(crate) fn sign_in_heading(title: &str, date: &str, place: &str) -> String {
    format!("演练：{title}　日期：{date}　地点：{place}")
}
pub(crate) const SIGN_IN_COLUMNS: Columns = Columns {
    header: &[
        "序号",
        "单位/组别",
        "演练角色",
        "姓名",
        "职务",
        "联系电话",
        "签到时间",
        "签名",
    ],
    widths: &[0.7, 3.2, 1.4, 1.4, 1.3, 1.9, 1.2, 1.5],
};
/// Spare rows at the end of the sign-in sheet: at least this many, or a fifth of the rows.
pub(crate) const BLANK_SIGN_IN_ROWS: usize = 10;
pub(crate) fn sign_in_note(people: usize, uncounted: &[String]) -> String {
    let mut note =
        format!("前 {people} 行按演练记录的单位、组别和参演人数排出，每人一行；其后为增补空行。");
    if !uncounted.is_empty() {
        note.push_str(&format!(
            "未写人数的单位各留一行（{}）：在 roles.headcount 写明人数，或写作“当班班组（12人）”。",
            uncounted.join("、")
        ));
    }
    note
}
/// A row of a team of `n` people: `当班班组（3/12）`.
pub(crate) fn member_row(unit: &str, i: usize, n: usize) -> String {
    format!("{unit}（{i}/{n}）")
}

// 五、保障与安全检查表

pub(crate) const CHECKLIST_NOTE: &str = "逐项检查，完成一项勾一项；检查人签字后交总指挥。";
pub(crate) const BEFORE: [&str; 3] = [
    "参演人员已签到，明确岗位和任务",
    "通信联络已测试（电话、对讲机频道），演练信息均冠以“演练”二字",
    "评估人员已就位，评估表已分发",
];
pub(crate) const BEFORE_LIVE: &[&str] = &[
    "演练场地、警戒区域、疏散通道和集合点已确认",
    "个体防护装备已检查完好，参演人员按规定佩戴",
    "医疗救护、消防力量已在位",
    "模拟险情设施已设置，不使用真实危险物质或明火（经批准的除外）",
];
pub(crate) const BEFORE_TABLETOP: &[&str] = &[
    "会场、投影、视频会商系统、地图或沙盘已就绪",
    "参演单位已带齐本单位预案和通讯录",
];
pub(crate) const BEFORE_CONTROLLERS: &str =
    "导调组已备齐演练脚本和情景消息卡（任务卡），按时间顺序编号";
pub(crate) const BEFORE_BLIND_CONTROLLERS: &str =
    "已向上级和属地有关部门报备盲演，并约定真实事件时的中止口令";
pub(crate) const BEFORE_GO: &str = "安全检查结果已报总指挥，总指挥同意开始";
pub(crate) fn resource_check(name: &str) -> String {
    format!("核查到位：{name}")
}
pub(crate) const DURING: [&str; 3] = [
    "安全员全程监护，发现隐患立即报告总指挥",
    "发生真实突发事件时立即中止演练，转入实际处置",
    "评估组按评估表记录时间和事实，保留照片、视频",
];
pub(crate) const AFTER: [&str; 4] = [
    "清点参演人员，确认无人员受伤或滞留",
    "恢复现场和设备（拆除模拟装置，阀门、系统恢复原状），归还物资",
    "总指挥宣布演练结束，评估组现场点评，参演人员自评",
    "评估表、签到表、影像资料交导调组，归档备查",
];
pub(crate) const AFTER_CONTROLLERS: &str =
    "编写评估报告和总结报告，发现的问题列入整改措施并跟踪落实";
pub(crate) const INSPECTOR_SIGNS: &str = "检查人（签字）：____________　　时间：____________";
