//! `cunwu serve`.

use std::net::IpAddr;
use std::path::PathBuf;

use crate::messages::Lang;
use crate::pipeline::Options;
use crate::serve::{ServeOptions, run as run_server};

pub fn run(
    root: PathBuf,
    roster: Option<PathBuf>,
    lang: Option<Lang>,
    bind: IpAddr,
    port: u16,
    open: bool,
) -> i32 {
    let pipeline = Options {
        root,
        output: None,
        lang,
        roster,
    };
    run_server(ServeOptions {
        pipeline,
        bind,
        port,
        open,
    })
}
