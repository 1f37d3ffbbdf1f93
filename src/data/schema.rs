//! The JSON Schema of a dashi file format (the studio data file, an archive record),
//! and what dashi learns from it: the Chinese label of every field, the kind of every
//! value, and which keys each table may and must hold.
//!
//! The schema is generated from the model types, so labels live in one place (the
//! `title` attributes) and the schema that editors use is the one dashi checks with.

use std::sync::OnceLock;

use schemars::JsonSchema;
use serde_json::{Map, Value};

use super::model::Application;
use super::tree::{Node, join_key};

/// A file format: its schema and the shape dashi reads it by.
#[derive(Debug)]
pub struct Format {
    json: Value,
    root: Shape,
}

impl Format {
    /// The format of a model type.
    pub fn of<T: JsonSchema>() -> Format {
        let json = serde_json::to_value(schemars::schema_for!(T))
            .expect("a generated schema is valid JSON");
        let defs = json
            .get("$defs")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let root = shape_of(&json, &defs);
        Format { json, root }
    }

    /// The studio data file (`studio.toml`).
    pub fn application() -> &'static Format {
        static FORMAT: OnceLock<Format> = OnceLock::new();
        FORMAT.get_or_init(Format::of::<Application>)
    }

    /// The schema as a JSON value.
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// The schema as pretty JSON text, as `dashi schema` prints it.
    pub fn text(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.json).expect("schema serializes");
        text.push('\n');
        text
    }

    /// The shape of the whole file.
    pub fn root(&self) -> &Shape {
        &self.root
    }
}

/// The data file's schema as a JSON value.
pub fn schema() -> &'static Value {
    Format::application().json()
}

/// The data file's schema as text, as `dashi schema` prints it.
pub fn schema_text() -> String {
    Format::application().text()
}

/// What the data file may hold at one place, reduced from the schema.
#[derive(Debug)]
pub enum Shape {
    Table {
        fields: Vec<Field>,
        required: Vec<String>,
    },
    List(Box<Shape>),
    Value(Kind),
}

/// The kind of a single value, as far as reading past a mistake needs to know it.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Text,
    Number,
    Integer,
    Bool,
    /// One of the listed words.
    Choice(Vec<String>),
    /// `"2026-11-20"`.
    Date,
    /// `"1978-05"`.
    YearMonth,
    Other,
}

/// One key a table may hold.
#[derive(Debug)]
pub struct Field {
    pub key: String,
    pub title: String,
    pub shape: Shape,
}

/// The shape of the whole data file.
pub fn root() -> &'static Shape {
    Format::application().root()
}

fn shape_of(node: &Value, defs: &Map<String, Value>) -> Shape {
    if let Some(name) = node
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/$defs/"))
    {
        return match name {
            "Date" => Shape::Value(Kind::Date),
            "YearMonth" => Shape::Value(Kind::YearMonth),
            _ => defs
                .get(name)
                .map_or(Shape::Value(Kind::Other), |target| shape_of(target, defs)),
        };
    }
    for combinator in ["anyOf", "oneOf"] {
        if let Some(options) = node.get(combinator).and_then(Value::as_array) {
            // Option<T> is `anyOf [T, null]`: the data file never writes null.
            if let Some(inner) = options
                .iter()
                .find(|o| o.get("type") != Some(&"null".into()))
            {
                return shape_of(inner, defs);
            }
        }
    }
    if let Some(properties) = node.get("properties").and_then(Value::as_object) {
        let fields = properties
            .iter()
            .map(|(key, sub)| Field {
                key: key.clone(),
                title: sub
                    .get("title")
                    .and_then(Value::as_str)
                    .unwrap_or(key)
                    .to_string(),
                shape: shape_of(sub, defs),
            })
            .collect();
        let required = node
            .get("required")
            .and_then(Value::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(|k| k.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        return Shape::Table { fields, required };
    }
    if let Some(items) = node.get("items") {
        return Shape::List(Box::new(shape_of(items, defs)));
    }
    Shape::Value(kind_of(node))
}

fn kind_of(node: &Value) -> Kind {
    if let Some(choices) = node.get("enum").and_then(Value::as_array) {
        return Kind::Choice(
            choices
                .iter()
                .filter_map(|c| c.as_str().map(str::to_string))
                .collect(),
        );
    }
    let types: Vec<&str> = match node.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    match types.iter().find(|t| **t != "null") {
        Some(&"string") => Kind::Text,
        Some(&"number") => Kind::Number,
        Some(&"integer") => Kind::Integer,
        Some(&"boolean") => Kind::Bool,
        _ => Kind::Other,
    }
}

impl Shape {
    pub fn field(&self, key: &str) -> Option<&Field> {
        match self {
            Shape::Table { fields, .. } => fields.iter().find(|f| f.key == key),
            _ => None,
        }
    }
}

/// One segment of a field path.
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

fn segments(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, rest) = part.split_once('[').unwrap_or((part, ""));
        if !key.is_empty() {
            out.push(Segment::Key(key));
        }
        for index in rest.split('[') {
            if let Ok(i) = index.trim_end_matches(']').parse() {
                out.push(Segment::Index(i));
            }
        }
    }
    out
}

/// The Chinese label of a data-file field path (see `Format::label`).
pub fn label(path: &str) -> String {
    Format::application().label(path)
}

impl Format {
    /// The Chinese label of a field path, with the tables above it:
    /// `master.id_number` → `技能大师·身份证号`, `members[1].name` → `工作室成员第2项·姓名`.
    pub fn label(&self, path: &str) -> String {
        label_in(&self.root, path)
    }

    /// The shape of the value at a field path, if the schema has one there.
    pub fn shape_at(&self, path: &str) -> Option<&Shape> {
        shape_in(&self.root, path)
    }

    /// Whether a table at `table` must hold `key` (the others have defaults).
    pub fn is_required(&self, table: &str, key: &str) -> bool {
        matches!(self.shape_at(table), Some(Shape::Table { required, .. }) if required.iter().any(|r| r == key))
    }

    /// Walks a document against the schema, collecting every unknown and missing key.
    pub fn mismatches(&self, doc: &Node) -> Vec<Mismatch> {
        let mut out = Vec::new();
        walk(doc, &self.root, "", &mut out);
        out
    }
}

fn label_in(root: &Shape, path: &str) -> String {
    let mut shape = root;
    let mut parts: Vec<String> = Vec::new();
    for segment in segments(path) {
        match segment {
            Segment::Key(key) => match shape.field(key) {
                Some(field) => {
                    parts.push(field.title.clone());
                    shape = &field.shape;
                }
                None => {
                    parts.push(key.to_string());
                    break;
                }
            },
            Segment::Index(i) => {
                if let Some(last) = parts.last_mut() {
                    last.push_str(&format!("第{}项", i + 1));
                }
                if let Shape::List(inner) = shape {
                    shape = inner;
                }
            }
        }
    }
    parts.join("·")
}

fn shape_in<'a>(root: &'a Shape, path: &str) -> Option<&'a Shape> {
    let mut shape = root;
    for segment in segments(path) {
        shape = match (segment, shape) {
            (Segment::Key(key), _) => &shape.field(key)?.shape,
            (Segment::Index(_), Shape::List(inner)) => inner,
            _ => return None,
        };
    }
    Some(shape)
}

/// A key the schema does not know, or one it requires that is not there.
#[derive(Debug, PartialEq)]
pub enum Mismatch {
    Unknown {
        path: String,
        key_span: std::ops::Range<usize>,
        suggestion: Option<String>,
    },
    Missing {
        table: String,
        key: String,
    },
}

fn walk(node: &Node, shape: &Shape, path: &str, out: &mut Vec<Mismatch>) {
    match (node, shape) {
        (Node::Table { entries, .. }, Shape::Table { fields, required }) => {
            let missing: Vec<&String> = required
                .iter()
                .filter(|key| !entries.iter().any(|e| &e.key == *key))
                .collect();
            let mut claimed = Vec::new();
            for entry in entries {
                let child = join_key(path, &entry.key);
                match fields.iter().find(|f| f.key == entry.key) {
                    Some(field) => walk(&entry.value, &field.shape, &child, out),
                    None => {
                        let suggestion = suggest(&entry.key, fields, &missing);
                        if let Some(s) = &suggestion
                            && missing.contains(&s)
                        {
                            claimed.push(s.clone());
                        }
                        out.push(Mismatch::Unknown {
                            path: child,
                            key_span: entry.key_span.clone(),
                            suggestion,
                        });
                    }
                }
            }
            // A required key that a misspelt one stands for is reported once, as the
            // misspelling with its suggestion.
            for key in missing.into_iter().filter(|k| !claimed.contains(k)) {
                out.push(Mismatch::Missing {
                    table: path.to_string(),
                    key: key.clone(),
                });
            }
        }
        (Node::Array { items, .. }, Shape::List(inner)) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, inner, &format!("{path}[{i}]"), out);
            }
        }
        // A wrong kind of value is reported by the typed read that follows.
        _ => {}
    }
}

/// The known key nearest to an unknown one: by its Chinese label when the user wrote
/// the label (or part of it) as the key, preferring a required key that is missing;
/// otherwise by spelling.
fn suggest(unknown: &str, fields: &[Field], missing: &[&String]) -> Option<String> {
    let by_label: Vec<&Field> = fields
        .iter()
        .filter(|f| f.title == unknown || (!unknown.is_ascii() && f.title.contains(unknown)))
        .collect();
    if let Some(field) = by_label
        .iter()
        .find(|f| f.title == unknown)
        .or_else(|| by_label.iter().find(|f| missing.contains(&&f.key)))
        .or_else(|| by_label.iter().min_by_key(|f| f.title.chars().count()))
    {
        return Some(field.key.clone());
    }
    fields
        .iter()
        .map(|f| (strsim::jaro_winkler(unknown, &f.key), &f.key))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, key)| key.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_follow_titles() {
        assert_eq!(label("master.id_number"), "技能大师·身份证号");
        assert_eq!(label("members[1].name"), "工作室成员第2项·姓名");
        assert_eq!(
            label("unit.education_fund.total"),
            "申报单位·职工教育经费·职工教育经费总额"
        );
    }

    #[test]
    fn every_field_has_a_chinese_title() {
        fn visit(shape: &Shape, path: &str) {
            match shape {
                Shape::Table { fields, .. } => {
                    for f in fields {
                        assert!(
                            f.key == "$schema" || f.title != f.key || f.key == "E-mail",
                            "{path}.{} has no title",
                            f.key
                        );
                        visit(&f.shape, &join_key(path, &f.key));
                    }
                }
                Shape::List(inner) => visit(inner, path),
                Shape::Value(_) => {}
            }
        }
        visit(root(), "");
    }

    #[test]
    fn suggests_by_spelling_and_label() {
        let Shape::Table { fields, .. } = &root().field("master").unwrap().shape else {
            panic!("master is a table")
        };
        assert_eq!(
            suggest("id_numbr", fields, &[]).as_deref(),
            Some("id_number")
        );
        assert_eq!(
            suggest("身份证号", fields, &[]).as_deref(),
            Some("id_number")
        );
        assert_eq!(suggest("zzz", fields, &[]), None);
        // “职业” is part of two labels; the one that is missing wins.
        let occupation = "occupation".to_string();
        assert_eq!(
            suggest("职业", fields, &[&occupation]).as_deref(),
            Some("occupation")
        );
    }
}
