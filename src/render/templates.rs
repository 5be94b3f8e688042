//! Tera templates: built into the binary, overridable file by file from the plan repository.
//!
//! A repository (a province branding its handbooks, an enterprise its cards) puts a file of
//! the same name under its own `templates/` folder, e.g. `templates/cards/cards.html.tera`.
//! HTML templates are registered under a name ending in `.html`, so Tera escapes every value
//! by default: no markup or script from a plan reaches the page unescaped.
//!
//! A repository's template is untrusted code: it is read through the repository boundary
//! ([`crate::source::Reader`]: a regular file inside the repository, at most
//! [`TEMPLATE_CAP`]), and rendered by a Tera that cannot reach the machine: the functions that
//! read the environment, the clock or the random generator (`get_env`, `now`, `get_random`)
//! fail with a message naming the template and the function ([`tera()`]).

use crate::diag::error::{Context as _, EnvError};
use crate::diag::Text;
use crate::source::reader::TEMPLATE_CAP;
use crate::source::Reader;
use crate::{env_error, text};
use std::path::Path;

/// Tera functions that read the machine (the environment, the clock, randomness): disabled in
/// every template yuan renders. (`now` and `get_random` exist only with Tera's `builtins`
/// feature, which yuan leaves off; they are disabled too, in case a dependency turns it on.)
pub(crate) const DISABLED_FUNCTIONS: &[&str] = &["get_env", "now", "get_random"];

/// A Tera whose functions cannot reach the machine: each of [`DISABLED_FUNCTIONS`] is replaced
/// by one that fails, naming itself.
pub(crate) fn tera() -> tera::Tera {
    let mut t = tera::Tera::default();
    for name in DISABLED_FUNCTIONS {
        let name = *name;
        t.register_function(
            name,
            move |_: &std::collections::HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
                Err(refusal(text!(
                    "模板不能调用 `{name}()`：模板不能读取环境变量、时钟或随机数",
                    "the function `{name}()` is disabled: templates cannot read the environment, the clock or random numbers"
                )))
            },
        );
    }
    t.register_function("range", bounded_range);
    // YAML values written by scaffolds (`yuan new`, `yuan drills new`): a title with a colon,
    // a quote or a line break must still give the front matter the user meant
    t.register_filter("yaml", string_filter(crate::parse::splice::quoted));
    t.register_filter("yaml_plain", string_filter(crate::parse::splice::scalar));
    t.register_filter("yaml_value", string_filter(yaml_value));
    // a Markdown heading is one line
    t.register_filter("one_line", string_filter(|s| s.replace(['\r', '\n'], " ")));
    t
}

/// A Tera filter that writes a string value with `write`.
fn string_filter(
    write: fn(&str) -> String,
) -> impl Fn(&tera::Value, &std::collections::HashMap<String, tera::Value>) -> tera::Result<tera::Value>
{
    move |value, _| match value.as_str() {
        Some(s) => Ok(tera::Value::String(write(s))),
        None => Err(refusal(text!(
            "YAML 过滤器只能用于文字",
            "a YAML filter needs a string"
        ))),
    }
}

/// `s` as a YAML value: as it is when YAML reads it back as the same string (`青溪县防汛应急
/// 预案`), else double-quoted (`"防汛: 总则"`, `"yes"`, `"123"`).
fn yaml_value(s: &str) -> String {
    let doc = format!("v: {s}\n");
    let same = !s.is_empty()
        && !s.contains(['\n', '\r'])
        && crate::parse::yaml::parse(&doc, false, crate::parse::yaml::Limits::default())
            .ok()
            .and_then(|(v, _)| v.get("v").and_then(|v| v.as_str()).map(|v| v == s))
            .unwrap_or(false);
    if same {
        s.to_string()
    } else {
        crate::parse::splice::quoted(s)
    }
}

/// An error of one of yuan's own template functions, in both languages ([`failure`] tells it).
fn refusal(why: Text) -> tera::Error {
    tera::Error::chain(String::new(), EnvError::new(why))
}

/// What went wrong in a template, in both languages: Tera's own messages as they come, each
/// cause after `: `, and those of yuan's functions ([`refusal`]) in each language.
fn failure(e: &tera::Error) -> Text {
    let (mut zh, mut en) = (Vec::new(), Vec::new());
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(cause) = next {
        match cause.downcast_ref::<EnvError>() {
            Some(ours) => {
                zh.push(ours.text.zh.clone());
                en.push(ours.text.en.clone());
            }
            None => {
                let said = cause.to_string();
                if !said.is_empty() {
                    zh.push(said.clone());
                    en.push(said);
                }
            }
        }
        next = cause.source();
    }
    Text::new(zh.join(": "), en.join(": "))
}

/// The most items one `range()` of a template may give: templates loop over the plans' data,
/// and a repository's own template must not make a run count to a billion.
pub(crate) const MAX_RANGE: i64 = 10_000;

/// Tera's `range(end, start=0, step_by=1)`, refusing more than [`MAX_RANGE`] items.
fn bounded_range(
    args: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let num = |key: &str, default: Option<i64>| -> tera::Result<i64> {
        match args.get(key) {
            Some(v) => v.as_i64().ok_or_else(|| {
                refusal(text!(
                    "range()：`{key}` 必须是整数",
                    "range(): `{key}` must be a whole number"
                ))
            }),
            None => default.ok_or_else(|| {
                refusal(text!(
                    "range()：缺少 `{key}`",
                    "range(): `{key}` is required"
                ))
            }),
        }
    };
    let (end, start, step) = (
        num("end", None)?,
        num("start", Some(0))?,
        num("step_by", Some(1))?,
    );
    if step <= 0 {
        return Err(refusal(text!(
            "range()：`step_by` 至少为 1",
            "range(): `step_by` must be at least 1"
        )));
    }
    let count = if end > start {
        (end.saturating_sub(start) + step - 1) / step
    } else {
        0
    };
    if count > MAX_RANGE {
        return Err(refusal(text!(
            "模板中 range() 有 {count} 项，超过上限 {MAX_RANGE} 项",
            "range() of {count} items is over the limit of {MAX_RANGE}"
        )));
    }
    Ok(tera::Value::Array(
        (0..count)
            .map(|i| tera::Value::from(start + i * step))
            .collect(),
    ))
}

/// The text of the repository's own template at `rel` (relative to the root), read through the
/// repository boundary, or `None` when there is none. A refusal (a link out of the
/// repository, a named pipe, over the cap, not UTF-8) is an error naming the file and why.
pub(crate) fn read_own(root: &Path, rel: &str) -> anyhow::Result<Option<String>> {
    let reader = match Reader::new(root) {
        Ok(r) => r,
        // no repository there: no template of its own
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            let shown = root.display();
            return Err(e).context_text(|| text!("无法打开 {shown}", "cannot open {shown}"));
        }
    };
    match reader.read_text(Path::new(rel), TEMPLATE_CAP) {
        Ok(t) => Ok(Some(t)),
        Err(crate::source::Refusal::Missing) => Ok(None),
        Err(why) => {
            let Text { zh, en } = why.message();
            Err(env_error!(
                "预案库中的模板 {rel} 不能使用：{zh}",
                "template {rel} of the repository cannot be used: {en}"
            ))
        }
    }
}

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
    (
        "drills/report.html.tera",
        include_str!("../../templates/drills/report.html.tera"),
    ),
];

/// The text of template `name` (a path under `templates/`): the repository's own copy under
/// `<root>/templates/` if there is one, else the built-in one. Returns the text and where it
/// came from.
pub(crate) fn load(root: &Path, name: &str) -> anyhow::Result<(String, String)> {
    let rel = format!("templates/{name}");
    if let Some(text) = read_own(root, &rel)? {
        return Ok((text, root.join(&rel).display().to_string()));
    }
    BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| (t.to_string(), format!("built-in {name}")))
        .ok_or_else(|| env_error!("没有名为 {name} 的模板", "no template named {name}"))
}

/// Renders template `name` with `ctx`, escaping values for HTML.
pub(crate) fn render_html(root: &Path, name: &str, ctx: &tera::Context) -> anyhow::Result<String> {
    let (text, origin) = load(root, name)?;
    // the registered name ends in .html, which turns autoescaping on
    render("page.html", &text, &origin, ctx)
}

/// Renders the template `text` (from `origin`, for messages) with `ctx`, registered as `key`:
/// a key ending in `.html` escapes values for HTML. Errors name the template, in both languages.
pub(crate) fn render(
    key: &str,
    text: &str,
    origin: &str,
    ctx: &tera::Context,
) -> anyhow::Result<String> {
    let mut tera = tera();
    tera.add_raw_template(key, text).map_err(|e| {
        let Text { zh, en } = failure(&e);
        env_error!(
            "模板 {origin} 无法解析：{zh}",
            "template {origin} does not parse: {en}"
        )
    })?;
    tera.render(key, ctx).map_err(|e| {
        let Text { zh, en } = failure(&e);
        env_error!("模板 {origin} 出错：{zh}", "template {origin} failed: {en}")
    })
}

#[cfg(test)]
mod tests {

    /// A scaffold's title reads back as written, whatever it holds; a plain title stays plain.
    #[test]
    fn yaml_values_read_back_as_written() {
        let mut t = tera();
        t.add_raw_template("x", "title: {{ t | yaml_value }}\n")
            .expect("template");
        for title in [
            "青溪县防汛应急预案",
            "防汛: 总则",
            "yes",
            "123",
            "a \"b\" \\ c",
            "#1",
            "- x",
            "行一\n行二",
            "",
        ] {
            let mut cx = tera::Context::new();
            cx.insert("t", title);
            let text = t.render("x", &cx).expect("render");
            let (v, _) =
                crate::parse::yaml::parse(&text, false, crate::parse::yaml::Limits::default())
                    .expect("valid YAML");
            assert_eq!(v["title"].as_str(), Some(title), "{text}");
        }
        assert_eq!(yaml_value("青溪县防汛应急预案"), "青溪县防汛应急预案");
    }
    use super::*;

    fn render(src: &str) -> tera::Result<String> {
        let mut t = tera();
        t.add_raw_template("t", src)?;
        t.render("t", &tera::Context::new())
    }

    /// range() works as Tera's does, up to its limit, and refuses a billion items at once.
    #[test]
    fn range_is_bounded() {
        assert_eq!(
            render("{% for i in range(end=7, start=1, step_by=3) %}{{ i }},{% endfor %}")
                .expect("render"),
            "1,4,"
        );
        assert_eq!(render("{{ range(end=3) | length }}").expect("render"), "3");
        assert_eq!(
            render("{{ range(end=0, start=5) | length }}").expect("render"),
            "0"
        );
        let huge = render("{% for i in range(end=1000000000) %}x{% endfor %}");
        let msg = format!("{:?}", huge.expect_err("refused"));
        assert!(msg.contains("over the limit"), "{msg}");
        assert!(render("{{ range(end=3, step_by=0) }}").is_err());
    }

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

    /// A repository's template cannot read the environment: `get_env` fails, naming the
    /// template and the function, and the value never reaches the output.
    #[test]
    fn templates_cannot_reach_the_environment() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("templates/cards")).expect("mkdir");
        for f in ["get_env(name=\"PATH\")", "now()", "get_random(end=10)"] {
            std::fs::write(
                dir.path().join("templates/cards/cards.html.tera"),
                format!("<p>{{{{ {f} }}}}</p>"),
            )
            .expect("write");
            let err = render_html(dir.path(), "cards/cards.html.tera", &tera::Context::new())
                .expect_err("disabled");
            let msg = format!("{err:#}");
            let name = f.split('(').next().expect("name");
            assert!(msg.contains(&format!("`{name}()` is disabled")), "{msg}");
            assert!(msg.contains("cards.html.tera"), "{msg}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_template_linked_out_of_the_repository_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join("templates/cards")).expect("mkdir");
        std::fs::write(dir.path().join("secret"), "SECRET {{ x }}").expect("write");
        std::os::unix::fs::symlink(
            dir.path().join("secret"),
            repo.join("templates/cards/cards.html.tera"),
        )
        .expect("link");
        let err = load(&repo, "cards/cards.html.tera").expect_err("refused");
        let msg = format!("{err:#}");
        assert!(msg.contains("leaves the repository"), "{msg}");
        assert!(!msg.contains("SECRET"), "{msg}");
    }
}
