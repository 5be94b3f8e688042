//! `yuan schemas [--write DIR]`: the JSON Schemas generated from the types.

use crate::schema;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write every schema file into this folder instead of listing them.
    #[arg(long, value_name = "DIR")]
    pub write: Option<PathBuf>,
}

pub fn run(args: &Args) -> anyhow::Result<i32> {
    let all = schema::generate();
    match &args.write {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            for (name, v) in &all {
                let path = dir.join(name);
                let tmp = dir.join(format!(".{name}.tmp"));
                std::fs::write(&tmp, schema::to_file_text(v))?;
                std::fs::rename(&tmp, &path)?;
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
