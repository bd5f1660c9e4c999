//! Output paths that some file system would refuse, found before anything
//! is written and reported against the content file that made them.
//! Linux writes almost any name, but the site is also unpacked from
//! `--zip` on Windows, copied to a Mac, served from an IIS on campus; so:
//!
//! - no path component longer than 255 bytes (ext4, APFS and NTFS all stop
//!   there: a 75-character course name in pinyin is longer);
//! - none of `< > : " | ? * \` or control characters, no trailing dot or
//!   space, no reserved device name (`CON`, `NUL`, `COM1` …, also with an
//!   extension), which Windows refuses;
//! - no two paths that differ only in case (`About/` and `about/`,
//!   `Photo.JPG` and `photo.jpg`): one overwrites the other where case is
//!   ignored;
//! - no path that is both a file and a folder (a slug `index.html` beside
//!   the home page's `index.html`).
//!
//! [`check`] looks at one path; [`check_site`] at every file of the route
//! table (pages, their files, loose files, courses, tags, sections, lists,
//! the 台账 …), each named against the content file that makes it.

use rustc_hash::FxHashMap;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{PageId, Site};
use crate::routes::{self, Route};

/// Why a path cannot be written everywhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Problem {
    TooLong { part: String, bytes: usize },
    BadChar { part: String, ch: char },
    Reserved { part: String },
    TrailingDot { part: String },
}

/// `path` with any very long part cut short, for messages.
fn shown(path: &str) -> String {
    path.split('/')
        .map(|p| {
            if p.chars().count() > 40 {
                format!("{}…", p.chars().take(24).collect::<String>())
            } else {
                p.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

impl Problem {
    fn message(&self, path: &str) -> String {
        let path = &shown(path);
        match self {
            Problem::TooLong { part, bytes } => format!(
                "输出路径 /{path} 里有一段名字太长：「{}…」有 {bytes} 字节，文件系统最多允许 255 字节",
                part.chars().take(24).collect::<String>()
            ),
            Problem::BadChar { part, ch } => format!(
                "输出路径 /{path} 里的「{part}」含有 Windows 不允许的字符 {}",
                if ch.is_control() {
                    format!("U+{:04X}", *ch as u32)
                } else {
                    format!("「{ch}」")
                }
            ),
            Problem::Reserved { part } => format!(
                "输出路径 /{path} 里的「{part}」是 Windows 的保留名字，不能做文件或文件夹名"
            ),
            Problem::TrailingDot { part } => {
                format!("输出路径 /{path} 里的「{part}」以点或空格结尾，Windows 会悄悄去掉它")
            }
        }
    }
}

const RESERVED: &[&str] = &["con", "prn", "aux", "nul", "conin$", "conout$"];

fn reserved(part: &str) -> bool {
    let stem = part
        .split('.')
        .next()
        .unwrap_or(part)
        .trim_end()
        .to_ascii_lowercase();
    RESERVED.contains(&stem.as_str())
        || ((stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.chars().count() == 4
            && stem[3..]
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '¹' | '²' | '³')))
}

/// One output path (`/`-separated, relative to the output folder).
pub(crate) fn check(path: &str) -> Result<(), Problem> {
    for part in path.split('/').filter(|p| !p.is_empty()) {
        let owned = || part.to_string();
        if part.len() > 255 {
            return Err(Problem::TooLong {
                part: owned(),
                bytes: part.len(),
            });
        }
        if let Some(ch) = part
            .chars()
            .find(|&c| c.is_control() || "<>:\"|?*\\".contains(c))
        {
            return Err(Problem::BadChar { part: owned(), ch });
        }
        if reserved(part) {
            return Err(Problem::Reserved { part: owned() });
        }
        if part.ends_with(['.', ' ']) {
            return Err(Problem::TrailingDot { part: owned() });
        }
    }
    Ok(())
}

/// Who makes a path, for messages.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Owner {
    /// `content/…`, or what zhibu generates.
    file: String,
    /// Where in that file (a written slug, a course name), if anywhere.
    line: u32,
    col: u32,
    /// How to fix it.
    hint: &'static str,
}

const HINT_SLUG: &str = "在 front matter 里写一个短而简单的 slug，例如 slug: dangzhang-01";
const HINT_FILE: &str = "给这个文件改一个短而简单的名字（字母、数字、- 和 _ 最稳妥）";
const HINT_COURSE: &str =
    "在 content/courses/ 里为这门课建一个 .md 文件，写上标题和一个短的 slug，例如 slug: dangzhang";
const HINT_TAG: &str = "把这个标签改短或改简单一些";

/// Every claimed path, case-folded: what it is and which route made it
/// first. Who a route's file belongs to is worked out only for messages
/// (a site has tens of thousands of paths and `serve` checks them after
/// every front-matter edit).
struct Claims<'a> {
    /// Who makes the file of a route.
    owner_of: &'a dyn Fn(Route) -> Owner,
    seen: FxHashMap<String, (String, bool, Route)>,
    /// Files already reported: one message each is enough.
    reported: std::collections::HashSet<String>,
    diags: Diagnostics,
}

impl Claims<'_> {
    /// Claims `path` (a file, or a folder when it ends in `/`), made by
    /// `route`, and every folder above it.
    fn claim(&mut self, path: &str, route: Route) {
        if !self.reported.is_empty() && self.reported.contains(&(self.owner_of)(route).file) {
            return;
        }
        if let Err(p) = check(path) {
            self.report(&(self.owner_of)(route), p.message(path));
            return;
        }
        // One message per path: the folder that clashes, not each file in it.
        let mut at = 0;
        while let Some(i) = path[at..].find('/') {
            let end = at + i + 1;
            if !self.one(&path[..end], true, route) {
                return;
            }
            at = end;
        }
        if !path.ends_with('/') && !path.is_empty() {
            self.one(path, false, route);
        }
    }

    /// False when `path` clashes (and was reported).
    fn one(&mut self, path: &str, dir: bool, route: Route) -> bool {
        let path_key = path.trim_end_matches('/');
        let key = match path_key.chars().any(char::is_uppercase) {
            true => std::borrow::Cow::Owned(path_key.to_lowercase()),
            false => std::borrow::Cow::Borrowed(path_key),
        };
        match self.seen.get(key.as_ref()) {
            None => {
                let key = key.into_owned();
                self.seen.insert(key, (path.to_string(), dir, route));
                true
            }
            // The same folder again, above another file (the common case).
            Some((first, true, _)) if dir && first == path => true,
            Some((first, first_dir, first_route)) => {
                let (first, first_dir) = (first.clone(), *first_dir);
                let first_owner = (self.owner_of)(*first_route);
                let owner = &(self.owner_of)(route);
                if first_dir != dir {
                    let file = if dir { &first } else { path };
                    self.report(
                        owner,
                        format!(
                            "输出路径 /{} 既要是一个文件（{}）又要是一个文件夹（{}）",
                            file.trim_end_matches('/'),
                            if dir { &first_owner.file } else { &owner.file },
                            if dir { &owner.file } else { &first_owner.file },
                        ),
                    );
                } else if first != path && (dir || first_owner != *owner) {
                    self.report(
                        owner,
                        format!(
                            "/{first} 和 /{path} 只差大小写（{} 和 {}）：在 Windows、macOS 和解压的 --zip 里它们是同一个，会互相覆盖",
                            first_owner.file, owner.file
                        ),
                    );
                } else if first == path && !dir && first_owner.file != owner.file {
                    self.report(
                        owner,
                        format!("{} 和 {} 都要写 /{path}", first_owner.file, owner.file),
                    );
                } else {
                    return true;
                }
                false
            }
        }
    }

    fn report(&mut self, owner: &Owner, message: String) {
        self.reported.insert(owner.file.clone());
        let d = Diagnostic::error(message).hint(owner.hint);
        self.diags.push(if owner.file.starts_with("content/") {
            d.in_file(&owner.file).at(None, owner.line, owner.col)
        } else {
            d
        });
    }
}

fn generated(what: &str) -> Owner {
    Owner {
        file: format!("zhibu 生成的{what}"),
        line: 0,
        col: 0,
        hint: HINT_SLUG,
    }
}

/// Who makes the file of `route`, for messages.
fn owner_of(site: &Site, route: Route) -> Owner {
    let page = |id: PageId| {
        let p = site.page(id);
        let slug = p.src.front.slug.as_ref();
        Owner {
            file: format!("content/{}", p.source),
            line: slug.map_or(0, |s| s.line),
            col: slug.map_or(0, |s| s.col),
            hint: HINT_SLUG,
        }
    };
    let file = |rel: &str| Owner {
        file: format!("content/{rel}"),
        line: 0,
        col: 0,
        hint: HINT_FILE,
    };
    match route {
        Route::Page(id) | Route::Qr(id) | Route::Event(id) => page(id),
        Route::Bundle(id, i) => file(&site.page(id).assets()[i].rel),
        Route::Loose(i) => file(&site.loose_assets[i].rel),
        Route::Image(k, _) => match site.images.by_key(k) {
            Some(set) => file(set.site_path.trim_start_matches('/')),
            None => generated("图片"),
        },
        Route::Course(i) => {
            let course = &site.courses[i];
            let first = course.lessons.first().map(|&id| site.page(id));
            let written = first.and_then(|p| p.src.front.lesson.course.as_ref());
            Owner {
                file: first.map_or_else(
                    || format!("课程「{}」", course.name),
                    |p| format!("content/{}", p.source),
                ),
                line: written.map_or(0, |l| l.line),
                col: written.map_or(0, |l| l.col),
                hint: HINT_COURSE,
            }
        }
        Route::Tag(i, _) => {
            let tag = &site.tags[i];
            Owner {
                file: tag.pages.first().map_or_else(
                    || format!("标签「{}」", tag.name),
                    |&id| format!("content/{}", site.page(id).source),
                ),
                line: 0,
                col: 0,
                hint: HINT_TAG,
            }
        }
        Route::Section(i, _) => generated(&format!("栏目列表 /{}", site.sections[i].path)),
        Route::Home => generated("首页"),
        Route::Courses => generated("课程列表"),
        Route::Tags => generated("标签列表"),
        Route::Stats => generated("成果展示"),
        Route::Search => generated("搜索页"),
        Route::Me => generated("我的学习"),
        Route::NotFound => generated("404 页面"),
        Route::Atom => generated("订阅源"),
        Route::Sitemap => generated("网站地图"),
        Route::Robots => generated(" robots.txt"),
        Route::Calendar => generated("活动日历"),
        Route::Ledger => generated("台账"),
        Route::LedgerYear(y) => generated(&format!(" {y} 年台账")),
        Route::LedgerCsv(y) => generated(&format!(" {y} 年台账 CSV")),
        Route::StatsYear(y) => generated(&format!(" {y} 年度总结")),
        Route::Theme(_) => generated("主题文件"),
    }
}

/// True for the routes no content file names: claimed first, so that a
/// page whose slug takes one of their paths is the one named.
fn fixed(route: &Route) -> bool {
    !matches!(
        route,
        Route::Page(_)
            | Route::Qr(_)
            | Route::Event(_)
            | Route::Bundle(..)
            | Route::Loose(_)
            | Route::Image(..)
            | Route::Course(_)
            | Route::Tag(..)
    )
}

/// Every file the site writes for its content (every route of the route
/// table but the theme's static files, which content does not name),
/// checked together.
pub(crate) fn check_site(site: &Site) -> Diagnostics {
    let routes = routes::all(site, 0);
    let paths: Vec<String> = routes.iter().map(|r| r.file(site, &[])).collect();
    check_routes(site, &routes, &paths)
}

/// [`check_site`] for routes whose files are known: `paths[i]` is the file
/// of `routes[i]`. The theme's files are left out.
pub(crate) fn check_routes(site: &Site, routes: &[Route], paths: &[String]) -> Diagnostics {
    let mut order: Vec<usize> = (0..routes.len().min(paths.len()))
        .filter(|&i| !matches!(routes[i], Route::Theme(_)))
        .collect();
    order.sort_by_key(|&i| !fixed(&routes[i]));
    let owner = |route| owner_of(site, route);
    let mut c = Claims {
        owner_of: &owner,
        seen: FxHashMap::default(),
        reported: Default::default(),
        diags: Diagnostics::new(),
    };
    for i in order {
        c.claim(&paths[i], routes[i]);
    }
    c.diags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_windows_and_length_refuse() {
        assert_eq!(check("lessons/dang-zhang-01/index.html"), Ok(()));
        assert_eq!(check("activities/2024-wusi/合影 1.jpg"), Ok(()));
        assert!(matches!(
            check(&format!("courses/{}/", "a".repeat(256))),
            Err(Problem::TooLong { bytes: 256, .. })
        ));
        assert!(
            check(&format!("x/{}.jpg", "党".repeat(83))).is_ok(),
            "253 bytes fit"
        );
        assert!(matches!(
            check("a/b?.jpg"),
            Err(Problem::BadChar { ch: '?', .. })
        ));
        assert!(matches!(
            check("a/会议:纪要.pdf"),
            Err(Problem::BadChar { ch: ':', .. })
        ));
        assert!(matches!(
            check("a/x\u{7}.pdf"),
            Err(Problem::BadChar { .. })
        ));
        for r in [
            "CON/",
            "lessons/nul/",
            "aux.txt",
            "com1/",
            "LPT9.jpg",
            "com²",
        ] {
            assert!(matches!(check(r), Err(Problem::Reserved { .. })), "{r}");
        }
        assert_eq!(check("console/"), Ok(()));
        assert_eq!(check("com10/"), Ok(()));
        assert!(matches!(check("a./"), Err(Problem::TrailingDot { .. })));
        assert!(matches!(check("a/b "), Err(Problem::TrailingDot { .. })));
    }

    /// The owners of the test: route `Page(i)` is made by `OWNERS[i]`.
    const OWNERS: [&str; 7] = [
        "zhibu 生成的首页",
        "content/About.md",
        "content/about.md",
        "content/x/Photo.JPG",
        "content/x/photo.jpg",
        "content/evil.md",
        "content/ok.md",
    ];

    fn owner(file: &str) -> Route {
        let i = OWNERS.iter().position(|o| *o == file);
        // Only the test's own names are passed in.
        Route::Page(i.expect("a test owner"))
    }

    fn owner_of_test(route: Route) -> Owner {
        let Route::Page(i) = route else {
            unreachable!("the test claims pages only")
        };
        Owner {
            file: OWNERS[i].into(),
            line: 0,
            col: 0,
            hint: HINT_SLUG,
        }
    }

    #[test]
    fn clashes_of_case_and_of_file_with_folder() {
        let mut c = Claims {
            owner_of: &owner_of_test,
            seen: FxHashMap::default(),
            reported: Default::default(),
            diags: Diagnostics::new(),
        };
        c.claim("index.html", owner("zhibu 生成的首页"));
        c.claim("About/index.html", owner("content/About.md"));
        c.claim("about/index.html", owner("content/about.md"));
        c.claim("x/Photo.JPG", owner("content/x/Photo.JPG"));
        c.claim("x/photo.jpg", owner("content/x/photo.jpg"));
        c.claim("index.html/index.html", owner("content/evil.md"));
        // One message per file, however many of its paths fail.
        c.claim("index.html/qr.svg", owner("content/evil.md"));
        c.claim("a?/index.html", owner("content/evil.md"));
        // The same page claiming its folder twice is no clash.
        c.claim("ok/", owner("content/ok.md"));
        c.claim("ok/index.html", owner("content/ok.md"));
        let msgs: Vec<String> = c.diags.iter().map(|d| d.render(false)).collect();
        assert_eq!(msgs.len(), 3, "{msgs:#?}");
        assert!(
            msgs[0].contains("/About/ 和 /about/") && msgs[0].contains("content/about.md"),
            "{}",
            msgs[0]
        );
        assert!(
            msgs[1].contains("只差大小写") && msgs[1].contains("photo.jpg"),
            "{}",
            msgs[1]
        );
        assert!(
            msgs[2].contains("/index.html 既要是一个文件") && msgs[2].contains("content/evil.md"),
            "{}",
            msgs[2]
        );
    }
}
