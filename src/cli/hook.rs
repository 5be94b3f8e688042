//! `yuan hook install [DIR]`: a git pre-commit hook that checks the plans before each commit.
//!
//! The hook runs `yuan check --changed-since HEAD` on the plan folder: the whole repository is
//! checked (so references resolve) but only what the commit changes, and the documents that
//! depend on it, can stop the commit. An existing hook is never overwritten without `--force`.

use crate::{env_error, text};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// What to do: install (the only action).
    #[arg(value_parser = ["install"])]
    pub(crate) action: String,
    /// The plan repository (default: the current directory).
    #[arg(default_value_os_t = super::default_dir())]
    pub(crate) dir: PathBuf,
    /// Replace an existing pre-commit hook.
    #[arg(long)]
    pub(crate) force: bool,
}

/// The hook script for plans at `rel` (relative to the top of the working tree).
fn script(rel: &str) -> String {
    let dir = if rel.is_empty() { "." } else { rel };
    format!(
        "#!/bin/sh\n\
         # Installed by `yuan hook install`: check the plans before each commit.\n\
         # Skip once with `git commit --no-verify`.\n\
         cd \"$(git rev-parse --show-toplevel)\" || exit 1\n\
         if ! command -v yuan >/dev/null 2>&1; then\n\
         \techo \"yuan is not installed (cargo install --path <yuan checkout>); skipping the plan check\" >&2\n\
         \texit 0\n\
         fi\n\
         exec yuan check '{dir}' --changed-since HEAD\n"
    )
}

pub(crate) fn run(args: &Args, run: &super::Run) -> anyhow::Result<i32> {
    let lang = run.lang(None);
    let dir = args.dir.display();
    let repo = git2::Repository::discover(&args.dir)
        .map_err(|_| env_error!("{dir} 不在 git 仓库中", "{dir} is not in a git repository"))?;
    let Some(workdir) = repo.workdir() else {
        return Err(env_error!(
            "裸仓库没有可检查的工作区",
            "a bare repository has no working tree to check"
        ));
    };
    let rel = crate::git::root_prefix(workdir, &args.dir);
    let hook = repo.path().join("hooks").join("pre-commit");
    let shown = hook.display();
    if hook.exists() && !args.force {
        return Err(env_error!(
            "{shown} 已存在；确认替换请加 --force",
            "{shown} exists; use --force to replace it"
        ));
    }
    // the writer creates `hooks/` if need be; the hook is executable, or git skips it
    crate::render::output::write_atomic_mode(&hook, script(&rel).as_bytes(), Some(0o755))?;
    let done = text!(
        "已安装 {shown}：每次提交前检查改动的预案",
        "installed {shown}: changed plans are checked before each commit"
    );
    println!("{}", done.get(lang));
    Ok(0)
}
