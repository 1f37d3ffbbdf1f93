//! The 四性检测 run: what the validator, the 件 descriptions and the files show, read
//! once (`Seen`), then the items of each property (`authenticity`, `integrity`,
//! `usability`, `security`) and the report.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::files::{self, Opened};
use super::package::Package;
use super::report::{Check, FourError, Outcome, Property};
use crate::archive::Archive;
use crate::progress::Progress;
use crate::room::{catalogue, item, settings};
use crate::verify::ocfl::{self, Code};

/// The faults an item lists in full; more are counted.
pub(super) const SHOWN: usize = 30;

/// One item: its property, name and method.
pub(super) fn item(
    property: Property,
    name: &str,
    method: &str,
    faults: Vec<String>,
    note: String,
) -> Check {
    let outcome = if faults.is_empty() {
        Outcome::Pass
    } else {
        Outcome::Fail
    };
    Check {
        faults,
        ..without_faults(property, name, method, outcome, note)
    }
}

pub(super) fn not_applicable(property: Property, name: &str, method: &str, why: &str) -> Check {
    without_faults(property, name, method, Outcome::NotApplicable, why.into())
}

/// An item judged without a list of faults: not applicable, left unverified, not
/// checked for want of a program, or left to a person.
pub(super) fn without_faults(
    property: Property,
    name: &str,
    method: &str,
    outcome: Outcome,
    note: String,
) -> Check {
    Check {
        number: String::new(),
        property,
        item: name.into(),
        method: method.into(),
        outcome,
        note,
        faults: Vec::new(),
    }
}

/// The note of an item: `ok` when it passed, else how many faults.
pub(super) fn note(faults: &[String], ok: String, what: &str) -> String {
    if faults.is_empty() {
        ok
    } else {
        format!("{} 处{what}", faults.len())
    }
}

/// Where each logical path belongs: the 件 that lists it.
pub(super) struct Owners(BTreeMap<String, String>);

impl Owners {
    fn of(items: &[item::Item]) -> Owners {
        let mut map = BTreeMap::new();
        for i in items {
            let label = format!("件 {}（{}）", i.archival_code, i.id);
            for f in &i.files {
                map.insert(f.path.clone(), label.clone());
            }
        }
        Owners(map)
    }

    /// "件 …（…）：path" or the path alone.
    pub(super) fn name(&self, logical: &str) -> String {
        match self.0.get(logical) {
            Some(owner) => format!("{owner}：{logical}"),
            None => logical.to_string(),
        }
    }
}

/// What every item reads: the validator's report, the filed archive, its 件
/// descriptions and settings, each file as opened, and the validator's findings sorted
/// by what they mean for the four properties.
pub(super) struct Seen<'a> {
    pub package: &'a Package,
    pub object: ocfl::ObjectReport,
    /// The archive as filed (pending records set aside).
    pub archive: Archive,
    pub items: Vec<item::Item>,
    pub settings: settings::Settings,
    /// The newest filed version and its state.
    pub n: u32,
    pub state: BTreeMap<String, String>,
    pub owners: Owners,
    pub opened: BTreeMap<String, Opened>,
    /// Files whose bytes differ from their fixed digests.
    pub changed: Vec<String>,
    /// Files the inventories list that are not there.
    pub missing: Vec<String>,
    /// Files and folders no inventory lists.
    pub extra: Vec<String>,
    /// Every other structural finding of the validator.
    pub structure: Vec<String>,
    /// The time of the check (Unix seconds).
    pub now: i64,
}

/// Reads what every item judges: the validator's report of the package's archive, the
/// archive as filed, and each of its files opened; with a note of what is pending.
pub(super) fn seen<'a>(
    package: &'a Package,
    now: i64,
    progress: &dyn Progress,
) -> Result<(Seen<'a>, Option<String>), FourError> {
    let root = &package.root;
    let object = ocfl::verify_object(root, package.expect_version.as_deref(), progress);
    // A damaged root inventory is a finding, not the end: the newest version's own
    // copy stands in, and the structure item names what is missing.
    let (mut archive, stand_in) = match Archive::open(root) {
        Ok(archive) => (archive, None),
        Err(e) => match Archive::open_damaged(root) {
            Some((archive, copy)) => (archive, Some(format!("{e}；本次检测按 {copy} 进行"))),
            None => {
                return Err(FourError::Read {
                    path: root.clone(),
                    detail: e.to_string(),
                });
            }
        },
    };
    // Only what is filed (归档) is checked; pending records are not archives yet.
    let pending = archive.head.take().map(|h| {
        format!(
            "另有预归档（尚未归档）的 {}，不在本次检测范围内；归档后再检测",
            h.version()
        )
    });
    let items = catalogue::items(&archive);
    let settings = catalogue::settings_of(&archive);
    let n = archive.inventory.head_number();
    let state = archive.inventory.state(n);
    let owners = Owners::of(&items);
    // Content path → logical paths of the newest version (for naming what the
    // validator found).
    let mut logical_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut by_digest: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (logical, digest) in &state {
        by_digest.entry(digest).or_default().push(logical);
    }
    for (digest, paths) in &archive.inventory.manifest {
        for content in paths {
            let names = by_digest
                .get(digest.as_str())
                .map(|v| v.iter().map(|s| s.to_string()).collect())
                .unwrap_or_default();
            logical_of.insert(content.clone(), names);
        }
    }
    let name_content = |content: &str| -> String {
        match logical_of.get(content).filter(|v| !v.is_empty()) {
            Some(names) => format!("{}（存储为 {content}）", owners.name(&names[0])),
            None => content.to_string(),
        }
    };
    let opened: BTreeMap<String, Opened> = state
        .keys()
        .collect::<Vec<_>>()
        .par_iter()
        .map(|logical| {
            let opened = match archive.stored(n, logical) {
                Some(path) if path.is_file() => files::open(&path, logical),
                _ => Opened {
                    broken: Some("文件不存在".into()),
                    ..Opened::default()
                },
            };
            ((*logical).clone(), opened)
        })
        .collect();

    // The validator's findings, by what they mean here.
    let problems: Vec<&ocfl::Finding> = object.problems.iter().filter(|p| p.error).collect();
    let on_disk = |p: &ocfl::Finding| p.path.as_deref().is_some_and(|c| root.join(c).is_file());
    let named = |p: &&ocfl::Finding| {
        format!(
            "{}：{}",
            name_content(p.path.as_deref().unwrap_or("")),
            p.message
        )
    };
    let changed: Vec<String> = problems
        .iter()
        .filter(|p| (p.code == Code::E092 && on_disk(p)) || p.code == Code::E093)
        .map(named)
        .collect();
    let missing: Vec<String> = problems
        .iter()
        .filter(|p| p.code == Code::E092 && !on_disk(p) && p.path.is_some())
        .map(named)
        .collect();
    let extra_codes = [Code::E001, Code::E015, Code::E023, Code::E024];
    let extra: Vec<String> = problems
        .iter()
        .filter(|p| extra_codes.contains(&p.code))
        .map(|p| format!("{}：{}", p.path.as_deref().unwrap_or(""), p.message))
        .collect();
    let mut structure: Vec<String> = problems
        .iter()
        .filter(|p| !extra_codes.contains(&p.code) && !matches!(p.code, Code::E092 | Code::E093))
        .map(|p| {
            format!(
                "[{}] {}{}",
                p.code.id(),
                p.path
                    .as_deref()
                    .map(|c| format!("{c}："))
                    .unwrap_or_default(),
                p.message
            )
        })
        .collect();

    structure.extend(stand_in);
    let seen = Seen {
        package,
        object,
        archive,
        items,
        settings,
        n,
        state,
        owners,
        opened,
        changed,
        missing,
        extra,
        structure,
        now,
    };
    Ok((seen, pending))
}

impl Seen<'_> {
    /// Each file `pick` finds fault with: "件 …（…）：path：why".
    pub(super) fn files_where(&self, pick: &dyn Fn(&Opened) -> Option<String>) -> Vec<String> {
        self.opened
            .iter()
            .filter_map(|(logical, o)| {
                pick(o).map(|why| format!("{}：{why}", self.owners.name(logical)))
            })
            .collect()
    }

    /// How many PDFs declare PDF/A, and how many do not.
    pub(super) fn pdfs(&self) -> (usize, usize) {
        let count = |a: bool| {
            self.opened
                .values()
                .filter(|o| o.pdf.as_ref().is_some_and(|(_, pdfa)| pdfa.is_some() == a))
                .count()
        };
        (count(true), count(false))
    }

    /// The PDF/A parts and conformances the PDFs declare, as "PDF/A-2b".
    pub(super) fn declared_pdfa(&self) -> Vec<String> {
        let mut parts: Vec<String> = self
            .opened
            .values()
            .filter_map(|o| o.pdf.as_ref()?.1.as_ref())
            .map(|p| format!("PDF/A-{}", p.to_lowercase()))
            .collect();
        parts.sort();
        parts.dedup();
        parts
    }
}
