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

/// `areas/<id>/poster.html`: a village's QR poster, beside its page.
pub fn poster_path(page_path: &str) -> String {
    match page_path.strip_suffix("index.html") {
        Some(dir) => format!("{dir}poster.html"),
        None => format!("{page_path}.poster.html"),
    }
}

/// Who posts a notice about `area`: a village's committee, a township's or
/// county's government; a group's notice is its village's.
pub fn issuer(p: &Portal, ix: &Index, area: &str) -> Option<String> {
    let mut a = p.area(ix, area)?;
    if a.level.value == Level::Group {
        if let Some(v) = a.parent.as_ref().and_then(|v| p.area(ix, &v.value)) {
            a = v;
        }
    }
    Some(issuer_of(&a.name.value, a.level.value))
}

/// The body that posts a notice for an area named `name` at `level`, its
/// level word written once: 下龙井村 → 下龙井村村民委员会, 大坪 → 大坪村村民委员会,
/// 龙沱乡 → 龙沱乡人民政府, 城关社区 → 城关社区居民委员会.
pub fn issuer_of(name: &str, level: Level) -> String {
    let name = name.trim();
    let ends = |words: &[&str]| words.iter().any(|w| name.ends_with(w));
    match level {
        Level::Village | Level::Group if ends(&["社区"]) => format!("{name}居民委员会"),
        Level::Village | Level::Group if ends(&["村", "嘎查"]) => format!("{name}村民委员会"),
        Level::Village | Level::Group => format!("{name}村村民委员会"),
        Level::Township | Level::Town if ends(&["街道"]) => format!("{name}办事处"),
        Level::Township | Level::Town if ends(&["乡", "镇", "苏木"]) => {
            format!("{name}人民政府")
        }
        Level::Township => format!("{name}乡人民政府"),
        Level::Town => format!("{name}镇人民政府"),
        Level::County if ends(&["县", "区", "市", "旗"]) => format!("{name}人民政府"),
        Level::County => format!("{name}县人民政府"),
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
        area: &str,
        notice: Option<Inherited>,
    ) -> (String, Map<String, Value>) {
        let path = print_path(page);
        let mut m = self.base(&path, title);
        let cfg = &self.p.config;
        m.insert("back_url".into(), json!("index.html"));
        // What the sheet lacks is said on screen only (`screen_notes`, hidden
        // in print): paper carries blanks to fill in by hand instead.
        let mut notes = Vec::new();
        if notice.is_none() {
            notes.push("数据中未填写公示起止日期：纸上留空，张贴时请手写公示期和张贴日期，或在数据的 notice 中填写。".to_string());
        }
        if cfg.notice.hotline.is_none() && cfg.notice.county_line.is_none() {
            notes.push(
                "cunwu.toml 的 [notice] 中未设置监督电话（hotline、county_line）：纸上留空。"
                    .to_string(),
            );
        }
        m.insert("notice".into(), notice_view(notice));
        m.insert(
            "issuer".into(),
            json!(issuer(self.p, self.ix, area).unwrap_or_else(|| cfg.title.clone())),
        );
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
        if qr.is_none() {
            notes.push(format!("cunwu.toml 中未设置 base_url（网站发布后的网址），所以不印二维码；网上页面位于本站的 {page}。"));
        }
        m.insert("qr".into(), qr.unwrap_or(Value::Null));
        m.insert("page_path".into(), json!(page));
        m.insert("screen_notes".into(), json!(notes));
        (path, m)
    }

    pub(super) fn print_programme(&self, g: &Programme) -> Job {
        let page = programme_path(&g.id.value);
        let notice = g
            .notice
            .as_ref()
            .map(|notice| Inherited { notice, from: None });
        let (path, mut m) = self.print_base(
            &page,
            &format!("{}公示", g.name.value),
            &g.area.value,
            notice,
        );
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
        let (path, mut m) = self.print_base(
            &page,
            &format!("{}公示", j.name.value),
            &j.area.value,
            notice,
        );
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
        let own: Vec<&Programme> = self
            .look
            .of(
                super::super::lookups::RecordMap::ProgrammesRunBy,
                &a.id.value,
            )
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
        let (path, mut m) = self.print_base(
            &page,
            &format!("{}村务公示", a.name.value),
            &a.id.value,
            notice,
        );
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
        // The village's exit indicators (latest year) and its activities.
        let exits: Vec<Value> = self
            .look
            .of(super::super::lookups::RecordMap::ExitsOfArea, &a.id.value)
            .iter()
            .map(|&i| &self.p.exits[i])
            .max_by_key(|e| e.year.value)
            .map(|e| self.exit_view(e))
            .into_iter()
            .collect();
        m.insert("exits".into(), json!(exits));
        let activities: Vec<Value> = self
            .look
            .of(
                super::super::lookups::RecordMap::ActivitiesOfArea,
                &a.id.value,
            )
            .iter()
            .map(|&i| super::activity_view(&self.p.activities[i]))
            .collect();
        m.insert("activities".into(), json!(activities));
        if self.poster_url(a).is_some() {
            m.insert("poster_url".into(), json!("poster.html"));
        }
        self.job("print.html", path, m)
    }

    /// The online address a village's poster encodes, when `base_url` is set.
    pub(in crate::render) fn poster_url(&self, a: &Area) -> Option<String> {
        if !self.has_print_view(a) {
            return None;
        }
        let base = self.p.config.base_url.as_ref().filter(|u| !u.is_empty())?;
        Some(format!("{base}{}", area_path(&a.id.value)))
    }

    /// `areas/<id>/poster.html`: an A4 poster for the village's notice board
    /// with a large QR code of its page, its name and the supervision lines.
    pub(super) fn poster_area(&self, a: &Area) -> Job {
        let page = area_path(&a.id.value);
        let path = poster_path(&page);
        let mut m = self.base(&path, &format!("{}二维码海报", a.name.value));
        m.insert("crumbs".into(), self.crumbs(&path, &a.id.value));
        m.insert("back_url".into(), json!("index.html"));
        m.insert("name".into(), json!(a.name.value));
        m.insert("issuer".into(), json!(issuer(self.p, self.ix, &a.id.value)));
        let url = self.poster_url(a);
        let qr = url
            .as_ref()
            .and_then(|u| qr::svg(u, "qr-poster").map(|svg| json!({"url": u, "svg": svg})));
        m.insert("qr".into(), qr.unwrap_or(Value::Null));
        let cfg = &self.p.config;
        m.insert(
            "lines".into(),
            json!({
                "hotline": cfg.notice.hotline,
                "county_line": cfg.notice.county_line,
            }),
        );
        self.job("poster.html", path, m)
    }
}

#[cfg(test)]
mod tests {
    use super::issuer_of;
    use crate::model::Level;

    #[test]
    fn the_issuer_is_named_once_whatever_the_name_ends_in() {
        assert_eq!(issuer_of("青山县", Level::County), "青山县人民政府");
        assert_eq!(issuer_of("龙沱乡", Level::Township), "龙沱乡人民政府");
        assert_eq!(issuer_of("白岩", Level::Town), "白岩镇人民政府");
        assert_eq!(issuer_of("白岩街道", Level::Town), "白岩街道办事处");
        assert_eq!(issuer_of("下龙井村", Level::Village), "下龙井村村民委员会");
        assert_eq!(issuer_of("城关社区", Level::Village), "城关社区居民委员会");
        assert_eq!(issuer_of("大坪", Level::Village), "大坪村村民委员会");
        for level in [Level::County, Level::Township, Level::Town, Level::Village] {
            for name in [
                "河口",
                "河口乡",
                "河口镇",
                "河口村",
                "河口县",
                "河口社区",
                "河口街道",
            ] {
                let i = issuer_of(name, level);
                for doubled in ["乡乡", "镇镇", "县县", "社区社区", "街道街道", "村村村"]
                {
                    assert!(!i.contains(doubled), "{name} {level:?}: {i}");
                }
            }
        }
    }
}
