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
use crate::render::contexts::Job;
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
    /// Part of `outputs`: tokenizing and writing the search index.
    pub search: Duration,
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

/// The site assembled and the templates compiled: ready to render.
struct Prepared {
    site: Site,
    theme: Theme,
    renderer: Renderer,
    diags: Diagnostics,
    timings: Timings,
}

/// config, load, parse, model; then the theme and its templates.
fn prepare(opts: &Options, progress: &dyn Fn(&str)) -> Result<Prepared, Diagnostics> {
    let mut t = Timings::default();
    let mut diags = Diagnostics::new();
    // The search index needs jieba's dictionary; it loads while the files are read.
    crate::outputs::search::tokenizer::warm_up();
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
    let theme = Theme::load(&opts.root, &site.config.theme)?;
    diags.extend(theme.warnings.iter().cloned());
    let renderer = Renderer::new(&theme, &site)?;
    Ok(Prepared {
        site,
        theme,
        renderer,
        diags,
        timings: t,
    })
}

/// Renders the pages and makes the other outputs side by side (both only
/// read the site), handing every file to `sink`. The search page comes last:
/// it names the index's versioned folder.
fn produce(
    p: &mut Prepared,
    progress: &dyn Fn(&str),
    sink: &(dyn Fn(OutputFile) -> Result<(), Diagnostic> + Sync),
) {
    progress("渲染页面，生成搜索索引、日历和二维码");
    let started = Instant::now();
    let jobs: Vec<Job> = render::contexts::jobs(&p.site)
        .into_iter()
        .filter(|j| *j != Job::Search)
        .collect();
    let (render_diags, (output_diags, search_root, outputs_time, search_time)) = rayon::join(
        || render::render_each(&p.site, &p.renderer, &jobs, sink),
        || {
            let s = Instant::now();
            let mut diags = Diagnostics::new();
            let (root, search) = outputs::versioned_search(&p.site);
            let search_time = s.elapsed();
            for f in outputs::generate(&p.site, &p.theme)
                .into_iter()
                .chain(search)
            {
                if let Err(d) = sink(f) {
                    diags.push(d);
                }
            }
            (diags, root, s.elapsed(), search_time)
        },
    );
    p.renderer
        .set_search_index(&model::join_url(&p.site.config.base_path(), &search_root));
    let search_diags = render::render_each(&p.site, &p.renderer, &[Job::Search], sink);
    // render: pages and outputs together; outputs: the outputs alone
    p.timings.render = started.elapsed();
    p.timings.outputs = outputs_time;
    p.timings.search = search_time;
    p.diags.extend(render_diags);
    p.diags.extend(output_diags);
    p.diags.extend(search_diags);
}

/// [`compile`], telling `progress` the name of each stage as it starts.
pub fn compile_with(opts: &Options, progress: &dyn Fn(&str)) -> Result<Compiled, Diagnostics> {
    let mut p = prepare(opts, progress)?;
    let files = std::sync::Mutex::new(Vec::new());
    produce(&mut p, progress, &|f| {
        files.lock().unwrap_or_else(|e| e.into_inner()).push(f);
        Ok(())
    });
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    check_duplicates(&files, &mut p.diags);
    if p.diags.has_errors() {
        return Err(p.diags.sorted());
    }
    Ok(Compiled {
        site: p.site,
        files,
        warnings: p.diags.sorted(),
        timings: p.timings,
    })
}

fn duplicate(path: &str) -> Diagnostic {
    Diagnostic::error(format!("两个文件都要写到 {path}"))
        .hint("content/ 或 static/ 里的某个文件与 zhibu 生成的文件同名；给它改个名字")
}

/// Two outputs with one path (a page named like a generated one).
fn check_duplicates(files: &[OutputFile], diags: &mut Diagnostics) {
    for w in files.windows(2) {
        if w[0].path == w[1].path {
            diags.push(duplicate(&w[0].path));
        }
    }
}

pub struct BuildReport {
    pub site: Site,
    pub warnings: Diagnostics,
    pub timings: Timings,
    /// HTML files written.
    pub pages: usize,
    pub output: PathBuf,
    pub elapsed: Duration,
}

/// Builds and writes the site atomically.
pub fn build(opts: &Options) -> Result<BuildReport, Diagnostics> {
    build_with(opts, &|_| {})
}

/// [`build`]: pages go to disk as soon as they are rendered (a big site is
/// never held in memory whole) into a staging folder that replaces the
/// output only when everything succeeded.
pub fn build_with(opts: &Options, progress: &dyn Fn(&str)) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let output = opts.output_dir();
    write::check_output_dir(&output, &opts.root)?;
    let mut p = prepare(opts, progress)?;
    let staging = write::Staging::open(&output)?;
    let pages = std::sync::atomic::AtomicUsize::new(0);
    let written = std::sync::Mutex::new(HashSet::new());
    produce(&mut p, progress, &|f| {
        if !written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(f.path.clone())
        {
            return Err(duplicate(&f.path));
        }
        if f.path.ends_with(".html") {
            pages.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        staging.put(&f)
    });
    if p.diags.has_errors() {
        // The output folder is untouched; the staging folder is synced next time.
        return Err(p.diags.sorted());
    }
    progress("写入输出文件夹");
    let w = Instant::now();
    staging.finish()?;
    p.timings.write = w.elapsed();
    Ok(BuildReport {
        site: p.site,
        warnings: p.diags.sorted(),
        timings: p.timings,
        pages: pages.into_inner(),
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
