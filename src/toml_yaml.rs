//! TOML front matter (`+++`, from Hugo or Zola) written out as the YAML
//! that zhibu reads, for the hint of the error that refuses it.

use std::fmt::Write as _;

/// The table as YAML lines, at most `max_lines` of them (then `……`).
pub(crate) fn to_yaml(table: &toml::Table, max_lines: usize) -> String {
    let mut out = String::new();
    table_lines(table, 0, &mut out);
    let mut lines: Vec<&str> = out.lines().collect();
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        lines.push("……");
    }
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

fn table_lines(table: &toml::Table, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    for (k, v) in table {
        let key = scalar(k);
        match v {
            toml::Value::Table(t) => {
                let _ = writeln!(out, "{pad}{key}:");
                table_lines(t, indent + 2, out);
            }
            toml::Value::Array(items) if items.iter().any(is_table) => {
                let _ = writeln!(out, "{pad}{key}:");
                for item in items {
                    item_lines(item, indent + 2, out);
                }
            }
            v => {
                let _ = writeln!(out, "{pad}{key}: {}", inline(v));
            }
        }
    }
}

/// One `- ` item of a block list.
fn item_lines(v: &toml::Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        toml::Value::Table(t) => {
            let mut inner = String::new();
            table_lines(t, indent + 2, &mut inner);
            // The first key goes on the dash's line.
            let inner = inner.trim_start();
            let _ = write!(out, "{pad}- {inner}");
            if inner.is_empty() {
                out.push('\n');
            }
        }
        v => {
            let _ = writeln!(out, "{pad}- {}", inline(v));
        }
    }
}

fn is_table(v: &toml::Value) -> bool {
    matches!(v, toml::Value::Table(_))
}

fn inline(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => scalar(s),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Datetime(d) => d.to_string().replacen('T', " ", 1),
        toml::Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(inline).collect();
            format!("[{}]", parts.join(", "))
        }
        toml::Value::Table(t) => {
            let parts: Vec<String> = t
                .iter()
                .map(|(k, v)| format!("{}: {}", scalar(k), inline(v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
    }
}

/// A text as a YAML scalar: plain when that reads back the same, else in
/// double quotes.
fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && !s.starts_with(|c: char| c.is_whitespace() || "-?:,[]{}#&*!|>'\"%@`".contains(c))
        && !s.ends_with(char::is_whitespace)
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.contains([',', '[', ']', '{', '}', '\n'])
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "null" | "~"
        )
        && s.parse::<f64>().is_err();
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(toml_text: &str) -> String {
        to_yaml(&toml::from_str(toml_text).unwrap(), 50)
    }

    #[test]
    fn converts_a_lesson_with_a_quiz() {
        let y = yaml(
            "title = \"会议: 主题\"\nduration = 20\ndraft = false\n\
             [quiz]\npass = 80\n[[quiz.questions]]\ntype = \"single\"\noptions = [\"甲\", \"乙\"]\nanswer = \"A\"\n",
        );
        assert!(y.contains("title: \"会议: 主题\"\n"), "{y}");
        assert!(y.contains("duration: 20\n"), "{y}");
        assert!(
            y.contains("quiz:\n  pass: 80\n  questions:\n    - answer: A\n      options: [甲, 乙]\n      type: single\n"),
            "{y}"
        );
        // What we print reads back as the same data.
        let back: serde_json::Value = serde_saphyr::from_str(&y).unwrap();
        assert_eq!(back["quiz"]["questions"][0]["options"][1], "乙");
        assert_eq!(back["title"], "会议: 主题");
    }

    #[test]
    fn long_tables_are_cut() {
        let t: String = (0..30).map(|i| format!("k{i} = {i}\n")).collect();
        let y = to_yaml(&toml::from_str(&t).unwrap(), 5);
        assert_eq!(y.lines().count(), 6);
        assert!(y.ends_with("……\n"));
    }
}
