//! `yuan hook install [DIR]`: a git pre-commit hook that checks the plans before each commit.
//!
//! The hook runs `yuan check --staged` on the plan folder: the repository as the commit records
//! it (the git index, not the working files) is checked, so references resolve, but only what
//! the commit changes, and the documents that depend on it, can stop the commit. Without
//! `yuan` on PATH the hook stops the commit and says how to install yuan or skip the check.
//! An existing hook is never overwritten without `--force`.

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
///
/// It checks the staged content (`yuan check --staged`), what the commit records, not the
/// working files. Without `yuan` it stops the commit and says how to install yuan or skip the
/// check: a hook that lets a commit through unchecked looks like one that checked it.
pub(crate) fn script(rel: &str) -> String {
    let dir = if rel.is_empty() { "." } else { rel };
    // one single-quoted shell word, whatever the folder is called
    let dir = dir.replace('\'', "'\\''");
    format!(
        "#!/bin/sh\n\
         # Installed by `yuan hook install`: check the plans staged for each commit.\n\
         # Skip once with `git commit --no-verify`.\n\
         cd \"$(git rev-parse --show-toplevel)\" || exit 1\n\
         yuan=$(command -v yuan 2>/dev/null)\n\
         if [ -z \"$yuan\" ] && [ -x \"$HOME/.cargo/bin/yuan\" ]; then\n\
         \tyuan=\"$HOME/.cargo/bin/yuan\"\n\
         fi\n\
         if [ -z \"$yuan\" ]; then\n\
         \techo \"yuan 未安装（PATH 中找不到），预案未检查，提交已停止。\" >&2\n\
         \techo \"  安装：cargo install --locked --path <yuan 源码目录>（或贵单位发布 yuan 的 git 地址：cargo install --locked --git <地址> yuan）\" >&2\n\
         \techo \"  本次跳过检查：git commit --no-verify\" >&2\n\
         \techo \"yuan is not installed (not on PATH): the plans were not checked and the commit is stopped.\" >&2\n\
         \techo \"  install it: cargo install --locked --path <yuan checkout> (or --git <your organisation's yuan repository> yuan)\" >&2\n\
         \techo \"  skip the check once: git commit --no-verify\" >&2\n\
         \texit 1\n\
         fi\n\
         exec \"$yuan\" check '{dir}' --staged\n"
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
        "已安装 {shown}：每次提交前检查暂存的预案改动",
        "installed {shown}: the staged plan changes are checked before each commit"
    );
    println!("{}", done.get(lang));
    Ok(0)
}
