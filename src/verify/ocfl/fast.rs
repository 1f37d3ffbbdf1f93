//! Version inventories judged by comparison. An object of many versions has as many
//! whole inventories (each lists every earlier version's full state), and reading each
//! like the root would cost more than hashing the content. When a version inventory's
//! blocks are byte for byte the head's blocks of the same versions, and its manifest
//! and fixity entries are the head's, it is the head's history up to that version:
//! nothing in it can disagree with the head, which was judged in full. Anything else is
//! read and judged in full.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::inventory::Inventory;

/// An inventory read only as far as comparing needs: its blocks as raw text.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Light<'a> {
    #[serde(borrow)]
    id: &'a str,
    #[serde(rename = "type", borrow)]
    kind: &'a str,
    #[serde(rename = "digestAlgorithm", borrow)]
    algorithm: &'a str,
    #[serde(borrow)]
    head: &'a str,
    #[serde(rename = "contentDirectory", borrow, default)]
    content_directory: Option<&'a str>,
    #[serde(borrow)]
    manifest: BTreeMap<&'a str, Vec<&'a str>>,
    #[serde(borrow)]
    versions: BTreeMap<&'a str, &'a RawValue>,
    #[serde(borrow, default)]
    fixity: BTreeMap<&'a str, BTreeMap<&'a str, Vec<&'a str>>>,
}

impl<'a> Light<'a> {
    pub(super) fn parse(bytes: &'a [u8]) -> Option<Light<'a>> {
        serde_json::from_slice(bytes).ok()
    }
}

/// Whether `bytes` (the inventory of version `n`, folder `name`) is the head's history
/// up to `n`; then the OCFL version its `type` names (None when it names none).
pub(super) fn projection(
    head_light: &Light<'_>,
    bytes: &[u8],
    n: u32,
    name: &str,
    head: &Inventory,
) -> Option<Option<String>> {
    let version = Light::parse(bytes)?;
    let same = version.id == head_light.id
        && version.algorithm == head_light.algorithm
        && version.head == name
        && version.content_directory == head_light.content_directory;
    if !same {
        return None;
    }
    // Exactly versions 1..=n, each block as in the head.
    let names: Vec<&str> = head
        .versions
        .iter()
        .filter(|(k, _)| **k <= n)
        .map(|(_, (v, _))| v.as_str())
        .collect();
    if version.versions.len() != names.len() {
        return None;
    }
    for v in &names {
        let (mine, theirs) = (version.versions.get(v)?, head_light.versions.get(v)?);
        if mine.get() != theirs.get() {
            return None;
        }
    }
    // Its manifest and fixity: the head's entries for the content of versions 1..=n.
    let in_scope = |path: &str| path.split('/').next().is_some_and(|v| names.contains(&v));
    let wanted = head_light
        .manifest
        .iter()
        .filter(|(_, paths)| paths.iter().all(|p| in_scope(p)))
        .count();
    if version.manifest.len() != wanted
        || version
            .manifest
            .iter()
            .any(|(d, paths)| head_light.manifest.get(d) != Some(paths))
    {
        return None;
    }
    for (algorithm, block) in &version.fixity {
        let theirs = head_light.fixity.get(algorithm)?;
        let wanted = theirs
            .iter()
            .filter(|(_, paths)| paths.iter().all(|p| in_scope(p)))
            .count();
        if block.len() != wanted || block.iter().any(|(d, paths)| theirs.get(d) != Some(paths)) {
            return None;
        }
    }
    if version.fixity.len() != head_light.fixity.len() && !version.fixity.is_empty() {
        return None;
    }
    Some(
        version
            .kind
            .strip_prefix("https://ocfl.io/")
            .and_then(|k| k.strip_suffix("/spec/#inventory"))
            .map(str::to_string),
    )
}
