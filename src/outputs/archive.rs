//! `zhibu build --zip FILE`: the finished site as one archive, for hosts
//! where the only way in is an upload form. Entries are sorted and carry a
//! fixed date, so the same site always gives the same archive.

use std::io::Write;
use std::path::Path;

use walkdir::WalkDir;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::diagnostics::Diagnostic;

/// Zips every file under `dir` into `zip_path` (written beside it first,
/// then renamed, so a half-written archive never takes the name).
pub fn zip_dir(dir: &Path, zip_path: &Path) -> Result<usize, Diagnostic> {
    let fail = |e: &dyn std::fmt::Display| {
        Diagnostic::error(format!("无法写入压缩包 {}：{e}", zip_path.display()))
            .hint("检查这个位置是否可写，以及磁盘空间")
    };
    let tmp = zip_path.with_extension("zip.partial");
    let file = std::fs::File::create(&tmp).map_err(|e| fail(&e))?;
    let mut zip = ZipWriter::new(file);
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let mut count = 0;
    for e in WalkDir::new(dir).sort_by_file_name().into_iter().flatten() {
        if !e.file_type().is_file() {
            continue;
        }
        let Ok(rel) = e.path().strip_prefix(dir) else {
            continue;
        };
        let name = rel.to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(e.path()).map_err(|err| fail(&err))?;
        zip.start_file(name, options).map_err(|err| fail(&err))?;
        zip.write_all(&bytes).map_err(|err| fail(&err))?;
        count += 1;
    }
    zip.finish().map_err(|e| fail(&e))?;
    std::fs::rename(&tmp, zip_path).map_err(|e| fail(&e))?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_site_same_archive() {
        let d = std::env::temp_dir().join(format!("zhibu-zip-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("site/lessons")).unwrap();
        std::fs::write(d.join("site/index.html"), "首页").unwrap();
        std::fs::write(d.join("site/lessons/index.html"), "课程").unwrap();
        assert_eq!(zip_dir(&d.join("site"), &d.join("a.zip")).unwrap(), 2);
        std::thread::sleep(std::time::Duration::from_millis(1100));
        zip_dir(&d.join("site"), &d.join("b.zip")).unwrap();
        assert_eq!(
            std::fs::read(d.join("a.zip")).unwrap(),
            std::fs::read(d.join("b.zip")).unwrap()
        );
        let mut archive =
            zip::ZipArchive::new(std::fs::File::open(d.join("a.zip")).unwrap()).unwrap();
        let mut names: Vec<String> = (0..archive.len())
            .map(|i| archive.by_index(i).unwrap().name().unwrap().to_string())
            .collect();
        names.sort();
        assert_eq!(names, ["index.html", "lessons/index.html"]);
        std::fs::remove_dir_all(&d).unwrap();
    }
}
