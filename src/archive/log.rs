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
    /// The digest of the version's own inventory.
    pub inventory_digest: Option<String>,
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
}

/// The history, oldest first.
pub fn log(archive: &Archive) -> Vec<Entry> {
    let inventory = &archive.inventory;
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
            let prefix = format!("{name}/");
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
            let records = added
                .iter()
                .filter(|(path, _)| is_record_path(path))
                .filter_map(|(path, _)| {
                    let file = archive.stored(n, path)?;
                    let text = std::fs::read_to_string(file).ok()?;
                    toml::from_str::<RecordLine>(&text).ok()
                })
                .collect();
            let inventory_digest =
                std::fs::read_to_string(archive.root.join(name).join("inventory.json.sha512"))
                    .ok()
                    .and_then(|t| t.split_whitespace().next().map(str::to_string));
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
            };
            before = state;
            entry
        })
        .collect()
}

/// Whether a logical path is a record file: `记录/<类别>/<编号>.toml`.
pub fn is_record_path(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    parts.len() == 3 && parts[0] == RECORDS_DIR && parts[2].ends_with(".toml")
}
