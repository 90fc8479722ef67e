//! Every rule id a finding can carry, in one registry: [`RuleId`], its stable
//! text (`as_str`, what the JSON output and `docs/checks.md` show) and one line
//! saying what it checks. `Diagnostic::error` takes a `RuleId` (or, for code
//! not yet moved over, the same text); `tests/architecture.rs` checks that the
//! registry, the ids written in the sources and `docs/checks.md` agree.
//! A leaf module: it imports nothing of the crate.

macro_rules! rules {
    ($($variant:ident = $id:literal, $doc:literal;)*) => {
        /// A rule of the checker, the loader, the privacy gate or the writer.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RuleId {
            $(#[doc = $doc] $variant,)*
        }

        impl RuleId {
            /// Every rule, in the registry's order.
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant,)*];

            /// The stable id, e.g. `funds.total`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $id,)*
                }
            }

            /// One line saying what the rule checks (English, for the docs).
            pub const fn doc(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $doc,)*
                }
            }
        }
    };
}

rules! {
    FundsTotal = "funds.total", "a fund breakdown's total = villagers + fiscal + social";
    FundsVillagers = "funds.villagers", "villagers = cash + labour_value";
    FundsFiscalLevels = "funds.fiscal-levels", "fiscal = the sum of [funds.fiscal_levels]";
    FundsLabourValue = "funds.labour-value", "labour_value = labour_days × labour_rate ÷ 10000";
    ProgrammeTotal = "programme.total", "a programme's funds equal the sum over its projects";
    ProgrammeProjects = "programme.projects", "stated.projects = the sum of the projects' count";
    ProgrammeCategories = "programme.categories", "stated.categories = the number of distinct project categories";
    ProgrammeStatus = "programme.status", "the stated status counts equal the projects of each status";
    ProgrammeAreas = "programme.areas", "stated.townships and stated.villages = what covers lists";
    PolicyShare = "policy.share", "a declared share holds: part = ratio × whole";
    CountsPeopleHouseholds = "counts.people-households", "people ≥ households";
    CountsLabourers = "counts.labourers", "labourers ≤ people";
    CountsBeneficiaries = "counts.beneficiaries", "beneficiaries ≤ the population of the area covered";
    CountsChildren = "counts.children", "an area's children add up to no more than the area";
    CountsPercent = "counts.percent", "percentages lie within 0–100";
    CountsNegative = "counts.negative", "no count or amount is negative";
    ProgressRemaining = "progress.remaining", "start − done = remaining";
    ProgressDone = "progress.done", "done ≤ start; this year's goal ≤ remaining";
    ProgressIncidence = "progress.incidence", "stated incidence = remaining people ÷ population × 100";
    ExitIndicators = "exit.indicators", "an exit record lists each configured indicator, met when exited";
    RelocationHousing = "relocation.housing", "relocation housing ≤ 25 m² per person";
    RefsUniqueId = "refs.unique-id", "ids are unique within their kind";
    RefsResolve = "refs.resolve", "every reference (area, programme, plan) resolves";
    RefsHierarchy = "refs.hierarchy", "areas nest county → township → village → group";
    RefsLink = "refs.link", "a link to another document points at an existing .md file";
    DatesInYear = "dates.in-year", "milestones and dated activities fall inside their year";
    DatesMilestoneOrder = "dates.milestone-order", "a plan's milestones are listed in date order";
    NoticePeriod = "notice.period", "a public notice stays posted at least 10 days";
    ShortcodeSyntax = "shortcode.syntax", "a shortcode is well written";
    ShortcodeUnknown = "shortcode.unknown", "a shortcode is one cunwu knows";
    ShortcodeResolve = "shortcode.resolve", "a shortcode names existing records";
    LimitShortcodes = "limit.shortcodes", "a document has at most 500 shortcodes";
    LimitNesting = "limit.nesting", "a document nests at most 100 levels deep";
    LimitFileSize = "limit.file-size", "an input file is not larger than the limit";
    LimitFigure = "limit.figure", "a figure is within the limits of its kind";
    LimitRecords = "limit.records", "a portal has no more records than the limit";
    LimitPageSize = "limit.page-size", "a written page is not larger than 8 MiB";
    LoadRead = "load.read", "a file can be read";
    LoadNotUtf8 = "load.not-utf8", "a text file is UTF-8";
    LoadNotAFile = "load.not-a-file", "an input is a regular file inside the portal";
    LoadNoConfig = "load.no-config", "the portal has a cunwu.toml";
    LoadTomlSyntax = "load.toml-syntax", "a TOML file is well formed";
    LoadFrontMatter = "load.front-matter", "a document's front matter is well formed";
    LoadUnknownFile = "load.unknown-file", "every file is one cunwu reads";
    LoadUnknownKind = "load.unknown-kind", "every table of a data file is a known kind";
    LoadUnknownField = "load.unknown-field", "every field is a known one";
    LoadMissingField = "load.missing-field", "every required field is given";
    LoadWrongType = "load.wrong-type", "a field's value has the right type";
    LoadBadId = "load.bad-id", "an id is made of page-address characters";
    LoadBadNumber = "load.bad-number", "a number or amount is well written";
    LoadBadDate = "load.bad-date", "a date is well written";
    LoadBadYear = "load.bad-year", "a year is well written";
    LoadNotAllowed = "load.not-allowed", "a value is one of the field's choices";
    ConfigBaseUrl = "config.base-url", "base_url is an absolute http(s) address";
    PrivacyResidentId = "privacy.resident-id", "no resident ID number (18 digits) is published";
    PrivacyResidentId15 = "privacy.resident-id-15", "no old resident ID number (15 digits) is published";
    PrivacyMobile = "privacy.mobile", "no mobile number is published";
    PrivacyBankCard = "privacy.bank-card", "no bank card number is published";
    PrivacyEmail = "privacy.email", "no e-mail address is published";
    PrivacyRosterName = "privacy.roster-name", "no name from the roster is published";
    PrivacyRosterRead = "privacy.roster-read", "the roster can be read";
    PrivacyRosterLocation = "privacy.roster-location", "the roster is kept outside the portal";
    PrivacyIndividualRecord = "privacy.individual-record", "no record about one household or person";
    PrivacySmallCount = "privacy.small-count", "no small count of monitored households is published";
    PrivacyMinCount = "privacy.min-count", "[privacy] min_count is not below the floor";
    PrivacyPrivatePath = "privacy.private-path", "a [privacy] private path is well formed";
    PrivacyPrivatePathMissing = "privacy.private-path-missing", "a [privacy] private path exists";
    PrivacyLink = "privacy.link", "a link does not lead outside the portal or to private files";
    PrivacyAckPersonal = "privacy.ack-personal", "an acknowledgement does not cover personal data";
    PrivacyAckUnused = "privacy.ack-unused", "an acknowledgement is used";
    RenderTemplate = "render.template", "a template renders";
    RenderPathClash = "render.path-clash", "no two pages are written to one path";
    RenderPruned = "render.pruned", "the preview skipped no page whose context changed (tests)";
    WriteOutput = "write.output", "--output may be replaced and is written";
    LoadSheet = "load.sheet", "a spreadsheet can be read and each sheet is a known kind";
    LoadColumn = "load.column", "a sheet's columns are known, once each, with every required one";
    YearsDuplicate = "years.duplicate", "one record per area (and kind of progress) and year";
    YearsCarry = "years.carry", "this year's start = last year's remaining (or the same baseline); a plan target stays the same";
    YearsDone = "years.done", "cumulative done never decreases from one year to a later one";
    YearsExit = "years.exit", "a village that exited stays exited, or the later record gives change_reason";
    YearsCurrent = "years.current", "an area's own figures equal its latest year's [[area_year]]";
    ProseFigure = "prose.figure", "an amount or count written in a document or summary is a figure of its record";
    CorrectionDocumented = "correction.documented", "a correction changes the stated figure";
    RenderNoQr = "render.no-qr", "公示 sheets and village posters carry a QR code (base_url is set)";
    AttachmentKind = "attachment.kind", "a file of static/ is an image or a PDF";
    AttachmentRead = "attachment.read", "a file of static/ can be read and is a whole image or PDF";
    AttachmentSize = "attachment.size", "a file of static/ is not larger than [attachments] max_size_kb";
    AttachmentPdfText = "attachment.pdf-text", "a PDF of static/ has text the privacy gate can read";
    AttachmentLink = "attachment.link", "a link to /static/… names a file of static/";
}

impl RuleId {
    /// The rule whose id is `s`.
    pub fn parse(s: &str) -> Option<RuleId> {
        RuleId::ALL.iter().copied().find(|r| r.as_str() == s)
    }
}

impl From<RuleId> for &'static str {
    fn from(r: RuleId) -> &'static str {
        r.as_str()
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::RuleId;

    #[test]
    fn ids_are_unique_and_parse_back() {
        let mut seen = std::collections::BTreeSet::new();
        for r in RuleId::ALL {
            assert!(seen.insert(r.as_str()), "{r} twice");
            assert_eq!(RuleId::parse(r.as_str()), Some(*r));
            assert!(!r.doc().is_empty());
        }
    }
}
