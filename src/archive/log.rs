//! `dashi archive log`: every version with its date, user, the records it added (kind,
//! id, title), the files it stored or referenced, its bytes, and the digest of its own
//! inventory — what a report printed at that version names.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Archive, RECORDS_DIR};

/// One version as the log shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub version: String,
    pub created: String,
    pub user: String,
    pub message: String,
    pub records: Vec<RecordLine>,
    /// Files the version added to the state.
    pub files_added: usize,
    /// Of those, how many were already stored and are only referenced.
    pub referenced: usize,
    /// Bytes the version stored.
    pub bytes_stored: u64,
    /// The digest of the version's own inventory (none while pending).
    pub inventory_digest: Option<String>,
    /// Whether the version is the mutable head: records 预归档, not yet 归档.
    pub pending: bool,
}

/// A record a version added.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecordLine {
    pub kind: String,
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub major: bool,
    #[serde(default)]
    pub corrects: Option<String>,
    /// The date of the record.
    #[serde(default)]
    pub date: Option<crate::data::dates::Date>,
    /// The revision of the mutable head that added it, while pending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
}

/// The history, oldest first; the pending version (预归档) last.
pub fn log(archive: &Archive) -> Vec<Entry> {
    let inventory = archive.current();
    let pending = archive.head.as_ref().map(|h| h.version().to_string());
    let mut before: BTreeMap<String, String> = BTreeMap::new();
    inventory
        .versions
        .0
        .iter()
        .map(|(name, block)| {
            let version = block
                .version()
                .unwrap_or_else(|| super::inventory::Version {
                    created: String::new(),
                    message: String::new(),
                    state: Default::default(),
                    user: super::inventory::User {
                        name: String::new(),
                        address: String::new(),
                    },
                });
            let n = super::inventory::number(name).unwrap_or(0);
            let state = inventory.state(n);
            let added: Vec<(&String, &String)> = state
                .iter()
                .filter(|(path, _)| !before.contains_key(*path))
                .collect();
            let is_pending = pending.as_deref() == Some(name.as_str());
            let prefix = if is_pending {
                format!("{}/", super::head::HEAD)
            } else {
                format!("{name}/")
            };
            let referenced = added
                .iter()
                .filter(|(_, d)| {
                    inventory
                        .content_of(d)
                        .is_some_and(|c| !c.starts_with(&prefix))
                })
                .count();
            let bytes_stored = inventory
                .manifest
                .values()
                .flatten()
                .filter(|c| c.starts_with(&prefix))
                .filter_map(|c| std::fs::metadata(archive.root.join(c)).ok())
                .map(|m| m.len())
                .sum();
            let mut records: Vec<RecordLine> = added
                .iter()
                .filter(|(path, _)| is_record_path(path))
                .filter_map(|(_, digest)| record_line(archive, inventory, digest))
                .collect();
            if is_pending {
                records.sort_by_key(|r| {
                    let n = r
                        .revision
                        .as_deref()
                        .and_then(|v| v[1..].parse::<u32>().ok());
                    (n, r.id.clone())
                });
            }
            let inventory_digest = (!is_pending)
                .then(|| {
                    std::fs::read_to_string(archive.root.join(name).join("inventory.json.sha512"))
                        .ok()
                        .and_then(|t| t.split_whitespace().next().map(str::to_string))
                })
                .flatten();
            let entry = Entry {
                version: name.clone(),
                created: version.created.clone(),
                user: version.user.name.clone(),
                message: version.message.clone(),
                records,
                files_added: added.len(),
                referenced,
                bytes_stored,
                inventory_digest,
                pending: is_pending,
            };
            before = state;
            entry
        })
        .collect()
}

/// A record file of the archive as the log tells it, with the revision of the mutable
/// head that stored it while pending.
fn record_line(
    archive: &Archive,
    inventory: &super::inventory::Inventory,
    digest: &str,
) -> Option<RecordLine> {
    let content = inventory.content_of(digest)?;
    let text = std::fs::read_to_string(archive.root.join(content)).ok()?;
    let mut line = toml::from_str::<RecordLine>(&text).ok()?;
    line.revision = content
        .strip_prefix(&format!("{}/", super::head::HEAD))
        .and_then(|rest| rest.split('/').nth(1))
        .map(str::to_string);
    Some(line)
}

/// The records pending in the mutable head (预归档), in the order they were added.
pub fn pending(archive: &Archive) -> Vec<RecordLine> {
    let Some(head) = &archive.head else {
        return Vec::new();
    };
    let filed = archive.inventory.state(archive.inventory.head_number());
    let inventory = &head.inventory;
    inventory
        .state(inventory.head_number())
        .iter()
        .filter(|(path, _)| is_record_path(path) && !filed.contains_key(*path))
        .filter_map(|(_, digest)| record_line(archive, inventory, digest))
        .collect()
}

/// Whether a logical path is a record file: `记录/<类别>/<编号>.toml`.
pub fn is_record_path(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    parts.len() == 3 && parts[0] == RECORDS_DIR && parts[2].ends_with(".toml")
}
