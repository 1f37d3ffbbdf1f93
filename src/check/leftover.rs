//! Text left standing from the sample or from before a rename (附件2 填写要求一：如实
//! 填写，仔细核对): a clerk who renames the sample's master can leave the old name in
//! the 申报书, the 推荐意见 and the evidence titles, and the packet would describe
//! someone else. Every text field, evidence title and file name is searched for the
//! names of people and units that the sample has and this data file no longer has, and
//! for the master named in the studio's name when that is no longer the master.
//! Names listed in `confirmed_names` are taken as meant.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde_json::Value;

use crate::data::model::Application;
use crate::finding::{Code, Finding};

/// The keys whose values name a person or a unit.
const NAME_KEYS: [&str; 2] = ["name", "legal_representative"];

/// Fields that are not text a reader takes as said of this studio.
const SKIPPED: [&str; 2] = ["confirmed_names", "$schema"];

/// The names of the sample's people and units.
fn sample_names() -> &'static BTreeSet<String> {
    static NAMES: OnceLock<BTreeSet<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        toml::from_str::<Value>(crate::data::SAMPLE)
            .map(|v| names(&v))
            .unwrap_or_default()
    })
}

/// Every non-empty value at a name key, anywhere in `value`.
fn names(value: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                for (key, item) in map {
                    match item {
                        Value::String(s) if NAME_KEYS.contains(&key.as_str()) => {
                            if !s.trim().is_empty() {
                                out.insert(s.trim().to_string());
                            }
                        }
                        other => stack.push(other),
                    }
                }
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    out
}

/// R105 at every text that holds a name the application no longer has.
pub fn check(app: &Application, out: &mut Vec<Finding>) {
    let Ok(value) = serde_json::to_value(app) else {
        return;
    };
    let current = names(&value);
    let mut stale: BTreeSet<String> = sample_names().difference(&current).cloned().collect();
    // The master the studio's name was made for, when that is no longer the master.
    if let Some(former) = app
        .studio
        .name
        .trim()
        .strip_prefix("呼和浩特市")
        .and_then(|n| n.strip_suffix("技能大师工作室"))
        .map(str::trim)
        .filter(|n| !n.is_empty() && *n != app.master.name.trim())
    {
        stale.insert(former.to_string());
    }
    // A name the data file still has (a former master who is now a member) is no
    // leftover, nor one confirmed as meant.
    stale.retain(|n| {
        !current.contains(n)
            && !app.confirmed_names.iter().any(|c| c.trim() == n)
            && n.chars().count() >= 2
    });
    if stale.is_empty() {
        return;
    }
    let mut texts = Vec::new();
    strings(&value, String::new(), &mut texts);
    for (path, text) in texts {
        // A current name that contains a stale one (a unit's branch) is no leftover.
        let mut rest = text.clone();
        for name in current
            .iter()
            .filter(|c| stale.iter().any(|s| c.contains(s.as_str())))
        {
            rest = rest.replace(name.as_str(), "");
        }
        let found: Vec<&String> = stale.iter().filter(|n| rest.contains(n.as_str())).collect();
        // A name inside a longer one found (王建军 in the old studio name) is said once.
        let found: Vec<&String> = found
            .iter()
            .copied()
            .filter(|n| {
                !found
                    .iter()
                    .any(|m| m.len() > n.len() && m.contains(n.as_str()))
            })
            .collect();
        if found.is_empty() {
            continue;
        }
        let names: Vec<String> = found.iter().map(|n| format!("“{n}”")).collect();
        let this = if found.len() > 1 {
            "这些名称"
        } else {
            "这个名称"
        };
        out.push(
            Finding::new(
                Code::Leftover,
                path.clone(),
                format!(
                    "仍写着{}，而本申报中已没有{this}：{}",
                    names.join("、"),
                    excerpt(&text, found[0])
                ),
            )
            .uses("master.name")
            .uses("studio.name")
            .uses("unit.name")
            .hint(
                "把样例或改名前的文字改成本工作室的实际内容；确实应当保留的名称，写入“确认保留的名称”",
            ),
        );
    }
}

/// Every string of `value` with its field path (`proposal.summary`,
/// `evidence[2].title`), in the order of their paths.
fn strings(value: &Value, path: String, out: &mut Vec<(String, String)>) {
    match value {
        Value::String(s) => out.push((path, s.clone())),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                strings(item, format!("{path}[{i}]"), out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                if SKIPPED.contains(&key.as_str()) {
                    continue;
                }
                let inner = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                strings(item, inner, out);
            }
        }
        _ => {}
    }
}

/// The words around the first place `name` stands in `text`, on one line.
fn excerpt(text: &str, name: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let name_len = name.chars().count();
    let at = (0..chars.len())
        .find(|&i| chars[i..].iter().take(name_len).copied().eq(name.chars()))
        .unwrap_or(0);
    let from = at.saturating_sub(8);
    let to = (at + name_len + 12).min(chars.len());
    let mut shown = chars[from..to]
        .iter()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if from > 0 {
        shown.insert(0, '…');
    }
    if to < chars.len() {
        shown.push('…');
    }
    format!("“{}”", shown.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_former_master_who_is_now_a_member_is_no_leftover() {
        let mut app: Application = toml::from_str(crate::data::SAMPLE).unwrap();
        app.master.name = "孙志强".into();
        app.members[0].name = "王建军".into();
        let mut out = Vec::new();
        check(&app, &mut out);
        assert!(
            out.iter().all(|f| !f.message.contains("“王建军”")),
            "{out:?}"
        );
        // 李红梅, renamed away, is still found in the texts.
        assert!(
            out.iter().any(|f| f.message.contains("“李红梅”")),
            "{out:?}"
        );
    }
}
