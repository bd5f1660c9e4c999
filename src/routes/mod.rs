//! Where everything goes: every output path and URL of a site is spelled
//! here and nowhere else. Paths are relative to the output folder and
//! `/`-separated; a folder path ends in `/` (`lessons/a/`) and is published
//! as its `index.html`. URLs add the site's base path (`/dangjian/zhibu1/`).
//!
//! This file knows formats only — no pages, no site — so that the model
//! can ask it while it places pages; [`table`] lists the outputs of a
//! finished site with their paths. The renderer, the sitemap, `check` and
//! `serve` ask these two, and all get the same answer.

mod table;

pub(crate) use table::{Route, all};

use crate::parse::markdown::encode_path;

/// The home page's folder.
pub(crate) const HOME: &str = "";
/// Lists of every tag and every course.
pub(crate) const TAGS: &str = "tags/";
pub(crate) const COURSES: &str = "courses/";
pub(crate) const SEARCH: &str = "search/";
pub(crate) const ME: &str = "me/";
pub(crate) const STATS: &str = "stats/";
pub(crate) const NOT_FOUND: &str = "404.html";
pub(crate) const ATOM: &str = "atom.xml";
pub(crate) const SITEMAP: &str = "sitemap.xml";
pub(crate) const ROBOTS: &str = "robots.txt";
pub(crate) const CALENDAR: &str = "calendar.ics";
/// The 三会一课 台账's list of years.
pub(crate) const LEDGER: &str = "ledger/";

/// The sections every site has, in menu order.
pub(crate) const SECTIONS: [&str; 3] = ["lessons", "members", "activities"];

/// Top-level folders zhibu makes itself, with what they are (for
/// collision messages): no page may take them.
pub(crate) const GENERATED: &[(&str, &str)] = &[
    (TAGS, "标签列表"),
    (COURSES, "课程列表"),
    (SEARCH, "搜索页"),
    (ME, "我的学习"),
    (STATS, "成果展示"),
    (LEDGER, "三会一课台账"),
    ("lessons/", "学习课程列表"),
    ("members/", "先锋模范列表"),
    ("activities/", "支部活动列表"),
];

/// How many pages a list of `items` takes at `per` a page (one at least:
/// an empty list still has its page).
pub(crate) fn page_count(items: usize, per: usize) -> usize {
    items.div_ceil(per.max(1)).max(1)
}

/// A page's folder: `lessons/x/` in a section, `x/` at the top level.
pub(crate) fn page(section: &str, slug: &str) -> String {
    if section.is_empty() {
        format!("{slug}/")
    } else {
        format!("{section}/{slug}/")
    }
}

/// A section's list: `lessons/`; the home page for "".
pub(crate) fn section(name: &str) -> String {
    if name.is_empty() {
        HOME.to_string()
    } else {
        format!("{name}/")
    }
}

pub(crate) fn tag(slug: &str) -> String {
    format!("{TAGS}{slug}/")
}

pub(crate) fn course(slug: &str) -> String {
    format!("{COURSES}{slug}/")
}

/// Page `n` (1-based) of a paginated list at `list`: `lessons/`,
/// `lessons/page/2/` …
pub(crate) fn list_page(list: &str, n: usize) -> String {
    if n <= 1 {
        list.to_string()
    } else {
        format!("{list}page/{n}/")
    }
}

/// The file a path is published as: a folder's `index.html`, else itself.
pub(crate) fn file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// One activity as a calendar event, beside its page.
pub(crate) fn event(dir: &str) -> String {
    format!("{dir}event.ics")
}

// 台账 and annual summaries (issue 14):

/// One year of the 台账: `ledger/2026/`.
pub(crate) fn ledger_year(year: i32) -> String {
    format!("{LEDGER}{year}/")
}

/// One year of the 台账 as a table for Excel: `ledger/2026.csv`.
pub(crate) fn ledger_csv(year: i32) -> String {
    format!("{LEDGER}{year}.csv")
}

/// One year's annual summary: `stats/2026/`.
pub(crate) fn stats_year(year: i32) -> String {
    format!("{STATS}{year}/")
}

/// The QR code of the page at `dir`.
pub(crate) fn qr(dir: &str) -> String {
    format!("{dir}qr.svg")
}

/// A file of a page bundle, published beside the page's HTML.
pub(crate) fn bundle_file(dir: &str, inner: &str) -> String {
    format!("{dir}{inner}")
}

/// A copy the photo pipeline made of the image at `site_path`, beside it:
/// `label` is `640w` or `share`, `hash` a short hash of the source and
/// settings (`activities/a/photo-1-640w.1a2b3c4d.jpg`).
pub(crate) fn image_copy(site_path: &str, label: &str, hash: &str, ext: &str) -> String {
    let (dir, stem) = split_file(site_path);
    format!("{dir}{stem}-{label}.{hash}.{ext}")
}

/// The original of an image published in another format than its name
/// says (`a/photo.jpeg` re-encoded stays `a/photo.jpeg`; `a/p.webp` as
/// PNG is `a/p.png`).
pub(crate) fn image_original(site_path: &str, ext: &str) -> String {
    let (dir, stem) = split_file(site_path);
    format!("{dir}{stem}.{ext}")
}

/// `activities/wusi/photo-1.jpg` → (`activities/wusi/`, `photo-1`).
fn split_file(site_path: &str) -> (&str, &str) {
    let (dir, name) = match site_path.rfind('/') {
        Some(i) => (&site_path[..=i], &site_path[i + 1..]),
        None => ("", site_path),
    };
    let stem = match name.rfind('.') {
        Some(i) if i > 0 => &name[..i],
        _ => name,
    };
    (dir, stem)
}

/// The search index's folder for one version of the index.
pub(crate) fn search_index(version: &str) -> String {
    format!("{SEARCH}{version}/")
}

/// Root-relative URL of a site path (`lessons/x/` → `/base/lessons/x/`),
/// percent-encoded for attributes; full URLs are returned as they are.
pub(crate) fn url(base_path: &str, path: &str) -> String {
    join(base_path, &encode_path(path))
}

/// `/base/` + `x/y` → `/base/x/y`, without encoding; full URLs as they are.
pub(crate) fn join(base_path: &str, path: &str) -> String {
    if path.starts_with("http://") || path.starts_with("https://") || path.starts_with("//") {
        return path.to_string();
    }
    format!("{}{}", base_path, path.trim_start_matches('/'))
}

/// The absolute URL of a site path, for feeds, sitemaps and share cards:
/// `https://host` + base path + path (not encoded, as feeds quote it).
pub(crate) fn permalink(origin: &str, base_path: &str, path: &str) -> String {
    format!("{origin}{}", join(base_path, path))
}

/// The site root relative to the page at `path` (`lessons/a/` → `../../`,
/// the home page → `./`), for styles and scripts that work from a folder.
pub(crate) fn relative_root(path: &str) -> String {
    let depth = path.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_files() {
        assert_eq!(page("", "about"), "about/");
        assert_eq!(page("lessons", "a"), "lessons/a/");
        assert_eq!(section(""), "");
        assert_eq!(section("notices"), "notices/");
        assert_eq!(tag("dang-shi"), "tags/dang-shi/");
        assert_eq!(course("dang-zhang"), "courses/dang-zhang/");
        assert_eq!(list_page("lessons/", 1), "lessons/");
        assert_eq!(list_page("tags/x/", 3), "tags/x/page/3/");
        assert_eq!(file(""), "index.html");
        assert_eq!(file("lessons/a/"), "lessons/a/index.html");
        assert_eq!(file("atom.xml"), "atom.xml");
        assert_eq!(qr("lessons/a/"), "lessons/a/qr.svg");
        assert_eq!(ledger_year(2026), "ledger/2026/");
        assert_eq!(file(&ledger_csv(2026)), "ledger/2026.csv");
        assert_eq!(file(&stats_year(2025)), "stats/2025/index.html");
        assert_eq!(
            image_copy("activities/a/合影.jpg", "640w", "1a2b3c4d", "jpg"),
            "activities/a/合影-640w.1a2b3c4d.jpg"
        );
        assert_eq!(
            image_copy("logo", "share", "ab", "png"),
            "logo-share.ab.png"
        );
        assert_eq!(image_original("a/p.webp", "png"), "a/p.png");
    }

    #[test]
    fn urls_under_a_base_path() {
        assert_eq!(
            join("/dangjian/zhibu1/", "lessons/a/"),
            "/dangjian/zhibu1/lessons/a/"
        );
        assert_eq!(join("/", "/about/"), "/about/");
        assert_eq!(join("/x/", "https://a.cn/p"), "https://a.cn/p");
        assert_eq!(url("/x/", "tags/党 史/"), "/x/tags/党%20史/");
    }

    #[test]
    fn relative_roots() {
        assert_eq!(relative_root(""), "./");
        assert_eq!(relative_root("lessons/a/"), "../../");
        assert_eq!(relative_root("404.html"), "./");
    }
}
