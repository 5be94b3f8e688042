//! yuan (预案): emergency plans as code.
//!
//! The pipeline, one module per stage:
//! 1. [`source`]: which files of the repository to read;
//! 2. [`parse`]: bytes -> front matter (YAML) + Markdown structure, never failing;
//! 3. [`model`]: typed documents and registries, indexed by id ([`load`] drives 1–3);
//! 4. [`check`]: rules over the corpus, each in its own file, reporting [`diag::Diagnostic`]s;
//! 5. [`diag`]: human, JSON and SARIF output;
//! 6. [`render`]: fonts, line breaking, layout model and PDF shared by the generators:
//!    [`cards`] (disposal cards). [`git`] supplies the provenance every artefact carries.
//!
//! [`review`] (`yuan diff`) runs source → parse on two revisions and compares them.

pub mod align;
pub mod cache;
pub mod cards;
pub mod check;
pub mod cli;
pub mod config;
pub mod diag;
pub mod drills;
pub mod git;
pub mod handbook;
pub mod load;
pub mod model;
pub mod parse;
pub mod render;
pub mod review;
pub mod schema;
pub mod source;
pub mod timing;

use chrono::NaiveDate;

/// The outcome of checking a repository.
pub struct Report {
    pub loaded: load::Loaded,
    /// With `--changed-since`: the files changed and the paths reported (`None`: all, because a
    /// registry or `yuan.toml` changed).
    pub scope: Option<(
        std::collections::BTreeSet<String>,
        Option<std::collections::BTreeSet<String>>,
    )>,
    pub diagnostics: Vec<diag::Diagnostic>,
    pub summary: diag::Summary,
}

/// Loads and checks the repository at `dir`: the whole of `yuan check` but the output.
/// `today` overrides `[check] today` and the system date.
pub fn check_dir(dir: &std::path::Path, today: Option<NaiveDate>) -> anyhow::Result<Report> {
    check_dir_with(dir, today, false)
}

/// [`check_dir`], with a progress bar on standard error for large repositories.
pub fn check_dir_with(
    dir: &std::path::Path,
    today: Option<NaiveDate>,
    progress: bool,
) -> anyhow::Result<Report> {
    check_dir_opts(
        dir,
        today,
        load::LoadOptions {
            progress,
            cache: false,
        },
        None,
    )
}

/// [`check_dir`] with [`load::LoadOptions`] (progress bar, parse cache) and, with
/// `changed_since`, only the findings of the files changed since that revision and of the
/// documents that depend on them ([`check::scope`]).
pub fn check_dir_opts(
    dir: &std::path::Path,
    today: Option<NaiveDate>,
    options: load::LoadOptions,
    changed_since: Option<&str>,
) -> anyhow::Result<Report> {
    // With the parse cache, the load learns every file's blob id: the changed files are those
    // whose id differs from `rev`'s tree, read on another thread while the repository loads.
    // Without it, git walks the working tree itself (after the load, not to compete with it).
    let (loaded, then) = std::thread::scope(|s| {
        let then = changed_since.filter(|_| options.cache).map(|rev| {
            s.spawn(move || {
                let t = std::time::Instant::now();
                let then = git::tree_files(dir, rev, source::maybe_source);
                timing::report("git: files of the revision", t.elapsed());
                then
            })
        });
        let loaded = load::load_opts(dir, options);
        let then = then.map(|h| {
            h.join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("reading the revision's files failed")))
        });
        (loaded, then)
    });
    let mut loaded = loaded?;
    // no id at all: the cache was off (`[check] cache = false`) or there is nothing to read
    let learnt = loaded.sources.iter().any(|(_, id)| id.is_some());
    let changed = match (changed_since, then) {
        (Some(_), Some(then)) if learnt => {
            let mut now = std::mem::take(&mut loaded.sources);
            // through the repository boundary, as the load read it (F006 said why if not)
            let config = source::Reader::new(dir).and_then(|r| {
                r.read(
                    std::path::Path::new("yuan.toml"),
                    source::reader::CONFIG_CAP,
                )
                .map_err(std::io::Error::other)
            });
            if let Ok(bytes) = config {
                now.push(("yuan.toml".into(), cache::blob_id(&bytes)));
            }
            Some(then.map(|then| git::changes(dir, &then, &now)))
        }
        (Some(rev), _) => {
            let t = std::time::Instant::now();
            let changed = git::changed_since(dir, rev)
                .map(|all| git::plan_changes(dir, all, &loaded.sources));
            timing::report("git: changed files", t.elapsed());
            Some(changed)
        }
        (None, _) => None,
    };
    let today = today
        .or(loaded.config.check.today)
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let scope = match changed {
        Some(changed) => {
            let changed = changed?;
            let mut timer = timing::Timer::new();
            let paths =
                check::scope::affected(&loaded.corpus, &changed, &loaded.config.files.registry);
            timer.lap("scope");
            Some((changed, paths))
        }
        None => None,
    };
    let mut cx = check::Context::new(&loaded.corpus, &loaded.config, today);
    if let Some((_, Some(paths))) = &scope {
        cx.focus_on(paths);
    }
    let mut timer = timing::Timer::new();
    let mut all = std::mem::take(&mut loaded.diagnostics);
    all.extend(check::run(&cx));
    timer.lap("rules (parallel)");
    timing::note(&format!(
        "lazy fields decoded: {}",
        loaded.corpus.decoded_fields()
    ));
    let mut diagnostics = check::finish(all, &loaded.config);
    if let Some((_, Some(paths))) = &scope {
        diagnostics.retain(|d| paths.contains(&d.path));
    }
    let (diagnostics, omitted) = check::cap(diagnostics, cx.take_left_out(), &loaded.config);
    let mut summary =
        diag::Summary::count(&diagnostics, loaded.corpus.docs.len(), loaded.corpus.files);
    omitted.account(&mut summary);
    Ok(Report {
        loaded,
        scope,
        diagnostics,
        summary,
    })
}
