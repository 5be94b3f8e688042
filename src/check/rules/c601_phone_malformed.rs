use crate::check::util::{at_doc, at_entry};
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::text;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

declare_rule! {
    /// 电话号码格式错误 · Malformed phone number
    ///
    /// ## What it checks · 检查内容
    /// Every phone number in the contacts registry and every emergency number on a card is one
    /// of: a mobile number (11 digits, `1[3-9]…`); a landline with its area code (`0745-2231100`,
    /// `(0745)2231100`, optionally an extension `-801` or `转801`); a 400/800 service number; or a
    /// short number of `[check] short_numbers` (110, 119, 120, 122, 12345, 12350 …).
    ///
    /// 电话须为手机号、带区号的固话、400/800 号码或规定的短号（110、119、120、12350 等）。
    ///
    /// ## Why it matters · 为什么重要
    /// Contact details are required annex content (GB/T 29639-2020 §9.5, 管理办法 Art. 16) and
    /// the first thing a disposal card gives (Art. 19). A landline without its area code cannot
    /// be dialled from a mobile phone at the scene; a digit too many cannot be dialled at all.
    ///
    /// 联系方式是附件的必备内容（GB/T 29639-2020 第 9.5 条，《生产安全事故应急预案管理办法》
    /// 第十六条），也是处置卡最先给出的信息（第十九条）。没有区号的座机在现场用手机拨不通，
    /// 多一位数字则根本拨不出。
    ///
    /// ## Example · 示例
    /// ```yaml
    /// phones: [{ number: "2231100", type: duty }]     # no area code
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Write the full number, with the area code for landlines, and quote it (`"0745-2231100"`):
    /// unquoted digits are a YAML number and lose their leading 0.
    ///
    /// 写全号码，座机带区号，并加引号（`"0745-2231100"`）：不加引号的数字会被当作 YAML 数字，
    /// 丢掉开头的 0。
    pub(crate) struct PhoneMalformed {
        code: "C601",
        name: "phone-malformed",
        severity: Error,
        stage: Corpus,
        summary: ("电话号码格式错误", "malformed phone number"),
    }
}

static MOBILE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\+?86)?1[3-9][0-9]{9}$").expect("regex"));
static LANDLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\+?86-?)?0[1-9][0-9]{1,2}-?[2-9][0-9]{6,7}((-|转|ext\.?)[0-9]{1,6})?$")
        .expect("regex")
});
static SERVICE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[48]00-?[0-9]{3}-?[0-9]{4}$").expect("regex"));

/// Whether `number` is a valid Chinese phone number (or an accepted short number).
pub(crate) fn is_valid(number: &str, short: &[String]) -> bool {
    let n: String = number.chars().filter(|c| !c.is_whitespace()).collect();
    if short.iter().any(|s| s == &n) {
        return true;
    }
    let n = n
        .replace(['(', '（'], "")
        .replace([')', '）'], "-")
        .replace("--", "-");
    MOBILE.is_match(&n.replace('-', "")) || LANDLINE.is_match(&n) || SERVICE.is_match(&n)
}

impl Rule for PhoneMalformed {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let short = &cx.config.check.short_numbers;
        let help = || {
            text!(
            "手机 11 位（如 13907451234）；固话带区号（如 0745-2231100）；短号须在 [check] short_numbers 中",
            "mobile: 11 digits (13907451234); landline with area code (0745-2231100); short numbers must be in [check] short_numbers"
        )
        };
        let reg = &cx.corpus.registry;
        let entries = if cx.reports_on_registry() {
            reg.contacts.as_slice()
        } else {
            &[]
        };
        for e in entries {
            for (i, p) in e.item.phones.iter().enumerate() {
                if !is_valid(&p.number, short) {
                    let (num, name) = (&p.number, &e.item.name);
                    out.push(
                        at_entry(
                            &Self::INFO,
                            reg,
                            &e.origin,
                            &format!("/phones/{i}/number"),
                            text!(
                                "“{name}”的电话 `{num}` 格式错误",
                                "phone `{num}` of \"{name}\" is malformed"
                            ),
                        )
                        .help(help()),
                    );
                }
            }
        }
    }
    fn check_docs(&self, cx: &Context, docs: Range<usize>, out: &mut Vec<Diagnostic>) {
        let short = &cx.config.check.short_numbers;
        let help = || {
            text!(
            "手机 11 位（如 13907451234）；固话带区号（如 0745-2231100）；短号须在 [check] short_numbers 中",
            "mobile: 11 digits (13907451234); landline with area code (0745-2231100); short numbers must be in [check] short_numbers"
        )
        };
        for d in cx.docs_in(docs) {
            let Some(card) = d.card() else { continue };
            for (i, n) in card.emergency_numbers.iter().enumerate() {
                if !is_valid(n, short) {
                    out.push(
                        at_doc(
                            &Self::INFO,
                            d,
                            &format!("/emergency_numbers/{i}"),
                            text!(
                                "应急电话 `{n}` 格式错误",
                                "emergency number `{n}` is malformed"
                            ),
                        )
                        .help(help()),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_valid;

    #[test]
    fn phone_formats() {
        let short: Vec<String> = ["110", "119", "120", "12350"].map(String::from).to_vec();
        for ok in [
            "13907451234",
            "139 0745 1234",
            "0745-2231100",
            "(0745)2231100",
            "010-62345678",
            "0745-2231100-801",
            "0745-2231100转801",
            "400-810-1234",
            "119",
            "12350",
            "+8613907451234",
        ] {
            assert!(is_valid(ok, &short), "{ok}");
        }
        for bad in [
            "2231100",
            "1390745123",
            "12907451234",
            "0745-223110",
            "114",
            "0745-XXXXXXX",
            "",
        ] {
            assert!(!is_valid(bad, &short), "{bad}");
        }
    }
}
