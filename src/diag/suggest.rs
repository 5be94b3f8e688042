//! "Did you mean": the closest known words to a wrong one, and how a message says them.
//!
//! Beside the diagnostics, because every stage that reports an unknown word uses it: the parse
//! stage (an unknown key, F004; an unknown kind, I102), the configuration and the rules.

/// The closest candidates to `word` (Jaro-Winkler ≥ 0.8), best first, at most three.
pub(crate) fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(s, _)| *s >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// "（是否想写 `a`？）" / " (did you mean `a`?)" or nothing.
pub(crate) fn did_you_mean(s: &[&str]) -> (String, String) {
    if s.is_empty() {
        return (String::new(), String::new());
    }
    let list = s.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>();
    (
        format!("（是否想写 {}？）", list.join("、")),
        format!(" (did you mean {}?)", list.join(", ")),
    )
}
