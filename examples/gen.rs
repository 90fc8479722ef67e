//! Writes a synthetic portal for benchmarks (see `docs/performance.md`).
//!
//! ```text
//! cargo run --release --example gen -- --out DIR --villages N [--seed S]
//!     [--per-township N] [--groups N] [--force]
//! cargo run --release --example gen -- --out DIR --plain-pages N [--seed S] [--force]
//! cargo run --release --example gen -- --out DIR --mixed-pages N [--seed S] [--force]
//! ```
//!
//! The same seed always gives the same files, byte for byte.

#[path = "synth/mod.rs"]
mod synth;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: gen --out DIR (--villages N | --plain-pages N | --mixed-pages N) [--seed S] [--per-township N] [--groups N] [--force]

  --villages N       a province-scale portal: one root area, N/20 townships of 20 villages
  --plain-pages N    instead: N plain Markdown pages (title, date, description only)
  --mixed-pages N    instead: N plain pages of 5-6 KB (the disk benchmark's corpus)
  --seed S           random seed (default 1); the same seed gives the same files
  --per-township N   villages per township (default 20)
  --groups N         村民小组 per village (default 2)
  --force            empty DIR first if it holds files";

struct Args {
    out: PathBuf,
    spec: synth::Spec,
    force: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut out = None;
    let (mut villages, mut plain, mut seed) = (None, None, 1u64);
    let (mut per_township, mut groups, mut force) = (20usize, 2usize, false);
    let mut mixed = None;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        let number = |s: String| {
            s.parse::<u64>()
                .map_err(|_| format!("not a whole number: {s}"))
        };
        match arg.as_str() {
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--villages" => villages = Some(number(value("--villages")?)? as usize),
            "--plain-pages" => plain = Some(number(value("--plain-pages")?)? as usize),
            "--seed" => seed = number(value("--seed")?)?,
            "--per-township" => per_township = number(value("--per-township")?)? as usize,
            "--groups" => groups = number(value("--groups")?)? as usize,
            "--force" => force = true,
            "--mixed-pages" => mixed = Some(number(value("--mixed-pages")?)? as usize),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    let out = out.ok_or("--out DIR is required")?;
    if let Some(pages) = mixed {
        if villages.is_some() || plain.is_some() {
            return Err("give one of --villages, --plain-pages, --mixed-pages".into());
        }
        if pages == 0 {
            return Err("the size must be at least 1".into());
        }
        let spec = synth::Spec::Mixed { pages, seed };
        return Ok(Args { out, spec, force });
    }
    let spec = match (villages, plain) {
        (Some(_), Some(_)) => return Err("give --villages or --plain-pages, not both".into()),
        (Some(0), _) | (_, Some(0)) => return Err("the size must be at least 1".into()),
        (Some(villages), None) => synth::Spec::Portal {
            villages,
            per_township: per_township.max(1),
            groups_per_village: groups,
            seed,
        },
        (None, Some(pages)) => synth::Spec::Plain { pages, seed },
        (None, None) => return Err("--villages N or --plain-pages N is required".into()),
    };
    Ok(Args { out, spec, force })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("gen: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    if args.force && args.out.exists() {
        if let Err(e) = std::fs::remove_dir_all(&args.out) {
            eprintln!("gen: {}: {e}", args.out.display());
            return ExitCode::FAILURE;
        }
    }
    let started = Instant::now();
    match synth::generate(&args.spec, &args.out) {
        Ok(s) => {
            eprintln!(
                "gen: wrote {} ({}) in {:.2} s: {} files, {:.1} MB, {} areas, {} projects, {} Markdown files",
                args.out.display(),
                args.spec.name(),
                started.elapsed().as_secs_f64(),
                s.files,
                s.bytes as f64 / 1e6,
                s.areas,
                s.projects,
                s.pages
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen: {e}");
            ExitCode::FAILURE
        }
    }
}
