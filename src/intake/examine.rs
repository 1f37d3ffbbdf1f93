//! One submission, examined without trusting it: verified as `dashi verify` does; its
//! data file read from `data/源数据/` and checked by every rule of `dashi check`, with
//! the scans it carries staged (streamed, under safe names) into a work folder inside
//! the output folder; its evidence digest recomputed from its manifest; the pages of
//! its volumes counted; and what the cross-submission checks compare taken down.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::cross::{Certificate, Person, Scan, Traits};
use super::inputs::{Form, Input};
use super::{Facts, Integrity, Problem};
use crate::data::load::{self, Document, LoadError};
use crate::data::model::{Application, Owner};
use crate::finding::{Code, Finding};
use crate::seal::digest::{EVIDENCE_DIR, SOURCE_DIR};
use crate::seal::digest::{ManifestLine, Sha256Hex, evidence_digest, in_evidence_scope};
use crate::typeset::Renderer;
use crate::verify::source::{Entry, Source, SourceError};

/// The packet's volumes whose pages the register counts (not the print guide).
const PACKET_DIR: &str = "data/申报材料/";
/// The largest data file, manifest and volume read into memory.
const MAX_DATA: u64 = 8 * 1024 * 1024;
const MAX_MANIFEST: u64 = 16 * 1024 * 1024;
const MAX_VOLUME: u64 = 96 * 1024 * 1024;
/// The largest scan intake unpacks to check it (a 600 dpi colour A4 page is a few
/// megabytes; a scan declared larger is not unpacked at all).
pub const MAX_SCAN: u64 = 100 * 1024 * 1024;
/// The most intake unpacks of one submission's scans; with one submission per thread
/// at a time, the work folder never holds more than this times the threads.
pub const MAX_STAGED: u64 = 512 * 1024 * 1024;

/// What examining one input found.
pub struct Examined {
    pub input: String,
    pub form: Form,
    pub key: String,
    pub integrity: Integrity,
    pub facts: Option<Facts>,
    pub evidence_digest: Option<String>,
    pub seal: Option<String>,
    pub pages: Option<usize>,
    pub evidence_items: Option<usize>,
    pub problems: Vec<Problem>,
    /// What the cross-submission checks compare; only of intact submissions.
    pub traits: Option<Traits>,
    /// The bag's External-Identifier, for a name when the data file does not read.
    pub identifier: Option<String>,
}

/// Examines one input; `stage` is a fresh work folder for its scans, removed after.
pub fn examine(input: &Input, stage: &Path, renderer: &Renderer) -> Examined {
    let mut ex = blank(input);
    let report = match crate::verify::verify(&input.path, None, &crate::progress::Silent) {
        Ok(report) => report,
        Err(e) => {
            unreadable(&mut ex, &input.path, &e);
            return ex;
        }
    };
    // An intact submission is known by its seal across runs; a damaged one by its own
    // bytes, so it never takes the number (and the result) of an intact copy.
    ex.key = match &report.seal {
        Some(seal) if report.intact => format!("seal:{seal}"),
        _ => file_key(&input.path),
    };
    integrity(&mut ex, &report);
    let source = match Source::open(&input.path) {
        Ok(source) => source,
        Err(_) => return ex,
    };
    from_manifest(&mut ex, &source, report.intact);
    if report.intact {
        ex.pages = pages(&source);
    }
    read_data(&source, &mut ex, report.intact, stage, renderer);
    let _ = std::fs::remove_dir_all(stage);
    ex
}

/// An examination that has found nothing yet.
fn blank(input: &Input) -> Examined {
    Examined {
        input: crate::portable::path_shown(&input.path),
        form: input.form,
        key: String::new(),
        integrity: Integrity::unknown(),
        facts: None,
        evidence_digest: None,
        seal: None,
        pages: None,
        evidence_items: None,
        problems: Vec::new(),
        traits: None,
        identifier: None,
    }
}

/// A submission whose examination met a defect of dashi's (a panic, caught): judged by
/// hand, as one that could not be read (R501); the rest of the batch goes on.
pub fn defect(input: &Input, said: String) -> Examined {
    let mut ex = blank(input);
    ex.key = file_key(&input.path);
    ex.integrity.summary = "dashi 检查时出现内部错误，未能判断".into();
    ex.integrity.details.push(said.clone());
    ex.problems.push(
        Problem::new(Code::Integrity, said)
            .hint("这是 dashi 自身的缺陷；请人工审核这份申报，并把它发给 dashi 的维护者"),
    );
    ex
}

/// A submission that could not be read at all (R501).
fn unreadable(ex: &mut Examined, path: &Path, e: &SourceError) {
    ex.key = file_key(path);
    let why = match e {
        SourceError::NotZip { .. } => {
            "不是完整的 zip 压缩包或光盘映像（文件可能在复制、刻录或下载时被截断）".to_string()
        }
        other => short(&other.to_string(), path),
    };
    ex.integrity.summary = format!("无法读取：{why}");
    ex.integrity.details.push(e.to_string());
    ex.problems.push(
        Problem::new(Code::Integrity, format!("电子材料无法读取：{why}"))
            .hint("请申报单位重新报送完好的光盘或压缩包"),
    );
}

/// What verification found: every problem in the details, the first error in the
/// summary and as R501.
fn integrity(ex: &mut Examined, report: &crate::verify::Report) {
    ex.seal = report.seal.clone();
    ex.identifier = report.identifier.clone();
    ex.integrity.intact = report.intact;
    ex.integrity
        .details
        .extend(report.problems.iter().map(|p| p.line()));
    let first_error = report.problems.iter().find(|p| p.error).map(|p| {
        let state = p.state.map(|s| s.label().to_string()).unwrap_or_default();
        match &p.path {
            Some(path) => format!("{path} {state}").trim_end().to_string(),
            None => p.message.clone(),
        }
    });
    ex.integrity.summary = match &first_error {
        None => format!(
            "完好（{} 个文件，{} 字节）",
            report.payload_files, report.payload_bytes
        ),
        Some(first) => format!("未通过：{first}"),
    };
    if let Some(first) = &first_error {
        let errors = report.problems.iter().filter(|p| p.error).count();
        ex.problems.push(
            Problem::new(
                Code::Integrity,
                format!("电子材料未通过完整性校验（{errors} 处），首处：{first}"),
            )
            .hint("请申报单位重新报送完好的光盘或压缩包；损坏的材料不能作为评审依据"),
        );
    }
}

/// The evidence digest recomputed from the manifest; an intact bag's traits begin
/// here (its scans are added as the catalogue's items find them).
fn from_manifest(ex: &mut Examined, source: &Source, intact: bool) {
    if let Some(lines) = manifest(source) {
        let evidence: Vec<ManifestLine> = lines
            .iter()
            .filter(|l| in_evidence_scope(&l.path))
            .cloned()
            .collect();
        ex.evidence_digest = Some(evidence_digest(&evidence).to_string());
        if intact {
            ex.traits = Some(Traits::default());
        }
    }
}

/// A message about `path` without the path itself (the register names the input).
fn short(message: &str, path: &Path) -> String {
    [
        path.display().to_string(),
        crate::portable::path_shown(path),
    ]
    .iter()
    .find_map(|shown| message.strip_prefix(shown.as_str()))
    .map_or_else(|| message.to_string(), |rest| rest.trim_start().to_string())
}

/// What identifies an input without a seal: its bytes, or a folder's path.
fn file_key(path: &Path) -> String {
    if path.is_dir() {
        return format!("folder:{}", crate::portable::path_shown(path));
    }
    match crate::seal::digest::sha256_file(path) {
        Ok((digest, _)) => format!("sha256:{digest}"),
        Err(_) => format!("path:{}", crate::portable::path_shown(path)),
    }
}

/// Reads a whole entry of at most `limit` bytes.
fn read_entry(source: &Source, entry: &Entry, limit: u64) -> Option<Vec<u8>> {
    if entry.size > limit {
        return None;
    }
    let mut bytes = Vec::with_capacity(entry.size as usize);
    source
        .stream(entry, &mut |chunk| bytes.extend_from_slice(chunk))
        .ok()?;
    (bytes.len() as u64 <= limit).then_some(bytes)
}

fn find<'a>(source: &'a Source, path: &str) -> Option<&'a Entry> {
    source.entries().iter().find(|e| e.path == path)
}

/// The SHA-256 manifest's lines.
fn manifest(source: &Source) -> Option<Vec<ManifestLine>> {
    let bytes = read_entry(source, find(source, "manifest-sha256.txt")?, MAX_MANIFEST)?;
    let text = String::from_utf8(bytes).ok()?;
    Some(
        text.lines()
            .filter_map(|line| {
                let (digest, path) = line.split_once(char::is_whitespace)?;
                Some(ManifestLine {
                    digest: Sha256Hex::parse(digest)?,
                    path: path
                        .trim_start()
                        .replace("%0D", "\r")
                        .replace("%0A", "\n")
                        .replace("%25", "%"),
                })
            })
            .collect(),
    )
}

/// Pages of the five volumes (01- to 05-), when every one is a readable PDF.
fn pages(source: &Source) -> Option<usize> {
    let volumes: Vec<&Entry> = source
        .entries()
        .iter()
        .filter(|e| {
            e.path.strip_prefix(PACKET_DIR).is_some_and(|name| {
                !name.contains('/')
                    && name.to_ascii_lowercase().ends_with(".pdf")
                    && !name.starts_with("00-")
            })
        })
        .collect();
    if volumes.is_empty() {
        return None;
    }
    // A volume is read whole to be parsed (up to 96 MiB); one at a time, however many
    // submissions are in flight (rayon may start another while one waits for its
    // hashing), so memory stays bounded. Nothing here runs on the pool.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut total = 0;
    for entry in volumes {
        let bytes = read_entry(source, entry, MAX_VOLUME)?;
        let pdf = hayro_syntax::Pdf::new(std::sync::Arc::new(bytes)).ok()?;
        total += pdf.pages().len();
    }
    Some(total)
}

/// Reads the data file; for an intact bag, also checks it with its scans.
fn read_data(source: &Source, ex: &mut Examined, intact: bool, stage: &Path, renderer: &Renderer) {
    let (chosen, also) = choose_data(source);
    if let Some(others) = also {
        ex.problems.push(others);
    }
    let Some(Candidate { entry: data, bytes }) = chosen else {
        if !intact {
            // A damaged bag's contents are not judged: its integrity says it all.
            return;
        }
        ex.problems.push(
            Problem::new(
                Code::NoDataFile,
                format!("包中没有数据文件（{SOURCE_DIR}/ 下没有 .toml 或 .json 文件）"),
            )
            .hint("请申报单位用 dashi build 生成并封存申报材料后重新报送"),
        );
        return;
    };
    let no_data = |why: String| {
        Problem::new(Code::NoDataFile, format!("数据文件 {}：{why}", data.path))
            .hint("请申报单位用 dashi build 生成并封存申报材料后重新报送")
    };
    let Some(bytes) = bytes else {
        if !intact {
            return;
        }
        ex.problems
            .push(no_data("无法读取，或大于 8 MiB，不像是数据文件".into()));
        return;
    };
    let Ok(text) = String::from_utf8(bytes) else {
        if !intact {
            return;
        }
        ex.problems
            .push(no_data("不是 UTF-8 编码的文本文件".into()));
        return;
    };
    let shown = PathBuf::from(&data.path);
    let (doc, app, mut findings, unsure) = match load::read_partial(&shown, text) {
        Ok(partial) => (
            partial.doc,
            Some(partial.value),
            partial.findings,
            partial.unsure,
        ),
        Err(LoadError::Invalid { doc, findings } | LoadError::Syntax { doc, findings }) => {
            (*doc, None, findings, Vec::new())
        }
        Err(other) => {
            if intact {
                ex.problems.push(no_data(other.to_string()));
            }
            return;
        }
    };
    if let Some(app) = &app {
        ex.facts = Some(known_facts(facts(app, &data.path), &unsure, intact));
        if intact {
            ex.evidence_items = Some(app.evidence.len());
        }
    }
    if !intact {
        // A damaged bag's data is not judged: only its integrity is.
        return;
    }
    if let Some(app) = app {
        let data_dir = data.path.rsplit_once('/').map_or("", |(dir, _)| dir);
        let Staged {
            app: staged,
            refused,
            used,
        } = stage_scans(source, &app, stage, data_dir);
        let mut found =
            crate::check::full(&staged, &doc, stage, &unsure, renderer, renderer.today());
        // A scan not unpacked is said once, as too large, not also as missing.
        found.retain(|f| {
            !refused
                .iter()
                .any(|(index, _)| f.path.starts_with(&format!("evidence[{index}]")))
        });
        findings.extend(found);
        ex.problems.extend(refused.into_iter().map(|(_, p)| p));
        if let Some(traits) = &mut ex.traits {
            let digests: std::collections::BTreeMap<String, String> = manifest(source)
                .unwrap_or_default()
                .into_iter()
                .map(|l| (l.path, l.digest.to_string()))
                .collect();
            traits.scans = used
                .into_iter()
                .filter_map(|(number, path)| {
                    Some(Scan {
                        digest: digests.get(&path)?.clone(),
                        name: path,
                        number,
                        unit_owned: false,
                    })
                })
                .collect();
            fill_traits(traits, &app);
        }
    } else {
        ex.traits = None;
    }
    ex.problems
        .extend(findings.iter().map(|f| from_finding(f, &doc)));
}

/// A possible data file of a bag, read once (`None`: unreadable or over 8 MiB).
struct Candidate<'a> {
    entry: &'a Entry,
    bytes: Option<Vec<u8>>,
}

impl Candidate<'_> {
    /// A JSON Schema: its name says so, or it declares `$schema`.
    fn is_schema(&self) -> bool {
        let name = self.entry.path.to_ascii_lowercase();
        name.ends_with(".schema.json")
            || (name.ends_with(".json")
                && self
                    .bytes
                    .as_deref()
                    .and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok())
                    .is_some_and(|v| v.get("$schema").is_some()))
    }

    /// Reads as a studio file: UTF-8 text that parses with no unknown or missing keys
    /// (wrong values are the rules' to find), and no schema.
    fn reads_as_studio(&self) -> bool {
        if self.is_schema() {
            return false;
        }
        let Some(text) = self
            .bytes
            .as_deref()
            .and_then(|b| std::str::from_utf8(b).ok())
        else {
            return false;
        };
        load::read_partial(&PathBuf::from(&self.entry.path), text.to_string()).is_ok_and(
            |partial| {
                !partial.findings.iter().any(|f| {
                    matches!(
                        f.code,
                        Code::Syntax | Code::UnknownKey | Code::MissingKey | Code::FormatVersion
                    )
                })
            },
        )
    }
}

/// The data file of a bag: among the `.toml` and `.json` files of `data/源数据/`, the
/// one that reads as a studio file — never a JSON Schema (`dashi init` writes one
/// beside the data, and a bag sealed by hand may carry it). `.toml` before `.json`, then
/// by name. When several read, the first is taken and a finding names them all.
fn choose_data(source: &Source) -> (Option<Candidate<'_>>, Option<Problem>) {
    let prefix = format!("{SOURCE_DIR}/");
    let mut entries: Vec<&Entry> = source
        .entries()
        .iter()
        .filter(|e| {
            e.path.strip_prefix(&prefix).is_some_and(|name| {
                let lower = name.to_ascii_lowercase();
                !name.contains('/') && (lower.ends_with(".toml") || lower.ends_with(".json"))
            })
        })
        .collect();
    entries.sort_by_key(|e| {
        (
            !e.path.to_ascii_lowercase().ends_with(".toml"),
            e.path.clone(),
        )
    });
    let mut candidates: Vec<Candidate> = entries
        .into_iter()
        .map(|entry| Candidate {
            entry,
            bytes: read_entry(source, entry, MAX_DATA),
        })
        .collect();
    let reads: Vec<usize> = (0..candidates.len())
        .filter(|&i| candidates[i].reads_as_studio())
        .collect();
    let also = (reads.len() > 1).then(|| {
        let names: Vec<&str> = reads
            .iter()
            .map(|&i| candidates[i].entry.path.as_str())
            .collect();
        Problem::new(
            Code::TwoDataFiles,
            format!(
                "包中有 {} 个文件都能读作申报数据：{}；按 {} 审查",
                names.len(),
                names.join("、"),
                names[0]
            ),
        )
        .hint("请申报单位说明以哪个文件为准；用 dashi build 生成的包只有一个数据文件")
    });
    // None reads cleanly: the first that is not a schema, so its findings show.
    let chosen = reads
        .first()
        .copied()
        .or_else(|| candidates.iter().position(|c| !c.is_schema()))
        .or((!candidates.is_empty()).then_some(0))
        .map(|i| candidates.swap_remove(i));
    (chosen, also)
}

/// A finding of the rules as a problem of the submission, with its line and field.
fn from_finding(f: &Finding, doc: &Document) -> Problem {
    let span = f.span.clone().or_else(|| doc.span_of(&f.path));
    let place = span.map(|s| {
        let (line, _) = crate::finding::line_col(&doc.text, s.start);
        if f.path.is_empty() {
            format!("{} 第 {line} 行", doc.path.display())
        } else {
            format!("{} 第 {line} 行（{}）", doc.path.display(), f.path)
        }
    });
    Problem {
        place,
        hint: f.hint.clone(),
        ..Problem::new(f.code, f.message.clone())
    }
}

/// The application with each evidence file pointing at its scan from the bag, staged
/// under `stage/佐证材料/`. A scan is where the data file says, beside it (a bag sealed
/// by hand from the studio's folder), or else where `dashi build` puts item n of the
/// catalogue (`data/佐证材料/NN-…`); a declared scan the bag lacks points where nothing
/// is, so the rules report it missing.
fn stage_scans(source: &Source, app: &Application, stage: &Path, data_dir: &str) -> Staged {
    let mut staged = app.clone();
    let mut refused = Vec::new();
    let mut used = Vec::new();
    let mut written = 0u64;
    let dir = stage.join("佐证材料");
    let _ = crate::fsio::create_dirs(&dir);
    let prefix = format!("{EVIDENCE_DIR}/");
    for (i, index) in crate::data::catalogue::order(app).into_iter().enumerate() {
        let e = &mut staged.evidence[index];
        if e.file.as_deref().is_none_or(|f| f.trim().is_empty()) {
            continue;
        }
        let head = format!("{:02}-", i + 1);
        let beside = e
            .file
            .as_deref()
            .and_then(|f| in_bag(data_dir, f))
            .and_then(|path| find(source, &path));
        let entry = beside.or_else(|| {
            source.entries().iter().find(|entry| {
                entry
                    .path
                    .strip_prefix(&prefix)
                    .is_some_and(|name| !name.contains('/') && name.starts_with(&head))
            })
        });
        let name = match entry {
            // Declared sizes are checked before anything is written (the stream stops
            // at the declared size, so a size that lies cannot write more).
            Some(entry) if entry.size > MAX_SCAN || written + entry.size > MAX_STAGED => {
                refused.push((index, oversized(entry, written)));
                continue;
            }
            Some(entry) => {
                let base = entry.path.rsplit('/').next().unwrap_or("scan");
                let name = match base.starts_with(&head) {
                    true => crate::portable::portable(base, "scan"),
                    false => crate::portable::portable(&format!("{head}{base}"), "scan"),
                };
                used.push((i + 1, entry.path.clone()));
                written += entry.size;
                if copy_out(source, entry, &dir.join(&name)).is_err() {
                    let _ = std::fs::remove_file(dir.join(&name));
                }
                name
            }
            None => format!("{head}（包中没有这一项的扫描件）"),
        };
        e.file = Some(format!("佐证材料/{name}"));
    }
    Staged {
        app: staged,
        refused,
        used,
    }
}

/// What `stage_scans` made.
struct Staged {
    /// The application, its evidence pointing at the staged scans.
    app: Application,
    /// Scans too large to unpack, by evidence index.
    refused: Vec<(usize, Problem)>,
    /// Each scan used: its item's number in the catalogue and its path in the bag.
    used: Vec<(usize, String)>,
}

/// The bag path of a file the data file names relative to itself (`evidence/x.jpg`
/// beside `data/源数据/studio.toml`), if it stays inside the bag's payload.
fn in_bag(data_dir: &str, file: &str) -> Option<String> {
    let file = file.trim().replace('\\', "/");
    if file.starts_with('/') || file.contains(':') {
        return None;
    }
    let mut parts: Vec<&str> = data_dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in file.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            name => parts.push(name),
        }
    }
    (parts.first() == Some(&"data") && parts.len() > 1).then(|| parts.join("/"))
}

/// R135 for a scan too large to unpack for checking.
fn oversized(entry: &Entry, written: u64) -> Problem {
    let mib = |n: u64| n / (1024 * 1024);
    let why = if entry.size > MAX_SCAN {
        format!("超过单个扫描件 {} MiB 的上限", mib(MAX_SCAN))
    } else {
        format!(
            "本份申报已解压 {} MiB，再解压将超过 {} MiB 的上限",
            mib(written),
            mib(MAX_STAGED)
        )
    };
    Problem::new(
        Code::EvidenceContent,
        format!(
            "扫描件 {} 声明大小 {} 字节，{why}，未解压、未审查",
            entry.path, entry.size
        ),
    )
    .hint("请申报单位按 300 dpi 重新扫描（每页几 MB 即可），重新封存后报送")
}

/// Streams an entry into a new file.
fn copy_out(source: &Source, entry: &Entry, dest: &Path) -> std::io::Result<()> {
    let mut file = std::io::BufWriter::new(std::fs::File::create(dest)?);
    let mut failed = None;
    source.stream(entry, &mut |chunk| {
        if failed.is_none()
            && let Err(e) = file.write_all(chunk)
        {
            failed = Some(e);
        }
    })?;
    if let Some(e) = failed {
        return Err(e);
    }
    file.flush()
}

/// The facts as far as they are known: a damaged bag's data names its studio and
/// master only (the rest is not to be relied on), and a value the data file did not
/// give (a stand-in for a missing or wrong field) is left blank, never invented.
fn known_facts(all: Facts, unsure: &[String], intact: bool) -> Facts {
    if !intact {
        return Facts {
            studio: all.studio,
            master: all.master,
            ..Facts::default()
        };
    }
    let unknown = |path: &str| {
        unsure.iter().any(|u| {
            u == path || u.starts_with(&format!("{path}.")) || u.starts_with(&format!("{path}["))
        })
    };
    let blank = |field: String, path: &str| if unknown(path) { String::new() } else { field };
    Facts {
        studio: blank(all.studio, "studio.name"),
        master: blank(all.master, "master.name"),
        master_id: blank(all.master_id, "master.id_number"),
        occupation: blank(all.occupation, "studio.occupation"),
        skill_level: blank(all.skill_level, "master.skill_level"),
        condition: blank(all.condition, "master.qualification"),
        unit: blank(all.unit, "unit.name"),
        unit_kind: blank(all.unit_kind, "unit.kind"),
        credit_code: blank(all.credit_code, "unit.credit_code"),
        contact: blank(all.contact, "unit.contact"),
        phone: blank(all.phone, "unit.contact"),
        // Members read as stand-ins are not counted.
        data_file: if unknown("members") {
            String::new()
        } else {
            all.data_file
        },
        ..all
    }
}

/// The facts the register shows.
fn facts(app: &Application, data_file: &str) -> Facts {
    let q = &app.master.qualification;
    let condition = match q.category {
        1 => "第1项：高技能领军人才".to_string(),
        2 => "第2项：自治区级奖项或称号".to_string(),
        3 => {
            let marks: String = q.conditions.iter().map(|c| format!("（{c}）")).collect();
            format!("第3项：掌握民间绝技的高技能人才{marks}")
        }
        other => format!("第{other}项（不是第七条（一）的条件）"),
    };
    let contact = &app.unit.contact;
    let phone = [contact.mobile.trim(), contact.office_phone.trim()]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("，");
    Facts {
        studio: app.studio.name.trim().to_string(),
        master: app.master.name.trim().to_string(),
        master_id: app.master.id_number.trim().to_uppercase(),
        occupation: app.studio.occupation.trim().to_string(),
        skill_level: app.master.skill_level.trim().to_string(),
        condition,
        unit: app.unit.name.trim().to_string(),
        unit_kind: app.unit.kind.label().to_string(),
        credit_code: app.unit.credit_code.trim().to_uppercase(),
        contact: contact.name.trim().to_string(),
        phone,
        members: app.members.len(),
        data_file: data_file.to_string(),
    }
}

/// The people, certificates and scan owners of an application.
fn fill_traits(traits: &mut Traits, app: &Application) {
    traits.studio = app.studio.name.trim().to_string();
    traits.credit_code = app.unit.credit_code.trim().to_uppercase();
    traits.master = Some(Person {
        name: app.master.name.trim().to_string(),
        id: app.master.id_number.trim().to_uppercase(),
        masked: String::new(),
    });
    traits.members = app
        .members
        .iter()
        .map(|m| Person {
            name: m.name.trim().to_string(),
            id: m.id_number.trim().to_uppercase(),
            masked: String::new(),
        })
        .collect();
    let order = crate::data::catalogue::order(app);
    for scan in &mut traits.scans {
        scan.unit_owned = order
            .get(scan.number.wrapping_sub(1))
            .is_some_and(|&i| app.evidence[i].owner == Owner::Unit);
    }
    for e in &app.evidence {
        let Some(number) = e
            .certificate_number
            .as_deref()
            .map(|n| n.split_whitespace().collect::<String>().to_uppercase())
            .filter(|n| !n.is_empty())
        else {
            continue;
        };
        let holder = match e.owner {
            Owner::Unit => continue,
            Owner::Master => traits.master.clone(),
            Owner::Member => {
                let name = e.member.as_deref().unwrap_or("").trim();
                traits
                    .members
                    .iter()
                    .find(|m| m.name == name)
                    .cloned()
                    .or_else(|| {
                        Some(Person {
                            name: name.to_string(),
                            id: String::new(),
                            masked: String::new(),
                        })
                    })
            }
        };
        if let Some(holder) = holder {
            traits.certificates.push(Certificate {
                number,
                holder,
                title: e.title.trim().to_string(),
            });
        }
    }
}
