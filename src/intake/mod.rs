//! `dashi intake`: the bureau's side of 第九条. Many submissions — sealed zips, disc
//! images, bag folders, and folders holding them — are each verified exactly as
//! `dashi verify` does (read in place, never extracted outside the output folder),
//! their data files checked by every `dashi check` rule with the evidence they carry,
//! their evidence digests compared with the ones typed from the paper pledges, and
//! all of them compared with each other (第十五条). The results are the register
//! (受理登记表.xlsx), one 初审意见表 per submission, a blank 专家评审表 per admissible
//! studio, and intake.json; `intake publish` then makes the 公示 list (第九条（四）).

pub mod calendar;
mod cross;
mod digests;
pub(crate) mod examine;
pub(crate) mod inputs;
mod judge;
mod ledger;
mod mask;
pub mod publish;
pub(crate) mod register;
pub(crate) mod secret;
mod sheets;
pub mod table;

use rayon::prelude::*;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::data::dates::Date;
use crate::finding::{Code, Severity};
use crate::typeset::Renderer;

pub use ledger::{LEDGER, Ledger};

/// The register's file name.
pub const REGISTER: &str = "受理登记表.xlsx";
/// The folder of the 初审意见表.
pub const REVIEW_DIR: &str = "初审";
/// The folder of the expert panel's scoring sheets.
pub const EXPERT_DIR: &str = "专家评审表";

/// What `dashi intake` is asked to do.
pub struct Options<'a> {
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    /// The day the submissions in `inputs` were received (those received before keep
    /// their day).
    pub received: Date,
    /// Evidence digests typed from the paper pledges (CSV).
    pub digests: Option<PathBuf>,
    /// Show resident ID numbers whole instead of masked.
    pub full_id: bool,
    pub renderer: &'a Renderer,
    /// Told of each submission examined.
    pub progress: &'a dyn crate::progress::Progress,
}

/// One submission as the register and the sheets show it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Submission {
    /// 受理编号, e.g. `2027-003`: given once, kept on every later run.
    pub number: String,
    /// The serial part of the number (`03-…pdf`).
    pub sequence: u32,
    /// What identifies the submission across runs: its seal, or its file's digest.
    pub key: String,
    /// The input as the clerk gave it.
    pub input: String,
    /// 压缩包, 光盘映像 or 包文件夹.
    pub form: String,
    pub received: String,
    pub integrity: Integrity,
    pub facts: Option<Facts>,
    /// The evidence digest recomputed from the bag's manifest.
    pub evidence_digest: Option<String>,
    /// The digest typed from the paper pledge, as 64 hex digits.
    pub typed_digest: Option<String>,
    pub seal: Option<String>,
    /// Pages of the five bound volumes (承诺书 to 佐证材料).
    pub pages: Option<usize>,
    /// Items of evidence in the catalogue.
    pub evidence_items: Option<usize>,
    pub problems: Vec<Problem>,
    pub conclusion: Conclusion,
    /// The files made for it, relative to the output folder.
    pub files: Vec<String>,
    /// Received on an earlier run and not given again: judged on what intake.json
    /// keeps of it.
    #[serde(default)]
    pub carried: bool,
    /// What the cross-checks of later runs need of it (IDs as keyed digests only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traits: Option<cross::Traits>,
    /// Whether it was compared with the other submissions (a damaged, unreadable or
    /// superseded one is not).
    #[serde(default)]
    pub cross_checked: bool,
    /// Other files of this same submission, received again (重复收到).
    #[serde(default)]
    pub copies: Vec<Copy>,
    /// 受理编号 of the studio's later submission that replaces this one.
    #[serde(default)]
    pub superseded_by: Option<String>,
    /// 受理编号 of the studio's earlier submissions this one replaces (补正).
    #[serde(default)]
    pub supersedes: Vec<String>,
    /// What later arrivals changed, one dated line each.
    #[serde(default)]
    pub history: Vec<String>,
}

/// A file of a submission already received, received again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Copy {
    pub input: String,
    pub form: String,
    pub received: String,
}

impl Submission {
    /// A submission numbered but not yet examined.
    pub(super) fn blank(number: String, sequence: u32, received: String) -> Submission {
        Submission {
            number,
            sequence,
            key: String::new(),
            input: String::new(),
            form: String::new(),
            received,
            integrity: Integrity::unknown(),
            facts: None,
            evidence_digest: None,
            typed_digest: None,
            seal: None,
            pages: None,
            evidence_items: None,
            problems: Vec::new(),
            conclusion: Conclusion {
                verdict: String::new(),
                reasons: Vec::new(),
            },
            files: Vec::new(),
            carried: false,
            traits: None,
            cross_checked: false,
            copies: Vec::new(),
            superseded_by: None,
            supersedes: Vec::new(),
            history: Vec::new(),
        }
    }

    /// Takes what this run's examination found; the number, day of receipt, copies
    /// and history stay.
    fn take(&mut self, ex: examine::Examined) {
        let name = ex
            .facts
            .as_ref()
            .map(|f| f.studio.clone())
            .filter(|s| !s.is_empty())
            .or(ex.identifier);
        self.facts = ex.facts.or_else(|| {
            name.map(|studio| Facts {
                studio,
                ..Default::default()
            })
        });
        self.key = ex.key;
        self.input = ex.input;
        self.form = ex.form.label().to_string();
        self.integrity = ex.integrity;
        self.evidence_digest = ex.evidence_digest;
        self.typed_digest = None;
        self.seal = ex.seal;
        self.pages = ex.pages;
        self.evidence_items = ex.evidence_items;
        self.problems = ex.problems;
        self.traits = None;
        self.carried = false;
    }

    /// Notes another file of it, once.
    fn add_copy(&mut self, copy: Copy) {
        if copy.input != self.input && !self.copies.iter().any(|c| c.input == copy.input) {
            self.copies.push(copy);
        }
    }

    /// Whether its files could not be read at all (no data file was read).
    fn unread(&self) -> bool {
        !self.integrity.intact && self.facts.as_ref().is_none_or(|f| f.data_file.is_empty())
    }
}

/// Whether the submission's files are whole.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Integrity {
    pub intact: bool,
    /// 完好, 未通过 or 无法读取, with the first reason.
    pub summary: String,
    pub details: Vec<String>,
}

impl Integrity {
    /// Not yet known: not intact, nothing said.
    pub fn unknown() -> Integrity {
        Integrity {
            intact: false,
            summary: String::new(),
            details: Vec::new(),
        }
    }
}

/// What the data file says, as far as it reads.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Facts {
    pub studio: String,
    pub master: String,
    pub master_id: String,
    pub occupation: String,
    pub skill_level: String,
    /// 第七条（一）条件, in words.
    pub condition: String,
    pub unit: String,
    pub unit_kind: String,
    pub credit_code: String,
    pub contact: String,
    pub phone: String,
    pub members: usize,
    /// The data file's path in the bag.
    pub data_file: String,
}

/// One finding about a submission: a rule of `dashi check`, an integrity or digest
/// problem, or a cross-submission finding that names the other submissions.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Problem {
    pub code: Code,
    /// 错误 or 警告.
    pub level: Severity,
    pub article: String,
    pub message: String,
    pub hint: Option<String>,
    /// Where: the data file's line and field.
    pub place: Option<String>,
    /// 受理编号 of the other submissions it joins.
    pub joins: Vec<String>,
}

impl Problem {
    pub fn new(code: Code, message: impl Into<String>) -> Problem {
        Problem {
            code,
            level: code.severity(),
            article: code.article().to_string(),
            message: message.into(),
            hint: None,
            place: None,
            joins: Vec::new(),
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Problem {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.level == Severity::Error
    }
}

/// The proposed conclusion of 受理初审.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Conclusion {
    /// 符合条件，列入评审范围 / 不符合条件 / 需补正.
    pub verdict: String,
    /// The articles or what to supply, one line each.
    pub reasons: Vec<String>,
}

pub const ADMISSIBLE: &str = "符合条件，列入评审范围";
pub const INELIGIBLE: &str = "不符合条件";
pub const INCOMPLETE: &str = "需补正";
/// A submission the studio's later one replaces: not judged again, not reviewed.
pub const SUPERSEDED: &str = "已由后来的申报取代";

impl Conclusion {
    pub fn admissible(&self) -> bool {
        self.verdict == ADMISSIBLE
    }

    /// The conclusion in one line, as the register shows it.
    pub fn line(&self) -> String {
        if self.reasons.is_empty() {
            self.verdict.clone()
        } else {
            format!("{}（{}）", self.verdict, self.reasons.join("；"))
        }
    }
}

/// The work folders intake unpacks scans into, inside the output folder.
const STAGE_PREFIX: &str = ".dashi-intake";

/// Work folders a killed run left (`.dashi-intake-<pid>-<n>` of a process that no
/// longer runs) are removed: they can hold hundreds of megabytes of unpacked scans.
fn remove_stale_stages(out: &Path) {
    let prefix = format!("{STAGE_PREFIX}-");
    for entry in std::fs::read_dir(out).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !process_runs(pid) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether a process of this id runs (on Linux; elsewhere another intake into the same
/// folder at the same time is not expected, and its folder is taken as left over).
fn process_runs(pid: u32) -> bool {
    cfg!(target_os = "linux") && Path::new(&format!("/proc/{pid}")).exists()
}

/// What a run did.
#[derive(Debug)]
pub struct Done {
    pub ledger: Ledger,
    /// Files written, relative to the output folder.
    pub written: Vec<String>,
    /// Notes for the clerk (typed digests that matched nobody, carried submissions).
    pub notes: Vec<String>,
}

/// Why intake could not run at all (a broken submission never stops it).
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    #[error("{0}")]
    Input(String, Option<String>),
    #[error("无法写入 {}：{}", path.display(), crate::fsio::why(source))]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Render(#[from] crate::typeset::TypesetError),
}

impl IntakeError {
    fn input(message: impl Into<String>, hint: impl Into<String>) -> IntakeError {
        IntakeError::Input(message.into(), Some(hint.into()))
    }

    fn write(path: &Path) -> impl Fn(std::io::Error) -> IntakeError + '_ {
        move |source| IntakeError::Write {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl crate::failure::Failure for IntakeError {
    fn hint(&self) -> Option<String> {
        match self {
            IntakeError::Input(_, hint) => hint.clone(),
            IntakeError::Write { source, .. } => crate::fsio::write_hint(source),
            IntakeError::Render(e) => crate::failure::Failure::hint(e),
        }
    }
}

/// Runs intake: examines every input, judges them with every earlier submission of
/// the output folder, writes the outputs.
pub fn run(options: &Options<'_>) -> Result<Done, IntakeError> {
    let inputs::Expanded {
        inputs: found,
        skipped,
    } = inputs::expand(&options.inputs)?;
    if found.is_empty() {
        return Err(IntakeError::input(
            "给出的输入中没有找到任何申报（压缩包、光盘映像或包文件夹）",
            "给出 .zip、.iso 文件，解压后的包文件夹，或存放它们的文件夹",
        ));
    }
    let typed = match &options.digests {
        Some(path) => Some(digests::read(path)?),
        None => None,
    };
    crate::fsio::create_dirs(&options.out).map_err(IntakeError::write(&options.out))?;
    let previous = Ledger::read(&options.out)?;
    let secret = secret::Secret::of_folder(&options.out)?;
    remove_stale_stages(&options.out);
    let stage = crate::fsio::TempDir::within(&options.out, STAGE_PREFIX)
        .map_err(IntakeError::write(&options.out))?;
    let progress = options.progress;
    progress.start(found.len() as u64);
    let examined: Vec<examine::Examined> = {
        let indexed: Vec<(usize, &inputs::Input)> = found.iter().enumerate().collect();
        indexed
            .par_iter()
            .map(|(i, input)| {
                let work = stage.path().join(i.to_string());
                let done = crate::failure::caught(&input.path, || {
                    examine::examine(input, &work, options.renderer)
                })
                .unwrap_or_else(|said| {
                    let _ = std::fs::remove_dir_all(&work);
                    examine::defect(input, said)
                });
                progress.item_done(&crate::portable::path_shown(&input.path));
                done
            })
            .collect::<Vec<_>>()
    };
    progress.finish();
    drop(stage);

    let mut ledger = previous.clone().unwrap_or_default();
    let mut notes: Vec<String> = skipped.iter().map(|s| format!("未受理：{s}")).collect();
    let forgotten = ledger.forget_plain_digests();
    if forgotten > 0 {
        notes.push(format!(
            "intake.json 由旧版 dashi 写入，其中 {forgotten} 份申报的身份证号摘要可被反推，已删除；这些申报再次给出时重新核对身份证号"
        ));
    }
    let (fresh, received) = ledger.receive(examined, options.received);
    notes.extend(received);
    if let Some(typed) = &typed {
        notes.extend(digests::compare(typed, &mut ledger.submissions));
    }
    let carried = ledger.submissions.iter().filter(|s| s.carried).count();
    if carried > 0 {
        notes.push(format!(
            "此前受理的 {carried} 份申报本次没有给出，已按 intake.json 保存的信息与本次的申报一并交叉核对"
        ));
    }
    notes.extend(judge::all(
        &mut ledger,
        &fresh,
        options.full_id,
        &secret,
        &options.received.to_string(),
    ));
    if !options.full_id {
        mask::all(&mut ledger);
    }
    let date = options
        .renderer
        .source_date
        .or_else(|| ledger.latest_received())
        .unwrap_or(options.received);
    let (written, unprinted) = sheets::write_all(
        options.renderer,
        &mut ledger,
        previous.as_ref(),
        &options.out,
        date,
    )?;
    let register = options.out.join(REGISTER);
    let bytes = register::xlsx(&ledger, &skipped, date)
        .map_err(|e| IntakeError::Input(format!("无法生成受理登记表：{e}"), None))?;
    crate::fsio::write_atomic(&register, &bytes).map_err(IntakeError::write(&register))?;
    ledger.write(&options.out)?;
    remove_stale(&options.out, &ledger);
    notes.extend(unprinted);
    let mut all = vec![REGISTER.to_string(), LEDGER.to_string()];
    all.extend(written);
    Ok(Done {
        ledger,
        written: all,
        notes,
    })
}

/// Removes the sheets in 初审/ and 专家评审表/ that no submission has now: those a
/// studio no longer admissible kept, those of an old numbering, those a run stopped
/// midway left. Files not named as intake names its sheets are left alone.
fn remove_stale(out: &Path, now: &Ledger) {
    let current: std::collections::BTreeSet<&String> = now
        .submissions
        .iter()
        .flat_map(|s| s.files.iter())
        .collect();
    for dir in [REVIEW_DIR, EXPERT_DIR] {
        for entry in std::fs::read_dir(out.join(dir))
            .into_iter()
            .flatten()
            .flatten()
        {
            let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                continue;
            };
            if ledger::is_sheet_name(&name) && !current.contains(&format!("{dir}/{name}")) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}
