//! `yuan schemas [--write DIR]`: the JSON Schemas generated from the types.

use crate::render::output::write_atomic;
use crate::schema;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Write every schema file into this folder instead of listing them.
    #[arg(long, value_name = "DIR")]
    pub(crate) write: Option<PathBuf>,
}

pub(crate) fn run(args: &Args) -> anyhow::Result<i32> {
    let all = schema::generate();
    match &args.write {
        Some(dir) => {
            for (name, v) in &all {
                let path = dir.join(name);
                write_atomic(&path, schema::to_file_text(v).as_bytes())?;
                println!("{}", path.display());
            }
        }
        None => {
            for name in all.keys() {
                println!("{name}");
            }
        }
    }
    Ok(0)
}
