//! SVG is published as it is, never rasterised, but only when it cannot run
//! code: an SVG opened on its own runs its scripts with the site's origin,
//! so `<script>`, `<foreignObject>` (HTML inside), `on…` event attributes
//! and `javascript:` URLs make it an error that names the place. The file
//! is parsed as XML (roxmltree, with its entity-expansion limits), so tricks
//! like `<svg:script>` or upper-case `ONLOAD` are seen. Its size comes from
//! `width`/`height`, else the `viewBox`.

use super::probe::Problem;

/// The size to put on `<img>`, when the file says it (0 × 0 otherwise).
pub(crate) fn check(bytes: &[u8]) -> Result<(u32, u32), (Problem, u32, u32)> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        (
            Problem::new(
                "SVG 文件不是 UTF-8 编码",
                "用 Inkscape 或文本编辑器把它另存为 UTF-8 编码的 SVG",
            ),
            0,
            0,
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        nodes_limit: 1_000_000,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options).map_err(|e| {
        let p = e.pos();
        (
            Problem::new(
                format!("SVG 文件写法有误：{e}"),
                "用 Inkscape 或浏览器打开检查；能打开的话重新导出为普通 SVG",
            ),
            p.row,
            p.col,
        )
    })?;
    let root = doc.root_element();
    if !root.tag_name().name().eq_ignore_ascii_case("svg") {
        return Err((
            Problem::new(
                "这个文件不是 SVG 图像（最外层不是 <svg>）",
                "用绘图软件重新导出为 SVG，或另存为 PNG",
            ),
            0,
            0,
        ));
    }
    for node in root.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        let found = if name.eq_ignore_ascii_case("script") {
            Some("脚本 <script>".to_string())
        } else if name.eq_ignore_ascii_case("foreignObject") {
            Some("嵌入的网页内容 <foreignObject>".to_string())
        } else {
            node.attributes().find_map(|a| {
                let value: String = a
                    .value()
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                if a.name().len() > 2 && a.name()[..2].eq_ignore_ascii_case("on") {
                    Some(format!("事件属性 {}", a.name()))
                } else if value.contains("javascript:") || value.contains("vbscript:") {
                    Some(format!("{} 里的 javascript: 链接", a.name()))
                } else {
                    None
                }
            })
        };
        if let Some(what) = found {
            let pos = doc.text_pos_at(node.range().start);
            return Err((
                Problem::new(
                    format!("SVG 图片里有{what}，发布后可能在读者的浏览器里运行代码"),
                    "删掉脚本、on… 事件属性和 javascript: 链接后再放进来；在 Inkscape 里“另存为 → 普通 SVG”，或导出为 PNG",
                ),
                pos.row,
                pos.col,
            ));
        }
    }
    Ok(size(&root))
}

fn size(root: &roxmltree::Node) -> (u32, u32) {
    let length = |name: &str| {
        let v = root.attribute(name)?.trim();
        let v = v.strip_suffix("px").unwrap_or(v);
        let n: f64 = v.parse().ok()?;
        (1.0..100_000.0).contains(&n).then_some(n.round() as u32)
    };
    if let (Some(w), Some(h)) = (length("width"), length("height")) {
        return (w, h);
    }
    let view_box: Vec<f64> = root
        .attribute("viewBox")
        .unwrap_or("")
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    match view_box[..] {
        [_, _, w, h] if (1.0..100_000.0).contains(&w) && (1.0..100_000.0).contains(&h) => {
            (w.round() as u32, h.round() as u32)
        }
        _ => (0, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(svg: &str) -> String {
        let (p, line, _) = check(svg.as_bytes()).unwrap_err();
        format!("{}@{line}", p.message)
    }

    #[test]
    fn plain_svg_passes_with_its_size() {
        let ok = r#"<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="120px" height="80"><rect width="10" height="10"/><a href="https://example.edu.cn/">x</a></svg>"#;
        assert_eq!(check(ok.as_bytes()).unwrap(), (120, 80));
        let vb = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640,480"/>"#;
        assert_eq!(check(vb.as_bytes()).unwrap(), (640, 480));
        let none = r#"<svg xmlns="http://www.w3.org/2000/svg" width="100%"/>"#;
        assert_eq!(check(none.as_bytes()).unwrap(), (0, 0));
    }

    #[test]
    fn code_is_refused_where_it_is() {
        let s = "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<script>alert(1)</script></svg>";
        assert!(err(s).contains("<script>"), "{}", err(s));
        assert!(err(s).ends_with("@2"));
        let prefixed = r#"<svg:svg xmlns:svg="http://www.w3.org/2000/svg"><svg:script>x</svg:script></svg:svg>"#;
        assert!(err(prefixed).contains("<script>"));
        let onload = r#"<svg xmlns="http://www.w3.org/2000/svg" ONLOAD="alert(1)"/>"#;
        assert!(err(onload).contains("ONLOAD"));
        let link = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href=" java&#x09;script:alert(1)">x</a></svg>"#;
        assert!(err(link).contains("javascript:"), "{}", err(link));
        let html = r#"<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div/></foreignObject></svg>"#;
        assert!(err(html).contains("foreignObject"));
        let set = r#"<svg xmlns="http://www.w3.org/2000/svg"><a><set attributeName="href" to="javascript:alert(1)"/></a></svg>"#;
        assert!(err(set).contains("javascript:"));
    }

    #[test]
    fn broken_svg_is_an_error_with_a_position() {
        let (p, line, _) =
            check(b"<svg xmlns=\"http://www.w3.org/2000/svg\">\n<g></svg>").unwrap_err();
        assert!(p.message.contains("写法有误"), "{}", p.message);
        assert_eq!(line, 2);
        assert!(check(b"<html><svg/></html>").is_err());
        assert!(check(&[0x3c, 0x73, 0x76, 0x67, 0xff]).is_err());
    }
}
