//! Tera templates: built into the binary, overridable file by file from the plan repository.
//!
//! A repository (a province branding its handbooks, an enterprise its cards) puts a file of
//! the same name under its own `templates/` folder, e.g. `templates/cards/cards.html.tera`.
//! HTML templates are registered under a name ending in `.html`, so Tera escapes every value
//! by default: no markup or script from a plan reaches the page unescaped.

use anyhow::Context as _;
use std::path::Path;

/// Built-in templates: (path under templates/, text).
const BUILTIN: &[(&str, &str)] = &[
    (
        "cards/cards.html.tera",
        include_str!("../../templates/cards/cards.html.tera"),
    ),
    (
        "handbook/handbook.html.tera",
        include_str!("../../templates/handbook/handbook.html.tera"),
    ),
    (
        "drills/pack.html.tera",
        include_str!("../../templates/drills/pack.html.tera"),
    ),
    (
        "drills/schedule.html.tera",
        include_str!("../../templates/drills/schedule.html.tera"),
    ),
];

/// The text of template `name` (a path under `templates/`): the repository's own copy under
/// `<root>/templates/` if there is one, else the built-in one. Returns the text and where it
/// came from.
pub fn load(root: &Path, name: &str) -> anyhow::Result<(String, String)> {
    let own = root.join("templates").join(name);
    if own.is_file() {
        let text = std::fs::read_to_string(&own)
            .with_context(|| format!("cannot read template {}", own.display()))?;
        return Ok((text, own.display().to_string()));
    }
    BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| (t.to_string(), format!("built-in {name}")))
        .with_context(|| format!("no template named {name}"))
}

/// Renders template `name` with `ctx`, escaping values for HTML.
pub fn render_html(root: &Path, name: &str, ctx: &tera::Context) -> anyhow::Result<String> {
    let (text, origin) = load(root, name)?;
    let mut tera = tera::Tera::default();
    // the registered name ends in .html, which turns autoescaping on
    let key = "page.html";
    tera.add_raw_template(key, &text)
        .with_context(|| format!("template {origin} does not parse"))?;
    tera.render(key, ctx)
        .with_context(|| format!("template {origin} failed"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_and_repository_copies_win() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut ctx = tera::Context::new();
        ctx.insert("x", "<script>alert(1)</script>");
        std::fs::create_dir_all(dir.path().join("templates/cards")).expect("mkdir");
        std::fs::write(
            dir.path().join("templates/cards/cards.html.tera"),
            "<p>{{ x }}</p>",
        )
        .expect("write");
        let out = render_html(dir.path(), "cards/cards.html.tera", &ctx).expect("render");
        assert_eq!(out, "<p>&lt;script&gt;alert(1)&lt;&#x2F;script&gt;</p>");
        assert!(load(Path::new("/nonexistent"), "cards/cards.html.tera")
            .expect("built-in")
            .1
            .starts_with("built-in"));
    }
}
