//! The form's own words. The rules' hints are written for the data file (`在 evidence
//! 中加入 kind = "身份证"、owner = "成员" 的一项`); the form shows them with its own
//! section and field labels (`在“佐证材料”中添加一项：“证明内容”为“身份证”、“所属”为
//! “成员”`), the labels taken from the data format's titles.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Every key of the data format with its title (the first title a key has).
fn labels() -> &'static BTreeMap<String, String> {
    static LABELS: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    LABELS.get_or_init(|| {
        let schema: serde_json::Value =
            serde_json::from_str(&crate::data::schema::schema_text()).unwrap_or_default();
        let mut out = BTreeMap::new();
        collect(&schema, &mut out);
        out
    })
}

fn collect(node: &serde_json::Value, out: &mut BTreeMap<String, String>) {
    match node {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Object(properties)) = map.get("properties") {
                for (key, property) in properties {
                    if let Some(title) = property.get("title").and_then(|t| t.as_str()) {
                        out.entry(key.clone()).or_insert_with(|| title.to_string());
                    }
                }
            }
            for value in map.values() {
                collect(value, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        _ => {}
    }
}

/// A hint or message in the form's words.
pub fn in_form(text: &str) -> String {
    let labels = labels();
    let label = |key: &str| labels.get(key).map(|t| format!("“{t}”"));
    let mut out = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        // An ASCII key: `key = "value"`, `key = word`, or the key alone.
        let start = rest
            .find(|c: char| c.is_ascii_lowercase())
            .unwrap_or(rest.len());
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        if rest.is_empty() {
            break;
        }
        let end = rest
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit()))
            .unwrap_or(rest.len());
        let key = &rest[..end];
        let after = &rest[end..];
        let Some(name) = label(key) else {
            out.push_str(key);
            rest = after;
            continue;
        };
        if let Some(value) = after.strip_prefix(" = \"") {
            let close = value.find('"').unwrap_or(value.len());
            out.push_str(&format!("{name}为“{}”", &value[..close]));
            rest = value.get(close + 1..).unwrap_or("");
        } else if let Some(value) = after.strip_prefix(" = ") {
            out.push_str(&format!("{name}为"));
            rest = value;
        } else if after.starts_with(" 中") || after.starts_with(" 的") {
            // A section or field named in a sentence: `在 evidence 中`.
            out.push_str(&name);
            rest = after;
        } else if out.ends_with('“') && after.starts_with('”') {
            // A key already in quotes: `缺少必填字段“area”`.
            out.push_str(name.trim_matches(['“', '”']));
            rest = after;
        } else if after.starts_with(".toml")
            || after.starts_with(".json")
            || out.ends_with("dashi ")
        {
            // A file name (`studio.toml`) or a command (`dashi init`) is not a key.
            out.push_str(key);
            rest = after;
        } else {
            // A key alone in a sentence: `删去 member`.
            out.push_str(&name);
            rest = after;
        }
    }
    // The data file's own ways of saying where and how do not apply in the form.
    tidy(&out)
        .replace("中加入“", "中添加“")
        .replace("”为…，写法见样例 studio.toml", "”")
        .replace("，写法见样例 studio.toml", "")
        .replace("加上“", "填写“")
        .replace("如 [1, 4]", "如 1、4")
        .replace(
            "对照样例 studio.toml 或 dashi schema 改正这个值",
            "从这一栏可选的值中选一个",
        )
        .replace(
            "删去这个字段，或对照 dashi schema 输出的格式改正字段名",
            "这一项不是表中的栏目，请在数据文件中删去它",
        )
}

/// No space between a label's quotes and the Chinese beside them.
fn tidy(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let before = i.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i + 1).copied();
            let quote = |c: Option<char>| matches!(c, Some('“' | '”'));
            let wide = |c: Option<char>| c.is_some_and(|c| !c.is_ascii());
            if (quote(before) && wide(after)) || (quote(after) && wide(before)) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::in_form;

    #[test]
    fn hints_name_the_form_labels() {
        assert_eq!(
            in_form(
                "在 evidence 中加入 kind = \"身份证\"、owner = \"成员\"、member = \"王强\" 的一项"
            ),
            "在“佐证材料”中添加“证明内容”为“身份证”、“所属”为“成员”、“成员姓名”为“王强”的一项"
        );
        // A missing field: its label, and what to do in the form.
        assert_eq!(
            in_form("缺少必填字段 “area”（工作室·工作室面积）"),
            "缺少必填字段“工作室面积”（工作室·工作室面积）"
        );
        assert_eq!(
            in_form("在这一部分加上 area = …，写法见样例 studio.toml"),
            "在这一部分填写“工作室面积”"
        );
        // Words that are not keys of the form stay, file names included.
        assert_eq!(in_form("用 dashi check 检查"), "用 dashi check 检查");
        assert_eq!(
            in_form("请对照样例（dashi init 生成的 studio.toml）检查"),
            "请对照样例（dashi init 生成的 studio.toml）检查"
        );
    }
}
