//! Borrowed readings of a plan's lazy parts: the ids and names that rules over the whole
//! repository read (R401, A302, A303), taken without decoding the rest.
//!
//! A warm check keeps response levels, the organisation, warning levels and the reporting flow
//! as cache records ([`super::lazy`]). Three rules read them for every plan, but only their
//! role ids, level numbers and names: decoding them whole built 300 MB of strings (triggers,
//! actions, duties) that no rule reads, and took 40% of a warm check of 100,000 documents.
//! Here a record is read in place instead: strings are borrowed from its bytes, and the parts
//! no rule reads are stepped over. A value already decoded (a cold run, or a generator that
//! read it) is read as it is.
//!
//! The records below mirror the field order of [`super::meta`]'s types, as postcard writes them
//! ([`super::record`]). The tests encode every type with all its fields set and read it back
//! here: a field added to a type without its mirror fails them. A record that does not read is
//! decoded whole, as before.

use super::lazy::Lazy;
use super::meta::{PlanMeta, Task};
use serde::de::{DeserializeOwned, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// What the rules read of a response level.
#[derive(Debug)]
pub(crate) struct Level<'a> {
    pub(crate) level: u8,
    pub(crate) name: &'a str,
    pub(crate) decided_by: Option<&'a str>,
    pub(crate) lead: &'a str,
    tasks: TaskRoles<'a>,
}

impl<'a> Level<'a> {
    /// The role of each task, in order (`/response_levels/i/tasks/j/role`).
    pub(crate) fn task_roles(&self) -> impl Iterator<Item = &'a str> + '_ {
        let (tasks, roles) = match &self.tasks {
            TaskRoles::Value(t) => (*t, &[][..]),
            TaskRoles::Record(r) => (&[][..], r.as_slice()),
        };
        tasks
            .iter()
            .map(|t| t.role.as_str())
            .chain(roles.iter().map(|t| t.role))
    }
}

impl PartialEq for Level<'_> {
    fn eq(&self, o: &Self) -> bool {
        (self.level, self.name, self.decided_by, self.lead)
            == (o.level, o.name, o.decided_by, o.lead)
            && self.task_roles().eq(o.task_roles())
    }
}

#[derive(Debug)]
enum TaskRoles<'a> {
    Value(&'a [Task]),
    Record(Vec<TaskRecord<'a>>),
}

/// A plan's response levels, read for their numbers, names and roles.
pub(crate) fn levels(p: &PlanMeta) -> impl Iterator<Item = Level<'_>> {
    let (value, record) = split::<_, Vec<LevelRecord<'_>>>(&p.response_levels);
    let value = value.into_iter().flatten().map(|l| Level {
        level: l.level,
        name: &l.name,
        decided_by: l.decided_by.as_deref(),
        lead: &l.lead,
        tasks: TaskRoles::Value(&l.tasks),
    });
    let record = record.into_iter().flatten().map(|l| Level {
        level: l.level,
        name: l.name,
        decided_by: l.decided_by,
        lead: l.lead,
        tasks: TaskRoles::Record(l.tasks),
    });
    value.chain(record)
}

/// The role ids of a plan's `organization.roles`, in order.
pub(crate) fn organization_roles(p: &PlanMeta) -> impl Iterator<Item = &str> {
    let (value, record) = split::<_, Option<OrganizationRecord<'_>>>(&p.organization);
    let value = value
        .into_iter()
        .flatten()
        .flat_map(|o| o.roles.iter().map(|r| r.role.as_str()));
    let record = record
        .into_iter()
        .flatten()
        .flat_map(|o| o.roles.into_iter().map(|r| r.role));
    value.chain(record)
}

/// The `issued_by` of each warning level, in order.
pub(crate) fn warning_issuers(p: &PlanMeta) -> impl Iterator<Item = Option<&str>> {
    let (value, record) = split::<_, Vec<WarningRecord<'_>>>(&p.warning_levels);
    let value = value.into_iter().flatten().map(|w| w.issued_by.as_deref());
    let record = record.into_iter().flatten().map(|w| w.issued_by);
    value.chain(record)
}

/// The `from` and `to` roles of each step of the reporting flow, in order.
pub(crate) fn reporting_roles(p: &PlanMeta) -> impl Iterator<Item = (&str, &str)> {
    let (value, record) = split::<_, Vec<ReportRecord<'_>>>(&p.reporting);
    let value = value
        .into_iter()
        .flatten()
        .map(|s| (s.from.as_str(), s.to.as_str()));
    let record = record.into_iter().flatten().map(|s| (s.from, s.to));
    value.chain(record)
}

/// A lazy part as its decoded value, or as its record read through the mirror `R` (the other
/// is `None`). A record that does not read as `R` is decoded whole (and marked broken if that
/// fails too). Reading a value allocates nothing.
fn split<'a, V, R>(lazy: &'a Lazy<V>) -> (Option<&'a V>, Option<R>)
where
    V: DeserializeOwned + Default,
    R: Deserialize<'a>,
{
    match lazy.peek() {
        Ok(v) => (Some(v), None),
        Err(raw) => match postcard::from_bytes::<R>(raw) {
            Ok(r) => (None, Some(r)),
            Err(_) => (Some(&**lazy), None),
        },
    }
}

// ---- mirrors of the records (field order of `super::meta`; see the module docs) ----

#[derive(Deserialize)]
struct LevelRecord<'a> {
    level: u8,
    #[serde(borrow)]
    name: &'a str,
    #[serde(borrow)]
    _trigger: &'a str,
    #[serde(borrow)]
    decided_by: Option<&'a str>,
    #[serde(borrow)]
    lead: &'a str,
    _actions: Texts,
    #[serde(borrow)]
    tasks: Vec<TaskRecord<'a>>,
}

#[derive(Debug, Deserialize)]
struct TaskRecord<'a> {
    #[serde(borrow)]
    role: &'a str,
    _actions: Texts,
}

#[derive(Deserialize)]
struct OrganizationRecord<'a> {
    #[serde(borrow)]
    _command_body: Option<&'a str>,
    #[serde(borrow)]
    roles: Vec<RoleRecord<'a>>,
}

#[derive(Deserialize)]
struct RoleRecord<'a> {
    #[serde(borrow)]
    role: &'a str,
    #[serde(borrow)]
    _duties: &'a str,
}

#[derive(Deserialize)]
struct WarningRecord<'a> {
    _color: super::meta::WarningColor,
    #[serde(borrow)]
    _criteria: &'a str,
    #[serde(borrow)]
    issued_by: Option<&'a str>,
    _measures: Texts,
}

#[derive(Deserialize)]
struct ReportRecord<'a> {
    #[serde(borrow)]
    from: &'a str,
    #[serde(borrow)]
    to: &'a str,
    _within_minutes: Option<u32>,
    #[serde(borrow)]
    _content: Option<&'a str>,
}

/// A list of strings, stepped over: read in place, kept nowhere.
#[derive(Debug)]
struct Texts;

impl<'de> Deserialize<'de> for Texts {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Skip;
        impl<'de> Visitor<'de> for Skip {
            type Value = Texts;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of strings")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Texts, A::Error> {
                while seq.next_element::<&'de str>()?.is_some() {}
                Ok(Texts)
            }
        }
        d.deserialize_seq(Skip)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::meta::{
        Organization, ReportStep, ResponseLevel, RoleDuty, WarningColor, WarningLevel,
    };
    use crate::model::record::to_record;

    /// A plan whose lazy parts are cache records, as a warm run reads them.
    fn from_records(p: &PlanMeta) -> PlanMeta {
        let mut q = p.clone();
        q.response_levels = record(&p.response_levels);
        q.organization = record(&p.organization);
        q.warning_levels = record(&p.warning_levels);
        q.reporting = record(&p.reporting);
        q
    }

    fn record<T>(v: &Lazy<T>) -> Lazy<T>
    where
        T: serde::Serialize + DeserializeOwned + Default,
    {
        // a document record holds each lazy part as bytes: wrap it as the cache does
        let bytes = postcard::to_allocvec(&to_record(&**v).expect("record")).expect("bytes");
        postcard::from_bytes(&bytes).expect("lazy")
    }

    fn plan() -> PlanMeta {
        let mut p: PlanMeta = serde_json::from_value(serde_json::json!({
            "id": "sx-flood", "kind": "special", "title": "某县防汛应急预案", "version": "1",
            "issuer": "sx-gov", "jurisdiction": "sx",
            "dates": { "issued": "2024-06", "effective": "2024-06-01" }
        }))
        .expect("plan");
        p.response_levels = Lazy::new(vec![
            ResponseLevel {
                level: 1,
                name: "一级应急响应".into(),
                trigger: "死亡 30 人以上".into(),
                decided_by: Some("zhb-zz".into()),
                lead: "zhb-zhz".into(),
                actions: vec!["会商".into(), "派出工作组".into()],
                tasks: vec![
                    Task {
                        role: "slj".into(),
                        actions: vec!["抢险".into()],
                    },
                    Task {
                        role: "yjj".into(),
                        actions: vec![],
                    },
                ],
            },
            ResponseLevel {
                level: 2,
                name: "Ⅱ级应急响应".into(),
                trigger: "死亡 10 人以上".into(),
                decided_by: None,
                lead: "zhb-fzz".into(),
                actions: vec![],
                tasks: vec![Task {
                    role: "wjw".into(),
                    actions: vec!["救治".into(), "防疫".into()],
                }],
            },
        ]);
        p.organization = Lazy::new(Some(Organization {
            command_body: Some("防汛抗旱指挥部".into()),
            roles: vec![
                RoleDuty {
                    role: "zhb-zhz".into(),
                    duties: "全面指挥".into(),
                },
                RoleDuty {
                    role: "zhb-fzz".into(),
                    duties: "协助".into(),
                },
            ],
        }));
        p.warning_levels = Lazy::new(vec![
            WarningLevel {
                color: WarningColor::Orange,
                criteria: "预计降雨 100 毫米".into(),
                issued_by: Some("qxj".into()),
                measures: vec!["转移".into()],
            },
            WarningLevel {
                color: WarningColor::Blue,
                criteria: "预计降雨 50 毫米".into(),
                issued_by: None,
                measures: vec![],
            },
        ]);
        p.reporting = Lazy::new(vec![
            ReportStep {
                from: "xz".into(),
                to: "xyjj".into(),
                within_minutes: Some(30),
                content: Some("伤亡".into()),
            },
            ReportStep {
                from: "xyjj".into(),
                to: "syjj".into(),
                within_minutes: None,
                content: None,
            },
        ]);
        p
    }

    #[test]
    fn a_record_reads_as_its_value() {
        let p = plan();
        let q = from_records(&p);
        assert!(levels(&q).eq(levels(&p)));
        assert!(organization_roles(&q).eq(organization_roles(&p)));
        assert!(warning_issuers(&q).eq(warning_issuers(&p)));
        assert!(reporting_roles(&q).eq(reporting_roles(&p)));
        // read in place: nothing was decoded
        assert!(q.response_levels.peek().is_err());
        assert!(q.organization.peek().is_err());
        assert!(q.warning_levels.peek().is_err());
        assert!(q.reporting.peek().is_err());
    }

    #[test]
    fn what_is_read() {
        let p = from_records(&plan());
        let l: Vec<_> = levels(&p).collect();
        assert_eq!(l.len(), 2);
        assert_eq!(
            (l[0].level, l[0].name, l[0].lead),
            (1, "一级应急响应", "zhb-zhz")
        );
        assert_eq!(l[0].decided_by, Some("zhb-zz"));
        assert_eq!(l[0].task_roles().collect::<Vec<_>>(), ["slj", "yjj"]);
        assert_eq!((l[1].level, l[1].decided_by), (2, None));
        assert_eq!(l[1].task_roles().collect::<Vec<_>>(), ["wjw"]);
        let roles: Vec<_> = organization_roles(&p).collect();
        assert_eq!(roles, ["zhb-zhz", "zhb-fzz"]);
        let issuers: Vec<_> = warning_issuers(&p).collect();
        assert_eq!(issuers, [Some("qxj"), None]);
        let steps: Vec<_> = reporting_roles(&p).collect();
        assert_eq!(steps, [("xz", "xyjj"), ("xyjj", "syjj")]);
    }

    #[test]
    fn absent_parts() {
        let mut p = plan();
        p.response_levels = Lazy::new(vec![]);
        p.organization = Lazy::new(None);
        let q = from_records(&p);
        assert_eq!(levels(&q).count(), 0);
        assert_eq!(organization_roles(&q).count(), 0);
    }

    #[test]
    fn a_record_that_does_not_read_is_decoded_whole() {
        // bytes that are no list of levels: the fallback decodes (and marks it broken)
        let l: Lazy<Vec<ResponseLevel>> =
            postcard::from_bytes(&postcard::to_allocvec(&[9u8, 9, 9][..]).expect("bytes"))
                .expect("lazy");
        let mut p = plan();
        p.response_levels = l;
        assert_eq!(levels(&p).count(), 0);
        assert!(p.response_levels.was_broken());
    }
}
