//! Walking a folder of the site (static/, templates/, a theme) the way
//! content/ is walked: symbolic links are followed only while they stay
//! inside the site (or inside the theme, when the theme folder itself is a
//! link to a shared copy); a link that leads out — `ln -s /etc static/etc`
//! — is skipped with a warning naming it, and so is a loop. What is
//! published is then only what the site holds, in `build` and in `serve`
//! alike (both read the theme through this walk).

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;

/// A file found under the walked folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Found {
    /// Relative to the walked folder, `/`-separated.
    pub rel: String,
    pub path: PathBuf,
}

/// Every regular file under `dir` (sorted by name), skipping names that
/// start with a dot; `display` is how `dir` is named in messages and
/// `roots` are the folders links may lead into.
pub(crate) fn files(
    dir: &Path,
    display: &Path,
    roots: &[PathBuf],
) -> (Vec<Found>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut warnings = Vec::new();
    let roots: Vec<PathBuf> = roots
        .iter()
        .filter_map(|r| std::fs::canonicalize(r).ok())
        .collect();
    let shown = |p: &Path| display.join(p.strip_prefix(dir).unwrap_or(p));
    let mut walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(shown).unwrap_or_else(|| display.to_path_buf());
                let message = if e.loop_ancestor().is_some() {
                    "符号链接指回了它自己所在的文件夹（循环），已跳过".to_string()
                } else {
                    format!(
                        "无法读取，已跳过：{}",
                        e.io_error().map_or(e.to_string(), |io| io.to_string())
                    )
                };
                warnings.push(
                    Diagnostic::warning(message)
                        .in_file(path)
                        .hint("删除或修正这个链接/文件夹的权限"),
                );
                continue;
            }
        };
        if entry.path_is_symlink() {
            let inside = std::fs::canonicalize(entry.path())
                .is_ok_and(|t| roots.iter().any(|r| t.starts_with(r)));
            if !inside {
                warnings.push(
                    Diagnostic::warning("符号链接指向站点文件夹之外，已跳过：它指向的文件不会发布")
                        .in_file(shown(entry.path()))
                        .hint("把要发布的文件复制进站点，而不是链接到站点外面"),
                );
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        found.push(Found {
            rel: rel.to_string_lossy().replace('\\', "/"),
            path: entry.path().to_path_buf(),
        });
    }
    (found, warnings)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_out_of_the_site_are_skipped_and_named() {
        let root = std::env::temp_dir().join(format!("zhibu-walk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let outside = root.join("outside");
        let site = root.join("site");
        std::fs::create_dir_all(outside.join("secret")).unwrap();
        std::fs::write(outside.join("secret/passwd"), "root:x:0:0").unwrap();
        std::fs::write(outside.join("key.txt"), "k").unwrap();
        std::fs::create_dir_all(site.join("static/css")).unwrap();
        std::fs::write(site.join("static/css/a.css"), "a{}").unwrap();
        std::fs::write(site.join("logo.svg"), "<svg/>").unwrap();
        let link = std::os::unix::fs::symlink;
        link(outside.join("secret"), site.join("static/etc")).unwrap();
        link(outside.join("key.txt"), site.join("static/key.txt")).unwrap();
        link(site.join("logo.svg"), site.join("static/logo.svg")).unwrap();
        link(site.join("static"), site.join("static/css/loop")).unwrap();

        let (found, warnings) = files(
            &site.join("static"),
            Path::new("static"),
            std::slice::from_ref(&site),
        );
        let rels: Vec<&str> = found.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, ["css/a.css", "logo.svg"]);
        let named: Vec<String> = warnings
            .iter()
            .map(|w| w.file.as_ref().unwrap().display().to_string())
            .collect();
        assert!(named.contains(&"static/etc".to_string()), "{named:?}");
        assert!(named.contains(&"static/key.txt".to_string()), "{named:?}");
        assert!(
            warnings.iter().any(|w| w.message.contains("循环")),
            "{warnings:?}"
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}
