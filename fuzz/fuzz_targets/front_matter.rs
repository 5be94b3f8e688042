//! One file through the parse stage and the model's typing of it: a document (`.md`) or a
//! registry (`.yaml`), chosen by the first byte. It must never panic, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use yuan::parse::{self, ParseOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let Ok(text) = parse::decode_text(bytes.to_vec(), "fuzz.md") else {
        return;
    };
    let opts = ParseOptions {
        max_file_bytes: 8 << 20,
        placeholders: yuan::parse::rules::t801_placeholder_text::pattern(&["待定".to_string()]),
        marked: yuan::model::MARKED,
    };
    if pick % 4 == 0 {
        let rel = "registry/fuzz.yaml";
        let parsed = parse::parse_registry(rel, &text);
        let _ = yuan::model::build::registry(rel, Path::new("/fuzz/registry/fuzz.yaml"), parsed);
    } else {
        let parsed = parse::parse_document("fuzz.md", &text, &opts);
        let _ = yuan::model::build::document("fuzz.md", Path::new("/fuzz/fuzz.md"), &text, parsed);
    }
});
