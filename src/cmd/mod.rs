//! The command line. clap stays here: arguments become validated
//! [`pipeline::Options`] before any stage runs.

mod build;
mod check;
mod init;
mod report;
mod serve;
mod template;

pub use report::print_diagnostics;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::messages::Lang;

pub use crate::exit::{EXIT_OK, EXIT_REFUSED, EXIT_USAGE};

#[derive(Parser, Debug)]
#[command(
    name = "cunwu",
    version,
    about = "村务公开网站生成器 / static-site generator for village transparency portals",
    long_about = "cunwu 读取 content/ 下的 Markdown 计划和 data/ 下的 TOML 数据，\
核对资金和目标是否对得上，拒绝发布任何个人或单户信息，然后在 public/ 生成静态网站。\n\n\
cunwu reads Markdown plans (content/) and TOML figures (data/), checks that funds and \
targets add up, refuses to publish anything about an individual household, and writes a \
static site to public/.",
    after_help = "常用 / Common:\n  cunwu build              生成网站到 public/\n  cunwu check              只核查，不生成\n  cunwu serve              本地预览 http://127.0.0.1:1111/\n  cunwu init 新门户目录     新建一个门户\n  cunwu template 目录      生成 Excel/WPS 表格模板（数据模板.xlsx）\n\n\
退出码 / exit codes: 0 成功 ok, 1 核查或隐私检查未通过 refused, 2 用法错误 usage error"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// 核查并生成网站 / check, then build the site into public/
    Build(BuildArgs),
    /// 只核查数据和文稿，不生成网站 / check data and documents without building
    Check(CheckArgs),
    /// 新建一个最小的门户 / create a new, minimal portal in DIR
    Init(InitArgs),
    /// 本地预览，修改后自动刷新 / live preview in a browser, rebuilt on every change
    Serve(ServeArgs),
    /// 生成表格模板（每种数据一张表，中文列名）/ write spreadsheet templates (a sheet per kind, Chinese headers)
    Template(TemplateArgs),
}

#[derive(Args, Debug)]
struct TemplateArgs {
    /// 模板放到哪个目录（默认当前目录）/ folder to write the templates into (default: here)
    #[arg(default_value = ".")]
    dir: PathBuf,
}

#[derive(Args, Debug)]
struct ServeArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// 监听地址，默认只允许本机访问 / address to listen on (default: this computer only)
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// 端口；0 表示自动选择空闲端口 / port; 0 picks a free one
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// 启动后打开浏览器 / open a browser
    #[arg(long)]
    open: bool,
}

#[derive(Args, Debug, Clone)]
struct CommonArgs {
    /// 门户目录（含 cunwu.toml）/ the portal folder (holds cunwu.toml)
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// 提示语言 / language of messages
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    /// 监测对象名单文件（放在门户目录以外），其中任何姓名出现在网站上都会拒绝生成
    /// / a file of monitored household members' names, kept outside the portal;
    /// the build fails if any of them appears anywhere
    #[arg(long, value_name = "FILE")]
    roster: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct BuildArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// 输出目录，默认为门户下的 public/ / output folder (default: ROOT/public)
    #[arg(long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// 只输出错误和一行总结 / print only errors and a one-line summary
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Args, Debug)]
struct CheckArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// 输出格式 / output format
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

#[derive(Args, Debug)]
struct InitArgs {
    /// 新门户的目录（必须不存在或为空）/ folder for the new portal (must be new or empty)
    dir: PathBuf,
}

#[derive(ValueEnum, Debug, Clone, Copy)]
enum LangArg {
    Zh,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
    }
}

/// Output format of `check`.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

/// Parses the arguments and runs the command; returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    match cli.command {
        Command::Build(a) => build::run(
            &a.common.root,
            a.output,
            a.common.roster,
            a.common.lang.map(Into::into),
            a.quiet,
        ),
        Command::Check(a) => check::run(
            &a.common.root,
            a.common.roster,
            a.common.lang.map(Into::into),
            a.format,
        ),
        Command::Init(a) => init::run(&a.dir),
        Command::Serve(a) => serve::run(
            a.common.root,
            a.common.roster,
            a.common.lang.map(Into::into),
            a.bind,
            a.port,
            a.open,
        ),
        Command::Template(a) => template::run(&a.dir),
    }
}
