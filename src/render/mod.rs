//! Stage 4: outputs through Tera templates. Templates are compiled once per
//! session, with the values that do not change while it lasts (interface
//! strings, the published names of static files, `[extra]`); everything
//! that depends on the content reaches a template through its context,
//! made in [`contexts`] from [`views`], which record what each output read.

pub(crate) mod changes;
pub(crate) mod charts;
mod contexts;
pub(crate) mod digest;
pub(crate) mod quiz_view;
mod templates;
pub(crate) mod views;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use tera::Tera;
use xxhash_rust::xxh3::Xxh3;

use crate::config::Config;
use crate::deps::{Dep, Key, Reads};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::parse::Kind;
use crate::routes::Route;
use crate::theme::Theme;

pub(crate) use contexts::{Ctx, Cx};

/// Compiled templates, where each came from (for messages) and which
/// fields of `site` each reads.
pub(crate) struct Renderer {
    tera: Tera,
    origins: HashMap<String, (PathBuf, String)>,
    site_reads: HashMap<String, Box<[Key]>>,
    /// A hash of the templates, the values compiled in with them and
    /// zhibu's code: everything besides the context that shapes an output.
    fingerprint: u128,
}

/// A template route ready to render: its template and context.
pub(crate) struct Job {
    template: String,
    ctx: Ctx,
}

impl Renderer {
    /// Compiles every template of the theme (with the site's overrides).
    /// `assets` are the published names of the static files.
    pub(crate) fn new(
        theme: &Theme,
        config: &Config,
        assets: &BTreeMap<String, String>,
    ) -> Result<Renderer, Diagnostics> {
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
        let site_reads = templates::site_reads(&sources);
        if let Err(e) = tera.add_raw_templates(sources) {
            diags.extend(templates::template_errors(&e, &origins));
        }
        if diags.has_errors() {
            return Err(diags);
        }
        let strings = theme.strings(&config.language)?;
        let mut h = Xxh3::new();
        crate::hashing::code(&mut h);
        let mut names: Vec<&String> = origins.keys().collect();
        names.sort();
        for name in names {
            h.update(name.as_bytes());
            crate::hashing::json_into(&mut h, &origins[name].1);
        }
        crate::hashing::json_into(&mut h, &strings);
        crate::hashing::json_into(&mut h, assets);
        crate::hashing::json_into(&mut h, &config.extra);
        let globals = tera.global_context();
        globals.insert("t", &strings);
        // `{{ meta.root }}{{ assets["css/zhibu.css"] }}`: static files by their
        // output names (styles and scripts carry a content hash).
        globals.insert("assets", assets);
        globals.insert("config_extra", &config.extra);
        Ok(Renderer {
            tera,
            origins,
            site_reads,
            fingerprint: h.digest128(),
        })
    }

    /// A hash of the templates, the values compiled in with them and
    /// zhibu's code.
    pub(crate) fn fingerprint(&self) -> u128 {
        self.fingerprint
    }

    fn has(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }

    /// The template of a route (`None`: the route is not rendered from a
    /// template). A page may name its own in front matter (`template:`);
    /// a section uses `section-<name>.html` when there is one.
    pub(crate) fn template(&self, route: Route, cx: &Cx) -> Option<String> {
        let site = cx.views().layout();
        let name = match route {
            Route::Page(id) => {
                let p = site.page(id);
                if let Some(t) = p.extra().get("template").and_then(|v| v.as_str())
                    && self.has(t)
                {
                    return Some(t.to_string());
                }
                match p.kind {
                    Kind::Lesson => "lesson.html",
                    Kind::Member => "member.html",
                    Kind::Activity => "activity.html",
                    Kind::Notice => "notice.html",
                    Kind::Plan => "plan.html",
                    _ => "page.html",
                }
            }
            Route::Home => "index.html",
            Route::Section(i, _) => {
                let own = format!("section-{}.html", site.sections[i].name);
                return Some(if self.has(&own) {
                    own
                } else {
                    "section.html".into()
                });
            }
            Route::Courses => "courses.html",
            Route::Course(_) => "course.html",
            Route::Tags => "tags.html",
            Route::Tag(..) => "tag.html",
            Route::Stats => "stats.html",
            Route::Search => "search.html",
            Route::Me => "me.html",
            Route::NotFound => "404.html",
            Route::Atom => "atom.xml",
            Route::Sitemap => "sitemap.xml",
            Route::Robots => "robots.txt",
            // 台账 and annual summaries (issue 14)
            Route::Ledger => "ledger-index.html",
            Route::LedgerYear(_) => "ledger.html",
            Route::StatsYear(_) => "stats-year.html",
            Route::Calendar
            | Route::Event(_)
            | Route::Qr(_)
            | Route::Theme(_)
            | Route::Loose(_)
            | Route::Bundle(..)
            | Route::Image(..)
            | Route::LedgerCsv(_) => return None,
        };
        Some(name.to_string())
    }

    /// The template and context of a route (`None` for routes without a
    /// template), recording in `r` what they read, `site` fields included.
    pub(crate) fn job(&self, route: Route, cx: &Cx, r: &mut Reads) -> Option<Job> {
        let template = self.template(route, cx)?;
        let ctx = cx.context(route, r)?;
        if let Some(fields) = self.site_reads.get(&template) {
            r.extend(fields.iter().map(|&k| Dep::Site(k)));
        }
        Some(Job { template, ctx })
    }

    /// A hash of everything the job's output is made from, given the hash
    /// of the `site` value: equal keys, equal bytes.
    pub(crate) fn key(&self, job: &Job, site_hash: u128) -> u128 {
        let mut h = Xxh3::new();
        h.update(&self.fingerprint.to_le_bytes());
        h.update(&site_hash.to_le_bytes());
        h.update(job.template.as_bytes());
        h.update(b"\0");
        job.ctx.hash_into(&mut h);
        h.digest128()
    }

    /// Renders a job with `site` (the site view, converted once per model)
    /// in its context.
    pub(crate) fn render(
        &self,
        job: Job,
        route: Route,
        cx: &Cx,
        site: &tera::Value,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut ctx = job.ctx.into_inner();
        ctx.insert_value("site", site.clone());
        let result = self.tera.render(&job.template, &ctx).map_err(|e| {
            // Rendering stops at the first problem, so there is exactly one.
            let d = templates::template_errors(&e, &self.origins).swap_remove(0);
            match route {
                Route::Page(id) => d.hint(format!(
                    "渲染 content/{} 时出错",
                    cx.views().layout().page(id).source
                )),
                _ => d,
            }
        });
        result.map(String::into_bytes)
    }
}
