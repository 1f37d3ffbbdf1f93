//! The data file as the web form edits it: read into JSON for the page, and the page's
//! JSON written back into the same TOML document (toml_edit) so that comments, key
//! order and the formatting of everything not changed stay as they were. A value the
//! form sends unchanged (112 for `112.0`, a date as text for a bare TOML date) keeps
//! its original text; a changed one keeps the comments around it.

use serde_json::{Map, Number, Value as Json};
use toml_edit::{
    Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, TableLike, Value, value,
};

/// The document as JSON: tables as objects, arrays of tables as arrays, dates as text.
pub fn to_json(doc: &DocumentMut) -> Json {
    table_json(doc.as_table())
}

fn table_json(table: &dyn TableLike) -> Json {
    Json::Object(
        table
            .iter()
            .filter_map(|(k, item)| Some((k.to_string(), item_json(item)?)))
            .collect(),
    )
}

fn item_json(item: &Item) -> Option<Json> {
    match item {
        Item::None => None,
        Item::Value(v) => Some(value_json(v)),
        Item::Table(t) => Some(table_json(t)),
        Item::ArrayOfTables(a) => Some(Json::Array(a.iter().map(|t| table_json(t)).collect())),
    }
}

fn value_json(v: &Value) -> Json {
    match v {
        Value::String(s) => Json::String(s.value().clone()),
        Value::Integer(i) => Json::Number((*i.value()).into()),
        Value::Float(f) => Number::from_f64(*f.value()).map_or(Json::Null, Json::Number),
        Value::Boolean(b) => Json::Bool(*b.value()),
        Value::Datetime(d) => Json::String(d.value().to_string()),
        Value::Array(a) => Json::Array(a.iter().map(value_json).collect()),
        Value::InlineTable(t) => table_json(t),
    }
}

/// The keys of every table in the order the file writes them, by generic path (`unit`,
/// `members[]`, `master.honours[]`; the root is ``): the page lays out its fields so.
pub fn key_order(doc: &DocumentMut) -> Map<String, Json> {
    let mut out = Map::new();
    order_of(doc.as_table(), "", &mut out);
    out
}

fn order_of(table: &dyn TableLike, path: &str, out: &mut Map<String, Json>) {
    let keys: Vec<Json> = table.iter().map(|(k, _)| Json::from(k)).collect();
    out.entry(path.to_string()).or_insert(Json::Array(keys));
    for (key, item) in table.iter() {
        let here = join(path, key);
        match item {
            Item::Table(t) => order_of(t, &here, out),
            Item::Value(Value::InlineTable(t)) => order_of(t, &here, out),
            Item::ArrayOfTables(a) => {
                for t in a.iter() {
                    order_of(t, &format!("{here}[]"), out);
                }
            }
            _ => {}
        }
    }
}

/// Why the page's data cannot be written as TOML.
#[derive(Debug, PartialEq, Eq)]
pub struct EditError(pub String);

/// Writes `new` (the page's data) into `doc`.
pub fn apply(doc: &mut DocumentMut, new: &Json) -> Result<(), EditError> {
    let Json::Object(map) = new else {
        return Err(EditError("数据应为一个对象".into()));
    };
    patch_table(doc.as_table_mut(), map, "")
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn patch_table(
    table: &mut dyn TableLike,
    new: &Map<String, Json>,
    path: &str,
) -> Result<(), EditError> {
    let gone: Vec<String> = table
        .iter()
        .map(|(k, _)| k.to_string())
        .filter(|k| !new.contains_key(k))
        .collect();
    for key in gone {
        table.remove(&key);
    }
    for (key, json) in in_sample_order(new, path) {
        let here = join(path, key);
        // An optional field the page cleared: the key goes.
        if json.is_null() {
            table.remove(key);
            continue;
        }
        match table.get_mut(key) {
            Some(item) => patch_item(item, json, &here)?,
            None => {
                if let Some(item) = new_item(json, &here)? {
                    table.insert(key, item);
                }
            }
        }
    }
    Ok(())
}

/// The page's keys in the order `dashi init` writes them for this table (the sample's
/// order), keys the sample does not have after them: a new entry reads like the others.
fn in_sample_order<'a>(new: &'a Map<String, Json>, path: &str) -> Vec<(&'a String, &'a Json)> {
    static ORDER: std::sync::OnceLock<Map<String, Json>> = std::sync::OnceLock::new();
    let order = ORDER.get_or_init(|| {
        crate::init::SAMPLE_DATA
            .parse::<DocumentMut>()
            .map(|doc| key_order(&doc))
            .unwrap_or_default()
    });
    let known: Vec<&str> = order
        .get(&crate::data::tree::generic(path))
        .and_then(Json::as_array)
        .map(|keys| keys.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default();
    let mut keys: Vec<(&String, &Json)> = new.iter().collect();
    keys.sort_by_key(|(k, _)| known.iter().position(|n| n == k).unwrap_or(usize::MAX));
    keys
}

fn patch_item(item: &mut Item, json: &Json, path: &str) -> Result<(), EditError> {
    match (item, json) {
        (Item::Table(t), Json::Object(map)) => patch_table(t, map, path),
        (Item::Value(Value::InlineTable(t)), Json::Object(map)) => patch_table(t, map, path),
        (Item::ArrayOfTables(a), Json::Array(list)) if list.iter().all(Json::is_object) => {
            patch_tables(a, list, path)
        }
        (Item::Value(v), json) => {
            if same(v, json) {
                return Ok(());
            }
            let mut fresh = to_value(json, Some(v), path)?;
            *fresh.decor_mut() = v.decor().clone();
            *v = fresh;
            Ok(())
        }
        (item, json) => {
            if let Some(fresh) = new_item(json, path)? {
                *item = fresh;
            }
            Ok(())
        }
    }
}

/// The tables of an array follow the page's list, each matched by what identifies it
/// (an evidence `id`, a member's `id_number`, an award's `name` and `date`), not by its
/// place: deleting or moving an entry keeps every other entry's comments with it. An
/// entry whose identity the page changed keeps the table at its place, if no other
/// entry claims it.
fn patch_tables(a: &mut ArrayOfTables, list: &[Json], path: &str) -> Result<(), EditError> {
    let old: Vec<Table> = a.iter().cloned().collect();
    let old_ids: Vec<Option<String>> = old.iter().map(|t| identity(&table_json(t))).collect();
    let new_ids: Vec<Option<String>> = list.iter().map(identity).collect();
    let mut positions: Vec<usize> = old.iter().filter_map(Table::position).collect();
    positions.sort_unstable();
    let mut used = vec![false; old.len()];
    let mut chosen: Vec<Option<usize>> = Vec::with_capacity(list.len());
    for id in &new_ids {
        let found = id
            .as_ref()
            .and_then(|id| (0..old.len()).find(|&j| !used[j] && old_ids[j].as_ref() == Some(id)));
        if let Some(j) = found {
            used[j] = true;
        }
        chosen.push(found);
    }
    for (i, choice) in chosen.iter_mut().enumerate() {
        let claimed = |j: usize| old_ids[j].is_some() && new_ids.contains(&old_ids[j]);
        if choice.is_none() && i < old.len() && !used[i] && !claimed(i) {
            used[i] = true;
            *choice = Some(i);
        }
    }
    // The comment before the first entry heads the list (`# ── 工作室成员 …`): it stays
    // at the head whichever entry comes first now; the old first entry, moved or kept
    // elsewhere, takes the plain gap the second one had.
    let prefix = |t: &Table| t.decor().prefix().cloned();
    let head = old.first().and_then(prefix);
    let gap = old.get(1).and_then(prefix);
    a.clear();
    let mut first = true;
    for (i, (json, choice)) in list.iter().zip(chosen).enumerate() {
        let Json::Object(map) = json else { continue };
        let here = format!("{path}[{i}]");
        let mut table = choice.map_or_else(Table::new, |j| old[j].clone());
        patch_table(&mut table, map, &here)?;
        if let Some(head) = head.as_ref().filter(|_| first && choice != Some(0)) {
            table.decor_mut().set_prefix(head.clone());
        } else if !first && choice == Some(0) && head.is_some() {
            match &gap {
                Some(gap) => table.decor_mut().set_prefix(gap.clone()),
                None => table.decor_mut().set_prefix("\n"),
            }
        }
        first = false;
        // The entries take the array's places in their new order.
        if let Some(&place) = positions.get(i) {
            table.set_position(place);
        }
        a.push(table);
    }
    Ok(())
}

/// What identifies a list entry: its `id`, else its `id_number`, else its `name` with
/// its `date`; `None` for an entry with none of them filled in.
fn identity(json: &Json) -> Option<String> {
    let text = |key: &str| {
        json.get(key)
            .and_then(Json::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    if let Some(id) = text("id") {
        return Some(format!("id:{id}"));
    }
    if let Some(number) = text("id_number") {
        return Some(format!("id_number:{number}"));
    }
    let name = text("name")?;
    Some(format!("name:{name}|{}", text("date").unwrap_or("")))
}

/// A new item for a key the document did not have.
fn new_item(json: &Json, path: &str) -> Result<Option<Item>, EditError> {
    Ok(match json {
        Json::Null => None,
        Json::Object(map) => {
            let mut table = Table::new();
            patch_table(&mut table, map, path)?;
            Some(Item::Table(table))
        }
        Json::Array(list) if !list.is_empty() && list.iter().all(Json::is_object) => {
            let mut tables = ArrayOfTables::new();
            patch_tables(&mut tables, list, path)?;
            Some(Item::ArrayOfTables(tables))
        }
        other => Some(value(to_value(other, None, path)?)),
    })
}

/// Whether `v` already says what `json` says.
fn same(v: &Value, json: &Json) -> bool {
    match (value_json(v), json) {
        (Json::Number(a), Json::Number(b)) => a.as_f64() == b.as_f64(),
        (a, b) => &a == b,
    }
}

/// A TOML value for `json`; `like` is the value it replaces, whose kind it keeps where
/// it can (a date stays a bare date, a float stays a float).
fn to_value(json: &Json, like: Option<&Value>, path: &str) -> Result<Value, EditError> {
    Ok(match json {
        Json::String(s) => match like {
            Some(Value::Datetime(_)) => match s.parse::<toml_edit::Datetime>() {
                Ok(d) => Value::from(d),
                Err(_) => Value::from(s.as_str()),
            },
            _ => Value::from(s.as_str()),
        },
        Json::Bool(b) => Value::from(*b),
        Json::Number(n) => match (n.as_i64(), like) {
            (Some(i), Some(Value::Float(_))) => Value::from(i as f64),
            (Some(i), _) => Value::from(i),
            (None, _) => Value::from(n.as_f64().unwrap_or(0.0)),
        },
        Json::Array(list) => {
            let mut array = Array::new();
            for item in list {
                array.push(to_value(item, None, path)?);
            }
            Value::Array(array)
        }
        Json::Object(map) => {
            let mut table = InlineTable::new();
            patch_table(&mut table, map, path)?;
            Value::InlineTable(table)
        }
        Json::Null => {
            return Err(EditError(format!("{path} 的值为空")));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"# 样例
format_version = 1
filled_on = 2026-11-20 # 填报日期

[unit]
# 单位全称
name = "呼和浩特市青城装备制造有限公司"
total = 186.5
high_skill = 112.0

[[members]]
name = "李红梅" # 成员一
role = "副主任"

[[members]]
name = "张伟"
role = "成员"
"#;

    fn edited(change: impl FnOnce(&mut Json)) -> String {
        let mut doc: DocumentMut = TEXT.parse().unwrap();
        let mut json = to_json(&doc);
        change(&mut json);
        apply(&mut doc, &json).unwrap();
        doc.to_string()
    }

    fn changed_lines(a: &str, b: &str) -> Vec<(String, String)> {
        let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
        assert_eq!(a.len(), b.len(), "{b:?}");
        a.iter()
            .zip(&b)
            .filter(|(x, y)| x != y)
            .map(|(x, y)| (x.to_string(), y.to_string()))
            .collect()
    }

    #[test]
    fn unchanged_data_gives_back_the_same_text() {
        let text = edited(|json| {
            // What the page sends: numbers without their decimals, dates as text.
            json["unit"]["high_skill"] = Json::from(112);
            json["filled_on"] = Json::from("2026-11-20");
        });
        assert_eq!(text, TEXT);
    }

    #[test]
    fn a_changed_value_changes_its_line_only() {
        let text = edited(|json| {
            json["unit"]["name"] = Json::from("呼和浩特市新城机械厂");
            json["members"][0]["name"] = Json::from("李红");
            json["filled_on"] = Json::from("2026-12-01");
        });
        assert_eq!(
            changed_lines(TEXT, &text),
            vec![
                (
                    "filled_on = 2026-11-20 # 填报日期".into(),
                    "filled_on = 2026-12-01 # 填报日期".into()
                ),
                (
                    "name = \"呼和浩特市青城装备制造有限公司\"".into(),
                    "name = \"呼和浩特市新城机械厂\"".into()
                ),
                (
                    "name = \"李红梅\" # 成员一".into(),
                    "name = \"李红\" # 成员一".into()
                ),
            ]
        );
    }

    #[test]
    fn members_added_removed_and_fields_cleared() {
        let text = edited(|json| {
            let members = json["members"].as_array_mut().unwrap();
            members.remove(1);
            members.push(serde_json::json!({"name": "王强", "role": "成员"}));
            json["unit"].as_object_mut().unwrap().remove("total");
        });
        assert!(text.contains("# 单位全称\nname"), "{text}");
        assert!(!text.contains("total"), "{text}");
        assert!(!text.contains("张伟"), "{text}");
        assert!(
            text.ends_with("[[members]]\nname = \"王强\"\nrole = \"成员\"\n"),
            "{text}"
        );
        let back: Json = to_json(&text.parse().unwrap());
        assert_eq!(back["members"][1]["name"], "王强");
    }

    #[test]
    fn the_lists_heading_comment_stays_when_its_first_entry_goes() {
        let sample = include_str!("../../samples/studio.toml");
        let mut doc: DocumentMut = sample.parse().unwrap();
        let mut json = to_json(&doc);
        json["members"].as_array_mut().unwrap().remove(0);
        apply(&mut doc, &json).unwrap();
        let text = doc.to_string();
        assert!(!text.contains("name = \"李红梅\""), "{text}");
        let heading = text
            .find("# ── 工作室成员")
            .expect("the heading comment is kept");
        let first = text.find("[[members]]").unwrap();
        assert!(
            heading < first && text[heading..first].lines().count() == 1,
            "the heading is right above the first entry: {text}"
        );
        // Put back first, the entry takes its old place under the heading, once.
        let mut json = to_json(&doc);
        let li = to_json(&sample.parse::<DocumentMut>().unwrap())["members"][0].clone();
        json["members"].as_array_mut().unwrap().insert(0, li);
        apply(&mut doc, &json).unwrap();
        assert_eq!(doc.to_string().matches("# ── 工作室成员").count(), 1);
    }

    #[test]
    fn the_sample_round_trips_and_still_reads() {
        let sample = include_str!("../../samples/studio.toml");
        let mut doc: DocumentMut = sample.parse().unwrap();
        let json = to_json(&doc);
        // Through text, as the page sends it.
        let json: Json = serde_json::from_str(&json.to_string()).unwrap();
        apply(&mut doc, &json).unwrap();
        assert_eq!(doc.to_string(), sample);
        let app: crate::data::model::Application = serde_json::from_value(json).unwrap();
        assert_eq!(app.master.name, "王建军");
    }

    /// Deleting an entry keeps every other entry's comment above it (entries matched by
    /// their id, not their place); a new entry's keys come in the sample's order.
    #[test]
    fn comments_stay_with_their_entries() {
        let sample = include_str!("../../samples/studio.toml");
        // A comment above each of E03 and E07, as a clerk would write one.
        let mut text = sample.to_string();
        for id in ["E03", "E07"] {
            let at = text.find(&format!("[[evidence]]\nid = \"{id}\"")).unwrap();
            text.insert_str(at, &format!("# 关于 {id} 的说明\n"));
        }
        let mut doc: DocumentMut = text.parse().unwrap();
        let mut json = to_json(&doc);
        let evidence = json["evidence"].as_array_mut().unwrap();
        let e02 = evidence.iter().position(|e| e["id"] == "E02").unwrap();
        evidence.remove(e02);
        evidence.push(serde_json::json!({
            "title": "新证书", "owner": "领办人", "kind": "获奖证书", "id": "E99", "file": "evidence/x.jpg"
        }));
        apply(&mut doc, &json).unwrap();
        let out = doc.to_string();
        for id in ["E03", "E07"] {
            assert!(
                out.contains(&format!("# 关于 {id} 的说明\n[[evidence]]\nid = \"{id}\"")),
                "{id}'s comment moved:\n{out}"
            );
        }
        assert!(out.contains("# ── 佐证材料"), "the section comment went");
        assert!(!out.contains("id = \"E02\""));
        let new = &out[out.find("id = \"E99\"").unwrap()..];
        let order: Vec<usize> = ["id =", "title =", "kind =", "owner =", "file ="]
            .iter()
            .map(|k| new.find(k).unwrap())
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{new}");
    }

    #[test]
    fn null_clears_a_field_but_not_a_list_item() {
        let text = edited(|json| json["unit"]["total"] = Json::Null);
        assert!(!text.contains("total"), "{text}");
        let mut doc: DocumentMut = TEXT.parse().unwrap();
        let mut json = to_json(&doc);
        json["unit"]["codes"] = serde_json::json!([1, null]);
        assert_eq!(
            apply(&mut doc, &json),
            Err(EditError("unit.codes 的值为空".into()))
        );
    }
}
