//! Themes: templates (Tera), static files and UI strings (i18n). A site's
//! own `templates/` and `static/` override the theme's file by file. The
//! default theme is built into the binary and used when the site has no
//! `themes/default/` folder of its own.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::files::content_hash;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_theme.rs"));
}

#[derive(Clone, Debug)]
pub struct ThemeFile {
    pub bytes: Cow<'static, [u8]>,
    /// Shown in messages: `themes/default/templates/base.html`, or
    /// `templates/base.html` for a site's override.
    pub origin: PathBuf,
    /// Path on disk, when it has one (for live reload).
    pub disk: Option<PathBuf>,
}

#[derive(Clone, Debug)]
pub struct Theme {
    pub name: String,
    /// Keyed by path inside the theme: `templates/base.html`, `static/css/zhibu.css`.
    pub files: BTreeMap<String, ThemeFile>,
}

impl Theme {
    /// The theme `name` for the site at `root`, with the site's overrides applied.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let dir = root.join("themes").join(name);
        let mut files = BTreeMap::new();
        if dir.is_dir() {
            read_tree(&dir, &Path::new("themes").join(name), "", &mut files);
        } else if name == "default" {
            for (rel, bytes) in embedded::FILES {
                files.insert(
                    rel.to_string(),
                    ThemeFile {
                        bytes: Cow::Borrowed(bytes),
                        origin: Path::new("(内置主题 default)").join(rel),
                        disk: None,
                    },
                );
            }
        } else {
            return Err(Diagnostic::error(format!(
                "找不到主题 `{name}`：没有 themes/{name}/ 文件夹"
            ))
            .in_file("site.toml")
            .hint("删掉 site.toml 里的 theme 使用内置主题，或把主题放进 themes/ 文件夹"));
        }
        // Site overrides, file by file.
        read_tree(
            &root.join("templates"),
            Path::new("templates"),
            "templates/",
            &mut files,
        );
        read_tree(
            &root.join("static"),
            Path::new("static"),
            "static/",
            &mut files,
        );
        Ok(Theme {
            name: name.to_string(),
            files,
        })
    }

    /// Templates by name (`base.html`, `partials/quiz.html`).
    pub fn templates(&self) -> impl Iterator<Item = (&str, &ThemeFile)> {
        self.files
            .iter()
            .filter_map(|(k, f)| k.strip_prefix("templates/").map(|n| (n, f)))
    }

    /// Static files by their path in the output (`css/zhibu.css`).
    pub fn statics(&self) -> impl Iterator<Item = (&str, &ThemeFile)> {
        self.files
            .iter()
            .filter_map(|(k, f)| k.strip_prefix("static/").map(|n| (n, f)))
    }

    /// Output name of every static file: `css/zhibu.css` ->
    /// `css/zhibu.1a2b3c4d5e.css` (styles and scripts carry a content hash,
    /// so servers may let browsers keep them for a year); other files keep
    /// their name.
    pub(crate) fn fingerprints(&self) -> BTreeMap<String, String> {
        self.statics()
            .map(|(path, f)| {
                let out = if path.ends_with(".css") || path.ends_with(".js") {
                    let (stem, ext) = path.rsplit_once('.').unwrap_or((path, ""));
                    format!("{stem}.{}.{ext}", content_hash(&[&f.bytes]))
                } else {
                    path.to_string()
                };
                (path.to_string(), out)
            })
            .collect()
    }

    /// UI strings for `language`, falling back to zh-CN for missing keys.
    pub fn strings(&self, language: &str) -> Result<toml::Table, Diagnostics> {
        let mut table = toml::Table::new();
        for lang in ["zh-CN", language] {
            let key = format!("i18n/{lang}.toml");
            let Some(f) = self.files.get(&key) else {
                continue;
            };
            let text = String::from_utf8_lossy(&f.bytes);
            match toml::from_str::<toml::Table>(&text) {
                Ok(t) => table.extend(t),
                Err(e) => {
                    let (line, col) = e
                        .span()
                        .map(|s| crate::config::line_col(&text, s.start))
                        .unwrap_or((0, 0));
                    return Err(Diagnostic::error(format!(
                        "界面文字文件写法有误：{}",
                        e.message()
                    ))
                    .in_file(&f.origin)
                    .at(Some(&text), line, col)
                    .hint("每行写 键 = \"文字\"")
                    .into());
                }
            }
        }
        Ok(table)
    }
}

fn read_tree(dir: &Path, display: &Path, prefix: &str, out: &mut BTreeMap<String, ThemeFile>) {
    if !dir.is_dir() {
        return;
    }
    for e in WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if !e.file_type().is_file() || e.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let Ok(rel) = e.path().strip_prefix(dir) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if let Ok(bytes) = std::fs::read(e.path()) {
            out.insert(
                format!("{prefix}{rel}"),
                ThemeFile {
                    bytes: Cow::Owned(bytes),
                    origin: display.join(&rel),
                    disk: Some(e.path().to_path_buf()),
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_default_theme_is_complete() {
        let dir = std::env::temp_dir().join(format!("zhibu-theme-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let t = Theme::load(&dir, "default").unwrap();
        let names: Vec<&str> = t.templates().map(|(n, _)| n).collect();
        for needed in [
            "base.html",
            "index.html",
            "lesson.html",
            "member.html",
            "activity.html",
            "404.html",
        ] {
            assert!(names.contains(&needed), "{needed} missing from {names:?}");
        }
        assert!(t.strings("zh-CN").unwrap().contains_key("search"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn unknown_theme_is_an_error() {
        let e = Theme::load(Path::new("/nonexistent"), "fancy").unwrap_err();
        assert!(e.message.contains("fancy"));
    }
}
