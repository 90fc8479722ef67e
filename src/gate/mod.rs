//! Stage 3, the privacy gate: the only way to a [`PublicSite`], which is the
//! only thing the renderer accepts. What it holds is fit to publish.
//!
//! On the way in, the gate scans every input file (data, plans, front matter,
//! theme templates) for personal identifiers and roster names, removes drafts,
//! and replaces sensitive counts by their published form (small counts
//! suppressed). On the way out, [`scan_output`] runs the same scanners over
//! every rendered file before anything is written: defence in depth.

pub mod individual;
pub mod prose;
pub mod reading;
pub mod roster;
pub mod scan;
pub mod suppress;

use std::collections::{HashMap, HashSet};

use crate::check::RuleRun;
use crate::diag::Diagnostic;
use crate::messages::{Lang, Msg};
use crate::model::{Index, Portal, PrivacyAck};
use crate::output::OutputFile;
use crate::source::{FileId, Sources, Span};
use roster::Roster;
use scan::{Finding, IdentifierKind};
pub use suppress::{PublicProgress, PublicRelapse, PublicTally, Shown};

/// An acknowledged number, as listed in the check report (masked).
#[derive(Debug, Clone, serde::Serialize)]
pub struct AckView {
    pub file: String,
    pub value: String,
    pub reason: String,
}

/// A portal that passed the gate. It can only be made by [`run`].
#[derive(Debug, Clone)]
pub struct PublicSite {
    portal: Portal,
    /// Shared with the checker's run, and with the preview's next run when
    /// an edit leaves every id where it was (`Portal::indexes_like`).
    index: std::sync::Arc<Index>,
    checks: Vec<RuleRun>,
    progress: Vec<PublicProgress>,
    relapses: Vec<PublicRelapse>,
    acks: Vec<AckView>,
    allowed: HashSet<String>,
    min_count: u64,
}

impl PublicSite {
    /// The public records. Sensitive counts are not here (see [`Self::progress`]).
    pub fn portal(&self) -> &Portal {
        &self.portal
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The lookups, to share with a run over a portal that indexes alike.
    pub fn shared_index(&self) -> std::sync::Arc<Index> {
        self.index.clone()
    }

    /// Which checks ran and passed, for the published check report.
    pub fn checks(&self) -> &[RuleRun] {
        &self.checks
    }

    /// Progress records with small counts suppressed.
    pub fn progress(&self) -> &[PublicProgress] {
        &self.progress
    }

    /// Relapse records with small counts suppressed.
    pub fn relapses(&self) -> &[PublicRelapse] {
        &self.relapses
    }

    /// Numbers acknowledged as not personal, with their reasons.
    pub fn acks(&self) -> &[AckView] {
        &self.acks
    }

    /// k: counts under it are published as `<k`.
    pub fn min_count(&self) -> u64 {
        self.min_count
    }
}

/// What the gate decided.
pub struct GateOutcome {
    /// `None` when anything would have leaked.
    pub site: Option<PublicSite>,
    pub diags: Vec<Diagnostic>,
}

/// Runs the gate over the loaded portal and every file it was read from.
pub fn run(
    portal: Portal,
    sources: &Sources,
    checks: Vec<RuleRun>,
    roster: Option<&Roster>,
    lang: Lang,
) -> GateOutcome {
    let index = std::sync::Arc::new(Index::build(&portal));
    run_with(
        portal,
        index,
        sources,
        checks,
        roster,
        lang,
        &mut InputScans::default(),
    )
}

/// What the input scan found in each file's text (identifiers, roster
/// names), kept between the preview's rebuilds: a file whose text is the
/// same `Arc` as last time is not scanned again. Only the raw findings are
/// kept; what they mean (allowlist, acknowledgements) is decided afresh on
/// every run, so the gate reports exactly what a full build would.
#[derive(Default)]
pub struct InputScans {
    files: Vec<Option<ScannedText>>,
    /// Small counts in each document's prose, with what they were read from.
    prose: foldhash::HashMap<FileId, (ProseKey, Vec<Diagnostic>)>,
    /// The lookups, smallest count and language of the last prose counts:
    /// while they stay, only documents an edit can reach are compared
    /// with their keys ([`prose_reach`]).
    prose_made_with: Option<(std::sync::Weak<Index>, u64, Lang)>,
    /// Register-shaped tables found in each file's text (the same `Arc`).
    shapes: Vec<Option<ShapesOf>>,
}

/// A file's register-shaped tables, with the text and language they were
/// found in.
type ShapesOf = (std::sync::Arc<str>, Lang, Vec<Diagnostic>);

/// [`individual::roster_shapes`] of every file; a file whose text is the
/// same `Arc` as last time keeps its last findings (the preview's edits).
fn roster_shapes_cached(sources: &Sources, scans: &mut InputScans, lang: Lang) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let files: Vec<(FileId, &crate::source::SourceFile)> = sources.iter().collect();
    // By file id, not hashed: a province has 80,000 files, nearly all kept.
    scans.shapes.resize_with(files.len(), || None);
    scans.shapes.truncate(files.len());
    scans
        .shapes
        .par_iter_mut()
        .zip(&files)
        .for_each(|(slot, (file, source))| {
            let kept = slot.as_ref().is_some_and(|(text, l, _)| {
                std::sync::Arc::ptr_eq(text, &source.text) && *l == lang
            });
            if !kept {
                let diags = individual::roster_shapes_of(*file, source, lang);
                *slot = Some((source.text.clone(), lang, diags));
            }
        });
    (scans.shapes.iter().flatten())
        .flat_map(|(_, _, diags)| diags.iter().cloned())
        .collect()
}

/// Everything [`prose_counts`] reads: the document's text (the same `Arc`)
/// and where its body starts, and its area's figures and names.
#[derive(Clone)]
struct ProseKey {
    text: std::sync::Arc<str>,
    body_offset: usize,
    body_len: usize,
    k: u64,
    area: String,
    households: Option<u64>,
    population: Option<u64>,
    larger: Vec<String>,
    lang: Lang,
}

impl PartialEq for ProseKey {
    fn eq(&self, o: &ProseKey) -> bool {
        std::sync::Arc::ptr_eq(&self.text, &o.text)
            && (self.body_offset, self.body_len, self.k) == (o.body_offset, o.body_len, o.k)
            && (
                &self.area,
                self.households,
                self.population,
                &self.larger,
                self.lang,
            ) == (&o.area, o.households, o.population, &o.larger, o.lang)
    }
}

struct ScannedText {
    /// The text scanned; held so that its address cannot be reused.
    text: std::sync::Arc<str>,
    /// Whether roster names were looked for (with the session's one roster).
    with_roster: bool,
    ids: Vec<Finding>,
    names: Vec<roster::NameHit>,
}

impl InputScans {
    /// Scans (in parallel) every file whose text changed since the last
    /// call, and says which they are.
    fn refresh(&mut self, sources: &Sources, roster: Option<&Roster>) -> Vec<FileId> {
        use rayon::prelude::*;
        self.files.resize_with(sources.len(), || None);
        self.files.truncate(sources.len());
        let with_roster = roster.is_some();
        self.files
            .par_iter_mut()
            .zip(sources.iter().collect::<Vec<_>>())
            .filter_map(|(slot, (file, source))| {
                let fresh = slot.as_ref().is_some_and(|s| {
                    std::sync::Arc::ptr_eq(&s.text, &source.text) && s.with_roster == with_roster
                });
                if fresh {
                    return None;
                }
                *slot = Some(ScannedText {
                    text: source.text.clone(),
                    with_roster,
                    ids: scan::scan(&source.text),
                    names: roster.map(|r| r.find(&source.text)).unwrap_or_default(),
                });
                Some(file)
            })
            .collect()
    }

    fn ids(&self, file: FileId) -> &[Finding] {
        self.files[file.0 as usize]
            .as_ref()
            .map_or(&[], |s| s.ids.as_slice())
    }

    fn names(&self, file: FileId) -> &[roster::NameHit] {
        self.files[file.0 as usize]
            .as_ref()
            .map_or(&[], |s| s.names.as_slice())
    }
}

/// [`run`] with the portal's lookups already built (the checker's), reusing
/// (and updating) the input scans of earlier runs.
pub fn run_with(
    mut portal: Portal,
    index: std::sync::Arc<Index>,
    sources: &Sources,
    checks: Vec<RuleRun>,
    roster: Option<&Roster>,
    lang: Lang,
    scans: &mut InputScans,
) -> GateOutcome {
    let (diags, verdict) = judge(&mut portal, index, sources, roster, lang, scans);
    let site = verdict.map(|v| v.site(portal, checks));
    GateOutcome { site, diags }
}

/// What the gate made of a portal it let through, besides the portal.
struct Verdict {
    index: std::sync::Arc<Index>,
    progress: Vec<PublicProgress>,
    relapses: Vec<PublicRelapse>,
    acks: Vec<AckView>,
    allowed: HashSet<String>,
    min_count: u64,
}

impl Verdict {
    fn site(self, portal: Portal, checks: Vec<RuleRun>) -> PublicSite {
        PublicSite {
            portal,
            index: self.index,
            checks,
            progress: self.progress,
            relapses: self.relapses,
            acks: self.acks,
            allowed: self.allowed,
            min_count: self.min_count,
        }
    }
}

/// The gate itself: scans every input, and makes `portal` public in place
/// (drafts dropped, revealing indicators withheld, the raw progress and
/// relapse records cleared) whatever it finds. The verdict is `None` when
/// anything would have leaked.
fn judge(
    portal: &mut Portal,
    mut index: std::sync::Arc<Index>,
    sources: &Sources,
    roster: Option<&Roster>,
    lang: Lang,
    scans: &mut InputScans,
) -> (Vec<Diagnostic>, Option<Verdict>) {
    let allowed = allowlist(portal);
    let acks = acknowledgements(portal);
    // The lookups as the stages before made them (dropping drafts below
    // may make the gate its own copy).
    let lookups = std::sync::Arc::downgrade(&index);
    let t0 = std::time::Instant::now();
    let changed = scans.refresh(sources, roster);
    crate::timing::trace_time("gate: input scan", t0);
    let (mut diags, ack_views) = scan_inputs(sources, scans, &allowed, &acks, lang);
    crate::timing::trace_time("gate: input findings", t0);
    if roster.is_some() {
        diags.extend(roster_inputs(sources, scans, lang));
    }
    let acked: HashSet<String> = acks
        .iter()
        .filter(|a| personal_kind(&a.value.value).is_none())
        .map(|a| normalise(&a.value.value))
        .collect();

    // Drafts go; the records stay, and so do their lookups.
    let pages = portal.pages.len();
    portal.pages.retain(|p| !p.draft);
    if portal.pages.len() != pages {
        std::sync::Arc::make_mut(&mut index).reindex_pages(&portal.pages);
    }
    let k = portal.config.privacy.min_count;
    crate::timing::trace_time("gate: index", t0);
    let made_with = (lookups, k, lang);
    let same = scans.prose_made_with.as_ref().is_some_and(|(ix, k, lang)| {
        ix.ptr_eq(&made_with.0) && (*k, *lang) == (made_with.1, made_with.2)
    });
    scans.prose_made_with = Some(made_with);
    let reach = same.then(|| prose_reach(portal, &index, &changed));
    diags.extend(all_prose_counts(
        portal, &index, sources, scans, lang, reach,
    ));
    crate::timing::trace_time("gate: prose counts", t0);
    diags.extend(roster_shapes_cached(sources, scans, lang));
    crate::timing::trace_time("gate: register tables", t0);
    diags.extend(suppress::sensitive_records(portal, k, lang));
    crate::timing::trace_time("gate: sensitive records", t0);
    withhold_revealing_indicators(portal, &index, k);
    let (progress, relapses) = suppress::suppress(portal, &index, k);
    crate::timing::trace_time("gate: suppression", t0);
    // The raw sensitive records go no further than this function.
    portal.progress.clear();
    portal.relapses.clear();

    let refused = diags.iter().any(Diagnostic::is_error);
    let verdict = (!refused).then(|| Verdict {
        index,
        progress,
        relapses,
        acks: ack_views,
        allowed: allowed.union(&acked).cloned().collect(),
        min_count: k,
    });
    (diags, verdict)
}

/// The gate over `raw`, the portal on disk now, which differs from the
/// site's only in the records and documents of `files` (the preview's
/// record edits): their records take the place of the site's and the gate
/// runs over the site's portal in place. When `apply` is false (the
/// checker refused) or the gate refuses, every record is put back, so the
/// site stays the last good one; otherwise the site is updated and what
/// it replaced comes back, for [`unpatch`] should a later stage refuse.
/// Only the changed files' records are copied (and the few sensitive and
/// exit records, which the gate makes public again); a full [`run_with`]
/// needs a copy of every record.
#[allow(clippy::too_many_arguments)] // each is one stage's own input
pub fn run_patched(
    site: &mut PublicSite,
    raw: &Portal,
    files: &[FileId],
    apply: bool,
    index: std::sync::Arc<Index>,
    sources: &Sources,
    checks: Vec<RuleRun>,
    roster: Option<&Roster>,
    lang: Lang,
    scans: &mut InputScans,
) -> (Vec<Diagnostic>, Option<Patched>) {
    let patch = Patch::apply(&mut site.portal, raw, files);
    let (diags, verdict) = judge(&mut site.portal, index, sources, roster, lang, scans);
    match verdict {
        Some(v) if apply => {
            let portal = std::mem::replace(&mut site.portal, empty_like(raw));
            let old = std::mem::replace(site, v.site(portal, checks));
            (diags, Some(Patched { patch, old }))
        }
        _ => {
            patch.revert(&mut site.portal);
            (diags, None)
        }
    }
}

/// What [`run_patched`] replaced in a site it updated.
pub struct Patched {
    patch: Patch,
    /// The site before, without its portal.
    old: PublicSite,
}

/// Makes `site` the one [`run_patched`] updated again.
pub fn unpatch(site: &mut PublicSite, patched: Patched) {
    let Patched { patch, mut old } = patched;
    let placeholder = empty_like(&site.portal);
    old.portal = std::mem::replace(&mut site.portal, placeholder);
    patch.revert(&mut old.portal);
    *site = old;
}

/// A portal with `like`'s settings and nothing else, to hold a place.
fn empty_like(like: &Portal) -> Portal {
    Portal {
        config: like.config.clone(),
        records: Default::default(),
        pages: Vec::new(),
        dates: Default::default(),
        attachments: Vec::new(),
    }
}

/// What [`Patch::apply`] replaced in a public portal, to put it back.
struct Patch {
    records: Vec<(FileId, crate::model::Records)>,
    pages: Option<Vec<crate::model::Page>>,
    exits: Vec<crate::model::Exit>,
    dates: Vec<(FileId, Option<chrono::NaiveDate>)>,
}

impl Patch {
    /// Puts `raw`'s records and documents of `files` in the place of
    /// `public`'s, with every raw sensitive and exit record (the gate makes
    /// them public again: an exit's indicators are withheld by its area's
    /// figures, which may be in another file).
    fn apply(public: &mut Portal, raw: &Portal, files: &[FileId]) -> Patch {
        // A file edited twice is put in once: the undo takes the site's own.
        let mut files = files.to_vec();
        files.sort_unstable();
        files.dedup();
        let exits = std::mem::replace(&mut public.exits, raw.exits.clone());
        public.progress = raw.progress.clone();
        public.relapses = raw.relapses.clone();
        let records = files
            .iter()
            .map(|&f| (f, public.records.splice_file(f, raw.records.of_file(f))))
            .collect();
        let has_page = |p: &Portal, f: FileId| !crate::model::file_range(&p.pages, f).is_empty();
        let pages = files
            .iter()
            .any(|&f| has_page(public, f) || has_page(raw, f))
            .then(|| std::mem::replace(&mut public.pages, raw.pages.clone()));
        let dates = files
            .iter()
            .map(|&f| {
                let old = public.dates.by_file.remove(&f);
                if let Some(d) = raw.dates.of(f) {
                    public.dates.by_file.insert(f, d);
                }
                (f, old)
            })
            .collect();
        Patch {
            records,
            pages,
            exits,
            dates,
        }
    }

    /// Puts back what [`Patch::apply`] replaced; the raw sensitive records
    /// are cleared again.
    fn revert(self, public: &mut Portal) {
        for (f, old) in self.records.into_iter().rev() {
            public.records.splice_file(f, old);
        }
        if let Some(pages) = self.pages {
            public.pages = pages;
        }
        public.exits = self.exits;
        public.progress.clear();
        public.relapses.clear();
        for (f, old) in self.dates {
            public.dates.by_file.remove(&f);
            if let Some(d) = old {
                public.dates.by_file.insert(f, d);
            }
        }
    }
}

/// The official numbers of `[privacy] allow`, normalised for comparison.
fn allowlist(portal: &Portal) -> HashSet<String> {
    portal
        .config
        .privacy
        .allow
        .iter()
        .map(|a| normalise(&a.value))
        .collect()
}

/// Every `privacy_ack`, from data files and from front matter.
fn acknowledgements(portal: &Portal) -> Vec<&PrivacyAck> {
    portal
        .acks
        .iter()
        .chain(portal.pages.iter().flat_map(|p| p.acks.iter()))
        .collect()
}

/// The kind of personal number an acknowledged value is, if it is one: a
/// valid resident ID, mobile or card can never be released by an
/// acknowledgement (only values such as project codes can).
fn personal_kind(value: &str) -> Option<IdentifierKind> {
    use IdentifierKind::*;
    scan::scan(value)
        .into_iter()
        .map(|f| f.kind)
        .find(|k| match k {
            ResidentId | ResidentIdOld | Mobile => true,
            // A number with a bank's prefix that fails the card check is
            // refused (a mistyped card), but may be a contract number.
            BankCard => scan::luhn_valid(&normalise(value)),
            Email => false,
        })
}

/// Digits only for numbers (without a +86 prefix), lowercase for addresses.
fn normalise(value: &str) -> String {
    if value.contains('@') {
        return value.trim().to_lowercase();
    }
    let digits: String = reading::canonical(value)
        .text()
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == 'X' || *c == 'x')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    for prefix in ["0086", "86"] {
        if digits.len() == 11 + prefix.len() && digits.starts_with(prefix) {
            return digits[prefix.len()..].to_string();
        }
    }
    digits
}

fn scan_inputs(
    sources: &Sources,
    scans: &InputScans,
    allowed: &HashSet<String>,
    acks: &[&PrivacyAck],
    lang: Lang,
) -> (Vec<Diagnostic>, Vec<AckView>) {
    let mut by_file: HashMap<FileId, Vec<&PrivacyAck>> = HashMap::new();
    for a in acks {
        by_file.entry(a.file).or_default().push(a);
    }
    let mut diags = Vec::new();
    let mut used: HashSet<(FileId, String)> = HashSet::new();
    for (file, source) in sources.iter() {
        let file_acks = by_file.get(&file).map(Vec::as_slice).unwrap_or(&[]);
        for f in scans.ids(file) {
            // An acknowledgement's own value is not a use of it.
            let own = |a: &&PrivacyAck| {
                a.value.span.range.start <= f.range.start && f.range.end <= a.value.span.range.end
            };
            if file_acks.iter().any(own) {
                continue;
            }
            let value = normalise(&source.text[f.range.clone()]);
            if allowed.contains(&value) {
                continue;
            }
            let releases = |a: &&PrivacyAck| {
                normalise(&a.value.value) == value && personal_kind(&a.value.value).is_none()
            };
            if file_acks.iter().any(releases) {
                used.insert((file, value));
                continue;
            }
            let span = Span {
                file,
                range: f.range.clone(),
            };
            diags.push(identifier_diagnostic(f, Some(span), None, lang));
        }
    }
    let mut views = Vec::new();
    for a in acks {
        let value = normalise(&a.value.value);
        let kind = scan::scan(&a.value.value)
            .first()
            .map(|f| f.kind)
            .unwrap_or(IdentifierKind::BankCard);
        views.push(AckView {
            file: sources.get(a.file).name.clone(),
            value: scan::mask(kind, &a.value.value),
            reason: a.reason.value.clone(),
        });
        if let Some(kind) = personal_kind(&a.value.value) {
            let name = match lang {
                Lang::Zh => kind.name_zh(),
                Lang::En => kind.name_en(),
            };
            let masked = scan::mask(kind, &a.value.value);
            diags.push(
                Diagnostic::error(
                    "privacy.ack-personal",
                    Msg::AckPersonal { kind: name }.text(lang),
                )
                .at(a.value.span.clone(), masked.clone())
                .expected_found(
                    match lang {
                        Lang::Zh => "不是身份证号、手机号或银行卡号",
                        Lang::En => "not a resident ID, mobile or card number",
                    },
                    masked,
                )
                .hint(Msg::AckPersonalHint.text(lang)),
            );
        } else if !used.contains(&(a.file, value)) {
            diags.push(
                Diagnostic::warning("privacy.ack-unused", Msg::AckUnused.text(lang))
                    .at(a.value.span.clone(), Msg::LabelHere.text(lang)),
            );
        }
    }
    (diags, views)
}

fn roster_inputs(sources: &Sources, scans: &InputScans, lang: Lang) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (file, source) in sources.iter() {
        for hit in scans.names(file) {
            let msg = Msg::RosterNameFound {
                masked: &hit.masked,
                path: &source.name,
            };
            diags.push(
                Diagnostic::error("privacy.roster-name", msg.text(lang))
                    .at(
                        Span {
                            file,
                            range: hit.range.clone(),
                        },
                        hit.masked.clone(),
                    )
                    .hint(Msg::RosterHint.text(lang)),
            );
        }
    }
    diags
}

/// A copy of `sources` fit to print beside findings: every identifier the
/// scanner finds and every roster name is masked in place, in the text and in
/// file names (`110105********002X`, `王＊＊`). Byte offsets and character
/// columns are kept, so every span still points at the same place, but the
/// source lines quoted under a finding never show what the finding hides.
pub fn redact(sources: &Sources, diags: &[Diagnostic], roster: Option<&Roster>) -> Sources {
    // Only files that findings quote are ever shown: redact just those.
    let mut shown: Vec<FileId> = diags
        .iter()
        .flat_map(|d| d.labels.iter().map(|l| l.span.file))
        .collect();
    shown.sort_unstable();
    shown.dedup();
    let mut out = sources.clone();
    for id in shown {
        let file = sources.get(id);
        let text = redact_text(&file.text, roster);
        let name = redact_text(&file.name, roster);
        if text.is_some() || name.is_some() {
            let text = text.map_or_else(|| file.text.clone(), Into::into);
            let name = name.unwrap_or_else(|| file.name.clone());
            out.replace(
                id,
                crate::source::SourceFile::new(name, file.path.clone(), text),
            );
        }
    }
    out
}

/// `diags` with every identifier in their words masked: messages, fields,
/// expected and found values, hints and labels. Findings of other stages
/// quote what was written (an unknown field's name, a reference, a link);
/// printed in a terminal or a CI log, none of it may show a personal number.
pub fn redact_messages(diags: &[Diagnostic]) -> Vec<Diagnostic> {
    let mask = |s: &mut String| {
        if let Some(r) = redact_text(s, None) {
            *s = r;
        }
    };
    diags
        .iter()
        .map(|d| {
            let mut d = d.clone();
            mask(&mut d.message);
            for s in [&mut d.field, &mut d.expected, &mut d.found, &mut d.hint]
                .into_iter()
                .flatten()
            {
                mask(s);
            }
            for l in &mut d.labels {
                mask(&mut l.text);
            }
            d
        })
        .collect()
}

/// `text` with identifiers and roster names masked, or `None` if it has none.
fn redact_text(text: &str, roster: Option<&Roster>) -> Option<String> {
    let findings = scan::scan(text);
    let names = roster.map(|r| r.find(text)).unwrap_or_default();
    if findings.is_empty() && names.is_empty() {
        return None;
    }
    let mut out = text.to_string();
    for f in &findings {
        let written = &text[f.range.clone()];
        let masked = if !reading::is_plain(written.as_bytes()) {
            // Written with entities, escapes, tags or other digits: every
            // character but spaces is hidden.
            written
                .chars()
                .map(|c| {
                    if c.is_whitespace() {
                        c
                    } else {
                        same_width_mask(c)
                    }
                })
                .collect()
        } else if f.kind == IdentifierKind::Email {
            // Keep the first character of the local part and the domain.
            let at = written.find('@').unwrap_or(written.len());
            written
                .char_indices()
                .map(|(i, c)| {
                    if i == 0 || i >= at || c.is_whitespace() {
                        c
                    } else {
                        same_width_mask(c)
                    }
                })
                .collect()
        } else {
            // The significant characters line up with the masked value from
            // its end (a `+86` prefix is not part of it and stays).
            let shown: Vec<char> = f.masked.chars().collect();
            let is_significant = |c: char| scan::fold(c).is_some_and(|f| f.is_ascii_alphanumeric());
            let significant = written.chars().filter(|&c| is_significant(c)).count();
            let skip = significant.saturating_sub(shown.len());
            let mut i = 0usize;
            written
                .chars()
                .map(|c| {
                    if !is_significant(c) {
                        return c;
                    }
                    i += 1;
                    let keep = i <= skip || shown.get(i - skip - 1).is_some_and(|m| *m != '*');
                    if keep { c } else { same_width_mask(c) }
                })
                .collect::<String>()
        };
        out.replace_range(f.range.clone(), &masked);
    }
    for hit in &names {
        let masked: String = text[hit.range.clone()]
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if i == 0 || c.is_whitespace() {
                    c
                } else {
                    same_width_mask(c)
                }
            })
            .collect();
        out.replace_range(hit.range.clone(), &masked);
    }
    Some(out)
}

/// A mask character as long in UTF-8 as `c`, so byte offsets stay valid.
fn same_width_mask(c: char) -> char {
    match c.len_utf8() {
        1 => '*',
        2 => '\u{b7}',
        3 => '\u{ff0a}',
        _ => '\u{1f512}',
    }
}

/// The finding for an identifier: never prints the full value.
pub fn identifier_diagnostic(
    f: &Finding,
    span: Option<Span>,
    output: Option<&str>,
    lang: Lang,
) -> Diagnostic {
    let kind = match lang {
        Lang::Zh => f.kind.name_zh(),
        Lang::En => f.kind.name_en(),
    };
    let mut d = Diagnostic::error(f.kind.rule_id(), Msg::IdentifierFound { kind }.text(lang))
        .expected_found(
            match lang {
                Lang::Zh => "不含个人号码",
                Lang::En => "no personal numbers",
            },
            f.masked.clone(),
        )
        .hint(Msg::IdentifierHint.text(lang));
    if let Some(span) = span {
        d = d.at(span, f.masked.clone());
    }
    if let Some(path) = output {
        d = d.field(path.to_string());
    }
    d
}

/// Defence in depth: scans every rendered file (HTML, CSV, JSON, feeds,
/// search index) before it is written. Any hit refuses the whole build.
pub fn scan_output(
    files: &[OutputFile],
    site: &PublicSite,
    roster: Option<&Roster>,
    lang: Lang,
) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    files
        .par_iter()
        .flat_map_iter(|file| scan_output_file(file, site, roster, lang))
        .collect()
}

/// The output scan of one file, as it is written.
pub fn scan_output_file(
    file: &OutputFile,
    site: &PublicSite,
    roster: Option<&Roster>,
    lang: Lang,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    // The file's path is published too (a page named after a person or
    // a number); it is printed masked.
    let path = redact_text(&file.path, roster).unwrap_or_else(|| file.path.clone());
    let html = file.path.ends_with(".html");
    // Rendered pages are UTF-8 by construction and the scanners match ASCII,
    // so pages are read as bytes; any other file only if it is text. Each
    // is read canonically (`reading`): tags dropped and their attribute
    // values read apart, entities, escapes and percent-encoding decoded.
    let content: &[u8] = if html || simdutf8::basic::from_utf8(&file.bytes).is_ok() {
        &file.bytes
    } else {
        b""
    };
    let mut seen = HashSet::new();
    for text in [file.path.as_bytes(), content] {
        for f in scan::scan_bytes(text) {
            let written = text.get(f.range.clone()).unwrap_or_default();
            let value = normalise(&String::from_utf8_lossy(written));
            // A summary cut inside an allowed number (`6222021234567890…`)
            // shows a part of that number.
            let cut = text
                .get(f.range.end..)
                .is_some_and(|r| r.starts_with("…".as_bytes()));
            let allowed = site.allowed.contains(&value)
                || (cut && site.allowed.iter().any(|a| a.starts_with(&value)));
            if !allowed && seen.insert(value) {
                diags.push(identifier_diagnostic(&f, None, Some(&path), lang));
            }
        }
        let hits = roster.map(|r| r.find(&String::from_utf8_lossy(text)));
        for hit in hits.unwrap_or_default() {
            if !seen.insert(hit.masked.clone()) {
                continue;
            }
            let msg = Msg::RosterNameFound {
                masked: &hit.masked,
                path: &path,
            };
            diags.push(
                Diagnostic::error("privacy.roster-name", msg.text(lang))
                    .field(path.clone())
                    .hint(Msg::RosterHint.text(lang)),
            );
        }
    }
    diags
}

/// The preview server's fast path: the body of one page changed and nothing
/// else. Scans the file's new text like any input; only when it is clean does
/// the new body enter the public site. `link_runs` is the page's new number of
/// `.md` links, so the check report stays what a full build would publish.
pub fn update_page_body(
    site: &mut PublicSite,
    sources: &Sources,
    file: FileId,
    body: String,
    link_delta: i64,
    roster: Option<&Roster>,
    lang: Lang,
) -> Vec<Diagnostic> {
    let allowed = allowlist(&site.portal);
    let acks = acknowledgements(&site.portal);
    let one = sources.only(file);
    let mut scans = InputScans::default();
    scans.refresh(&one, roster);
    let (mut diags, _) = scan_inputs(&one, &scans, &allowed, &acks, lang);
    diags.retain(|d| d.labels.iter().all(|l| l.span.file == file) || d.labels.is_empty());
    if roster.is_some() {
        diags.extend(roster_inputs(&one, &scans, lang));
    }
    if let Some(page) = site.portal.pages.iter().find(|p| p.file == file) {
        diags.extend(prose_counts(&site.portal, &site.index, page, &body, lang));
    }
    diags.extend(individual::roster_shapes(&one, lang));
    if diags.iter().any(Diagnostic::is_error) {
        return diags;
    }
    if let Some(page) = site.portal.pages.iter_mut().find(|p| p.file == file) {
        page.body = body.into();
    }
    if let Some(run) = site.checks.iter_mut().find(|r| r.rule == "refs.link") {
        run.records = (run.records as i64 + link_delta).max(0) as usize;
    }
    diags
}

/// What an edit of the `changed` files can change in documents' prose-count
/// keys, read with the same lookups as the last run: the areas of those
/// files with every area under them (a key holds the names and figures of
/// a document's area and the areas above it), and the files themselves.
/// With the same lookups, every area keeps its id and parent, so an area
/// in no changed file, under none, has the same key fields as last time.
struct ProseReach<'p> {
    areas: HashSet<&'p str>,
    files: HashSet<FileId>,
}

fn prose_reach<'p>(portal: &'p Portal, ix: &Index, changed: &[FileId]) -> ProseReach<'p> {
    use crate::model::InFile;
    let files: HashSet<FileId> = changed.iter().copied().collect();
    let mut areas = HashSet::new();
    let mut todo: Vec<&str> = (portal.areas.iter())
        .filter(|a| files.contains(&a.file()))
        .map(|a| a.id.value.as_str())
        .collect();
    while let Some(id) = todo.pop() {
        if areas.insert(id) {
            let children = ix.children.get(id).map_or(&[][..], Vec::as_slice);
            todo.extend(children.iter().map(|&i| portal.areas[i].id.value.as_str()));
        }
    }
    ProseReach { areas, files }
}

/// [`prose_counts`] of every document, in order; a document whose text and
/// area figures are those of the last run keeps its last findings. With
/// `reach`, a document it does not reach keeps them without comparing.
fn all_prose_counts(
    portal: &Portal,
    ix: &Index,
    sources: &Sources,
    scans: &mut InputScans,
    lang: Lang,
    reach: Option<ProseReach>,
) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let k = portal.config.privacy.min_count;
    let key = |page: &crate::model::Page| prose_key(portal, ix, sources, page, k, lang);
    let unchanged = |page: &crate::model::Page, last: &ProseKey| {
        prose_key_holds(portal, ix, sources, page, k, lang, last)
    };
    let unreached = |page: &crate::model::Page| {
        reach.as_ref().is_some_and(|r| {
            !r.files.contains(&page.file)
                && page
                    .area
                    .as_ref()
                    .is_some_and(|a| !r.areas.contains(a.value.as_str()))
        })
    };
    let cache = &scans.prose;
    let found: Vec<(FileId, Option<ProseKey>, Vec<Diagnostic>)> = portal
        .pages
        .par_iter()
        .map(|page| {
            if let Some((last, diags)) = cache.get(&page.file) {
                if unreached(page) || unchanged(page, last) {
                    return (page.file, None, diags.clone());
                }
            }
            let key = key(page);
            let diags = prose_counts(portal, ix, page, &page.body, lang);
            (page.file, key, diags)
        })
        .collect();
    let mut out = Vec::new();
    for (file, key, diags) in found {
        if let Some(key) = key {
            scans.prose.insert(file, (key, diags.clone()));
        }
        out.extend(diags);
    }
    out
}

/// What [`prose_counts`] reads for `page`: `None` when it has no area.
fn prose_key(
    portal: &Portal,
    ix: &Index,
    sources: &Sources,
    page: &crate::model::Page,
    k: u64,
    lang: Lang,
) -> Option<ProseKey> {
    let area = page.area.as_ref().and_then(|a| portal.area(ix, &a.value))?;
    if (page.file.0 as usize) >= sources.len() {
        return None;
    }
    Some(ProseKey {
        text: sources.get(page.file).text.clone(),
        body_offset: page.body_offset,
        body_len: page.body.len(),
        k,
        area: area.name.value.clone(),
        households: area.households.as_ref().map(|h| h.value),
        population: area.population.as_ref().map(|h| h.value),
        larger: portal
            .area_path(ix, &area.id.value)
            .iter()
            .map(|a| format!("{}:{}", a.level.value.depth(), a.name.value))
            .collect(),
        lang,
    })
}

/// Whether [`prose_key`] would give `last` again, compared where it stands
/// (a province has 20,000 pages, nearly all unchanged by an edit): the key
/// is made only for a page that is read again.
fn prose_key_holds(
    portal: &Portal,
    ix: &Index,
    sources: &Sources,
    page: &crate::model::Page,
    k: u64,
    lang: Lang,
    last: &ProseKey,
) -> bool {
    let Some(area) = page.area.as_ref().and_then(|a| portal.area(ix, &a.value)) else {
        return false;
    };
    let path = portal.area_path(ix, &area.id.value);
    (page.file.0 as usize) < sources.len()
        && std::sync::Arc::ptr_eq(&last.text, &sources.get(page.file).text)
        && (last.body_offset, last.body_len, last.k, last.lang)
            == (page.body_offset, page.body.len(), k, lang)
        && last.area == area.name.value
        && last.households == area.households.as_ref().map(|h| h.value)
        && last.population == area.population.as_ref().map(|h| h.value)
        && last.larger.len() == path.len()
        && last.larger.iter().zip(&path).all(|(l, a)| {
            l.split_once(':').is_some_and(|(depth, name)| {
                depth.parse() == Ok(a.level.value.depth()) && name == a.name.value
            })
        })
}

/// For `tests/incremental.rs`: whether comparing `page`'s prose-count key
/// in place against the one made over `before` says "unchanged" exactly
/// when a key made afresh over `after` is equal (`None`: `page` has no key
/// over `before`).
#[doc(hidden)]
pub fn prose_key_agrees(
    before: &Portal,
    after: &Portal,
    sources: &Sources,
    page: &crate::model::Page,
    k: u64,
    lang: Lang,
) -> Option<bool> {
    let last = prose_key(before, &Index::build(before), sources, page, k, lang)?;
    let ix = Index::build(after);
    let fresh = prose_key(after, &ix, sources, page, k, lang);
    Some(
        prose_key_holds(after, &ix, sources, page, k, lang, &last)
            == (fresh.as_ref() == Some(&last)),
    )
}

/// Refuses small counts written in the prose of a village's (or group's) page.
fn prose_counts(
    portal: &Portal,
    ix: &Index,
    page: &crate::model::Page,
    body: &str,
    lang: Lang,
) -> Vec<Diagnostic> {
    let Some(area) = page.area.as_ref().and_then(|a| portal.area(ix, &a.value)) else {
        return Vec::new();
    };
    if area.level.value.depth() < 2 {
        return Vec::new();
    }
    let k = portal.config.privacy.min_count;
    let households = area.households.as_ref().map(|h| h.value);
    let population = area.population.as_ref().map(|h| h.value);
    let larger: Vec<&str> = portal
        .area_path(ix, &area.id.value)
        .iter()
        .filter(|a| a.level.value.depth() < 2)
        .map(|a| a.name.value.as_str())
        .collect();
    let reading = prose::normalise(body);
    let sentences = prose::household_sentences_read(body, &reading)
        .into_iter()
        .map(|hit| {
            let span = Span {
                file: page.file,
                range: page.body_offset + hit.range.start..page.body_offset + hit.range.end,
            };
            let msg = Msg::HouseholdSentence {
                shown: &hit.shown,
                area: &area.name.value,
            };
            Diagnostic::error("privacy.individual-record", msg.text(lang))
                .at(span, hit.shown.clone())
                .hint(Msg::IndividualHint.text(lang))
        });
    prose::small_counts_read(body, &reading, k, households, population, &larger)
        .into_iter()
        .map(|hit| {
            let span = Span {
                file: page.file,
                range: page.body_offset + hit.range.start..page.body_offset + hit.range.end,
            };
            let msg = if hit.is_percent {
                Msg::ProsePercent {
                    shown: &hit.shown,
                    area: &area.name.value,
                    k,
                }
            } else {
                Msg::ProseCount {
                    shown: &hit.shown,
                    area: &area.name.value,
                    k,
                }
            };
            Diagnostic::error("privacy.small-count", msg.text(lang))
                .at(span, hit.shown.clone())
                .expected_found(format!("0 | >= {k}"), hit.shown.clone())
                .hint(Msg::ProseHint.text(lang))
        })
        .chain(sentences)
        .collect()
}

/// An exit indicator given as a percentage of a small area's people (e.g.
/// poverty incidence 0.63 % of 317 people = 2 people) is published only as
/// met or not met.
fn withhold_revealing_indicators(portal: &mut Portal, ix: &Index, k: u64) {
    let limits: HashMap<String, rust_decimal::Decimal> = portal
        .config
        .exit_indicators
        .iter()
        .filter_map(|i| i.below.map(|b| (i.key.clone(), b)))
        .collect();
    // The areas' level and people, looked up before the exits are changed.
    let bases: Vec<Option<(u8, Option<u64>)>> = portal
        .exits
        .iter()
        .map(|e| {
            let a = portal.area(ix, &e.area.value)?;
            Some((
                a.level.value.depth(),
                a.population.as_ref().map(|p| p.value),
            ))
        })
        .collect();
    for (exit, base) in portal.exits.iter_mut().zip(bases) {
        let Some((depth, population)) = base else {
            continue;
        };
        if depth < 2 {
            continue;
        }
        for (key, value) in &mut exit.indicators {
            let crate::model::IndicatorValue::Percent(p) = value.value else {
                continue;
            };
            let reveals = population.is_some_and(|pop| {
                let n = p * rust_decimal::Decimal::from(pop) / rust_decimal::Decimal::from(100);
                n > rust_decimal::Decimal::ZERO && n < rust_decimal::Decimal::from(k)
            });
            if let (true, Some(limit)) = (reveals, limits.get(&key.value)) {
                value.value = crate::model::IndicatorValue::Met(p < *limit);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Masking keeps every line break and the byte length: a finding after
    /// an identifier written across lines is still shown at its own line.
    #[test]
    fn masking_keeps_the_lines_and_the_lengths() {
        let identifiers = [
            "zhangsan\n@qq.com",
            "zhangsan @\nqq.com",
            "zhangsan [at]\nqq [dot] com",
            "139\n1234 5678",
            "139  \r\n12345678",
            "110105\n19491231002X",
            "6222 0212\n3456 7890 128",
            "１３９\n１２３４５６７８",
        ];
        for id in identifiers {
            for before in ["", "第一行\n", "a\r\n\n"] {
                let text = format!("{before}联系：{id}。\n下一行 13912345678\n");
                let masked = redact_text(&text, None).expect("found");
                assert_eq!(masked.len(), text.len(), "{text:?}");
                let lines = |t: &str| t.match_indices('\n').map(|(i, _)| i).collect::<Vec<_>>();
                assert_eq!(lines(&masked), lines(&text), "{text:?} -> {masked:?}");
                assert!(!masked.contains("13912345678"), "{masked:?}");
            }
        }
    }
}
