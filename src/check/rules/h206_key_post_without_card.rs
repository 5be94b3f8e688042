use crate::check::broken::skipped;
use crate::check::util::at_doc;
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::model::meta::Kind;
use crate::text;

declare_rule! {
    /// 重点岗位缺少处置卡 · Key post without a disposal card
    ///
    /// ## What it checks · 检查内容
    /// Every post an on-site disposal plan lists in `key_posts` has at least one disposal card
    /// (`kind: card`) whose `parent` is that plan and whose `post` is that post; and every card's
    /// `post` is one of its on-site plan's `key_posts`.
    ///
    /// 现场处置方案列出的每个重点岗位，都应有对应的应急处置卡。
    ///
    /// ## Why it matters · 为什么重要
    /// 《生产安全事故应急预案管理办法》第十九条 (substance confirmed, wording not): enterprises write concise, portable
    /// disposal cards for key posts and people, stating the procedure, measures and contacts;
    /// 《企业安全生产应急管理九条规定》 item 4: "重点岗位制定应急处置卡".
    ///
    /// 《生产安全事故应急预案管理办法》第十九条（内容已核实，措辞未核实）：企业针对重点岗位、
    /// 人员编制简明、便于携带的应急处置卡，写明处置程序、措施和联系方式；《企业安全生产应急管理九条规定》
    /// 第四条：“重点岗位制定应急处置卡”。
    ///
    /// ## Example · 示例
    /// `hd-onsite-reactor` lists `key_posts: [反应釜操作工, 值班长]`; only the operator has a card.
    ///
    /// ## How to fix · 如何修改
    /// Add the card (`yuan new card --enterprise ORG`), or correct the post name so that the
    /// card's `post` and the plan's `key_posts` entry are identical.
    ///
    /// 添加处置卡（`yuan new card --enterprise 企业`），
    /// 或改正岗位名称，使处置卡的 `post` 与方案 `key_posts` 中的一项完全相同。
    pub(crate) struct KeyPostWithoutCard {
        code: "H206",
        name: "key-post-without-card",
        severity: Error,
        stage: Corpus,
        summary: ("重点岗位没有应急处置卡", "key post has no disposal card"),
    }
}

impl Rule for KeyPostWithoutCard {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        // The posts of every card, made when an on-site plan reported on has key posts (with
        // `--changed-since`, often none). Every finding is about the document looked at, so
        // only the documents reported on are looked at.
        let posts = std::cell::OnceCell::new();
        let posts = || {
            posts.get_or_init(|| {
                let cards: crate::model::FastSet<(&str, &str)> = cx
                    .corpus
                    .docs
                    .iter()
                    .filter_map(|d| d.card())
                    .map(|c| (c.parent.as_str(), c.post.as_str()))
                    .collect();
                let placeholder_posts: crate::model::FastSet<&str> = cx
                    .corpus
                    .docs
                    .iter()
                    .filter_map(|d| d.card())
                    .filter(|c| cx.is_placeholder(&c.post))
                    .map(|c| c.parent.as_str())
                    .collect();
                (cards, placeholder_posts)
            })
        };
        for d in cx.docs() {
            let Some(card) = d.card() else { continue };
            let Some(plan) = cx.corpus.plan(&card.parent) else {
                if let Some(parent) = cx.corpus.doc(&card.parent).filter(|p| p.is_broken()) {
                    out.push(skipped(
                        &Self::INFO,
                        d,
                        "/post",
                        parent,
                        (
                            "对岗位是否为其重点岗位的检查",
                            "the check that the post is one of its key posts was",
                        ),
                    ));
                }
                continue;
            };
            // a placeholder post (`post: 待定`) is T801's finding
            if plan.kind == Kind::Onsite
                && !plan.key_posts.contains(&card.post)
                && !cx.is_placeholder(&card.post)
            {
                let (post, pid, posts) = (&card.post, &card.parent, plan.key_posts.join("、"));
                out.push(at_doc(&Self::INFO, d, "/post", text!(
                    "岗位“{post}”不在现场处置方案 `{pid}` 的重点岗位（key_posts）中",
                    "post \"{post}\" is not among the key posts of `{pid}`"
                )).help(text!("重点岗位：{posts}；改正岗位名称，或将其加入方案的 key_posts", "key posts there: {posts}; fix the post name or add it to the plan's key_posts")));
            }
        }
        for d in cx.docs() {
            let Some(p) = d.plan() else { continue };
            if p.kind != Kind::Onsite {
                continue;
            }
            for (i, post) in p.key_posts.iter().enumerate() {
                // a key post still to be named (`key_posts: [待定]`) is T801's finding
                if cx.is_placeholder(post) {
                    continue;
                }
                let (cards, placeholder_posts) = posts();
                if !cards.contains(&(p.id.as_str(), post.as_str())) {
                    let id = &p.id;
                    // a card of this plan whose post is still a placeholder may be this post's
                    // (T801 reports the placeholder)
                    if placeholder_posts.contains(id.as_str()) {
                        continue;
                    }
                    // a card that failed its schema (F003) may be this post's
                    if let Some(b) = cx.broken().may_be(cx.corpus, &[Kind::Card], |u| {
                        u.may_equal("parent", id) && u.may_equal("post", post)
                    }) {
                        out.push(skipped(
                            &Self::INFO,
                            d,
                            &format!("/key_posts/{i}"),
                            b,
                            (
                                &format!("对重点岗位“{post}”是否有处置卡的检查"),
                                &format!("the check that key post \"{post}\" has a card was"),
                            ),
                        ));
                        continue;
                    }
                    out.push(
                        at_doc(
                            &Self::INFO,
                            d,
                            &format!("/key_posts/{i}"),
                            text!(
                                "重点岗位“{post}”没有应急处置卡",
                                "key post \"{post}\" has no disposal card"
                            ),
                        )
                        .help(text!(
                            "添加 `kind: card`、`parent: {id}`、`post: {post}` 的处置卡",
                            "add a card with `kind: card`, `parent: {id}`, `post: {post}`"
                        )),
                    );
                }
            }
        }
    }
}
