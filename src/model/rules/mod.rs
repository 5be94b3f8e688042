//! The rules the model reports while it gives a file's syntax its meaning: front matter that
//! violates its schema (F003), unknown keys (F004), an unknown kind (I102), a key of a
//! folder's shared front matter that documents cannot share (F007). One rule per file,
//! as in `check::rules`, where they are listed too; they live here because `model::build`
//! raises them and a lower stage never reaches up into `check`.

pub(crate) mod f003_schema_violation;
pub(crate) mod f004_unknown_key;
pub(crate) mod f007_defaults_key_not_inherited;
pub(crate) mod i102_unknown_kind;
