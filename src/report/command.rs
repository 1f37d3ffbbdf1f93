//! `dashi report` from start to end: read the archive and the two input files, compute
//! the report, find what is wrong, and — unless only checking, or something is an
//! error — write the PDF, and with `--record` add it and its JSON to the archive as a
//! new version (so the archive holds what was submitted).

use std::path::{Path, PathBuf};

use super::check::Located;
use super::{Evaluation, Kind, Period};
use crate::archive::head::{self, Revised};
use crate::archive::inventory::created;
use crate::archive::lock::Lock;
use crate::archive::version::{self, Commit, Committed, NewFile};
use crate::archive::{Archive, ArchiveError};
use crate::data::dates::{Date, YearMonth};
use crate::data::load::LoadError;
use crate::data::model::Application;
use crate::finding::Severity;
use crate::typeset::{Renderer, TypesetError};

/// What `dashi report` is asked.
pub struct Options<'a> {
    pub archive: PathBuf,
    pub kind: Kind,
    /// The first month; for 验收 the month of the application when absent.
    pub from: Option<YearMonth>,
    pub to: YearMonth,
    /// For 整改: the indicators the 限期整改通知书 named (编号).
    pub focus: Vec<String>,
    pub output: PathBuf,
    pub indicators: Option<PathBuf>,
    pub evaluation: Option<PathBuf>,
    /// Only check: write nothing.
    pub check_only: bool,
    /// Add the report to the archive.
    pub record: bool,
    pub today: Date,
    pub now: i64,
    pub renderer: &'a Renderer,
    /// How long to wait for an archive another dashi is using.
    pub lock_wait: std::time::Duration,
}

/// What a report run did.
pub struct Reported {
    pub evaluation: Evaluation,
    /// Findings, by the file they are in (warnings only when the report was written).
    pub findings: Located,
    /// The PDF written, unless only checking.
    pub written: Option<PathBuf>,
    /// The version the pending records were filed as, before the report.
    pub filed: Option<Committed>,
    /// Where the report went with `--record`: the mutable head (预归档).
    pub recorded: Option<Revised>,
}

/// Why no report was written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// The indicator or self-evaluation file could not be read.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// Errors were found (shown with their locations).
    #[error("有错误，未生成报告")]
    Findings(Located),
    /// A 整改报告 names an indicator the indicator set does not have.
    #[error("指标体系“{set}”中没有编号为 {id} 的指标")]
    UnknownIndicator { id: String, set: String },
    /// The archive's first version holds no application data.
    #[error("档案第一版中没有申报数据文件，无法生成报告")]
    NoApplication,
    #[error(transparent)]
    Typeset(#[from] TypesetError),
    /// The PDF could not be written.
    #[error("无法写入 {}：{}", path.display(), crate::fsio::why(source))]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl crate::failure::Failure for ReportError {
    fn hint(&self) -> Option<String> {
        match self {
            ReportError::Archive(e) => e.hint(),
            ReportError::Load(e) => e.hint(),
            ReportError::Typeset(e) => e.hint(),
            ReportError::NoApplication => {
                Some("用 dashi archive init 从申报材料建立的档案才能生成报告".into())
            }
            ReportError::Write { source, .. } => {
                crate::fsio::write_hint(source).or_else(|| Some("确认输出位置可以写入".into()))
            }
            ReportError::Findings(_) => Some("改正错误后重新运行".into()),
            ReportError::UnknownIndicator { .. } => Some(
                "--failed 写限期整改通知书中未达到要求的指标编号（如 C1,E1），用逗号分开".into(),
            ),
        }
    }

    fn exit(&self) -> crate::failure::Exit {
        match self {
            ReportError::Findings(_) => crate::failure::Exit::Findings,
            ReportError::Load(e) => e.exit(),
            _ => crate::failure::Exit::Unusable,
        }
    }

    fn details(&self) -> Option<crate::failure::Details<'_>> {
        match self {
            ReportError::Findings(all) => Some(crate::failure::Details::Files(
                crate::finding::by_file(all),
                crate::finding::Blocked::Report,
            )),
            ReportError::Load(e) => e.details(),
            _ => None,
        }
    }
}

/// Runs a report. Pending records are filed first (归档), so that the report counts
/// and names a version whose inventory exists.
pub fn run(options: &Options<'_>) -> Result<Reported, ReportError> {
    let Evaluated {
        mut evaluation,
        mut findings,
        pending,
        app,
    } = evaluate_archive(options)?;
    if options.check_only {
        return Ok(Reported {
            evaluation,
            findings,
            filed: None,
            written: None,
            recorded: None,
        });
    }
    // A major add stopped before its 重大事项报告 is completed first (best effort:
    // `archive repair` says why when it cannot be).
    let completed = crate::record::add::complete_majors(
        &options.archive,
        &crate::record::add::AddOptions {
            today: options.today,
            now: options.now,
            user: None,
            renderer: options.renderer,
            lock_wait: options.lock_wait,
        },
    )
    .ok();
    let pending = pending || completed.is_some_and(|c| c.filed.is_some() || !c.reports.is_empty());
    let mut filed = None;
    if pending {
        filed = crate::room::filing::file_pending(
            &options.archive,
            None,
            created(options.now),
            options.lock_wait,
            Some(options.renderer),
        )?
        .1;
        let again = evaluate_archive(options)?;
        (evaluation, findings) = (again.evaluation, again.findings);
    }
    let date = options.renderer.source_date.unwrap_or(options.today);
    let pdf = super::render::typeset(options.renderer, &app, &evaluation, date)?;
    crate::fsio::write_atomic(&options.output, &pdf).map_err(|source| ReportError::Write {
        path: options.output.clone(),
        source,
    })?;
    let recorded = if options.record {
        Some(record(options, &evaluation, pdf)?)
    } else {
        None
    };
    Ok(Reported {
        evaluation,
        findings,
        filed,
        written: Some(options.output.clone()),
        recorded,
    })
}

/// A report computed from the archive as it is (pending records included).
struct Evaluated {
    evaluation: Evaluation,
    /// What its checks found (warnings only).
    findings: Located,
    /// Whether records are pending (预归档).
    pending: bool,
    app: Application,
}

/// The report computed from the archive as it is; `Err` when its checks found errors.
fn evaluate_archive(options: &Options<'_>) -> Result<Evaluated, ReportError> {
    let archive = Archive::open(&options.archive)?;
    let facts = super::facts::gather(&archive);
    let Some(app) = facts.app.clone() else {
        return Err(ReportError::NoApplication);
    };
    let indicators = super::inputs::indicators(options.indicators.as_deref())?;
    let own = super::inputs::evaluation(options.evaluation.as_deref(), indicators.value.as_ref())?;
    let mut findings: Located = Vec::new();
    for (doc, f) in [
        (indicators.doc.clone(), indicators.findings.clone()),
        (own.doc.clone(), own.findings.clone()),
    ] {
        if !f.is_empty() {
            findings.push((doc, f));
        }
    }
    let (Some(set), Some(own_value)) = (indicators.value, own.value) else {
        return Err(ReportError::Findings(findings));
    };
    // 验收 counts the building years from the archive's first version (the studio's
    // start), or from its first record when the archive was begun later; 考核 from the
    // application.
    let start = match options.kind {
        Kind::Acceptance => {
            let first = archive
                .inventory
                .version(1)
                .and_then(|(_, v)| YearMonth::parse(v.created.get(..7)?))
                .unwrap_or(app.filled_on.year_month());
            facts
                .records
                .iter()
                .map(|a| a.record.date.year_month())
                .min()
                .map_or(first, |r| r.min(first))
        }
        Kind::Evaluation | Kind::Rectification => app.filled_on.year_month(),
    };
    if let Some(unknown) = options
        .focus
        .iter()
        .find(|id| !set.indicators.iter().any(|i| i.id == id.trim()))
    {
        return Err(ReportError::UnknownIndicator {
            id: unknown.clone(),
            set: set.title.clone(),
        });
    }
    let period = Period {
        from: options.from.unwrap_or(start),
        to: options.to,
    };
    let evaluation = super::evaluate(
        &facts,
        options.kind,
        period,
        &set,
        &own_value,
        options.today,
        &options.focus,
    );
    findings.extend(super::check::run(
        &facts,
        &evaluation,
        period,
        options.today,
        &options.archive,
    ));
    let errors = findings
        .iter()
        .flat_map(|(_, f)| f)
        .any(|f| f.severity() == Severity::Error);
    if errors {
        return Err(ReportError::Findings(findings));
    }
    Ok(Evaluated {
        evaluation,
        findings,
        pending: archive.head.is_some(),
        app,
    })
}

/// Adds the report and its JSON to the archive as a new version.
fn record(
    options: &Options<'_>,
    evaluation: &Evaluation,
    pdf: Vec<u8>,
) -> Result<Revised, ReportError> {
    let _lock = Lock::acquire(&options.archive, options.lock_wait)?;
    version::repair(&options.archive)?;
    let mut archive = Archive::open(&options.archive)?;
    let label = match evaluation.kind {
        Kind::Evaluation => "考核",
        Kind::Acceptance => "验收",
        Kind::Rectification => "整改",
    };
    let folder = format!(
        "报告/{label}-{}至{}",
        evaluation.period.from, evaluation.period.to
    );
    let doc = super::render::doc(evaluation.kind);
    let json = serde_json::to_vec_pretty(evaluation).expect("a report serializes");
    let stem = Path::new(doc.file_name())
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let user = crate::room::settings::operator(&archive, None);
    let committed = head::revise(
        &mut archive,
        Commit {
            message: format!(
                "{}（{label}）：{}，由版本 {} 计算",
                doc.title(),
                evaluation.period_text,
                evaluation.version
            ),
            user,
            created: created(options.now),
            files: vec![
                NewFile::from_bytes(format!("{folder}/{}", doc.file_name()), pdf),
                NewFile::from_bytes(format!("{folder}/{stem}.json"), json),
            ],
            removed: Vec::new(),
        },
    )?;
    Ok(committed)
}
