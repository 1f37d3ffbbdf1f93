//! The `versions` of an inventory: each version block judged on its own (on every
//! core), from the JSON value the inventory was read into, then the sequence of
//! versions and the head.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde_json::{Map, Value};

use super::Findings;
use super::codes::Code;
use super::inventory::{Inventory, Version, version_number};
use super::syntax::{is_digest, is_rfc3339, is_uri, logical_path_ok, short, unique_paths};

/// The members a version block may hold (E102 for any other).
const MEMBERS: [&str; 4] = ["created", "state", "message", "user"];

/// One member of a block: not there, there but not of its type, or its value.
enum Member<T> {
    Absent,
    Other,
    Given(T),
}

/// A `state` as read: each digest with its logical paths (`None`: not an array of
/// strings).
type State<'a> = Vec<(&'a str, Option<Vec<&'a str>>)>;

/// A version block as read.
struct Parts<'a> {
    created: Member<&'a str>,
    state: Member<State<'a>>,
    message: Member<&'a str>,
    /// Name and address.
    user: Member<(Member<&'a str>, Member<&'a str>)>,
    /// Keys the specification does not define, in order.
    unknown: Vec<&'a str>,
}

impl<'a> Parts<'a> {
    fn value(block: &'a Map<String, Value>) -> Parts<'a> {
        let state = match block.get("state") {
            None => Member::Absent,
            Some(Value::Object(state)) => Member::Given(
                state
                    .iter()
                    .map(|(digest, paths)| {
                        let paths = paths
                            .as_array()
                            .and_then(|paths| paths.iter().map(Value::as_str).collect());
                        (digest.as_str(), paths)
                    })
                    .collect(),
            ),
            Some(_) => Member::Other,
        };
        let user = match block.get("user") {
            None => Member::Absent,
            Some(Value::Object(user)) => {
                Member::Given((string_member(user, "name"), string_member(user, "address")))
            }
            Some(_) => Member::Other,
        };
        Parts {
            created: string_member(block, "created"),
            state,
            message: string_member(block, "message"),
            user,
            unknown: block
                .keys()
                .map(String::as_str)
                .filter(|key| !MEMBERS.contains(key))
                .collect(),
        }
    }
}

/// A member of `object` that should be a string.
fn string_member<'a>(object: &'a Map<String, Value>, key: &str) -> Member<&'a str> {
    match object.get(key) {
        None => Member::Absent,
        Some(Value::String(s)) => Member::Given(s.as_str()),
        Some(_) => Member::Other,
    }
}

/// Reads and judges the `versions` of an inventory into `inv`.
pub(super) fn read_versions(
    versions: Option<&Value>,
    place: &str,
    known: Option<&Inventory>,
    inv: &mut Inventory,
    out: &mut Findings,
) {
    let Some(versions) = versions else {
        out.error(Code::E043, Some(place), "清单缺少 versions");
        return;
    };
    let Some(versions) = versions.as_object() else {
        out.error(Code::E044, Some(place), "versions 须为 JSON 对象");
        return;
    };
    let mut paddings = BTreeSet::new();
    // Each block read on its own (on every core: a long history has thousands of
    // logical paths), its findings kept in the blocks' order.
    let blocks: Vec<(&String, &Value)> = versions.iter().collect();
    type Block = (Findings, Option<Option<usize>>, Option<(u32, Version)>);
    let algorithm = inv.algorithm.as_str();
    let read: Vec<Block> = blocks
        .into_par_iter()
        .map(|(name, block)| {
            let mut found = Findings::default();
            let Some((number, padding)) = version_number(name) else {
                found.error(
                    Code::E104,
                    Some(place),
                    format!("“{name}” 不是有效的版本名（如 v1）"),
                );
                return (found, None, None);
            };
            // The same block as the known inventory's, judged there: taken as it is.
            let judged = known
                .filter(|k| k.blocks.get(name.as_str()) == Some(block))
                .and_then(|k| k.versions.get(&number))
                .filter(|(known_name, _)| known_name == name);
            if let Some((_, version)) = judged {
                return (found, Some(padding), Some((number, version.clone())));
            }
            let version = read_block(name, block, place, algorithm, &mut found);
            (found, Some(padding), version.map(|v| (number, v)))
        })
        .collect();
    for ((mut found, padding, version), name) in read.into_iter().zip(versions.keys()) {
        out.0.append(&mut found.0);
        paddings.extend(padding);
        if let Some((number, version)) = version {
            inv.versions.insert(number, (name.clone(), version));
        }
    }
    if versions.is_empty() {
        out.error(Code::E008, Some(place), "对象中没有任何版本");
    }
    if paddings.len() > 1 {
        out.error(Code::E012, Some(place), "版本名的补零方式不一致");
        // Where zero-padded names are used, one that is not (v10 after v01 … v09) has
        // gone past what the padding can number.
        for name in versions.keys() {
            if version_number(name).is_some_and(|(_, padding)| padding.is_none()) {
                out.error(
                    Code::E011,
                    Some(place),
                    format!("版本名补零时须以 v0 开头，“{name}” 超出了补零位数能编的号"),
                );
            }
        }
    }
    inv.padding = paddings.into_iter().next().flatten();
    if inv.padding.is_some() {
        out.warn(
            Code::W001,
            Some(place),
            "版本名补了零（如 v001），规范建议不补零",
        );
    }
    let numbers: Vec<u32> = inv.versions.keys().copied().collect();
    if let Some(&max) = numbers.last() {
        if numbers.first() != Some(&1) {
            out.error(Code::E009, Some(place), "版本号须从 1 开始");
        }
        if numbers.len() as u32 != max {
            out.error(Code::E010, Some(place), "版本号不连续，中间缺了版本");
        }
        let head_name = &inv.versions[&max].0;
        if !inv.head.is_empty() && &inv.head != head_name {
            out.error(
                Code::E040,
                Some(place),
                format!("head 为 “{}”，但最新的版本是 {head_name}", inv.head),
            );
        }
    }
}

/// One version block: `None` when it is not a JSON object.
fn read_block(
    name: &str,
    block: &Value,
    place: &str,
    algorithm: &str,
    out: &mut Findings,
) -> Option<Version> {
    let Some(block) = block.as_object() else {
        out.error(
            Code::E047,
            Some(place),
            format!("版本 {name} 须为 JSON 对象"),
        );
        return None;
    };
    Some(judge(name, Parts::value(block), place, algorithm, out))
}

/// A version block judged: `created` (E048, E049), `state` (`judge_state`), `message`
/// (E094, W007), `user` (E054, W007–W009), and no other member (E102).
fn judge(name: &str, parts: Parts, place: &str, algorithm: &str, out: &mut Findings) -> Version {
    let mut version = Version::default();
    match parts.created {
        Member::Given(created) => {
            version.created = created.to_string();
            if !is_rfc3339(created) {
                out.error(
                    Code::E049,
                    Some(place),
                    format!("版本 {name} 的 created “{created}” 不是带秒和时区的 RFC 3339 时间"),
                );
            }
        }
        Member::Other => out.error(
            Code::E049,
            Some(place),
            format!("版本 {name} 的 created 须为字符串"),
        ),
        Member::Absent => out.error(Code::E048, Some(place), format!("版本 {name} 缺少 created")),
    }
    version.state = std::sync::Arc::new(judge_state(parts.state, name, place, algorithm, out));
    match parts.message {
        Member::Given(m) => version.message = Some(m.to_string()),
        Member::Other => out.error(
            Code::E094,
            Some(place),
            format!("版本 {name} 的 message 须为字符串"),
        ),
        Member::Absent => out.warn(Code::W007, Some(place), format!("版本 {name} 没有 message")),
    }
    version.user = judge_user(parts.user, name, place, out);
    for key in parts.unknown {
        out.error(
            Code::E102,
            Some(place),
            format!("版本 {name} 中有规范未定义的键 “{key}”"),
        );
    }
    version
}

/// A version's `state`: logical path → digest (E050, E052, E053, E095, E048).
fn judge_state(
    state: Member<State>,
    name: &str,
    place: &str,
    algorithm: &str,
    out: &mut Findings,
) -> BTreeMap<String, String> {
    let state = match state {
        Member::Given(state) => state,
        Member::Other => {
            out.error(
                Code::E050,
                Some(place),
                format!("版本 {name} 的 state 须为 JSON 对象"),
            );
            return BTreeMap::new();
        }
        Member::Absent => {
            out.error(Code::E048, Some(place), format!("版本 {name} 缺少 state"));
            return BTreeMap::new();
        }
    };
    // (path, digest) in the order written.
    let mut entries: Vec<(&str, &str)> = Vec::with_capacity(state.len());
    for (digest, paths) in state {
        if !is_digest(digest, algorithm) {
            out.error(
                Code::E050,
                Some(place),
                format!("版本 {name} 的 state 中 “{}” 不是摘要", short(digest)),
            );
        }
        let Some(paths) = paths else {
            out.error(
                Code::E050,
                Some(place),
                format!("版本 {name} 的 state 值须为路径数组"),
            );
            continue;
        };
        for path in paths {
            logical_path_ok(path, name, place, out);
            entries.push((path, digest));
        }
    }
    unique_paths(
        entries.iter().map(|(path, _)| *path),
        Code::E095,
        &format!("版本 {name} 的逻辑路径"),
        place,
        out,
    );
    // Built at once from the entries sorted (a path written twice keeps its last
    // digest, as one insert after another would).
    entries
        .into_iter()
        .map(|(path, digest)| (path.to_string(), digest.to_string()))
        .collect()
}

/// A version's `user`: name and address (E054, W007, W008, W009).
fn judge_user(
    user: Member<(Member<&str>, Member<&str>)>,
    name: &str,
    place: &str,
    out: &mut Findings,
) -> Option<(String, Option<String>)> {
    let (user_name, address) = match user {
        Member::Given(user) => user,
        Member::Other => {
            out.error(
                Code::E054,
                Some(place),
                format!("版本 {name} 的 user 须为 JSON 对象"),
            );
            return None;
        }
        Member::Absent => {
            out.warn(Code::W007, Some(place), format!("版本 {name} 没有 user"));
            return None;
        }
    };
    let user_name = match user_name {
        Member::Given(n) => n.to_string(),
        Member::Other | Member::Absent => {
            out.error(
                Code::E054,
                Some(place),
                format!("版本 {name} 的 user 缺少 name"),
            );
            String::new()
        }
    };
    let address = match address {
        Member::Given(a) => {
            if !is_uri(a) {
                out.warn(
                    Code::W009,
                    Some(place),
                    format!("版本 {name} 的 user.address “{a}” 不是 URI"),
                );
            }
            Some(a.to_string())
        }
        Member::Other => {
            out.error(
                Code::E054,
                Some(place),
                format!("版本 {name} 的 user.address 须为字符串"),
            );
            None
        }
        Member::Absent => {
            out.warn(
                Code::W008,
                Some(place),
                format!("版本 {name} 的 user 没有 address"),
            );
            None
        }
    };
    Some((user_name, address))
}
