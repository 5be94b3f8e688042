//! Help in one language (CLI stage).
//!
//! Takes the clap `Command` derived from [`super::Cli`], whose doc comments and `after_help`
//! examples are the English text, and the language asked for before the arguments are parsed
//! (`--lang` found in the raw arguments, `YUAN_LANG`, the locale; the repository's
//! `[check] lang` is not read: help comes before any repository). Gives the same `Command` with
//! every about, argument help, heading and example in that language only, and clap's own words
//! (`Usage:`, `Options:`, `[default: …]`, its error messages) told in Chinese where they are
//! printed. Why here and not in `Run`: clap builds its help while it parses, before a `Run`
//! exists. The Chinese text is one table ([`ZH`]) keyed by the command path and the argument,
//! so a new argument without its Chinese line fails a test instead of printing English.

use crate::diag::Lang;
use clap::Command;
use std::ffi::OsString;

/// The language of help and of errors found before a `Run` exists: `--lang` (or `--lang=`) in
/// the arguments, then `YUAN_LANG`, then the locale (LC_ALL, LC_MESSAGES, LANG); default zh.
pub(crate) fn lang_before_parse(args: &[OsString]) -> Lang {
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    let mut flag = None;
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if a == "--lang" {
            flag = it.next().and_then(|v| Lang::parse(&v));
        } else if let Some(v) = a.strip_prefix("--lang=") {
            flag = Lang::parse(v);
        }
    }
    let env = |var: &str| std::env::var(var).ok().as_deref().and_then(Lang::parse);
    flag.or_else(|| env("YUAN_LANG"))
        .or_else(|| {
            ["LC_ALL", "LC_MESSAGES", "LANG"]
                .iter()
                .find_map(|v| env(v))
        })
        .unwrap_or(Lang::Zh)
}

/// The command line's `Command` in `lang`.
pub(crate) fn command(lang: Lang) -> Command {
    use clap::CommandFactory;
    let mut cmd = super::Cli::command();
    // build first: the help flag, the `help` subcommand and the global `--lang` exist in every
    // subcommand only once clap has built the tree
    cmd.build();
    localize(cmd, lang, "yuan")
}

/// `cmd` (at `path`, e.g. `yuan drills status`) and its subcommands in `lang`.
fn localize(mut cmd: Command, lang: Lang, path: &str) -> Command {
    if path == "yuan" && lang == Lang::En {
        cmd = cmd.about(ABOUT_EN);
    }
    if lang == Lang::Zh {
        cmd = cmd.about(zh(path, "")).long_about(None::<&str>);
        if let Some(after) = zh_after(path) {
            cmd = cmd.after_help(after).after_long_help(None::<&str>);
        }
        let args: Vec<(String, String, bool)> = cmd
            .get_arguments()
            .map(|a| {
                let pv_help = a
                    .get_possible_values()
                    .iter()
                    .any(|v| v.get_help().is_some());
                (a.get_id().to_string(), key_of(a), pv_help)
            })
            .collect();
        for (id, key, pv_help) in args {
            let text = zh(path, &key);
            cmd = cmd.mut_arg(id, |a| {
                let a = a.help(text).long_help(None::<&str>);
                // values described in English by clap are described in the Chinese line
                if pv_help {
                    a.hide_possible_values(true)
                } else {
                    a
                }
            });
        }
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        let sub_path = format!("{path} {name}");
        cmd = cmd.mut_subcommand(&name, |s| localize(s, lang, &sub_path));
    }
    cmd
}

/// An argument's key in [`ZH`]: `--long`, or `<id>` for a positional one.
fn key_of(a: &clap::Arg) -> String {
    match a.get_long() {
        Some(l) => format!("--{l}"),
        None => format!("<{}>", a.get_id()),
    }
}

/// The path of the command `path` stands for: `yuan help drills status` is the help of
/// `yuan drills status`.
fn original(path: &str) -> String {
    let words: Vec<&str> = path.split(' ').collect();
    match words.iter().position(|w| *w == "help") {
        Some(i) if i + 1 < words.len() => words
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, w)| *w)
            .collect::<Vec<_>>()
            .join(" "),
        _ => path.to_string(),
    }
}

/// The Chinese text of `key` (an argument, or `""` for the command's about) of the command at
/// `path`; the text of `* key` where every command shares it; `None` where the table has none.
fn lookup(path: &str, key: &str) -> Option<&'static str> {
    let path = original(path);
    let exact = if key.is_empty() {
        path.clone()
    } else {
        format!("{path} {key}")
    };
    let last = path.rsplit(' ').next().unwrap_or_default();
    let shared = if key.is_empty() {
        // the `help` subcommand, at any level
        (last == "help").then(|| "* help".to_string())
    } else {
        Some(format!("* {key}"))
    };
    ZH.iter()
        .find(|(k, _)| *k == exact)
        .or_else(|| shared.and_then(|s| ZH.iter().find(|(k, _)| *k == s)))
        .map(|(_, v)| *v)
}

/// [`lookup`], or a line saying the text is missing (the test `every_text_is_chinese` finds
/// it first).
fn zh(path: &str, key: &str) -> &'static str {
    lookup(path, key).unwrap_or("（缺少中文说明）")
}

fn zh_after(path: &str) -> Option<&'static str> {
    let key = format!("{} ::after", original(path));
    ZH.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// clap's own words in a help text or an error, told in `lang` (they are English in clap).
pub(crate) fn clap_words(text: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return text.to_string();
    }
    let mut out = text.to_string();
    for (en, zh) in CLAP_WORDS {
        out = out.replace(en, zh);
    }
    out
}

/// A clap error (not help or version) in Chinese: its first line from its kind and the values
/// clap names, then clap's tips and usage with clap's words told in Chinese.
pub(crate) fn error_zh(e: &clap::Error, rendered: &str) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let ctx = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        _ => String::new(),
    };
    let arg = ctx(ContextKind::InvalidArg);
    let value = ctx(ContextKind::InvalidValue);
    let first = match e.kind() {
        ErrorKind::UnknownArgument => format!("无法识别的参数 '{arg}'"),
        ErrorKind::InvalidSubcommand => {
            format!("无法识别的子命令 '{}'", ctx(ContextKind::InvalidSubcommand))
        }
        ErrorKind::InvalidValue if value.is_empty() => format!("'{arg}' 需要一个值"),
        ErrorKind::InvalidValue => format!("'{arg}' 的值 '{value}' 无效"),
        ErrorKind::ValueValidation => format!("'{arg}' 的值 '{value}' 无效"),
        ErrorKind::MissingRequiredArgument => "缺少以下必需的参数：".to_string(),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "缺少子命令".to_string()
        }
        ErrorKind::ArgumentConflict => format!(
            "参数 '{arg}' 不能与 '{}' 同时使用",
            ctx(ContextKind::PriorArg)
        ),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("'{arg}' 的值的个数不对")
        }
        _ => "参数有误".to_string(),
    };
    // keep what follows clap's first line: the missing arguments, tips, usage
    let rest = rendered.split_once('\n').map(|(_, r)| r).unwrap_or("");
    format!("错误：{first}\n{}", clap_words(rest, Lang::Zh))
}

const ABOUT_EN: &str =
    "yuan: emergency plans as code. Checks a git repository of plans written as \
Markdown with YAML front matter, and prints disposal cards, response handbooks, drill schedules \
and exercise packs from it.";
const ABOUT_ZH: &str =
    "yuan（预案）：应急预案即代码。检查以 Markdown 加 YAML 头信息写在 git 中的预案库，\
并据此生成应急处置卡、应急响应工作手册、演练计划和演练资料包。";

/// clap's English words and their Chinese, in the order they are replaced.
const CLAP_WORDS: &[(&str, &str)] = &[
    ("Usage:", "用法："),
    ("Commands:", "命令："),
    ("Arguments:", "参数："),
    ("Options:", "选项："),
    ("[default: ", "[默认："),
    ("[possible values: ", "[可选值："),
    ("tip: a similar argument exists:", "提示：相近的参数："),
    ("tip: a similar value exists:", "提示：相近的值："),
    ("tip: some similar values exist:", "提示：相近的值："),
    ("tip: a similar subcommand exists:", "提示：相近的子命令："),
    (
        "tip: some similar subcommands exist:",
        "提示：相近的子命令：",
    ),
    ("tip: to pass", "提示：如果"),
    ("as a value, use", "是一个值，写成"),
    ("tip:", "提示："),
    (
        "For more information, try '--help'.",
        "更多信息：加 '--help'。",
    ),
];

/// The Chinese help: `yuan SUB` for a command's about, `yuan SUB --long` or `yuan SUB <id>`
/// for an argument, `yuan SUB ::after` for its examples; `* --long` for an argument every
/// command has.
const ZH: &[(&str, &str)] = &[
    ("yuan", ABOUT_ZH),
    ("* --lang", "消息语言：zh（默认）或 en；也可用环境变量 YUAN_LANG、yuan.toml 的 `[check] lang` 或系统语言设置"),
    ("* --help", "显示帮助"),
    ("* --version", "显示版本"),
    ("* help", "显示本帮助或指定子命令的帮助"),
    ("* <subcommand>", "要显示帮助的子命令"),
    ("* <dir>", "预案库目录（默认：当前目录）"),
    ("* --color", "输出着色"),
    ("* --font", "常规字体：.ttf/.otf，或 file.ttc#N（默认 `[render] font`，否则用内置字体）"),
    ("* --font-bold", "粗体字体，也用于标题（默认 `[render] font_bold`；自定 --font 时用合成粗体）"),
    ("yuan ::after", "示例：
  yuan check plans                    检查 plans/ 下的整个预案库
  yuan check --format json > out.json 机器可读结果（供 CI 使用）
  yuan check --format sarif > yuan.sarif
  yuan list plans --format json       列出全部文档
  yuan explain S501                   规则说明
  yuan new onsite --enterprise hd-chem --id hd-onsite-boiler -o hd-onsite-boiler.md
  yuan cards plans --nup 4            处置卡 PDF（A6，4 张拼一张 A4）和 HTML
  yuan diff main.. -C plans --format markdown   变更审查（合并请求用）
  yuan drills status plans            演练合规情况（上次演练、下次到期、整改）
  yuan handbook plans --plan xj-flood 应急响应工作手册（HTML 和 PDF）

退出码：0 = 无错误，1 = 发现错误，2 = 无法运行
语言：默认中文；--lang en 或 YUAN_LANG=en 改为英文"),
    // check
    ("yuan check", "校验预案库"),
    ("yuan check --format", "输出格式"),
    ("yuan check --today", "按时间判断的规则所用的日期（YYYY-MM-DD）；默认 `[check] today`，否则为系统日期"),
    ("yuan check --deny", "`--deny warnings`：有警告也判为不通过（退出码 1）"),
    ("yuan check --changed-since", "只报告自该 git 版本以来变更的文档（及依赖它们的文档）；仍加载整个预案库以解析引用。如 `origin/main`"),
    ("yuan check --staged", "检查下一次提交记录的内容：git 暂存区中的文件而非工作区文件；只报告暂存的变更和依赖它们的文档（提交前钩子使用）"),
    ("yuan check --no-cache", "重新解析每个文件，不使用 `.yuan-cache/`（缓存保持不变）"),
    ("yuan check ::after", "示例：
  yuan check plans
  yuan check plans --today 2027-01-01 --deny warnings
  yuan check . --format sarif > yuan.sarif
  yuan check plans --changed-since origin/main
  yuan check plans --staged                   检查暂存区（即将提交的内容）
  yuan check plans --no-cache                 不用解析缓存 .yuan-cache/"),
    // list
    ("yuan list", "列出预案库中的文档"),
    ("yuan list --format", "输出格式"),
    ("yuan list --kind", "只列出该类别的文档"),
    ("yuan list ::after", "示例：
  yuan list plans
  yuan list plans --format json --kind card"),
    // explain
    ("yuan explain", "解释规则：检查什么、为什么、如何修改"),
    ("yuan explain <code>", "规则代码，如 S501"),
    ("yuan explain --all", "列出全部规则（加 --markdown：整份规则说明，即 docs/rules.md）"),
    ("yuan explain --markdown", "输出 Markdown"),
    ("yuan explain --sections", "输出内置的章节要求（docs/sections.md）"),
    ("yuan explain ::after", "示例：
  yuan explain S501
  yuan explain --all
  yuan --lang en explain S501   英文说明"),
    // new
    ("yuan new", "生成含全部必备章节的新文档模板"),
    ("yuan new <kind>", "文档类别：overall、special、department、grassroots、joint、comprehensive、onsite、card"),
    ("yuan new --id", "文档 id（也是文件名）"),
    ("yuan new --title", "标题"),
    ("yuan new --enterprise", "企业（organizations 登记册中的 id）：生成企业文档（comprehensive、onsite 和 card 必填）"),
    ("yuan new --level", "政府预案的行政层级（默认：所属行政区的层级，否则为县级）"),
    ("yuan new --jurisdiction", "行政区 id（默认：取自登记册中企业或发布单位的行政区）"),
    ("yuan new --issuer", "发布单位 id（默认：企业本身，或行政区的人民政府）"),
    ("yuan new --parent", "上级预案 id（默认：在预案库中查找：企业的综合应急预案、行政区的总体预案、处置卡所属的现场处置方案）"),
    ("yuan new --hazard", "灾种 id（可重复；现场处置方案和处置卡默认取上级的灾种）"),
    ("yuan new --post", "处置卡的岗位，或现场处置方案的重点岗位（处置卡默认：上级方案中第一个还没有处置卡的重点岗位）"),
    ("yuan new --dir", "使用该预案库 yuan.toml 中的章节要求和 templates/ 中的模板"),
    ("yuan new --date", "写入 `dates` 的日期（默认：今天）"),
    ("yuan new --output", "写入该文件（不覆盖已有文件），而不是标准输出"),
    ("yuan new ::after", "示例：
  yuan new special --id qx-geo > plans/county/qx-geo.md
  yuan new onsite --enterprise hd-chem --id hd-onsite-boiler -o hd-onsite-boiler.md"),
    // cards
    ("yuan cards", "生成应急处置卡（PDF 和 HTML）"),
    ("yuan cards --plan", "只生成该现场处置方案的处置卡（可重复）"),
    ("yuan cards --card", "只生成这张处置卡（可重复）"),
    ("yuan cards --enterprise", "只生成该企业的处置卡（可重复）"),
    ("yuan cards --out", "输出目录（默认：DIR/out/cards）"),
    ("yuan cards --size", "卡片尺寸（默认 `[cards] size`，否则 a6）：a6 竖版 105 × 148 mm；a5 竖版 148 × 210 mm；pocket 口袋卡 90 × 130 mm"),
    ("yuan cards --nup", "合订本每张 A4 拼 N 张卡片，带裁切线（如 A6 为 4）"),
    ("yuan cards --duplex", "双面卡片：正面为处置步骤，背面为电话、注意事项和防护用品"),
    ("yuan cards --no-html", "不生成 cards.html"),
    ("yuan cards --color", "诊断信息着色"),
    ("yuan cards ::after", "示例：
  yuan cards plans                         全部处置卡 → plans/out/cards/
  yuan cards plans --nup 4                 合订本 4 张一版拼在 A4 上，带裁切线
  yuan cards plans --plan hd-onsite-reactor --size pocket
  yuan cards plans --card hd-card-reactor-operator --duplex
  yuan cards plans --font /usr/share/fonts/truetype/wqy/wqy-microhei.ttc#0

输出：每张卡一个 <ID>.pdf，cards.pdf（印刷文件），cards.html（手机离线查看）。
PDF 的日期取 SOURCE_DATE_EPOCH，否则取提交时间：输入相同，输出逐字节相同。"),
    // handbook
    ("yuan handbook", "生成应急响应工作手册（HTML 和 PDF）"),
    ("yuan handbook --plan", "该预案的手册"),
    ("yuan handbook --hazard", "按灾种 id 合订纵向一本：省、市、县专项预案及其下的企业预案"),
    ("yuan handbook --all", "每个预案一本手册"),
    ("yuan handbook --out", "输出目录（默认：DIR/out/handbook）"),
    ("yuan handbook --format", "要生成的文件：html、pdf 或 both（两者）"),
    ("yuan handbook --style", "PDF 版式：default 为 A4、边距 20 mm、正文 10.5 磅、带页眉；official 为 GB/T 9704-2012 的版式（边距 37/35/28/26 mm，每页 22 行、每行 28 字，页码“— N —”在外侧），仿宋用 --font、黑体用 --font-bold 提供"),
    ("yuan handbook --color", "诊断信息着色"),
    ("yuan handbook ::after", "示例：
  yuan handbook plans --plan xj-flood           一个预案的手册 → plans/out/handbook/xj-flood.{html,pdf}
  yuan handbook plans --hazard hazchem          危化品事故：省、市、县专项预案和企业预案合订一本
  yuan handbook plans --all --format html       每个预案一本，只要 HTML
  yuan handbook plans --plan xj-flood --style official \\
      --font /usr/share/fonts/fangsong.ttf --font-bold /usr/share/fonts/simhei.ttf

内容：封面（发布单位、版本、生效日期、来源提交）、目录、响应分级矩阵、各级响应的角色任务清单、
信息报告流程图、预警级别、联系方式（值班电话在前）、队伍/物资/避难场所、相关预案、修订记录，
然后是预案正文。
--style official：GB/T 9704 的版式（边距 37/35/28/26 mm，每页 22 行、每行 28 字）；该标准要求
正文仿宋、标题黑体，yuan 不内置这两种字体：用 --font 和 --font-bold 提供（.ttc 字体写成 file.ttc#N）。
模板：在预案库中放 templates/handbook/handbook.html.tera 即可定制 HTML。
PDF 的日期取 SOURCE_DATE_EPOCH，否则取提交时间：输入相同，输出逐字节相同。"),
    // log
    ("yuan log", "预案或处置卡的修订历史（跟踪重命名）"),
    ("yuan log <id>", "文档 id（预案或处置卡）"),
    ("yuan log --format", "输出格式（human 或 json）"),
    ("yuan log ::after", "示例：
  yuan log xj-flood plans
  yuan log hd-card-reactor-operator plans --format json"),
    // align
    ("yuan align", "记录预案或处置卡已与上位文件重新衔接复核"),
    ("yuan align <id>", "已复核的预案或处置卡的 id"),
    ("yuan align --with", "复核所对照的上位文件：文档 id 或登记册条目（`contact:ID` 等），可重复。默认：已有的记录、上级预案和 `links.upper` 中的预案"),
    ("yuan align --today", "要记录的复核日期（YYYY-MM-DD）；默认 `[check] today`，否则为系统日期"),
    ("yuan align --dry-run", "只显示改动，不写入文件"),
    ("yuan align ::after", "示例：
  yuan align qx-flood plans                       与 parent 和 links.upper 重新衔接
  yuan align hd-card-reactor-operator plans --dry-run
  yuan align qx-flood plans --with xj-flood --today 2026-03-01
  yuan align hd-onsite-reactor plans --with contact:hd-duty

只改写该文件的 `aligned:` 字段；此后上位文件再有变更时，`yuan check` 会给出警告（A304）。"),
    // diff
    ("yuan diff", "审查两个版本之间的预案变更：章节、重大修订、需要重新衔接的文档"),
    ("yuan diff <range>", "`版本1..版本2`、`版本1..` 或 `版本1`（到工作区）、`版本1...版本2`（从共同祖先起）。默认：HEAD 与主分支（main、master、origin/main、origin/master、origin/HEAD）的共同祖先到工作区"),
    ("yuan diff --dir", "预案库目录（默认：当前目录）"),
    ("yuan diff --format", "输出格式"),
    ("yuan diff --fail-on-major", "有预案发生重大修订时退出码为 1（如在 CI 中要求附备案说明）"),
    ("yuan diff ::after", "示例：
  yuan diff                                 与主分支的共同祖先比较工作区
  yuan diff main..HEAD -C plans --format markdown > review.md
  yuan diff v2025.1..v2026.1 --format json
  yuan diff origin/main... --fail-on-major  CI：有重大修订时退出码 1

重大修订（组织指挥体系与职责、应急处置程序、主要处置措施、响应分级等发生重大变化）需重新审批，
并在 20 个工作日内重新备案（《生产安全事故应急预案管理办法》第三十六条、第三十七条，见 docs/regulations.md）。"),
    // drills
    ("yuan drills", "演练管理：合规情况、演练计划、演练记录草稿、演练资料包"),
    ("yuan drills ::after", "示例：
  yuan drills status plans                 每个预案的上次演练、下次到期、逾期和整改
  yuan drills status plans --format json
  yuan drills schedule plans --from 2027-01 --months 24   两年演练计划 → plans/out/drills/
  yuan drills new plans --plan xj-flood                    演练记录草稿
  yuan drills pack dr-2026-xj-geo plans                    演练资料包（导调版、参演版）"),
    ("yuan drills status", "演练合规情况：每个预案的上次演练、下次到期日、逾期演练和未完成的整改"),
    ("yuan drills status --format", "输出格式"),
    ("yuan drills status --today", "判断所依据的日期（YYYY-MM-DD）；默认 `[check] today`，否则为系统日期"),
    ("yuan drills status --org", "只看该单位的预案（企业，否则为发布单位；registry/organizations.yaml 中的 id）及其整改措施"),
    ("yuan drills status ::after", "示例：
  yuan drills status plans
  yuan drills status plans --today 2027-03-01
  yuan drills status plans --format json > drills.json"),
    ("yuan drills schedule", "编制规划期内全部应开展演练的计划：ICS、CSV、HTML 日历、PDF"),
    ("yuan drills schedule --from", "规划期的第一个月（YYYY-MM）；默认：`today` 的下一个月"),
    ("yuan drills schedule --months", "规划期长度（月），至少 1（两年计划：24）"),
    ("yuan drills schedule --org", "只输出该单位的演练（registry/organizations.yaml 中的 id）；安排与整体计划相同"),
    ("yuan drills schedule --out", "输出目录（默认 DIR/out/drills）"),
    ("yuan drills schedule --today", "统计已开展演练截至的日期（YYYY-MM-DD）；默认 `[check] today`，否则为系统日期"),
    ("yuan drills schedule --format", "要生成的输出（逗号分隔，默认全部）：ics 为 drills.ics、drills-coordinators.ics；csv 为 drills.csv；json 为 schedule.json；html 为 schedule.html、schedule-coordinators.html；pdf 为 schedule.pdf、schedule-coordinators.pdf"),
    ("yuan drills schedule ::after", "示例：
  yuan drills schedule plans --from 2027-01 --months 24
  yuan drills schedule plans --from 2027-01 --out /tmp/drills
  yuan drills schedule plans --format html,pdf
  yuan drills schedule plans --org hd-chem --format ics

`status: planned` 的演练记录是已定演练：保持原日期，计入周期，不重复安排；违反约束时给出警告。
输出（默认 DIR/out/drills/）：drills.ics、drills.csv（带 BOM 的 UTF-8，便于 Excel/WPS 打开）、
schedule.json、schedule.html 和 schedule.pdf 是公开版（不含双盲演练，也不含由其日期推算出的任何内容）；
各自的 -coordinators 版含全部演练（HTML/PDF 为 A4 横向）。
--org ID：只输出一个单位的演练，安排与整体计划相同。[drills] slack_days（30）：在约束允许时，
演练安排在应演练日期之前这么多天；做不到的会列出。
文件的日期取 SOURCE_DATE_EPOCH，否则取提交时间：输入相同，输出逐字节相同。"),
    ("yuan drills new", "根据预案生成演练记录草稿（目标、情景注入草稿）"),
    ("yuan drills new --plan", "演练所检验的预案"),
    ("yuan drills new --id", "演练 id（默认 dr-<年份>-<预案>）"),
    ("yuan drills new --date", "计划日期（YYYY-MM-DD）；默认 `[check] today`，否则为系统日期"),
    ("yuan drills new --output", "写入该文件（从不覆盖），而不是标准输出"),
    ("yuan drills new ::after", "示例：
  yuan drills new plans --plan xj-flood
  yuan drills new plans --plan hd-onsite-reactor --date 2027-03-10 -o plans/drills/dr-2027-hd-reactor.md"),
    ("yuan drills pack", "生成演练资料包：工作方案、脚本、评估表、签到表、保障检查表（每个版本一份 PDF 和 HTML）"),
    ("yuan drills pack <drill>", "演练记录的 id（`kind: drill`）"),
    ("yuan drills pack --out", "输出目录（默认：DIR/out/drills/packs）"),
    ("yuan drills pack --copy", "要生成的版本：controllers 为导调/评估版（全部内容，含脚本和评估表）；participants 为参演人员版（无评估表，盲演无脚本）；both 为两者"),
    ("yuan drills pack --format", "要生成的文件：html、pdf 或 both（两者）"),
    ("yuan drills pack --color", "诊断信息着色"),
    ("yuan drills pack ::after", "示例：
  yuan drills pack dr-2026-xj-geo plans                    导调/评估版和参演人员版 → plans/out/drills/packs/
  yuan drills pack dr-2026-hd-tankfarm-h2 plans --copy participants   双盲演练的参演人员版（无脚本、无情景）
  yuan drills pack dr-2026-qx-flood plans --format html --out /tmp/pack
  yuan drills pack dr-2026-xj-geo plans --font /usr/share/fonts/truetype/wqy/wqy-microhei.ttc#0

输出（默认 DIR/out/drills/packs/）：
  <DRILL_ID>-controllers.{pdf,html}   导调/评估版：工作方案、脚本、评估表、签到表、保障和安全检查表
  <DRILL_ID>-participants.{pdf,html}  参演人员版：无评估表；盲演不含脚本和情景，双盲演练
                                      也不含标题、日期、地点和目标
模板：在预案库中放 templates/drills/pack.html.tera 即可定制 HTML。
PDF 的日期取 SOURCE_DATE_EPOCH，否则取提交时间：输入相同，输出逐字节相同。"),
    ("yuan new --from", "处置卡：由该现场处置方案起草（取其应急处置步骤、注意事项和报警环节的联系人），供人精简；上级方案、企业、灾种以及（未给 --title、--id 时）标题和 id 都取自该方案"),
    ("yuan export", "导出 Word 文档（GB/T 9704-2012 公文格式）"),
    ("yuan export <args>", "要导出的预案 id；最后一个参数是文件夹时为预案库（默认：当前目录）"),
    ("yuan export --dir", "预案库（代替最后一个参数）"),
    ("yuan export --all", "预案库中的每个预案，各一个文档"),
    ("yuan export --whole", "给出综合应急预案的 id 时：企业整套预案一个文档（封面、批准页、目录、综合预案、专项预案、现场处置方案、附件）"),
    ("yuan export --cards", "与 --whole 一起：附件中加入本企业的应急处置卡"),
    ("yuan export --format", "文件格式"),
    ("yuan export --out", "输出目录（默认：DIR/out/export）"),
    ("yuan export ::after", "示例：
  yuan export xj-flood plans                 一个预案 → plans/out/export/xj-flood.docx
  yuan export xj-flood qx-flood plans -o review/   几个预案，写到 review/
  yuan export hd-comprehensive plans --whole        企业整套预案一个文档：封面、批准页、目录、综合预案、
                                                    专项预案、现场处置方案、附件
  yuan export hd-comprehensive plans --whole --cards   附件中加入应急处置卡
  yuan export plans --all                           每个预案一个文档
  yuan export xj-flood -C plans                     id 与当前目录下的文件夹同名时，用 -C 指明预案库

版式（GB/T 9704-2012）：A4；天头 37 mm、下白边 35 mm、订口 28 mm、切口 26 mm；每页 22 行、每行 28 字；
标题方正小标宋简体二号；正文仿宋_GB2312 三号；一级标题黑体，二级标题楷体_GB2312；页码“— 1 —”宋体四号。
字体只写名称：由读者的 Word 或 WPS 用本机字体显示（docs/export.md 列出需要安装的字体和缺字体时的替代）。
标题是 Word 标题（标题 1、标题 2……）：Word 式预案中以普通行书写的标题也是。
有错误的预案不导出（yuan check 显示原因）。
文档日期取 SOURCE_DATE_EPOCH，否则取提交时间：输入相同，输出逐字节相同。"),
    ("yuan drills report", "演练之后：一次演练的评估和总结报告，或一年的年度演练工作报告（PDF、HTML、CSV）"),
    ("yuan drills report <target>", "演练记录的 id（`kind: drill`）；与 --year 一起时为预案库"),
    ("yuan drills report --year", "该年度的年度应急演练工作报告（代替单次演练的报告）"),
    ("yuan drills report --org", "与 --year 一起：只统计该单位的演练和预案（registry/*.yaml 中的 id）"),
    ("yuan drills report --today", "判断整改措施和演练周期所用的日期（YYYY-MM-DD）；默认 `[check] today`，否则为系统日期（年度报告截至年末）"),
    ("yuan drills report --out", "输出目录（默认：DIR/out/drills/reports）"),
    ("yuan drills report --format", "要生成的文件（逗号分隔）；默认全部"),
    ("yuan drills report ::after", "示例：
  yuan drills report dr-2026-xj-geo plans                   演练评估与总结报告 → plans/out/drills/reports/
  yuan drills report --year 2026 plans                      各单位年度演练工作报告
  yuan drills report --year 2026 --org hd-chem plans        一个单位的年度报告（报送主管部门）
  yuan drills report dr-2026-hd-comprehensive plans --format csv --out /tmp/r

输出（默认 DIR/out/drills/reports/）：
  <DRILL_ID>-report.{pdf,html,csv}       演练目标、各科目实际情况（injects[].observed）、评估
                                         （2013 年办法第二十三条 / AQ/T 9009-2015）、按预案条款归类的问题、
                                         整改措施及责任人、期限和完成情况
  annual-<YEAR>[-<ORG>].{pdf,html,csv}   按形式和内容统计的演练、预案及其演练周期的覆盖情况、
                                         发现的问题和整改情况（《生产安全事故应急条例》第八条）
CSV 为带 BOM 的 UTF-8（Excel、WPS 可直接打开）。运行时显示检查结果（逾期的整改措施 E004 也是报告中的一行）；
报告照常生成。
PDF 的日期取 SOURCE_DATE_EPOCH，否则取提交时间：输入相同，输出逐字节相同。"),
    ("yuan import", "把 Word（.docx）或文本预案导入为预案库文档"),
    ("yuan import <sources>", "要导入的文件：.docx，或没有前置元数据的 .txt / .md"),
    ("yuan import --out", "写到哪里（默认：当前目录所在的预案库）。不在预案库中的目录会成为预案库（写入 yuan.toml 和登记项）"),
    ("yuan import --kind", "文档类型，代替从标题判断的类型"),
    ("yuan import --id", "文档 id（默认取自文件名）；与 --split auto 一起时为各部分 id 的前缀和所在目录。只能有一个 SOURCE"),
    ("yuan import --enterprise", "企业预案所属企业的组织 id（登记册）"),
    ("yuan import --jurisdiction", "行政区域 id（登记册）"),
    ("yuan import --split", "`auto`：全本企业预案拆成每个预案一篇，带 `parent` 关联和共用的 `_defaults.yaml`"),
    ("yuan import --format", "报告格式"),
    ("yuan import --today", "运行日期（YYYY-MM-DD）：原文没有日期处写入的日期（标为“待定”）。默认为系统日期"),
    ("yuan import ::after", "示例：
  yuan import 防汛抗旱应急预案.docx --out plans/county --id qx-flood --jurisdiction qx
  yuan import 恒达化工应急预案.docx --out hd --split auto --id hd --enterprise hd-chem
                                           全本企业预案：综合、专项、现场处置方案各成一篇，共用 _defaults.yaml
  yuan import a.docx b.docx c.txt --out imported --format json
  soffice --headless --convert-to docx 旧预案.doc   .doc 先用 LibreOffice 转换

不在预案库中的目录会成为预案库（写入 yuan.toml 和标为 `imported` 的登记项）。原文没有写明的内容写作“待定”，
并标为 `status: draft`：`yuan check` 会报告（T801）。损坏、.doc、加密或压缩炸弹等坏文件：一行错误，退出码 2，
不写任何文件。详见 docs/import.md。"),
    // hook
    ("yuan hook", "安装检查变更预案的 git 提交前钩子（pre-commit）"),
    ("yuan hook <action>", "要做的事：install（唯一的操作）"),
    ("yuan hook --force", "替换已有的 pre-commit 钩子"),
    ("yuan hook ::after", "示例：
  yuan hook install plans
  yuan hook install . --force

钩子运行 `yuan check DIR --staged`（检查即将提交的内容）；`git commit --no-verify` 可跳过一次。"),
    // schemas
    ("yuan schemas", "输出或写入各类文档的 JSON Schema（供编辑器使用）"),
    ("yuan schemas --write", "把全部 schema 文件写入该目录，而不是列出"),
    ("yuan schemas ::after", "示例：
  yuan schemas
  yuan schemas --write schemas"),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command and argument, with its path, as `(path, key)`; key `""` for the command.
    fn every_text(cmd: &Command, path: &str, out: &mut Vec<(String, String)>) {
        out.push((path.to_string(), String::new()));
        for a in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
            out.push((path.to_string(), key_of(a)));
        }
        for s in cmd.get_subcommands() {
            every_text(s, &format!("{path} {}", s.get_name()), out);
        }
    }

    fn built(lang: Lang) -> Command {
        command(lang)
    }

    fn has_cjk(s: &str) -> bool {
        s.chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || "，。；：（）、“”".contains(c))
    }

    #[test]
    fn every_text_is_chinese() {
        let cmd = built(Lang::Zh);
        let mut all = Vec::new();
        every_text(&cmd, "yuan", &mut all);
        let missing: Vec<String> = all
            .iter()
            .filter(|(p, k)| lookup(p, k).is_none())
            .map(|(p, k)| format!("(\"{} {k}\", \"…\")", original(p)))
            .collect();
        assert!(
            missing.is_empty(),
            "add these lines to help::ZH:\n{}",
            missing.join("\n")
        );
        // every subcommand with examples in English has them in Chinese
        fn afters(c: &Command, path: &str, out: &mut Vec<String>) {
            if c.get_after_help().is_some() && !path.split(' ').any(|w| w == "help") {
                out.push(path.to_string());
            }
            for s in c.get_subcommands() {
                afters(s, &format!("{path} {}", s.get_name()), out);
            }
        }
        let mut en_afters = Vec::new();
        afters(&built(Lang::En), "yuan", &mut en_afters);
        for p in en_afters {
            let zh = zh_after(&p).unwrap_or_else(|| panic!("no Chinese examples for `{p}`"));
            assert!(has_cjk(zh), "{p}");
        }
    }

    #[test]
    fn no_stale_lines() {
        let mut all = Vec::new();
        every_text(&built(Lang::Zh), "yuan", &mut all);
        let keys: std::collections::HashSet<String> = all
            .iter()
            .map(|(p, k)| {
                let p = original(p);
                if k.is_empty() {
                    p
                } else {
                    format!("{p} {k}")
                }
            })
            .collect();
        for (k, _) in ZH {
            let k = k.strip_suffix(" ::after").unwrap_or(k);
            let shared = k.starts_with("* ");
            assert!(
                shared || keys.contains(k),
                "help::ZH has `{k}`, which no command has"
            );
        }
    }

    #[test]
    fn english_help_has_no_chinese() {
        let cmd = built(Lang::En);
        fn walk(c: &Command, path: &str) {
            let texts = c
                .get_about()
                .into_iter()
                .chain(c.get_long_about())
                .chain(c.get_after_help())
                .chain(c.get_after_long_help())
                .map(|s| s.to_string())
                .chain(c.get_arguments().flat_map(|a| {
                    a.get_help()
                        .into_iter()
                        .chain(a.get_long_help())
                        .map(|s| s.to_string())
                        .chain(
                            a.get_possible_values()
                                .iter()
                                .filter_map(|v| v.get_help().map(|h| h.to_string())),
                        )
                        .collect::<Vec<_>>()
                }));
            for t in texts {
                assert!(!has_cjk(&t), "{path}: {t}");
            }
            for s in c.get_subcommands() {
                walk(s, &format!("{path} {}", s.get_name()));
            }
        }
        walk(&cmd, "yuan");
    }

    #[test]
    fn language_from_the_arguments() {
        let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            lang_before_parse(&args(&["yuan", "--lang", "en", "check"])),
            Lang::En
        );
        assert_eq!(
            lang_before_parse(&args(&["yuan", "check", "--lang=en", "--help"])),
            Lang::En
        );
        assert_eq!(
            lang_before_parse(&args(&["yuan", "check", "--lang", "zh"])),
            Lang::Zh
        );
        // after `--`, `--lang` is a value, not the flag
        let after = lang_before_parse(&args(&["yuan", "new", "--", "--lang", "en"]));
        let env = lang_before_parse(&args(&["yuan"]));
        assert_eq!(after, env);
    }

    #[test]
    fn help_paths() {
        assert_eq!(original("yuan help drills status"), "yuan drills status");
        assert_eq!(original("yuan drills help"), "yuan drills help");
        assert_eq!(lookup("yuan drills help", ""), lookup("yuan help", ""));
        assert_eq!(lookup("yuan help check", ""), Some("校验预案库"));
    }
}
