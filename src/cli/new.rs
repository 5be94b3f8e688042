//! `yuan new KIND`: a new document with every mandatory section of its profile, rendered from
//! the Tera templates in `templates/new/` (built in; a repository's own `templates/new/*.tera`
//! override them).
//!
//! It starts clean: the references it can know are filled in from its flags and from the
//! repository (`Filled`): the issuer, jurisdiction and level from `--enterprise` /
//! `--jurisdiction` and the registries, the parent from the plans (the enterprise's
//! comprehensive plan, the jurisdiction's overall plan, the enterprise's on-site plan of a
//! card), the hazards and the card's post and contacts from the flags or the parent. What only
//! the writer can say stays `待定`, which `yuan check` reports as placeholders (T801) until it is
//! filled in, and nothing else: a reference it cannot fill is left out with a `待定` comment
//! instead of a `待定` id that every reference rule would report again.

use crate::config::Config;
use crate::diag::error::said_in;
use crate::env_error;
use crate::model::meta::Kind;
use crate::model::sections;
use std::path::PathBuf;

#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Args {
    /// Document kind: overall, special, department, grassroots, joint, comprehensive, onsite, card.
    pub(crate) kind: String,
    /// Document id (also the file name).
    #[arg(long, default_value = "new-plan")]
    pub(crate) id: String,
    /// Title.
    #[arg(long, default_value = "待定")]
    pub(crate) title: String,
    /// Enterprise organisation id: makes an enterprise document (required for comprehensive,
    /// onsite and card).
    #[arg(long)]
    pub(crate) enterprise: Option<String>,
    /// Administrative level of a government plan (default: the jurisdiction's, else county).
    #[arg(long)]
    pub(crate) level: Option<String>,
    /// Jurisdiction id (default: the enterprise's, or the issuer's, from the registries).
    #[arg(long, value_name = "ID")]
    pub(crate) jurisdiction: Option<String>,
    /// Issuing organisation id (default: the enterprise, or the jurisdiction's government).
    #[arg(long, value_name = "ID")]
    pub(crate) issuer: Option<String>,
    /// Parent plan id (default: found in the repository: the enterprise's comprehensive plan,
    /// the jurisdiction's overall plan, the enterprise's on-site plan of a card).
    #[arg(long, value_name = "ID")]
    pub(crate) parent: Option<String>,
    /// Hazard id (repeatable; default for on-site plans and cards: the parent's).
    #[arg(long, value_name = "ID")]
    pub(crate) hazard: Vec<String>,
    /// Post of a card, or key post of an on-site plan (default for a card: the parent's
    /// first key post without a card).
    #[arg(long, value_name = "POST")]
    pub(crate) post: Option<String>,
    /// Cards: draft the card from this on-site plan (its response steps, precautions and the
    /// contacts of its alarm section), for a person to shorten; the plan gives the card's
    /// parent, enterprise, hazard and (without --title, --id) its title and id.
    #[arg(long, value_name = "ONSITE_ID")]
    pub(crate) from: Option<String>,
    /// Repository whose yuan.toml section profiles and templates/ overrides apply.
    #[arg(long, default_value_os_t = super::default_dir())]
    pub(crate) dir: PathBuf,
    /// Date to put in `dates` (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub(crate) date: Option<chrono::NaiveDate>,
    /// Write to this file (refuses to overwrite) instead of standard output.
    #[arg(short, long)]
    pub(crate) output: Option<PathBuf>,
}

const PLAN_TEMPLATE: &str = include_str!("../../templates/new/plan.md.tera");
const CARD_TEMPLATE: &str = include_str!("../../templates/new/card.md.tera");

fn chinese_number(n: usize) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => D[n].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", D[n - 10]),
        _ => n.to_string(),
    }
}

pub(crate) fn run(args: &Args, run: &super::Run) -> anyhow::Result<i32> {
    let (config, _) = crate::load::read_config(&args.dir)?;
    let lang = run.lang(config.check.lang.as_deref());
    scaffold(args, run, &config)
        .and_then(|text| print_or_create(args.output.as_deref(), &text))
        .map_err(|e| said_in(e, lang))?;
    Ok(0)
}

/// The new document's text, from the template of its kind.
fn scaffold(args: &Args, run: &super::Run, config: &Config) -> anyhow::Result<String> {
    let asked = &args.kind;
    let Some(kind) = Kind::parse(asked) else {
        return Err(env_error!(
            "未知的文档类别 `{asked}`；可用：overall、special、department、grassroots、joint、comprehensive、onsite、card",
            "unknown kind `{asked}`; use one of overall, special, department, grassroots, joint, comprehensive, onsite, card"
        ));
    };
    if kind == Kind::Drill {
        return Err(env_error!(
            "演练记录要从其预案生成：请用 `yuan drills new --plan 预案ID`",
            "drill records are scaffolded from their plan: use `yuan drills new --plan PLAN_ID`"
        ));
    }
    let corpus = repository(args, run)?;
    let mut args = args.clone();
    let draft = match args.from.clone() {
        Some(from) => Some(from_onsite(
            &mut args,
            kind,
            &from,
            corpus.as_ref(),
            config,
        )?),
        None => None,
    };
    let args = &args;
    if kind.enterprise_only() && args.enterprise.is_none() {
        let kind = kind.as_str();
        return Err(env_error!(
            "`{kind}` 是企业文档：请加上 --enterprise 企业ID",
            "`{kind}` is an enterprise document: add --enterprise ORG_ID"
        ));
    }
    let mut filled = match &corpus {
        Some(corpus) => fill(args, kind, corpus)?,
        None => Filled::given(args),
    };
    if let Some(d) = &draft {
        // the contacts the alarm section names first, then the plan's own
        let mut to = d.draft.report_to.clone();
        to.extend(
            filled
                .report_to
                .drain(..)
                .filter(|c| !d.draft.report_to.contains(c)),
        );
        filled.report_to = to;
    }
    let lang = run.lang(config.check.lang.as_deref());
    let from_notes = draft.iter().flat_map(|d| d.notes.iter().cloned());
    for note in from_notes.chain(filled.missing(kind, args.enterprise.is_some())) {
        eprintln!("{}", note.get(lang));
    }
    let mut ctx = tera::Context::new();
    let (id, title) = match &draft {
        Some(d) => d.id_and_title(args, filled.post.as_deref()),
        None => (args.id.clone(), args.title.clone()),
    };
    ctx.insert("id", &id);
    ctx.insert("kind", kind.as_str());
    ctx.insert("title", &title);
    insert_draft(&mut ctx, draft.as_ref());
    ctx.insert("version", "1.0");
    ctx.insert(
        "level",
        filled
            .level
            .as_deref()
            .unwrap_or(args.level.as_deref().unwrap_or("county")),
    );
    ctx.insert("enterprise", &args.enterprise);
    // ids as YAML scalars (quoted where YAML would read them otherwise: `"yes"`, `"1"`)
    let id = |v: &Option<String>| v.as_deref().map(crate::parse::splice::scalar);
    let ids = |v: &[String]| {
        v.iter()
            .map(|s| crate::parse::splice::scalar(s))
            .collect::<Vec<_>>()
            .join(", ")
    };
    ctx.insert("issuer", &id(&filled.issuer));
    ctx.insert("jurisdiction", &id(&filled.jurisdiction));
    ctx.insert("parent", &id(&filled.parent));
    ctx.insert("hazards", &ids(&filled.hazards));
    ctx.insert("hazard", &id(&filled.hazards.first().cloned()));
    ctx.insert(
        "needs_hazards",
        &matches!(kind, Kind::Special | Kind::Onsite),
    );
    ctx.insert("post", &filled.post);
    ctx.insert("report_to", &ids(&filled.report_to));
    ctx.insert("upper", &ids(&filled.upper));
    // `yuan new` has always taken the system date, not `[check] today`
    let date = run.today(args.date, None);
    ctx.insert("today", &date.to_string());
    let parent_hint = match kind {
        Kind::Overall => Some("上一级总体预案 id（省级可删去此行）"),
        Kind::Special if args.enterprise.is_some() => Some("本企业综合应急预案 id"),
        Kind::Special | Kind::Department => Some("本级总体预案 id"),
        Kind::Grassroots => Some("本级或上级总体/专项预案 id"),
        Kind::Onsite => Some("本企业综合或专项应急预案 id"),
        _ => None,
    };
    ctx.insert("parent_hint", &parent_hint);
    let mut list = Vec::new();
    if let Some(name) = sections::profile_name(kind, args.enterprise.is_some()) {
        let profile = sections::profile(&config.sections, name);
        let (mut top, mut sub) = (0, 0);
        for s in profile {
            let (depth, number) = if s.within.is_some() {
                sub += 1;
                (2, format!("（{}）", chinese_number(sub)))
            } else {
                top += 1;
                sub = 0;
                (1, format!("{}、", chinese_number(top)))
            };
            list.push(serde_json::json!({
                "title": s.title, "hashes": "#".repeat(depth), "number": number,
                "source": s.source.clone().unwrap_or_default(),
            }));
        }
    }
    ctx.insert("sections", &list);
    let (name, builtin) = if kind == Kind::Card {
        ("card.md.tera", CARD_TEMPLATE)
    } else {
        ("plan.md.tera", PLAN_TEMPLATE)
    };
    // the repository's own scaffold, through the repository boundary (a regular file inside
    // it, capped), rendered by a Tera that cannot reach the machine
    let rel = format!("templates/new/{name}");
    let (template, origin) = match crate::render::templates::read_own(&args.dir, &rel)? {
        Some(t) => (t, rel),
        None => (builtin.to_string(), format!("built-in {name}")),
    };
    crate::render::templates::render(name, &template, &origin, &ctx)
}

/// A card drafted from an on-site plan (`--from`).
struct FromOnsite {
    plan: String,
    plan_title: String,
    draft: crate::model::card_draft::CardDraft,
    /// A `--post` that is none of the plan's key posts, with the closest.
    notes: Vec<crate::diag::Text>,
}

impl FromOnsite {
    /// The card's id and title: the flags, else from the plan (`jw-onsite-gas` gives
    /// `jw-card-gas`; 燃气泄漏事故现场处置方案 gives 燃气泄漏事故应急处置卡（岗位）).
    fn id_and_title(&self, args: &Args, post: Option<&str>) -> (String, String) {
        let id = if args.id == "new-plan" {
            match self.plan.split_once("-onsite-") {
                Some((a, b)) => format!("{a}-card-{b}"),
                None => format!("{}-card", self.plan),
            }
        } else {
            args.id.clone()
        };
        let title = if args.title == "待定" {
            let stem = self
                .plan_title
                .trim_end_matches("现场处置方案")
                .trim_end_matches("现场应急处置方案");
            match post {
                Some(p) => format!("{stem}应急处置卡（{p}）"),
                None => format!("{stem}应急处置卡"),
            }
        } else {
            args.title.clone()
        };
        (id, title)
    }
}

/// `--from ONSITE_ID`: the on-site plan read for a card; the flags it implies (parent,
/// enterprise) set in `args` unless given.
fn from_onsite(
    args: &mut Args,
    kind: Kind,
    from: &str,
    corpus: Option<&crate::model::Corpus>,
    config: &Config,
) -> anyhow::Result<FromOnsite> {
    if kind != Kind::Card {
        return Err(env_error!(
            "--from 用于起草处置卡：`yuan new card --from 现场处置方案ID --post 岗位`",
            "--from drafts a card: `yuan new card --from ONSITE_ID --post POST`"
        ));
    }
    let Some(corpus) = corpus else {
        let dir = args.dir.display();
        return Err(env_error!(
            "--from 要读取预案库，但 {dir} 中没有 yuan.toml（用 --dir 指定预案库）",
            "--from reads the plan repository, and {dir} has no yuan.toml (give it with --dir)"
        ));
    };
    let onsite = || {
        corpus
            .docs
            .iter()
            .filter(|d| d.kind == Some(Kind::Onsite))
            .filter_map(|d| d.id.as_deref())
    };
    let doc = corpus.doc(from).filter(|d| d.kind == Some(Kind::Onsite));
    let (Some(doc), Some(plan)) = (doc, doc.and_then(|d| d.plan())) else {
        if let Some(kind) = corpus.doc(from).and_then(|d| d.kind) {
            let ids = onsite().collect::<Vec<_>>().join(", ");
            let (zh, en) = (kind.zh(), kind.as_str());
            return Err(env_error!(
                "`{from}` 是{zh}，处置卡要从现场处置方案起草；预案库中的现场处置方案：{ids}",
                "`{from}` is a plan of kind {en}; a card is drafted from an on-site plan; the repository's on-site plans: {ids}"
            ));
        }
        let near = crate::diag::suggest::suggest(from, onsite());
        let (zh, en) = crate::diag::suggest::did_you_mean(&near);
        return Err(env_error!(
            "`{from}` 不是预案库中的现场处置方案{zh}",
            "`{from}` is not an on-site plan of the repository{en}"
        ));
    };
    if args.enterprise.is_none() {
        args.enterprise = plan.enterprise.clone();
    }
    if args.parent.is_none() {
        args.parent = Some(from.to_string());
    }
    let mut notes = Vec::new();
    if let Some(post) = args
        .post
        .as_deref()
        .filter(|p| !plan.key_posts.contains(&p.to_string()))
    {
        let posts = plan.key_posts.iter().map(String::as_str);
        let (zh, en) =
            crate::diag::suggest::did_you_mean(&crate::diag::suggest::suggest(post, posts));
        let all = plan.key_posts.join("、");
        notes.push(crate::text!(
            "注意：--post `{post}` 不是 {from} 的重点岗位（key_posts：{all}）{zh}",
            "note: --post `{post}` is not a key post of {from} (key_posts: {all}){en}"
        ));
    }
    let text = corpus.read_text(&doc.path).unwrap_or_default();
    let profiles = crate::model::sections::Profiles::new(&config.sections);
    let specs = profiles.for_kind(Kind::Onsite, true);
    let valid = |n: &str| {
        crate::check::rules::c601_phone_malformed::is_valid(n, &config.check.short_numbers)
    };
    let draft = crate::model::card_draft::draft(
        doc,
        &text,
        specs,
        &corpus.registry,
        &config.check.short_numbers,
        &valid,
    );
    Ok(FromOnsite {
        plan: from.to_string(),
        plan_title: plan.title.clone(),
        draft,
        notes,
    })
}

/// The drafted parts of a card, for the template (`steps`, `cautions`, `risk`,
/// `emergency_numbers`, `unlisted`, `from`); nothing without `--from`.
fn insert_draft(ctx: &mut tera::Context, d: Option<&FromOnsite>) {
    let Some(d) = d else {
        ctx.insert("steps", &Vec::<serde_json::Value>::new());
        ctx.insert("from", &None::<String>);
        return;
    };
    let scalar = |s: &str| crate::parse::splice::scalar(s);
    let steps: Vec<serde_json::Value> = d
        .draft
        .steps
        .iter()
        .map(|s| {
            // a label only where the step starts with its verb: a worker scans the labels
            let action = match crate::model::steps::leading_label(&s.action) {
                Some(l) => format!("{l}：{}", s.action),
                None => s.action.clone(),
            };
            serde_json::json!({
                "action": action,
                "values": s.values.iter().map(|v| scalar(v)).collect::<Vec<_>>().join(", "),
                "clause": s.clause,
            })
        })
        .collect();
    ctx.insert("steps", &steps);
    ctx.insert("cautions", &d.draft.cautions);
    ctx.insert("risk", &d.draft.risk);
    let numbers: Vec<String> = d
        .draft
        .emergency_numbers
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect();
    ctx.insert("emergency_numbers", &numbers.join(", "));
    ctx.insert("unlisted", &d.draft.unlisted.join("、"));
    ctx.insert("from", &d.plan);
}

/// Prints a scaffold, or writes it to a new file (an existing file is never overwritten).
pub(super) fn print_or_create(output: Option<&std::path::Path>, text: &str) -> anyhow::Result<()> {
    match output {
        None => print!("{text}"),
        Some(path) => crate::render::output::create_new(path, text.as_bytes())?,
    }
    Ok(())
}

/// What `yuan new` fills in, from its flags and the repository; `None` where only the writer
/// can say.
#[derive(Debug, Default)]
struct Filled {
    issuer: Option<String>,
    jurisdiction: Option<String>,
    level: Option<String>,
    parent: Option<String>,
    hazards: Vec<String>,
    post: Option<String>,
    report_to: Vec<String>,
    /// `links.upper`.
    upper: Vec<String>,
    /// Flags that name ids the repository does not have.
    notes: Vec<crate::diag::Text>,
}

impl Filled {
    /// Only the flags (no repository to look in).
    fn given(args: &Args) -> Filled {
        Filled {
            issuer: args.issuer.clone().or_else(|| args.enterprise.clone()),
            jurisdiction: args.jurisdiction.clone(),
            level: args.level.clone(),
            parent: args.parent.clone(),
            hazards: args.hazard.clone(),
            post: args.post.clone(),
            report_to: Vec::new(),
            upper: Vec::new(),
            notes: Vec::new(),
        }
    }
}

impl Filled {
    /// A note for each reference left `待定` that a flag would fill.
    fn missing(&self, kind: Kind, enterprise: bool) -> Vec<crate::diag::Text> {
        let mut out = self.notes.clone();
        let mut say = |field: &str, flag: &str| {
            out.push(crate::text!(
                "提示：未能从预案库确定 `{field}`，已写为“待定”；可用 {flag} 指定",
                "note: `{field}` could not be told from the repository and is left as `待定`; give it with {flag}"
            ));
        };
        if self.issuer.is_none() && kind != Kind::Card {
            say("issuer", "--issuer ID");
        }
        if self.jurisdiction.is_none() && kind != Kind::Card {
            say("jurisdiction", "--jurisdiction ID");
        }
        let wants_parent = match kind {
            Kind::Special | Kind::Onsite | Kind::Card | Kind::Department | Kind::Grassroots => true,
            Kind::Overall => !enterprise,
            _ => false,
        };
        if self.parent.is_none() && wants_parent {
            say("parent", "--parent ID");
        }
        if self.hazards.is_empty() && matches!(kind, Kind::Special | Kind::Onsite | Kind::Card) {
            say("hazards", "--hazard ID");
        }
        if self.post.is_none() && matches!(kind, Kind::Onsite | Kind::Card) {
            say(
                if kind == Kind::Card {
                    "post"
                } else {
                    "key_posts"
                },
                "--post POST",
            );
        }
        out
    }
}

/// The plan repository at `--dir`, loaded, when there is one (a `yuan.toml`).
fn repository(args: &Args, run: &super::Run) -> anyhow::Result<Option<crate::model::Corpus>> {
    if !args.dir.join("yuan.toml").is_file() {
        return Ok(None);
    }
    let options = crate::load::LoadOptions {
        progress: run.progress,
        cache: true,
    };
    Ok(Some(crate::load::load_opts(&args.dir, options)?.corpus))
}

/// A note when `word`, given by `flag`, is not one of `known`, with the closest ones. A note,
/// not a refusal: the writer may be drafting the first plan of an organisation that the
/// registries do not list yet (`yuan check` then reports the reference, R401).
fn unknown<'a>(
    word: &str,
    flag: &str,
    known: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<crate::diag::Text> {
    if known.clone().into_iter().any(|k| k == word) {
        return None;
    }
    let (zh, en) = crate::diag::suggest::did_you_mean(&crate::diag::suggest::suggest(word, known));
    Some(crate::text!(
        "注意：{flag} `{word}` 不在预案库中{zh}",
        "note: {flag} `{word}` is not in the repository{en}"
    ))
}

/// The references of a new document of `kind`, from the flags, then the registries and plans.
fn fill(args: &Args, kind: Kind, corpus: &crate::model::Corpus) -> anyhow::Result<Filled> {
    use crate::model::registry::OrgType;
    let reg = &corpus.registry;
    let orgs = || reg.organizations.iter().map(|e| &e.item);
    let org = |id: &str| orgs().find(|o| o.id == id);
    let plans = || corpus.docs.iter().filter_map(|d| d.plan().map(|p| (d, p)));
    let mut f = Filled::given(args);
    let org_ids = || orgs().map(|o| o.id.as_str());
    f.notes.extend(
        args.enterprise
            .as_deref()
            .and_then(|e| unknown(e, "--enterprise", org_ids())),
    );
    f.notes.extend(
        args.issuer
            .as_deref()
            .and_then(|i| unknown(i, "--issuer", org_ids())),
    );
    let juris_ids = || reg.jurisdictions.iter().map(|e| e.item.id.as_str());
    f.notes.extend(
        args.jurisdiction
            .as_deref()
            .and_then(|j| unknown(j, "--jurisdiction", juris_ids())),
    );
    if !reg.hazards.is_empty() {
        let hazard_ids = || reg.hazards.iter().map(|e| e.item.id.as_str());
        for h in &args.hazard {
            f.notes.extend(unknown(h, "--hazard", hazard_ids()));
        }
    }
    let doc_ids = || corpus.docs.iter().filter_map(|d| d.id.as_deref());
    f.notes.extend(
        args.parent
            .as_deref()
            .and_then(|p| unknown(p, "--parent", doc_ids())),
    );
    // the jurisdiction: the flag, else the enterprise's or the issuer's
    if f.jurisdiction.is_none() {
        f.jurisdiction = f
            .issuer
            .as_deref()
            .and_then(org)
            .and_then(|o| o.jurisdiction.clone());
    }
    let juris = f
        .jurisdiction
        .as_deref()
        .and_then(|j| reg.jurisdictions.iter().find(|e| e.item.id == j))
        .map(|e| &e.item);
    if f.level.is_none() {
        f.level = juris
            .and_then(|j| serde_json::to_value(j.level).ok())
            .and_then(|v| v.as_str().map(str::to_string));
    }
    // a government document's issuer: the one people's government of its jurisdiction
    if f.issuer.is_none() {
        if let Some(j) = &f.jurisdiction {
            let govs: Vec<_> = orgs()
                .filter(|o| o.org_type == OrgType::Government)
                .filter(|o| o.jurisdiction.as_deref() == Some(j.as_str()))
                .collect();
            // the jurisdiction's own government, not a township's within it
            let top: Vec<_> = govs
                .iter()
                .filter(|o| {
                    !o.parent
                        .as_deref()
                        .is_some_and(|p| govs.iter().any(|g| g.id == p))
                })
                .collect();
            if let [one] = top.as_slice() {
                f.issuer = Some(one.id.clone());
            }
        }
    }
    // the parent, where the hierarchy says which plan it is and there is exactly one
    let only = |found: Vec<&str>| match found.as_slice() {
        [one] => Some(one.to_string()),
        _ => None,
    };
    let overall_of = |j: &str| {
        only(
            plans()
                .filter(|(_, p)| p.kind == Kind::Overall && p.enterprise.is_none())
                .filter(|(_, p)| p.jurisdiction == j)
                .filter_map(|(d, _)| d.id.as_deref())
                .collect(),
        )
    };
    let of_enterprise = |k: Kind| {
        let e = args.enterprise.as_deref();
        plans()
            .filter(move |(_, p)| p.kind == k && p.enterprise.as_deref() == e)
            .filter_map(|(d, p)| d.id.as_deref().map(|id| (id, p)))
            .collect::<Vec<_>>()
    };
    if f.parent.is_none() {
        f.parent = match (kind, &args.enterprise) {
            (Kind::Special | Kind::Onsite, Some(_)) => only(
                of_enterprise(Kind::Comprehensive)
                    .iter()
                    .map(|(id, _)| *id)
                    .collect(),
            ),
            (Kind::Card, Some(_)) => {
                let onsite = of_enterprise(Kind::Onsite);
                let with_post: Vec<&str> = onsite
                    .iter()
                    .filter(|(_, p)| args.post.as_ref().is_some_and(|w| p.key_posts.contains(w)))
                    .map(|(id, _)| *id)
                    .collect();
                only(with_post).or_else(|| only(onsite.iter().map(|(id, _)| *id).collect()))
            }
            (Kind::Special | Kind::Department | Kind::Grassroots, None) => {
                f.jurisdiction.as_deref().and_then(overall_of)
            }
            (Kind::Overall, None) => juris.and_then(|j| j.parent.as_deref()).and_then(overall_of),
            _ => None,
        };
    }
    let parent = f
        .parent
        .as_deref()
        .and_then(|id| corpus.doc(id))
        .and_then(|d| d.plan());
    // the hazard of a card is its on-site plan's; an on-site plan under a special plan takes
    // the special plan's (under the comprehensive plan, which lists every hazard of the
    // enterprise, it would be a guess)
    if f.hazards.is_empty() {
        if let Some(p) = parent {
            if kind == Kind::Card || (kind == Kind::Onsite && p.kind == Kind::Special) {
                f.hazards = p.hazards.iter().take(1).cloned().collect();
            }
        }
    }
    // 上下衔接 (A301): a government special plan names the plans of the nearest jurisdiction
    // above for the same hazards; an enterprise comprehensive plan, the government plans of its
    // jurisdiction for its hazards, else the overall plan there
    let government = |j: &str, k: Option<Kind>| -> Vec<String> {
        plans()
            .filter(|(_, p)| p.enterprise.is_none() && p.jurisdiction == j)
            // `None`: the plans for hazards (an overall plan lists the hazards it hands out)
            .filter(|(_, p)| k.map_or(p.kind != Kind::Overall, |k| p.kind == k))
            .filter(|(_, p)| {
                k == Some(Kind::Overall) || p.hazards.iter().any(|h| f.hazards.contains(h))
            })
            .filter_map(|(d, _)| d.id.clone())
            .collect()
    };
    match (kind, &args.enterprise, juris) {
        (Kind::Special, None, Some(j)) => {
            let mut above = j.parent.as_deref();
            while let Some(a) = above {
                let found = government(a, None);
                if !found.is_empty() {
                    f.upper = found;
                    break;
                }
                above = reg
                    .jurisdictions
                    .iter()
                    .find(|e| e.item.id == a)
                    .and_then(|e| e.item.parent.as_deref());
            }
        }
        (Kind::Comprehensive, Some(_), Some(j)) => {
            f.upper = government(&j.id, None);
            if f.upper.is_empty() {
                f.upper = government(&j.id, Some(Kind::Overall));
            }
        }
        _ => {}
    }
    if kind == Kind::Card {
        if let (Some(p), Some(id)) = (parent, f.parent.as_deref()) {
            if f.post.is_none() {
                let carded: Vec<&str> = corpus
                    .docs
                    .iter()
                    .filter_map(|d| d.card())
                    .filter(|c| c.parent == id)
                    .map(|c| c.post.as_str())
                    .collect();
                // the first key post still without a card, else the first (a second card of
                // a post, for another hazard)
                f.post = p
                    .key_posts
                    .iter()
                    .find(|k| !carded.contains(&k.as_str()))
                    .or(p.key_posts.first())
                    .cloned();
            }
            f.report_to = p.contacts.clone();
        }
    }
    Ok(f)
}
