//! `cunwu init DIR`: a new, minimal, valid portal from files built into the binary.

use std::path::Path;

use super::{EXIT_OK, EXIT_REFUSED};
use crate::messages::Msg;

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
    // A Chinese README for clerks: the folders, the commands, the rules of
    // writing figures, what never goes in, publishing (docs/zh/ in full).
    ("README.md", include_str!("starter/README.md")),
];

pub fn run(dir: &Path) -> i32 {
    if let Ok(mut entries) = std::fs::read_dir(dir) {
        if entries.next().is_some() {
            let dir = dir.display().to_string();
            eprintln!("{}", Msg::InitNotEmpty { dir: &dir }.both());
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
            let (path, error) = (path.display().to_string(), e.to_string());
            eprintln!(
                "{}",
                Msg::InitCannotWrite {
                    path: &path,
                    error: &error
                }
                .both()
            );
            return EXIT_REFUSED;
        }
    }
    if let Err(error) = super::template::write(&dir.join(super::template::INIT_DIR)) {
        let path = dir.join(super::template::INIT_DIR).display().to_string();
        eprintln!(
            "{}",
            Msg::InitCannotWrite {
                path: &path,
                error: &error
            }
            .both()
        );
        return EXIT_REFUSED;
    }
    if let Err(e) = std::fs::create_dir_all(dir.join("private")) {
        let (path, error) = (dir.join("private").display().to_string(), e.to_string());
        eprintln!(
            "{}",
            Msg::InitCannotCreate {
                path: &path,
                error: &error
            }
            .both()
        );
        return EXIT_REFUSED;
    }
    let dir = dir.display().to_string();
    eprintln!("{}", Msg::InitDone { dir: &dir }.both());
    EXIT_OK
}
