//! The whole build as one call: a [`Session`] (config, theme, templates),
//! then load → parse → model, then [`produce`] every route beside the
//! search index, then write. `check` compiles in memory; `serve` keeps the
//! same session and produces only what an edit touched.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};

use crate::cache::{self, Cache};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::files::OutputFile;
use crate::model::{self, Site};
use crate::outputs::search;
use crate::parse::Kind;
use crate::produce::{Sink, produce};
use crate::render::views::Memo;
use crate::session::{SearchPlacement, Session};
use crate::{images, load, parse, routes, write};

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
    /// `--no-cache`: neither read nor write `.zhibu/cache/` (same output).
    pub no_cache: bool,
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
    /// Photos: resized copies made or found in the cache (issue 13).
    pub images: Duration,
    /// Making every output (pages and search index side by side).
    pub render: Duration,
    /// Part of `render`: tokenizing and writing the search index.
    pub search: Duration,
    pub write: Duration,
}

/// What a site holds, for the summary line and tests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub courses: usize,
    pub lessons: usize,
    pub members: usize,
    pub activities: usize,
    pub notices: usize,
    pub upcoming: usize,
    pub pages: usize,
    pub quizzes: usize,
}

impl Summary {
    fn of(site: &Site) -> Summary {
        let count = |k: Kind| site.pages.iter().filter(|p| p.kind == k).count();
        Summary {
            courses: site.courses.len(),
            lessons: count(Kind::Lesson),
            members: count(Kind::Member),
            activities: count(Kind::Activity),
            notices: count(Kind::Notice),
            upcoming: site.upcoming.len(),
            pages: count(Kind::Page),
            quizzes: site.pages.iter().filter(|p| p.quiz().is_some()).count(),
        }
    }
}

impl std::fmt::Display for Summary {
    /// `3 门课程 · 12 课 · 6 位成员 · 14 次活动 · 5 条通知公告 · 2 个页面`
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "{} 门课程 · {} 课 · {} 位成员 · {} 次活动 · {} 条通知公告 · {} 个页面",
            self.courses, self.lessons, self.members, self.activities, self.notices, self.pages
        )
    }
}

/// A site compiled in memory: everything but the writing.
pub struct Compiled {
    pub(crate) site: Site,
    pub files: Vec<OutputFile>,
    /// Warnings (errors make `compile` fail).
    pub warnings: Diagnostics,
    pub timings: Timings,
    /// How many photos were published, from the cache, with a location.
    pub images: images::Summary,
}

impl Compiled {
    pub fn page_count(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .count()
    }

    pub fn summary(&self) -> Summary {
        Summary::of(&self.site)
    }

    /// The site's path part of base_url (`/` or `/dangjian/zhibu1/`).
    pub fn base_path(&self) -> String {
        self.site.config.base_path()
    }

    /// The search index made again from the compiled site (benchmarks).
    pub fn search_index(&self) -> Vec<OutputFile> {
        search::Input::of(&self.site).build(&|| {})
    }
}

/// A site as far as the model: every file read and parsed, every page placed.
pub(crate) struct Prepared {
    pub(crate) site: Site,
    pub(crate) diags: Diagnostics,
    pub(crate) timings: Timings,
    /// The photos' counts, once [`photos`] ran.
    pub(crate) images: images::Summary,
}

/// load, parse, model. Errors of any stage stop here, with all of that
/// stage's problems.
pub(crate) fn prepare(
    s: &Session,
    progress: &dyn Fn(&str),
    cache: &Cache,
) -> Result<Prepared, Diagnostics> {
    let mut t = Timings::default();
    let mut diags = Diagnostics::new();
    // Theme, templates/ and static/ files skipped (links leading out of the site).
    diags.extend(s.theme.warnings.iter().cloned());
    // The search index needs jieba's dictionary; it loads while the files
    // are read, unless the build cache holds the pages' terms.
    let warming = s.opts.no_cache || !search::TermCache::probably_there(&s.opts.root);
    if warming {
        search::tokenizer::warm_up();
    }

    progress("读取内容");
    let started = Instant::now();
    let loaded = load::load(&s.content_dir());
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
    let parsed = parse::parse_all(loaded.files, &s.parse_context(&files), cache);
    diags.extend(parsed.diags);
    t.parse = started.elapsed();
    if parsed.fresh > 0 && !warming {
        // A text changed: its terms will be segmented, so jieba's
        // dictionary loads while the site is put together.
        search::tokenizer::warm_up();
    }

    progress("整理站点");
    let started = Instant::now();
    let parsed = parsed.pages.into_iter().map(Arc::new).collect();
    let (site, model_diags) = model::assemble(
        s.config.clone(),
        parsed,
        loaded.loose_assets,
        &s.build_options(),
    );
    diags.extend(model_diags);
    t.model = started.elapsed();
    if diags.has_errors() {
        return Err(diags.sorted());
    }
    Ok(Prepared {
        site,
        diags,
        timings: t,
        images: images::Summary::default(),
    })
}

/// The name of the photos stage for `progress` (the CLI hides its spinner
/// while the photos' own bar runs).
pub const PHOTOS: &str = "处理图片";

/// The build cache: `.zhibu/cache/` unless `--no-cache` (or a warning
/// when it cannot be used). Without it, `scratch` (a folder the build
/// deletes at its end) holds the photos' copies until they are written;
/// `None` keeps them in memory.
pub(crate) fn open_cache(
    s: &Session,
    scratch: Option<PathBuf>,
) -> (Arc<Cache>, Option<Diagnostic>) {
    let (cache, warning) = if s.opts.no_cache {
        (Cache::disabled(), None)
    } else {
        Cache::open(&s.opts.root)
    };
    let cache = match scratch {
        Some(dir) if !cache.is_enabled() => Cache::scratch(dir),
        _ => cache,
    };
    (Arc::new(cache), warning)
}

/// The photos stage, after the model: every image a page shows is made
/// into its copies (or found in the build cache) and put into the model.
/// Errors (a HEIC file, a broken photo) stop here, all of them reported.
pub(crate) fn photos(
    s: &Session,
    p: &mut Prepared,
    progress: &dyn images::Progress,
    cache: &Arc<Cache>,
) -> Result<(), Diagnostics> {
    let started = Instant::now();
    let processor = images::Processor::new(&s.opts.root, &s.config.images, Arc::clone(cache));
    let run = images::jobs::run(&p.site, &s.theme, &processor, progress);
    p.site.images = Arc::new(run.published);
    p.images = run.summary;
    p.diags.extend(run.diagnostics);
    p.timings.images = started.elapsed();
    if p.diags.has_errors() {
        return Err(std::mem::take(&mut p.diags).sorted());
    }
    Ok(())
}

/// Output paths some file system would refuse, or that clash by case,
/// once every route is known (photos' copies included), before anything
/// is written.
fn check_paths(p: &mut Prepared) -> Result<(), Diagnostics> {
    p.diags.extend(crate::paths_check::check_site(&p.site));
    if p.diags.has_errors() {
        return Err(std::mem::take(&mut p.diags).sorted());
    }
    Ok(())
}

/// Every route of the site and, beside them, the search index (both only
/// read the site), each file handed to `sink`.
fn produce_all(
    s: &Session,
    p: &mut Prepared,
    progress: &dyn Fn(&str),
    cache: &Cache,
    warm: Option<crate::produce::Warm>,
    sink: Sink,
) {
    progress("渲染页面，生成搜索索引、日历和二维码");
    let started = Instant::now();
    let site = &p.site;
    let input = search::Input::of(site);
    let dir = s.search_dir(&input);
    // The index's folder is named after its input: when the last build's
    // is in place, there is nothing to make.
    let search_in_place = dir != routes::SEARCH && warm.is_some_and(|w| w.keep_all_under(&dir));
    let terms = if cache.is_enabled() && !search_in_place {
        search::TermCache::load(cache, input.terms_salt())
    } else {
        search::TermCache::empty()
    };
    let memo = Memo::new(site.pages.len());
    let todo = routes::all(site, s.statics.len());
    let (diags, (search_diags, search_time)) = rayon::join(
        || produce(s, site, &memo, &dir, &todo, warm, sink),
        || {
            let started = Instant::now();
            let mut diags = Diagnostics::new();
            if search_in_place {
                return (diags, started.elapsed());
            }
            for mut f in input.build_cached(&|| {}, &terms) {
                if let Some(rest) = f.path.strip_prefix(routes::SEARCH) {
                    f.path = format!("{dir}{rest}");
                }
                if let Err(d) = sink(crate::produce::Made::search(f)) {
                    diags.push(d);
                }
            }
            (diags, started.elapsed())
        },
    );
    if !search_in_place {
        terms.save(cache);
    }
    p.timings.render = started.elapsed();
    p.timings.search = search_time;
    p.diags.extend(diags);
    p.diags.extend(search_diags);
}

/// Runs every stage up to (not including) writing.
pub fn compile(opts: &Options) -> Result<Compiled, Diagnostics> {
    compile_with(opts, &|_| {})
}

/// [`compile`], telling `progress` the name of each stage as it starts.
pub fn compile_with(opts: &Options, progress: &dyn Fn(&str)) -> Result<Compiled, Diagnostics> {
    let s = Session::open(opts, SearchPlacement::Versioned)?;
    let (cache, warning) = open_cache(&s, None);
    let mut p = prepare(&s, progress, &cache)?;
    p.diags.extend(warning);
    photos(&s, &mut p, &images::Silent, &cache)?;
    check_paths(&mut p)?;
    let files = Mutex::new(Vec::new());
    produce_all(&s, &mut p, progress, &Cache::disabled(), None, &|m| {
        files.lock().unwrap_or_else(|e| e.into_inner()).push(m.file);
        Ok(())
    });
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    for w in files.windows(2) {
        if w[0].path == w[1].path {
            p.diags.push(duplicate(&w[0].path));
        }
    }
    if p.diags.has_errors() {
        return Err(p.diags.sorted());
    }
    Ok(Compiled {
        site: p.site,
        files,
        warnings: p.diags.sorted(),
        timings: p.timings,
        images: p.images,
    })
}

/// `zhibu check`: everything a build validates, plus every internal link
/// and anchor of the output; writes nothing.
pub fn check(opts: &Options) -> Result<Diagnostics, Diagnostics> {
    let compiled = compile(opts)?;
    let mut diags = compiled.warnings.clone();
    let sources: std::collections::HashMap<String, &str> = compiled
        .site
        .pages
        .iter()
        .map(|p| (routes::file(&p.path), p.source.as_str()))
        .collect();
    for b in crate::check::check_links(&compiled.files, &compiled.base_path()) {
        diags.push(b.to_diagnostic(sources.get(&b.page).copied()));
    }
    Ok(diags)
}

/// Two outputs with one path (a page named like a generated one).
pub(crate) fn duplicate(path: &str) -> Diagnostic {
    Diagnostic::error(format!("两个文件都要写到 {path}"))
        .hint("content/ 或 static/ 里的某个文件与 zhibu 生成的文件同名；给它改个名字")
}

pub struct BuildReport {
    pub summary: Summary,
    pub warnings: Diagnostics,
    pub timings: Timings,
    /// How many photos were published, from the cache, with a location.
    pub images: images::Summary,
    /// HTML files written.
    pub pages: usize,
    pub output: PathBuf,
    pub elapsed: Duration,
}

/// Builds and writes the site atomically.
pub fn build(opts: &Options) -> Result<BuildReport, Diagnostics> {
    build_with(opts, &|_| {})
}

/// [`build`]: pages go to disk as soon as they are made (a big site is
/// never held in memory whole) into a staging folder that replaces the
/// output only when everything succeeded.
pub fn build_with(opts: &Options, progress: &dyn Fn(&str)) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let output = opts.output_dir();
    write::check_output_dir(&output, &opts.root)?;
    let s = Session::open(opts, SearchPlacement::Versioned)?;
    let scratch = write::sibling_dir(&output, "photos");
    let (cache, warning) = open_cache(&s, Some(scratch));
    let mut p = prepare(&s, progress, &cache)?;
    p.diags.extend(warning);
    progress(PHOTOS);
    photos(&s, &mut p, &images::Reporter::stderr(), &cache)?;
    check_paths(&mut p)?;
    // With the cache, the output folder as the last build left it is
    // updated in place (write::manifest).
    let track = cache.is_enabled();
    let previous = track
        .then(|| write::manifest::Manifest::load(&cache, &output))
        .flatten()
        .and_then(|m| m.verify(&output));
    let writer = write::Writer::open(&output, previous, cache.blobs())?;
    let written = Mutex::new(HashSet::new());
    let reads = track.then(|| write::reads::Recorded::load(&cache, &output));
    let warm = reads.as_ref().map(|reads| crate::produce::Warm {
        outputs: &writer,
        reads,
    });
    produce_all(&s, &mut p, progress, &cache, warm, &|m| {
        let f = m.file;
        if !written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(f.path.clone())
        {
            return Err(duplicate(&f.path));
        }
        let id = match m.key {
            Some(k) => k,
            None if track => write::content_id(&f, cache.root()),
            None => 0,
        };
        if let (Some(reads), None) = (&reads, m.route) {
            // A file of the search index: kept whole next time while its
            // folder's name is the same (`Warm::keep_all_under`).
            reads.remember_file(&f.path, id);
        }
        writer.put(&f, id)
    });
    if p.diags.has_errors() {
        // The output folder is untouched; the staging folder is synced next time.
        writer.abandon();
        return Err(p.diags.sorted());
    }
    progress("写入输出文件夹");
    let w = Instant::now();
    write::manifest::Manifest::forget(&cache, &output);
    let ids = writer.finish()?;
    let pages = ids
        .iter()
        .filter(|(path, ..)| path.ends_with(".html"))
        .count();
    if track {
        write::manifest::Manifest::record(&output, ids).save(&cache, &output);
    }
    if let Some(reads) = reads {
        reads.save(&cache, &output);
    }
    p.timings.write = w.elapsed();
    if cache.stats().recovered > 0 {
        p.diags.push(
            Diagnostic::warning(format!(
                "构建缓存 {} 里有 {} 个条目损坏，已忽略并重新生成",
                cache::DIR,
                cache.stats().recovered
            ))
            .hint("这次构建的结果不受影响。如果经常出现，请检查磁盘；也可以随时删除 .zhibu/cache/ 文件夹"),
        );
    }
    // Entries no build used for a month go (at most once a day).
    cache.prune(cache::PRUNE_AFTER);
    let Prepared {
        site,
        diags,
        timings,
        images,
    } = p;
    let report = BuildReport {
        summary: Summary::of(&site),
        warnings: diags.sorted(),
        timings,
        images,
        pages,
        output,
        elapsed: started.elapsed(),
    };
    // The model is a few hundred MB in small allocations (0.1 s to free at
    // 10 000 pages); the caller need not wait for that, and the CLI exits.
    std::thread::spawn(move || drop(site));
    Ok(report)
}
