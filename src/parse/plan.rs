//! The front matter of a study plan (`content/plans/…`): `start`, `due`
//! and `items`, each item an `@/` link written as a plain string or as a
//! map with its own `page`, `due` and `required`. What the links point at
//! is only known once every page is placed (`model::plans`); here the
//! shape and the dates are checked, each problem at its line.

use crate::parse::dates::When;
use crate::parse::front::Located;
use crate::parse::reader::{Reader, entries};
use crate::parse::yaml::{Node, Pos, Value};
use serde::{Deserialize, Serialize};

/// Keys a plan understands besides the common ones.
pub(crate) const PLAN_KEYS: &[&str] = &["start", "due", "items"];

/// Keys of one item written as a map.
const ITEM_KEYS: &[&str] = &["page", "due", "required"];

const ITEM_EXAMPLE: &str = "items 下每项一行，例如「- \"@/lessons/dang-zhang-01.md\"」，或「- page: \"@/lessons/……md\"」加一行「due: 2026-12-20」";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlanFront {
    pub start: Option<When>,
    pub due: Option<When>,
    pub items: Vec<ItemFront>,
}

/// One task of a plan, as written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemFront {
    /// The link as written (`@/lessons/x.md`), with its place in the file.
    pub page: Located,
    /// The item's own due date, if written (else the plan's).
    pub due: Option<When>,
    /// Where `due` was written, for messages.
    pub due_pos: Option<Pos>,
    /// `required: false` makes the item optional (选学).
    pub required: bool,
}

/// Reads one of [`PLAN_KEYS`] into `plan`.
pub(crate) fn read_key(r: &mut Reader, key: &str, v: &Node, plan: &mut PlanFront) {
    match key {
        "start" => plan.start = r.date(key, v),
        "due" => plan.due = r.date(key, v),
        "items" => plan.items = read_items(r, v),
        _ => {}
    }
}

fn located(r: &Reader, value: String, node: &Node) -> Located {
    Located {
        value,
        line: r.line(node.pos),
        col: node.pos.col,
    }
}

fn read_items(r: &mut Reader, v: &Node) -> Vec<ItemFront> {
    let list: &[Node] = match &v.value {
        Value::Seq(items) => items,
        Value::Null => &[],
        Value::Str(_) => std::slice::from_ref(v),
        _ => {
            r.error(
                v.pos,
                1,
                format!("items 应该是一个列表，这里写的是{}", v.value.type_name()),
                ITEM_EXAMPLE,
            );
            return Vec::new();
        }
    };
    list.iter().filter_map(|n| read_item(r, n)).collect()
}

fn read_item(r: &mut Reader, n: &Node) -> Option<ItemFront> {
    match &n.value {
        Value::Str(_) => {
            let page = r.required_text("items", n)?;
            Some(ItemFront {
                page: located(r, page, n),
                due: None,
                due_pos: None,
                required: true,
            })
        }
        Value::Map(_) => {
            let mut page = None;
            let mut due = None;
            let mut due_pos = None;
            let mut required = true;
            for (key, value) in entries(r, "任务 ", n) {
                match key.name.as_str() {
                    "page" => page = r.required_text("page", value).map(|p| (p, value)),
                    "due" => {
                        due = r.date("due", value);
                        due_pos = Some(value.pos);
                    }
                    "required" => required = r.bool("required", value).unwrap_or(true),
                    other => {
                        let hint = match crate::diagnostics::closest(other, ITEM_KEYS.iter().copied(), 2) {
                            Some(k) => format!("是不是想写 `{k}`？一项任务可以写 page、due 和 required"),
                            None => "一项任务可以写 page（链接）、due（截止日期）和 required（是否必学）".into(),
                        };
                        r.error(
                            key.pos,
                            other.chars().count(),
                            format!("学习任务里没有 `{other}` 这个键"),
                            hint,
                        );
                    }
                }
            }
            match page {
                Some((p, node)) => Some(ItemFront {
                    page: located(r, p, node),
                    due,
                    due_pos,
                    required,
                }),
                None => {
                    if n.get("page").is_none() {
                        r.error(
                            n.pos,
                            1,
                            "这项学习任务没有写 page（要学的页面）",
                            "加一行 page: \"@/lessons/……md\"",
                        );
                    }
                    None
                }
            }
        }
        _ => {
            r.error(
                n.pos,
                1,
                format!(
                    "学习任务应该是一个链接或「page: 链接」，这里写的是{}",
                    n.value.type_name()
                ),
                ITEM_EXAMPLE,
            );
            None
        }
    }
}

/// What can be checked within the file: there are items, `start` is not
/// after `due`, no item is due before the plan starts. `root` is the
/// front matter, for positions.
pub(crate) fn check(r: &mut Reader, root: &Node, plan: &PlanFront) {
    let pos_of = |key: &str| root.get(key).map(|n| n.pos).unwrap_or(root.pos);
    if plan.items.is_empty() && !r.diags.iter().any(|d| d.is_error()) {
        r.error(
            pos_of("items"),
            1,
            "学习计划没有任何任务（items）",
            format!("列出要学的课程或要做的测验：{ITEM_EXAMPLE}"),
        );
    }
    if let (Some(start), Some(due)) = (plan.start, plan.due)
        && due.at < start.at
    {
        r.error(
            pos_of("due"),
            1,
            "截止日期 due 早于开始日期 start",
            "检查两个日期是否写反了，或年份、月份是否写错",
        );
    }
    for item in &plan.items {
        let (Some(due), Some(pos)) = (item.due, item.due_pos) else {
            continue;
        };
        if let Some(start) = plan.start
            && due.at < start.at
        {
            r.error(
                pos,
                10,
                format!(
                    "这项任务的截止日期 {} 早于计划的开始日期 {}",
                    due.date(),
                    start.date()
                ),
                "检查年份和月份；一项任务的截止日期应在计划的开始日期之后",
            );
        } else if let Some(plan_due) = plan.due
            && due.at > plan_due.at
        {
            r.warn(
                pos,
                10,
                format!(
                    "这项任务的截止日期 {} 晚于整个计划的截止日期 {}",
                    due.date(),
                    plan_due.date()
                ),
                "如果是有意延期可以不改；否则把它改到计划截止日期之前",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::Diagnostic;
    use crate::load::split;
    use crate::parse::Kind;
    use crate::parse::front::{Front, read_front};
    use crate::parse::reader::Reader;
    use crate::parse::yaml;
    use chrono::FixedOffset;
    use std::path::Path;

    fn read(front: &str) -> (Option<Front>, Vec<Diagnostic>) {
        let f = split(
            format!("---\n{front}---\n"),
            Path::new("x.md"),
            "plans/x.md",
        )
        .unwrap();
        let node = yaml::parse(f.front()).unwrap();
        let mut r = Reader::new(&f, FixedOffset::east_opt(8 * 3600).unwrap());
        let front = read_front(&mut r, Kind::Plan, &node);
        (front, r.diags)
    }

    #[test]
    fn both_item_forms() {
        let (f, d) = read(
            "title: 十二月学习任务\nstart: 2026-12-01\ndue: 2026-12-31\nitems:\n  - \"@/lessons/a.md\"\n  - page: \"@/lessons/b.md\"\n    due: 2026-12-20\n    required: false\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let p = f.unwrap().plan;
        assert_eq!(p.items.len(), 2);
        assert_eq!(p.items[0].page.value, "@/lessons/a.md");
        assert_eq!((p.items[0].page.line, p.items[0].page.col), (6, 5));
        assert!(p.items[0].required && p.items[0].due.is_none());
        assert!(!p.items[1].required);
        assert_eq!(p.items[1].due.unwrap().date().to_string(), "2026-12-20");
    }

    #[test]
    fn a_plan_needs_items_and_sane_dates() {
        let (_, d) = read("title: 空\nstart: 2026-12-31\ndue: 2026-12-01\n");
        let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert!(
            messages.iter().any(|m| m.contains("没有任何任务")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("早于开始日期")),
            "{messages:?}"
        );
    }

    #[test]
    fn wrong_shapes_are_named() {
        let (_, d) = read(
            "title: x\nitems:\n  - 3\n  - {due: 2026-12-01}\n  - page: a.md\n    requried: false\n",
        );
        assert_eq!(d.iter().filter(|d| d.is_error()).count(), 3, "{d:?}");
        assert!(
            d.iter()
                .any(|d| d.hint.as_deref().unwrap_or("").contains("`required`"))
        );
        assert!(
            d.iter()
                .any(|d| d.message.contains("没有写 page") && d.line == 5)
        );
    }

    #[test]
    fn an_item_due_after_the_plan_is_a_warning() {
        let (f, d) = read(
            "title: x\nstart: 2026-12-01\ndue: 2026-12-31\nitems:\n  - page: a.md\n    due: 2027-01-10\n",
        );
        assert!(f.is_some());
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(!d[0].is_error() && d[0].line == 7);
    }
}
