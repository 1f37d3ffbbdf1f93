//! The data file as a tree of keys and values with their byte spans, the same for TOML
//! and JSON. It lets every finding point at the line that holds the field, and lets
//! the schema check find every unknown or missing key at once.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// A value of the data file and where it is written.
#[derive(Debug, Clone)]
pub enum Node {
    Table {
        entries: Vec<Entry>,
        span: Range<usize>,
    },
    Array {
        items: Vec<Node>,
        span: Range<usize>,
    },
    Scalar {
        span: Range<usize>,
    },
}

/// One `key = value` of a table.
#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    pub key_span: Range<usize>,
    pub value: Node,
}

impl Node {
    pub fn span(&self) -> Range<usize> {
        match self {
            Node::Table { span, .. } | Node::Array { span, .. } | Node::Scalar { span } => {
                span.clone()
            }
        }
    }

    /// Every value's path (`master.id_number`, `members[1].name`) and span; a table's
    /// own path maps to its span too, so a missing key can point at its table.
    pub fn index(&self) -> BTreeMap<String, Range<usize>> {
        let mut map = BTreeMap::new();
        self.index_into(String::new(), &mut map);
        map
    }

    fn index_into(&self, path: String, map: &mut BTreeMap<String, Range<usize>>) {
        match self {
            Node::Table { entries, .. } => {
                for entry in entries {
                    let child = join_key(&path, &entry.key);
                    entry.value.index_into(child, map);
                }
            }
            Node::Array { items, .. } => {
                for (i, item) in items.iter().enumerate() {
                    item.index_into(format!("{path}[{i}]"), map);
                }
            }
            Node::Scalar { .. } => {}
        }
        map.insert(path, self.span());
    }
}

impl Node {
    /// Renames the keys written at the spans `rename` answers for (a key read through a
    /// stand-in gets back the name the user wrote).
    pub fn rename_keys(&mut self, rename: &dyn Fn(&Range<usize>) -> Option<String>) {
        match self {
            Node::Table { entries, .. } => {
                for entry in entries {
                    if let Some(written) = rename(&entry.key_span) {
                        entry.key = written;
                    }
                    entry.value.rename_keys(rename);
                }
            }
            Node::Array { items, .. } => {
                for item in items {
                    item.rename_keys(rename);
                }
            }
            Node::Scalar { .. } => {}
        }
    }
}

/// Appends a key to a dotted path.
pub fn join_key(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// `evidence[3].title` → `evidence[].title`.
pub fn generic(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut skipping = false;
    for c in path.chars() {
        match c {
            '[' => {
                skipping = true;
                out.push('[');
            }
            ']' => {
                skipping = false;
                out.push(']');
            }
            _ if skipping => {}
            _ => out.push(c),
        }
    }
    out
}

/// Builds the tree of a parsed TOML document.
pub fn from_toml(table: &DeTable<'_>, span: Range<usize>) -> Node {
    let mut entries: Vec<Entry> = table
        .iter()
        .map(|(key, value)| Entry {
            key: key.get_ref().to_string(),
            key_span: key.span(),
            value: from_toml_value(value.get_ref(), value.span()),
        })
        .collect();
    entries.sort_by_key(|e| e.key_span.start);
    Node::Table { entries, span }
}

fn from_toml_value(value: &DeValue<'_>, span: Range<usize>) -> Node {
    match value {
        DeValue::Table(table) => from_toml(table, span),
        DeValue::Array(items) => Node::Array {
            items: items
                .iter()
                .map(|item| from_toml_value(item.get_ref(), item.span()))
                .collect(),
            span,
        },
        _ => Node::Scalar { span },
    }
}

/// Builds the tree of a JSON document that serde_json has already accepted.
pub fn from_json(text: &str) -> Option<Node> {
    let mut scanner = JsonScanner {
        bytes: text.as_bytes(),
        pos: 0,
    };
    scanner.value()
}

/// A minimal JSON reader that records spans; syntax was checked before.
struct JsonScanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl JsonScanner<'_> {
    fn skip_ws(&mut self) {
        while self
            .bytes
            .get(self.pos)
            .is_some_and(|b| b.is_ascii_whitespace())
        {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.bytes.get(self.pos).copied()
    }

    fn value(&mut self) -> Option<Node> {
        let start = {
            self.skip_ws();
            self.pos
        };
        match self.peek()? {
            b'{' => {
                self.pos += 1;
                let mut entries = Vec::new();
                loop {
                    match self.peek()? {
                        b'}' => {
                            self.pos += 1;
                            break;
                        }
                        b',' => self.pos += 1,
                        _ => {
                            let key_start = self.pos;
                            let key = self.string()?;
                            let key_span = key_start..self.pos;
                            if self.peek()? != b':' {
                                return None;
                            }
                            self.pos += 1;
                            let value = self.value()?;
                            entries.push(Entry {
                                key,
                                key_span,
                                value,
                            });
                        }
                    }
                }
                Some(Node::Table {
                    entries,
                    span: start..self.pos,
                })
            }
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    match self.peek()? {
                        b']' => {
                            self.pos += 1;
                            break;
                        }
                        b',' => self.pos += 1,
                        _ => items.push(self.value()?),
                    }
                }
                Some(Node::Array {
                    items,
                    span: start..self.pos,
                })
            }
            b'"' => {
                self.string()?;
                Some(Node::Scalar {
                    span: start..self.pos,
                })
            }
            _ => {
                while self
                    .bytes
                    .get(self.pos)
                    .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
                {
                    self.pos += 1;
                }
                Some(Node::Scalar {
                    span: start..self.pos,
                })
            }
        }
    }

    fn string(&mut self) -> Option<String> {
        let start = self.pos;
        if self.bytes.get(self.pos) != Some(&b'"') {
            return None;
        }
        self.pos += 1;
        loop {
            match self.bytes.get(self.pos)? {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    break;
                }
                _ => self.pos += 1,
            }
        }
        let raw = std::str::from_utf8(&self.bytes[start..self.pos]).ok()?;
        serde_json::from_str(raw).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_paths_drop_indices() {
        assert_eq!(generic("evidence[12].title"), "evidence[].title");
        assert_eq!(generic("master.name"), "master.name");
    }

    #[test]
    fn json_paths_and_spans() {
        let text = r#"{"a": {"b": [1, {"c": "x\"y"}]}, "d": true}"#;
        let index = from_json(text).unwrap().index();
        assert_eq!(&text[index["a.b[1].c"].clone()], r#""x\"y""#);
        assert_eq!(&text[index["d"].clone()], "true");
        assert_eq!(&text[index["a.b[0]"].clone()], "1");
    }

    #[test]
    fn toml_paths_and_spans() {
        let text = "x = 1\n[m]\nname = \"王\"\n[[e]]\nid = \"E1\"\n";
        let table = DeTable::parse(text).unwrap();
        let index = from_toml(table.get_ref(), table.span()).index();
        assert_eq!(&text[index["m.name"].clone()], "\"王\"");
        assert_eq!(&text[index["e[0].id"].clone()], "\"E1\"");
    }
}
