//! JSON Schemas (draft 2020-12) of every document kind, the registries and `yuan.toml`.
//!
//! The schemas are *generated* from the Rust types with schemars ([`generate`]) and committed in
//! `schemas/` for editors. The validator uses exactly the committed files (embedded at build
//! time); a test regenerates them and fails when they differ, so types, schemas and validation
//! cannot drift. Regenerate with `cargo run -- schemas --write schemas`.

use crate::config::Config;
use crate::model::drill::DrillMeta;
use crate::model::meta::{CardMeta, Kind, PlanMeta};
use crate::model::registry::RegistryFile;
use jsonschema::Validator;
use schemars::generate::SchemaSettings;
use schemars::JsonSchema;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::LazyLock;

const BASE: &str = "https://yuan.example/schemas/";

fn gen<T: JsonSchema>() -> Value {
    let mut g = SchemaSettings::draft2020_12()
        .with(|s| s.inline_subschemas = true)
        .into_generator();
    g.root_schema_for::<T>().to_value()
}

fn file_name_of_kind(kind: Kind) -> String {
    match kind {
        Kind::Card => "card.schema.json".into(),
        Kind::Drill => "drill.schema.json".into(),
        k => format!("plan-{}.schema.json", k.as_str()),
    }
}

/// The schema of one document kind.
fn kind_schema(kind: Kind) -> Value {
    let mut s = match kind {
        Kind::Card => gen::<CardMeta>(),
        Kind::Drill => gen::<DrillMeta>(),
        _ => gen::<PlanMeta>(),
    };
    s["$id"] = json!(format!("{BASE}{}", file_name_of_kind(kind)));
    s["title"] = json!(format!("{} ({})", kind.zh(), kind.as_str()));
    s["properties"]["kind"] = json!({ "const": kind.as_str(), "description": kind.zh() });
    let mut extra: Vec<&str> = Vec::new();
    match kind {
        Kind::Overall | Kind::Department | Kind::Grassroots | Kind::Joint => extra.push("level"),
        Kind::Special => {
            extra.push("hazards");
            // `enterprise: ~` is no enterprise: only a string makes an enterprise plan.
            s["if"] = json!({ "required": ["enterprise"], "properties": { "enterprise": { "type": "string" } } });
            s["else"] = json!({ "required": ["level"] });
        }
        Kind::Comprehensive => extra.push("enterprise"),
        Kind::Onsite => extra.extend(["enterprise", "parent", "hazards", "key_posts"]),
        Kind::Card | Kind::Drill => {}
    }
    if matches!(kind, Kind::Special | Kind::Onsite) {
        s["properties"]["hazards"]["minItems"] = json!(1);
    }
    if kind == Kind::Onsite {
        s["properties"]["key_posts"]["minItems"] = json!(1);
    }
    if let Some(req) = s["required"].as_array_mut() {
        for e in extra {
            req.push(json!(e));
        }
    }
    s
}

/// Every schema file yuan publishes: file name -> schema.
pub fn generate() -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    let mut branches = Vec::new();
    for kind in Kind::ALL {
        let mut s = kind_schema(kind);
        out.insert(file_name_of_kind(kind), s.clone());
        if let Some(o) = s.as_object_mut() {
            o.remove("$schema");
            o.remove("$id");
        }
        branches.push(json!({
            "if": { "properties": { "kind": { "const": kind.as_str() } }, "required": ["kind"] },
            "then": s,
        }));
    }
    out.insert(
        "frontmatter.schema.json".into(),
        json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": format!("{BASE}frontmatter.schema.json"),
            "title": "yuan document front matter (any kind)",
            "type": "object",
            "required": ["kind"],
            "properties": { "kind": { "enum": Kind::ALL.map(Kind::as_str) } },
            "allOf": branches,
        }),
    );
    let mut reg = gen::<RegistryFile>();
    reg["$id"] = json!(format!("{BASE}registry.schema.json"));
    out.insert("registry.schema.json".into(), reg);
    let mut cfg = gen::<Config>();
    cfg["$id"] = json!(format!("{BASE}yuan-toml.schema.json"));
    out.insert("yuan-toml.schema.json".into(), cfg);
    out
}

/// Pretty JSON with a final newline: the committed form.
pub(crate) fn to_file_text(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// The committed schema files, embedded: what the validator uses.
pub(crate) const EMBEDDED: &[(&str, &str)] = &[
    (
        "plan-overall.schema.json",
        include_str!("../schemas/plan-overall.schema.json"),
    ),
    (
        "plan-special.schema.json",
        include_str!("../schemas/plan-special.schema.json"),
    ),
    (
        "plan-department.schema.json",
        include_str!("../schemas/plan-department.schema.json"),
    ),
    (
        "plan-grassroots.schema.json",
        include_str!("../schemas/plan-grassroots.schema.json"),
    ),
    (
        "plan-joint.schema.json",
        include_str!("../schemas/plan-joint.schema.json"),
    ),
    (
        "plan-comprehensive.schema.json",
        include_str!("../schemas/plan-comprehensive.schema.json"),
    ),
    (
        "plan-onsite.schema.json",
        include_str!("../schemas/plan-onsite.schema.json"),
    ),
    (
        "card.schema.json",
        include_str!("../schemas/card.schema.json"),
    ),
    (
        "drill.schema.json",
        include_str!("../schemas/drill.schema.json"),
    ),
    (
        "frontmatter.schema.json",
        include_str!("../schemas/frontmatter.schema.json"),
    ),
    (
        "registry.schema.json",
        include_str!("../schemas/registry.schema.json"),
    ),
    (
        "yuan-toml.schema.json",
        include_str!("../schemas/yuan-toml.schema.json"),
    ),
];

fn embedded(name: &str) -> Value {
    let text = EMBEDDED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .unwrap_or("{}");
    serde_json::from_str(text).unwrap_or_else(|_| json!({}))
}

fn build(schema: &Value) -> Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_format(crate::model::date::FORMAT, |s| {
            crate::model::date::Date::parse(s).is_some()
        })
        .build(schema)
        .unwrap_or_else(|e| panic!("embedded schema does not compile: {e}"))
}

static KIND_VALIDATORS: LazyLock<Vec<(Kind, Validator, Value)>> = LazyLock::new(|| {
    Kind::ALL
        .into_iter()
        .map(|k| {
            let s = embedded(&file_name_of_kind(k));
            (k, build(&s), s)
        })
        .collect()
});

static REGISTRY_VALIDATOR: LazyLock<(Validator, Value)> = LazyLock::new(|| {
    let s = embedded("registry.schema.json");
    (build(&s), s)
});

/// The validator of a document kind and its schema (for "did you mean" on unknown keys).
pub fn for_kind(kind: Kind) -> (&'static Validator, &'static Value) {
    let (_, v, s) = KIND_VALIDATORS
        .iter()
        .find(|(k, _, _)| *k == kind)
        .expect("every kind has a validator");
    (v, s)
}

/// The validator of registry files and its schema.
pub fn for_registry() -> (&'static Validator, &'static Value) {
    (&REGISTRY_VALIDATOR.0, &REGISTRY_VALIDATOR.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed schemas are exactly what the types generate.
    #[test]
    fn committed_schemas_match_the_types() {
        let generated = generate();
        assert_eq!(generated.len(), EMBEDDED.len());
        for (name, text) in EMBEDDED {
            let want = to_file_text(&generated[*name]);
            assert!(
                want == *text,
                "schemas/{name} is out of date: run `cargo run -- schemas --write schemas`"
            );
        }
    }

    #[test]
    fn validators_compile_and_reject() {
        let (v, _) = for_kind(Kind::Card);
        assert!(!v.is_valid(&json!({"id": "x", "kind": "card"})));
        let (v, _) = for_kind(Kind::Special);
        let mut plan = json!({
            "id": "a", "kind": "special", "title": "t", "version": "1", "issuer": "o",
            "jurisdiction": "j", "hazards": ["flood"],
            "dates": {"issued": "2025-01-01", "effective": "2025-01-01"}
        });
        assert!(
            !v.is_valid(&plan),
            "a government special plan needs a level"
        );
        plan["level"] = json!("city");
        assert!(v.is_valid(&plan));
        plan["dates"]["issued"] = json!("2025-13-01");
        assert!(!v.is_valid(&plan), "dates are validated");
    }
}
