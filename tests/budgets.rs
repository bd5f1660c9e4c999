//! Size budgets of the browser side (bytes, not time): everything a page
//! loads — learning.js (quizzes, progress, 我的学习) with now.js (states
//! that depend on today, the WeChat hint), which every page loads — stays
//! within 15 KB gzipped, and search.js leaves most of a first query's 40 KB
//! to the index.

use std::io::Write;

fn gzipped(path: &str) -> usize {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    enc.write_all(&bytes).expect("gzip in memory");
    enc.finish().expect("gzip in memory").len()
}

#[test]
fn learning_js_fits_in_15_kb_gzipped() {
    let size = gzipped("themes/default/static/js/learning.js");
    assert!(size <= 15 * 1024, "learning.js is {size} bytes gzipped");
}

#[test]
fn everything_a_page_loads_fits_in_15_kb_gzipped() {
    let now = gzipped("themes/default/static/js/now.js");
    assert!(
        now <= 2 * 1024,
        "now.js is {now} bytes gzipped: it is on every page"
    );
    let learning = gzipped("themes/default/static/js/learning.js");
    assert!(
        learning + now <= 15 * 1024,
        "learning.js and now.js are {} bytes gzipped",
        learning + now
    );
}

#[test]
fn search_js_fits_in_10_kb_gzipped() {
    let size = gzipped("themes/default/static/js/search.js");
    assert!(size <= 10 * 1024, "search.js is {size} bytes gzipped");
}

#[test]
fn theme_has_no_other_scripts_outside_the_budget() {
    // A new script must be added to a budget above, not slip past it.
    let mut names: Vec<String> = std::fs::read_dir("themes/default/static/js")
        .expect("theme js folder")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    assert_eq!(names, ["learning.js", "now.js", "search.js"]);
}
