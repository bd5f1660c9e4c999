//! `site.toml` into a typed [`Config`]. Every default lives in the `Default`
//! impls of this file and nowhere else.

use std::path::Path;

use chrono::FixedOffset;
use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, closest};

mod ledger;
mod search;
mod zone;
pub use ledger::{DEFAULT_FREQUENCIES, LedgerConfig};
pub use search::SearchConfig;
use zone::beijing;
pub use zone::parse_timezone;

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The branch's name, shown in the header and the window title.
    pub title: String,
    /// One or two sentences about the branch: home page, feeds, share cards.
    pub description: String,
    /// Where the site is published, with or without a path.
    pub base_url: String,
    /// Language of the site, for `lang=` and the theme's i18n file.
    pub language: String,
    /// Theme folder under `themes/`.
    pub theme: String,
    /// Offset for dates written without one: `+08:00`, `UTC+8` or a zone name
    /// of mainland China, Hong Kong, Macau or Taiwan (all UTC+8).
    pub timezone: String,
    /// The organisation the branch belongs to, shown in the footer.
    pub organization: String,
    /// Site logo (path in static/ or content/), shown in the header.
    pub logo: String,
    /// Default cover for share cards when a page has none.
    pub default_cover: String,
    /// Items per page on section and tag lists.
    pub paginate_by: usize,
    pub home: HomeConfig,
    pub feed: FeedConfig,
    pub privacy: PrivacyConfig,
    pub points: PointsConfig,
    pub images: ImagesConfig,
    pub calendar: CalendarConfig,
    /// Required meeting frequencies of the 台账 (see config/ledger.rs).
    pub ledger: LedgerConfig,
    /// How search understands readers' words (see config/search.rs).
    pub search: SearchConfig,
    pub menu: Vec<MenuItem>,
    /// Free values for themes, available as `config.extra`.
    pub extra: toml::Table,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct HomeConfig {
    /// Current notices (公示中 and recent 通知) at the top of the home page.
    pub notices: usize,
    pub upcoming: usize,
    pub latest_activities: usize,
    pub featured_members: usize,
    pub latest_lessons: usize,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct FeedConfig {
    /// Entries in atom.xml.
    pub limit: usize,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct PrivacyConfig {
    /// Keys (`email`), pattern names (`mobile`, `id_card`) or exact values
    /// (`13800138000`) that are published on purpose.
    pub allow: Vec<String>,
}

/// 学习积分 rules, applied in the reader's browser.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct PointsConfig {
    /// Points for reading a lesson to the end.
    pub lesson_read: u32,
    /// Points for passing a quiz (once per quiz).
    pub quiz_passed: u32,
    /// Extra points for a quiz answered 100 % right.
    pub quiz_perfect: u32,
    /// Extra points for finishing every lesson of a course.
    pub course_completed: u32,
}

/// `[images]`: how photos are published (see src/images/).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ImagesConfig {
    /// JPEG quality of the published copies, 1–100.
    pub quality: u8,
    /// Publish the original files too (stripped of EXIF, XMP and GPS).
    pub originals: bool,
    /// Images with more pixels than this are refused from their header,
    /// before anything is decoded.
    pub max_pixels: u64,
}

/// calendar.ics and each activity's event.ics.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CalendarConfig {
    /// How long before an activity calendars remind: `"1d"`, `"2h"`, `"30m"`.
    pub alarms: Vec<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    pub name: String,
    /// A site path (`/lessons/`) or a full URL.
    pub url: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "我们的党支部".to_string(),
            description: String::new(),
            base_url: "/".to_string(),
            language: "zh-CN".to_string(),
            theme: "default".to_string(),
            timezone: "+08:00".to_string(),
            organization: String::new(),
            logo: String::new(),
            default_cover: String::new(),
            paginate_by: 10,
            home: HomeConfig::default(),
            feed: FeedConfig::default(),
            privacy: PrivacyConfig::default(),
            points: PointsConfig::default(),
            images: ImagesConfig::default(),
            calendar: CalendarConfig::default(),
            ledger: LedgerConfig::default(),
            search: SearchConfig::default(),
            menu: default_menu(),
            extra: toml::Table::new(),
        }
    }
}

impl Default for HomeConfig {
    fn default() -> Self {
        HomeConfig {
            notices: 5,
            upcoming: 3,
            latest_activities: 6,
            featured_members: 4,
            latest_lessons: 4,
        }
    }
}

impl Default for CalendarConfig {
    fn default() -> Self {
        CalendarConfig {
            alarms: vec!["1d".to_string(), "1h".to_string()],
        }
    }
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig { limit: 20 }
    }
}

impl Default for PointsConfig {
    fn default() -> Self {
        PointsConfig {
            lesson_read: 2,
            quiz_passed: 5,
            quiz_perfect: 3,
            course_completed: 10,
        }
    }
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            quality: 80,
            originals: false,
            max_pixels: 100_000_000,
        }
    }
}

fn default_menu() -> Vec<MenuItem> {
    [
        ("学习课程", "/lessons/"),
        ("先锋模范", "/members/"),
        ("支部活动", "/activities/"),
        ("通知公告", "/notices/"),
        ("成果展示", "/stats/"),
        ("我的学习", "/me/"),
    ]
    .into_iter()
    .map(|(name, url)| MenuItem {
        name: name.to_string(),
        url: url.to_string(),
    })
    .collect()
}

impl Config {
    /// Reads `site.toml`; a missing file is an error with a hint.
    pub fn load(path: &Path, display: &Path) -> Result<Config, Diagnostic> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Diagnostic::error(format!("读不到站点配置文件：{e}"))
                .in_file(display)
                .hint("在站点根目录运行 zhibu，或用 `zhibu init` 新建一个站点")
        })?;
        Config::parse(&text, display)
    }

    pub fn parse(text: &str, display: &Path) -> Result<Config, Diagnostic> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut config: Config = toml::from_str(text).map_err(|e| toml_error(&e, text, display))?;
        config.base_url = normalize_base_url(&config.base_url);
        config.validate(text, display)?;
        Ok(config)
    }

    /// `--base-url` from the command line.
    pub fn set_base_url(&mut self, url: &str) -> Result<(), Diagnostic> {
        let u = normalize_base_url(url);
        if !(u.starts_with('/') || u.starts_with("http://") || u.starts_with("https://")) {
            return Err(Diagnostic::error(format!("--base-url `{url}` 不是网址"))
                .hint("写完整网址，例如 --base-url https://www.example.edu.cn/dangjian/zhibu1/"));
        }
        self.base_url = u;
        Ok(())
    }

    fn validate(&self, text: &str, display: &Path) -> Result<(), Diagnostic> {
        let at_key = |key: &str, message: String, hint: &str| {
            let (line, col) = find_key(text, key);
            Diagnostic::error(message)
                .in_file(display)
                .at(Some(text), line, col)
                .width(key.len())
                .hint(hint.to_string())
        };
        if self.paginate_by == 0 {
            return Err(at_key(
                "paginate_by",
                "paginate_by 不能是 0".into(),
                "写一个正整数，例如 paginate_by = 10",
            ));
        }
        if !(1..=100).contains(&self.images.quality) {
            return Err(at_key(
                "quality",
                format!("[images] quality = {} 超出范围", self.images.quality),
                "写 1 到 100 之间的整数；照片一般用 75 到 85，默认 80",
            ));
        }
        if self.images.max_pixels < 1_000_000 {
            return Err(at_key(
                "max_pixels",
                format!(
                    "[images] max_pixels = {} 太小，连一张普通照片都放不下",
                    self.images.max_pixels
                ),
                "手机照片约 1200 万像素；写 100000000（默认值，1 亿像素）或删掉这一行",
            ));
        }
        if parse_timezone(&self.timezone).is_none() {
            return Err(at_key(
                "timezone",
                format!("无法识别的时区 `{}`", self.timezone),
                "写成 \"+08:00\" 这样的偏移，或 \"Asia/Shanghai\"",
            ));
        }
        for a in &self.calendar.alarms {
            if let Err(e) = crate::timeline::alarms::parse(a) {
                return Err(at_key(
                    "alarms",
                    e,
                    "写成 alarms = [\"1d\", \"1h\"]：d 天、h 小时、m 分钟（也可写 \"1天\"、\"2小时\"、\"30分钟\"），不要提醒写 alarms = []",
                ));
            }
        }
        if !(self.base_url.starts_with('/')
            || self.base_url.starts_with("http://")
            || self.base_url.starts_with("https://"))
        {
            return Err(at_key(
                "base_url",
                format!("base_url `{}` 不是网址", self.base_url),
                "写完整网址，例如 \"https://www.example.edu.cn/dangjian/zhibu1/\"",
            ));
        }
        self.ledger.check(text, display)?;
        self.search.validate(text, display)
    }

    /// The fixed offset for dates written without one.
    pub fn offset(&self) -> FixedOffset {
        // validate() has checked that the zone parses; Beijing time otherwise.
        parse_timezone(&self.timezone).unwrap_or_else(beijing)
    }

    /// The path part of base_url, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        let rest = match self.base_url.split_once("://") {
            Some((_, rest)) => rest.find('/').map(|i| &rest[i..]).unwrap_or("/"),
            None => self.base_url.as_str(),
        };
        let mut p = rest.to_string();
        if !p.ends_with('/') {
            p.push('/');
        }
        p
    }

    /// `https://host` without path, or empty when base_url has no host.
    pub fn origin(&self) -> String {
        match self.base_url.split_once("://") {
            Some((scheme, rest)) => {
                let host = rest.split('/').next().unwrap_or("");
                format!("{scheme}://{host}")
            }
            None => String::new(),
        }
    }

    /// Host name, used for UIDs in the calendar.
    pub fn host(&self) -> String {
        let o = self.origin();
        let h = o.split_once("://").map(|(_, h)| h).unwrap_or("");
        if h.is_empty() {
            "zhibu.local".to_string()
        } else {
            h.to_string()
        }
    }
}

fn normalize_base_url(url: &str) -> String {
    let url = url.trim();
    if url.is_empty() {
        return "/".to_string();
    }
    let mut u = url.to_string();
    if !u.ends_with('/') {
        u.push('/');
    }
    u
}

/// Turns a toml/serde error into a diagnostic; an unknown key names the
/// closest valid key.
fn toml_error(e: &toml::de::Error, text: &str, display: &Path) -> Diagnostic {
    let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
    let width = e.span().map(|s| text[s].chars().count()).unwrap_or(1);
    let msg = e.message();
    let d = Diagnostic::error("")
        .in_file(display)
        .at(Some(text), line, col)
        .width(width);
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = rest
            .split_once("expected")
            .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let hint = match closest(key, expected.iter().copied(), 3) {
            Some(k) => format!("是不是想写 `{k}`？可用的键：{}", expected.join(", ")),
            None if !expected.is_empty() => format!("可用的键：{}", expected.join(", ")),
            None => "删掉这一行".to_string(),
        };
        return Diagnostic {
            message: format!("site.toml 中有未知的键 `{key}`"),
            ..d
        }
        .hint(hint);
    }
    Diagnostic {
        message: format!("site.toml 写法有误：{}", msg.trim()),
        ..d
    }
    .hint("TOML 格式：键 = \"值\"；文本要加英文引号，表名写在 [方括号] 里")
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = text[line_start..offset].chars().count() as u32 + 1;
    (line, col)
}

fn find_key(text: &str, key: &str) -> (u32, u32) {
    for (i, l) in text.lines().enumerate() {
        let t = l.trim_start();
        if t.starts_with(key) && t[key.len()..].trim_start().starts_with('=') {
            return (i as u32 + 1, (l.len() - t.len()) as u32 + 1);
        }
    }
    (0, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Result<Config, Diagnostic> {
        Config::parse(t, Path::new("site.toml"))
    }

    #[test]
    fn defaults_fill_missing_keys() {
        let c = parse("title = \"一支部\"\n").unwrap();
        assert_eq!(c.title, "一支部");
        assert_eq!(c.paginate_by, 10);
        assert_eq!(c.base_path(), "/");
        assert_eq!(c.points.quiz_passed, 5);
    }

    #[test]
    fn unknown_key_names_the_closest() {
        let e = parse("title = \"x\"\npaginte_by = 5\n").unwrap_err();
        assert!(e.message.contains("paginte_by"), "{e}");
        assert_eq!(e.line, 2);
        assert!(e.hint.as_deref().unwrap().contains("`paginate_by`"), "{e}");
    }

    #[test]
    fn unknown_key_in_a_table() {
        let e = parse("[privacy]\nallwo = []\n").unwrap_err();
        assert!(e.hint.as_deref().unwrap().contains("`allow`"), "{e}");
        assert_eq!(e.line, 2);
    }

    #[test]
    fn base_url_with_path() {
        let c = parse("base_url = \"https://host.edu.cn/dangjian/zhibu1\"\n").unwrap();
        assert_eq!(c.base_url, "https://host.edu.cn/dangjian/zhibu1/");
        assert_eq!(c.base_path(), "/dangjian/zhibu1/");
        assert_eq!(c.origin(), "https://host.edu.cn");
        assert_eq!(c.host(), "host.edu.cn");
    }

    #[test]
    fn timezones() {
        assert_eq!(
            parse_timezone("+08:00").unwrap().local_minus_utc(),
            8 * 3600
        );
        assert_eq!(parse_timezone("UTC+8").unwrap().local_minus_utc(), 8 * 3600);
        assert_eq!(
            parse_timezone("Asia/Shanghai").unwrap().local_minus_utc(),
            8 * 3600
        );
        assert_eq!(
            parse_timezone("-0530").unwrap().local_minus_utc(),
            -(5 * 3600 + 1800)
        );
        assert!(parse_timezone("Mars/Olympus").is_none());
        let e = parse("timezone = \"Beijing\"\n").unwrap_err();
        assert_eq!(e.line, 1);
    }

    #[test]
    fn images_defaults_and_checks() {
        let c = parse("").unwrap();
        assert_eq!(c.images.quality, 80);
        assert!(!c.images.originals);
        assert_eq!(c.images.max_pixels, 100_000_000);
        let c = parse("[images]\nquality = 70\noriginals = true\n").unwrap();
        assert_eq!((c.images.quality, c.images.originals), (70, true));
        let e = parse("[images]\nquality = 0\n").unwrap_err();
        assert!(e.message.contains("quality"), "{e}");
        assert_eq!(e.line, 2);
        // u8: 300 does not even fit, and says so at the value
        let e = parse("[images]\nquality = 300\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        let e = parse("[images]\nmax_pixels = 5000\n").unwrap_err();
        assert!(e.message.contains("max_pixels"), "{e}");
        assert!(e.hint.as_deref().unwrap().contains("100000000"), "{e}");
        let e = parse("[images]\nqualty = 80\n").unwrap_err();
        assert!(e.hint.as_deref().unwrap().contains("`quality`"), "{e}");
    }

    #[test]
    fn calendar_alarms() {
        assert_eq!(parse("").unwrap().calendar.alarms, ["1d", "1h"]);
        let c = parse("[calendar]\nalarms = [\"2天\", \"30m\"]\n").unwrap();
        assert_eq!(
            crate::timeline::alarms::minutes(&c.calendar.alarms),
            [2880, 30]
        );
        assert!(
            parse("[calendar]\nalarms = []\n")
                .unwrap()
                .calendar
                .alarms
                .is_empty()
        );
        let e = parse("title = \"x\"\n[calendar]\nalarms = [\"1 week\"]\n").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.message.contains("1 week"), "{e}");
        assert!(e.hint.as_deref().unwrap().contains("1d"), "{e}");
    }

    #[test]
    fn syntax_error_has_position() {
        let e = parse("title = \"x\"\nbase_url = https://x\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
    }
}
