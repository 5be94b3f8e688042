//! Scale benchmark for `yuan check` (issue: "Bad input and scale").
//!
//! Generates plan repositories of 10,000 and 100,000 documents (2–4 KB of Chinese Markdown each,
//! 8–12 headings, 3–5 typed references, a deep hierarchy: province → cities → counties →
//! townships, with enterprises, on-site plans and cards), then measures, each in a fresh child
//! process so that peak memory is per measurement:
//! - the **floor**: reading every file and parsing its YAML (saphyr-parser events) and Markdown
//!   (pulldown-cmark events) on all cores, doing nothing with the result;
//! - the **check**: `yuan::Check` on the same files (load, schema validation, typing, all rules).
//!
//! Run: `cargo bench --bench scale` (sizes: `YUAN_BENCH_SIZES=10000,100000`, the default).
//! Corpora are cached under `target/bench-corpus/<n>/`; delete that folder to regenerate.
//!
//! `cargo bench --bench scale -- cache` measures the parse cache instead, on a copy of the corpus
//! committed to git in two commits and packed (`target/bench-corpus/<n>-git/`): the `yuan`
//! binary, each run a fresh process, interleaved round after round: **cold** (`.yuan-cache/`
//! deleted), **warm** (cache present, nothing changed) and **changed** (`--changed-since HEAD`
//! after editing one file, warm cache). Default size 100,000 (`YUAN_BENCH_SIZES`), 3 rounds
//! (`YUAN_BENCH_ROUNDS`; 0 only generates the repository).

use rayon::prelude::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

const HAZARDS: [(&str, &str); 4] = [
    ("flood", "防汛抗旱"),
    ("geological", "地质灾害"),
    ("forest-fire", "森林防灭火"),
    ("hazchem", "危险化学品事故"),
];
const FILLER: &str = "各有关单位要坚持人民至上、生命至上，按照统一领导、综合协调、分类管理、分级负责、属地管理为主的原则，建立健全应急管理体制机制，强化风险监测预警和隐患排查治理，加强应急队伍、物资装备和通信保障建设，确保一旦发生突发事件能够迅速响应、科学处置、有效救援，最大限度减少人员伤亡和财产损失。";

struct Gen {
    root: PathBuf,
    docs: usize,
}

fn levels(prefix: &str) -> String {
    let mut s = String::from("response_levels:\n");
    for (n, name) in [
        (1, "一级应急响应"),
        (2, "二级应急响应"),
        (3, "三级应急响应"),
        (4, "四级应急响应"),
    ] {
        let _ = writeln!(
            s,
            "  - level: {n}\n    name: {name}\n    trigger: 预计或已经造成死亡（含失踪）{}人以上，或紧急转移安置群众{}万人以上。\n    lead: {prefix}-commander\n    actions:\n      - 指挥部总指挥主持会商，部署抢险救灾工作。\n      - 派出工作组赴一线指导。\n    tasks:\n      - role: {prefix}-deputy\n        actions: [组织抢险队伍, 调拨应急物资]",
            30 / n,
            10 / n
        );
    }
    s
}

fn body(sections: &[(&str, u8)], refs: &[String], target_bytes: usize) -> String {
    let mut s = String::new();
    let per = target_bytes / sections.len().max(1);
    let mut r = refs.iter();
    for (i, (title, depth)) in sections.iter().enumerate() {
        let hashes = "#".repeat(usize::from(*depth));
        let _ = writeln!(s, "{hashes} {}. {title}\n", i + 1);
        let mut para = String::new();
        if let Some(link) = r.next() {
            let _ = write!(para, "由{link}负责组织实施。");
        }
        while para.len() < per {
            para.push_str(FILLER);
        }
        let cut = para
            .char_indices()
            .map(|(b, _)| b)
            .take_while(|b| *b <= per)
            .last()
            .unwrap_or(0);
        s.push_str(&para[..cut]);
        s.push_str("\n\n");
    }
    s
}

impl Gen {
    fn write(&mut self, rel: &str, text: &str) {
        let p = self.root.join(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).expect("mkdir");
        }
        std::fs::write(p, text).expect("write");
        if rel.ends_with(".md") {
            self.docs += 1;
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn plan(
        &mut self,
        dir: &str,
        id: &str,
        kind: &str,
        level: &str,
        juris: &str,
        parent: Option<&str>,
        upper: &[String],
        hazards: &[&str],
        role_prefix: &str,
        ent: Option<&str>,
        extra: &str,
    ) {
        let mut fm = format!(
            "---\nid: {id}\nkind: {kind}\ntitle: {id} 应急预案\nversion: \"2025.1\"\nissuer: {juris}-gov\njurisdiction: {juris}\n"
        );
        match ent {
            Some(e) => {
                let _ = writeln!(fm, "enterprise: {e}");
            }
            None => {
                let _ = writeln!(fm, "level: {level}");
            }
        }
        if let Some(p) = parent {
            let _ = writeln!(fm, "parent: {p}");
        }
        if !upper.is_empty() {
            let _ = writeln!(fm, "links:\n  upper: [{}]", upper.join(", "));
        }
        if !hazards.is_empty() {
            let _ = writeln!(fm, "hazards: [{}]", hazards.join(", "));
        }
        let _ = write!(fm, "dates:\n  issued: 2025-03-10\n  effective: 2025-03-10\nfiling:\n  authority: 上级应急管理部门\n  filed_on: 2025-03-28\norganization:\n  command_body: 应急指挥部\n  roles:\n    - role: {role_prefix}-commander\n      duties: 全面指挥应急处置工作。\n    - role: {role_prefix}-deputy\n      duties: 协助总指挥工作。\ncontacts: [{role_prefix}-duty]\n");
        if ent.is_none() {
            fm.push_str(&levels(role_prefix));
        }
        fm.push_str(extra);
        fm.push_str("---\n");
        let sections: &[(&str, u8)] = match (kind, ent.is_some()) {
            ("overall", _) => &[
                ("总则", 1),
                ("编制目的", 2),
                ("适用范围", 2),
                ("组织指挥体系", 1),
                ("监测预警", 1),
                ("应急响应", 1),
                ("信息报告", 2),
                ("分级响应", 2),
                ("应急保障", 1),
                ("预案管理", 1),
            ],
            ("special", false) => &[
                ("总则", 1),
                ("适用范围", 2),
                ("组织指挥体系", 1),
                ("监测预警", 1),
                ("应急响应", 1),
                ("先期处置", 2),
                ("响应终止", 2),
                ("后期处置", 1),
                ("应急保障", 1),
                ("附则", 1),
            ],
            ("department", _) => &[
                ("总则", 1),
                ("适用范围", 2),
                ("组织指挥体系", 1),
                ("应急响应", 1),
                ("分级响应", 2),
                ("处置措施", 2),
                ("应急保障", 1),
                ("附则", 1),
            ],
            ("grassroots", _) => &[
                ("应急组织", 1),
                ("信息报告", 1),
                ("应急处置", 1),
                ("先期处置", 2),
                ("人员疏散转移", 1),
                ("转移路线", 2),
                ("安置点", 2),
                ("附则", 1),
            ],
            ("comprehensive", _) => &[
                ("总则", 1),
                ("适用范围", 2),
                ("响应分级", 2),
                ("应急组织机构及职责", 1),
                ("应急响应", 1),
                ("信息报告", 2),
                ("预警", 2),
                ("响应启动", 2),
                ("应急处置", 2),
                ("应急支援", 2),
                ("响应终止", 2),
                ("后期处置", 1),
                ("应急保障", 1),
            ],
            _ => &[
                ("事故风险描述", 1),
                ("应急工作职责", 1),
                ("应急处置", 1),
                ("应急处置程序", 2),
                ("现场应急处置措施", 2),
                ("报警负责人及报警电话", 2),
                ("注意事项", 1),
                ("附件", 1),
            ],
        };
        let mut refs = vec![
            format!("[总指挥](role:{role_prefix}-commander)"),
            format!("[值班室](contact:{role_prefix}-duty)"),
        ];
        if let Some(p) = parent {
            refs.push(format!("[上级预案](plan:{p}#总则)"));
        }
        refs.push(format!("[副总指挥](role:{role_prefix}-deputy)"));
        let size = 2000 + (self.docs * 37) % 2000;
        let text = fm + &body(sections, &refs, size);
        self.write(&format!("{dir}/{id}.md"), &text);
    }

    fn registry(&mut self, file: &str, entries: &[(String, String, &str, Option<String>)]) {
        // (jurisdiction id, name, level, parent)
        let mut s = String::from("jurisdictions:\n");
        for (id, name, level, parent) in entries {
            let _ = writeln!(
                s,
                "  - {{ id: {id}, name: {name}, level: {level}{} }}",
                parent
                    .as_ref()
                    .map(|p| format!(", parent: {p}"))
                    .unwrap_or_default()
            );
        }
        s.push_str("organizations:\n");
        for (id, name, _, _) in entries {
            let _ = writeln!(s, "  - {{ id: {id}-gov, name: {name}人民政府, type: government, jurisdiction: {id} }}");
        }
        s.push_str("roles:\n");
        for (id, _, _, _) in entries {
            let _ = writeln!(s, "  - {{ id: {id}-commander, name: 总指挥, org: {id}-gov, contact: {id}-duty }}\n  - {{ id: {id}-deputy, name: 副总指挥, org: {id}-gov }}");
        }
        s.push_str("contacts:\n");
        for (i, (id, name, _, _)) in entries.iter().enumerate() {
            let _ = writeln!(s, "  - id: {id}-duty\n    name: {name}应急值班室\n    org: {id}-gov\n    phones:\n      - {{ number: 0745-{:07}, type: duty }}\n    verified: 2026-09-01", 2_000_000 + i);
        }
        self.write(file, &s);
    }
}

/// The generated repository of `n` documents (made on first use, then kept), and a copy of it
/// dated before its first drills fall due: on the corpus' own date every enterprise on-site
/// plan of the hazchem chain is overdue for its half-yearly drill (E005, an error), and plans
/// with errors are left out of handbooks and Word exports. The handbook and export benchmarks
/// measure on that copy, `target/bench-corpus/<n>-handbook`.
pub fn dated_corpus(n: usize) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-corpus")
        .join(n.to_string());
    let marker = root.join(".complete");
    if !marker.exists() {
        let t = std::time::Instant::now();
        let docs = generate(&root, n);
        std::fs::write(&marker, docs.to_string()).expect("marker");
        println!(
            "generated {docs} documents in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    let dated = root.with_file_name(format!("{n}-handbook"));
    if !dated.join(".dated").exists() {
        copy_tree(&root, &dated);
        std::fs::write(dated.join("yuan.toml"), "[check]\ntoday = \"2025-08-01\"\n")
            .expect("yuan.toml");
        std::fs::write(dated.join(".dated"), "").expect("marker");
    }
    dated
}

/// Copies the folder `from` to `to` (files and folders only).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("file type").is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy");
        }
    }
}

pub fn generate(root: &Path, target: usize) -> usize {
    let _ = std::fs::remove_dir_all(root);
    let mut g = Gen {
        root: root.to_path_buf(),
        docs: 0,
    };
    g.write("yuan.toml", "[check]\ntoday = \"2026-11-28\"\n");
    let mut hz = String::from("hazards:\n");
    for (id, name) in HAZARDS {
        let _ = writeln!(hz, "  - {{ id: {id}, name: {name}, category: natural }}");
    }
    g.write("registry/hazards.yaml", &hz);
    // Province
    g.registry(
        "registry/p.yaml",
        &[("p".into(), "示范省".into(), "province", None)],
    );
    let hz_ids: Vec<&str> = HAZARDS.iter().map(|h| h.0).collect();
    g.plan(
        "p",
        "p-overall",
        "overall",
        "province",
        "p",
        None,
        &[],
        &hz_ids,
        "p",
        None,
        "",
    );
    for (h, _) in HAZARDS {
        g.plan(
            "p",
            &format!("p-{h}"),
            "special",
            "province",
            "p",
            Some("p-overall"),
            &[],
            &[h],
            "p",
            None,
            "",
        );
    }
    // ~31 documents per county.
    let counties = target.saturating_sub(50).div_ceil(31).max(1);
    let cities = counties.div_ceil(20).clamp(1, 40);
    for c in 0..cities {
        let cid = format!("c{c}");
        g.registry(
            &format!("registry/{cid}.yaml"),
            &[(cid.clone(), format!("第{c}市"), "city", Some("p".into()))],
        );
        g.plan(
            &cid,
            &format!("{cid}-overall"),
            "overall",
            "city",
            &cid,
            Some("p-overall"),
            &[],
            &hz_ids,
            &cid,
            None,
            "",
        );
        for (h, _) in HAZARDS {
            g.plan(
                &cid,
                &format!("{cid}-{h}"),
                "special",
                "city",
                &cid,
                Some(&format!("{cid}-overall")),
                &[format!("p-{h}")],
                &[h],
                &cid,
                None,
                "",
            );
        }
    }
    for k in 0..counties {
        if g.docs >= target {
            break;
        }
        let cid = format!("c{}", k % cities);
        let kid = format!("{cid}-k{k}");
        let dir = format!("{cid}/{kid}");
        let mut juris = vec![(kid.clone(), format!("第{k}县"), "county", Some(cid.clone()))];
        for t in 0..10 {
            juris.push((
                format!("{kid}-t{t}"),
                format!("第{t}镇"),
                "township",
                Some(kid.clone()),
            ));
        }
        g.registry(&format!("registry/{cid}/{kid}.yaml"), &juris);
        let overall = format!("{kid}-overall");
        g.plan(
            &dir,
            &overall,
            "overall",
            "county",
            &kid,
            Some(&format!("{cid}-overall")),
            &[],
            &hz_ids,
            &kid,
            None,
            "",
        );
        for (h, _) in HAZARDS {
            g.plan(
                &dir,
                &format!("{kid}-{h}"),
                "special",
                "county",
                &kid,
                Some(&overall),
                &[format!("{cid}-{h}")],
                &[h],
                &kid,
                None,
                "",
            );
        }
        for dpt in ["jt", "ws"] {
            g.plan(
                &dir,
                &format!("{kid}-dept-{dpt}"),
                "department",
                "county",
                &kid,
                Some(&overall),
                &[],
                &[],
                &kid,
                None,
                "",
            );
        }
        for t in 0..10 {
            let tid = format!("{kid}-t{t}");
            g.plan(
                &format!("{dir}/townships"),
                &format!("{tid}-plan"),
                "grassroots",
                "township",
                &tid,
                Some(&overall),
                &[],
                &["flood"],
                &tid,
                None,
                "",
            );
        }
        for e in 0..2 {
            let eid = format!("{kid}-e{e}");
            let edir = format!("{dir}/{eid}");
            let comp = format!("{eid}-comprehensive");
            g.plan(
                &edir,
                &comp,
                "comprehensive",
                "",
                &kid,
                None,
                &[format!("{kid}-hazchem")],
                &["hazchem"],
                &kid,
                Some(&format!("{kid}-gov")),
                "",
            );
            for o in 0..2 {
                let oid = format!("{eid}-onsite{o}");
                g.plan(
                    &edir,
                    &oid,
                    "onsite",
                    "",
                    &kid,
                    Some(&comp),
                    &[],
                    &["hazchem"],
                    &kid,
                    Some(&format!("{kid}-gov")),
                    "key_posts: [操作工, 班长]\n",
                );
                for (pi, post) in ["操作工", "班长"].iter().enumerate() {
                    let card = format!("---\nid: {oid}-card{pi}\nkind: card\ntitle: {post}应急处置卡\nversion: \"2025.1\"\nenterprise: {kid}-gov\nparent: {oid}\npost: {post}\nhazard: hazchem\nrisk: 物料泄漏可能引发火灾爆炸。\nsteps:\n  - {{ action: 立即按下紧急停车按钮ESD-101, who: {kid}-commander, values: [ESD-101], clause: 应急处置程序 }}\n  - {{ action: 关闭进料阀XV-1012并报告值班长, who: {kid}-deputy, clause: 现场应急处置措施 }}\n  - {{ action: 火势能否控制？, who: {kid}-deputy, decision: {{ yes: 4, no: 5 }} }}\n  - {{ action: 使用干粉灭火器灭火, who: {kid}-deputy }}\n  - {{ action: 撤离至集合点并拨打119, who: {kid}-deputy }}\nreport_to: [{kid}-duty]\nemergency_numbers: [\"119\", \"120\"]\ndates: {{ issued: 2025-03-10, effective: 2025-03-10 }}\n---\n\n本卡依据现场处置方案编制。\n");
                    g.write(&format!("{edir}/cards/{oid}-card{pi}.md"), &card);
                }
            }
        }
    }
    g.docs
}

/// Reads and parses (YAML + Markdown) every document and registry file; returns the event count.
/// With `tree`, the YAML events are also built into a value tree (yuan's own YAML-to-value step,
/// without positions), as any YAML "parse" that hands data to a program does.
fn floor(root: &Path, tree: bool) -> usize {
    let (files, _) = yuan::source::discover(root, &yuan::config::Config::default());
    // scheduled as the load schedules its parse (leaves of `yuan::load::LEAF` files), so that the
    // floor has no idle tail the check has not
    files
        .par_iter()
        .with_max_len(yuan::load::LEAF)
        .map(|f| {
            let text = std::fs::read_to_string(&f.abs).unwrap_or_default();
            let (yaml, md) = match yuan::parse::front_matter::split(&text) {
                Ok(s) => (&text[s.yaml.clone()], &text[s.body..]),
                Err(_) => (text.as_str(), ""),
            };
            let y = if tree {
                let v = yuan::parse::yaml::parse(yaml, false, yuan::parse::yaml::Limits::default());
                usize::from(v.is_ok())
            } else {
                saphyr_parser::Parser::new_from_str(yaml)
                    .take_while(Result::is_ok)
                    .count()
            };
            let m = pulldown_cmark::Parser::new(md).count();
            y + m
        })
        .sum()
}

/// Peak RSS (KiB) and wall time of one child run of this binary.
fn child(mode: &str, root: &Path) -> (f64, i64, String) {
    let exe = std::env::current_exe().expect("exe");
    let child = std::process::Command::new(exe)
        .args([mode, &root.to_string_lossy()])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let pid = child.id() as libc::pid_t;
    child.wait_with_output_rusage(pid)
}

trait WaitRusage {
    fn wait_with_output_rusage(self, pid: libc::pid_t) -> (f64, i64, String);
}

impl WaitRusage for std::process::Child {
    fn wait_with_output_rusage(mut self, pid: libc::pid_t) -> (f64, i64, String) {
        use std::io::Read;
        let mut s = String::new();
        if let Some(mut o) = self.stdout.take() {
            let _ = o.read_to_string(&mut s);
        }
        let mut status = 0;
        // SAFETY: rusage is plain old data; wait4 fills it for our own child.
        let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
        unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
        let secs: f64 = s
            .lines()
            .next()
            .and_then(|l| l.trim().parse().ok())
            .unwrap_or(f64::NAN);
        (
            secs,
            ru.ru_maxrss,
            s.lines().nth(1).unwrap_or("").to_string(),
        )
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if args.len() == 2 && args[0].starts_with("__floor") {
        let t = Instant::now();
        let n = floor(Path::new(&args[1]), args[0] == "__floor_tree");
        println!("{}\n{n} events", t.elapsed().as_secs_f64());
        return;
    }
    if args.len() == 2 && args[0] == "__check" {
        let t = Instant::now();
        let today = chrono::Local::now().date_naive();
        let r = yuan::Check::new(Path::new(&args[1]), today)
            .run()
            .expect("check");
        println!(
            "{}\n{} documents, {} files, {} errors, {} warnings",
            t.elapsed().as_secs_f64(),
            r.summary.documents,
            r.summary.files,
            r.summary.errors,
            r.summary.warnings
        );
        return;
    }
    if args.first().map(String::as_str) == Some("cache") {
        cache_bench();
        return;
    }
    let sizes: Vec<usize> = std::env::var("YUAN_BENCH_SIZES")
        .unwrap_or_else(|_| "10000,100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus");
    println!("threads: {}", rayon::current_num_threads());
    for n in sizes {
        let root = base.join(n.to_string());
        let marker = root.join(".complete");
        if !marker.exists() {
            let t = Instant::now();
            let docs = generate(&root, n);
            std::fs::write(&marker, docs.to_string()).expect("marker");
            println!(
                "generated {docs} documents in {:.1} s",
                t.elapsed().as_secs_f64()
            );
        }
        let bytes: u64 = walk_bytes(&root);
        // This machine's speed drifts by tens of percent from minute to minute, so the three
        // measurements run interleaved, round after round, and the report takes medians: of
        // each time, and of each round's ratios (which compare runs made seconds apart).
        let _ = child("__floor", &root);
        let rounds: usize = std::env::var("YUAN_BENCH_ROUNDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(5);
        let (mut f, mut t, mut c) = (Vec::new(), Vec::new(), Vec::new());
        let (mut fm, mut tm, mut cm) = (0, 0, 0);
        let (mut finfo, mut cinfo) = (String::new(), String::new());
        for _ in 0..rounds {
            let a = child("__floor", &root);
            let b = child("__floor_tree", &root);
            let k = child("__check", &root);
            (fm, tm, cm) = (fm.max(a.1), tm.max(b.1), cm.max(k.1));
            (finfo, cinfo) = (a.2, k.2);
            f.push(a.0);
            t.push(b.0);
            c.push(k.0);
        }
        let median = |v: &[f64]| {
            let mut v = v.to_vec();
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let ratios =
            |floor: &[f64]| median(&c.iter().zip(floor).map(|(c, f)| c / f).collect::<Vec<_>>());
        let (fs, ts, cs) = (median(&f), median(&t), median(&c));
        let (rf, rt) = (ratios(&f), ratios(&t));
        let docs: f64 = std::fs::read_to_string(&marker)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(n as f64);
        println!("\n== {n} documents ({:.0} MB)", bytes as f64 / 1e6);
        let mb = |kb: i64| kb as f64 / 1024.0;
        println!(
            "floor, YAML events + Markdown: {fs:.2} s, {:.0} docs/s, peak {:.0} MB  [{finfo}]",
            docs / fs,
            mb(fm)
        );
        println!(
            "floor, YAML tree + Markdown:   {ts:.2} s, {:.0} docs/s, peak {:.0} MB",
            docs / ts,
            mb(tm)
        );
        println!(
            "yuan check:                    {cs:.2} s, {:.0} docs/s, peak {:.0} MB  [{cinfo}]",
            docs / cs,
            mb(cm)
        );
        println!("check / floor, median of {rounds} rounds: {rf:.2}x (YAML events), {rt:.2}x (YAML tree)");
    }
}

fn walk_bytes(root: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        if let Ok(rd) = std::fs::read_dir(&d) {
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if let Ok(m) = e.metadata() {
                    total += m.len();
                }
            }
        }
    }
    total
}

/// Runs `git` in `dir` with a fixed identity and dates; panics on failure (a benchmark setup).
fn git(dir: &Path, args: &[&str]) {
    let ok = std::process::Command::new("git")
        .args(["-c", "gc.auto=0", "-c", "maintenance.auto=false"])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "bench")
        .env("GIT_AUTHOR_EMAIL", "bench@example.org")
        .env("GIT_COMMITTER_NAME", "bench")
        .env("GIT_COMMITTER_EMAIL", "bench@example.org")
        .env("GIT_AUTHOR_DATE", "2026-11-01T08:00:00+08:00")
        .env("GIT_COMMITTER_DATE", "2026-11-01T08:00:00+08:00")
        .status()
        .expect("git runs");
    assert!(ok.success(), "git {args:?} failed");
}

/// A corpus of `n` documents in a git repository with two commits (the second edits 1% of
/// the documents), generated once.
fn git_corpus(n: usize) -> (PathBuf, Vec<PathBuf>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-corpus/{n}-git"));
    let marker = root.join(".git/yuan-bench-complete");
    if !marker.exists() {
        let t = Instant::now();
        let docs = generate(&root, n);
        git(&root, &["init", "-q"]);
        git(&root, &["add", "-A"]);
        git(&root, &["commit", "-q", "-m", "generated plans"]);
        let (files, _) = yuan::source::discover(&root, &yuan::config::Config::default());
        for f in files.iter().filter(|f| f.rel.ends_with(".md")).step_by(100) {
            let mut text = std::fs::read_to_string(&f.abs).expect("read");
            text.push_str("\n修订：补充值班电话核实要求。\n");
            std::fs::write(&f.abs, text).expect("write");
        }
        git(
            &root,
            &["commit", "-q", "-a", "-m", "revise 1% of the plans"],
        );
        std::fs::write(&marker, docs.to_string()).expect("marker");
        println!(
            "generated and committed {docs} documents in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    // packed, as a clone is and as git's automatic housekeeping leaves a repository after a
    // large commit (disabled above so that the commits' timing stays fixed)
    let packed = std::fs::read_dir(root.join(".git/objects/pack")).is_ok_and(|d| {
        d.flatten()
            .any(|e| e.path().extension().is_some_and(|x| x == "pack"))
    });
    if !packed {
        git(&root, &["gc", "-q"]);
    }
    let (files, _) = yuan::source::discover(&root, &yuan::config::Config::default());
    let docs = files
        .into_iter()
        .filter(|f| f.rel.ends_with(".md"))
        .map(|f| f.abs)
        .collect();
    (root, docs)
}

/// Wall time (s) and peak RSS (KiB) of one `yuan check` process.
fn yuan_check(root: &Path, extra: &[&str]) -> (f64, i64) {
    let t = Instant::now();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_yuan"))
        .arg("check")
        .arg(root)
        .args(extra)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn yuan");
    let pid = child.id() as libc::pid_t;
    let (_, rss, _) = child.wait_with_output_rusage(pid);
    (t.elapsed().as_secs_f64(), rss)
}

fn cache_bench() {
    let n: usize = std::env::var("YUAN_BENCH_SIZES")
        .ok()
        .and_then(|s| s.split(',').next_back()?.trim().parse().ok())
        .unwrap_or(100_000);
    let rounds: usize = std::env::var("YUAN_BENCH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let (root, docs) = git_corpus(n);
    if rounds == 0 {
        return; // generate only
    }
    let edited = &docs[docs.len() / 2];
    let original = std::fs::read_to_string(edited).expect("read");
    let cache = root.join(yuan::cache::DIR);
    let (mut cold, mut warm, mut changed) = (Vec::new(), Vec::new(), Vec::new());
    let mut peak = (0, 0, 0);
    let _ = yuan_check(&root, &[]); // page cache
    let load_before = load_average();
    for r in 0..rounds {
        std::fs::write(edited, &original).expect("restore");
        let _ = std::fs::remove_dir_all(&cache);
        let c = yuan_check(&root, &[]);
        let w = yuan_check(&root, &[]);
        std::fs::write(edited, format!("{original}\n第{r}轮修订。\n")).expect("edit");
        let k = yuan_check(&root, &["--changed-since", "HEAD"]);
        peak = (peak.0.max(c.1), peak.1.max(w.1), peak.2.max(k.1));
        cold.push(c.0);
        warm.push(w.0);
        changed.push(k.0);
    }
    std::fs::write(edited, &original).expect("restore");
    let median = |v: &[f64]| {
        let mut v = v.to_vec();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let ratio = |x: &[f64]| median(&x.iter().zip(&cold).map(|(a, c)| a / c).collect::<Vec<_>>());
    let mb = |kb: i64| kb as f64 / 1024.0;
    println!(
        "\n== yuan check, {} documents in git, median of {rounds} rounds",
        docs.len()
    );
    println!(
        "cold (no cache):                   {:.2} s, peak {:.0} MB",
        median(&cold),
        mb(peak.0)
    );
    println!(
        "warm (cache):                      {:.2} s, peak {:.0} MB, {:.0}% of cold",
        median(&warm),
        mb(peak.1),
        100.0 * ratio(&warm)
    );
    println!(
        "--changed-since HEAD, 1 file:      {:.2} s, peak {:.0} MB, {:.0}% of cold",
        median(&changed),
        mb(peak.2),
        100.0 * ratio(&changed)
    );
    println!("rounds (cold, warm, changed): {cold:.2?} {warm:.2?} {changed:.2?}");
    println!(
        "load average (1, 5, 15 min) before: {load_before}; after: {}",
        load_average()
    );
}

/// The machine's load average (`/proc/loadavg`), to note with the figures.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}
