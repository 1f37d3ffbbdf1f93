//! 归档 as the archive room sees it (DA/T 22-2015 5.1–5.4): before the pending head
//! becomes a version, every 件 of it is described — a new 件 gets its 档号 (件号 in date
//! order within 年度 and 保管期限, after the highest given, never reused), each new
//! record its 记录单 with the 归档章, and a 件 that gained files (a correction, a
//! major-event report) its description again, keeping its 档号.

use std::collections::{BTreeMap, BTreeSet};

use super::formats::{self, Kind};
use super::item::{self, APPLICATION_ID, Item, ItemFile};
use super::settings::{self, Retention};
use crate::archive::version::{Commit, Committed, NewFile};
use crate::archive::{Archive, ArchiveError, RECORDS_DIR, head};
use crate::data::dates::Date;
use crate::data::record::{Record, RecordKind};

/// The file name of a record's sheet in its folder.
pub const SHEET: &str = "记录单.pdf";

/// The 归档章 (DA/T 22-2015 5.4, 附录 A): what goes in its six cells.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Stamp {
    pub code: String,
    pub fonds: String,
    pub year: u32,
    pub retention: String,
    pub number: String,
    pub unit: String,
    pub pages: u32,
}

impl Stamp {
    pub fn of(item: &Item) -> Stamp {
        Stamp {
            code: item.archival_code.clone(),
            fonds: item.fonds.clone(),
            year: item.year,
            retention: item.retention.words().to_string(),
            number: format!("{:04}", item.number),
            unit: item.unit.clone(),
            pages: item.pages,
        }
    }
}

/// Makes a record's 记录单 (its PDF sheet) carrying the 归档章.
pub trait Sheets {
    fn sheet(&self, record: &Record, stamp: &Stamp) -> Result<Vec<u8>, String>;
}

/// Files the pending head (归档): describes its 件 first (numbering the new ones), then
/// makes the version. Also files an archive with nothing pending whose 件 are not all
/// described yet (one made before 档号 existed). `None` when there was nothing to do.
/// The caller holds the lock and has run `repair`.
pub fn file(
    archive: &mut Archive,
    message: Option<&str>,
    created: String,
    sheets: Option<&dyn Sheets>,
) -> Result<Option<Committed>, ArchiveError> {
    let (files, described) = describe(archive, sheets, &created)?;
    if !files.is_empty() {
        let user = super::settings::operator(archive, None);
        let numbered = described.len();
        head::revise(
            archive,
            Commit {
                message: format!("归档：著录 {numbered} 件（档号、页数、归档章）"),
                user,
                created: created.clone(),
                files,
                removed: Vec::new(),
            },
        )?;
    }
    head::commit(archive, message, created)
}

/// Files what is pending (归档), under the archive's lock after repairing an
/// interrupted change: `dashi archive commit`, and what export and reports do first.
/// With a renderer, new records get their 记录单. Returns what repair did and the
/// version made, if anything was filed.
pub fn file_pending(
    root: &std::path::Path,
    message: Option<&str>,
    created: String,
    wait: std::time::Duration,
    renderer: Option<&crate::typeset::Renderer>,
) -> Result<(crate::archive::version::Repaired, Option<Committed>), ArchiveError> {
    if !root.join("inventory.json").is_file() {
        return Err(ArchiveError::NotAnArchive(root.to_path_buf()));
    }
    let _lock = crate::archive::lock::Lock::acquire(root, wait)?;
    let repaired = crate::archive::version::repair(root)?;
    let mut archive = Archive::open(root)?;
    refuse_damage(&archive)?;
    let today = created_day(&created).unwrap_or_else(Date::today);
    let maker =
        renderer.and_then(|r| super::print::SheetMaker::new(r, archive.application(), today));
    let committed = file(
        &mut archive,
        message,
        created,
        maker.as_ref().map(|m| m as &dyn Sheets),
    )?;
    Ok((repaired, committed))
}

/// What is missing or cut in the archive: every file its inventories name is there,
/// and each described file has the size its 件's description records (a look at each
/// file, no hashing: cheap enough to run before every change).
pub fn damage(archive: &Archive) -> Vec<String> {
    let mut out = archive.missing();
    let n = archive.inventory.head_number();
    for i in super::catalogue::items(archive) {
        for f in &i.files {
            let Some(path) = archive.stored(n, &f.path) else {
                continue;
            };
            match std::fs::metadata(&path) {
                Ok(m) if m.len() != f.bytes => out.push(format!(
                    "{}：{} 字节，著录为 {} 字节",
                    f.path,
                    m.len(),
                    f.bytes
                )),
                _ => {}
            }
        }
    }
    out
}

/// Refuses to build on a damaged archive.
pub fn refuse_damage(archive: &Archive) -> Result<(), ArchiveError> {
    let damage = damage(archive);
    if damage.is_empty() {
        Ok(())
    } else {
        Err(ArchiveError::Damaged(damage))
    }
}

/// A group of files that is one 件, before it is described.
struct Group {
    id: String,
    kind: String,
    date: Date,
    title: String,
    author: String,
    /// Logical paths with their sha512.
    files: BTreeMap<String, String>,
    /// Records in it, oldest first, with their folders.
    records: Vec<(Record, String)>,
}

/// The files to add before filing — the settings (first time), new sheets, the
/// descriptions of each 年度 with a new or changed 件 — and the ids of those 件. Empty
/// when every 件 is described as it is.
pub fn describe(
    archive: &Archive,
    sheets: Option<&dyn Sheets>,
    created: &str,
) -> Result<(Vec<NewFile>, Vec<String>), ArchiveError> {
    let inventory = archive.current();
    let n = inventory.head_number();
    let state = inventory.state(n);
    let version = inventory.head.clone();
    let app = archive.application();
    let read =
        |logical: &str| -> Option<Vec<u8>> { std::fs::read(archive.stored(n, logical)?).ok() };
    let mut out = Vec::new();
    let settings = match settings::stored_in(archive, inventory) {
        Some(s) => s,
        None => {
            let s = settings::defaults_of(archive);
            out.push(NewFile::from_bytes(
                settings::LOGICAL.into(),
                s.to_toml().into_bytes(),
            ));
            s
        }
    };
    let existing: BTreeMap<String, Item> = state
        .keys()
        .filter(|p| crate::archive::replaceable(p) && p.starts_with(item::DIR))
        .filter_map(|p| item::parse(&read(p)?))
        .flatten()
        .map(|i| (i.id.clone(), i))
        .collect();
    let mut changed: Vec<Item> = Vec::new();
    let today = created_day(created);
    let groups = groups(&state, archive, app.as_ref(), today);
    // Highest 件号 given in each 年度 and 保管期限.
    let mut highest: BTreeMap<(u32, Retention), u32> = BTreeMap::new();
    for i in existing.values() {
        let h = highest.entry((i.year, i.retention)).or_default();
        *h = (*h).max(i.number);
    }
    let mut new_groups: Vec<&Group> = groups
        .iter()
        .filter(|g| !existing.contains_key(&g.id))
        .collect();
    new_groups.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    let mut numbered: BTreeMap<String, (u32, Retention, u32)> = BTreeMap::new();
    for g in new_groups {
        let retention = settings.retention_of(&g.kind);
        let year = g.date.year;
        let h = highest.entry((year, retention)).or_default();
        *h += 1;
        numbered.insert(g.id.clone(), (year, retention, *h));
    }
    for g in &groups {
        let before = existing.get(&g.id);
        let mut item = match (before, numbered.get(&g.id)) {
            (Some(old), _) => old.clone(),
            (None, Some(&(year, retention, number))) => Item {
                archival_code: item::archival_code(
                    &settings.fonds,
                    &settings.category,
                    year,
                    retention,
                    &settings.unit,
                    number,
                ),
                fonds: settings.fonds.clone(),
                category: settings.category.clone(),
                year,
                retention,
                unit: settings.unit.clone(),
                number,
                id: g.id.clone(),
                kind: g.kind.clone(),
                title: String::new(),
                author: String::new(),
                date: String::new(),
                reference: String::new(),
                classification: String::new(),
                pages: 0,
                remarks: String::new(),
                records: Vec::new(),
                filed_in: version.clone(),
                files: Vec::new(),
            },
            (None, None) => unreachable!("every new group was numbered"),
        };
        // Sheets of records that have none yet.
        let mut files = g.files.clone();
        let mut made: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        let lacking: Vec<&(Record, String)> = match sheets {
            Some(_) => g
                .records
                .iter()
                .filter(|(_, folder)| !files.contains_key(&format!("{folder}/{SHEET}")))
                .collect(),
            None => Vec::new(),
        };
        // A 全宗号 given (or changed) reaches every 件, so no volume mixes codes; a
        // change of one already given is noted in the 件's 备注.
        let refonded = !settings.fonds.is_empty() && item.fonds != settings.fonds;
        if refonded {
            if !item.fonds.is_empty() {
                let note = format!(
                    "全宗号由 {} 更改为 {}（{}）",
                    item.fonds,
                    settings.fonds,
                    today.map_or_else(String::new, |d| d.to_string())
                );
                item.remarks = joined_remarks(&item.remarks, &note);
            }
            item.fonds = settings.fonds.clone();
            item.archival_code = item::archival_code(
                &item.fonds,
                &item.category,
                item.year,
                item.retention,
                &item.unit,
                item.number,
            );
        }
        let unchanged = before.is_some_and(|old| {
            old.files.len() == files.len()
                && old
                    .files
                    .iter()
                    .all(|f| files.get(&f.path) == Some(&f.sha512))
        });
        if unchanged && lacking.is_empty() {
            if refonded {
                changed.push(item);
            }
            continue;
        }
        let mut described = describe_files(archive, n, &files, &made, g);
        if let Some(sheets) = sheets.filter(|_| !lacking.is_empty()) {
            // Each sheet is stamped with the 件's 页数, its own pages included: laid out
            // once assuming one page each, again if a sheet runs longer.
            let others: u32 = described.iter().map(|f| f.pages).sum();
            let mut total = others + lacking.len() as u32;
            for _ in 0..2 {
                fill(&mut item, g, &described);
                item.pages = total;
                made.clear();
                for (record, folder) in &lacking {
                    let bytes = sheets
                        .sheet(record, &Stamp::of(&item))
                        .map_err(ArchiveError::Sheet)?;
                    made.insert(format!("{folder}/{SHEET}"), bytes);
                }
                let sheet_pages: u32 = made
                    .values()
                    .map(|b| formats::pdf_facts(b).map_or(1, |(p, _)| p))
                    .sum();
                if others + sheet_pages == total {
                    break;
                }
                total = others + sheet_pages;
            }
            for (logical, bytes) in &made {
                let file = NewFile::from_bytes(logical.clone(), bytes.clone());
                files.insert(logical.clone(), file.sha512.clone());
                out.push(file);
            }
            described = describe_files(archive, n, &files, &made, g);
        }
        fill(&mut item, g, &described);
        item.files = described;
        changed.push(item);
    }
    // Each 年度 with a changed 件 is written again whole.
    let years: BTreeSet<u32> = changed.iter().map(|i| i.year).collect();
    for year in years {
        let mut of_year: BTreeMap<&str, &Item> = existing
            .values()
            .filter(|i| i.year == year)
            .map(|i| (i.id.as_str(), i))
            .collect();
        for i in changed.iter().filter(|i| i.year == year) {
            of_year.insert(&i.id, i);
        }
        let items: Vec<Item> = of_year.into_values().cloned().collect();
        out.push(NewFile::from_bytes(
            item::logical(year),
            item::to_json(year, &items),
        ));
    }
    Ok((out, changed.into_iter().map(|i| i.id).collect()))
}

/// The day of an OCFL `created` time (already China time).
fn created_day(created: &str) -> Option<Date> {
    Date::parse(created.get(..10)?)
}

/// Fills the catalogue columns of a 件 from its group and files.
fn fill(item: &mut Item, g: &Group, files: &[ItemFile]) {
    item.title = g.title.clone();
    item.author = g.author.clone();
    if item.date.is_empty() {
        item.date = format!("{:04}{:02}{:02}", g.date.year, g.date.month, g.date.day);
    }
    item.pages = files.iter().map(|f| f.pages).sum();
    item.records = g
        .records
        .iter()
        .map(|(r, _)| r.id.trim().to_string())
        .collect();
    // Changes of the 全宗号 stay noted whatever else changes.
    let mut remarks: Vec<String> = item
        .remarks
        .split('；')
        .filter(|r| r.starts_with("全宗号由"))
        .map(str::to_string)
        .collect();
    // The application's images are scans inside its evidence volume, not photos.
    let photos = files
        .iter()
        .filter(|f| f.pages == 0 && matches!(f.format.as_str(), "JPEG" | "PNG" | "TIFF"))
        .count()
        * usize::from(g.id != APPLICATION_ID);
    if photos > 0 {
        remarks.push(format!("照片 {photos} 张"));
    }
    let videos = files.iter().filter(|f| f.format == "MP4").count();
    if videos > 0 {
        remarks.push(format!("视频 {videos} 段"));
    }
    if files.iter().any(|f| {
        f.path
            .ends_with(crate::render::Doc::MAJOR_EVENT.file_name())
    }) {
        remarks.push("含重大事项报告".into());
    }
    for (record, _) in g.records.iter().skip(1) {
        if let Some(target) = &record.corrects {
            let removes = if record.removes.is_empty() {
                String::new()
            } else {
                format!("，移出 {}", record.removes.join("、"))
            };
            remarks.push(format!(
                "{} 更正 {}（{}）{removes}",
                record.id.trim(),
                target.trim(),
                record.date.chinese()
            ));
        }
    }
    item.remarks = remarks.join("；");
}

/// `remarks` with `note` added.
fn joined_remarks(remarks: &str, note: &str) -> String {
    if remarks.is_empty() {
        note.to_string()
    } else {
        format!("{remarks}；{note}")
    }
}

fn head(bytes: &[u8]) -> &[u8] {
    &bytes[..bytes.len().min(4096)]
}

/// A stored file's size and format, and its bytes when it is a PDF.
fn stored_facts(path: &std::path::Path) -> std::io::Result<(u64, Kind, Option<Vec<u8>>)> {
    let head = formats::head_of(path)?;
    let kind = formats::identify_in(&head, std::fs::File::open(path)?);
    let size = std::fs::metadata(path)?.len();
    let pdf = match kind {
        Kind::Pdf => Some(std::fs::read(path)?),
        _ => None,
    };
    Ok((size, kind, pdf))
}

/// Each file of a group described: size, format, pages. `made` holds files not yet
/// stored (new sheets).
fn describe_files(
    archive: &Archive,
    n: u32,
    files: &BTreeMap<String, String>,
    made: &BTreeMap<String, Vec<u8>>,
    g: &Group,
) -> Vec<ItemFile> {
    files
        .iter()
        .map(|(path, sha512)| {
            // Only a PDF is read whole (its pages are counted); any other file by its
            // head, so a long video is never held in memory.
            let (size, kind, pdf) = match made.get(path) {
                Some(b) => {
                    let kind = formats::identify_in(head(b), std::io::Cursor::new(b));
                    (b.len() as u64, kind, (kind == Kind::Pdf).then(|| b.clone()))
                }
                None => archive
                    .stored(n, path)
                    .and_then(|p| stored_facts(&p).ok())
                    .unwrap_or((0, Kind::Other, None)),
            };
            let (pages, pdfa) = match &pdf {
                Some(bytes) => formats::pdf_facts(bytes).unwrap_or((0, false)),
                None => (0, false),
            };
            let pages = counted_pages(path, kind, pages, g);
            ItemFile {
                path: path.clone(),
                bytes: size,
                format: formats::format_name(kind, pdfa).to_string(),
                pages,
                sha512: sha512.clone(),
            }
        })
        .collect()
}

/// The pages a file adds to its 件's 页数 (DA/T 22-2015 5.5: pages with image or text):
/// a PDF's pages (of the application, only its documents, not the print guide); a
/// scanned page is one; photos and videos of an activity are counted in 备注 instead.
fn counted_pages(path: &str, kind: Kind, pdf_pages: u32, g: &Group) -> u32 {
    if g.id == APPLICATION_ID {
        let document = path.starts_with("申报/data/申报材料/")
            && !path.ends_with(crate::render::Doc::PRINT_GUIDE.file_name());
        return if kind == Kind::Pdf && document {
            pdf_pages
        } else {
            0
        };
    }
    match kind {
        Kind::Pdf => pdf_pages,
        k if k.is_image() => u32::from(g.kind != RecordKind::Activity.label()),
        _ => 0,
    }
}

/// The 件 of a version's state: the application, each record with its corrections,
/// each report.
fn groups(
    state: &BTreeMap<String, String>,
    archive: &Archive,
    app: Option<&crate::data::model::Application>,
    today: Option<Date>,
) -> Vec<Group> {
    let n = archive.current().head_number();
    let studio = app.map_or_else(String::new, |a| a.studio.name.trim().to_string());
    let mut out = Vec::new();
    let application: BTreeMap<String, String> = state
        .iter()
        .filter(|(p, _)| p.starts_with(&format!("{}/", crate::verify::ocfl::APPLICATION_DIR)))
        .map(|(p, d)| (p.clone(), d.clone()))
        .collect();
    if !application.is_empty() {
        let first = archive
            .inventory
            .version(1)
            .and_then(|(_, v)| created_day(&v.created));
        out.push(Group {
            id: APPLICATION_ID.into(),
            kind: settings::APPLICATION.into(),
            date: app
                .map(|a| a.filled_on)
                .or(first)
                .or(today)
                .unwrap_or(Date {
                    year: 2000,
                    month: 1,
                    day: 1,
                }),
            title: format!("{studio}建设项目申报材料"),
            author: app.map_or_else(String::new, |a| a.unit.name.trim().to_string()),
            files: application,
            records: Vec::new(),
        });
    }
    // Records, each with its corrections.
    let mut records: BTreeMap<String, (Record, String)> = BTreeMap::new();
    for path in state
        .keys()
        .filter(|p| crate::archive::log::is_record_path(p))
    {
        let Some(text) = archive
            .stored(n, path)
            .and_then(|p| std::fs::read_to_string(p).ok())
        else {
            continue;
        };
        if let Ok(record) = toml::from_str::<Record>(&text) {
            let folder = path.trim_end_matches(".toml").to_string();
            records.insert(record.id.trim().to_string(), (record, folder));
        }
    }
    let root_of = |id: &str| {
        let mut id = id.to_string();
        let mut seen = BTreeSet::new();
        while let Some(target) = records
            .get(&id)
            .and_then(|(r, _)| r.corrects.as_ref())
            .map(|t| t.trim().to_string())
            .filter(|t| records.contains_key(t))
        {
            if !seen.insert(id.clone()) {
                break;
            }
            id = target;
        }
        id
    };
    let mut chains: BTreeMap<String, Vec<(Record, String)>> = BTreeMap::new();
    for (id, entry) in &records {
        chains.entry(root_of(id)).or_default().push(entry.clone());
    }
    for (root, mut chain) in chains {
        chain.sort_by(|a, b| {
            (a.0.id.trim() != root, a.0.date, a.0.id.trim()).cmp(&(
                b.0.id.trim() != root,
                b.0.date,
                b.0.id.trim(),
            ))
        });
        let files = state
            .iter()
            .filter(|(p, _)| {
                chain.iter().any(|(_, folder)| {
                    *p == &format!("{folder}.toml") || p.starts_with(&format!("{folder}/"))
                })
            })
            .map(|(p, d)| (p.clone(), d.clone()))
            .collect();
        let (first, _) = &chain[0];
        let (last, _) = &chain[chain.len() - 1];
        out.push(Group {
            id: root.clone(),
            kind: first.kind.label().to_string(),
            date: first.date,
            title: last.title.trim().to_string(),
            author: studio.clone(),
            files,
            records: chain,
        });
    }
    // Reports: one 件 per folder under 报告/.
    let mut reports: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (p, d) in state {
        if let Some(rest) = p.strip_prefix("报告/")
            && let Some((folder, _)) = rest.split_once('/')
        {
            reports
                .entry(folder.to_string())
                .or_default()
                .insert(p.clone(), d.clone());
        }
    }
    for (folder, files) in reports {
        let title = if folder.starts_with("验收") {
            crate::render::Doc::ACCEPTANCE.title()
        } else {
            crate::render::Doc::EVALUATION.title()
        };
        out.push(Group {
            id: folder.clone(),
            kind: settings::REPORTS.into(),
            date: today.unwrap_or(Date {
                year: 2000,
                month: 1,
                day: 1,
            }),
            title: format!("{studio}{title}（{folder}）"),
            author: studio.clone(),
            files,
            records: Vec::new(),
        });
    }
    out
}

/// A record's folder in the archive: `记录/<类别>/<编号>`.
pub fn record_folder(record: &Record) -> String {
    format!("{RECORDS_DIR}/{}/{}", record.kind.label(), record.id.trim())
}
