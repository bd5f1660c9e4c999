//! `[search]` in site.toml: how the site's search understands readers'
//! words — for now the synonym groups that search as one (docs/search.md),
//! checked so that each group names two or more words.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{find_key, line_col};
use crate::diagnostics::Diagnostic;

/// `[search]`: how the site's search understands readers' words.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// Groups of words that search as one: `[["二十大", "党的二十大"]]`.
    pub synonyms: Vec<Vec<String>>,
}

impl SearchConfig {
    /// Every synonym group names two or more words.
    pub(super) fn validate(&self, text: &str, display: &Path) -> Result<(), Diagnostic> {
        for (i, group) in self.synonyms.iter().enumerate() {
            let words = group.iter().filter(|w| !w.trim().is_empty()).count();
            let (message, hint) = if group.iter().any(|w| w.trim().is_empty()) {
                (
                    format!("[search] synonyms 的第 {} 组里有空词", i + 1),
                    "删掉空的 \"\"，每个词都要写出来，例如 [\"二十大\", \"党的二十大\"]",
                )
            } else if words == 0 {
                (
                    format!("[search] synonyms 的第 {} 组是空的", i + 1),
                    "写出两个或更多意思相同的词，例如 [\"二十大\", \"党的二十大\"]，或删掉这一组",
                )
            } else if words == 1 {
                (
                    format!(
                        "[search] synonyms 的第 {} 组只有一个词「{}」，同义词至少要两个",
                        i + 1,
                        group[0]
                    ),
                    "补上和它意思相同的词，例如 [\"支委会\", \"支部委员会\"]，或删掉这一组",
                )
            } else {
                continue;
            };
            let (line, col, width) = synonym_group_span(text, i);
            return Err(Diagnostic::error(message)
                .in_file(display)
                .at(Some(text), line, col)
                .width(width)
                .hint(hint));
        }
        Ok(())
    }
}

/// Line, column and width of synonym group `i` in site.toml (the key's
/// line when the text cannot be read again, which cannot happen after a
/// successful parse).
fn synonym_group_span(text: &str, i: usize) -> (u32, u32, usize) {
    #[derive(Deserialize)]
    struct File {
        search: Search,
    }
    #[derive(Deserialize)]
    struct Search {
        synonyms: Vec<toml::Spanned<Vec<String>>>,
    }
    match toml::from_str::<File>(text)
        .ok()
        .and_then(|f| f.search.synonyms.into_iter().nth(i))
    {
        Some(g) => {
            let (line, col) = line_col(text, g.span().start);
            (
                line,
                col,
                text[g.span()]
                    .lines()
                    .next()
                    .map_or(1, |l| l.chars().count()),
            )
        }
        None => {
            let (line, col) = find_key(text, "synonyms");
            (line, col, "synonyms".len())
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::diagnostics::Diagnostic;
    use std::path::Path;

    fn parse(t: &str) -> Result<Config, Diagnostic> {
        Config::parse(t, Path::new("site.toml"))
    }

    #[test]
    fn synonyms_are_read() {
        let c = parse(
            "[search]\nsynonyms = [[\"二十大\", \"党的二十大\", \"第二十次全国代表大会\"]]\n",
        )
        .unwrap();
        assert_eq!(c.search.synonyms.len(), 1);
        assert_eq!(c.search.synonyms[0][2], "第二十次全国代表大会");
        assert!(parse("title = \"x\"\n").unwrap().search.synonyms.is_empty());
    }

    #[test]
    fn a_synonym_group_needs_two_words() {
        let text = "[search]\nsynonyms = [\n  [\"二十大\", \"党的二十大\"],\n  [\"支委会\"],\n]\n";
        let e = parse(text).unwrap_err();
        assert!(e.message.contains("第 2 组只有一个词「支委会」"), "{e}");
        assert_eq!((e.line, e.col), (4, 3), "{e}");
        assert!(e.hint.as_deref().unwrap().contains("支部委员会"), "{e}");

        let e = parse("[search]\nsynonyms = [[]]\n").unwrap_err();
        assert!(e.message.contains("第 1 组是空的"), "{e}");
        assert_eq!(e.line, 2, "{e}");

        let e = parse("[search]\nsynonyms = [[\"二十大\", \" \"]]\n").unwrap_err();
        assert!(e.message.contains("空词"), "{e}");
    }
}
