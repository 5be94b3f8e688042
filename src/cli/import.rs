//! `yuan import SOURCE...`: Word documents (.docx) and text files become YAML-fronted Markdown
//! documents of a plan repository ([`crate::import`]). Every source is read and imported
//! before anything is written, so a bad input (corrupt, a .doc, encrypted, a zip bomb) stops
//! the run with one line naming the file, exit 2, and nothing written; files are then written
//! through [`OutDir`] (atomically), never over an existing file.

use super::Run;
use crate::diag::error::said_in;
use crate::diag::terminal::escape;
use crate::diag::Lang;
use crate::env_error;
use crate::import::{self, report, Imported, Options, Place};
use crate::model::meta::Kind;
use crate::render::output::OutDir;
use crate::source::Root;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The documents to import: .docx, or .txt / .md without front matter.
    #[arg(required = true, value_name = "SOURCE")]
    pub(crate) sources: Vec<PathBuf>,
    /// Where to write (default: the plan repository of the current folder). A folder that is
    /// not in a plan repository becomes one (yuan.toml and registry entries are written).
    #[arg(long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
    /// The document's kind, instead of the one read from the title.
    #[arg(long, value_name = "KIND")]
    pub(crate) kind: Option<String>,
    /// The document's id (default: from the file name); with --split auto, the prefix of the
    /// parts' ids and their folder. One SOURCE only.
    #[arg(long, value_name = "ID")]
    pub(crate) id: Option<String>,
    /// The enterprise's organisation id (registry), for an enterprise plan.
    #[arg(long, value_name = "ORG")]
    pub(crate) enterprise: Option<String>,
    /// The jurisdiction id (registry).
    #[arg(long, value_name = "J")]
    pub(crate) jurisdiction: Option<String>,
    /// `auto`: a whole enterprise plan becomes one document per plan it holds, with `parent`
    /// links and a shared `_defaults.yaml`.
    #[arg(long, value_enum, default_value_t = Split::None)]
    pub(crate) split: Split,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub(crate) format: ReportFormat,
    /// The day of the run (YYYY-MM-DD): the date written where the text gives none (marked as
    /// a placeholder). Default: the system date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub(crate) today: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Split {
    Auto,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ReportFormat {
    Human,
    Json,
}

/// Where the import writes.
struct Target {
    /// The repository root.
    root: PathBuf,
    /// The documents' folder (inside the root).
    documents: PathBuf,
    /// The registry folder, relative to the root.
    registry: String,
    /// No repository yet: write yuan.toml.
    new: bool,
    lang: Option<String>,
}

fn target(out: Option<&Path>) -> anyhow::Result<Target> {
    let dir = out.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let shown = escape(&dir.display().to_string()).into_owned();
    let existing = |root: PathBuf, documents: PathBuf| -> anyhow::Result<Target> {
        let (config, _) = crate::load::read_config(&root)?;
        Ok(Target {
            root,
            documents,
            registry: config.files.registry.clone(),
            new: false,
            lang: config.check.lang.clone(),
        })
    };
    let fresh = |dir: PathBuf| Target {
        root: dir.clone(),
        documents: dir,
        registry: "registry".into(),
        new: true,
        lang: None,
    };
    if !dir.exists() {
        if out.is_none() {
            return Err(env_error!("{shown} 不存在", "{shown} does not exist"));
        }
        // a new folder inside a repository (plans/enterprise/new-plant) belongs to it
        let abs = std::path::absolute(&dir).unwrap_or_else(|_| dir.clone());
        let inside =
            abs.ancestors().skip(1).find(|a| a.is_dir()).and_then(
                |a| match crate::source::find_root(a) {
                    Root::Given if a.join("yuan.toml").symlink_metadata().is_ok() => {
                        Some(a.to_path_buf())
                    }
                    Root::Above(root) => Some(root),
                    _ => None,
                },
            );
        return match inside {
            Some(root) => existing(root, abs),
            None => Ok(fresh(dir)),
        };
    }
    if !dir.is_dir() {
        return Err(env_error!("{shown} 不是文件夹", "{shown} is not a folder"));
    }
    match crate::source::find_root(&dir) {
        Root::Given => existing(dir.clone(), dir),
        Root::Above(root) => {
            let documents = std::path::absolute(&dir).unwrap_or(dir);
            existing(root, documents)
        }
        Root::Missing if out.is_some() => Ok(fresh(dir)),
        Root::Missing => Err(env_error!(
            "当前目录不在预案库中：请用 --out 目录 指定写入位置（不是预案库的目录会成为一个新的预案库）",
            "the current folder is not in a plan repository: name where to write with --out DIR (a folder that is not a plan repository becomes a new one)"
        )),
        Root::Below(_) | Root::Several(_) => Err(env_error!(
            "{shown} 之下已有预案库：请用 --out 写明其中的一个目录",
            "{shown} holds plan repositories below it: name one of them with --out"
        )),
    }
}

pub(crate) fn run(args: &Args, run: &Run) -> anyhow::Result<i32> {
    let target = target(args.out.as_deref())?;
    let lang = run.lang(target.lang.as_deref());
    let kind = match args.kind.as_deref() {
        None => None,
        Some(k) => Some(Kind::parse(k).filter(|k| !matches!(k, Kind::Card | Kind::Drill)).ok_or_else(|| {
            let k = escape(k).into_owned();
            said_in(
                env_error!(
                    "--kind {k}：应为 overall、special、department、grassroots、joint、comprehensive 或 onsite",
                    "--kind {k}: expected overall, special, department, grassroots, joint, comprehensive or onsite"
                ),
                lang,
            )
        })?),
    };
    if args.id.is_some() && args.sources.len() > 1 {
        return Err(said_in(
            env_error!(
                "--id 只能用于一个源文件（多个文件的 id 取自各自的文件名）",
                "--id takes one SOURCE (the ids of several come from their file names)"
            ),
            lang,
        ));
    }
    for (flag, id) in [
        ("--id", &args.id),
        ("--enterprise", &args.enterprise),
        ("--jurisdiction", &args.jurisdiction),
    ] {
        if let Some(id) = id.as_deref().filter(|id| !is_id(id)) {
            let id = escape(id).into_owned();
            return Err(said_in(
                env_error!(
                    "{flag} {id}：id 只能由小写字母、数字和单个连字符组成（如 qx-flood）",
                    "{flag} {id}: an id is lower-case letters, digits and single hyphens (e.g. qx-flood)"
                ),
                lang,
            ));
        }
    }
    // what the repository already holds: its plans, organisations and jurisdictions are named,
    // not registered again
    let known = if target.new {
        import::Known::default()
    } else {
        let loaded = crate::load::load(&target.root).map_err(|e| said_in(e, lang))?;
        import::Known::of(&loaded.corpus)
    };
    let opts = Options {
        kind,
        id: args.id.clone(),
        enterprise: args.enterprise.clone(),
        jurisdiction: args.jurisdiction.clone(),
        split: args.split == Split::Auto,
        today: args.today.unwrap_or_else(|| run.date()),
        new_repository: target.new,
        known,
    };
    // read and import everything first: a bad input writes nothing
    let mut imported: Vec<Imported> = Vec::new();
    for path in &args.sources {
        let bytes =
            crate::source::reader::read_import_source(path).map_err(|e| said_in(e, lang))?;
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let one = import::import(&name, &bytes, &opts).map_err(|why| {
            let file = escape(&path.display().to_string()).into_owned();
            let t = why.text();
            let (zh, en) = (escape(&t.zh).into_owned(), escape(&t.en).into_owned());
            said_in(env_error!("{file}：{zh}", "{file}: {en}"), lang)
        })?;
        imported.push(one);
    }
    let rel = |p: &Path| -> String {
        let root = std::path::absolute(&target.root).unwrap_or_else(|_| target.root.clone());
        let p = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        p.strip_prefix(&root)
            .map(|r| r.to_string_lossy().into_owned())
            .unwrap_or_else(|_| p.to_string_lossy().into_owned())
    };
    let documents_rel = rel(&target.documents);
    let places = report::Places {
        documents: &documents_rel,
        registry: &target.registry,
    };
    // where each file goes; nothing is written over an existing file or twice
    let mut by_folder: BTreeMap<PathBuf, Vec<(&import::File, String)>> = BTreeMap::new();
    let mut seen = std::collections::BTreeSet::new();
    for i in &imported {
        for f in &i.files {
            let shown = places.of(f);
            let folder = match (f.place, &f.folder) {
                (Place::Registry, _) => target.root.join(&target.registry),
                (Place::Documents, Some(sub)) => target.documents.join(sub),
                (Place::Documents, None) => target.documents.clone(),
            };
            let path = folder.join(format!("{}.{}", f.stem, f.ext));
            if !seen.insert(shown.clone()) {
                let s = escape(&shown).into_owned();
                return Err(said_in(
                    env_error!(
                        "两个源文件都要写入 {s}：请分别导入，并用 --id 区分",
                        "two sources would both write {s}: import them one at a time with --id"
                    ),
                    lang,
                ));
            }
            if path.symlink_metadata().is_ok() {
                let s = escape(&path.display().to_string()).into_owned();
                return Err(said_in(
                    env_error!(
                        "{s} 已经存在：不覆盖；请用 --id 换一个 id，或用 --out 写到别处",
                        "{s} already exists: not overwriting; choose another id with --id, or another folder with --out"
                    ),
                    lang,
                ));
            }
            by_folder.entry(folder).or_default().push((f, shown));
        }
    }
    let config = target.root.join("yuan.toml");
    if target.new && config.symlink_metadata().is_ok() {
        let s = escape(&config.display().to_string()).into_owned();
        return Err(said_in(
            env_error!(
                "{s} 已经存在：不覆盖",
                "{s} already exists: not overwriting"
            ),
            lang,
        ));
    }
    for (folder, files) in &by_folder {
        let mut out = OutDir::open(folder, None, lang)?;
        for (f, _) in files {
            out.write(&f.stem, f.ext, f.text.as_bytes())?;
        }
    }
    if target.new {
        let mut out = OutDir::open(&target.root, None, lang)?;
        out.write("yuan", "toml", YUAN_TOML.as_bytes())?;
    }
    // notes on what was ignored go to standard error as well
    for i in &imported {
        for l in &i.left_out {
            let said = l.get(lang);
            if said.contains("宏")
                || said.contains("macro")
                || said.contains("外部")
                || said.contains("external")
            {
                let file = escape(&i.source).into_owned();
                let said = escape(said).into_owned();
                eprintln!(
                    "{}",
                    crate::text!("注意：{file}：{said}", "note: {file}: {said}").get(lang)
                );
            }
        }
    }
    let mut reports: Vec<report::SourceReport> = imported
        .iter()
        .map(|i| report::source(i, &places, lang))
        .collect();
    if let (true, Some(last)) = (target.new, reports.last_mut()) {
        last.written.push("yuan.toml".into());
    }
    let mut stdout = std::io::stdout().lock();
    use std::io::Write as _;
    match args.format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut stdout, &report::Report { sources: reports })?;
            writeln!(stdout)?;
        }
        ReportFormat::Human => {
            for r in &reports {
                write!(stdout, "{}", report::human(r, lang))?;
            }
            let next = if lang == Lang::Zh {
                "下一步：yuan check 检查导入结果（“待定”会作为 T801 报告）"
            } else {
                "next: yuan check the result (placeholders 待定 are reported as T801)"
            };
            writeln!(stdout, "{next}")?;
        }
    }
    Ok(0)
}

/// Whether `id` is an id (docs/format.md: lower-case ASCII letters and digits, single hyphens).
fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The `yuan.toml` of a repository an import starts.
const YUAN_TOML: &str = "# 由 yuan import 创建的预案库；各项设置均可省略（docs/format.md §6）。\n# A plan repository started by yuan import; every setting is optional (docs/format.md §6).\n";
