//! Synthetic portals for benchmarks: a deterministic (by seed) generator of
//! valid cunwu portals of any size, shared by `examples/gen.rs` and
//! `examples/bench.rs`.
//!
//! Two shapes:
//! - a *province-scale portal*: one root area of level `county` (the model's
//!   top level) with `villages / per_township` townships, each with a funded
//!   programme, progress records and a section of village plans; every village
//!   with groups, projects, activities, sometimes exit indicators and
//!   milestones, and one Markdown plan;
//! - a *plain corpus*: N Markdown pages with only `title`, `date` and
//!   `description` in the front matter, for the pages-per-second target.
//!
//! Every figure is built to pass the checker: money is integer hundredths of a
//! 万元 ("cents" below) and summed exactly; counts nest (a parent's population
//! is at least the sum of its children's). Nothing looks like personal data:
//! numbers are short and never joined into long digit runs, ids mix letters
//! and digits, and there are no e-mail addresses.
//!
//! Each township (and each plain section) draws from its own random stream,
//! so the output does not depend on the number of threads. The file is one
//! piece because the text banks and the figures they describe belong together.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// Bumped whenever the output for a given spec changes (bench caches use it).
pub const GENERATOR_VERSION: u32 = 1;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spec {
    /// A province-scale portal.
    Portal {
        villages: usize,
        per_township: usize,
        groups_per_village: usize,
        seed: u64,
    },
    /// A corpus of plain Markdown pages.
    Plain { pages: usize, seed: u64 },
    /// The shape of issue 15's held-out disk corpus: plain pages of 5–6 KB
    /// (mixed Chinese and English, relative `.md` links, a table each).
    Mixed { pages: usize, seed: u64 },
}

impl Spec {
    /// A short name for folders and tables, e.g. `villages-1000-s1`.
    pub fn name(&self) -> String {
        match self {
            Spec::Portal {
                villages,
                per_township,
                groups_per_village,
                seed,
            } => {
                let mut s = format!("villages-{villages}");
                if *per_township != 20 || *groups_per_village != 2 {
                    let _ = write!(s, "-t{per_township}-g{groups_per_village}");
                }
                let _ = write!(s, "-s{seed}");
                s
            }
            Spec::Plain { pages, seed } => format!("plain-{pages}-s{seed}"),
            Spec::Mixed { pages, seed } => format!("mixed-{pages}-s{seed}"),
        }
    }
}

/// What was written.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub files: usize,
    pub bytes: u64,
    pub areas: usize,
    pub projects: usize,
    pub pages: usize,
}

/// Writes the portal described by `spec` into `out`, which must be empty or absent.
pub fn generate(spec: &Spec, out: &Path) -> Result<Stats, String> {
    if out.exists() {
        let mut entries = std::fs::read_dir(out).map_err(|e| format!("{}: {e}", out.display()))?;
        if entries.next().is_some() {
            return Err(format!("{} is not empty", out.display()));
        }
    }
    let files = match spec {
        Spec::Portal {
            villages,
            per_township,
            groups_per_village,
            seed,
        } => portal_files(
            *villages,
            (*per_township).max(1),
            *groups_per_village,
            *seed,
        ),
        Spec::Plain { pages, seed } => plain_files(*pages, *seed),
        Spec::Mixed { pages, seed } => plain_files_sized(*pages, *seed, (5000, 5900)),
    };
    let mut stats = Stats::default();
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| out.join(p)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        std::fs::create_dir_all(d).map_err(|e| format!("{}: {e}", d.display()))?;
    }
    files.par_iter().try_for_each(|f| {
        std::fs::write(out.join(&f.path), &f.text).map_err(|e| format!("{}: {e}", f.path))
    })?;
    for f in &files {
        stats.files += 1;
        stats.bytes += f.text.len() as u64;
        stats.areas += f.areas;
        stats.projects += f.projects;
        stats.pages += usize::from(f.path.starts_with("content/"));
    }
    Ok(stats)
}

/// One file to write, with what it holds (for the stats).
struct File {
    path: String,
    text: String,
    areas: usize,
    projects: usize,
}

impl File {
    fn new(path: String, text: String) -> File {
        File {
            path,
            text,
            areas: 0,
            projects: 0,
        }
    }
}

// ---------------------------------------------------------------------------
// Random numbers
// ---------------------------------------------------------------------------

/// SplitMix64: small, fast, and good enough for synthetic data.
struct Rng(u64);

impl Rng {
    /// An independent stream for `(seed, a, b)`.
    fn stream(seed: u64, a: u64, b: u64) -> Rng {
        let mut r = Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B);
        let x = r.next() ^ a.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut r = Rng(x);
        let y = r.next() ^ b.wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
        Rng(y)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        debug_assert!(lo <= hi);
        lo + self.next() % (hi - lo + 1)
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

// ---------------------------------------------------------------------------
// Formatting helpers
// ---------------------------------------------------------------------------

/// Hundredths of a 万元 as a TOML/Markdown number with two decimals.
fn wan(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// A TOML basic string.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| q(s)).collect();
    format!("[{}]", quoted.join(", "))
}

const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

fn numeral(i: usize) -> String {
    match i {
        1..=10 => NUMERALS[i - 1].to_string(),
        11..=19 => format!("十{}", NUMERALS[i - 11]),
        _ => i.to_string(),
    }
}

const SYLLABLES: &[&str] = &[
    "青", "石", "龙", "白", "云", "松", "柏", "河", "桥", "岭", "沟", "坪", "坝", "湾", "溪", "田",
    "塘", "山", "水", "林", "花", "竹", "梅", "兰", "新", "和", "平", "安", "乐", "丰", "华", "阳",
    "东", "西", "南", "北", "上", "下", "中", "大", "小", "金", "红", "黄", "马", "凤", "鹤", "岩",
    "箐", "沙", "柳", "杨", "茶", "果",
];

fn place_name(rng: &mut Rng, suffix: &str) -> String {
    format!("{}{}{}", rng.pick(SYLLABLES), rng.pick(SYLLABLES), suffix)
}

// ---------------------------------------------------------------------------
// Text banks (written for this generator)
// ---------------------------------------------------------------------------

const CN_INTRO: &[&str] = &[
    "为做好{v}2020年村级各项工作，结合本村实际，经村两委研究并征求村民代表意见，制定本计划。",
    "本计划经村民代表大会讨论通过，在村务公开栏张贴公示不少于10天后组织实施。",
    "{v}位于{t}境内，近年来村内道路、饮水和通讯条件有了明显改善，但基础设施短板仍然存在。",
    "2020年是巩固脱贫成果的关键一年，{v}将把项目建设和防止返贫监测放在全年工作的首位。",
];

const CN_BODY: &[&str] = &[
    "村两委每月召开一次专题会议，研究项目推进中遇到的问题，每周碰头一次通报进度。",
    "项目资金实行专账管理，收支情况每季度公开一次，接受群众和村务监督委员会的监督。",
    "群众筹资按照自愿、量力、受益的原则进行，不得强行摊派，也不得向未受益的农户收取。",
    "投劳折资按照全乡统一的工日单价计算，由村民理财小组登记汇总，对外只公开合计数。",
    "项目竣工后由乡镇组织验收，验收合格后方可拨付剩余的财政奖补资金。",
    "在建项目要落实安全责任，施工现场设置警示标志，雨天暂停高处和临水作业。",
    "对尚未开工的项目，村委会要尽快完成选址和设计，力争在汛期到来之前开工。",
    "驻村工作队协助村委会做好政策宣传、项目监督和档案整理工作。",
    "各村民小组负责本组群众的组织发动，按计划完成筹资筹劳任务。",
    "村文化活动室全天开放，配备图书、棋牌和健身器材，由村里统一管理。",
    "道路、便桥和饮水设施建成后要明确管护主体和管护经费，防止重建轻管。",
    "防止返贫监测对象的情况不申请、不宣传、不公示，本计划不列出任何农户的信息。",
    "垃圾收集点由保洁员定期清运，倡导村民分类投放，保持村庄整洁。",
    "发展壮大村集体经济，盘活闲置的集体资产和土地，增加村级稳定收入。",
    "组织劳动力参加实用技能培训，引导有意愿的群众外出务工或就近就业。",
    "对“两不愁三保障”和饮水安全逐项排查，发现短板立即登记并限期补齐。",
    "核桃、烤烟和蔬菜是本村的主要产业，今年重点推广标准化种植和统一销售。",
    "各类项目资金的使用情况在项目竣工后一个月内张榜公示，公示期不少于10天。",
    "村务监督委员会全程参与项目的招标、施工和验收，发现问题及时向乡镇反映。",
    "冬春季节做好森林防火宣传，严禁在林区野外用火，组织巡山护林。",
    "每季度开展一次“四议两公开”执行情况回头看，确保程序到位、群众满意。",
    "村里的远程教育站点每月组织一次集中学习，内容包括政策解读和种养技术。",
];

const EN_BODY: &[&str] = &[
    "This plan was discussed at the villagers' representative meeting and posted on the bulletin board for at least ten days.",
    "Villagers contribute cash and labour days; labour is valued at the township's daily rate and only totals are published.",
    "Fiscal awards come mostly from the central and provincial budgets, with a smaller share from the city and the county.",
    "Completed projects are inspected by the township before the remaining fiscal awards are paid out.",
    "The village supervision committee follows every project from tender to acceptance and reports problems to the township.",
    "Roads, footbridges and water pipes need a named maintenance budget, not only a builder.",
    "No information about any individual household appears in this plan or in its tables.",
    "Progress is reviewed at the monthly meeting of the village committee and summarised on the bulletin board.",
    "All money figures are in wan yuan (ten thousand yuan) with two decimals, and they add up exactly.",
    "The activity room is open every day and lends books, chess sets and exercise equipment.",
    "Projects that have not started must finish site selection and design before the rainy season.",
    "Short training courses help villagers find work nearby, in the county town, or further away.",
];

const CN_MILESTONES: &[&str] = &[
    "完成项目选址和群众意见征集",
    "召开村民代表大会审议项目方案",
    "完成筹资筹劳登记并张榜公示",
    "主体工程开工建设",
    "完成中期检查并公示资金使用情况",
    "完成竣工验收和资金决算公示",
];

// ---------------------------------------------------------------------------
// Province-scale portal
// ---------------------------------------------------------------------------

/// A project category: name pattern, what its quantity measures, and cost range (万元).
struct Category {
    name: &'static str,
    project: &'static str,
    what: &'static str,
    unit: &'static str,
    /// Quantity range, in tenths for `km`, whole units otherwise.
    qty: (u64, u64),
    cost: (u64, u64),
}

const CATEGORIES: &[Category] = &[
    Category {
        name: "村组道路",
        project: "{g}道路硬化",
        what: "长度",
        unit: "km",
        qty: (5, 60),
        cost: (20, 120),
    },
    Category {
        name: "人行便桥",
        project: "{g}人行便桥",
        what: "便桥",
        unit: "座",
        qty: (1, 3),
        cost: (5, 30),
    },
    Category {
        name: "饮水工程",
        project: "{g}人饮工程",
        what: "蓄水池",
        unit: "m³",
        qty: (20, 120),
        cost: (5, 40),
    },
    Category {
        name: "环境卫生设施",
        project: "{g}垃圾收集点",
        what: "收集点",
        unit: "个",
        qty: (1, 6),
        cost: (3, 25),
    },
    Category {
        name: "街道硬化绿化",
        project: "村内街道硬化绿化",
        what: "面积",
        unit: "m²",
        qty: (400, 6000),
        cost: (5, 60),
    },
    Category {
        name: "文化活动场所",
        project: "村综合文化活动室",
        what: "面积",
        unit: "m²",
        qty: (80, 400),
        cost: (10, 50),
    },
    Category {
        name: "农田改造",
        project: "{g}低产田改造",
        what: "面积",
        unit: "亩",
        qty: (10, 300),
        cost: (1, 20),
    },
];

const LABOUR_RATES: [u64; 8] = [20, 25, 30, 40, 50, 60, 80, 100];

const STATUSES: [&str; 3] = ["completed", "under_construction", "not_started"];

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// A fund breakdown in cents; `labour_rate` in 元 per day.
#[derive(Default, Clone, Copy)]
struct Funds {
    cash: u64,
    labour_days: u64,
    labour_value: u64,
    central_provincial: u64,
    city: u64,
    county: u64,
    social: u64,
}

impl Funds {
    /// Funds for a project of about `target` cents, with labour valued at `rate`.
    fn random(rng: &mut Rng, target: u64, rate: u64) -> Funds {
        let villagers = target * rng.range(30, 60) / 100;
        let labour_share = rng.range(40, 80);
        // labour_days × rate must be a whole number of cents (100 元).
        let step = 100 / gcd(rate, 100);
        let days = (villagers * labour_share / 100 * 100 / rate / step).max(1) * step;
        let labour_value = days * rate / 100;
        let cash = villagers * (100 - labour_share) / 100;
        let social = if rng.chance(20) {
            target * rng.range(2, 12) / 100
        } else {
            0
        };
        let fiscal = target.saturating_sub(cash + labour_value + social).max(100);
        // Two thirds from the central and provincial budgets, rounded to the cent.
        let central_provincial = (2 * fiscal + 1) / 3;
        let rest = fiscal - central_provincial;
        let city = rest * rng.range(30, 60) / 100;
        Funds {
            cash,
            labour_days: days,
            labour_value,
            central_provincial,
            city,
            county: rest - city,
            social,
        }
    }

    fn villagers(&self) -> u64 {
        self.cash + self.labour_value
    }

    fn fiscal(&self) -> u64 {
        self.central_provincial + self.city + self.county
    }

    fn total(&self) -> u64 {
        self.villagers() + self.fiscal() + self.social
    }

    fn add(&mut self, o: &Funds) {
        self.cash += o.cash;
        self.labour_days += o.labour_days;
        self.labour_value += o.labour_value;
        self.central_provincial += o.central_provincial;
        self.city += o.city;
        self.county += o.county;
        self.social += o.social;
    }

    /// The `[<table>.funds]` tables.
    fn toml(&self, out: &mut String, table: &str, rate: u64, note: Option<&str>) {
        let _ = writeln!(out, "\n[{table}.funds]");
        let _ = writeln!(out, "total = {}", wan(self.total()));
        let _ = writeln!(out, "villagers = {}", wan(self.villagers()));
        let _ = writeln!(out, "cash = {}", wan(self.cash));
        let _ = writeln!(out, "labour_days = {}", self.labour_days);
        let _ = writeln!(out, "labour_rate = {rate}");
        let _ = writeln!(out, "labour_value = {}", wan(self.labour_value));
        let _ = writeln!(out, "fiscal = {}", wan(self.fiscal()));
        if self.social > 0 {
            let _ = writeln!(out, "social = {}", wan(self.social));
        }
        if let Some(note) = note {
            let _ = writeln!(out, "fiscal_note = {}", q(note));
        }
        let _ = writeln!(out, "\n[{table}.funds.fiscal_levels]");
        let _ = writeln!(out, "central_provincial = {}", wan(self.central_provincial));
        let _ = writeln!(out, "city = {}", wan(self.city));
        let _ = writeln!(out, "county = {}", wan(self.county));
    }
}

/// Households, people and labourers.
#[derive(Default, Clone, Copy)]
struct Counts {
    households: u64,
    people: u64,
    labourers: u64,
}

impl Counts {
    fn random(rng: &mut Rng, households: (u64, u64)) -> Counts {
        let households = rng.range(households.0, households.1);
        let people = households * rng.range(28, 42) / 10;
        let labourers = people * rng.range(52, 66) / 100;
        Counts {
            households,
            people,
            labourers,
        }
    }

    fn add(&mut self, o: &Counts) {
        self.households += o.households;
        self.people += o.people;
        self.labourers += o.labourers;
    }

    /// The same share of each figure (keeps people ≥ households ≥ … ordering).
    fn share(&self, percent: u64) -> Counts {
        Counts {
            households: self.households * percent / 100,
            people: self.people * percent / 100,
            labourers: self.labourers * percent / 100,
        }
    }

    fn toml(&self, out: &mut String) {
        let _ = writeln!(out, "households = {}", self.households);
        let _ = writeln!(out, "population = {}", self.people);
        let _ = writeln!(out, "labourers = {}", self.labourers);
    }
}

/// One generated project, for the programme totals and the plan's table.
struct ProjectRow {
    id: String,
    name: String,
    category: usize,
    status: usize,
    funds: Funds,
}

/// What a village contributes to its township's figures.
struct VillageOut {
    id: String,
    name: String,
    counts: Counts,
    participants: Counts,
    projects: Vec<ProjectRow>,
    exit: Option<usize>,
    data: File,
    plan: File,
}

/// Ids and names of the whole portal, fixed before any file is written so that
/// plans can link to each other.
struct Layout {
    villages: usize,
    per_township: usize,
    groups: usize,
    seed: u64,
}

impl Layout {
    fn townships(&self) -> usize {
        self.villages.div_ceil(self.per_township)
    }

    fn villages_in(&self, t: usize) -> usize {
        (self.villages - t * self.per_township).min(self.per_township)
    }

    fn township_id(t: usize) -> String {
        format!("t{:04}", t + 1)
    }

    fn village_key(v: usize) -> String {
        format!("v{:02}", v + 1)
    }

    fn village_id(t: usize, v: usize) -> String {
        format!("{}-{}", Self::township_id(t), Self::village_key(v))
    }

    /// Names are drawn from their own stream so any plan can name any village.
    fn village_name(&self, t: usize, v: usize) -> String {
        let mut rng = Rng::stream(self.seed, 1 + t as u64, 1000 + v as u64);
        place_name(&mut rng, "村")
    }

    fn township_name(&self, t: usize) -> (String, bool) {
        let mut rng = Rng::stream(self.seed, 1 + t as u64, 0);
        let is_town = rng.chance(30);
        (
            place_name(&mut rng, if is_town { "镇" } else { "乡" }),
            is_town,
        )
    }

    /// A random village anywhere in the portal.
    fn any_village(&self, rng: &mut Rng) -> (usize, usize) {
        let i = rng.range(0, self.villages as u64 - 1) as usize;
        (i / self.per_township, i % self.per_township)
    }
}

fn portal_files(villages: usize, per_township: usize, groups: usize, seed: u64) -> Vec<File> {
    let layout = Layout {
        villages: villages.max(1),
        per_township,
        groups,
        seed,
    };
    let townships: Vec<(Vec<File>, Counts)> = (0..layout.townships())
        .into_par_iter()
        .map(|t| township(&layout, t))
        .collect();
    let mut files = Vec::new();
    let mut total = Counts::default();
    for (fs, counts) in townships {
        total.add(&counts);
        files.extend(fs);
    }
    files.push(File::new("cunwu.toml".into(), portal_config(&layout)));
    let mut root =
        String::from("# 合成数据：省级规模的基准门户（模型的顶层级别是 county）。\n\n[[area]]\n");
    root.push_str("id = \"province\"\nname = \"某省（合成）\"\nlevel = \"county\"\n");
    total.toml(&mut root);
    let _ = writeln!(
        root,
        "summary = {}",
        q(&format!(
            "合成的省级门户，辖 {} 个乡镇、{} 个行政村。",
            layout.townships(),
            layout.villages
        ))
    );
    files.push(File {
        areas: 1,
        ..File::new("data/province.toml".into(), root)
    });
    files.push(File::new("content/_index.md".into(), home_page(&layout)));
    files.push(File::new(
        "content/villages/_index.md".into(),
        "+++\ntitle = \"村级计划\"\n+++\n\n各行政村的年度工作计划，按乡镇分栏目。\n".into(),
    ));
    files
}

fn portal_config(layout: &Layout) -> String {
    format!(
        "# 合成的基准门户（cunwu examples/gen.rs 第 {GENERATOR_VERSION} 版生成，种子 {}）。\ntitle = \"某省村务公开（合成数据）\"\ncounty = \"province\"\nlang = \"zh-CN\"\ndescription = \"用于性能测试的合成门户：{} 个行政村，全部数据均为虚构。\"\n",
        layout.seed, layout.villages
    )
}

fn home_page(layout: &Layout) -> String {
    format!(
        "+++\ntitle = \"某省村务公开（合成数据）\"\n+++\n\n本门户由基准数据生成器生成，共 {} 个乡镇、{} 个行政村，所有名称和数字均为虚构。\n\nThis portal was generated for benchmarks; every name and figure in it is made up.\n",
        layout.townships(),
        layout.villages
    )
}

/// All files of one township, and its counts (for the root area).
fn township(layout: &Layout, t: usize) -> (Vec<File>, Counts) {
    let mut rng = Rng::stream(layout.seed, 1 + t as u64, 1);
    let tid = Layout::township_id(t);
    let (tname, is_town) = layout.township_name(t);
    let rate = rng.pick(&LABOUR_RATES);
    let outs: Vec<VillageOut> = (0..layout.villages_in(t))
        .map(|v| village(layout, t, v, &tname, rate))
        .collect();

    let mut counts = Counts::default();
    let mut participants = Counts::default();
    for v in &outs {
        counts.add(&v.counts);
        participants.add(&v.participants);
    }
    // Some residents belong to no village record; rounding the township's
    // population up to a multiple of 400 makes incidences of k × 0.25 % exact.
    counts.people = counts.people.div_ceil(400) * 400;

    let mut data = String::new();
    let _ = writeln!(
        data,
        "# {tname}：乡镇区域、一事一议项目计划和脱贫进度（合成数据）。\n"
    );
    let _ = writeln!(
        data,
        "[[area]]\nid = \"{tid}\"\nname = {}\nlevel = \"{}\"\nparent = \"province\"",
        q(&tname),
        if is_town { "town" } else { "township" }
    );
    counts.toml(&mut data);
    let _ = writeln!(
        data,
        "summary = {}",
        q(&format!("辖 {} 个行政村。", outs.len()))
    );
    programme_toml(&mut data, &tid, &tname, rate, &outs, &participants);
    progress_toml(&mut data, &mut rng, &tid, &counts, &outs);

    let mut files = Vec::with_capacity(2 * outs.len() + 2);
    files.push(File {
        areas: 1,
        ..File::new(format!("data/{tid}/township.toml"), data)
    });
    let mut index = format!(
        "+++\ntitle = {}\n+++\n\n{tname}各行政村的2020年工作计划：\n\n",
        q(&format!("{tname}村级计划"))
    );
    for (v, out) in outs.iter().enumerate() {
        let _ = writeln!(index, "- [{}]({}.md)", out.name, Layout::village_key(v));
    }
    files.push(File::new(
        format!("content/villages/{tid}/_index.md"),
        index,
    ));
    for v in outs {
        files.push(v.data);
        files.push(v.plan);
    }
    (files, counts)
}

fn programme_toml(
    out: &mut String,
    tid: &str,
    tname: &str,
    rate: u64,
    villages: &[VillageOut],
    participants: &Counts,
) {
    let mut funds = Funds::default();
    let mut status = [0u64; 3];
    let mut categories = [false; CATEGORIES.len()];
    let mut projects = 0;
    for p in villages.iter().flat_map(|v| &v.projects) {
        funds.add(&p.funds);
        status[p.status] += 1;
        categories[p.category] = true;
        projects += 1;
    }
    let covers: Vec<String> = villages.iter().map(|v| v.id.clone()).collect();
    let _ = writeln!(
        out,
        "\n[[programme]]\nid = \"{tid}-yy2020\"\nname = {}",
        q(&format!("{tname}2020年一事一议财政奖补项目"))
    );
    let _ = writeln!(
        out,
        "kind = \"一事一议财政奖补\"\nyear = 2020\narea = \"{tid}\"\ncovers = {}",
        list(&covers)
    );
    let _ = writeln!(
        out,
        "summary = {}",
        q(&format!(
            "在 {} 个行政村建设 {projects} 个村级公益事业项目。",
            villages.len()
        ))
    );
    let _ = writeln!(out, "\n[programme.stated]\nprojects = {projects}");
    let _ = writeln!(
        out,
        "categories = {}",
        categories.iter().filter(|&&c| c).count()
    );
    let _ = writeln!(out, "villages = {}", villages.len());
    let _ = writeln!(
        out,
        "completed = {}\nunder_construction = {}\nnot_started = {}",
        status[0], status[1], status[2]
    );
    let _ = writeln!(
        out,
        "households = {}\npeople = {}\nlabourers = {}",
        participants.households, participants.people, participants.labourers
    );
    funds.toml(out, "programme", rate, None);
    out.push_str("\n[[programme.share]]\npart = \"central_provincial\"\nof = \"fiscal\"\nratio = \"2/3\"\ntolerance = 1\n");
}

fn progress_toml(
    out: &mut String,
    rng: &mut Rng,
    tid: &str,
    counts: &Counts,
    villages: &[VillageOut],
) {
    // Poverty: remaining people = population × k × 0.25 % exactly.
    let k = rng.range(1, 8);
    let remaining_people = counts.people / 400 * k;
    let remaining_households = (remaining_people * 10 / rng.range(28, 38)).max(1);
    let done_people = remaining_people * rng.range(150, 400) / 100;
    let done_households = (done_people * 10 / rng.range(28, 36)).max(1);
    let this_year = if rng.chance(50) {
        100
    } else {
        rng.range(50, 90)
    };
    let _ = writeln!(
        out,
        "\n[[progress]]\narea = \"{tid}\"\nyear = 2020\nkind = \"poverty\"\nlabel = \"建档立卡贫困人口脱贫进度\""
    );
    tally(
        out,
        "households",
        "start",
        done_households,
        remaining_households,
        this_year,
    );
    tally(
        out,
        "people",
        "start",
        done_people,
        remaining_people,
        this_year,
    );
    let _ = writeln!(out, "incidence = {}", wan(k * 25));

    let poor = villages.iter().filter(|v| v.exit.is_some()).count() as u64;
    if poor > 0 {
        let exited = villages.iter().filter(|v| v.exit == Some(0)).count() as u64;
        let planned = villages.iter().filter(|v| v.exit == Some(1)).count() as u64;
        let _ = writeln!(
            out,
            "\n[[progress]]\narea = \"{tid}\"\nyear = 2020\nkind = \"poor_villages\"\nlabel = \"贫困村退出进度\""
        );
        let _ = writeln!(
            out,
            "villages = {{ start = {poor}, done = {exited}, remaining = {}, this_year = {planned} }}",
            poor - exited
        );
    }
    if rng.chance(35) {
        let target_households = rng.range(20, 80);
        let target_people = target_households * rng.range(30, 42) / 10;
        let share = rng.range(20, 60);
        let done_households = target_households * share / 100;
        let done_people = target_people * share / 100;
        let this_year = rng.range(40, 100);
        let _ = writeln!(
            out,
            "\n[[progress]]\narea = \"{tid}\"\nyear = 2020\nkind = \"relocation\"\nlabel = \"易地扶贫搬迁进度\""
        );
        tally(
            out,
            "households",
            "target",
            done_households,
            target_households - done_households,
            this_year,
        );
        tally(
            out,
            "people",
            "target",
            done_people,
            target_people - done_people,
            this_year,
        );
        let _ = writeln!(
            out,
            "housing_m2_per_person = {}",
            rng.pick(&["20", "22.5", "24", "25"])
        );
    }
}

/// `{ start, done, remaining, this_year }` with this_year a share of what remains.
fn tally(
    out: &mut String,
    field: &str,
    start: &str,
    done: u64,
    remaining: u64,
    this_year_percent: u64,
) {
    let _ = writeln!(
        out,
        "{field} = {{ {start} = {}, done = {done}, remaining = {remaining}, this_year = {} }}",
        done + remaining,
        remaining * this_year_percent / 100
    );
}

/// One village's data file and plan.
fn village(layout: &Layout, t: usize, v: usize, tname: &str, rate: u64) -> VillageOut {
    let mut rng = Rng::stream(layout.seed, 1 + t as u64, 2000 + v as u64);
    let tid = Layout::township_id(t);
    let vid = Layout::village_id(t, v);
    let vname = layout.village_name(t, v);
    let mut data = String::with_capacity(6 * 1024);
    let _ = writeln!(
        data,
        "# {vname}（{tname}）：区域、项目、活动（合成数据）。\n"
    );

    // Groups first: the village's counts are their sums plus a few unassigned residents.
    let mut counts = Counts::default();
    let mut groups = String::new();
    for g in 0..layout.groups {
        let c = Counts::random(&mut rng, (30, 160));
        counts.add(&c);
        let _ = writeln!(
            groups,
            "\n[[area]]\nid = \"{vid}-g{}\"\nname = \"第{}村民小组\"\nlevel = \"group\"\nparent = \"{vid}\"",
            g + 1,
            numeral(g + 1)
        );
        c.toml(&mut groups);
    }
    if layout.groups == 0 {
        counts = Counts::random(&mut rng, (120, 700));
    } else {
        counts.people += rng.range(0, 20);
    }
    let poor = rng.chance(25);
    let exit = poor.then(|| match rng.range(0, 9) {
        0..=3 => 0, // exited
        4..=6 => 1, // planned
        _ => 2,     // not yet
    });
    let farmland = counts.people * rng.range(20, 60) / 10;
    let _ = writeln!(
        data,
        "[[area]]\nid = \"{vid}\"\nname = {}\nlevel = \"village\"\nparent = \"{tid}\"",
        q(&vname)
    );
    counts.toml(&mut data);
    let _ = writeln!(
        data,
        "farmland_mu = {farmland}\ngrain_per_capita_kg = {}",
        rng.range(280, 520)
    );
    match exit {
        Some(0) => data.push_str("tags = [\"贫困村\", \"已退出\"]\n"),
        Some(_) => data.push_str("tags = [\"贫困村\"]\n"),
        None => {}
    }
    let _ = writeln!(
        data,
        "summary = {}",
        q(&format!(
            "{tname}下辖的行政村，共 {} 个村民小组。",
            layout.groups
        ))
    );
    data.push_str(&groups);

    let participants = counts.share(rng.range(40, 80));
    let projects = projects_toml(
        &mut data,
        &mut rng,
        (&tid, &vid),
        layout.groups,
        rate,
        counts.people,
    );
    if let Some(status) = exit {
        exit_toml(&mut data, &mut rng, &vid, status);
    }
    activities_toml(&mut data, &mut rng, &vid, counts.people);
    let plan_id = format!("villages/{tid}/{}", Layout::village_key(v));
    let milestones = rng.chance(25);
    if milestones {
        milestones_toml(&mut data, &mut rng, &plan_id);
    }
    let plan = village_plan(
        layout, &mut rng, t, v, tname, &vname, &counts, &projects, rate,
    );
    VillageOut {
        data: File {
            areas: 1 + layout.groups,
            projects: projects.len(),
            ..File::new(format!("data/{tid}/{}.toml", Layout::village_key(v)), data)
        },
        plan: File::new(format!("content/{plan_id}.md"), plan),
        id: vid,
        name: vname,
        counts,
        participants,
        projects,
        exit,
    }
}

fn projects_toml(
    out: &mut String,
    rng: &mut Rng,
    (tid, vid): (&str, &str),
    groups: usize,
    rate: u64,
    population: u64,
) -> Vec<ProjectRow> {
    let n = rng.range(3, 7) as usize;
    let mut rows = Vec::with_capacity(n);
    for i in 0..n {
        let category = rng.range(0, CATEGORIES.len() as u64 - 1) as usize;
        let c = &CATEGORIES[category];
        let group = if groups > 0 {
            format!(
                "第{}村民小组",
                numeral(rng.range(1, groups as u64) as usize)
            )
        } else {
            "村内".into()
        };
        let name = c.project.replace("{g}", &group);
        let status = match rng.range(0, 99) {
            0..=54 => 0,
            55..=74 => 1,
            _ => 2,
        };
        let target = rng.range(c.cost.0 * 100, c.cost.1 * 100);
        let funds = Funds::random(rng, target, rate);
        let id = format!("{vid}-p{}", i + 1);
        let qty = rng.range(c.qty.0, c.qty.1);
        let qty = if c.unit == "km" {
            format!("{}.{}", qty / 10, qty % 10)
        } else {
            qty.to_string()
        };
        let _ = writeln!(
            out,
            "\n[[project]]\nid = \"{id}\"\nname = {}\narea = \"{vid}\"\nyear = 2020",
            q(&name)
        );
        let _ = writeln!(
            out,
            "programme = \"{tid}-yy2020\"\ncategory = \"{}\"\nstatus = \"{}\"",
            c.name, STATUSES[status]
        );
        let _ = writeln!(
            out,
            "beneficiaries = {}",
            population * rng.range(20, 95) / 100
        );
        let _ = writeln!(
            out,
            "quantities = [{{ what = \"{}\", value = {qty}, unit = \"{}\" }}]",
            c.what, c.unit
        );
        let _ = writeln!(
            out,
            "summary = {}",
            q(&format!(
                "{name}，{}。",
                [
                    "群众投劳为主、财政奖补为辅",
                    "按一事一议程序议定",
                    "由村民理财小组监督资金使用"
                ][i % 3]
            ))
        );
        let note = rng.chance(30).then_some("一事一议财政奖补资金");
        funds.toml(out, "project", rate, note);
        rows.push(ProjectRow {
            id,
            name,
            category,
            status,
            funds,
        });
    }
    rows
}

const INDICATORS: [&str; 9] = [
    "water",
    "electricity",
    "road",
    "telecom",
    "collective_economy",
    "activity_venue",
    "garbage",
    "party_branch",
    "no_dangerous_housing",
];

fn exit_toml(out: &mut String, rng: &mut Rng, vid: &str, status: usize) {
    let (key, unmet, incidence) = match status {
        0 => ("exited", 0, rng.range(30, 290)),
        1 => ("planned", rng.range(0, 2), rng.range(100, 450)),
        _ => ("not_yet", rng.range(2, 4), rng.range(250, 800)),
    };
    let _ = writeln!(
        out,
        "\n[[exit]]\narea = \"{vid}\"\nyear = 2020\nstatus = \"{key}\"\n\n[exit.indicators]"
    );
    let mut met = [true; INDICATORS.len()];
    for _ in 0..unmet {
        met[rng.range(4, INDICATORS.len() as u64 - 1) as usize] = false;
    }
    for (k, m) in INDICATORS.iter().zip(met) {
        let _ = writeln!(out, "{k} = {m}");
    }
    let _ = writeln!(out, "poverty_incidence = {}", wan(incidence));
}

fn activities_toml(out: &mut String, rng: &mut Rng, vid: &str, population: u64) {
    let (kind, name, team) = rng.pick(&[
        ("culture", "农家书屋读书活动", "读书小组"),
        ("culture", "花灯表演", "花灯队"),
        ("sports", "广场健身舞", "健身舞队"),
        ("sports", "篮球友谊赛", "篮球队"),
    ]);
    let held = rng.range(10, 26);
    let _ = writeln!(
        out,
        "\n[[activity]]\nid = \"{vid}-a1\"\narea = \"{vid}\"\nyear = 2020\nkind = \"{kind}\"\nname = \"{name}\"\nteam = \"{team}\""
    );
    let _ = writeln!(
        out,
        "frequency = \"weekly\"\nplanned = 52\nheld = {held}\nparticipants = {}",
        (population / 20).max(12)
    );
    let _ = writeln!(
        out,
        "\n[[activity]]\nid = \"{vid}-a2\"\narea = \"{vid}\"\nyear = 2020\nkind = \"party\"\nname = \"支部主题党日\""
    );
    let _ = writeln!(
        out,
        "frequency = \"monthly\"\nplanned = 12\nheld = {}",
        rng.range(3, 9)
    );
    if rng.chance(30) {
        let _ = writeln!(
            out,
            "\n[[activity]]\nid = \"{vid}-a3\"\narea = \"{vid}\"\nyear = 2020\nkind = \"culture\"\nname = \"春节联欢会\"\nfrequency = \"once\"\ndate = 2020-01-{:02}\nparticipants = {}",
            rng.range(20, 28),
            (population / 5).max(30)
        );
    }
}

fn milestones_toml(out: &mut String, rng: &mut Rng, plan_id: &str) {
    let first = rng.range(2, 4);
    let dues = [
        format!("2020年{first}月中旬"),
        format!("2020年{}月", first + 2),
        format!("2020-{:02} 下旬", first + 5),
    ];
    for (i, due) in dues.iter().enumerate() {
        let _ = writeln!(
            out,
            "\n[[milestone]]\nplan = \"{plan_id}\"\nlabel = \"{}\"\ndue = \"{due}\"",
            CN_MILESTONES[i * 2 + (rng.next() % 2) as usize]
        );
    }
}

fn fill(s: &str, v: &str, t: &str) -> String {
    s.replace("{v}", v).replace("{t}", t)
}

#[allow(clippy::too_many_arguments)] // one call site; the figures are the plan's subject
fn village_plan(
    layout: &Layout,
    rng: &mut Rng,
    t: usize,
    v: usize,
    tname: &str,
    vname: &str,
    counts: &Counts,
    projects: &[ProjectRow],
    rate: u64,
) -> String {
    let target = rng.range(2000, 4800) as usize;
    let mut total = Funds::default();
    for p in projects {
        total.add(&p.funds);
    }
    let mut s = String::with_capacity(target + 1024);
    let _ = writeln!(
        s,
        "+++\ntitle = {}\ndate = 2020-{:02}-{:02}\nyear = 2020",
        q(&format!("{vname}2020年村级工作计划")),
        rng.range(1, 3),
        rng.range(1, 28)
    );
    let _ = writeln!(
        s,
        "area = \"{}\"\nkind = \"plan\"",
        Layout::village_id(t, v)
    );
    let _ = writeln!(
        s,
        "summary = {}",
        q(&format!(
            "全年安排 {} 个项目，总投资 {} 万元。",
            projects.len(),
            wan(total.total())
        ))
    );
    s.push_str("tags = [\"村级计划\", \"一事一议\"]\n+++\n\n");
    let first = rng.range(0, CN_INTRO.len() as u64 - 1) as usize;
    let second = (first + rng.range(1, CN_INTRO.len() as u64 - 1) as usize) % CN_INTRO.len();
    for i in [first, second] {
        s.push_str(&fill(CN_INTRO[i], vname, tname));
    }
    let _ = write!(
        s,
        "\n\n## 一、基本情况\n\n{vname}隶属{tname}，全村{}户、{}人，其中劳动力{}人。\n\n| 项目 | 数量 |\n| --- | ---: |\n| 户数 | {} |\n| 人口 | {} |\n| 劳动力 | {} |\n\n",
        counts.households,
        counts.people,
        counts.labourers,
        counts.households,
        counts.people,
        counts.labourers
    );
    s.push_str("## 二、2020年项目安排\n\n| 项目 | 类别 | 总投资（万元） | 群众筹资投劳 | 财政奖补 | 状态 |\n| --- | --- | ---: | ---: | ---: | --- |\n");
    for p in projects {
        let status = ["已完工", "在建", "未开工"][p.status];
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {status} |",
            p.name,
            CATEGORIES[p.category].name,
            wan(p.funds.total()),
            wan(p.funds.villagers()),
            wan(p.funds.fiscal())
        );
    }
    let _ = write!(
        s,
        "| 合计 |  | {} | {} | {} |  |\n\n群众投劳按{rate}元/工日折资[^rate]，财政奖补的三分之二来自中央和省级资金。项目编号从 {} 到 {}。\n\n",
        wan(total.total()),
        wan(total.villagers()),
        wan(total.fiscal()),
        projects[0].id,
        projects[projects.len() - 1].id
    );
    s.push_str("## 三、工作措施\n\n");
    for _ in 0..rng.range(3, 5) {
        s.push_str("- ");
        s.push_str(rng.pick(CN_BODY));
        s.push('\n');
    }
    s.push_str("\n## 四、Notes in English\n\n");
    for _ in 0..rng.range(2, 4) {
        s.push_str(rng.pick(EN_BODY));
        s.push(' ');
    }
    s.push_str("\n\n## 五、相关计划\n\n");
    let same = if layout.villages_in(t) > 1 {
        (t, (v + 1) % layout.villages_in(t))
    } else {
        (t, v)
    };
    let other = layout.any_village(rng);
    for (i, (lt, lv)) in [same, other].into_iter().enumerate() {
        if i == 1 && (lt, lv) == same {
            break;
        }
        let _ = writeln!(
            s,
            "- [{}的工作计划](../{}/{}.md)",
            layout.village_name(lt, lv),
            Layout::township_id(lt),
            Layout::village_key(lv)
        );
    }
    s.push_str("\n## 六、其他事项\n\n");
    while s.len() < target {
        s.push_str(rng.pick(CN_BODY));
        if rng.chance(30) {
            s.push_str("\n\n");
        }
    }
    let _ = write!(
        s,
        "\n\n[^rate]: 工日单价由{tname}统一确定，全乡各村相同；筹劳只公开合计，不公开到户。\n"
    );
    s
}

// ---------------------------------------------------------------------------
// Plain corpus
// ---------------------------------------------------------------------------

const PAGES_PER_SECTION: usize = 50;
const SECTIONS_PER_TOPIC: usize = 10;

const TOPICS: &[&str] = &[
    "通知公告",
    "政策解读",
    "办事指南",
    "工作动态",
    "村务公开",
    "财务公开",
    "党务公开",
    "乡村振兴",
];

fn plain_path(i: usize) -> (String, String) {
    let s = i / PAGES_PER_SECTION;
    let dir = format!(
        "topic{:02}/sec{:02}",
        s / SECTIONS_PER_TOPIC + 1,
        s % SECTIONS_PER_TOPIC + 1
    );
    let file = format!("page{:03}.md", i % PAGES_PER_SECTION + 1);
    (dir, file)
}

fn plain_files(pages: usize, seed: u64) -> Vec<File> {
    plain_files_sized(pages, seed, (5000, 5250))
}

/// Plain pages whose Markdown is `size.0..=size.1` bytes long (about).
fn plain_files_sized(pages: usize, seed: u64, size: (u64, u64)) -> Vec<File> {
    let pages = pages.max(1);
    let sections = pages.div_ceil(PAGES_PER_SECTION);
    let mut files: Vec<File> = (0..pages)
        .into_par_iter()
        .map(|i| {
            let (dir, file) = plain_path(i);
            File::new(
                format!("content/{dir}/{file}"),
                plain_page(i, pages, seed, size),
            )
        })
        .collect();
    for s in 0..sections {
        let (dir, _) = plain_path(s * PAGES_PER_SECTION);
        let topic = TOPICS[(s / SECTIONS_PER_TOPIC) % TOPICS.len()];
        files.push(File::new(
            format!("content/{dir}/_index.md"),
            format!("+++\ntitle = \"{topic}（第{}栏）\"\ndescription = \"本栏目收录{topic}类文稿。\"\n+++\n\n本栏目按日期列出{topic}类文稿。\n", s + 1),
        ));
        if s % SECTIONS_PER_TOPIC == 0 {
            let top = dir.split('/').next().unwrap_or_default();
            files.push(File::new(
                format!("content/{top}/_index.md"),
                format!("+++\ntitle = \"{topic}\"\ndescription = \"{topic}栏目。\"\n+++\n\n{topic}的各个分栏目。\n"),
            ));
        }
    }
    files.push(File::new(
        "content/_index.md".into(),
        "+++\ntitle = \"示例县村务公开（合成文稿）\"\n+++\n\n用于测试生成速度的合成文稿。\n".into(),
    ));
    files.push(File::new(
        "cunwu.toml".into(),
        format!("# 合成的纯文稿基准门户（cunwu examples/gen.rs 第 {GENERATOR_VERSION} 版生成，种子 {seed}）。\ntitle = \"示例县村务公开（合成文稿）\"\ncounty = \"plain\"\nlang = \"zh-CN\"\n"),
    ));
    files.push(File {
        areas: 1,
        ..File::new(
            "data/county.toml".into(),
            "[[area]]\nid = \"plain\"\nname = \"示例县\"\nlevel = \"county\"\n".into(),
        )
    });
    files
}

fn plain_page(i: usize, pages: usize, seed: u64, size: (u64, u64)) -> String {
    let mut rng = Rng::stream(seed, 0x1_0000 + i as u64, 7);
    let target = rng.range(size.0, size.1) as usize;
    let topic = TOPICS[(i / PAGES_PER_SECTION / SECTIONS_PER_TOPIC) % TOPICS.len()];
    let day = i % 365;
    let (month, dom) = (day / 28 % 12 + 1, day % 28 + 1);
    let mut s = String::with_capacity(target + 512);
    let _ = writeln!(
        s,
        "+++\ntitle = \"{topic}第{}号\"\ndate = 2020-{month:02}-{dom:02}",
        i + 1
    );
    let _ = writeln!(s, "description = \"{}\"\n+++\n", CN_BODY[i % CN_BODY.len()]);
    let (dir, _) = plain_path(i);
    let same = (i / PAGES_PER_SECTION) * PAGES_PER_SECTION
        + rng.range(0, PAGES_PER_SECTION as u64 - 1) as usize;
    let same = if same < pages { same } else { i };
    let other = rng.range(0, pages as u64 - 1) as usize;
    let mut para = 0usize;
    while s.len() < target {
        para += 1;
        match para % 4 {
            1 => {
                let _ = writeln!(
                    s,
                    "## {}、{}\n",
                    numeral(para.div_ceil(4)),
                    rng.pick(CN_MILESTONES)
                );
            }
            2 => {
                for _ in 0..3 {
                    let _ = writeln!(s, "- {}", rng.pick(CN_BODY));
                }
                s.push('\n');
            }
            3 => {
                let _ = writeln!(s, "| 项目 | 计划 | 完成 |\n| --- | ---: | ---: |");
                for _ in 0..3 {
                    let plan = rng.range(10, 90);
                    let _ = writeln!(
                        s,
                        "| {} | {plan} | {} |",
                        rng.pick(CN_MILESTONES),
                        rng.range(0, plan)
                    );
                }
                s.push('\n');
            }
            _ => {
                for _ in 0..3 {
                    s.push_str(rng.pick(EN_BODY));
                    s.push(' ');
                }
                s.push_str("\n\n");
            }
        }
        if para == 2 {
            let (sdir, sfile) = plain_path(same);
            let (odir, ofile) = plain_path(other);
            let first = if sdir == dir {
                sfile
            } else {
                format!("../../{sdir}/{sfile}")
            };
            let _ = writeln!(
                s,
                "相关文稿：[同栏目文稿]({first})、[其他栏目文稿](../../{odir}/{ofile})。\n"
            );
        }
        s.push_str(rng.pick(CN_BODY));
        s.push_str(rng.pick(CN_BODY));
        s.push_str("\n\n");
    }
    s
}
