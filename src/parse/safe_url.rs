//! Which URLs content may link to. Relative URLs and `http`, `https`,
//! `mailto`, `tel`, `sms`, `ftp`, `webcal` and `geo` are fine; a `data:`
//! URL only as an image of a raster type (pasted pictures: an `<img>` never
//! runs script); anything else — `javascript:`, `vbscript:`, `data:text/html`,
//! `file:`, app schemes — is refused. The scheme is read the way a browser
//! reads it: leading spaces and control characters skipped, tabs and line
//! breaks inside ignored, case ignored (`JaVa\tScRiPt:`).

const SCHEMES: &[&str] = &[
    "http", "https", "mailto", "tel", "sms", "ftp", "webcal", "geo",
];

/// Our own placeholder for internal links (see `markdown::PLACEHOLDER`).
const PLACEHOLDER_SCHEME: &str = "zhibu-link";

const IMAGE_TYPES: &[&str] = &[
    "image/png",
    "image/jpeg",
    "image/jpg",
    "image/gif",
    "image/webp",
    "image/avif",
    "image/bmp",
];

/// `url` as a browser reads it: without leading spaces and control
/// characters, without tabs and line breaks.
fn as_read(url: &str) -> String {
    url.trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|&c| c != '\t' && c != '\n' && c != '\r')
        .collect()
}

/// The scheme of `url` in lower case as a browser sees it, if it has one.
pub(crate) fn scheme(url: &str) -> Option<String> {
    let cleaned = as_read(url);
    let end = cleaned.find(':')?;
    let s = &cleaned[..end];
    let mut chars = s.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| s.to_ascii_lowercase())
}

/// `Err(scheme)` when content may not use `url` (in an `<img>` when `image`).
pub(crate) fn check(url: &str, image: bool) -> Result<(), String> {
    let Some(s) = scheme(url) else {
        return Ok(());
    };
    if SCHEMES.contains(&s.as_str()) || s == PLACEHOLDER_SCHEME {
        return Ok(());
    }
    if s == "data" && image {
        let read = as_read(url).to_ascii_lowercase();
        let rest = read.get(5..).unwrap_or("").trim_start();
        if IMAGE_TYPES
            .iter()
            .any(|t| rest.starts_with(t) && rest[t.len()..].starts_with([';', ',']))
        {
            return Ok(());
        }
    }
    Err(s)
}

/// The message and hint for a refused URL.
pub(crate) fn refusal(written: &str, scheme: &str, image: bool) -> (String, String) {
    let what = if image { "图片" } else { "链接" };
    (
        format!("{what} `{written}` 用了 {scheme}: 网址，为了读者的安全已去掉"),
        if scheme == "data" {
            "图片请放进页面包（和 index.md 同一个文件夹）或 static/ 里再引用；data: 只能是 PNG、JPEG、GIF、WebP 图片".to_string()
        } else {
            "只能链接 https:// 或 http:// 开头的网址、站内页面和文件；mailto: 和 tel: 也可以"
                .to_string()
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_schemes_in_any_spelling() {
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " \u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd",
        ] {
            assert!(check(bad, false).is_err(), "{bad:?}");
            assert!(check(bad, true).is_err(), "{bad:?} as image");
        }
        assert!(check("data:image/svg+xml,<svg onload=alert(1)>", true).is_err());
        assert!(check("data:image/png;base64,iVBORw0KGgo=", false).is_err());
    }

    #[test]
    fn ordinary_links() {
        for ok in [
            "https://www.12371.cn/",
            "HTTP://x.cn",
            "mailto:dangwei@x.edu.cn",
            "tel:010-12345678",
            "/about/",
            "../a.md#x",
            "照片.jpg",
            "zhibu-link:3",
            "#jie-xi",
            "javascript%3Aalert(1)",
        ] {
            assert!(check(ok, false).is_ok(), "{ok:?}");
        }
        assert!(check("data:image/png;base64,iVBORw0KGgo=", true).is_ok());
        assert!(check("DATA:IMAGE/JPEG,xx", true).is_ok());
        assert!(check("a:b/c", false).is_err(), "an unknown scheme");
    }
}
