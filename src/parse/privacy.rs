//! The privacy guard: personal contact and identity data never reach the
//! public site by accident. Keys and text patterns from SPEC; `[privacy]
//! allow` in site.toml lets an editor publish one deliberately.

use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostics::Diagnostic;
use crate::load::SourceFile;
use crate::parse::yaml::{Node, Pos, Value};

/// Normalised key spellings (lower case, without `_`, `-`, spaces) and what they are.
const KEYS: &[(&str, &[&str])] = &[
    (
        "电话号码",
        &[
            "phone",
            "mobile",
            "tel",
            "telephone",
            "cellphone",
            "cell",
            "phonenumber",
            "phoneno",
            "mobilephone",
            "mobileno",
            "mobilenumber",
            "手机",
            "手机号",
            "手机号码",
            "电话",
            "电话号码",
            "联系电话",
            "联系方式",
        ],
    ),
    (
        "身份证号",
        &[
            "idcard",
            "idcardno",
            "idcardnumber",
            "idnumber",
            "idno",
            "身份证",
            "身份证号",
            "身份证号码",
            "证件号",
            "证件号码",
        ],
    ),
    ("学号", &["studentid", "studentno", "studentnumber", "学号"]),
    (
        "住址",
        &[
            "address",
            "homeaddress",
            "addr",
            "住址",
            "家庭住址",
            "家庭地址",
            "地址",
            "住所",
            "宿舍",
        ],
    ),
    (
        "微信号",
        &[
            "wechat",
            "wechatid",
            "weixin",
            "wx",
            "wxid",
            "微信",
            "微信号",
        ],
    ),
    ("QQ 号", &["qq", "qqnumber", "qqno", "qq号", "qq号码"]),
    (
        "电子邮箱",
        &[
            "email",
            "mail",
            "emailaddress",
            "邮箱",
            "电子邮箱",
            "电子邮件",
            "邮件",
        ],
    ),
    (
        "出生日期",
        &[
            "birthday",
            "birthdate",
            "dateofbirth",
            "dob",
            "born",
            "出生日期",
            "生日",
            "出生年月",
            "出生年月日",
        ],
    ),
];

fn normalize_key(k: &str) -> String {
    k.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' ' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// What personal-data category a key belongs to, if any.
pub fn key_category(key: &str) -> Option<&'static str> {
    let k = normalize_key(key);
    KEYS.iter()
        .find(|(_, spellings)| spellings.contains(&k.as_str()))
        .map(|(cat, _)| *cat)
}

static MOBILE: LazyLock<Regex> = LazyLock::new(|| {
    // A literal pattern: compiling it cannot fail.
    Regex::new(r"1[3-9]\d(?:[- ]?\d{4}){2}").expect("valid regex")
});
static ID_CARD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d{17}[\dXx]").expect("valid regex"));

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Byte offset in the scanned text.
    pub offset: usize,
    pub len: usize,
    pub what: &'static str,
    pub value: String,
}

fn digit_or_x(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_digit() || c == 'X' || c == 'x')
}

/// Valid check digit of an 18-character resident ID number (GB 11643).
pub fn id_checksum_ok(s: &str) -> bool {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let chars: Vec<char> = s.chars().collect();
    if chars.len() != 18 {
        return false;
    }
    let mut sum = 0;
    for (i, w) in W.iter().enumerate() {
        match chars[i].to_digit(10) {
            Some(d) => sum += d * w,
            None => return false,
        }
    }
    C[(sum % 11) as usize] == chars[17].to_ascii_uppercase()
}

/// Mainland mobile numbers and resident ID numbers in a text.
pub fn scan_text(text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    for m in ID_CARD.find_iter(text) {
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        if !digit_or_x(before) && !digit_or_x(after) && id_checksum_ok(m.as_str()) {
            out.push(Finding {
                offset: m.start(),
                len: m.len(),
                what: "身份证号",
                value: m.as_str().to_string(),
            });
        }
    }
    // Both kinds are found in text order: one pass over the ID numbers.
    let ids = out.len();
    let mut next_id = 0;
    for m in MOBILE.find_iter(text) {
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        while next_id < ids && out[next_id].offset + out[next_id].len <= m.start() {
            next_id += 1;
        }
        let inside_id = next_id < ids && m.start() >= out[next_id].offset;
        if !before.is_some_and(|c| c.is_ascii_digit())
            && !after.is_some_and(|c| c.is_ascii_digit())
            && !inside_id
        {
            out.push(Finding {
                offset: m.start(),
                len: m.len(),
                what: "手机号",
                value: m.as_str().to_string(),
            });
        }
    }
    out.sort_by_key(|f| f.offset);
    out
}

/// `13812345678` -> `138****5678`: messages never repeat the whole number.
pub fn mask(v: &str) -> String {
    let chars: Vec<char> = v.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
    if chars.len() <= 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

/// The allow list, normalised once.
pub struct Allow {
    entries: Vec<String>,
}

impl Allow {
    pub fn new(list: &[String]) -> Self {
        Allow {
            entries: list.iter().map(|s| normalize_key(s)).collect(),
        }
    }

    /// The entries, normalised (for the parse cache's key).
    pub(crate) fn entries(&self) -> &[String] {
        &self.entries
    }

    fn has(&self, s: &str) -> bool {
        self.entries.contains(&normalize_key(s))
    }

    fn allows_key(&self, key: &str) -> bool {
        self.has(key)
    }

    fn allows_finding(&self, f: &Finding) -> bool {
        let value: String = f
            .value
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .collect();
        let names: &[&str] = if f.what == "手机号" {
            &["mobile", "手机号", "phone_number"]
        } else {
            &["id_card", "身份证号", "id_number"]
        };
        self.has(&value) || names.iter().any(|n| self.has(n))
    }
}

/// Checks front matter keys (at any depth) and every text of a page.
pub fn check_page(file: &SourceFile, front: &Node, allow: &Allow) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let file_line = |pos: Pos| file.front_line + pos.line.saturating_sub(1);
    let mut keys = Vec::new();
    collect_keys(front, &mut keys);
    for (name, pos) in keys {
        if let Some(cat) = key_category(&name)
            && !allow.allows_key(&name)
        {
            out.push(
                Diagnostic::error(format!(
                    "front matter 里有个人信息字段 `{name}`（{cat}），公开网站上不能发布"
                ))
                .in_file(file.display())
                .at(Some(&file.text), file_line(pos), pos.col)
                .width(name.chars().count())
                .hint(format!(
                    "删掉这一项{}；确需公开时，在 site.toml 的 [privacy] 下写 allow = [\"{name}\"]",
                    if cat == "住址" {
                        "（活动地点请用 location）"
                    } else {
                        ""
                    }
                )),
            );
        }
    }
    // Text values in front matter.
    let mut strings = Vec::new();
    front.strings(&mut strings);
    // A notice's `contact` is meant to be published: say how to allow an office number.
    let contact = front.get("contact").map(|n| n.pos);
    for (pos, s) in strings {
        for f in scan_text(s)
            .into_iter()
            .filter(|f| !allow.allows_finding(f))
        {
            let d = finding_diag(file, &f, file_line(pos), pos.col);
            out.push(if Some(pos) == contact {
                contact_diag(d, &f)
            } else {
                d
            });
        }
    }
    // The body.
    let body = file.body();
    let mut cursor = crate::textpos::Cursor::new(body);
    let mut more = 0;
    for f in scan_text(body)
        .into_iter()
        .filter(|f| !allow.allows_finding(f))
    {
        if out.len() >= MAX_FINDINGS {
            more += 1;
            continue;
        }
        let (l, c) = cursor.locate(f.offset);
        out.push(finding_diag(file, &f, file.body_line + l - 1, c));
    }
    if more > 0 {
        out.push(
            Diagnostic::error(format!("这个文件里还有 {more} 处类似的号码没有逐一列出"))
                .in_file(file.display())
                .hint("先处理上面列出的几处，再构建一次就会看到其余的"),
        );
    }
    out
}

/// Messages per file: a pasted address book must not print 100 000 of them
/// (each one also copies its source line).
const MAX_FINDINGS: usize = 50;

fn finding_diag(file: &SourceFile, f: &Finding, line: u32, col: u32) -> Diagnostic {
    let pattern = if f.what == "手机号" {
        "mobile"
    } else {
        "id_card"
    };
    let mut d = Diagnostic::error(format!(
        "正文里有{}（{}），公开网站上不能发布",
        f.what,
        mask(&f.value)
    ))
    .in_file(file.display())
    .at(Some(&file.text), line, col)
    .hint(format!(
        "删掉或打码（如 {}）；确需公开这个号码时，把它原样写进 site.toml 的 [privacy] allow 列表；\
             要允许所有{}，写 allow = [\"{pattern}\"]",
        mask(&f.value),
        f.what
    ));
    // The snippet under the message must not repeat the number either: CI logs are often public.
    let masked = mask(&f.value);
    d.source_line = d.source_line.map(|l| l.replace(&f.value, &masked));
    d.width(masked.chars().count())
}

/// The message for a number in a notice's `contact`: a personal mobile
/// must not be published, an office number may be, deliberately.
fn contact_diag(d: Diagnostic, f: &Finding) -> Diagnostic {
    Diagnostic {
        message: format!(
            "联系方式 contact 里有{}（{}），公开网站上不能发布个人号码",
            f.what,
            mask(&f.value)
        ),
        ..d
    }
    .hint(
        "联系方式请写办公室电话、办公地点或邮箱；如果这个号码就是对外公开的办公电话，\
         把它原样（只写数字）写进 site.toml 的 [privacy] allow 列表，例如 allow = [\"这个号码\"]",
    )
}

fn collect_keys(node: &Node, out: &mut Vec<(String, Pos)>) {
    match &node.value {
        Value::Map(entries) => {
            for (k, v) in entries {
                out.push((k.name.clone(), k.pos));
                collect_keys(v, out);
            }
        }
        Value::Seq(items) => items.iter().for_each(|n| collect_keys(n, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::split;
    use crate::parse::yaml;
    use std::path::Path;

    fn check(text: &str, allow: &[&str]) -> Vec<Diagnostic> {
        let f = split(text.to_string(), Path::new("m.md"), "members/m.md").unwrap();
        let node = yaml::parse(f.front()).unwrap();
        let allow: Vec<String> = allow.iter().map(|s| s.to_string()).collect();
        check_page(&f, &node, &Allow::new(&allow))
    }

    // Synthetic IDs with valid check digits (not real people).
    const ID: &str = "11010519491231002X";

    #[test]
    fn checksum() {
        assert!(id_checksum_ok(ID));
        assert!(!id_checksum_ok("110105194912310021"));
    }

    #[test]
    fn keys_in_any_spelling() {
        for k in [
            "phone",
            "Mobile",
            "手机号",
            "id_card",
            "ID-Card",
            "身份证",
            "student_id",
            "学号",
            "address",
            "住址",
            "wechat",
            "微信",
            "QQ",
            "e-mail",
            "邮箱",
            "birthday",
            "出生日期",
        ] {
            let d = check(&format!("---\nname: 张三\n{k}: x\n---\n"), &[]);
            assert_eq!(d.len(), 1, "{k}: {d:?}");
            assert_eq!(d[0].line, 3);
            assert!(d[0].message.contains(k), "{d:?}");
        }
        // nested too
        let d = check(
            "---\nname: 张三\nextra:\n  contact:\n    email: a@b.c\n---\n",
            &[],
        );
        assert_eq!(d[0].line, 5);
    }

    #[test]
    fn numbers_in_text() {
        let d = check(
            &format!("---\ntitle: 报名\n---\n联系人张老师，电话13812345678。\n\n证件{ID}\n"),
            &[],
        );
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!((d[0].line, d[0].col), (4, 10));
        assert!(d[0].message.contains("138****5678"));
        assert!(!d[0].to_string().contains("13812345678"));
        assert_eq!(d[1].line, 6);
        assert!(d[1].message.contains("身份证号"));
    }

    #[test]
    fn grouped_and_front_matter_numbers() {
        let d = check("---\ntitle: 报名\nsummary: 咨询 138-1234-5678\n---\n", &[]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].line, 3);
    }

    #[test]
    fn not_numbers_that_only_look_alike() {
        // 12 digits, an order number, a year range, an ID with a bad check digit
        let d = check(
            "---\ntitle: x\n---\n订单 138123456789，2019-2024 年，110105194912310021，电话 12345678901\n",
            &[],
        );
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn a_mobile_number_in_a_contact_says_how_to_allow_an_office_number() {
        let d = check(
            "---\ntitle: 公示\ncontact: 组织委员 13812345678\n---\n",
            &[],
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].line, 3);
        assert!(d[0].message.contains("contact"), "{d:?}");
        assert!(d[0].hint.as_deref().unwrap().contains("[privacy] allow"));
        assert!(!d[0].to_string().contains("13812345678"));
        assert!(
            check(
                "---\ntitle: 公示\ncontact: 13812345678\n---\n",
                &["13812345678"]
            )
            .is_empty()
        );
        // A landline office number is not a personal number.
        assert!(check("---\ntitle: 公示\ncontact: 电话 0571-88273456\n---\n", &[]).is_empty());
    }

    #[test]
    fn allow_by_key_pattern_or_value() {
        assert!(check("---\nname: a\nemail: x@y.z\n---\n", &["email"]).is_empty());
        assert!(check("---\ntitle: a\n---\n13812345678\n", &["13812345678"]).is_empty());
        assert!(check("---\ntitle: a\n---\n13812345678\n", &["mobile"]).is_empty());
        assert_eq!(
            check(
                "---\ntitle: a\n---\n13812345678 13912345678\n",
                &["13812345678"]
            )
            .len(),
            1
        );
    }
}
