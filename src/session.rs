//! What `build`, `check` and `serve` share, settled before any content is
//! rendered: the options, site.toml, the privacy allow-list, the theme with
//! its compiled templates and the published names of its static files, the
//! moment taken as now, and where the search index goes. A change of
//! site.toml or of the theme opens a new session; nothing in a session
//! changes while it lasts, so nothing downstream needs a setter.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Utc};

use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::model::BuildOptions;
use crate::outputs::search;
use crate::parse::ParseContext;
use crate::parse::privacy::Allow;
use crate::pipeline::Options;
use crate::render::Renderer;
use crate::routes;
use crate::theme::Theme;

/// Where the search index is published.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SearchPlacement {
    /// In a folder named by a hash of the index's input and of the code
    /// that builds it (`search/1a2b3c4d5e/`), so servers may let browsers
    /// keep it for a year: a published site.
    Versioned,
    /// Always `search/`: live preview, which serves everything uncached and
    /// rebuilds the index in the background.
    Fixed,
}

pub(crate) struct Session {
    pub(crate) opts: Options,
    pub(crate) config: Config,
    pub(crate) allow: Allow,
    pub(crate) theme: Theme,
    pub(crate) renderer: Renderer,
    /// Published names of the theme's static files, in the theme's order.
    pub(crate) statics: Vec<String>,
    pub(crate) search: SearchPlacement,
}

impl Session {
    /// Reads site.toml (with the command line's overrides) and the theme,
    /// and compiles the templates.
    pub(crate) fn open(opts: &Options, search: SearchPlacement) -> Result<Session, Diagnostics> {
        let config = load_config(opts)?;
        let theme = Theme::load(&opts.root, &config.theme)?;
        let names = theme.fingerprints();
        let renderer = Renderer::new(&theme, &config, &names)?;
        let statics = theme
            .statics()
            .map(|(p, _)| names.get(p).cloned().unwrap_or_else(|| p.to_string()))
            .collect();
        Ok(Session {
            opts: opts.clone(),
            allow: Allow::new(&config.privacy.allow),
            config,
            theme,
            renderer,
            statics,
            search,
        })
    }

    pub(crate) fn content_dir(&self) -> PathBuf {
        self.opts.root.join("content")
    }

    /// The moment taken as now: `--now`, else the clock (read again at
    /// every rebuild of a long `serve`).
    pub(crate) fn now(&self) -> DateTime<FixedOffset> {
        self.opts
            .now
            .unwrap_or_else(|| Utc::now().with_timezone(&self.config.offset()))
    }

    pub(crate) fn build_options(&self) -> BuildOptions {
        BuildOptions {
            drafts: self.opts.drafts,
            now: self.now(),
        }
    }

    /// What parsing a file needs; `files` are every file under content/.
    pub(crate) fn parse_context<'a>(&'a self, files: &'a HashSet<String>) -> ParseContext<'a> {
        ParseContext {
            offset: self.config.offset(),
            allow: &self.allow,
            files,
        }
    }

    /// The site path of the search index's folder for this input.
    pub(crate) fn search_dir(&self, input: &search::Input) -> String {
        match self.search {
            SearchPlacement::Versioned => routes::search_index(&input.version()),
            SearchPlacement::Fixed => routes::SEARCH.to_string(),
        }
    }
}

/// Reads site.toml, applying command-line overrides.
pub(crate) fn load_config(opts: &Options) -> Result<Config, Diagnostics> {
    let mut config = Config::load(&opts.root.join("site.toml"), Path::new("site.toml"))?;
    if let Some(url) = &opts.base_url {
        config.set_base_url(url)?;
    }
    Ok(config)
}
