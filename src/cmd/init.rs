//! `cunwu init DIR`: a new, minimal, valid portal from files built into the binary.

use std::path::Path;

use super::{EXIT_OK, EXIT_REFUSED};

const FILES: &[(&str, &str)] = &[
    ("cunwu.toml", include_str!("starter/cunwu.toml")),
    ("data/areas.toml", include_str!("starter/areas.toml")),
    ("content/_index.md", include_str!("starter/index.md")),
    (
        "content/plans/_index.md",
        include_str!("starter/plans_index.md"),
    ),
    (
        "content/plans/2020-work-plan.md",
        include_str!("starter/plan.md"),
    ),
    (".gitignore", include_str!("starter/gitignore")),
];

pub fn run(dir: &Path) -> i32 {
    if let Ok(mut entries) = std::fs::read_dir(dir) {
        if entries.next().is_some() {
            eprintln!(
                "目录 {0} 已存在且不为空，未做任何改动。/ {0} exists and is not empty; nothing was changed.",
                dir.display()
            );
            return EXIT_REFUSED;
        }
    }
    for (rel, text) in FILES {
        let path = dir.join(rel);
        let result = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, text));
        if let Err(e) = result {
            eprintln!("无法写入 {} / cannot write it: {e}", path.display());
            return EXIT_REFUSED;
        }
    }
    if let Err(e) = std::fs::create_dir_all(dir.join("private")) {
        eprintln!(
            "无法创建 {} / cannot create it: {e}",
            dir.join("private").display()
        );
        return EXIT_REFUSED;
    }
    eprintln!(
        "已新建门户 {0}。下一步 / next: cunwu build --root {0}",
        dir.display()
    );
    EXIT_OK
}
