//! The rule the source stage reports while it finds and reads files: F005 (a file that cannot
//! be read). It lives here, not in `check::rules` (where it is listed too), because the source
//! and parse stages raise it and a lower stage never reaches up into `check`.

pub mod f005_unreadable_file;
