//! The whole build as one call: config → load → parse → model → render →
//! outputs → write. `check` and `serve` use the same stages.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, Utc};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{BuildOptions, Site};
use crate::outputs::OutputFile;
use crate::parse::privacy::Allow;
use crate::parse::{Kind, ParseContext};
use crate::render::Renderer;
use crate::render::theme::Theme;
use crate::{load, model, outputs, parse, render, write};

#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The site's folder (holding site.toml).
    pub root: PathBuf,
    /// Where to write; `public/` under root when not given.
    pub output: Option<PathBuf>,
    /// Overrides base_url from site.toml.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// "Now" for upcoming activities; the clock when not given.
    pub now: Option<DateTime<FixedOffset>>,
}

impl Options {
    pub fn for_site(root: impl Into<PathBuf>) -> Self {
        Options {
            root: root.into(),
            ..Default::default()
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// Time spent in each stage, for the summary line and benchmarks.
#[derive(Clone, Debug, Default)]
pub struct Timings {
    pub load: Duration,
    pub parse: Duration,
    pub model: Duration,
    pub render: Duration,
    pub outputs: Duration,
    pub write: Duration,
}

/// A site compiled in memory: everything but the writing.
pub struct Compiled {
    pub site: Site,
    pub files: Vec<OutputFile>,
    /// Warnings (errors make `compile` fail).
    pub warnings: Diagnostics,
    pub timings: Timings,
}

impl Compiled {
    pub fn page_count(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .count()
    }
}

/// Reads site.toml, applying command-line overrides.
pub fn load_config(opts: &Options) -> Result<Config, Diagnostics> {
    let mut config = Config::load(&opts.root.join("site.toml"), Path::new("site.toml"))?;
    if let Some(url) = &opts.base_url {
        config.set_base_url(url)?;
    }
    Ok(config)
}

/// Runs every stage up to (not including) writing.
pub fn compile(opts: &Options) -> Result<Compiled, Diagnostics> {
    compile_with(opts, &|_| {})
}

/// [`compile`], telling `progress` the name of each stage as it starts.
pub fn compile_with(opts: &Options, progress: &dyn Fn(&str)) -> Result<Compiled, Diagnostics> {
    let mut t = Timings::default();
    let mut diags = Diagnostics::new();
    let config = load_config(opts)?;
    let now = opts
        .now
        .unwrap_or_else(|| Utc::now().with_timezone(&config.offset()));

    progress("读取内容");
    let started = Instant::now();
    let loaded = load::load(&opts.root.join("content"));
    diags.extend(loaded.diagnostics);
    t.load = started.elapsed();

    progress("解析 Markdown");
    let started = Instant::now();
    let mut files: HashSet<String> = loaded.files.iter().map(|f| f.rel.clone()).collect();
    files.extend(loaded.loose_assets.iter().map(|a| a.rel.clone()));
    files.extend(
        loaded
            .files
            .iter()
            .flat_map(|f| f.assets.iter().map(|a| a.rel.clone())),
    );
    let allow = Allow::new(&config.privacy.allow);
    let ctx = ParseContext {
        offset: config.offset(),
        allow: &allow,
        files: &files,
    };
    let (parsed, parse_diags) = parse::parse_all(loaded.files, &ctx);
    diags.extend(parse_diags);
    t.parse = started.elapsed();

    progress("整理站点");
    let started = Instant::now();
    let build_opts = BuildOptions {
        drafts: opts.drafts,
        now,
    };
    let parsed = parsed.into_iter().map(std::sync::Arc::new).collect();
    let (site, model_diags) = model::assemble(config, parsed, loaded.loose_assets, &build_opts);
    diags.extend(model_diags);
    t.model = started.elapsed();
    if diags.has_errors() {
        return Err(diags.sorted());
    }

    progress("渲染页面，生成搜索索引、日历和二维码");
    let started = Instant::now();
    let theme = Theme::load(&opts.root, &site.config.theme)?;
    let renderer = Renderer::new(&theme, &site)?;
    // Pages and the other outputs only read the site: they run side by
    // side, filling each other's idle moments on the thread pool.
    let ((mut files, render_diags), (extra, outputs_time)) = rayon::join(
        || render::render_site(&site, &renderer),
        || {
            let s = Instant::now();
            let e = outputs::generate(&site, &theme);
            (e, s.elapsed())
        },
    );
    // render: pages and outputs together; outputs: the outputs alone
    t.render = started.elapsed();
    t.outputs = outputs_time;
    diags.extend(render_diags);
    if diags.has_errors() {
        return Err(diags.sorted());
    }
    files.extend(extra);
    check_duplicates(&files, &mut diags);
    if diags.has_errors() {
        return Err(diags.sorted());
    }
    Ok(Compiled {
        site,
        files,
        warnings: diags.sorted(),
        timings: t,
    })
}

/// Two outputs with one path (a content file named like a generated one).
fn check_duplicates(files: &[OutputFile], diags: &mut Diagnostics) {
    let mut seen = HashSet::new();
    for f in files {
        if !seen.insert(f.path.as_str()) {
            diags.push(
                Diagnostic::error(format!("两个文件都要写到 {}", f.path))
                    .hint("content/ 或 static/ 里的某个文件与 zhibu 生成的文件同名；给它改个名字"),
            );
        }
    }
}

pub struct BuildReport {
    pub compiled: Compiled,
    pub output: PathBuf,
    pub elapsed: Duration,
}

/// Compiles and writes the site atomically.
pub fn build(opts: &Options) -> Result<BuildReport, Diagnostics> {
    build_with(opts, &|_| {})
}

pub fn build_with(opts: &Options, progress: &dyn Fn(&str)) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let output = opts.output_dir();
    write::check_output_dir(&output, &opts.root)?;
    let mut compiled = compile_with(opts, progress)?;
    progress("写入输出文件夹");
    let w = Instant::now();
    write::write_output(&output, &compiled.files)?;
    compiled.timings.write = w.elapsed();
    Ok(BuildReport {
        compiled,
        output,
        elapsed: started.elapsed(),
    })
}

/// `3 门课程 · 12 课 · 6 位成员 · 14 次活动`
pub fn content_summary(site: &Site) -> String {
    let count = |k: Kind| site.pages.iter().filter(|p| p.kind == k).count();
    format!(
        "{} 门课程 · {} 课 · {} 位成员 · {} 次活动 · {} 个页面",
        site.courses.len(),
        count(Kind::Lesson),
        count(Kind::Member),
        count(Kind::Activity),
        count(Kind::Page)
    )
}
