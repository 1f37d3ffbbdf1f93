//! `dashi ledger change`: a 领办人变更 (第十二条（二）) received and decided. The sealed
//! request (`dashi change`) is examined as intake examines a submission — verified, its
//! data file checked by every rule of an application, 第七条 for the new master
//! included — and its change request read. The former master must be the studio's
//! master in the ledger (R703); the new master is cross-checked against every other
//! studio: by ID against the people each round kept as keyed digests (R711), by name
//! against their masters and people (R712). Without a decision the request waits in
//! the status (待核准); 核准 (refused while any error stands) makes the new master the
//! studio's, 不予核准 keeps the old one; either way a 核准意见 is issued.

use std::path::{Path, PathBuf};

use super::entry::{Action, MasterChange};
use super::{Actor, Appended, ISSUED_DIR, Ledger, LedgerError, RECEIVED_DIR};
use crate::archive::version::NewFile;
use crate::data::change::{self, ChangeRequest};
use crate::finding::{Code, Severity};
use crate::intake::Problem;
use crate::render::Doc;
use crate::typeset::Renderer;

/// What `ledger change` is asked.
pub struct Options<'a> {
    pub studio: String,
    pub request: PathBuf,
    /// `None`: received only; `Some(true)` 核准, `Some(false)` 不予核准.
    pub decision: Option<bool>,
    pub out: PathBuf,
    pub renderer: &'a Renderer,
}

/// What it did.
pub struct Decided {
    pub change: MasterChange,
    pub problems: Vec<Problem>,
    /// The 核准意见 (or 不予核准意见) written.
    pub written: Option<PathBuf>,
    /// On 核准: the record the studio adds to its archive (成员, 更换领办人), the
    /// 核准意见 beside it as its approval.
    pub record: Option<PathBuf>,
    /// `None`: the same request and decision were entered before.
    pub appended: Option<Appended>,
}

/// Receives (and with a decision, decides) the change request `options.request`.
pub fn run(actor: &Actor<'_>, options: &Options<'_>) -> Result<Decided, LedgerError> {
    let ledger = Ledger::open_to_change(actor.root, actor.wait)?;
    let state = ledger.state();
    let studio = state
        .studios
        .get(&options.studio)
        .ok_or_else(|| LedgerError::UnknownStudio(options.studio.clone()))?;
    if let Some((date, _)) = &studio.revoked {
        return Err(LedgerError::input(
            format!("工作室 {} 已于 {date} 撤销", options.studio),
            "已撤销的工作室不再变更领办人",
        ));
    }
    let stage = crate::fsio::TempDir::new("dashi-change")
        .map_err(LedgerError::write(Path::new("临时文件夹")))?;
    let input = crate::intake::inputs::Input {
        path: options.request.clone(),
        form: crate::intake::inputs::Form::Zip,
    };
    // A defect of dashi's met in a hostile request is said as this request's problem,
    // as intake says it of a submission.
    let examined = crate::failure::caught(&options.request, || {
        crate::intake::examine::examine(&input, &stage.path().join("scans"), options.renderer)
    })
    .unwrap_or_else(|said| crate::intake::examine::defect(&input, said));
    let request = read_request(&options.request)?;
    let seal = examined.seal.clone().unwrap_or_default();
    // The same request with the same decision, entered before (a run interrupted,
    // or run twice): not entered again, and not judged against what it changed.
    if let Some((_, earlier)) = studio
        .changes
        .iter()
        .chain(studio.pending_change.iter())
        .find(|(_, c)| !seal.is_empty() && c.seal == seal && c.approved == options.decision)
    {
        return Ok(Decided {
            change: earlier.clone(),
            problems: Vec::new(),
            written: None,
            record: None,
            appended: None,
        });
    }
    let mut problems = examined.problems.clone();
    if request.former_master.trim() != studio.studio.master.trim() {
        problems.push(
            Problem::new(
                Code::FormerMaster,
                format!(
                    "变更申请的原领办人是{}，台账中工作室 {} 的领办人是{}",
                    request.former_master.trim(),
                    studio.studio.id,
                    studio.studio.master
                ),
            )
            .hint("核对变更申请的工作室编号和原领办人"),
        );
    }
    let master = examined.traits.as_ref().and_then(|t| t.master.clone());
    let skill_level = examined
        .facts
        .as_ref()
        .map(|f| f.skill_level.clone())
        .unwrap_or_default();
    if let Some(master) = &master {
        let secret = super::secret(actor.root)?;
        let digest = secret.id(&master.id.trim().to_uppercase());
        for other in state.active().filter(|s| s.studio.id != studio.studio.id) {
            let people = other
                .rounds
                .last()
                .map(|(_, r)| r.figures.people.clone())
                .unwrap_or_default();
            if let Some(p) = people.iter().find(|p| p.id == digest) {
                problems.push(
                    Problem::new(
                        Code::MasterElsewhere,
                        format!(
                            "新领办人{}的身份证号与工作室 {}（{}）的{}{}相同",
                            master.name, other.studio.id, other.studio.name, p.role, p.name
                        ),
                    )
                    .hint("一人不能同时在两个工作室任领办人或成员（第十五条）；另选新领办人，或先办理其在该工作室的退出"),
                );
            } else if other.studio.master.trim() == master.name.trim()
                || people.iter().any(|p| p.name == master.name.trim())
            {
                problems.push(
                    Problem::new(
                        Code::NameElsewhere,
                        format!(
                            "新领办人{}与工作室 {}（{}）的领办人或成员同名",
                            master.name, other.studio.id, other.studio.name
                        ),
                    )
                    .hint("核对两人的身份证号是否相同"),
                );
            }
        }
    }
    let errors = problems.iter().any(|p| p.level == Severity::Error);
    if options.decision == Some(true) && errors {
        return Err(LedgerError::input(
            format!(
                "变更申请有 {} 个错误，不能核准",
                problems
                    .iter()
                    .filter(|p| p.level == Severity::Error)
                    .count()
            ),
            "按所列问题请依托单位改正后重新报送；或以 --decision 不予核准 作出决定",
        ));
    }
    let new_id = master.as_ref().map(|m| m.id.clone()).unwrap_or_default();
    let new_master = master.map(|m| m.name).unwrap_or_default();
    let new_name = examined
        .facts
        .as_ref()
        .map(|f| f.studio.clone())
        .unwrap_or_default();
    let change = MasterChange {
        studio: options.studio.clone(),
        seal: seal.clone(),
        former_master: request.former_master.trim().to_string(),
        new_master,
        new_name,
        reason: request.reason.label().to_string(),
        left_on: request.left_on,
        approved: options.decision,
        findings: problems.iter().map(said).collect(),
    };
    let mut files = vec![
        NewFile::from_file(
            format!("{RECEIVED_DIR}/{}/变更领办人申请.zip", options.studio),
            &options.request,
        )
        .map_err(LedgerError::write(&options.request))?,
    ];
    let mut written = None;
    let mut record = None;
    if let Some(approved) = options.decision {
        let pdf = decision_pdf(actor, options, &state.settings.bureau, &change, approved)?;
        let name = format!(
            "{}-领办人变更{}.pdf",
            options.studio,
            if approved { "核准" } else { "不予核准" }
        );
        files.push(NewFile::from_bytes(
            format!("{ISSUED_DIR}/{name}"),
            pdf.clone(),
        ));
        crate::fsio::create_dirs(&options.out).map_err(LedgerError::write(&options.out))?;
        let path = options.out.join(&name);
        crate::fsio::write_atomic(&path, &pdf).map_err(LedgerError::write(&path))?;
        written = Some(path);
        if approved {
            let toml = archive_record(actor, &change, &new_id, &skill_level, &name);
            let path = options
                .out
                .join(format!("{}-领办人变更记录.toml", options.studio));
            crate::fsio::write_atomic(&path, toml.as_bytes()).map_err(LedgerError::write(&path))?;
            record = Some(path);
        }
    }
    let summary = format!(
        "{} {}：{}→{}，{}",
        options.studio,
        studio.studio.name,
        change.former_master,
        change.new_master,
        match options.decision {
            None => "收到，待核准",
            Some(true) => "核准",
            Some(false) => "不予核准",
        }
    );
    let appended = super::append(
        actor,
        Action::MasterChanged(change.clone()),
        files,
        &summary,
    )?;
    Ok(Decided {
        change,
        problems,
        written,
        record,
        appended: Some(appended),
    })
}

/// The change request sealed in the bag (`data/变更申请/变更申请.toml`).
fn read_request(zip: &Path) -> Result<ChangeRequest, LedgerError> {
    let bad = |why: String| {
        LedgerError::input(
            format!("{}：{why}", zip.display()),
            "报送 dashi change 写出的压缩包（变更领办人申请）",
        )
    };
    let source = crate::verify::source::Source::open(zip).map_err(|e| bad(e.to_string()))?;
    let suffix = change::BAG_PATH;
    let entry = source
        .entries()
        .iter()
        .find(|e| e.path.ends_with(&suffix))
        .ok_or_else(|| bad(format!("包中没有 {suffix}，不是变更领办人申请")))?;
    if entry.size > 1024 * 1024 {
        return Err(bad(format!("{suffix} 太大")));
    }
    let mut bytes = Vec::new();
    source
        .stream(entry, &mut |chunk| bytes.extend_from_slice(chunk))
        .map_err(|e| bad(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|_| bad(format!("{suffix} 不是 UTF-8 文本")))?;
    toml::from_str(&text).map_err(|e| bad(format!("{suffix} 无法读取：{}", e.message())))
}

/// The record of the change for the studio's archive (第十一条): a 成员 record of kind
/// 更换领办人, the 核准意见 (`approval`, beside it) as the approval R307 asks for.
fn archive_record(
    actor: &Actor<'_>,
    change: &MasterChange,
    id: &str,
    skill_level: &str,
    approval: &str,
) -> String {
    let quoted = |s: &str| toml::Value::String(s.to_string()).to_string();
    format!(
        "# 领办人变更的档案记录（第十一条、第十二条（二））：由市人社局的核准意见生成。\n\
         # 与核准意见（{approval}）放在同一文件夹，运行 dashi record add 档案文件夹 本文件\n\
         format_version = 1\n\
         id = {}\n\
         kind = \"成员\"\n\
         date = \"{}\"\n\
         title = {}\n\n\
         [member]\n\
         change = \"更换领办人\"\n\
         name = {}\n\
         id_number = {}\n\
         role = \"领办人\"\n\
         skill_level = {}\n\
         approval = {}\n",
        quoted(&format!("成员-{}-更换领办人", actor.date)),
        actor.date,
        quoted(&format!(
            "更换领办人：{}→{}（{}，市人社局核准）",
            change.former_master, change.new_master, change.reason
        )),
        quoted(&change.new_master),
        quoted(id),
        quoted(skill_level),
        quoted(approval),
    )
}

/// A problem in one line.
fn said(p: &Problem) -> String {
    format!("{}[{}]：{}", p.level.label(), p.code.id(), p.message)
}

/// The 核准意见 (or 不予核准意见) as PDF.
fn decision_pdf(
    actor: &Actor<'_>,
    options: &Options<'_>,
    bureau: &str,
    change: &MasterChange,
    approved: bool,
) -> Result<Vec<u8>, LedgerError> {
    let data = serde_json::json!({ "d": {
        "approved": approved,
        "studio": change.new_name,
        "number": change.studio,
        "former": change.former_master,
        "new": change.new_master,
        "reason": change.reason,
        "left_on_cn": change.left_on.chinese(),
        "findings": change.findings,
        "bureau": bureau,
        "date_cn": actor.date.chinese(),
    }});
    super::document(
        options.renderer,
        Doc::CHANGE_DECISION,
        &data,
        bureau,
        &format!("dashi/台账/领办人变更/{}", change.studio),
        actor.date,
    )
}
