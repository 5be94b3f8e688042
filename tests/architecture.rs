//! The shape of the house, kept true by tests (ARCHITECTURE.md, "Stages and seams").
//!
//! 1. Imports run one way: a module of a stage only names (`crate::…`) modules of its own stage
//!    or of stages below it. The table [`STAGES`] gives every module its stage; a module missing
//!    from it fails the test, so a new module has to say where it belongs.
//! 2. One way in, one way out: `std::fs` (and `File::open`, `OpenOptions`) appears only in the
//!    repository reader (`src/source/`), the output writer (`src/render/output.rs`) and the
//!    cache folder (`src/cache/`), each of which enforces the boundary of SECURITY.md.
//!
//! Test modules (`#[cfg(test)] mod …` to the end of a file) are left out: tests may build
//! fixtures with `std::fs` and reach across stages.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Every module and its stage, lowest first. A path names a module (`model::meta`) and covers
/// its submodules unless a longer path is listed.
const STAGES: &[(&str, u8, &str)] = &[
    // 0: vocabulary every stage may use: the diagnostic type and the words of messages
    (
        "diag",
        0,
        "Diagnostic, Severity, Span, Text: the findings' type, used by every stage",
    ),
    (
        "timing",
        0,
        "YUAN_TIMINGS=1: stage timings on standard error",
    ),
    // 1: what the repository says about itself, and where its bytes come from
    ("config", 1, "yuan.toml, typed and validated once"),
    (
        "source",
        2,
        "the repository boundary: the walk and the reader",
    ),
    (
        "git",
        2,
        "revisions, provenance and history: a second source of bytes",
    ),
    // 3-4: structure and meaning
    (
        "parse",
        3,
        "bytes -> YAML and Markdown structure, never failing",
    ),
    (
        "model",
        4,
        "typed documents, registries and the domain knowledge over them",
    ),
    ("schema", 4, "JSON Schemas from the model's types"),
    (
        "cache",
        5,
        "parse results kept between runs, keyed by blob id",
    ),
    ("load", 5, "drives source -> parse -> model, with the cache"),
    (
        "align",
        5,
        "upstream parts and digests: facts the rules read",
    ),
    // 6: judgement
    ("check", 6, "the rules"),
    ("review", 6, "`yuan diff`: two revisions compared"),
    // 7: output
    (
        "diag::human",
        7,
        "findings as text, with the lines of the files",
    ),
    ("diag::json", 7, "findings as JSON"),
    ("diag::sarif", 7, "findings as SARIF"),
    (
        "render",
        7,
        "what every generator shares: fonts, layout, PDF, the output writer",
    ),
    ("cards", 8, "disposal cards"),
    ("handbook", 8, "response handbooks"),
    ("drills", 8, "drill schedules and exercise packs"),
    ("export", 8, "Word documents (GB/T 9704-2012)"),
    ("import", 8, "Word and text plans in: `yuan import`"),
    // 9: the outside
    ("cli", 9, "argument parsing and one call per subcommand"),
];

/// Imports that still go up, each to be moved (issue 18): the test fails on any other, and on
/// an entry here that no longer matches anything, so the list only shrinks.
/// (file, module named, where the thing named belongs)
const STILL_UPWARD: &[(&str, &str, &str)] = &[];

/// The stage of the command line, the only one that may use the library's entry point.
const CLI: u8 = 9;

/// Names after `crate::` that are macros, not modules.
const MACROS: &[&str] = &["text", "declare_rule", "env_error"];

/// Files where `std::fs` may appear, and why.
const FS_ALLOWED: &[(&str, &str)] = &[
    (
        "src/source/",
        "the repository reader and walk: every byte read from a plan repository",
    ),
    (
        "src/render/output.rs",
        "the output writer: every generated or edited file",
    ),
    (
        "src/cache/",
        "the cache folder, handled as untrusted (SECURITY.md)",
    ),
    (
        "src/timing.rs",
        "the process's own peak memory in /proc/self/status, not repository content",
    ),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read src")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a file under `src/` (`diag/human.rs` -> `diag::human`).
fn module_of(rel: &str) -> String {
    let rel = rel.trim_end_matches(".rs");
    let rel = rel.strip_suffix("/mod").unwrap_or(rel);
    rel.replace('/', "::")
}

/// The code of a file without its test module and without comments.
fn code(text: &str) -> String {
    let end = text
        .find("#[cfg(test)]\nmod ")
        .or_else(|| text.find("#[cfg(test)]\npub mod "))
        .unwrap_or(text.len());
    text[..end]
        .lines()
        .map(|l| match l.find("//") {
            // a `//` inside a string ("https://…") is rare in code lines that name modules
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The stage of a module path: its longest listed prefix.
fn stage(module: &str) -> Option<(u8, &'static str)> {
    STAGES
        .iter()
        .filter(|(name, _, _)| module == *name || module.starts_with(&format!("{name}::")))
        .max_by_key(|(name, _, _)| name.len())
        .map(|(name, rank, _)| (*rank, *name))
}

/// The module paths a file names: `crate::a::b::Item` and `use crate::{a::b, c}`.
fn named_modules(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let path: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                if !path.is_empty() {
                    out.insert(path);
                }
            }
            continue;
        }
        let path: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        if !path.is_empty() {
            out.insert(path);
        }
    }
    out.into_iter()
        .map(|p| p.trim_end_matches(':').to_string())
        .filter(|p| !MACROS.contains(&p.split("::").next().unwrap_or("")))
        .collect()
}

#[test]
fn every_stage_imports_only_its_own_stage_or_those_below() {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut wrong = Vec::new();
    let mut unplaced = BTreeSet::new();
    let mut matched = BTreeSet::new();
    for f in &files {
        let rel = f
            .strip_prefix(&root)
            .expect("under src")
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "lib.rs" || rel == "main.rs" {
            continue; // the crate's root declares every module and may name them all
        }
        let module = module_of(&rel);
        let Some((own, own_name)) = stage(&module) else {
            unplaced.insert(module);
            continue;
        };
        let text = std::fs::read_to_string(f).expect("read");
        for named in named_modules(&code(&text)) {
            let known = STILL_UPWARD.iter().position(|(file, module, _)| {
                file.strip_prefix("src/") == Some(&rel) && named.starts_with(module)
            });
            match stage(&named) {
                Some((rank, _)) if rank > own && known.is_some() => {
                    matched.extend(known);
                }
                Some((rank, name)) if rank > own => wrong.push(format!(
                    "src/{rel} ({own_name}, stage {own}) names crate::{named} ({name}, stage {rank})"
                )),
                Some(_) => {}
                // an item of the crate's root (`crate::Check`): lib.rs, above every stage
                None if named.starts_with(|c: char| c.is_uppercase()) => {
                    if own < CLI {
                        wrong.push(format!(
                            "src/{rel} ({own_name}, stage {own}) names crate::{named} (lib.rs)"
                        ));
                    }
                }
                None => {
                    unplaced.insert(named);
                }
            }
        }
    }
    assert!(
        unplaced.is_empty(),
        "modules missing from STAGES in tests/architecture.rs: {unplaced:?}"
    );
    let stale: Vec<_> = (0..STILL_UPWARD.len())
        .filter(|i| !matched.contains(i))
        .map(|i| STILL_UPWARD[i])
        .collect();
    assert!(
        stale.is_empty(),
        "no longer upward, remove from STILL_UPWARD: {stale:?}"
    );
    assert!(
        wrong.is_empty(),
        "{} imports go up the pipeline (ARCHITECTURE.md, \"Stages and seams\"):\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn only_the_reader_the_writer_and_the_cache_touch_the_file_system() {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut wrong = Vec::new();
    for f in &files {
        let rel = format!(
            "src/{}",
            f.strip_prefix(&root)
                .expect("under src")
                .to_string_lossy()
                .replace('\\', "/")
        );
        if FS_ALLOWED.iter().any(|(p, _)| rel.starts_with(p)) {
            continue;
        }
        let text = std::fs::read_to_string(f).expect("read");
        for (i, line) in code(&text).lines().enumerate() {
            let uses_fs = line.contains("std::fs")
                || line.contains("File::open")
                || line.contains("File::create")
                || line.contains("OpenOptions");
            if uses_fs {
                wrong.push(format!("{rel}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the file system is reached outside the reader, the writer and the cache:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_helpers_of_this_test_see_what_they_should() {
    let named = named_modules(
        "use crate::{model::meta::Kind, diag};\nfn f() { crate::check::run(); crate::text!(x) }",
    );
    assert_eq!(
        named.into_iter().collect::<Vec<_>>(),
        ["check::run", "diag", "model::meta::Kind"]
    );
    assert_eq!(stage("diag::human::escape"), Some((7, "diag::human")));
    assert_eq!(stage("diag::Diagnostic"), Some((0, "diag")));
    assert_eq!(module_of("diag/mod.rs"), "diag");
    assert_eq!(module_of("check/rules/r401_x.rs"), "check::rules::r401_x");
    let c = code("use a; // crate::cli\nfn x() {}\n#[cfg(test)]\nmod tests { use crate::cli; }");
    assert!(!c.contains("crate::cli"), "{c}");
}
