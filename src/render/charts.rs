//! Geometry for the SVG charts of 成果展示, computed at build time so that
//! they show without JavaScript. Templates draw the shapes from these numbers
//! (themes/default/templates/partials/chart.html).

use serde::Serialize;

use crate::model::stats::Bucket;

/// Width of the SVG coordinate space: sized for a phone, scaled up on desktops.
pub const WIDTH: f64 = 360.0;

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Chart {
    pub id: String,
    pub title: String,
    /// 次, 小时 …
    pub unit: String,
    /// `columns` (months along the bottom) or `rows` (a label per row).
    pub layout: String,
    pub width: f64,
    pub height: f64,
    pub bars: Vec<Bar>,
    pub grid: Vec<GridLine>,
    /// One sentence for screen readers: the largest value and the total.
    pub description: String,
    pub empty: bool,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub label: String,
    pub value: f64,
    pub value_text: String,
    /// Where the category label goes.
    pub label_x: f64,
    pub label_y: f64,
    /// Where the value goes.
    pub value_x: f64,
    pub value_y: f64,
    /// Columns label only every few months when there are many.
    pub show_label: bool,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct GridLine {
    pub y: f64,
    pub label: String,
}

/// `12`, `2.5`: at most one decimal, none when whole.
pub fn number(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// A round maximum for the axis: 1, 2, 5 × 10ⁿ.
fn nice_max(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let mag = 10f64.powf(max.log10().floor());
    for m in [1.0, 2.0, 5.0, 10.0] {
        if max <= m * mag {
            return m * mag;
        }
    }
    10.0 * mag
}

fn r1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn describe(title: &str, unit: &str, data: &[Bucket]) -> String {
    let total: f64 = data.iter().map(|b| b.value).sum();
    match data.iter().max_by(|a, b| a.value.total_cmp(&b.value)) {
        Some(top) if total > 0.0 => format!(
            "{title}：共 {} {unit}，最多的是{}（{} {unit}）。",
            number(total),
            top.label,
            number(top.value)
        ),
        _ => format!("{title}：暂无数据。"),
    }
}

/// Vertical columns, one per bucket (months).
pub fn columns(id: &str, title: &str, unit: &str, data: &[Bucket]) -> Chart {
    let (left, right, top, bottom) = (30.0, 8.0, 16.0, 40.0);
    let height = 220.0;
    let plot_h = height - top - bottom;
    let n = data.len().max(1) as f64;
    let slot = (WIDTH - left - right) / n;
    let max = nice_max(data.iter().map(|b| b.value).fold(0.0, f64::max));
    let every = (data.len() / 6).max(1);
    let bars = data
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let h = r1(b.value / max * plot_h);
            let x = r1(left + slot * i as f64 + slot * 0.15);
            let w = r1(slot * 0.7);
            Bar {
                x,
                y: r1(top + plot_h - h),
                w,
                h,
                label: short_month(&b.key, &b.label),
                value: b.value,
                value_text: number(b.value),
                label_x: r1(x + w / 2.0),
                label_y: height - bottom + 16.0,
                value_x: r1(x + w / 2.0),
                value_y: r1(top + plot_h - h - 4.0),
                show_label: (data.len() - 1 - i) % every == 0,
            }
        })
        .collect();
    let grid = [0.0, 0.5, 1.0]
        .iter()
        .map(|f| GridLine {
            y: r1(top + plot_h - f * plot_h),
            label: number(max * f),
        })
        .collect();
    Chart {
        id: id.into(),
        title: title.into(),
        unit: unit.into(),
        layout: "columns".into(),
        width: WIDTH,
        height,
        bars,
        grid,
        description: describe(title, unit, data),
        empty: data.iter().all(|b| b.value == 0.0),
    }
}

/// `2024-05` -> `24.5`; other keys keep their label.
fn short_month(key: &str, label: &str) -> String {
    match key.split_once('-') {
        Some((y, m)) if y.len() == 4 && m.len() == 2 => {
            format!("{}.{}", &y[2..], m.trim_start_matches('0'))
        }
        _ => label.to_string(),
    }
}

/// Horizontal bars, a labelled row per bucket (kinds, members, courses).
pub fn rows(id: &str, title: &str, unit: &str, data: &[Bucket]) -> Chart {
    let (label_w, right, row_h, top) = (104.0, 44.0, 30.0, 6.0);
    let height = top * 2.0 + row_h * data.len().max(1) as f64;
    let plot_w = WIDTH - label_w - right;
    let max = data
        .iter()
        .map(|b| b.value)
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    let bars = data
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let y = top + row_h * i as f64;
            let w = r1((b.value / max * plot_w).max(if b.value > 0.0 { 2.0 } else { 0.0 }));
            Bar {
                x: label_w,
                y: r1(y + 6.0),
                w,
                h: row_h - 12.0,
                label: truncate(&b.label, 7),
                value: b.value,
                value_text: number(b.value),
                label_x: label_w - 8.0,
                label_y: r1(y + row_h / 2.0 + 5.0),
                value_x: r1(label_w + w + 6.0),
                value_y: r1(y + row_h / 2.0 + 5.0),
                show_label: true,
            }
        })
        .collect();
    Chart {
        id: id.into(),
        title: title.into(),
        unit: unit.into(),
        layout: "rows".into(),
        width: WIDTH,
        height,
        bars,
        grid: Vec::new(),
        description: describe(title, unit, data),
        empty: data.iter().all(|b| b.value == 0.0),
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(key: &str, v: f64) -> Bucket {
        Bucket {
            key: key.into(),
            label: key.into(),
            value: v,
        }
    }

    #[test]
    fn column_heights_are_proportional() {
        let c = columns(
            "m",
            "每月活动",
            "次",
            &[b("2024-01", 2.0), b("2024-02", 4.0), b("2024-03", 0.0)],
        );
        assert_eq!(c.bars.len(), 3);
        assert!((c.bars[1].h - 2.0 * c.bars[0].h).abs() < 0.2);
        assert_eq!(c.bars[2].h, 0.0);
        assert_eq!(c.bars[0].label, "24.1");
        assert_eq!(c.grid.last().unwrap().label, "5");
        assert!(c.description.contains("共 6 次"));
        assert!(c.bars.iter().all(|b| b.y + b.h <= c.height));
    }

    #[test]
    fn rows_fit_the_width() {
        let c = rows(
            "k",
            "活动类型",
            "次",
            &[b("主题党日", 5.0), b("志愿服务", 2.5)],
        );
        assert!(c.bars.iter().all(|b| b.x + b.w <= WIDTH));
        assert_eq!(c.bars[1].value_text, "2.5");
    }

    #[test]
    fn nice_axis() {
        assert_eq!(nice_max(7.0), 10.0);
        assert_eq!(nice_max(12.0), 20.0);
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(number(3.0), "3");
        assert_eq!(number(2.25), "2.3");
    }

    #[test]
    fn empty_data() {
        let c = rows("k", "活动类型", "次", &[]);
        assert!(c.empty);
        assert!(c.description.contains("暂无数据"));
    }
}
