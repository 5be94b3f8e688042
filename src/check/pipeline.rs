//! The whole of `yuan check` but the output: the library's one entry point ([`Check`],
//! re-exported at the crate root) and the run of the pipeline behind it: load (source ->
//! parse -> model, with the cache), the files changed since a revision and their dependents,
//! the rules, the findings sorted, scoped and capped. It sits in the check stage, so that the
//! generator driver (render) and the command line, both above it, can run it.

use crate::{check, diag, git, load, source, timing};
use chrono::NaiveDate;

/// The outcome of checking a repository.
pub struct Report {
    pub loaded: load::Loaded,
    /// With `--changed-since`: the files changed and the paths reported (`None`: all, because a
    /// registry or `yuan.toml` changed).
    pub scope: Scope,
    pub diagnostics: Vec<diag::Diagnostic>,
    pub summary: diag::Summary,
}

/// A check of one repository: the whole of `yuan check` but the output, and the one entry
/// point of the library.
///
/// The library never reads the clock: the caller gives the date of the run, which the check
/// uses unless `--today` ([`Check::today`]) or `[check] today` in `yuan.toml` says otherwise.
///
/// ```no_run
/// let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).expect("a date");
/// let report = yuan::Check::new(std::path::Path::new("plans"), date)
///     .progress(false)
///     .run()?;
/// println!("{} errors", report.summary.errors);
/// # Ok::<(), anyhow::Error>(())
/// ```
#[must_use = "a check does nothing until it is run"]
pub struct Check<'a> {
    dir: &'a std::path::Path,
    date: NaiveDate,
    today: Option<NaiveDate>,
    options: load::LoadOptions,
    changed_since: Option<&'a str>,
    /// The repository when it is not the folder `dir` on disk (files in memory).
    reader: Option<source::Reader>,
    /// The files changed, as the caller of a repository in memory knows them ([`Check::changed`]).
    changed: Option<std::collections::BTreeSet<String>>,
}

impl<'a> Check<'a> {
    /// A check of the repository at `dir` on `date`, the caller's reading of the clock.
    pub fn new(dir: &'a std::path::Path, date: NaiveDate) -> Self {
        Check {
            dir,
            date,
            today: None,
            options: load::LoadOptions::default(),
            changed_since: None,
            reader: None,
            changed: None,
        }
    }

    /// A check on `date` of the repository whose files are `files` (`/`-separated paths
    /// relative to its root, and their bytes), held in memory: loaded and checked as a folder
    /// would be, by the same stages and rules, without the parse cache or git.
    ///
    /// ```
    /// let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).expect("a date");
    /// let files = [("a.md".to_string(), b"no front matter\n".to_vec())];
    /// let report = yuan::Check::in_memory(files, date).run()?;
    /// assert_eq!(report.diagnostics[0].path, "a.md");
    /// # Ok::<(), anyhow::Error>(())
    /// ```
    pub fn in_memory(files: impl IntoIterator<Item = (String, Vec<u8>)>, date: NaiveDate) -> Self {
        Check {
            reader: Some(source::Reader::in_memory(files)),
            ..Check::new(std::path::Path::new(""), date)
        }
    }

    /// The date to check against, over `[check] today` and the date of the run (`--today`).
    pub fn today(mut self, today: Option<NaiveDate>) -> Self {
        self.today = today;
        self
    }

    /// A progress bar on standard error for large repositories (the caller decides whether
    /// standard error is a terminal).
    pub fn progress(mut self, on: bool) -> Self {
        self.options.progress = on;
        self
    }

    /// Use the parse cache under `.yuan-cache/` (unless `[check] cache = false`).
    pub fn cache(mut self, on: bool) -> Self {
        self.options.cache = on;
        self
    }

    /// Only the findings of the files changed since the revision `rev` and of the documents
    /// that depend on them ([`check::scope`]).
    pub fn changed_since(mut self, rev: Option<&'a str>) -> Self {
        self.changed_since = rev;
        self
    }

    /// Only the findings of the files `changed` (paths relative to the root, as in
    /// [`Check::in_memory`]) and of the documents that depend on them ([`check::scope`]): the
    /// `--changed-since` of a repository in memory, whose changes its caller knows (`yuan check
    /// --staged`: the index against HEAD).
    pub fn changed(mut self, changed: std::collections::BTreeSet<String>) -> Self {
        self.changed = Some(changed);
        self
    }

    /// Loads and checks the repository.
    pub fn run(self) -> anyhow::Result<Report> {
        check(self)
    }
}

fn check(job: Check<'_>) -> anyhow::Result<Report> {
    let Check {
        dir,
        date,
        today,
        options,
        changed_since,
        reader,
        changed: given,
    } = job;
    if let Some(reader) = reader {
        if changed_since.is_some() {
            return Err(crate::env_error!(
                "内存中的仓库没有 git 历史，无法使用 --changed-since",
                "a repository in memory has no git history for --changed-since"
            ));
        }
        let loaded = load::load_from(reader, options);
        let scope = given.map(|changed| {
            let paths =
                check::scope::affected(&loaded.corpus, &changed, &loaded.config.files.registry);
            (changed, paths)
        });
        return checked(loaded, scope, today, date);
    }
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
            h.join().unwrap_or_else(|_| {
                Err(crate::env_error!(
                    "读取该版本的文件失败",
                    "reading the revision's files failed"
                ))
            })
        });
        (loaded, then)
    });
    let mut loaded = loaded?;
    // no id at all: the cache was off (`[check] cache = false`) or there is nothing to read
    let learnt = loaded.sources.iter().any(|(_, id)| id.is_some());
    let changed = match (changed_since, then) {
        (Some(_), Some(then)) if learnt => {
            let mut now = std::mem::take(&mut loaded.sources);
            // the blob id of `yuan.toml` as the load read it (none: F006 said why)
            if let Some(id) = loaded.config_id {
                now.push(("yuan.toml".into(), Some(id)));
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
    checked(loaded, scope, today, date)
}

/// The files changed since a revision and the paths reported (see [`Report::scope`]).
type Scope = Option<(
    std::collections::BTreeSet<String>,
    Option<std::collections::BTreeSet<String>>,
)>;

/// The rules run on the repository `loaded`, and the findings sorted, scoped and capped.
fn checked(
    mut loaded: load::Loaded,
    scope: Scope,
    today: Option<NaiveDate>,
    date: NaiveDate,
) -> anyhow::Result<Report> {
    let today = today.or(loaded.config.check.today).unwrap_or(date);
    let mut cx = check::Context::new(&loaded.corpus, &loaded.config, today);
    if let Some((_, Some(paths))) = &scope {
        cx.focus_on(paths);
    }
    let mut timer = timing::Timer::new();
    let mut all = std::mem::take(&mut loaded.diagnostics);
    all.extend(check::run(&cx));
    timer.lap("rules (parallel)");
    let lazy = loaded.corpus.lazy_fields();
    timing::note(&format!("lazy fields decoded: {}", lazy.decoded));
    if lazy.broken > 0 {
        let n = lazy.broken;
        loaded.notes.push(crate::text!(
            "注意：解析缓存中有 {n} 条记录无法读取（按空值处理），请删除 .yuan-cache/ 后重试",
            "note: {n} parse-cache records could not be read (taken as empty); delete .yuan-cache/ and run again"
        ));
    }
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
