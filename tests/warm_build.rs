//! Builds with the build cache (issue 19): a rebuild after edits updates
//! the output in place, keeping what did not change, and leaves exactly
//! what a build from scratch (`--no-cache`, into a fresh folder) leaves.

mod common;

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use common::{Site, snapshot};
use zhibu::pipeline::{self, Options};

/// A build of the site as it is now, without the cache, into a fresh folder.
fn cold(s: &Site) -> Vec<(String, Vec<u8>)> {
    let out = s.root.with_extension("cold");
    let _ = std::fs::remove_dir_all(&out);
    let opts = Options {
        output: Some(out.clone()),
        no_cache: true,
        ..s.options()
    };
    pipeline::build(&opts).unwrap_or_else(|d| panic!("{}", d.render(false)));
    let files = snapshot(&out);
    std::fs::remove_dir_all(&out).unwrap();
    files
}

fn same_as_cold(s: &Site, what: &str) {
    let warm = snapshot(&s.public());
    let cold = cold(s);
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&warm), names(&cold), "{what}: the same files");
    for ((path, a), (_, b)) in warm.iter().zip(&cold) {
        assert!(
            a == b,
            "{what}: {path} differs from a build from scratch:\n{}\n---\n{}",
            String::from_utf8_lossy(a),
            String::from_utf8_lossy(b)
        );
    }
}

fn inode(p: &Path) -> u64 {
    std::fs::metadata(p).unwrap().ino()
}

fn lesson(body: &str, title: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: 2025-09-08\ncourse: 党章学习\norder: 2\ntags: [党章]\n---\n\n{body}\n"
    )
}

#[test]
fn edits_rebuild_in_place_and_match_a_build_from_scratch() {
    let s = Site::new("warm");
    s.file(
        "content/lessons/di-er-ke.md",
        &lesson("第二课的正文。", "党章第二课"),
    );
    s.build_ok();
    // A second build finds the manifest the first one left and keeps
    // every file where it is.
    s.build_ok();
    let member: PathBuf = s.public().join("members/zhang-san/index.html");
    let kept = inode(&member);
    same_as_cold(&s, "nothing changed");

    // One lesson's text.
    s.file(
        "content/lessons/di-er-ke.md",
        &lesson("第二课的正文，改过了：学习党章总纲。", "党章第二课"),
    );
    s.build_ok();
    assert!(s.read("lessons/di-er-ke/index.html").contains("改过了"));
    assert_eq!(inode(&member), kept, "an unchanged page is left alone");
    same_as_cold(&s, "a body edit");

    // A title shows in lists, the course, the feed and the search index.
    s.file(
        "content/lessons/di-er-ke.md",
        &lesson("第二课的正文，改过了：学习党章总纲。", "党章总纲学习"),
    );
    s.build_ok();
    assert!(
        s.read("courses/dang-zhang-xue-xi/index.html")
            .contains("党章总纲学习")
    );
    same_as_cold(&s, "a title edit");

    // A template of the site's own changes every page that uses it.
    s.file(
        "templates/member.html",
        "{% extends \"base.html\" %}{% block content %}<h1 class=\"own\">{{ page.title }}</h1>{% endblock content %}",
    );
    s.build_ok();
    assert!(
        s.read("members/zhang-san/index.html")
            .contains("class=\"own\"")
    );
    same_as_cold(&s, "a template override");

    // A page removed: its files go.
    s.remove("content/lessons/di-er-ke.md");
    s.build_ok();
    assert!(!s.exists("lessons/di-er-ke/index.html"));
    same_as_cold(&s, "a removed page");
}

#[test]
fn files_changed_or_added_by_hand_in_the_output_are_put_right() {
    let s = Site::new("by-hand");
    s.build_ok();
    s.build_ok();
    let page = s.public().join("members/li-si/index.html");
    std::fs::write(&page, "edited by hand").unwrap();
    std::fs::write(s.public().join("members/stray.html"), "left by someone").unwrap();
    std::fs::create_dir_all(s.public().join("junk/deeper")).unwrap();
    std::fs::write(s.public().join("junk/deeper/x.txt"), "x").unwrap();
    s.build_ok();
    assert!(s.read("members/li-si/index.html").contains("李四"));
    assert!(!s.exists("members/stray.html"));
    assert!(!s.exists("junk"));
    same_as_cold(&s, "hand edits");
}

/// Every file of the build cache, to break on purpose.
fn cache_files(root: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root.join(".zhibu/cache"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "rec"))
        .map(|e| e.path().to_path_buf())
        .collect()
}

#[test]
fn a_corrupt_cache_is_ignored_with_a_warning_and_rewritten() {
    let s = Site::new("corrupt");
    s.build_ok();
    let records = cache_files(&s.root);
    assert!(records.len() >= 2, "terms and manifest: {records:?}");
    for (i, r) in records.iter().enumerate() {
        let mut bytes = std::fs::read(r).unwrap();
        if i % 2 == 0 {
            bytes.truncate(bytes.len() / 2);
        } else {
            let n = bytes.len();
            bytes[n - 1] ^= 0xff;
        }
        std::fs::write(r, bytes).unwrap();
    }
    s.file(
        "content/members/li-si.md",
        "---\nname: 李四\nrole: 预备党员\n---\n\n新的事迹。\n",
    );
    let report = s.build_ok();
    let warnings = report.warnings.render(false);
    assert!(warnings.contains("损坏"), "{warnings}");
    same_as_cold(&s, "after a corrupt cache");
    // rewritten: the next build has nothing to complain about
    let report = s.build_ok();
    assert!(!report.warnings.render(false).contains("损坏"));
}

#[test]
fn no_cache_neither_reads_nor_writes_the_cache() {
    let s = Site::new("nocache");
    let opts = Options {
        no_cache: true,
        ..s.options()
    };
    pipeline::build(&opts).unwrap_or_else(|d| panic!("{}", d.render(false)));
    assert!(!s.root.join(".zhibu/cache/v1").exists());
    // and deleting the cache between builds changes nothing but speed
    s.build_ok();
    std::fs::remove_dir_all(s.root.join(".zhibu")).unwrap();
    s.file("content/members/li-si.md", "---\nname: 李四\n---\n\n改。\n");
    s.build_ok();
    same_as_cold(&s, "after the cache was deleted");
}

/// The versioned folder of the search index, and each file's inode by its
/// path inside it.
fn index_inodes(search: &Path) -> (String, std::collections::HashMap<String, u64>) {
    let dir = std::fs::read_dir(search)
        .unwrap()
        .flatten()
        .find(|e| e.path().is_dir())
        .expect("a versioned folder")
        .path();
    let files = walkdir::WalkDir::new(&dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, inode(e.path()))
        })
        .collect();
    (
        dir.file_name().unwrap().to_string_lossy().into_owned(),
        files,
    )
}

#[test]
fn a_search_index_whose_input_did_not_change_is_not_made_again() {
    let s = Site::new("warm-search");
    s.build_ok();
    s.build_ok();
    let terms = s.root.join(".zhibu/cache/v1/search-terms");
    let records = || {
        walkdir::WalkDir::new(&terms)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .count()
    };
    assert!(records() > 0, "the pages' terms are cached");
    // Without the terms an index made again would store them anew.
    std::fs::remove_dir_all(&terms).unwrap();
    // A template change reaches every page but not the index.
    s.file(
        "templates/member.html",
        "{% extends \"base.html\" %}{% block content %}<h1 class=\"own\">{{ page.title }}</h1>{% endblock content %}",
    );
    s.build_ok();
    assert_eq!(records(), 0, "the index was made again");
    same_as_cold(&s, "a template change beside an index in place");
    // A body edit changes the index: made again, in a folder of its own.
    let before = index_inodes(&s.public().join("search"));
    s.file(
        "content/lessons/di-er-ke.md",
        &lesson("第二课讲民主集中制。", "党章第二课"),
    );
    s.build_ok();
    assert!(records() > 0);
    same_as_cold(&s, "an index made again after an edit");
    // Its files that did not change are the old ones, linked: not written.
    let after = index_inodes(&s.public().join("search"));
    assert_ne!(before.0, after.0, "a new folder");
    let linked = after
        .1
        .iter()
        .filter(|(p, ino)| before.1.get(*p) == Some(ino))
        .count();
    assert!(
        linked > 0 && linked < after.1.len(),
        "{linked} of {} linked",
        after.1.len()
    );
    // The index's files were kept whole, so a lost one is put back.
    let index_files: Vec<PathBuf> = walkdir::WalkDir::new(s.public().join("search"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "json"))
        .map(|e| e.path().to_path_buf())
        .collect();
    std::fs::remove_file(&index_files[0]).unwrap();
    s.build_ok();
    same_as_cold(&s, "a file of the index deleted by hand");
}

#[test]
fn a_kept_parse_is_not_used_once_the_files_its_links_name_changed() {
    let s = Site::new("warm-parse");
    s.file("content/lessons/a.md", &lesson("第一课。", "党章第一课"));
    s.file(
        "content/activities/yue-du/index.md",
        "---\ntitle: 读书会\ndate: 2025-10-10\n---\n\n先读[第一课](@/lessons/a)，再看[活动介绍](jie-shao.pdf)。\n",
    );
    s.bytes("content/activities/yue-du/jie-shao.pdf", b"%PDF-1.4\n");
    s.build_ok();
    s.build_ok();
    assert!(
        s.root.join(".zhibu/cache/v1/parsed").exists(),
        "parsed pages are kept"
    );
    same_as_cold(&s, "pages from the parse cache");
    // The activity's text is the same; `@/lessons/a` now names a bundle.
    s.remove("content/lessons/a.md");
    s.file(
        "content/lessons/a/index.md",
        &lesson("第一课，成了文件夹。", "党章第一课"),
    );
    s.build_ok();
    same_as_cold(&s, "the lesson moved into a bundle");
    // The file it links to is gone.
    s.remove("content/activities/yue-du/jie-shao.pdf");
    let err = s.build_err();
    assert!(err.contains("jie-shao.pdf"), "{err}");
}
