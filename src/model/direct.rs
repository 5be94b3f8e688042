//! Plans typed straight from their YAML events ([`crate::parse::yaml_direct`]), skipping the
//! value tree, its schema validation and its second reading by serde.
//!
//! A plan's schema is generated from [`PlanMeta`] itself (`crate::schema`), so a front matter
//! that serde types with no key left unread satisfies it, except for the few constraints the
//! Rust types do not carry. [`direct`] checks exactly those on the typed plan ([`satisfies`]);
//! a plan that fails any of them, or that serde does not type, or whose YAML is anything but
//! plain, goes the way of every other document: value tree, schema, findings. A test walks the
//! generated schemas and fails when a constraint appears that [`satisfies`] does not know, and
//! another compares both ways on every fixture document and on thousands of damaged copies.
//!
//! Cards are typed directly as well ([`card_satisfies`]). Drill records and registry files
//! always take the tree (they are a small part of a repository), and so does a document that
//! inherits folder defaults (merged into the tree).

use super::meta::{CardMeta, Kind, PlanMeta};
use super::Meta;
use crate::parse::yaml::Limits;
use crate::parse::{yaml_direct, DirectTyped, TypedFront};

impl TypedFront for CardMeta {
    fn is_draft(&self) -> bool {
        false
    }
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any + Send> {
        self
    }
}

impl TypedFront for PlanMeta {
    fn is_draft(&self) -> bool {
        self.status == Some(super::meta::Status::Draft)
    }
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any + Send> {
        self
    }
}

/// The plan in `text` (a front matter's YAML), typed straight from its events with the
/// positions of the values at `want`; `None` when it must go through the value tree (see the
/// module docs). Given to the parse stage as its [`crate::parse::Direct`].
pub fn direct(text: &str, want: &[&str]) -> Option<DirectTyped> {
    let limits = Limits::default();
    match sniffed_kind(text) {
        Some("drill") => None,
        Some("card") => {
            let (card, marks) = yaml_direct::typed::<CardMeta>(text, limits, want)?;
            card_satisfies(&card).then(|| (Box::new(card) as Box<dyn TypedFront>, marks))
        }
        _ => {
            let (plan, marks) = yaml_direct::typed::<PlanMeta>(text, limits, want)?;
            satisfies(&plan).then(|| (Box::new(plan) as Box<dyn TypedFront>, marks))
        }
    }
}

/// What [`direct`] typed, as a document keeps it: its id, its kind and the typed front matter.
pub(crate) fn into_meta(typed: Box<dyn TypedFront>) -> Option<(String, Kind, Meta)> {
    match typed.into_any().downcast::<PlanMeta>() {
        Ok(plan) => Some((plan.id.clone(), plan.kind, Meta::Plan(plan))),
        Err(other) => other
            .downcast::<CardMeta>()
            .ok()
            .map(|card| (card.id.clone(), Kind::Card, Meta::Card(card))),
    }
}

/// The value of a top-level `kind:` line: drill records are never typed directly (trying
/// would only cost time), and a card is typed as one. A guess from the text; the typed
/// front matter is what counts.
fn sniffed_kind(text: &str) -> Option<&str> {
    let mut rest = text;
    loop {
        if let Some(v) = rest.strip_prefix("kind:") {
            let v = v.split('\n').next().unwrap_or("").trim();
            return Some(v.trim_matches(|c| c == '"' || c == '\''));
        }
        rest = &rest[rest.find('\n')? + 1..];
    }
}

/// The constraints of a plan kind's JSON Schema that typing as [`PlanMeta`] does not imply
/// (`crate::schema::kind_schema` adds most of them; `#[schemars(range)]` the rest). Strict
/// where the schema is lenient (a `required` key may be present as `~`, which types as
/// `None`): such a plan is merely read the slow way.
pub(crate) fn satisfies(p: &PlanMeta) -> bool {
    let levels = || p.level.is_some();
    let kind_ok = match p.kind {
        Kind::Overall | Kind::Department | Kind::Grassroots | Kind::Joint => levels(),
        // `if enterprise is a string then (nothing) else required level`
        Kind::Special => !p.hazards.is_empty() && (p.enterprise.is_some() || levels()),
        Kind::Comprehensive => p.enterprise.is_some(),
        Kind::Onsite => {
            p.enterprise.is_some()
                && p.parent.is_some()
                && !p.hazards.is_empty()
                && !p.key_posts.is_empty()
        }
        Kind::Card | Kind::Drill => false,
    };
    // `response_levels[].level`: 1 to 4
    kind_ok && p.response_levels.iter().all(|l| (1..=4).contains(&l.level))
}

/// [`satisfies`] for a card: `steps` and `report_to` not empty, a decision's `yes` and `no`
/// from 1.
pub(crate) fn card_satisfies(c: &CardMeta) -> bool {
    c.kind == Kind::Card
        && !c.steps.is_empty()
        && !c.report_to.is_empty()
        && c.steps
            .iter()
            .filter_map(|s| s.decision.as_ref())
            .all(|d| d.yes >= 1 && d.no >= 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{build, MARKED};
    use crate::parse::{parse_document, ParseOptions};
    use std::path::{Path, PathBuf};

    #[test]
    fn kind_lines_are_sniffed_at_the_top_level_only() {
        assert_eq!(sniffed_kind("id: a\nkind: card\n"), Some("card"));
        assert_eq!(sniffed_kind("kind: 'drill'\nid: a\n"), Some("drill"));
        assert_eq!(sniffed_kind("id: a\nkind: onsite"), Some("onsite"));
        assert_eq!(sniffed_kind("id: a\nsteps:\n  - kind: card\n"), None);
        assert_eq!(sniffed_kind("id: a\n"), None);
    }

    fn opts(direct: bool) -> ParseOptions {
        ParseOptions {
            max_file_bytes: 1 << 20,
            placeholders: crate::parse::rules::t801_placeholder_text::pattern(&[]),
            marked: MARKED,
            direct: direct.then_some(super::direct as crate::parse::Direct),
        }
    }

    /// The document `text` made both ways, as text: the documents and every finding.
    fn both(rel: &str, text: &str) -> (String, String) {
        let abs = Path::new("/nowhere").join(rel);
        let made = |direct| {
            let parsed = parse_document(rel, text, &opts(direct));
            format!("{:#?}", build::document(rel, &abs, text, parsed))
        };
        (made(false), made(true))
    }

    /// Whether the front matter of `text` is typed directly.
    fn taken(text: &str) -> bool {
        crate::parse::front_matter::split(text)
            .is_ok_and(|s| super::direct(&text[s.yaml], MARKED).is_some())
    }

    /// Every Markdown file below `dir` (test material: not yuan's walk, which skips what a
    /// repository's configuration excludes; every document here is worth comparing).
    fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            let name = e.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') || name == "out" || name == "target" {
                continue;
            }
            if p.is_dir() {
                markdown_files(&p, out);
            } else if name.ends_with(".md") {
                out.push(p);
            }
        }
    }

    /// On every document of the fixtures and of the sample repository, the direct typing and
    /// the value tree make the same document with the same findings; and most plans are
    /// typed directly (else this would compare nothing).
    #[test]
    fn direct_typing_makes_what_the_tree_makes_on_every_fixture() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        markdown_files(&root.join("tests"), &mut files);
        markdown_files(&root.join("plans"), &mut files);
        files.sort();
        let (mut direct, mut compared) = (0, 0);
        for f in &files {
            let Ok(text) = std::fs::read_to_string(f) else {
                continue;
            };
            let rel = f.strip_prefix(root).unwrap_or(f).to_string_lossy();
            let (tree, fast) = both(&rel, &text);
            assert_eq!(tree, fast, "{rel}");
            compared += 1;
            direct += usize::from(taken(&text));
        }
        assert!(compared > 200, "{compared} documents compared");
        eprintln!("{direct} of {compared} typed directly");
        assert!(direct > 150, "only {direct} of {compared} typed directly");
    }

    /// Damaged copies of real plans (every front-matter line deleted, doubled, followed by an
    /// unknown key, or given another value) are made alike both ways: what the direct typing
    /// takes, the tree takes the same way with no finding; the rest it leaves to the tree.
    #[test]
    fn direct_typing_makes_what_the_tree_makes_on_damaged_plans() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        markdown_files(&root.join("plans"), &mut files);
        markdown_files(&root.join("tests/realistic"), &mut files);
        files.sort();
        let values = [
            "~", "[]", "{}", "0", "-1", "5", "3.5", "\"x\"", "true", "2024-13", "2024-06", "&a x",
            "!!str 1", "''", "[a, a]", "{ a: 1 }", "yes", "0x1F",
        ];
        let (mut taken_n, mut left, mut cases, mut seen) = (0, 0, 0, 0usize);
        for f in files
            .iter()
            .filter(|f| !f.to_string_lossy().contains("_defaults"))
        {
            let Ok(text) = std::fs::read_to_string(f) else {
                continue;
            };
            let Ok(split) = crate::parse::front_matter::split(&text) else {
                continue;
            };
            if !taken(&text) {
                continue;
            }
            let (head, yaml, body) = (
                &text[..split.yaml.start],
                &text[split.yaml.clone()],
                &text[split.yaml.end..],
            );
            let lines: Vec<&str> = yaml.lines().collect();
            seen += 1;
            let copy = || lines.iter().map(|l| l.to_string()).collect::<Vec<String>>();
            let mut variants: Vec<Vec<String>> = Vec::new();
            for i in 0..lines.len() {
                let mut v = copy();
                v.remove(i);
                variants.push(v);
                let mut v = copy();
                v.insert(i, lines[i].to_string());
                variants.push(v);
                let indent: String = lines[i].chars().take_while(|c| *c == ' ').collect();
                let mut v = copy();
                v.insert(i + 1, format!("{indent}zz_unknown: 1"));
                variants.push(v);
                if let Some(colon) = lines[i].find(": ") {
                    for value in values {
                        let mut v = copy();
                        v[i] = format!("{}: {value}", &lines[i][..colon]);
                        variants.push(v);
                    }
                }
            }
            let rel = f.strip_prefix(root).unwrap_or(f).to_string_lossy();
            // one variant in nine (the values rotate through the lines): all of them (40,833)
            // take minutes in a debug build; they agreed when this test was written (a
            // release build runs them all in half a minute: change the 9s to 1s)
            for v in variants.into_iter().skip(seen % 9).step_by(9) {
                let damaged = format!("{head}{}\n{body}", v.join("\n"));
                let (tree, fast) = both(&rel, &damaged);
                assert_eq!(tree, fast, "{rel}:\n{damaged}");
                cases += 1;
                if taken(&damaged) {
                    taken_n += 1;
                } else {
                    left += 1;
                }
            }
        }
        eprintln!("{cases} damaged copies: {taken_n} typed directly, {left} left to the tree");
        assert!(cases > 1000, "{cases} damaged copies");
        assert!(
            taken_n > 100 && left > 100,
            "{taken_n} typed directly, {left} left to the tree"
        );
    }

    /// The constraints of the plan schemas that typing does not imply, each of which
    /// [`satisfies`] checks. A constraint added to the schemas fails this test until
    /// [`satisfies`] checks it too (then add it here).
    #[test]
    fn every_constraint_the_types_do_not_carry_is_checked() {
        fn walk(n: &serde_json::Value, at: &str, out: &mut Vec<String>) {
            match n {
                serde_json::Value::Object(m) => {
                    // below the top: a required key serde does not require (an `Option` or a
                    // default) would let the direct typing take what the schema refuses
                    if let (false, Some(req), Some(props)) =
                        (at.is_empty(), m.get("required"), m.get("properties"))
                    {
                        for r in req.as_array().into_iter().flatten() {
                            let p = &props[r.as_str().unwrap_or("")];
                            let null = |t: &serde_json::Value| {
                                t == "null"
                                    || t.as_array().is_some_and(|a| a.contains(&"null".into()))
                            };
                            let nullable = null(&p["type"])
                                || ["anyOf", "oneOf"].iter().any(|k| {
                                    p[k].as_array()
                                        .into_iter()
                                        .flatten()
                                        .any(|s| null(&s["type"]))
                                });
                            if p.get("default").is_some() || nullable {
                                out.push(format!("{at} required but optional={r}"));
                            }
                        }
                    }
                    for (k, v) in m {
                        match k.as_str() {
                            "properties" => {
                                for (p, s) in v.as_object().into_iter().flatten() {
                                    walk(s, &format!("{at}/{p}"), out);
                                }
                            }
                            "minItems" | "maxItems" | "minLength" | "maxLength" | "maximum"
                            | "exclusiveMinimum" | "exclusiveMaximum" | "if" | "then" | "else"
                            | "not" | "uniqueItems" | "dependentRequired" | "propertyNames"
                            | "multipleOf" | "contains" => out.push(format!("{at} {k}={v}")),
                            "minimum" if v != 0 => out.push(format!("{at} {k}={v}")),
                            "pattern"
                                if !at.contains("date")
                                    && !at.ends_with("/effective")
                                    && !at.ends_with("/issued")
                                    && !at.ends_with("/published")
                                    && !at.ends_with("/assessed")
                                    && !at.ends_with("/filed_on") =>
                            {
                                out.push(format!("{at} {k}={v}"))
                            }
                            "format"
                                if v != "date-or-month"
                                    && !v.as_str().is_some_and(|f| {
                                        f.starts_with("uint") || f.starts_with("int")
                                    }) =>
                            {
                                out.push(format!("{at} {k}={v}"))
                            }
                            "required" if at.is_empty() => out.push(format!("{at} {k}={v}")),
                            _ => walk(v, at, out),
                        }
                    }
                }
                serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, at, out)),
                _ => {}
            }
        }
        let mut found = Vec::new();
        for (name, schema) in crate::schema::generate() {
            if name.starts_with("plan-") || name == "card.schema.json" {
                let mut out = Vec::new();
                walk(&schema, "", &mut out);
                found.extend(out.into_iter().map(|c| format!("{name} {c}")));
            }
        }
        found.sort();
        let base = r#"["id","kind","title","version","issuer","jurisdiction","dates""#;
        let expected: Vec<String> = [
            ("comprehensive", r#",\"enterprise\"]"#, vec!["/issuer minItems=1"]),
            ("department", r#",\"level\"]"#, vec!["/issuer minItems=1"]),
            ("grassroots", r#",\"level\"]"#, vec!["/issuer minItems=1"]),
            ("joint", r#",\"level\"]"#, vec!["/issuer minItems=1"]),
            (
                "onsite",
                r#",\"enterprise\",\"parent\",\"hazards\",\"key_posts\"]"#,
                vec!["/hazards minItems=1", "/issuer minItems=1", "/key_posts minItems=1"],
            ),
            ("overall", r#",\"level\"]"#, vec!["/issuer minItems=1"]),
            ("special", r#",\"hazards\"]"#, vec!["/hazards minItems=1", "/issuer minItems=1"]),
        ]
        .into_iter()
        .flat_map(|(kind, req, mut list)| {
            let file = format!("plan-{kind}.schema.json");
            list.push("/response_levels/level maximum=4");
            list.push("/response_levels/level minimum=1");
            let mut v: Vec<String> = list.into_iter().map(|c| format!("{file} {c}")).collect();
            v.push(format!("{file}  required={base}{}", req.replace("\\\"", "\"")));
            if kind == "special" {
                v.push(format!(
                    "{file}  if={{\"properties\":{{\"enterprise\":{{\"type\":\"string\"}}}},\"required\":[\"enterprise\"]}}"
                ));
                v.push(format!("{file}  else={{\"required\":[\"level\"]}}"));
            }
            v
        })
        .collect();
        let mut expected = expected;
        expected.extend(
            [
                "/report_to minItems=1",
                "/steps minItems=1",
                "/steps/decision/no minimum=1",
                "/steps/decision/yes minimum=1",
            ]
            .map(|c| format!("card.schema.json {c}")),
        );
        expected.push(format!(
            "card.schema.json  required={}",
            r#"["id","kind","title","version","enterprise","parent","post","hazard","risk","steps","report_to","dates"]"#
        ));
        expected.sort();
        assert_eq!(
            found, expected,
            "a schema constraint that `satisfies` may not check"
        );
    }
}
