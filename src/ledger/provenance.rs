//! Where a received archive comes from, held to what the ledger knows: the studio it
//! belongs to (by the application it began with), that it began from the application
//! the studio was 认定ed on, and that its history is the one the studio reported before.
//! A studio cannot rebuild its archive, or rewrite records it already reported on,
//! however consistently it does so.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::Ledger;
use super::RECEIVED_DIR;
use super::compare::Difference;
use super::received;
use super::state::{State, StudioState};
use crate::archive::export::INVENTORY_TAG;

/// An archive begun from another application than the one the studio was 认定ed on:
/// the archive's id names the seal of the bag it began with (`urn:dashi:studio:<代码>:
/// <封存值前 16 位>`), and the ledger keeps the seal intake received.
pub fn other_application(
    studio: &super::entry::Studio,
    opened: &received::Opened,
) -> Option<Difference> {
    let seal = studio.seal.as_deref()?.to_lowercase();
    let began = opened
        .archive_id
        .rsplit(':')
        .next()
        .unwrap_or_default()
        .to_lowercase();
    if began.len() == 16 && seal.starts_with(&began) {
        return None;
    }
    Some(Difference {
        what: "档案的来源".into(),
        reported: format!("档案 {} 不是由认定时的申报材料建立的", opened.archive_id),
        computed: format!("认定时受理的申报材料封存值为 {}", short(&seal)),
        records: Vec::new(),
    })
}

/// The inventory each studio sent last, as the ledger keeps it (`收到/NNNN/编号/…`).
pub fn earlier_inventories(ledger: &Ledger) -> BTreeMap<String, PathBuf> {
    let head = ledger.archive.inventory.head_number();
    let mut out = BTreeMap::new();
    for logical in ledger.archive.inventory.state(head).keys() {
        let parts: Vec<&str> = logical.split('/').collect();
        if let [RECEIVED_DIR, _, id, INVENTORY_TAG] = parts[..]
            && let Some(path) = ledger.archive.stored(head, logical)
        {
            // Paths in number order: the last one kept is the newest.
            out.insert(id.to_string(), path);
        }
    }
    out
}

/// The history an export's inventory lists against the one the studio sent before:
/// every version it listed then must be there still, unchanged. A studio cannot rewrite
/// records it already reported on, however consistently it rebuilds its archive.
pub fn rewritten(earlier: &Path, opened: &received::Opened) -> Option<Difference> {
    let (before, _) = crate::archive::inventory::read(earlier).ok()?;
    let now: BTreeMap<&str, serde_json::Value> = opened
        .archive
        .inventory
        .versions
        .0
        .iter()
        .map(|(name, block)| {
            (
                name.as_str(),
                serde_json::to_value(block.version()).unwrap_or_default(),
            )
        })
        .collect();
    let changed: Vec<&str> = before
        .versions
        .0
        .iter()
        .filter(|(name, block)| {
            now.get(name.as_str())
                != Some(&serde_json::to_value(block.version()).unwrap_or_default())
        })
        .map(|(name, _)| name.as_str())
        .collect();
    if changed.is_empty() {
        return None;
    }
    Some(Difference {
        what: "档案的历史".into(),
        reported: format!(
            "导出包中的版本 {} 与此前报送时不同或已不存在",
            changed.join("、")
        ),
        computed: format!("此前报送的档案有版本 v1 至 {}", before.head),
        records: Vec::new(),
    })
}

/// The studio a submission is of: by the application its archive began with (the seal
/// and 统一社会信用代码 in the archive's id), else by the unit's code and the studio's
/// name, else by the folder's name being the studio's 编号.
pub fn match_studio<'s>(
    state: &'s State,
    opened: &received::Opened,
    folder: &Path,
) -> Result<&'s StudioState, String> {
    let mut parts = opened.archive_id.rsplitn(3, ':');
    let seal16 = parts.next().unwrap_or_default().to_lowercase();
    let credit = parts.next().unwrap_or_default().to_uppercase();
    let by_seal = state.studios.values().find(|s| {
        s.studio
            .seal
            .as_deref()
            .is_some_and(|seal| seal.to_lowercase().starts_with(&seal16) && seal16.len() == 16)
            && s.studio.credit_code.eq_ignore_ascii_case(&credit)
    });
    let name = opened
        .archive
        .application()
        .map(|a| a.studio.name.trim().to_string());
    let by_name = || {
        state.studios.values().find(|s| {
            s.studio.credit_code.eq_ignore_ascii_case(&credit)
                && name.as_deref() == Some(s.studio.name.as_str())
        })
    };
    let by_folder = || {
        let folder = folder.file_name()?.to_string_lossy().into_owned();
        state.studios.get(&folder)
    };
    by_seal.or_else(by_name).or_else(by_folder).ok_or_else(|| {
        format!(
            "台账中找不到这个工作室（档案 {}{}）",
            opened.archive_id,
            name.map(|n| format!("，{n}")).unwrap_or_default()
        )
    })
}

/// The first 16 hex digits of a digest, as the findings show it.
pub fn short(digest: &str) -> String {
    digest.chars().take(16).collect()
}
