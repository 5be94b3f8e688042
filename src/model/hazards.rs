//! The built-in hazard vocabulary (灾种): stage 4 (model), domain knowledge as data.
//!
//! Takes nothing; gives the hazards a repository may name without defining them: the natural
//! disasters, public-health and social-safety events of the 突发事件 classification, the
//! accident classes government plans use, and the 20 accident categories of GB 6441-1986
//! 《企业职工伤亡事故分类》 §2 that enterprise plans (GB/T 29639-2020 §5.2 风险描述) name. Each
//! entry has a stable id, the name the standard or the plans use, and the other names plans
//! write for it (`aliases`: 触电事故, 中毒窒息 …), which rules match in body text (H208).
//! [`crate::load`] merges a repository's own `hazards` over these (same id: the repository's
//! entry wins) unless `[hazards] builtin = false` in yuan.toml.

use super::registry::{Hazard, HazardCategory};

/// Where an entry comes from (for the docs; not read by rules).
const GB6441: &str = "GB 6441-1986 §2";

/// `(id, name, category, aliases, source)`.
type Row = (
    &'static str,
    &'static str,
    HazardCategory,
    &'static [&'static str],
    &'static str,
);

/// The built-in vocabulary, in the order `yuan list` and the docs show it.
pub(crate) const BUILTIN: &[Row] = {
    use HazardCategory::*;
    &[
        // 国家突发事件总体应急预案: 自然灾害
        (
            "flood",
            "洪涝灾害",
            Natural,
            &["洪涝", "洪水", "防汛"],
            "总体预案",
        ),
        (
            "drought",
            "干旱灾害",
            Natural,
            &["干旱", "旱灾", "抗旱"],
            "总体预案",
        ),
        (
            "geological",
            "地质灾害",
            Natural,
            &["滑坡", "泥石流", "崩塌"],
            "总体预案",
        ),
        ("earthquake", "地震灾害", Natural, &["地震"], "总体预案"),
        (
            "forest-fire",
            "森林草原火灾",
            Natural,
            &["森林火灾", "草原火灾"],
            "总体预案",
        ),
        (
            "meteorological",
            "气象灾害",
            Natural,
            &["暴雨", "台风", "暴雪", "雷电", "高温"],
            "总体预案",
        ),
        // 事故灾难 as government plans name them
        (
            "hazchem",
            "危险化学品事故",
            Accident,
            &["危险化学品", "危化品"],
            "总体预案",
        ),
        (
            "fire",
            "火灾事故",
            Accident,
            &["火灾"],
            "总体预案; GB 6441-1986 §2 (08)",
        ),
        ("explosion", "爆炸事故", Accident, &["爆炸"], "总体预案"),
        (
            "poisoning",
            "中毒和窒息",
            Accident,
            &["中毒窒息", "中毒和窒息事故", "中毒", "窒息"],
            "GB 6441-1986 §2 (19)",
        ),
        ("mine", "矿山事故", Accident, &["矿山"], "总体预案"),
        (
            "road-traffic",
            "道路交通事故",
            Accident,
            &["交通事故"],
            "总体预案",
        ),
        (
            "construction",
            "建筑施工事故",
            Accident,
            &["建筑施工"],
            "总体预案",
        ),
        (
            "special-equipment",
            "特种设备事故",
            Accident,
            &["特种设备", "电梯困人", "电梯事故"],
            "总体预案",
        ),
        // GB 6441-1986 §2 事故类别 (08 火灾 is `fire`, 19 中毒和窒息 is `poisoning` above)
        (
            "object-strike",
            "物体打击",
            Accident,
            &["物体打击事故"],
            GB6441,
        ),
        (
            "vehicle-injury",
            "车辆伤害",
            Accident,
            &["车辆伤害事故", "厂内车辆伤害"],
            GB6441,
        ),
        (
            "machinery-injury",
            "机械伤害",
            Accident,
            &["机械伤害事故"],
            GB6441,
        ),
        (
            "lifting-injury",
            "起重伤害",
            Accident,
            &["起重伤害事故", "起重机械伤害"],
            GB6441,
        ),
        (
            "electric-shock",
            "触电",
            Accident,
            &["触电事故", "触电伤害"],
            GB6441,
        ),
        ("drowning", "淹溺", Accident, &["淹溺事故", "溺水"], GB6441),
        (
            "burn-scald",
            "灼烫",
            Accident,
            &["灼烫事故", "烫伤", "灼伤"],
            GB6441,
        ),
        (
            "fall-from-height",
            "高处坠落",
            Accident,
            &["高处坠落事故", "高空坠落"],
            GB6441,
        ),
        ("collapse", "坍塌", Accident, &["坍塌事故"], GB6441),
        ("roof-fall", "冒顶片帮", Accident, &["冒顶片帮事故"], GB6441),
        ("water-inrush", "透水", Accident, &["透水事故"], GB6441),
        (
            "blasting",
            "放炮",
            Accident,
            &["放炮事故", "爆破伤害"],
            GB6441,
        ),
        (
            "explosive-explosion",
            "火药爆炸",
            Accident,
            &["火药爆炸事故", "炸药爆炸"],
            GB6441,
        ),
        (
            "gas-explosion",
            "瓦斯爆炸",
            Accident,
            &["瓦斯爆炸事故", "瓦斯煤尘爆炸"],
            GB6441,
        ),
        (
            "boiler-explosion",
            "锅炉爆炸",
            Accident,
            &["锅炉爆炸事故"],
            GB6441,
        ),
        (
            "vessel-explosion",
            "容器爆炸",
            Accident,
            &["容器爆炸事故", "压力容器爆炸"],
            GB6441,
        ),
        (
            "other-explosion",
            "其他爆炸",
            Accident,
            &["其它爆炸", "其他爆炸事故"],
            GB6441,
        ),
        ("other-injury", "其他伤害", Accident, &["其它伤害"], GB6441),
        // 公共卫生事件, 社会安全事件
        (
            "public-health",
            "突发公共卫生事件",
            PublicHealth,
            &["公共卫生事件", "传染病疫情", "食物中毒"],
            "总体预案",
        ),
        (
            "crowd-crush",
            "拥挤踩踏",
            Accident,
            &["踩踏", "拥挤踩踏事故"],
            "plans of crowded places (条例 Art. 8 ¶2)",
        ),
        (
            "social",
            "社会安全事件",
            Social,
            &["群体性事件"],
            "总体预案",
        ),
    ]
};

/// The built-in hazards, in their fixed order.
pub(crate) fn builtin() -> Vec<Hazard> {
    BUILTIN
        .iter()
        .map(|&(id, name, category, aliases, _)| Hazard {
            id: id.into(),
            name: name.into(),
            category,
            aliases: aliases.iter().map(|a| (*a).to_string()).collect(),
            imported: None,
        })
        .collect()
}

/// Every name a hazard goes by: its name, its aliases, and the name without a trailing
/// 事故/灾害/事件 (火灾事故 → 火灾). Matching text against these is plain containment.
pub(crate) fn names(h: &Hazard) -> Vec<&str> {
    let mut v: Vec<&str> = vec![h.name.as_str()];
    for suffix in ["事故", "灾害", "事件"] {
        if let Some(stem) = h.name.strip_suffix(suffix) {
            if stem.chars().count() >= 2 {
                v.push(stem);
            }
        }
    }
    v.extend(h.aliases.iter().map(String::as_str));
    v
}

/// Whether a heading (normalised, see [`super::heading::normalize`]) opens a section where a
/// comprehensive plan states the risks it covers: its scope (适用范围, GB/T 29639-2020 §6 总则),
/// its risk description or analysis (事故风险描述, 风险分析, 危险性分析, 危险源辨识), or the
/// accident types it lists (事故类型). Published comprehensive plans name their accident types
/// in one of these ("适用范围：…包括火灾爆炸、中毒窒息、机械伤害、触电等事故").
pub(crate) fn states_scope(norm: &str) -> bool {
    ["适用范围", "风险", "危险性分析", "危险源", "事故类型"]
        .iter()
        .any(|k| norm.contains(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb6441_lists_its_twenty_classes() {
        let names: Vec<String> = builtin().into_iter().map(|h| h.name).collect();
        for class in [
            "物体打击",
            "车辆伤害",
            "机械伤害",
            "起重伤害",
            "触电",
            "淹溺",
            "灼烫",
            "火灾事故",
            "高处坠落",
            "坍塌",
            "冒顶片帮",
            "透水",
            "放炮",
            "火药爆炸",
            "瓦斯爆炸",
            "锅炉爆炸",
            "容器爆炸",
            "其他爆炸",
            "中毒和窒息",
            "其他伤害",
        ] {
            assert!(names.iter().any(|n| n == class), "{class} missing");
        }
        let gb = BUILTIN.iter().filter(|r| r.4.contains("GB 6441")).count();
        assert_eq!(gb, 20, "GB 6441-1986 has 20 accident classes");
    }

    #[test]
    fn ids_are_unique_and_names_include_aliases() {
        let all = builtin();
        let mut ids: Vec<&str> = all.iter().map(|h| h.id.as_str()).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n);
        let shock = all.iter().find(|h| h.id == "electric-shock").expect("触电");
        assert!(names(shock).contains(&"触电事故"));
        let fire = all.iter().find(|h| h.id == "fire").expect("火灾");
        assert!(names(fire).contains(&"火灾"), "the name without 事故");
    }

    #[test]
    fn scope_sections_as_plans_title_them() {
        for t in [
            "适用范围",
            "事故风险描述",
            "风险分析",
            "危险性分析",
            "危险源辨识与风险评价",
        ] {
            assert!(states_scope(t), "{t}");
        }
        for t in ["应急响应", "应急保障", "编制目的"] {
            assert!(!states_scope(t), "{t}");
        }
    }
}
