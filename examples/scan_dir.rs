//! Times the privacy gate's output scan over every file of a built site:
//! `cargo run --release --example scan_dir -- public [ROUNDS]`. Prints bytes,
//! findings and MB/s; the figures in docs/performance.md come from it (and
//! from callgrind over one round, which counts instructions exactly).

use std::path::{Path, PathBuf};
use std::time::Instant;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "public".into()));
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(1);
    let mut paths = Vec::new();
    files(&dir, &mut paths);
    paths.sort();
    let texts: Vec<Vec<u8>> = paths.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    let bytes: usize = texts.iter().map(Vec::len).sum();
    let start = Instant::now();
    let mut found = 0;
    for _ in 0..rounds {
        for t in &texts {
            found += cunwu::gate::scan::scan_bytes(std::hint::black_box(t)).len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} files, {bytes} bytes, {found} findings, {:.1} ms a round, {:.0} MB/s",
        texts.len(),
        secs * 1e3 / rounds as f64,
        (bytes * rounds) as f64 / 1e6 / secs
    );
}
