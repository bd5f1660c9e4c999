//! Stage 4: pages through Tera templates. Templates are compiled once; pages
//! render in parallel, each from plain view structs (see [`views`]).

pub mod charts;
pub mod contexts;
pub mod plan_view;
pub mod quiz_view;
pub mod theme;
pub mod views;

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;
use tera::{Context, Tera};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Page, Site};
use crate::outputs::OutputFile;
use crate::parse::Kind;
use contexts::{Cx, Job};
use theme::Theme;
use views::Views;

/// Compiled templates and where each came from (for messages).
pub struct Renderer {
    tera: Tera,
    origins: HashMap<String, (PathBuf, String)>,
}

impl Renderer {
    /// Compiles every template of the theme (with the site's overrides).
    pub fn new(theme: &Theme, site: &Site) -> Result<Renderer, Diagnostics> {
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml", ".svg"]);
        // `{{ 2.5 | num }}` -> 2.5, `{{ 3.0 | num }}` -> 3: hours and counts for people.
        tera.register_filter("num", |v: f64, _: tera::Kwargs, _: &tera::State| {
            charts::number(v)
        });
        let mut origins = HashMap::new();
        let mut diags = Diagnostics::new();
        let mut sources = Vec::new();
        for (name, file) in theme.templates() {
            let text = match String::from_utf8(file.bytes.to_vec()) {
                Ok(t) => t,
                Err(_) => {
                    diags.push(Diagnostic::error("模板文件不是 UTF-8 编码").in_file(&file.origin));
                    continue;
                }
            };
            origins.insert(name.to_string(), (file.origin.clone(), text.clone()));
            sources.push((name.to_string(), text));
        }
        if let Err(e) = tera.add_raw_templates(sources) {
            diags.extend(template_errors(&e, &origins));
        }
        if diags.has_errors() {
            return Err(diags);
        }
        let strings = theme.strings(&site.config.language)?;
        tera.global_context().insert("t", &strings);
        // `{{ meta.root }}{{ assets["css/zhibu.css"] }}`: static files by their
        // output names (styles and scripts carry a content hash).
        tera.global_context()
            .insert("assets", &crate::outputs::assets::fingerprints(theme));
        tera.global_context().insert(
            "search_index",
            &format!("{}search/", site.config.base_path()),
        );
        tera.global_context()
            .insert("config_extra", &site.config.extra);
        let mut r = Renderer { tera, origins };
        r.set_site(site);
        Ok(r)
    }

    /// Where search.js finds the index (a versioned folder in `build`).
    pub fn set_search_index(&mut self, url: &str) {
        self.tera.global_context().insert("search_index", url);
    }

    /// Updates the `site` every template sees (titles, totals, menu).
    pub fn set_site(&mut self, site: &Site) {
        let views = Views::new(site);
        self.tera
            .global_context()
            .insert("site", &views.site_view());
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }

    pub fn render(&self, template: &str, ctx: &Context) -> Result<String, Diagnostic> {
        self.tera.render(template, ctx).map_err(|e| {
            let mut d = template_errors(&e, &self.origins);
            // Rendering stops at the first problem, so there is exactly one.
            d.swap_remove(0)
        })
    }
}

/// A Tera error as diagnostics pointing into the template file. Tera reports
/// some problems (unknown filters, includes …) as ready-made text with
/// `--> name:line:col` lines; those are read back into positions.
fn template_errors(
    e: &tera::Error,
    origins: &HashMap<String, (PathBuf, String)>,
) -> Vec<Diagnostic> {
    let at = |name: &str, line: u32, col: u32, width: usize, message: &str| {
        let (file, text) = origins
            .get(name)
            .map(|(p, t)| (p.clone(), Some(t.as_str())))
            .unwrap_or_else(|| (PathBuf::from(name), None));
        Diagnostic::error(format!("模板出错：{message}"))
            .in_file(file)
            .at(text, line, col)
            .width(width)
            .hint("检查这个模板；站点 templates/ 里的同名文件会覆盖主题里的模板")
    };
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let span = r.span();
            let width = if span.start_line == span.end_line {
                span.end_col.saturating_sub(span.start_col)
            } else {
                1
            };
            vec![at(
                r.filename(),
                span.start_line as u32,
                span.start_col as u32 + 1,
                width,
                r.message(),
            )]
        }
        tera::ErrorKind::TemplateNotFound(name) => vec![
            Diagnostic::error(format!("找不到模板 {name}")).hint(format!(
                "在站点的 templates/ 或主题的 templates/ 里放一个 {name}"
            )),
        ],
        other => {
            let text = other.to_string();
            let found: Vec<Diagnostic> = REPORT
                .captures_iter(&text)
                .map(|c| {
                    let line = c[3].parse().unwrap_or(0);
                    let col = c[4].parse().unwrap_or(0);
                    at(&c[2], line, col, 1, c[1].trim())
                })
                .collect();
            if found.is_empty() {
                vec![
                    Diagnostic::error(format!("模板出错：{text}"))
                        .hint("检查站点 templates/ 和主题里的模板"),
                ]
            } else {
                found
            }
        }
    }
}

static REPORT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?m)^\s*error: (.+)\n\s*--> ([^:\n]+):(\d+):(\d+)").expect("valid regex")
});

fn template_for(r: &Renderer, p: &Page) -> String {
    if let Some(t) = p.extra().get("template").and_then(|v| v.as_str())
        && r.has(t)
    {
        return t.to_string();
    }
    match p.kind {
        Kind::Lesson => "lesson.html",
        Kind::Member => "member.html",
        Kind::Activity => "activity.html",
        Kind::Plan => "plan.html",
        _ => "page.html",
    }
    .to_string()
}

/// Renders every page, list and feed, in parallel. Problems are collected,
/// not fatal one by one.
pub fn render_site(site: &Site, r: &Renderer) -> (Vec<OutputFile>, Diagnostics) {
    render_jobs(site, r, &contexts::jobs(site))
}

/// Renders the given jobs only (`serve` re-renders what an edit touched).
pub fn render_jobs(site: &Site, r: &Renderer, jobs: &[Job]) -> (Vec<OutputFile>, Diagnostics) {
    let out = std::sync::Mutex::new(Vec::with_capacity(jobs.len()));
    let diags = render_each(site, r, jobs, &|f| {
        out.lock().unwrap_or_else(|e| e.into_inner()).push(f);
        Ok(())
    });
    let mut out = out.into_inner().unwrap_or_else(|e| e.into_inner());
    // Threads finish in any order; the result never depends on it.
    out.sort_by(|a, b| a.path.cmp(&b.path));
    (out, diags)
}

/// Renders jobs in parallel, handing each file to `sink` as soon as it is
/// ready (`build` writes it straight to disk). Problems are collected.
pub fn render_each(
    site: &Site,
    r: &Renderer,
    jobs: &[Job],
    sink: &(dyn Fn(OutputFile) -> Result<(), Diagnostic> + Sync),
) -> Diagnostics {
    let cx = Cx::new(site, Views::new(site));
    let problems: Vec<Diagnostic> = jobs
        .par_iter()
        .filter_map(|job| {
            let (path, ctx) = cx.context(job);
            let tpl = match job {
                Job::Page(id) => template_for(r, site.page(*id)),
                _ => job.template(site, r),
            };
            let result = r
                .render(&tpl, &ctx)
                .map_err(|d| match job {
                    Job::Page(id) => {
                        d.hint(format!("渲染 content/{} 时出错", site.page(*id).source))
                    }
                    _ => d,
                })
                .and_then(|s| sink(OutputFile::bytes(path, s.into_bytes())));
            result.err()
        })
        .collect();
    Diagnostics(problems)
}
