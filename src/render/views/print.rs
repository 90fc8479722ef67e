//! The 公示 print views: `programmes/<id>/print.html`, `projects/<id>/print.html`
//! and `areas/<id>/print.html`. One A4 page in print media with the figures,
//! the notice period (from data), the supervision lines (from `cunwu.toml`)
//! and, when `base_url` is set, a QR code of the page's online address.

use serde_json::{Map, Value, json};

use super::super::format::{count, date_zh, number, wan};
use super::super::{Job, qr};
use super::{Views, area_path, funds_view, programme_path, project_path, stated_rows};
use crate::model::*;

/// `programmes/<id>/print.html` beside the record's page.
pub fn print_path(page_path: &str) -> String {
    match page_path.strip_suffix("index.html") {
        Some(dir) => format!("{dir}print.html"),
        None => format!("{page_path}.print.html"),
    }
}

/// Where a notice period came from when the record has none of its own.
struct Inherited<'a> {
    notice: &'a Notice,
    from: Option<&'a Programme>,
}

fn notice_view(n: Option<Inherited>) -> Value {
    let Some(Inherited { notice, from }) = n else {
        return Value::Null;
    };
    json!({
        "start": date_zh(notice.start.value),
        "end": date_zh(notice.end.value),
        "start_iso": notice.start.value.to_string(),
        "end_iso": notice.end.value.to_string(),
        "days": notice.days(),
        "from": from.map(|g| g.name.value.clone()),
    })
}

impl Views<'_> {
    /// What every print view shows: the supervision lines, the QR code and
    /// the way back to the page.
    fn print_base(
        &self,
        page: &str,
        title: &str,
        notice: Option<Inherited>,
    ) -> (String, Map<String, Value>) {
        let path = print_path(page);
        let mut m = self.base(&path, title);
        let cfg = &self.p.config;
        m.insert("back_url".into(), json!("index.html"));
        m.insert("notice".into(), notice_view(notice));
        m.insert(
            "lines".into(),
            json!({
                "hotline": cfg.notice.hotline,
                "county_line": cfg.notice.county_line,
            }),
        );
        let online = cfg
            .base_url
            .as_ref()
            .filter(|u| !u.is_empty())
            .map(|base| format!("{base}{page}"));
        let qr = online
            .as_ref()
            .and_then(|url| qr::svg(url, "qr").map(|svg| json!({"url": url, "svg": svg})));
        m.insert("qr".into(), qr.unwrap_or(Value::Null));
        m.insert("page_path".into(), json!(page));
        (path, m)
    }

    pub(super) fn print_programme(&self, g: &Programme) -> Job {
        let page = programme_path(&g.id.value);
        let notice = g
            .notice
            .as_ref()
            .map(|notice| Inherited { notice, from: None });
        let (path, mut m) = self.print_base(&page, &format!("{}公示", g.name.value), notice);
        m.insert("crumbs".into(), self.crumbs(&path, &g.area.value));
        let mut facts = vec![json!({"label": "年度", "value": format!("{}年", g.year.value)})];
        if let Some(k) = &g.kind {
            facts.push(json!({"label": "类别", "value": k.value}));
        }
        if let Some(a) = self.p.area(self.ix, &g.area.value) {
            facts.push(json!({"label": "实施单位", "value": a.name.value}));
        }
        let covers: Vec<String> = g
            .covers
            .iter()
            .filter_map(|c| self.p.area(self.ix, &c.value).map(|a| a.name.value.clone()))
            .collect();
        if !covers.is_empty() {
            facts.push(json!({"label": "覆盖", "value": covers.join("、")}));
        }
        m.insert("kind".into(), json!("项目计划公示"));
        m.insert("summary".into(), json!(self.summary_text(&g.summary)));
        m.insert("facts".into(), json!(facts));
        m.insert(
            "funds".into(),
            g.funds.as_ref().map_or(Value::Null, funds_view),
        );
        m.insert("stated".into(), stated_rows(&g.stated));
        let projects: Vec<&Project> = self.projects_in(&self.ix.projects_of_programme, &g.id.value);
        m.insert("projects".into(), self.project_rows(&path, &projects));
        self.insert_as_of(&mut m, [self.as_of_programme(g)]);
        self.job("print.html", path, m)
    }

    pub(super) fn print_project(&self, j: &Project) -> Job {
        let page = project_path(&j.id.value);
        let programme = j
            .programme
            .as_ref()
            .and_then(|g| self.ix.programmes.get(&g.value))
            .map(|&i| &self.p.programmes[i]);
        let notice = match (&j.notice, programme) {
            (Some(notice), _) => Some(Inherited { notice, from: None }),
            (None, Some(g)) => g.notice.as_ref().map(|notice| Inherited {
                notice,
                from: Some(g),
            }),
            (None, None) => None,
        };
        let (path, mut m) = self.print_base(&page, &format!("{}公示", j.name.value), notice);
        m.insert("crumbs".into(), self.crumbs(&path, &j.area.value));
        let mut facts = vec![
            json!({"label": "年度", "value": format!("{}年", j.year.value)}),
            json!({"label": "类别", "value": j.category.value}),
        ];
        if let Some(a) = self.p.area(self.ix, &j.area.value) {
            facts.push(json!({"label": "地点", "value": a.name.value}));
        }
        if let Some(g) = programme {
            facts.push(json!({"label": "所属项目计划", "value": g.name.value}));
        }
        if let Some(s) = &j.status {
            facts.push(json!({"label": "状态", "value": s.value.name_zh()}));
        }
        let mut figures =
            vec![json!({"label": "总投资", "value": wan(j.funds.total.value), "unit": "万元"})];
        if j.count.value > 1 {
            figures.push(json!({"label": "项目个数", "value": count(j.count.value), "unit": "个"}));
        }
        if let Some(b) = &j.beneficiaries {
            figures.push(json!({"label": "受益人口", "value": count(b.value), "unit": "人"}));
        }
        for q in &j.quantities {
            figures.push(json!({"label": q.what.value, "value": number(q.value.value), "unit": q.unit.value}));
        }
        m.insert("kind".into(), json!("项目公示"));
        m.insert("summary".into(), json!(self.summary_text(&j.summary)));
        m.insert("facts".into(), json!(facts));
        m.insert("figures".into(), json!(figures));
        m.insert("funds".into(), funds_view(&j.funds));
        self.insert_as_of(&mut m, [self.as_of_project(j)]);
        self.job("print.html", path, m)
    }

    pub(super) fn print_area(&self, a: &Area) -> Job {
        let page = area_path(&a.id.value);
        let own: Vec<&Programme> =
            super::super::lookups::of(&self.look.programmes_run_by, &a.id.value)
                .iter()
                .map(|&i| &self.p.programmes[i])
                .collect();
        // The area's own notice, or the latest notice of the programmes it runs.
        let notice = match &a.notice {
            Some(notice) => Some(Inherited { notice, from: None }),
            None => own
                .iter()
                .filter_map(|g| g.notice.as_ref().map(|n| (n, *g)))
                .max_by(|x, y| {
                    x.0.end
                        .value
                        .cmp(&y.0.end.value)
                        .then(y.1.id.value.cmp(&x.1.id.value))
                })
                .map(|(notice, g)| Inherited {
                    notice,
                    from: Some(g),
                }),
        };
        let (path, mut m) = self.print_base(&page, &format!("{}村务公示", a.name.value), notice);
        m.insert("crumbs".into(), self.crumbs(&path, &a.id.value));
        let summary = self.area_summary(a);
        let mut facts = vec![json!({"label": "级别", "value": a.level.value.name_zh()})];
        let crumbs: Vec<String> = self
            .p
            .area_path(self.ix, &a.id.value)
            .iter()
            .map(|x| x.name.value.clone())
            .collect();
        facts.push(json!({"label": "所在", "value": crumbs.join(" › ")}));
        m.insert("kind".into(), json!("村务公示"));
        m.insert("summary".into(), json!(self.summary_text(&a.summary)));
        m.insert("facts".into(), json!(facts));
        m.insert("figures".into(), summary["figures"].clone());
        let projects: Vec<&Project> = self.projects_in(&self.ix.projects_of_area, &a.id.value);
        m.insert("projects".into(), self.project_rows(&path, &projects));
        let funds: Vec<Value> = own
            .iter()
            .filter_map(|g| {
                let f = g.funds.as_ref()?;
                Some(json!({"name": g.name.value, "funds": funds_view(f)}))
            })
            .collect();
        m.insert("funds_by_programme".into(), json!(funds));
        self.insert_as_of(&mut m, [self.as_of_area(a)]);
        self.job("print.html", path, m)
    }
}
