//! What an archive holds, as a report reads it: the application of v1, and every record
//! of the newest version (pending records included) with corrections applied (a record that `corrects` another takes
//! its place), each with its stored file and its files' places in the archive.

use std::path::PathBuf;

use crate::archive::{Archive, RECORDS_DIR};
use crate::data::model::Application;
use crate::data::record::Record;
use crate::data::record::shows_of;
use crate::room::filing::record_folder;

/// One record as archived.
#[derive(Debug, Clone)]
pub struct Archived {
    pub record: Record,
    /// The stored record file (for locating findings).
    pub stored: PathBuf,
    /// Its attachments, as the archive holds them.
    pub files: Vec<Attachment>,
    /// The ids of the records it replaces by correction.
    pub corrects: Vec<String>,
}

/// One file attached to a record.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// The record's field that names it (`files[2]`, `apprentice.agreement`).
    pub field: String,
    /// Its logical path in the archive.
    pub logical: String,
    /// What it shows.
    pub shows: String,
    /// Where the archive stores it.
    pub stored: PathBuf,
    /// Its digest in the inventory (identical files have the same one).
    pub digest: String,
}

/// The archive as a report reads it.
pub struct Facts {
    pub app: Option<Application>,
    /// Records in effect, by date then id.
    pub records: Vec<Archived>,
    pub head: String,
    pub digest: String,
}

/// Reads the head version's records.
pub fn gather(archive: &Archive) -> Facts {
    let inventory = archive.current();
    let head = inventory.head_number();
    let state = inventory.state(head);
    // The stored file and digest of a logical path of the head version.
    let content = |logical: &str| {
        let digest = state.get(logical)?;
        let path = inventory.content_of(digest)?;
        Some((archive.root.join(path), digest.clone()))
    };
    let mut all: Vec<Archived> = state
        .keys()
        .filter(|p| crate::archive::log::is_record_path(p) && p.starts_with(RECORDS_DIR))
        .filter_map(|logical| {
            let (stored, _) = content(logical)?;
            let text = std::fs::read_to_string(&stored).ok()?;
            let record: Record = toml::from_str(&text).ok()?;
            let folder = record_folder(&record);
            let files = record
                .named_files()
                .into_iter()
                .filter_map(|(field, file)| {
                    let name = std::path::Path::new(file.trim())
                        .file_name()?
                        .to_string_lossy()
                        .into_owned();
                    let logical = format!("{folder}/{name}");
                    let (stored, digest) = content(&logical)?;
                    let shows = shows_of(&record, &field);
                    Some(Attachment {
                        field,
                        logical,
                        shows,
                        stored,
                        digest,
                    })
                })
                .collect();
            Some(Archived {
                record,
                stored,
                files,
                corrects: Vec::new(),
            })
        })
        .collect();
    all.sort_by(|a, b| (a.record.date, &a.record.id).cmp(&(b.record.date, &b.record.id)));
    let mut effective = corrected(all);
    effective.sort_by(|a, b| (a.record.date, &a.record.id).cmp(&(b.record.date, &b.record.id)));
    Facts {
        app: archive.application(),
        records: effective,
        head: inventory.head.clone(),
        // Pending records have no digest yet: a report that prints one files them first.
        digest: if archive.head.is_some() {
            String::new()
        } else {
            archive.digest.clone()
        },
    }
}

/// The records in effect once corrections are applied, whatever their dates: a record
/// that `corrects` another takes its place, and lists every record it replaces. Two
/// corrections of one record form a chain in the order of their dates (the later one
/// corrects the earlier). `all` is in date order.
fn corrected(all: Vec<Archived>) -> Vec<Archived> {
    use std::collections::{BTreeMap, BTreeSet};
    let ids: BTreeSet<String> = all.iter().map(|a| a.record.id.trim().to_string()).collect();
    // The record that replaces each replaced one, and the reverse.
    let mut next: BTreeMap<String, String> = BTreeMap::new();
    let mut before: BTreeMap<String, String> = BTreeMap::new();
    // The newest record of the chain that `id` is in.
    let tip = |next: &BTreeMap<String, String>, id: &str| {
        let mut at = id.to_string();
        for _ in 0..=next.len() {
            match next.get(&at) {
                Some(n) => at = n.clone(),
                None => break,
            }
        }
        at
    };
    for item in &all {
        let id = item.record.id.trim().to_string();
        let Some(target) = item.record.corrects.as_deref().map(str::trim) else {
            continue;
        };
        if !ids.contains(target) {
            continue;
        }
        let end = tip(&next, target);
        // Never a loop: a record never joins a chain it is already in.
        if tip(&next, &id) == end {
            continue;
        }
        next.insert(end.clone(), id.clone());
        before.insert(id, end);
    }
    all.into_iter()
        .filter(|a| !next.contains_key(a.record.id.trim()))
        .map(|mut a| {
            let mut at = a.record.id.trim().to_string();
            let mut replaced = Vec::new();
            while let Some(earlier) = before.get(&at) {
                if replaced.contains(earlier) || replaced.len() > before.len() {
                    break;
                }
                replaced.push(earlier.clone());
                at = earlier.clone();
            }
            replaced.reverse();
            a.corrects = replaced;
            a
        })
        .collect()
}
