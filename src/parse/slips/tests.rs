//! Unit tests of the repairs, through [`repair`].

use super::*;

fn fixed(s: &str) -> String {
    repair(s).text
}

#[test]
fn full_width_colon_after_a_known_key() {
    assert_eq!(fixed("duration：20\n"), "duration: 20\n");
    assert_eq!(fixed("title：党章\n"), "title: 党章\n");
    assert_eq!(fixed("  - type：single\n"), "  - type: single\n");
    assert_eq!(fixed("date:2024-05-04\n"), "date: 2024-05-04\n");
    // Unknown keys and colons inside values are left alone.
    assert_eq!(fixed("心得：很好\n"), "心得：很好\n");
    assert_eq!(fixed("title: 会议：主题\n"), "title: 会议：主题\n");
    assert_eq!(fixed("  - A：实现共产主义\n"), "  - A：实现共产主义\n");
    assert_eq!(fixed("- https://x.cn\n"), "- https://x.cn\n");
}

#[test]
fn positions_map_back() {
    let r = repair("title: x\nduration：20\n");
    // `20` is at column 11 after the repair, column 10 as written.
    assert_eq!(
        r.original(Pos { line: 2, col: 11 }),
        Pos { line: 2, col: 10 }
    );
    assert_eq!(r.original(Pos { line: 2, col: 1 }), Pos { line: 2, col: 1 });
    assert_eq!(r.original(Pos { line: 1, col: 8 }), Pos { line: 1, col: 8 });
    let r = repair("quiz:\n\tpass: 80\n");
    assert_eq!(r.text, "quiz:\n  pass: 80\n");
    assert_eq!(r.original(Pos { line: 2, col: 3 }), Pos { line: 2, col: 2 });
}

#[test]
fn pasted_spaces_and_dashes() {
    assert_eq!(fixed("title:\u{3000}党章\n"), "title: 党章\n");
    assert_eq!(fixed("\u{3000}\u{3000}pass: 1\n"), "  pass: 1\n");
    assert_eq!(fixed("tags:\n\u{a0}\u{a0}－ 党史\n"), "tags:\n  - 党史\n");
    assert_eq!(fixed("\u{200B}title: a\u{FEFF}\n"), "title: a\n");
    // Spaces inside a value are the editor's.
    assert_eq!(
        fixed("title: 党章\u{3000}学习\n"),
        "title: 党章\u{3000}学习\n"
    );
}

#[test]
fn one_line_maps() {
    assert_eq!(
        fixed("attendance: {应到：19，实到：17，请假：1，缺席：1}\n"),
        "attendance: {应到: 19,实到: 17,请假: 1,缺席: 1}\n"
    );
    assert_eq!(
        fixed("attendance: ｛expected:6, present: 6｝ # 出勤\n"),
        "attendance: {expected: 6, present: 6} # 出勤\n"
    );
    // Columns after an added space map back to the editor's.
    let r = repair("attendance: {应到：19，实到：x}\n");
    assert_eq!(
        r.original(Pos { line: 1, col: 25 }),
        Pos { line: 1, col: 23 }
    );
    // Unknown keys keep their colon; quoted or nested maps are left alone.
    assert_eq!(fixed("x: {心得：好}\n"), "x: {心得：好}\n");
    assert_eq!(fixed("x: {a: \"b，c\"}\n"), "x: {a: \"b，c\"}\n");
}

#[test]
fn smart_quotes_and_lists() {
    assert_eq!(fixed("title: “会议: 主题”\n"), "title: \"会议: 主题\"\n");
    assert_eq!(fixed("title: \"会议: 主题”\n"), "title: \"会议: 主题\"\n");
    assert_eq!(fixed("title: ‘a’ # 注\n"), "title: 'a' # 注\n");
    assert_eq!(
        fixed("title: “不忘初心”主题党日\n"),
        "title: “不忘初心”主题党日\n"
    );
    assert_eq!(fixed("answer: [A，C]\n"), "answer: [A,C]\n");
    assert_eq!(fixed("answer: ［A、C］\n"), "answer: [A,C]\n");
    assert_eq!(
        fixed("tags: [“党史”, “理论”]\n"),
        "tags: [\"党史\", \"理论\"]\n"
    );
    assert_eq!(
        fixed("options: [全心全意，为人民服务, 其他]\n"),
        "options: [全心全意，为人民服务, 其他]\n"
    );
}

#[test]
fn block_scalars_and_multiline_values_are_left_alone() {
    let t = "summary: |\n  duration：20\n  “引”\ntitle：x\n";
    assert_eq!(fixed(t), "summary: |\n  duration：20\n  “引”\ntitle: x\n");
    let t = "title: \"第一行\n  title：x\"\nduration：1\n";
    assert_eq!(fixed(t), "title: \"第一行\n  title：x\"\nduration: 1\n");
}

#[test]
fn untouched_front_matter_is_copied_as_is() {
    let t =
        "title: 党章学习\ndate: 2024-05-04 14:30\ntags: [党史, 理论]\nvideo: https://x.cn/a.mp4\n";
    assert!(!has_trigger(t) && !has_tight_colon(t));
    assert_eq!(fixed(t), t);
    for slip in [
        "a：b", "a\tb", "“", "，", "－", "\u{3000}", "\u{a0}", "\u{200B}", "\u{FEFF}", "−", "﹣",
        "、",
    ] {
        assert!(has_trigger(slip), "{slip:?}");
    }
    assert!(has_tight_colon("date:2024-05-04"));
}

#[test]
fn mixed_tabs_are_not_guessed() {
    assert_eq!(
        fixed("quiz:\n  pass: 1\n\tshuffle: true\n"),
        "quiz:\n  pass: 1\n\tshuffle: true\n"
    );
}
