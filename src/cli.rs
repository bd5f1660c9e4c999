//! The command line: `zhibu build | check | serve | new | init | tally`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::pipeline::{self, Options};
use crate::scaffold::{self, NewKind};

/// Exit status: 0 success, 1 the site has errors (or warnings with --strict),
/// 2 wrong usage of the command line.
pub const EXIT_ERRORS: u8 = 1;

#[derive(Parser, Debug)]
#[command(
    name = "zhibu",
    version,
    about = "支部网站生成器：把 Markdown 写的课程、先锋模范和活动生成静态网站"
)]
pub struct Cli {
    /// 站点所在文件夹（包含 site.toml）
    #[arg(long, short = 'r', global = true, default_value = ".")]
    pub root: PathBuf,
    /// 彩色输出
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// 生成网站到 public/（或 --output 指定的文件夹）
    Build {
        /// 覆盖 site.toml 里的 base_url
        #[arg(long)]
        base_url: Option<String>,
        /// 输出文件夹
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// 同时生成草稿（draft: true）
        #[arg(long)]
        drafts: bool,
        /// 另外把生成的网站打成一个 zip 压缩包（用于只能上传文件的主机）
        #[arg(long, value_name = "FILE")]
        zip: Option<PathBuf>,
        /// 把这个时间当作“现在”（RFC 3339），用于区分即将开展和已开展的活动
        #[arg(long, hide = true)]
        now: Option<String>,
        /// 打印各阶段用时
        #[arg(long, hide = true)]
        timings: bool,
        /// 不读也不写构建缓存 .zhibu/cache/（结果相同，只是更慢）
        #[arg(long)]
        no_cache: bool,
    },
    /// 检查全部内容和站内链接，不写任何文件
    Check {
        /// 把警告也当作错误
        #[arg(long)]
        strict: bool,
        #[arg(long)]
        base_url: Option<String>,
        #[arg(long)]
        drafts: bool,
        #[arg(long, hide = true)]
        now: Option<String>,
    },
    /// 预览：生成网站并在本机打开，保存文件后页面自动刷新
    Serve {
        /// 端口
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// 监听地址（默认只有本机能访问）
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// 同时预览草稿
        #[arg(long)]
        drafts: bool,
        /// 启动后打开浏览器
        #[arg(long)]
        open: bool,
        #[arg(long, hide = true)]
        now: Option<String>,
    },
    /// 新建一篇学习课程、一位成员、一次活动或一条通知公告
    New {
        #[arg(value_enum)]
        kind: NewKindArg,
        /// 标题（成员写姓名）
        title: String,
    },
    /// 新建一个带示例内容的站点
    Init {
        /// 新站点的文件夹（默认当前文件夹）
        dir: Option<PathBuf>,
    },
    /// 汇总读者发来的学习记录（导出的文件，或粘贴了学习记录码的文本文件）
    Tally {
        /// 学习记录文件（.json），或保存了学习记录码的文本文件，可以写多个
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// 按这个学习计划统计（content/plans/ 里计划的 slug）；默认是当前的学习计划
        #[arg(long, value_name = "SLUG")]
        plan: Option<String>,
        /// 另存为 CSV 表格（UTF-8 带 BOM，可以用 Excel 或 WPS 打开）
        #[arg(long, value_name = "OUT")]
        csv: Option<PathBuf>,
        /// 覆盖 site.toml 里的 base_url（用来识别其他网站的记录）
        #[arg(long)]
        base_url: Option<String>,
        #[arg(long, hide = true)]
        now: Option<String>,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum NewKindArg {
    Lesson,
    Member,
    Activity,
    Notice,
}

fn parse_now(now: &Option<String>) -> Result<Option<DateTime<FixedOffset>>, Diagnostic> {
    match now {
        None => Ok(None),
        Some(s) => DateTime::parse_from_rfc3339(s).map(Some).map_err(|_| {
            Diagnostic::error(format!("--now `{s}` 不是 RFC 3339 时间"))
                .hint("例如 2024-05-04T12:00:00+08:00")
        }),
    }
}

struct Out {
    color: bool,
}

impl Out {
    fn diagnostics(&self, d: &Diagnostics) {
        if !d.is_empty() {
            eprint!("{}", d.render(self.color));
        }
    }

    fn fail(&self, d: &Diagnostics, what: &str) -> ExitCode {
        self.diagnostics(d);
        eprintln!("{what}：{}", d.summary());
        ExitCode::from(EXIT_ERRORS)
    }
}

pub fn run(cli: Cli) -> ExitCode {
    let color = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let out = Out { color };
    let root = cli.root.clone();
    match cli.command {
        Command::Build {
            base_url,
            output,
            drafts,
            zip,
            now,
            timings,
            no_cache,
        } => {
            let now = match parse_now(&now) {
                Ok(n) => n,
                Err(d) => return out.fail(&d.into(), "生成失败"),
            };
            let opts = Options {
                root,
                output,
                base_url,
                drafts,
                now,
                no_cache,
            };
            build(&out, &opts, zip.as_deref(), timings)
        }
        Command::Check {
            strict,
            base_url,
            drafts,
            now,
        } => {
            let now = match parse_now(&now) {
                Ok(n) => n,
                Err(d) => return out.fail(&d.into(), "检查失败"),
            };
            let opts = Options {
                root,
                output: None,
                base_url,
                drafts,
                now,
                no_cache: false,
            };
            check(&out, &opts, strict)
        }
        Command::Serve {
            port,
            bind,
            drafts,
            open,
            now,
        } => {
            let now = match parse_now(&now) {
                Ok(n) => n,
                Err(d) => return out.fail(&d.into(), "预览没有启动"),
            };
            let report = |d: &Diagnostics| out.diagnostics(d);
            let opts = crate::serve::ServeOptions {
                root,
                port,
                bind,
                drafts,
                open,
                now,
            };
            match crate::serve::run(opts, &report) {
                Ok(()) => ExitCode::SUCCESS,
                Err(d) => out.fail(&d.into(), "预览没有启动"),
            }
        }
        Command::New { kind, title } => new(&out, &root, kind, &title),
        Command::Tally {
            files,
            plan,
            csv,
            base_url,
            now,
        } => tally(
            &out,
            root,
            &files,
            plan.as_deref(),
            csv.as_deref(),
            base_url,
            now,
        ),
        Command::Init { dir } => init(&out, dir.map(|d| root.join(d)).unwrap_or(root)),
    }
}

/// `zhibu build`: the site, a summary line, and the archive if asked for.
fn build(out: &Out, opts: &Options, zip: Option<&std::path::Path>, timings: bool) -> ExitCode {
    let spinner = spinner();
    let progress = |stage: &str| {
        if let Some(s) = &spinner {
            // The photos draw their own bar (images::Reporter): the spinner
            // steps aside meanwhile.
            if stage == pipeline::PHOTOS {
                s.set_draw_target(indicatif::ProgressDrawTarget::hidden());
            } else if s.is_hidden() {
                s.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
            s.set_message(stage.to_string());
        }
    };
    let result = pipeline::build_with(opts, &progress);
    if let Some(s) = &spinner {
        s.finish_and_clear();
    }
    let report = match result {
        Ok(r) => r,
        Err(d) => return out.fail(&d, "生成失败，输出文件夹保持原样"),
    };
    out.diagnostics(&report.warnings);
    if timings {
        eprintln!("{:?}", report.timings);
    }
    if let Some(z) = zip {
        match crate::outputs::archive::zip_dir(&report.output, z) {
            Ok(n) => eprintln!("已打包 {n} 个文件 → {}", display_path(z)),
            Err(d) => return out.fail(&d.into(), "网站已生成，但没有打包"),
        }
    }
    if let Some(l) = report.images.location_line() {
        eprintln!("{l}");
    }
    eprintln!(
        "已生成 {} 个页面（{}{}），用时 {:.2} 秒 → {}{}",
        report.pages,
        report.summary,
        report
            .images
            .line()
            .map(|l| format!(" · {l}"))
            .unwrap_or_default(),
        report.elapsed.as_secs_f64(),
        display_path(&report.output),
        if report.warnings.is_empty() {
            String::new()
        } else {
            format!("；{}", report.warnings.summary())
        }
    );
    ExitCode::SUCCESS
}

/// `zhibu check`: every problem, then a verdict.
fn check(out: &Out, opts: &Options, strict: bool) -> ExitCode {
    match pipeline::check(opts) {
        Ok(diags) => {
            out.diagnostics(&diags);
            if diags.has_errors() || (strict && !diags.is_empty()) {
                eprintln!("检查未通过：{}", diags.summary());
                ExitCode::from(EXIT_ERRORS)
            } else {
                eprintln!("检查通过：{}", diags.summary());
                ExitCode::SUCCESS
            }
        }
        Err(d) => out.fail(&d, "检查未通过"),
    }
}

fn new(out: &Out, root: &std::path::Path, kind: NewKindArg, title: &str) -> ExitCode {
    let kind = match kind {
        NewKindArg::Lesson => NewKind::Lesson,
        NewKindArg::Member => NewKind::Member,
        NewKindArg::Activity => NewKind::Activity,
        NewKindArg::Notice => NewKind::Notice,
    };
    let today = chrono::Local::now().date_naive();
    match scaffold::new_content(root, kind, title, today) {
        Ok(p) => {
            println!("{}", display_path(p.strip_prefix(root).unwrap_or(&p)));
            ExitCode::SUCCESS
        }
        Err(d) => out.fail(&d.into(), "没有新建文件"),
    }
}

fn init(out: &Out, dir: PathBuf) -> ExitCode {
    let today = chrono::Local::now().date_naive();
    match scaffold::init(&dir, today) {
        Ok(files) => {
            eprintln!(
                "已在 {} 新建站点（{} 个文件）。接下来：",
                display_path(&dir),
                files.len()
            );
            eprintln!("  cd {} && zhibu build", display_path(&dir));
            ExitCode::SUCCESS
        }
        Err(d) => out.fail(&d.into(), "没有新建站点"),
    }
}

/// `zhibu tally`: the readers' records summed up for the secretary.
fn tally(
    out: &Out,
    root: PathBuf,
    files: &[PathBuf],
    plan: Option<&str>,
    csv: Option<&std::path::Path>,
    base_url: Option<String>,
    now: Option<String>,
) -> ExitCode {
    let now = match parse_now(&now) {
        Ok(n) => n,
        Err(d) => return out.fail(&d.into(), "没有统计"),
    };
    let opts = Options {
        root,
        output: None,
        base_url,
        drafts: false,
        now,
        no_cache: false,
    };
    crate::tally::run(&opts, files, plan, csv, out.color)
}

fn spinner() -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let s = ProgressBar::new_spinner();
    s.set_style(
        ProgressStyle::with_template("{spinner} {msg} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    s.enable_steady_tick(Duration::from_millis(120));
    Some(s)
}
