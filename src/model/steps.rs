//! Disposal-card steps as a worker reads them (model stage): a step's short label (`报警：…`),
//! its length in characters, and the label a step's wording suggests.
//!
//! Takes a step's `action` text; gives its label and the rest, a character count and, for a
//! step without a label, the verb of the vocabulary below that its text starts with or names
//! first. Domain knowledge, so it lives in the model: the simplicity rule (G903) counts with it
//! and `yuan new card --from` drafts with it.
//!
//! Real cards are one short action per line, and many lead each line with a two-character verb
//! in bold (报警、切断、疏散、撤离 …): a worker scans the verbs, not the sentences. A card step
//! carries such a label in its text, before a colon: `切断：关闭进料阀 XV-101`. No separate
//! field is needed, so every output prints it as written, and it never counts towards the
//! step's length.

/// The verbs of a step label, each with words of a step's text that suggest it, in the order a
/// card's first minutes usually run: raise the alarm, stop the process, protect, contain, rescue,
/// leave. Chosen from published cards (火灾、泄漏、中毒、触电 cards of chemical plants and hotels)
/// and the wording of on-site plans' 应急处置 sections.
pub(crate) const LABELS: &[(&str, &[&str])] = &[
    ("报警", &["报警", "拨打", "呼叫", "呼救", "通知"]),
    ("报告", &["报告", "汇报", "上报"]),
    (
        "停车",
        &[
            "紧急停车",
            "停车",
            "停机",
            "停泵",
            "急停",
            "停止作业",
            "停止进料",
        ],
    ),
    (
        "切断",
        &[
            "切断",
            "关闭",
            "关阀",
            "断电",
            "断开",
            "拉闸",
            "拉下电源",
            "拔掉电源",
        ],
    ),
    ("防护", &["佩戴", "穿戴", "戴好", "防护"]),
    ("检测", &["检测", "测量", "监测"]),
    ("警戒", &["警戒", "隔离", "封闭", "禁止"]),
    (
        "灭火",
        &["灭火", "扑救", "扑灭", "灭火器", "消防栓", "消火栓"],
    ),
    ("堵漏", &["堵漏", "围堵", "堵住", "收集", "吸附", "回收"]),
    (
        "救护",
        &[
            "救护",
            "急救",
            "救出",
            "抢救",
            "冲洗",
            "心肺复苏",
            "送医",
            "就医",
        ],
    ),
    ("疏散", &["疏散", "引导"]),
    ("撤离", &["撤离", "撤到", "撤至", "撤出", "离开"]),
    ("集合", &["集合", "清点", "报到"]),
];

/// A label is this many characters at most (two- and four-character verbs: 报警, 紧急停车).
const MAX_LABEL_CHARS: usize = 4;

/// `action` split into its label (`报警` of `报警：拨打 119`) and the rest; `None` and the whole
/// text when it has none. A label is one to four characters, none of them whitespace or
/// punctuation, before a full-width or ASCII colon at the very start.
pub(crate) fn split_label(action: &str) -> (Option<&str>, &str) {
    let text = action.trim_start();
    for (n, (i, c)) in text.char_indices().enumerate() {
        if c == '：' || c == ':' {
            let label = text[..i].trim();
            if n >= 1 && !label.chars().any(|c| c.is_ascii_digit()) {
                return (Some(label), text[i + c.len_utf8()..].trim_start());
            }
            break;
        }
        if n >= MAX_LABEL_CHARS
            || c.is_whitespace()
            || (c.is_ascii_punctuation() && c != '-')
            || "，。、；（）《》“”！？".contains(c)
        {
            break;
        }
    }
    (None, text)
}

/// The length of `action` as a worker reads it: characters other than whitespace, without the
/// label.
pub(crate) fn length(action: &str) -> usize {
    split_label(action)
        .1
        .chars()
        .filter(|c| !c.is_whitespace())
        .count()
}

/// The label the wording of `action` suggests: the label whose words appear first in it, or
/// `None` when none does (or the step already has a label).
pub(crate) fn suggest_label(action: &str) -> Option<&'static str> {
    let (label, rest) = split_label(action);
    if label.is_some() {
        return None;
    }
    LABELS
        .iter()
        .filter_map(|(label, words)| {
            words
                .iter()
                .filter_map(|w| rest.find(w))
                .min()
                .map(|at| (at, *label))
        })
        .min_by_key(|(at, _)| *at)
        .map(|(_, label)| label)
}

/// The label a step's first word suggests (after 立即, 迅速 …), so that a label is put only
/// where the step begins with that action: `立即关闭进料阀` is 切断; `打开门窗通风，严禁关闭电器
/// 开关` and `无法切断电源时，用绝缘物挑开电线` get none. For drafts.
pub(crate) fn leading_label(action: &str) -> Option<&'static str> {
    let (label, rest) = split_label(action);
    if label.is_some() {
        return None;
    }
    let rest = ["立即", "迅速", "马上", "及时", "首先"]
        .iter()
        .find_map(|p| rest.strip_prefix(p))
        .unwrap_or(rest);
    LABELS
        .iter()
        .find(|(_, words)| words.iter().any(|w| rest.starts_with(w)))
        .map(|(label, _)| *label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_is_a_short_word_before_a_colon() {
        assert_eq!(split_label("报警：拨打119"), (Some("报警"), "拨打119"));
        assert_eq!(
            split_label("紧急停车: 按下 ESD-101"),
            (Some("紧急停车"), "按下 ESD-101")
        );
        assert_eq!(
            split_label("  切断：关闭 XV-101"),
            (Some("切断"), "关闭 XV-101")
        );
        // no label: a sentence with a colon further on, a time, a long phrase, a bare colon
        for none in [
            "立即报告值班长：说明地点和介质",
            "08:30 交接班",
            "发现泄漏后立即：关闭",
            "：关闭阀门",
            "关闭阀门",
            "",
        ] {
            assert_eq!(split_label(none).0, None, "{none}");
        }
    }

    #[test]
    fn the_length_leaves_out_the_label_and_spaces() {
        assert_eq!(length("报警：拨打 119"), 5);
        assert_eq!(length("关闭 XV-101 阀门"), 10);
        assert_eq!(length(""), 0);
    }

    #[test]
    fn the_wording_suggests_a_label() {
        assert_eq!(
            suggest_label("立即按下紧急停车按钮，用对讲机报告值班长"),
            Some("停车")
        );
        assert_eq!(suggest_label("关闭进料阀XV-101"), Some("切断"));
        assert_eq!(suggest_label("组织无关人员从东门撤离"), Some("撤离"));
        assert_eq!(suggest_label("拨打119报警"), Some("报警"));
        assert_eq!(suggest_label("佩戴空气呼吸器进入"), Some("防护"));
        assert_eq!(suggest_label("等待消防队到达"), None);
        assert_eq!(suggest_label("报警：拨打119"), None, "it has one");
    }

    #[test]
    fn a_draft_label_only_where_the_step_starts_with_its_action() {
        assert_eq!(
            leading_label("立即关闭泄漏点前端阀门和燃气总阀"),
            Some("切断")
        );
        assert_eq!(leading_label("疏散泄漏区域内的人员"), Some("疏散"));
        assert_eq!(
            leading_label("打开门窗自然通风，严禁开启或关闭任何电器开关"),
            None
        );
        assert_eq!(leading_label("电灼伤创面用干净纱布覆盖"), None);
        assert_eq!(leading_label("切断：关闭阀门"), None);
        assert_eq!(leading_label("无法切断电源时，用绝缘物挑开电线"), None);
        assert_eq!(leading_label("立即拉下电源开关"), Some("切断"));
    }
}
