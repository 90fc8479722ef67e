//! Stage 3, the privacy gate: the only way to a [`PublicSite`], which is the
//! only thing the renderer accepts. What it holds is fit to publish.
//!
//! The gate removes drafts and refuses the portal when any input carries an
//! identifier of a person (ID, phone, bank card, e-mail numbers).

pub mod scan;

use crate::check::RuleRun;
use crate::diag::Diagnostic;
use crate::messages::Lang;
use crate::model::{Index, Portal};
use crate::source::{Sources, Span};

/// A portal that passed the gate. It can only be made by [`run`].
#[derive(Debug, Clone)]
pub struct PublicSite {
    portal: Portal,
    index: Index,
    checks: Vec<RuleRun>,
}

impl PublicSite {
    pub fn portal(&self) -> &Portal {
        &self.portal
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Which checks ran and passed, for the published check report.
    pub fn checks(&self) -> &[RuleRun] {
        &self.checks
    }
}

/// What the gate decided.
pub struct GateOutcome {
    /// `None` when anything would have leaked.
    pub site: Option<PublicSite>,
    pub diags: Vec<Diagnostic>,
}

/// Runs the gate over the loaded portal and every file it was read from.
pub fn run(mut portal: Portal, sources: &Sources, checks: Vec<RuleRun>, lang: Lang) -> GateOutcome {
    let mut diags = Vec::new();
    for (file, source) in sources.iter() {
        for finding in scan::scan(&source.text) {
            diags.push(identifier_diagnostic(&finding, Span { file, range: finding.range.clone() }, lang));
        }
    }
    portal.pages.retain(|p| !p.draft);
    let index = Index::build(&portal);
    let site = diags.is_empty().then(|| PublicSite {
        portal,
        index,
        checks,
    });
    GateOutcome { site, diags }
}

/// The finding for an identifier: never prints the full value.
pub fn identifier_diagnostic(f: &scan::Finding, span: Span, lang: Lang) -> Diagnostic {
    let (msg, label, hint) = match lang {
        Lang::Zh => (
            format!("发现{}，个人信息不得公开", f.kind.name_zh()),
            format!("{}（已遮盖）", f.masked),
            "删除这一号码；如是公开的办公电话或热线，请在 cunwu.toml 的 [privacy] allow 中登记".to_string(),
        ),
        Lang::En => (
            format!("{} found: personal data must not be published", f.kind.name_en()),
            format!("{} (masked)", f.masked),
            "remove it; an office's published number can be listed in [privacy] allow in cunwu.toml".to_string(),
        ),
    };
    Diagnostic::error(f.kind.rule_id(), msg)
        .at(span, label)
        .expected_found(
            match lang {
                Lang::Zh => "不含个人号码",
                Lang::En => "no personal numbers",
            },
            f.masked.clone(),
        )
        .hint(hint)
}
