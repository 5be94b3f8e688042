//! The rules the source stage reports while it finds and reads files: F005 (a file that cannot
//! be read) and F006 (a `yuan.toml` that cannot be used as written, found once when the loading
//! stage reads it). They live here, not in `check::rules` (where they are listed too), because
//! the source and loading stages raise them and a lower stage never reaches up into `check`.

pub mod f005_unreadable_file;
pub mod f006_config_invalid;
