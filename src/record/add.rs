//! `dashi record add ARCHIVE RECORD.toml…`: checks the records and every file they name
//! (on their own, then against the archive: ids not yet used, records corrected or
//! referred to that exist, every character printable), then writes one new version
//! holding the records and their new files — a file the archive already holds is
//! referenced, not stored again. A record with a 错误 is refused and nothing is
//! written. A 重大活动 or 重大成果 also gets its report to the bureau, which names the
//! version holding the record and that version's inventory digest; as that digest
//! exists only once the version is written, the reports are the next version.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::report::{EventReport, event_report};
use super::{Checked, check_file};
use crate::archive::head::{self, Revised};
use crate::archive::inventory::{User, created};
use crate::archive::lock::Lock;
use crate::archive::version::{self, Commit, Committed, NewFile, Repaired};
use crate::archive::{Archive, ArchiveError};
use crate::data::dates::{Date, Quarter};
use crate::data::load::{Document, LoadError};
use crate::data::model::Application;
use crate::data::record::shows_of;
use crate::data::record::{MemberChangeKind, Record, RecordKind};
use crate::finding::{Code, Finding};
use crate::render::Doc;
use crate::room::filing::{self, Sheets, Stamp, record_folder};
use crate::room::print::SheetMaker;
use crate::typeset::coverage::FontPlan;
use crate::typeset::{Renderer, TypesetError};

/// When and by whom the records are added.
pub struct AddOptions<'a> {
    pub today: Date,
    /// Unix seconds of the add (the versions' `created`).
    pub now: i64,
    /// Who adds; by default the user of the newest version.
    pub user: Option<User>,
    pub renderer: &'a Renderer,
    /// How long to wait for an archive another dashi is using.
    pub lock_wait: std::time::Duration,
}

/// Why records were not added; the archive is unchanged in every case.
#[derive(Debug, thiserror::Error)]
pub enum AddError {
    /// A record file could not be read or parsed at all.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// Records have 错误 (shown with their findings).
    #[error("记录有错误，未加入档案")]
    Findings(Vec<(Document, Vec<Finding>)>),
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// A report could not be typeset.
    #[error(transparent)]
    Report(#[from] TypesetError),
    /// A major record needs the studio's application (in the archive's first version)
    /// for its report.
    #[error("档案第一版中没有申报数据文件，无法生成重大事项报告")]
    NoApplication,
}

impl crate::failure::Failure for AddError {
    fn hint(&self) -> Option<String> {
        match self {
            AddError::Load(e) => e.hint(),
            AddError::Archive(e) => e.hint(),
            AddError::Report(e) => e.hint(),
            AddError::Findings(_) => None,
            AddError::NoApplication => Some(
                "这个档案不是用 dashi archive init 从申报材料建立的；去掉 major = true 后再加入"
                    .into(),
            ),
        }
    }

    fn exit(&self) -> crate::failure::Exit {
        match self {
            AddError::Load(e) => e.exit(),
            AddError::Findings(_) => crate::failure::Exit::Findings,
            _ => crate::failure::Exit::Unusable,
        }
    }

    fn details(&self) -> Option<crate::failure::Details<'_>> {
        match self {
            AddError::Load(e) => e.details(),
            AddError::Findings(all) => Some(crate::failure::Details::Files(
                crate::finding::by_file(all),
                crate::finding::Blocked::Archive,
            )),
            _ => None,
        }
    }

    fn details_suffice(&self) -> bool {
        matches!(self, AddError::Findings(_))
            || matches!(self, AddError::Load(e) if crate::failure::Failure::details_suffice(e))
    }
}

/// What an add did.
#[derive(Debug)]
pub struct Added {
    /// An earlier change that was interrupted, finished or undone first.
    pub repaired: Repaired,
    /// The reports an earlier major add stopped before, made first.
    pub completed: Completed,
    pub records: Vec<Record>,
    /// The pending records filed (归档) first, because this add begins a later quarter.
    pub filed_first: Option<Committed>,
    /// Where the records went: the mutable head (预归档).
    pub revised: Revised,
    /// For major records: the version they were filed in, which their reports name;
    /// the reports' own revision; each report's archive path.
    pub reports: Option<(Committed, Revised, Vec<String>)>,
    /// The quarter of the oldest record still pending after the add: the head is filed
    /// when a record of a later quarter is added.
    pub pending_quarter: Option<Quarter>,
    /// Warnings of the records that were added.
    pub warnings: Vec<(Document, Vec<Finding>)>,
}

/// What `complete_majors` did after an add that was stopped part way.
#[derive(Debug, Default)]
pub struct Completed {
    /// The version pending major records were filed in (as their add would have).
    pub filed: Option<Committed>,
    /// Each record whose missing report was made, with the version the report names.
    pub reports: Vec<(String, String)>,
}

/// Makes the 重大事项报告 a major record of the archive lacks: an add stopped after its
/// record was written, before its report was. A major record still pending is filed
/// first, as its add would have done; each report names the version its record was
/// filed in. Takes the archive's lock.
pub fn complete_majors(root: &Path, options: &AddOptions<'_>) -> Result<Completed, AddError> {
    let _lock = Lock::acquire(root, options.lock_wait)?;
    let mut archive = Archive::open(root)?;
    complete_locked(&mut archive, options)
}

/// `complete_majors` under a lock the caller holds.
fn complete_locked(archive: &mut Archive, options: &AddOptions<'_>) -> Result<Completed, AddError> {
    let missing = majors_without_report(archive);
    if missing.is_empty() {
        return Ok(Completed::default());
    }
    let app = archive.application().ok_or(AddError::NoApplication)?;
    let mut done = Completed::default();
    let filed = |archive: &Archive, r: &Record| {
        let path = format!("{}.toml", record_folder(r));
        (1..=archive.inventory.head_number())
            .find(|n| archive.inventory.state(*n).contains_key(&path))
    };
    if missing.iter().any(|r| filed(archive, r).is_none()) {
        let maker = SheetMaker::new(options.renderer, Some(app.clone()), options.today);
        let sheets = maker.as_ref().map(|m| m as &dyn Sheets);
        done.filed = filing::file(archive, None, created(options.now), sheets)?;
    }
    let mut by_version: BTreeMap<u32, Vec<Record>> = BTreeMap::new();
    for r in missing {
        if let Some(n) = filed(archive, &r) {
            by_version.entry(n).or_default().push(r);
        }
    }
    for (n, records) in by_version {
        let Some((name, _)) = archive.inventory.version(n) else {
            continue;
        };
        let committed = Committed {
            digest: version::version_digest(&archive.root, &name).unwrap_or_default(),
            version: name.clone(),
            stored: Vec::new(),
            referenced: Vec::new(),
        };
        let attachments: BTreeMap<String, Vec<(String, String)>> = records
            .iter()
            .map(|r| {
                let folder = record_folder(r);
                let listed = r
                    .named_files()
                    .into_iter()
                    .map(|(field, file)| {
                        let base = Path::new(file.trim())
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        (format!("{folder}/{base}"), shows_of(r, &field))
                    })
                    .collect();
                (r.id.clone(), listed)
            })
            .collect();
        let user = options
            .user
            .clone()
            .unwrap_or_else(|| crate::room::settings::operator(archive, Some(&app)));
        let major = Major {
            archive,
            app: &app,
            records: &records,
            attachments: &attachments,
            committed: &committed,
            user,
        };
        major_reports(major, options)?;
        done.reports.extend(
            records
                .iter()
                .map(|r| (r.id.trim().to_string(), name.clone())),
        );
    }
    Ok(done)
}

/// Every record of the head's `state` that reads.
fn head_records(archive: &Archive, state: &BTreeMap<String, String>) -> Vec<Record> {
    let current = archive.current();
    state
        .iter()
        .filter(|(p, _)| crate::archive::log::is_record_path(p))
        .filter_map(|(_, digest)| {
            let content = current.content_of(digest)?;
            let text = std::fs::read_to_string(archive.root.join(content)).ok()?;
            toml::from_str::<Record>(&text).ok()
        })
        .collect()
}

/// The major records of the head whose 重大事项报告 is not beside them.
fn majors_without_report(archive: &Archive) -> Vec<Record> {
    let current = archive.current();
    let state = current.state(current.head_number());
    let mut found: Vec<Record> = head_records(archive, &state)
        .into_iter()
        .filter(|r| {
            r.major
                && !state.contains_key(&format!(
                    "{}/{}",
                    record_folder(r),
                    Doc::MAJOR_EVENT.file_name()
                ))
        })
        .collect();
    found.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    found
}

/// Adds the records in `files` to the archive at `root`: into the mutable head
/// (预归档), after filing what was pending when the records begin a later quarter; a
/// major record is filed at once, for its report to name a version.
pub fn add(root: &Path, files: &[PathBuf], options: &AddOptions<'_>) -> Result<Added, AddError> {
    let lock = Lock::acquire(root, options.lock_wait)?;
    let repaired = version::repair(root)?;
    let mut archive = Archive::open(root)?;
    filing::refuse_damage(&archive)?;
    // A major add stopped after its record was written gets its report first.
    let completed = complete_locked(&mut archive, options)?;
    if completed.filed.is_some() || !completed.reports.is_empty() {
        archive = Archive::open(root)?;
    }
    let app = archive.application();
    let checked = check_all(files, &archive, app.as_ref(), options)?;
    let user = options
        .user
        .clone()
        .unwrap_or_else(|| crate::room::settings::operator(&archive, app.as_ref()));
    let staged = stage(&checked)?;
    let latest = staged.records.iter().map(|r| r.date).max();
    let oldest = oldest_pending(&archive);
    let maker = SheetMaker::new(options.renderer, app.clone(), options.today);
    let sheets = maker.as_ref().map(|m| m as &dyn Sheets);
    let filed_first = match (oldest, latest) {
        (Some(oldest), Some(latest)) if Quarter::of(latest) > oldest => {
            filing::file(&mut archive, None, created(options.now), sheets)?
        }
        _ => None,
    };
    let removed = removed_by(&archive, &staged.records);
    let revised = head::revise(
        &mut archive,
        Commit {
            message: message(&staged.records),
            user: user.clone(),
            created: created(options.now),
            files: staged.files,
            removed,
        },
    )?;
    let reports = if staged.records.iter().any(|r| r.major) {
        let app = app.as_ref().ok_or(AddError::NoApplication)?;
        let filed = filing::file(&mut archive, None, created(options.now), sheets)?
            .expect("the records were just added to the head");
        let report = Major {
            archive: &mut archive,
            app,
            records: &staged.records,
            attachments: &staged.attachments,
            committed: &filed,
            user,
        };
        let (revised, paths) = major_reports(report, options)?;
        Some((filed, revised, paths))
    } else {
        None
    };
    let pending_quarter = oldest_pending(&archive);
    drop(lock);
    let warnings = checked
        .into_iter()
        .filter(|c| !c.findings.is_empty())
        .map(|c| (c.doc, c.findings))
        .collect();
    Ok(Added {
        repaired,
        completed,
        records: staged.records,
        filed_first,
        revised,
        reports,
        pending_quarter,
        warnings,
    })
}

/// The quarter of the oldest pending record.
fn oldest_pending(archive: &Archive) -> Option<Quarter> {
    crate::archive::log::pending(archive)
        .iter()
        .filter_map(|r| r.date)
        .min()
        .map(Quarter::of)
}

/// Every record file checked: its rules, against the archive, and its characters in
/// the application's fonts. Any error stops the add with every finding.
fn check_all(
    files: &[PathBuf],
    archive: &Archive,
    app: Option<&Application>,
    options: &AddOptions<'_>,
) -> Result<Vec<Checked>, AddError> {
    let mut checked: Vec<Checked> = files
        .iter()
        .map(|f| check_file(f, options.today))
        .collect::<Result<_, _>>()?;
    against_archive(archive, app, &mut checked);
    if let Some(app) = app {
        for c in &mut checked {
            if let Some(record) = &c.record {
                let value = serde_json::to_value(record).expect("a record serializes");
                let glyphs = crate::check::Glyphs::of_record(options.renderer, app, &value, &c.doc);
                c.findings.extend(glyphs);
            }
        }
    }
    if checked.iter().any(|c| c.has_errors() || c.record.is_none()) {
        return Err(AddError::Findings(
            checked.into_iter().map(|c| (c.doc, c.findings)).collect(),
        ));
    }
    Ok(checked)
}

/// The checked records as files of the new version.
struct Staged {
    files: Vec<NewFile>,
    records: Vec<Record>,
    /// Each record's attachments: logical path and what it shows.
    attachments: BTreeMap<String, Vec<(String, String)>>,
}

/// Each record's file and its attachments, under `记录/<类别>/<编号>/`.
fn stage(checked: &[Checked]) -> Result<Staged, AddError> {
    let mut staged = Staged {
        files: Vec::new(),
        records: Vec::new(),
        attachments: BTreeMap::new(),
    };
    for c in checked {
        let record = c.record.clone().expect("checked above");
        let folder = record_folder(&record);
        staged.files.push(
            NewFile::from_file(format!("{folder}.toml"), &c.doc.path)
                .map_err(ArchiveError::io(&c.doc.path))?,
        );
        let base = c.doc.base_dir();
        let mut listed = Vec::new();
        for (field, file) in record.named_files() {
            let source = base.join(file.trim());
            let name = Path::new(file.trim())
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let logical = format!("{folder}/{name}");
            staged.files.push(
                NewFile::from_file(logical.clone(), &source).map_err(ArchiveError::io(&source))?,
            );
            listed.push((logical, shows_of(&record, &field)));
        }
        staged.attachments.insert(record.id.clone(), listed);
        staged.records.push(record);
    }
    Ok(staged)
}

/// What the reports of major records need.
struct Major<'a> {
    archive: &'a mut Archive,
    app: &'a Application,
    records: &'a [Record],
    attachments: &'a BTreeMap<String, Vec<(String, String)>>,
    /// The version holding the records, which the reports name.
    committed: &'a Committed,
    user: User,
}

/// The reports of major records (第十一条 应及时报告), naming the version just written,
/// stored as one more version.
fn major_reports(
    major: Major<'_>,
    options: &AddOptions<'_>,
) -> Result<(Revised, Vec<String>), AddError> {
    let Major {
        archive,
        app,
        records,
        attachments,
        committed,
        user,
    } = major;
    let plan = FontPlan::for_application(app, &options.renderer.fonts)
        .map_err(|_| AddError::NoApplication)?;
    let studio = app.studio.name.trim().to_string();
    let mut report_files = Vec::new();
    let mut paths = Vec::new();
    let majors: Vec<&Record> = records.iter().filter(|r| r.major).collect();
    let items = crate::room::catalogue::items(archive);
    for record in &majors {
        let files = attachments[&record.id]
            .iter()
            .map(|(logical, shows)| {
                let size = archive
                    .stored(archive.inventory.head_number(), logical)
                    .and_then(|p| std::fs::metadata(p).ok())
                    .map_or(0, |m| m.len());
                (logical.clone(), shows.clone(), size)
            })
            .collect();
        let mut report = event_report(
            record,
            &studio,
            &committed.version,
            &committed.digest,
            files,
            options.today,
        );
        // The report joins its record's 件: its 归档章 counts the 件's pages with its own.
        let item = items
            .iter()
            .find(|i| i.records.iter().any(|r| r == record.id.trim()));
        report.stamp = item.map(|i| {
            let mut stamp = Stamp::of(i);
            stamp.pages += 1;
            stamp
        });
        let mut pdf = typeset_report(options, app, &plan, &report)?;
        let pages = crate::room::formats::pdf_facts(&pdf).map_or(1, |(p, _)| p);
        if let (Some(stamp), Some(item)) = (report.stamp.as_mut(), item)
            && stamp.pages != item.pages + pages
        {
            stamp.pages = item.pages + pages;
            pdf = typeset_report(options, app, &plan, &report)?;
        }
        let logical = format!("{}/{}", record_folder(record), Doc::MAJOR_EVENT.file_name());
        paths.push(logical.clone());
        report_files.push(NewFile::from_bytes(logical, pdf));
    }
    let written = head::revise(
        archive,
        Commit {
            message: format!(
                "重大事项报告（第十一条）：{}，报告 {} 中的记录",
                majors
                    .iter()
                    .map(|r| format!("{}《{}》", r.id, r.title))
                    .collect::<Vec<_>>()
                    .join("、"),
                committed.version
            ),
            user,
            created: created(options.now),
            files: report_files,
            removed: Vec::new(),
        },
    )?;
    Ok((written, paths))
}

/// The filed attachments the corrections among `records` take out of the archive
/// (`removes`), as logical paths; checked to exist before.
fn removed_by(archive: &Archive, records: &[Record]) -> Vec<String> {
    let current = archive.current();
    let state = current.state(current.head_number());
    let mut out = Vec::new();
    for r in records {
        let Some(target) = r.corrects.as_deref().map(str::trim) else {
            continue;
        };
        for name in &r.removes {
            let tail = format!("/{target}/{}", name.trim());
            out.extend(
                state
                    .keys()
                    .filter(|p| p.starts_with(crate::archive::RECORDS_DIR) && p.ends_with(&tail))
                    .cloned(),
            );
        }
    }
    out
}

/// Who is a member of the studio on `day`, by the archive: the application's master
/// and members, then each 成员 record up to that day in date order (加入 and 更换领办人
/// bring a person in, 退出 takes one out).
fn members_on(
    archive: &Archive,
    app: Option<&Application>,
    state: &BTreeMap<String, String>,
    day: Date,
) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = app
        .map(|a| {
            std::iter::once(a.master.name.trim().to_string())
                .chain(a.members.iter().map(|m| m.name.trim().to_string()))
                .collect()
        })
        .unwrap_or_default();
    let prefix = format!(
        "{}/{}/",
        crate::archive::RECORDS_DIR,
        RecordKind::Member.label()
    );
    let mut changes: Vec<Record> = state
        .iter()
        .filter(|(p, _)| p.starts_with(&prefix) && crate::archive::log::is_record_path(p))
        .filter_map(|(_, digest)| {
            let content = archive.current().content_of(digest)?;
            let text = std::fs::read_to_string(archive.root.join(content)).ok()?;
            toml::from_str::<Record>(&text).ok()
        })
        .filter(|r| r.date <= day)
        .collect();
    changes.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    for r in changes {
        let Some(m) = r.member else { continue };
        let name = m.name.trim().to_string();
        match m.change {
            MemberChangeKind::Joins | MemberChangeKind::Leader => {
                names.insert(name);
            }
            MemberChangeKind::Leaves => {
                names.remove(&name);
            }
            MemberChangeKind::Role => {}
        }
    }
    names
}

/// The apprentice's name in the 带徒 record `id` the archive holds (filed or pending).
fn apprentice_name(
    archive: &Archive,
    state: &BTreeMap<String, String>,
    id: &str,
) -> Option<String> {
    let logical = format!(
        "{}/{}/{id}.toml",
        crate::archive::RECORDS_DIR,
        RecordKind::Apprentice.label()
    );
    let content = archive.current().content_of(state.get(&logical)?)?;
    let text = std::fs::read_to_string(archive.root.join(content)).ok()?;
    let record: Record = toml::from_str(&text).ok()?;
    Some(record.apprentice?.name)
}

/// The version message: the records it adds.
fn message(records: &[Record]) -> String {
    let list: Vec<String> = records
        .iter()
        .map(|r| {
            let removes = match (&r.corrects, r.removes.is_empty()) {
                (Some(target), false) => {
                    format!("（移出 {} 的附件 {}）", target.trim(), r.removes.join("、"))
                }
                _ => String::new(),
            };
            format!("{} {}《{}》{removes}", r.kind.label(), r.id, r.title.trim())
        })
        .collect();
    if list.len() == 1 {
        format!("新增记录：{}", list[0])
    } else {
        format!("新增 {} 条记录：{}", list.len(), list.join("；"))
    }
}

/// The archive's judgement of the records: ids not yet used (nor twice in this add),
/// corrections and apprentices that exist, attachment names unique within a record.
fn against_archive(archive: &Archive, app: Option<&Application>, checked: &mut [Checked]) {
    let current = archive.current();
    let state = current.state(current.head_number());
    let mut known: BTreeMap<String, RecordKind> = state
        .keys()
        .filter(|p| crate::archive::log::is_record_path(p))
        .filter_map(|p| {
            let mut parts = p.split('/').skip(1);
            let kind = RecordKind::from_label(parts.next()?)?;
            let id = parts.next()?.strip_suffix(".toml")?;
            Some((id.to_string(), kind))
        })
        .collect();
    // Ids of this add, with the file that used each first.
    let mut this_add: BTreeMap<String, String> = BTreeMap::new();
    for c in checked.iter_mut() {
        let Some(record) = &c.record else { continue };
        let id = record.id.trim().to_string();
        let mut found = Vec::new();
        if let Some(first) = this_add.get(&id) {
            found.push(
                Finding::new(
                    Code::RecordDuplicate,
                    "id",
                    format!("本次加入的记录中，{first} 已用了编号“{id}”"),
                )
                .hint("同一次加入的每条记录要有自己的编号：改一个编号，或去掉重复的记录文件"),
            );
        } else if let Some(kind) = known.get(&id) {
            // The same file again (a retry after an add that was stopped): it is in.
            let same =
                archived_text(archive, &state, *kind, &id).is_some_and(|text| text == c.doc.text);
            found.push(if same {
                Finding::new(
                    Code::RecordDuplicate,
                    "id",
                    format!("这条记录（“{id}”）已在档案中，内容完全相同：上次加入已经完成"),
                )
                .hint("无需再加入；用 dashi archive log 查看它所在的版本")
            } else {
                Finding::new(
                    Code::RecordDuplicate,
                    "id",
                    format!("档案中已有编号为“{id}”的记录"),
                )
                .hint("记录加入档案后不能修改；换一个编号，更正旧记录时用 corrects = \"旧编号\"")
            });
        }
        let filed = archive.inventory.state(archive.inventory.head_number());
        for (i, name) in record.removes.iter().enumerate() {
            let field = format!("removes[{i}]");
            let Some(target) = record.corrects.as_deref().map(str::trim) else {
                found.push(
                    Finding::new(
                        Code::RecordReference,
                        field,
                        "只有更正记录（写了 corrects）可以移出附件",
                    )
                    .hint("写上 corrects = \"被更正的记录编号\"，或去掉 removes"),
                );
                continue;
            };
            let Some(kind) = known.get(target) else {
                continue;
            };
            let path = format!(
                "{}/{}/{target}/{}",
                crate::archive::RECORDS_DIR,
                kind.label(),
                name.trim()
            );
            if !state.contains_key(&path) {
                found.push(
                    Finding::new(
                        Code::RecordReference,
                        field,
                        format!("记录 {target} 没有名为“{}”的附件", name.trim()),
                    )
                    .hint("写被更正记录在档案中的附件文件名；用 dashi archive log 档案 查看"),
                );
            } else if !filed.contains_key(&path) {
                found.push(
                    Finding::new(
                        Code::RecordReference,
                        field,
                        format!("记录 {target} 的附件“{}”尚未归档", name.trim()),
                    )
                    .hint(format!(
                        "尚未归档的记录可以撤回：dashi record withdraw 档案 {target}，改好后重新加入"
                    )),
                );
            }
        }
        if let Some(target) = record.corrects.as_deref().map(str::trim)
            && let Some(kind) = known.get(target)
            && let Some(earlier) = archived_record(archive, &state, *kind, target)
        {
            found.extend(correction_dates(record, &earlier));
        }
        if let Some(corrected) = &record.corrects
            && !known.contains_key(corrected.trim())
        {
            found.push(
                Finding::new(
                    Code::RecordReference,
                    "corrects",
                    format!("档案中没有编号为“{}”的记录，无从更正", corrected.trim()),
                )
                .hint("用 dashi archive log 查看档案中的记录编号"),
            );
        }
        if let Some(m) = &record.member
            && matches!(m.change, MemberChangeKind::Leaves | MemberChangeKind::Role)
            && !members_on(archive, app, &state, record.date).contains(m.name.trim())
        {
            let what = if m.change == MemberChangeKind::Leaves {
                "退出"
            } else {
                "职务变动"
            };
            found.push(
                Finding::new(
                    Code::NotAMember,
                    "member.name",
                    format!(
                        "{} 时“{}”不是工作室的成员，不能记{what}",
                        record.date,
                        m.name.trim()
                    ),
                )
                .hint("核对姓名：只有申报时的成员、领办人和以“加入”记录进来的人可以退出或变动职务；已退出的人不能再退出"),
            );
        }
        if let Some(progress) = &record.progress
            && let Some(name) = apprentice_name(archive, &state, progress.apprentice.trim())
            && name.trim() != progress.name.trim()
        {
            found.push(
                Finding::new(
                    Code::ProgressPerson,
                    "progress.name",
                    format!(
                        "带徒记录 {} 的学徒是“{}”，这里写的是“{}”",
                        progress.apprentice.trim(),
                        name.trim(),
                        progress.name.trim()
                    ),
                )
                .hint("核对带徒记录编号（progress.apprentice）和学徒姓名：进展要记在取得等级的那位学徒名下"),
            );
        }
        if let Some(progress) = &record.progress
            && known.get(progress.apprentice.trim()) != Some(&RecordKind::Apprentice)
        {
            found.push(
                Finding::new(
                    Code::RecordReference,
                    "progress.apprentice",
                    format!("档案中没有编号为“{}”的带徒记录", progress.apprentice.trim()),
                )
                .hint("先加入该学徒的“带徒”记录，或核对编号"),
            );
        }
        if let Some(app) = app
            && record.date < app.filled_on
        {
            found.push(
                Finding::new(
                    Code::RecordDate,
                    "date",
                    format!(
                        "日期 {} 早于工作室申报（填报时间 {}）",
                        record.date, app.filled_on
                    ),
                )
                .hint("档案记录工作室申报以后的事；申报前的业绩已在申报材料中"),
            );
        }
        let mut names = BTreeSet::new();
        for (field, file) in record.named_files() {
            let name = Path::new(file.trim())
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if !names.insert(name.clone()) {
                found.push(
                    Finding::new(
                        Code::RecordFileName,
                        field,
                        format!("这条记录中有两个附件都叫“{name}”"),
                    )
                    .hint("给其中一个文件改名"),
                );
            }
        }
        this_add
            .entry(id.clone())
            .or_insert_with(|| c.doc.path.display().to_string());
        known.insert(id, record.kind);
        let unsure = c.unsure.clone();
        c.findings
            .extend(found.into_iter().filter(|f| !f.rests_on(&unsure)));
    }
    grades_against_archive(archive, app, &state, checked);
}

/// The text of a record of the archive's head, by kind and id.
fn archived_text(
    archive: &Archive,
    state: &BTreeMap<String, String>,
    kind: RecordKind,
    id: &str,
) -> Option<String> {
    let logical = format!("{}/{}/{id}.toml", crate::archive::RECORDS_DIR, kind.label());
    let content = archive.current().content_of(state.get(&logical)?)?;
    std::fs::read_to_string(archive.root.join(content)).ok()
}

/// A record of the archive's head, by kind and id.
fn archived_record(
    archive: &Archive,
    state: &BTreeMap<String, String>,
    kind: RecordKind,
    id: &str,
) -> Option<Record> {
    toml::from_str(&archived_text(archive, state, kind, id)?).ok()
}

/// R316: a correction dated before the record it corrects, or in another year. The
/// reports count the corrected item by the correction's date (its `date` is the date of
/// the event, as in every record): say so where the clerk can still change it.
fn correction_dates(record: &Record, earlier: &Record) -> Option<Finding> {
    let (new, old) = (record.date, earlier.date);
    if new >= old && new.year == old.year {
        return None;
    }
    let why = if new < old {
        format!("早于被更正的记录 {}（{old}）", earlier.id.trim())
    } else {
        format!("与被更正的记录 {}（{old}）不在同一年", earlier.id.trim())
    };
    Some(
        Finding::new(
            Code::CorrectionDate,
            "date",
            format!(
                "更正记录的日期 {new} {why}：考核和验收报告将按 {new} 把它计入 {} 年，不再按 {old}",
                new.year
            ),
        )
        .hint(format!(
            "date 是事情发生的日期：只更正内容时写原记录的日期 {old}；确是日期记错了才写新的日期"
        )),
    )
}

/// R317: the grades of this add's 带徒进展 records judged after every record already
/// archived (corrections applied: a corrected record no longer counts).
fn grades_against_archive(
    archive: &Archive,
    app: Option<&Application>,
    state: &BTreeMap<String, String>,
    checked: &mut [Checked],
) {
    let mut records = head_records(archive, state);
    let new: BTreeSet<String> = checked
        .iter()
        .filter_map(|c| c.record.as_ref().map(|r| r.id.trim().to_string()))
        .collect();
    records.extend(checked.iter().filter_map(|c| c.record.clone()));
    let corrected: BTreeSet<String> = records
        .iter()
        .filter_map(|r| r.corrects.as_deref().map(|t| t.trim().to_string()))
        .collect();
    records.retain(|r| !corrected.contains(r.id.trim()));
    records.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    let refs: Vec<&Record> = records.iter().collect();
    for (id, finding) in super::people::check(app, &refs) {
        if finding.code != Code::GradeDown || !new.contains(&id) {
            continue;
        }
        if let Some(c) = checked
            .iter_mut()
            .find(|c| c.record.as_ref().is_some_and(|r| r.id.trim() == id))
        {
            c.findings.push(finding);
        }
    }
}

/// Typesets the report of a major record.
fn typeset_report(
    options: &AddOptions<'_>,
    app: &Application,
    plan: &FontPlan,
    report: &EventReport,
) -> Result<Vec<u8>, TypesetError> {
    let renderer = options.renderer;
    let mut served = BTreeMap::new();
    served.insert(
        crate::typeset::qr::PATH.to_string(),
        crate::typeset::qr::served(&report.digest),
    );
    let extra = serde_json::json!({ "report": report });
    let doc = Doc::MAJOR_EVENT;
    let world = renderer.world(app, plan, &extra, &served, doc)?;
    let document = renderer.layout(&world, doc)?;
    let ident = format!("dashi/{}/{}", app.studio.name.trim(), report.title);
    let date = renderer.source_date.unwrap_or(options.today);
    let (bytes, _) = renderer.export_as(&world, &document, doc, &ident, date, false)?;
    Ok(bytes)
}
