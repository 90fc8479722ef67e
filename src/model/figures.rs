//! The named figures of a record that prose may quote: a programme's funds
//! and stated counts, a project's funds, count and beneficiaries, an area's
//! households, population and labourers. The `figure` shortcode prints one
//! of them (`{{< figure programme="…" field="total" >}}`); the checker's
//! `prose.figure` rule compares the amounts and counts written by hand in a
//! document or summary with them.

use rust_decimal::Decimal;

use super::*;

/// What a figure counts; a figure written in prose is compared only with
/// figures of the same kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Unit {
    /// Money, compared in 元 (万元 × 10000).
    Yuan,
    /// 户.
    Households,
    /// 人, 名, 人次.
    People,
    /// 个, 条, 座, 处, 项… (projects, villages, bridges, labour days).
    Things,
}

/// One named figure of a record.
#[derive(Debug, Clone)]
pub struct Figure {
    /// The `field` a `figure` shortcode names: `total`, `fiscal.city`, `projects`.
    pub key: String,
    /// What it is, in Chinese: `总投资`, `公布的项目个数`.
    pub what: String,
    /// The value in the unit it is written in (`899.04` for 万元).
    pub value: Decimal,
    /// The unit it is written with: `万元`, `元`, `户`, `人`, `个`, `类`, `个工日`.
    pub unit: &'static str,
    pub kind: Unit,
    /// Where the figure is written in the data.
    pub span: Option<Span>,
}

impl Figure {
    pub fn money_wan(key: impl Into<String>, what: impl Into<String>, wan: Decimal) -> Figure {
        Figure {
            key: key.into(),
            what: what.into(),
            value: wan,
            unit: "万元",
            kind: Unit::Yuan,
            span: None,
        }
    }

    pub fn at(mut self, span: &Span) -> Figure {
        self.span = Some(span.clone());
        self
    }

    pub fn count(key: &str, what: &str, n: u64, unit: &'static str, kind: Unit) -> Figure {
        Figure {
            key: key.to_string(),
            what: what.to_string(),
            value: Decimal::from(n),
            unit,
            kind,
            span: None,
        }
    }

    /// The value in its kind's base unit: 元 for money, the count otherwise.
    pub fn base_value(&self) -> Decimal {
        match self.unit {
            "万元" => self.value * Decimal::from(10_000),
            _ => self.value,
        }
    }
}

/// The printable figures of a fund breakdown.
pub fn of_funds(f: &Funds) -> Vec<Figure> {
    let mut out = vec![Figure::money_wan("total", "总投资", f.total.value).at(&f.total.span)];
    let mut wan = |key: &str, what: &str, v: &Option<At<Decimal>>| {
        if let Some(v) = v {
            out.push(Figure::money_wan(key, what, v.value).at(&v.span));
        }
    };
    wan("villagers", "群众筹资投劳", &f.villagers);
    wan("cash", "群众筹资", &f.cash);
    wan("labour_value", "投劳折资", &f.labour_value);
    wan("fiscal", "财政奖补", &f.fiscal);
    wan("social", "社会投入", &f.social);
    if let Some(d) = &f.labour_days {
        out.push(
            Figure::count("labour_days", "投劳工日", d.value, "个工日", Unit::Things).at(&d.span),
        );
    }
    if let Some(r) = &f.labour_rate {
        out.push(Figure {
            key: "labour_rate".into(),
            what: "每个工日折资".into(),
            value: r.value,
            unit: "元",
            kind: Unit::Yuan,
            span: Some(r.span.clone()),
        });
    }
    for (level, v) in &f.fiscal_levels {
        out.push(
            Figure::money_wan(
                format!("fiscal.{}", level.key()),
                format!("{}财政奖补", level.name_zh()),
                v.value,
            )
            .at(&v.span),
        );
    }
    out
}

/// One stated count: (field, what, unit, kind, value).
type StatedField<'a> = (
    &'static str,
    &'static str,
    &'static str,
    Unit,
    &'a Option<At<u64>>,
);

/// The stated counts of a programme: (field, what, unit, kind, value).
fn stated_fields(s: &Stated) -> [StatedField<'_>; 11] {
    [
        ("projects", "项目个数", "个", Unit::Things, &s.projects),
        ("categories", "项目类别", "类", Unit::Things, &s.categories),
        ("townships", "覆盖乡镇", "个", Unit::Things, &s.townships),
        ("villages", "覆盖行政村", "个", Unit::Things, &s.villages),
        ("completed", "已完工项目", "个", Unit::Things, &s.completed),
        (
            "under_construction",
            "在建项目",
            "个",
            Unit::Things,
            &s.under_construction,
        ),
        (
            "not_started",
            "未开工项目",
            "个",
            Unit::Things,
            &s.not_started,
        ),
        (
            "households",
            "参与农户",
            "户",
            Unit::Households,
            &s.households,
        ),
        ("people", "参与人口", "人", Unit::People, &s.people),
        ("labourers", "参与劳动力", "人", Unit::People, &s.labourers),
        (
            "beneficiaries",
            "受益人口",
            "人",
            Unit::People,
            &s.beneficiaries,
        ),
    ]
}

/// A programme's own figures: its funds and its stated counts (corrected).
pub fn of_programme(g: &Programme) -> Vec<Figure> {
    let mut out = g.funds.as_ref().map(of_funds).unwrap_or_default();
    for (key, what, unit, kind, v) in stated_fields(&g.stated) {
        if let Some(v) = v {
            out.push(Figure::count(key, what, v.value, unit, kind).at(&v.span));
        }
    }
    out
}

/// The values a programme's source stated before they were corrected
/// (prose may quote them: "原方案公布25个"); not printable by key.
pub fn stated_before_correction(g: &Programme) -> Vec<Figure> {
    let fields = stated_fields(&g.stated);
    g.stated
        .corrections
        .iter()
        .filter_map(|c| {
            let (_, what, unit, kind, _) = fields.iter().find(|f| f.0 == c.field)?;
            Some(
                Figure::count(
                    &format!("{}.stated", c.field),
                    &format!("原公布的{what}"),
                    c.stated.value,
                    unit,
                    *kind,
                )
                .at(&c.stated.span),
            )
        })
        .collect()
}

/// A project's own figures: its funds, count and beneficiaries.
pub fn of_project(j: &Project) -> Vec<Figure> {
    let mut out = of_funds(&j.funds);
    out.push(
        Figure::count("count", "项目个数", j.count.value, "个", Unit::Things).at(&j.count.span),
    );
    if let Some(b) = &j.beneficiaries {
        out.push(
            Figure::count("beneficiaries", "受益人口", b.value, "人", Unit::People).at(&b.span),
        );
    }
    out
}

/// An area's own figures: households, population, labourers.
pub fn of_area(a: &Area) -> Vec<Figure> {
    let mut out = Vec::new();
    let fields = [
        ("households", "户数", "户", Unit::Households, &a.households),
        ("population", "人口", "人", Unit::People, &a.population),
        ("labourers", "劳动力", "人", Unit::People, &a.labourers),
    ];
    for (key, what, unit, kind, v) in fields {
        if let Some(v) = v {
            out.push(Figure::count(key, what, v.value, unit, kind).at(&v.span));
        }
    }
    out
}

/// The fields a `figure` shortcode may name for a kind of record, for hints.
pub fn keys_of(kind: &str) -> &'static [&'static str] {
    match kind {
        "programme" => &[
            "total",
            "villagers",
            "cash",
            "labour_days",
            "labour_rate",
            "labour_value",
            "fiscal",
            "fiscal.central_provincial",
            "social",
            "projects",
            "categories",
            "townships",
            "villages",
            "households",
            "people",
            "labourers",
            "beneficiaries",
        ],
        "project" => &[
            "total",
            "villagers",
            "cash",
            "labour_value",
            "fiscal",
            "social",
            "count",
            "beneficiaries",
        ],
        _ => &["households", "population", "labourers"],
    }
}

/// There is no record with that id (or no kind of that name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoRecord;

/// The figure `field` of record `id` of `kind` (`programme`, `project` or
/// `area`): `Ok(None)` when the record has no such figure, `Err(NoRecord)` when
/// there is no such record.
pub fn lookup(
    p: &Portal,
    ix: &Index,
    kind: &str,
    id: &str,
    field: &str,
) -> Result<Option<Figure>, NoRecord> {
    let figures = match kind {
        "programme" => of_programme(&p.programmes[*ix.programmes.get(id).ok_or(NoRecord)?]),
        "project" => of_project(&p.projects[*ix.projects.get(id).ok_or(NoRecord)?]),
        "area" => of_area(p.area(ix, id).ok_or(NoRecord)?),
        _ => return Err(NoRecord),
    };
    Ok(figures.into_iter().find(|f| f.key == field))
}
