//! The study plan of the serve property test (`content/plans/p.md`): which
//! lessons, course and activity it lists, its window, an item's own due
//! date, and the plan added and removed.

use proptest::prelude::*;

#[derive(Clone, Debug)]
pub struct Plan {
    pub present: bool,
    /// Which items it lists: bits for l0, l1, l2, the course 党章学习, a0.
    items: u8,
    /// Its start and due, one of [`WINDOWS`].
    window: u8,
    /// Whether its first item has a due date of its own.
    item_due: bool,
}

/// Start and due of the plan (built on 2026-11-21): open, current, over,
/// to come, due only.
const WINDOWS: [&str; 5] = [
    "",
    "start: 2026-11-01\ndue: 2026-11-30\n",
    "start: 2026-10-01\ndue: 2026-11-10\n",
    "start: 2026-12-01\ndue: 2026-12-31\n",
    "due: 2026-12-31\n",
];

#[derive(Clone, Debug)]
pub enum PlanEdit {
    Items(u8),
    Window(u8),
    ItemDue(bool),
    AddOrRemove,
}

pub fn edit() -> impl Strategy<Value = PlanEdit> {
    prop_oneof![
        (0..32u8).prop_map(PlanEdit::Items),
        (0..WINDOWS.len() as u8).prop_map(PlanEdit::Window),
        any::<bool>().prop_map(PlanEdit::ItemDue),
        Just(PlanEdit::AddOrRemove),
    ]
}

impl Plan {
    /// Current, listing l0, l1 and a0.
    pub fn new() -> Plan {
        Plan {
            present: true,
            items: 0b1_0011,
            window: 1,
            item_due: false,
        }
    }

    pub fn apply(&mut self, e: &PlanEdit) {
        match *e {
            PlanEdit::Items(v) => self.items = v,
            PlanEdit::Window(v) => self.window = v,
            PlanEdit::ItemDue(v) => self.item_due = v,
            PlanEdit::AddOrRemove => self.present = !self.present,
        }
    }

    /// The plan's file; `course`: whether the course 党章学习 has lessons.
    /// It always lists something (a0 when nothing else).
    pub fn text(&self, course: bool) -> String {
        let mut items: Vec<String> = (0..3)
            .filter(|i| self.items & (1 << i) != 0)
            .map(|i| format!("\"@/lessons/l{i}.md\""))
            .collect();
        if self.items & 8 != 0 && course {
            items.push("/courses/dang-zhang-xue-xi/".into());
        }
        if self.items & 16 != 0 || items.is_empty() {
            items.push("\"@/activities/a0.md\"".into());
        }
        if self.item_due {
            items[0] = format!("page: {}\n    due: 2026-12-10", items[0]);
        }
        let items: String = items.iter().map(|i| format!("  - {i}\n")).collect();
        let window = WINDOWS[self.window as usize % WINDOWS.len()];
        format!("---\ntitle: 学习任务\n{window}items:\n{items}---\n\n按时完成。\n")
    }
}
