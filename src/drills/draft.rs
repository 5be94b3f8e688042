//! The drill record that `yuan drills new` drafts from a plan, written by the Tera template
//! `templates/drills/record.md.tera`, the way `yuan new` writes plans.
//!
//! [`super::scaffold`] decides the content (objectives, injects, roles) from the plan; this
//! module only writes it. Every text from a plan reaches the YAML through the template's
//! `yaml` filter (a double-quoted scalar, [`crate::parse::splice::quoted`]) or, for ids,
//! `yaml_plain` (plain when that reads back the same, else quoted): the same small emitter
//! that `yuan align` writes its field with, so a title with a colon, a quote or a line break
//! still gives front matter that reads back as written.

use serde::Serialize;

const TEMPLATE: &str = include_str!("../../templates/drills/record.md.tera");

/// What the record says; every text as it should read back.
#[derive(Debug, Serialize)]
pub(crate) struct Draft {
    pub(crate) id: String,
    /// The drill's title (`<plan title>演练`), also the body's heading.
    pub(crate) title: String,
    pub(crate) plan: String,
    /// The plan's response clauses the injects test.
    pub(crate) clauses: Vec<String>,
    pub(crate) form: &'static str,
    pub(crate) content: &'static str,
    pub(crate) date: String,
    pub(crate) organizer: String,
    pub(crate) director: String,
    pub(crate) objectives: Vec<String>,
    pub(crate) injects: Vec<Inject>,
}

/// One inject of the draft timeline.
#[derive(Debug, Serialize)]
pub(crate) struct Inject {
    pub(crate) offset_minutes: u32,
    pub(crate) inject: String,
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) expected_action: String,
    pub(crate) clause: Option<String>,
}

/// The record's text.
pub(crate) fn render(draft: &Draft) -> Result<String, tera::Error> {
    // the YAML filters (`yaml`, `yaml_plain`, `one_line`) are every template's
    let mut tera = crate::render::templates::tera();
    tera.add_raw_template("record.md", TEMPLATE)?;
    tera.render("record.md", &tera::Context::from_serialize(draft)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{front_matter, yaml};

    fn draft(title: &str) -> Draft {
        Draft {
            id: "dr-2027-x".into(),
            title: title.into(),
            plan: "x".into(),
            clauses: vec!["4.2 \"先期\" 处置".into()],
            form: "tabletop",
            content: "comprehensive",
            date: "2027-03-10".into(),
            organizer: "yes".into(),
            director: "总指挥: 张三".into(),
            objectives: vec!["检验 a: b".into()],
            injects: vec![Inject {
                offset_minutes: 0,
                inject: "情景 {发展}, [x]".into(),
                from: "导调组".into(),
                to: "# 值班".into(),
                expected_action: "决定启动".into(),
                clause: Some("4.2".into()),
            }],
        }
    }

    /// The front matter of `text`, read back by the project's YAML parser.
    fn front(text: &str) -> serde_json::Value {
        let split = front_matter::split(text).expect("front matter");
        yaml::parse(&text[split.yaml], false, yaml::Limits::default())
            .expect("valid YAML")
            .0
    }

    #[test]
    fn odd_titles_give_yaml_that_reads_back_as_written() {
        for title in [
            "防汛: 专项",
            "\"引号\" 与 '单引号'",
            "第一行\n---\n第二行",
            "- 列表? # 注释",
            "tab\there \\ backslash \u{7f}",
        ] {
            let d = draft(title);
            let text = render(&d).expect("renders");
            let v = front(&text);
            assert_eq!(v["title"], title, "{text}");
            assert_eq!(v["organizer"], "yes", "{text}");
            assert_eq!(v["roles"]["director"], "总指挥: 张三");
            assert_eq!(v["plans"][0]["clauses"][0], "4.2 \"先期\" 处置");
            assert_eq!(v["objectives"][0], "检验 a: b");
            assert_eq!(v["injects"][0]["inject"], "情景 {发展}, [x]");
            assert_eq!(v["injects"][0]["to"], "# 值班");
            assert_eq!(v["injects"][0]["clause"], "4.2");
            // the heading is the title on one line, in the body after the front matter
            let body = &text[front_matter::split(&text).expect("split").body..];
            let heading = body.lines().find(|l| l.starts_with("# ")).expect("heading");
            assert_eq!(heading, format!("# {}", title.replace('\n', " ")));
        }
    }

    #[test]
    fn without_clauses_or_a_clause_the_lines_are_left_out() {
        let mut d = draft("t");
        d.clauses.clear();
        d.injects[0].clause = None;
        let text = render(&d).expect("renders");
        assert!(!text.contains("clauses"), "{text}");
        assert!(!text.contains("clause:"), "{text}");
        assert_eq!(front(&text)["injects"][0]["offset_minutes"], 0);
    }
}
