//! The rules the parse stage reports while it reads a file's syntax: front matter missing
//! (F001), YAML invalid (F002), placeholders and merge-conflict markers (T801, T802). One rule
//! per file, as in `check::rules`, where they are listed too; they live here because the parse
//! stage raises them and a lower stage never reaches up into `check`. The rules about what the
//! front matter means (F003, F004, I102) are the model's (`model::rules`).

pub(crate) mod f001_front_matter_missing;
pub(crate) mod f002_yaml_invalid;
pub mod t801_placeholder_text;
pub(crate) mod t802_merge_conflict;
