//! YAML front matter into a tree that remembers where every node came from.
//!
//! serde-saphyr does the YAML work (syntax, aliases with limits, error
//! locations); we deserialize into [`Node`], a generic value whose every
//! element carries its line and column. The typed front matter is then read
//! from this tree by hand so that *all* problems of a file are reported at once
//! (serde stops at the first one), each at the exact place it occurs.

use std::fmt;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

/// A position in a source file, 1-based.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// One YAML node with its position.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: Value,
}

/// A YAML value whose children are positioned nodes.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Keys in document order, each with its own position.
    Map(Vec<(Key, Node)>),
}

/// A mapping key with its position.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub pos: Pos,
    pub name: String,
}

impl Value {
    /// A short English-free description for messages: 文本, 列表 …
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "空值",
            Value::Bool(_) => "是/否 (true/false)",
            Value::Int(_) => "整数",
            Value::Float(_) => "数字",
            Value::Str(_) => "文本",
            Value::Seq(_) => "列表",
            Value::Map(_) => "键值表",
        }
    }
}

impl Node {
    /// The value as text if it is a scalar (numbers and booleans are written
    /// back as they would print: editors often leave titles like 2024 unquoted).
    pub fn as_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Every string in this node and below, with the position of its node.
    pub fn strings<'a>(&'a self, out: &mut Vec<(Pos, &'a str)>) {
        match &self.value {
            Value::Str(s) => out.push((self.pos, s)),
            Value::Seq(items) => items.iter().for_each(|n| n.strings(out)),
            Value::Map(entries) => entries.iter().for_each(|(_, n)| n.strings(out)),
            _ => {}
        }
    }

    /// Converts to JSON for templates (`extra`).
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => (*b).into(),
            Value::Int(i) => (*i).into(),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::Str(s) => s.clone().into(),
            Value::Seq(items) => items.iter().map(Node::to_json).collect(),
            Value::Map(entries) => entries
                .iter()
                .map(|(k, v)| (k.name.clone(), v.to_json()))
                .collect::<serde_json::Map<_, _>>()
                .into(),
        }
    }
}

/// A YAML syntax problem in plain Chinese, at the editor's own position
/// (relative to the front matter) with the fix (see [`yaml_errors`](super::yaml_errors)).
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub pos: Pos,
    pub width: usize,
    pub message: String,
    pub hint: String,
}

/// Limits that make alias bombs ("billion laughs") fail fast: a front matter
/// block is a few hundred nodes, never millions.
fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_nodes: 200_000,
            max_depth: 64,
            max_total_scalar_bytes: 8 * 1024 * 1024,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 50_000,
            max_replay_stack_depth: 16,
        },
        with_snippet: false,
    }
}

/// Parses one YAML document. An empty document is an empty mapping. The
/// slips with one meaning are repaired first (see [`slips`](super::slips));
/// positions are the editor's.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    if text.trim().is_empty() {
        return Ok(Node {
            pos: Pos { line: 1, col: 1 },
            value: Value::Map(Vec::new()),
        });
    }
    let repaired = super::slips::repair(text);
    match serde_saphyr::from_str_with_options::<Spanned<Value>>(&repaired.text, options()) {
        Ok(node) => {
            let mut node = from_spanned(node);
            if repaired.text != text {
                remap(&mut node, &repaired);
            }
            Ok(node)
        }
        Err(e) => {
            let p = super::yaml_errors::explain(&e, text, &repaired);
            Err(YamlError {
                pos: p.pos,
                width: p.width,
                message: p.message,
                hint: p.hint,
            })
        }
    }
}

/// Puts every position back where the editor wrote it.
fn remap(node: &mut Node, r: &super::slips::Repaired) {
    node.pos = r.original(node.pos);
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| remap(n, r)),
        Value::Map(entries) => {
            for (k, v) in entries {
                k.pos = r.original(k.pos);
                remap(v, r);
            }
        }
        _ => {}
    }
}

fn from_spanned(s: Spanned<Value>) -> Node {
    Node {
        pos: Pos {
            line: s.referenced.line() as u32,
            col: s.referenced.column() as u32,
        },
        value: s.value,
    }
}

// `Value` deserializes itself; its children are `Spanned<Value>` so that each
// one gets its own location from serde-saphyr.
impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v)
            .map(Value::Int)
            .unwrap_or(Value::Float(v as f64)))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v)
            .map(Value::Int)
            .unwrap_or(Value::Float(v as f64)))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(i64::try_from(v)
            .map(Value::Int)
            .unwrap_or(Value::Float(v as f64)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    // Escapes such as "\0" must not bring control characters in.
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(crate::controls::clean(v).into_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(match crate::controls::clean(&v) {
            std::borrow::Cow::Borrowed(_) => v,
            std::borrow::Cow::Owned(c) => c,
        }))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Value>>()? {
            items.push(from_spanned(item));
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<KeyText>>()? {
            let value = map.next_value::<Spanned<Value>>()?;
            let k = Key {
                pos: Pos {
                    line: key.referenced.line() as u32,
                    col: key.referenced.column() as u32,
                },
                name: key.value.0,
            };
            entries.push((k, from_spanned(value)));
        }
        Ok(Value::Map(entries))
    }
}

/// Mapping keys: any scalar, read as text (`2024: …` is a key too).
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        match v {
            Value::Str(s) => Ok(KeyText(s)),
            Value::Int(i) => Ok(KeyText(i.to_string())),
            Value::Float(f) => Ok(KeyText(f.to_string())),
            Value::Bool(b) => Ok(KeyText(b.to_string())),
            Value::Null => Ok(KeyText(String::new())),
            _ => Err(de::Error::custom(format!(
                "{}, not a list or table",
                super::yaml_errors::KEY_NOT_TEXT
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_of_keys_and_values() {
        let n = parse("title: 党章学习\ntags:\n  - 党史\n  - 理论\nquiz:\n  pass: 80\n").unwrap();
        let Value::Map(entries) = &n.value else {
            panic!("map expected")
        };
        assert_eq!(entries[0].0.name, "title");
        assert_eq!(entries[0].0.pos, Pos { line: 1, col: 1 });
        assert_eq!(entries[0].1.pos.line, 1);
        let tags = n.get("tags").unwrap();
        let Value::Seq(items) = &tags.value else {
            panic!("seq expected")
        };
        assert_eq!(items[1].pos, Pos { line: 4, col: 5 });
        assert_eq!(
            n.get("quiz").unwrap().get("pass").unwrap().value,
            Value::Int(80)
        );
    }

    #[test]
    fn dates_stay_text() {
        let n = parse("date: 2024-05-04\n").unwrap();
        assert_eq!(
            n.get("date").unwrap().value,
            Value::Str("2024-05-04".into())
        );
    }

    #[test]
    fn syntax_error_has_line() {
        let e = parse("title: a\ntags: [a, b\nx: 1\n").unwrap_err();
        assert!(e.pos.line >= 2, "{e:?}");
        assert!(!e.message.is_empty());
    }

    #[test]
    fn alias_bomb_fails_fast() {
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n\
                    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n\
                    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n\
                    d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n\
                    e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n\
                    f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n\
                    g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n\
                    h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n\
                    i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
        let started = std::time::Instant::now();
        assert!(parse(bomb).is_err());
        // Not a timing assertion on performance: a bomb that expanded would take minutes.
        assert!(started.elapsed().as_secs() < 10);
    }
}
