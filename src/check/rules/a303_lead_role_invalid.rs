use crate::check::util::{at_doc, Suggester};
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::model::skim;
use crate::text;
use std::ops::Range;

declare_rule! {
    /// 响应牵头角色无效 · Lead role of a response level is invalid
    ///
    /// ## What it checks · 检查内容
    /// The `lead` and `decided_by` of every response level are roles defined in the registry,
    /// and, when the plan lists its `organization.roles`, the `lead` is one of them (the one who
    /// decides, e.g. a governor, may stand outside the command body).
    ///
    /// 每级响应的牵头角色（lead）和决定启动者（decided_by）必须是登记册中的角色，并属于本预案的组织体系。
    ///
    /// ## Why it matters · 为什么重要
    /// GB/T 29639-2020 6.1 and 6.3: the plan states who starts each level of
    /// response and who leads it. A lead that is not a defined role means nobody is named to act
    /// when that level starts; the handbook's level matrix would have an empty cell.
    ///
    /// 依据 GB/T 29639-2020 第 6.1、6.3 条：预案要写明每一级响应由谁启动、
    /// 由谁牵头。牵头角色不是已定义的角色，就等于该级响应启动时没有人被指定行动，工作手册的响应矩阵也会出现空格。
    ///
    /// ## Example · 示例
    /// ```yaml
    /// response_levels:
    ///   - { level: 1, name: 一级应急响应, trigger: …, lead: qx-fzb-comander }
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Correct the role id, define the role in `registry/`, or add it to `organization.roles`.
    ///
    /// 改正角色 id，在 `registry/` 中定义该角色，或把它加入 `organization.roles`。
    pub(crate) struct LeadRoleInvalid {
        code: "A303",
        name: "lead-role-invalid",
        severity: Error,
        stage: Corpus,
        summary: ("响应级别的牵头角色不存在或不在本预案组织体系中", "response-level lead is not a defined role of the plan"),
    }
}

impl Rule for LeadRoleInvalid {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check_docs(&self, cx: &Context, docs: Range<usize>, out: &mut Vec<Diagnostic>) {
        let reg = &cx.corpus.registry;
        let mut near = Suggester::for_tile(cx, &docs);
        for d in cx.docs_in(docs) {
            let Some(p) = d.plan() else { continue };
            // read in place (`skim`): a warm check decodes no response level
            let mut levels = skim::levels(p).enumerate().peekable();
            if levels.peek().is_none() {
                continue;
            }
            let org: Vec<&str> = skim::organization_roles(p).collect();
            // one role usually leads every level: each role found is looked up once
            let mut defined: Vec<&str> = Vec::new();
            for (i, l) in levels {
                let fields = [("lead", Some(l.lead)), ("decided_by", l.decided_by)];
                for (field, value) in fields {
                    let Some(role) = value else { continue };
                    let pointer = || format!("/response_levels/{i}/{field}");
                    let n = l.level;
                    let known = defined.contains(&role) || {
                        let found = reg.role(role).is_some();
                        if found {
                            defined.push(role);
                        }
                        found
                    };
                    if !known {
                        let (zh, en) = near.did_you_mean("role", role, || {
                            reg.index.roles.keys().map(String::as_str)
                        });
                        out.push(at_doc(&Self::INFO, d, &pointer(), text!(
                            "第 {n} 级响应的 `{field}` 角色 `{role}` 未在登记册中定义{zh}",
                            "`{field}` of response level {n}: role `{role}` is not defined in the registry{en}"
                        )).help(text!("在 registry/ 的 roles 中定义该角色，或改正 id", "define the role under `roles:` in registry/, or correct the id")));
                    } else if field == "lead" && !org.is_empty() && !org.contains(&role) {
                        out.push(at_doc(&Self::INFO, d, &pointer(), text!(
                            "第 {n} 级响应的 `{field}` 角色 `{role}` 不在本预案 `organization.roles` 中",
                            "`{field}` of response level {n}: role `{role}` is not in this plan's `organization.roles`"
                        )).help(text!("在 `organization.roles` 中加上该角色及其职责", "add the role and its duties to `organization.roles`")));
                    }
                }
            }
        }
    }
}
