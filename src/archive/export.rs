//! `dashi archive export`: the state of any version as a sealed BagIt zip, so a studio
//! can hand the bureau its archive as of any date, or burn it with `dashi disc`. The
//! first version is the sealed application itself: it is zipped as it is, giving back
//! the original zip byte for byte. A later version becomes a new bag whose payload is
//! that version's whole state (the application bag inside it, still verifiable), dated
//! the day the version was made and naming the version and its inventory digest.

use std::path::Path;

use super::{Archive, ArchiveError};
use crate::data::dates::Date;
use crate::progress::Progress;
use crate::seal::bag::{self, BagFile, BagSpec, Content};
use crate::verify::ocfl::APPLICATION_DIR;

/// The tag file of an export that holds the exported version's inventory.
pub const INVENTORY_TAG: &str = "dashi-inventory.json";

/// What an export wrote.
#[derive(Debug, Clone)]
pub struct Exported {
    pub version: String,
    pub files: usize,
    pub seal: String,
}

/// Writes version `n` of `archive` to the zip `dest`.
pub fn export(
    archive: &Archive,
    n: u32,
    dest: &Path,
    progress: &dyn Progress,
) -> Result<Exported, ArchiveError> {
    let Some((name, version)) = archive.inventory.version(n) else {
        return Err(ArchiveError::NoVersion(format!("v{n}")));
    };
    let state = archive.inventory.state(n);
    let prefix = format!("{APPLICATION_DIR}/");
    let only_application = !state.is_empty() && state.keys().all(|p| p.starts_with(&prefix));
    let stored = |logical: &str| -> Result<(Content, u64), ArchiveError> {
        let path = archive
            .stored(n, logical)
            .ok_or_else(|| ArchiveError::NoVersion(name.clone()))?;
        let size = std::fs::metadata(&path)
            .map_err(ArchiveError::io(&path))?
            .len();
        Ok((Content::Disk(path), size))
    };
    if only_application && state.contains_key(&format!("{prefix}bagit.txt")) {
        // The sealed application, as it was sealed.
        let mut files = Vec::new();
        for logical in state.keys() {
            let (content, size) = stored(logical)?;
            files.push(BagFile {
                path: logical[prefix.len()..].to_string(),
                content,
                size,
            });
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        return as_sealed(files, name, &version.created, dest, progress);
    }
    let app = archive.application();
    let studio = app
        .as_ref()
        .map(|a| a.studio.name.trim().to_string())
        .unwrap_or_else(|| "工作室档案".into());
    let mut payload = Vec::new();
    for logical in state.keys() {
        let (content, _) = stored(logical)?;
        payload.push((format!("data/{logical}"), content));
    }
    // The version's own inventory travels as a tag file: whoever receives the export
    // can recompute its digest (the one reports print) and check every payload file
    // against it (`crate::ledger::received`).
    let inventory_path = archive.root.join(&name).join("inventory.json");
    let inventory = std::fs::read(&inventory_path).map_err(ArchiveError::io(&inventory_path))?;
    let digest = super::inventory::hex(&<sha2::Sha512 as sha2::Digest>::digest(&inventory));
    let date = created_date(&version.created);
    let mut info = vec![
        (
            "Source-Organization".to_string(),
            app.as_ref()
                .map(|a| a.unit.name.trim().to_string())
                .unwrap_or_default(),
        ),
        ("External-Identifier".into(), studio.clone()),
        ("Bagging-Date".into(), date.to_string()),
        ("Dashi-Archive-Id".into(), archive.inventory.id.clone()),
        ("Dashi-Archive-Version".into(), name.clone()),
        ("Dashi-Archive-Inventory-Digest".into(), digest),
    ];
    info.retain(|(_, v)| !v.is_empty());
    let sealed = bag::seal(
        BagSpec {
            name: crate::portable::portable(&format!("{studio}-{name}"), "工作室档案"),
            payload,
            info,
            known: Default::default(),
            tags: vec![(INVENTORY_TAG.to_string(), inventory)],
        },
        &crate::seal::folder::agent(),
        progress,
    )?;
    crate::seal::zip::write(&sealed.name, &sealed.files, dest, date, progress)?;
    progress.finish();
    Ok(Exported {
        version: name,
        files: sealed.files.len(),
        seal: sealed.seal.to_string(),
    })
}

/// The sealed application bag of v1, zipped as it was sealed: the same files, the same
/// seal.
fn as_sealed(
    files: Vec<BagFile>,
    name: String,
    created: &str,
    dest: &Path,
    progress: &dyn Progress,
) -> Result<Exported, ArchiveError> {
    let info = read_info(&files);
    let bag_name = info("External-Identifier").unwrap_or_else(|| "申报材料".into());
    let date = info("Bagging-Date")
        .and_then(|d| Date::parse(&d))
        .unwrap_or_else(|| created_date(created));
    progress.start(files.iter().map(|f| f.size).sum());
    crate::seal::zip::write(&bag_name, &files, dest, date, progress)?;
    progress.finish();
    let seal = files
        .iter()
        .find(|f| f.path == "tagmanifest-sha256.txt")
        .and_then(|f| match &f.content {
            Content::Disk(p) => crate::seal::digest::sha256_file(p).ok(),
            Content::Memory(_) => None,
        })
        .map(|(d, _)| d.to_string())
        .unwrap_or_default();
    Ok(Exported {
        version: name,
        files: files.len(),
        seal,
    })
}

/// The day of an RFC 3339 time.
fn created_date(created: &str) -> Date {
    Date::parse(created.get(..10).unwrap_or("")).unwrap_or(Date {
        year: 1970,
        month: 1,
        day: 1,
    })
}

/// A reader of the bag-info.txt among `files`.
fn read_info(files: &[BagFile]) -> impl Fn(&str) -> Option<String> + use<> {
    let text = files
        .iter()
        .find(|f| f.path == "bag-info.txt")
        .and_then(|f| match &f.content {
            Content::Disk(p) => std::fs::read_to_string(p).ok(),
            Content::Memory(b) => String::from_utf8(b.to_vec()).ok(),
        })
        .unwrap_or_default();
    move |key: &str| {
        text.lines().find_map(|l| {
            l.strip_prefix(&format!("{key}: "))
                .map(|v| v.trim().to_string())
        })
    }
}
