//! Reading past mistakes, so that one run of `dashi check` reports all of them: a key
//! written in Chinese without quotes is read as a key (and reported as one), and a
//! value of the wrong kind is reported and then stood in for, so the typed read goes
//! on to the next. Every path stood in for is "unsure": rule findings that rest on it
//! are dropped, because they would judge the stand-in and not what the user wrote.

use std::ops::Range;

use serde_json::{Map, Value};

use super::schema::{Format, Kind, Shape};

/// A key that was written bare with characters TOML does not allow there (`职业 = …`).
#[derive(Debug, Clone)]
pub struct BareKey {
    /// Where the key is written.
    pub span: Range<usize>,
    /// The key as written.
    pub written: String,
    /// The same-length ASCII stand-in it was parsed as.
    pub stand_in: String,
}

/// Characters a bare TOML key may hold.
fn bare_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Rewrites the keys on the given lines that hold characters a bare key may not,
/// keeping every byte offset (each is replaced by an ASCII stand-in of the same length),
/// so the rest of the file parses and every span stays true.
pub fn quote_bare_keys(text: &str, lines: &[usize]) -> (String, Vec<BareKey>) {
    let mut out = text.to_string();
    let mut keys = Vec::new();
    for &start in lines {
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = &text[start..line_end];
        let Some(eq) = line.find('=') else { continue };
        let key_part = &line[..eq];
        let trimmed = key_part.trim();
        if trimmed.is_empty()
            || trimmed.starts_with(['#', '[', '"', '\''])
            || trimmed.contains(['"', '\''])
        {
            continue;
        }
        let lead = key_part.len() - key_part.trim_start().len();
        let mut offset = start + lead;
        for segment in trimmed.split('.') {
            let seg_start = offset;
            offset += segment.len() + 1;
            let inner = segment.trim();
            if inner.is_empty() || inner.chars().all(bare_char) {
                continue;
            }
            let inner_start = seg_start + (segment.len() - segment.trim_start().len());
            let span = inner_start..inner_start + inner.len();
            let stand_in = stand_in(keys.len(), inner.len());
            out.replace_range(span.clone(), &stand_in);
            keys.push(BareKey {
                span,
                written: inner.to_string(),
                stand_in,
            });
        }
    }
    (out, keys)
}

/// `_k0__` and so on: an ASCII key of exactly `len` bytes, unique per index.
fn stand_in(index: usize, len: usize) -> String {
    let mut key = format!("_k{index}");
    if key.len() > len {
        key = "_".repeat(len);
    }
    while key.len() < len {
        key.push('_');
    }
    key
}

/// A TOML document as a JSON value: bare TOML dates become their text, as the data
/// format reads dates from text.
pub fn toml_value(table: toml::Spanned<toml::de::DeTable<'_>>) -> Option<Value> {
    use serde::Deserialize;
    let mut value = Value::deserialize(toml::de::Deserializer::from(table)).ok()?;
    flatten_dates(&mut value);
    Some(value)
}

fn flatten_dates(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.len() == 1
                && let Some(Value::String(text)) = map.get("$__toml_private_datetime")
            {
                *value = Value::String(text.clone());
                return;
            }
            map.values_mut().for_each(flatten_dates);
        }
        Value::Array(items) => items.iter_mut().for_each(flatten_dates),
        _ => {}
    }
}

/// What stands in for the value at `path`: nothing (the key is dropped and its default
/// used) where the data format has a default, else a value of the right kind.
pub fn stand_in_for(format: &Format, path: &str) -> Option<Value> {
    let (table, key) = match path.rfind(['.', '[']) {
        Some(cut) if path[cut..].starts_with('.') => (&path[..cut], &path[cut + 1..]),
        Some(_) => ("", ""),
        None => ("", path),
    };
    if !key.is_empty() && !format.is_required(table, key) {
        return None;
    }
    Some(format.shape_at(path).map_or(Value::Null, value_of))
}

fn value_of(shape: &Shape) -> Value {
    match shape {
        Shape::Table { fields, required } => Value::Object(
            fields
                .iter()
                .filter(|f| required.contains(&f.key))
                .map(|f| (f.key.clone(), value_of(&f.shape)))
                .collect::<Map<String, Value>>(),
        ),
        Shape::List(_) => Value::Array(Vec::new()),
        Shape::Value(kind) => match kind {
            Kind::Text | Kind::Other => Value::String(String::new()),
            Kind::Number | Kind::Integer => Value::from(0),
            Kind::Bool => Value::Bool(false),
            Kind::Choice(choices) => Value::String(choices.first().cloned().unwrap_or_default()),
            Kind::Date => Value::String("2000-01-01".into()),
            Kind::YearMonth => Value::String("2000-01".into()),
        },
    }
}

/// The value at a field path (`members[1].name`).
pub fn get<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    let mut at = value;
    for (key, index) in steps(path) {
        if !key.is_empty() {
            at = at.get(key)?;
        }
        if let Some(i) = index {
            at = at.get(i)?;
        }
    }
    Some(at)
}

/// Puts `new` at a field path, or removes the key when `new` is `None`. Returns
/// whether anything changed.
pub fn set(value: &mut Value, path: &str, new: Option<Value>) -> bool {
    let Some(cut) = path.rfind(['.', '[']) else {
        return put(value, path, new);
    };
    let (parent, last) = (&path[..cut], &path[cut..]);
    let Some(container) = get_mut(value, parent) else {
        return false;
    };
    if let Some(key) = last.strip_prefix('.') {
        return put(container, key, new);
    }
    let index: Option<usize> = last
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok();
    match (container.as_array_mut(), index) {
        (Some(items), Some(i)) if i < items.len() => {
            items[i] = new.unwrap_or(Value::Null);
            true
        }
        _ => false,
    }
}

fn put(table: &mut Value, key: &str, new: Option<Value>) -> bool {
    let Some(map) = table.as_object_mut() else {
        return false;
    };
    match new {
        Some(v) => {
            map.insert(key.to_string(), v);
            true
        }
        None => map.remove(key).is_some(),
    }
}

fn get_mut<'a>(value: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    let mut at = value;
    for (key, index) in steps(path) {
        if !key.is_empty() {
            at = at.get_mut(key)?;
        }
        if let Some(i) = index {
            at = at.get_mut(i)?;
        }
    }
    Some(at)
}

/// `a.b[2].c` → `(a, None)`, `(b, Some(2))`, `(c, None)`; `[1]` → `("", Some(1))`.
fn steps(path: &str) -> Vec<(&str, Option<usize>)> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, rest) = part.split_once('[').unwrap_or((part, ""));
        let indices: Vec<usize> = rest
            .split('[')
            .filter_map(|i| i.trim_end_matches(']').parse().ok())
            .collect();
        if indices.is_empty() {
            out.push((key, None));
        } else {
            for (n, i) in indices.into_iter().enumerate() {
                out.push((if n == 0 { key } else { "" }, Some(i)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_keys_keep_offsets() {
        let text = "[studio]\n职业 = \"焊工\"\nname = \"x\"\n";
        let (fixed, keys) = quote_bare_keys(text, &[9]);
        assert_eq!(fixed.len(), text.len());
        assert!(fixed.contains("_k0___ = \"焊工\""), "{fixed}");
        assert_eq!(keys[0].written, "职业");
        assert_eq!(&text[keys[0].span.clone()], "职业");
        assert!(toml::de::DeTable::parse(&fixed).is_ok());
    }

    #[test]
    fn paths_get_and_set() {
        let mut v: Value = serde_json::json!({"a": {"b": [1, {"c": 2}]}});
        assert_eq!(get(&v, "a.b[1].c"), Some(&Value::from(2)));
        assert!(set(&mut v, "a.b[1].c", Some(Value::from(3))));
        assert_eq!(get(&v, "a.b[1].c"), Some(&Value::from(3)));
        assert!(set(&mut v, "a.b[0]", Some(Value::from(9))));
        assert_eq!(get(&v, "a.b[0]"), Some(&Value::from(9)));
        assert!(set(&mut v, "a.b", None));
        assert_eq!(get(&v, "a.b"), None);
    }
}
