//! Plans outside the repository (issue 14 §2) and plan titles cited in the text (§5), over the
//! repositories of `tests/fixtures/external_plans/`:
//!
//! - `good`: a hotel's comprehensive plan whose upper plan is the county's overall plan, kept by
//!   the county (`external_plans`), with a special plan under it; a county department plan whose
//!   parent is that external overall plan (H201, H202, and H204 counting it); a provincial overall plan
//!   under the national one and a provincial special plan linked to the national special plan,
//!   both external; a body citing laws, rules, a standard, the notice that issued the county
//!   plan, and plans by full and shortened title. It must be clean, and its hotel plan must
//!   reach a handbook.
//! - `misfits`: the same with the omissions and mistakes real plans make: another city's
//!   bridge-and-tunnel plan as the hotel's upper plan, a flood plan above a fire plan, a
//!   misspelt external id, a cited plan that exists nowhere, a city department plan hung
//!   under the county's external overall plan (and no overall plan for the city). Each is caught, at its line, and
//!   nothing else is reported.
//! - `registry_errors`: what is wrong in `external_plans` itself.

use std::path::{Path, PathBuf};
use std::process::Command;

fn yuan() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_yuan"));
    c.env_remove("YUAN_LANG").env("NO_COLOR", "1");
    c
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/external_plans")
        .join(name)
}

/// (code, path, line, message) of every finding, and the exit code.
fn check(name: &str) -> (Vec<(String, String, u64, String)>, i32) {
    let out = yuan()
        .args(["check", "--format", "json", "--lang", "en"])
        .arg(fixture(name))
        .output()
        .expect("yuan runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let found = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["path"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or_default(),
                d["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    (found, out.status.code().unwrap_or(-1))
}

fn located(found: &[(String, String, u64, String)]) -> Vec<(&str, &str, u64)> {
    found
        .iter()
        .map(|(c, p, l, _)| (c.as_str(), p.as_str(), *l))
        .collect()
}

#[test]
fn plans_under_external_plans_are_clean() {
    let (found, code) = check("good");
    assert_eq!(found, [], "the good repository has findings");
    assert_eq!(code, 0);
}

#[test]
fn misfit_upper_plans_unknown_ids_and_cited_plans_are_caught_at_their_lines() {
    let (found, code) = check("misfits");
    assert_eq!(
        located(&found),
        [
            // the city's department plan: an external overall plan of the county does not
            // count for the city, nor is it a parent of the city's plan
            ("H204", "county/nz-dept-fire.md", 8),
            ("H202", "county/nz-dept-fire.md", 9),
            // another city's bridge-and-tunnel plan above a hotel in 林源县
            ("A301", "hotel/jg-comprehensive.md", 12),
            // 《林源县防汛应急预案》: the county's plan is 林源县防汛抗旱应急预案
            ("R407", "hotel/jg-comprehensive.md", 39),
            // a county flood plan above the hotel's fire plan
            ("A301", "hotel/jg-special-fire.md", 11),
            // cn-flod for cn-flood
            ("R401", "province/sx-flood.md", 11),
        ]
    );
    assert_eq!(code, 1);
    let message = |i: usize| found[i + 2].3.as_str();
    // which condition failed, and which plan
    assert!(
        message(0).contains("`bz-bridge`")
            && message(0)
                .contains("北州市 (`bz`) does not contain this plan's 南州市林源县 (`ly`)")
            && message(0).contains("shares no hazard"),
        "{}",
        message(0)
    );
    assert!(
        message(1).contains("《林源县防汛应急预案》")
            && message(1).contains("did you mean `林源县防汛抗旱应急预案`"),
        "{}",
        message(1)
    );
    assert!(
        message(2).contains("`ly-flood`")
            && message(2).contains("shares no hazard")
            && !message(2).contains("does not contain"),
        "{}",
        message(2)
    );
    assert!(
        message(3).contains("did you mean `cn-flood`"),
        "{}",
        message(3)
    );
}

#[test]
fn external_plans_are_checked_like_registry_entries() {
    let (found, code) = check("registry_errors");
    assert_eq!(
        located(&found),
        [
            ("I101", "registry/registry.yaml", 15), // cn-flood twice
            ("I101", "registry/registry.yaml", 20), // sx-overall is a document too
            ("H207", "registry/registry.yaml", 29), // level county for a city
            ("R401", "registry/registry.yaml", 35), // jurisdiction nzz
            ("R401", "registry/registry.yaml", 37), // hazard floood
            ("F003", "registry/registry.yaml", 41), // no issuer
            ("F004", "registry/registry.yaml", 48), // `repository`: reserved, not yet accepted
            ("F003", "registry/registry.yaml", 53), // "2024-13"
            ("F003", "registry/registry.yaml", 58), // "2024-02-30"
        ]
    );
    assert_eq!(code, 1);
}

/// The hotel's plan, whose upper plan is external, is no longer kept out of print: its handbook
/// is written and names the county plan among the plans above it.
#[test]
fn a_plan_under_an_external_plan_reaches_its_handbook() {
    let out_dir = tempfile::tempdir().expect("tempdir");
    let out = yuan()
        .args(["handbook", "--plan", "jg-comprehensive", "--format", "html"])
        .args(["--lang", "en", "-o"])
        .arg(out_dir.path())
        .arg(fixture("good"))
        .output()
        .expect("yuan runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(out_dir.path().join("jg-comprehensive.html"))
        .expect("the handbook is written");
    // the row of the plans above: the external entry's title, id, kind and date (a month as
    // 年月)
    let row = html
        .lines()
        .find(|l| l.contains("<small>ly-overall</small>"))
        .expect("the county plan is listed among the linked plans");
    assert!(
        row.contains("林源县突发事件总体应急预案")
            && row.contains("总体应急预案</td>")
            && row.contains("2024年6月"),
        "{row}"
    );
}
