//! `dashi verify`: checks any BagIt bag — a folder or a zip read in place — the way
//! RFC 8493 asks: `bagit.txt`, every manifest against every payload file (each listed
//! file present and unchanged, each payload file listed), the tag manifests,
//! Payload-Oxum, and `--expect` (the evidence digest on the paper pledge, or the seal).
//! Every file is hashed once, streaming, on every core. It stands alone: it never uses
//! the renderer or the rules, so it verifies any bag, not only dashi's.

mod bag;
pub mod entry;
pub(crate) mod iso;
pub mod ocfl;
pub mod source;
pub mod tagfiles;
pub mod text;
mod zip_dir;

use std::path::Path;

use serde::Serialize;

use crate::progress::Progress;
use source::{Source, SourceError};

/// What became of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FileState {
    /// 已篡改: the content differs from the manifest.
    #[serde(rename = "已篡改")]
    Altered,
    /// 缺失: listed but not there.
    #[serde(rename = "缺失")]
    Missing,
    /// 多余: in the payload but in no manifest.
    #[serde(rename = "多余")]
    Extra,
    /// 无法读取: there, but the system refused to read it (permissions, a disc
    /// error): not known to be altered, not known to be whole.
    #[serde(rename = "无法读取")]
    Unreadable,
}

impl FileState {
    pub fn label(self) -> &'static str {
        match self {
            FileState::Altered => "已篡改",
            FileState::Missing => "缺失",
            FileState::Extra => "多余",
            FileState::Unreadable => "无法读取",
        }
    }
}

/// One problem with a bag.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// Whether the bag is broken (错误) or only odd (警告).
    pub error: bool,
    pub path: Option<String>,
    pub state: Option<FileState>,
    pub message: String,
}

impl Problem {
    /// The problem in one line: `错误：[已篡改] data/x.pdf：…`.
    pub fn line(&self) -> String {
        let level = if self.error { "错误" } else { "警告" };
        let state = self
            .state
            .map(|s| format!("[{}] ", s.label()))
            .unwrap_or_default();
        match &self.path {
            Some(path) => format!("{level}：{state}{path}：{}", self.message),
            None => format!("{level}：{}", self.message),
        }
    }
}

/// The verification report (also printed as JSON with `--json`).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub bag: String,
    pub version: Option<String>,
    pub payload_files: usize,
    pub payload_bytes: u64,
    pub algorithms: Vec<String>,
    /// Whose bag it is and when it was made, as bag-info.txt says (External-Identifier,
    /// Bagging-Date): what a reviewer matches with the paper first.
    pub identifier: Option<String>,
    pub bagging_date: Option<String>,
    pub evidence_digest: Option<String>,
    pub seal: Option<String>,
    pub problems: Vec<Problem>,
    pub intact: bool,
}

impl Report {
    fn error(&mut self, path: Option<&str>, state: Option<FileState>, message: impl Into<String>) {
        self.problems.push(Problem {
            error: true,
            path: path.map(str::to_string),
            state,
            message: message.into(),
        });
    }

    fn warn(&mut self, path: Option<&str>, message: impl Into<String>) {
        self.problems.push(Problem {
            error: false,
            path: path.map(str::to_string),
            state: None,
            message: message.into(),
        });
    }
}

/// Verifies the bag at `path`; `expect` is a digest the bag must carry (its evidence
/// digest or its seal). Errors only when the path cannot be read at all.
pub fn verify(
    path: &Path,
    expect: Option<&str>,
    progress: &dyn Progress,
) -> Result<Report, SourceError> {
    let source = Source::open(path)?;
    let mut report = Report {
        bag: path.display().to_string(),
        version: None,
        payload_files: 0,
        payload_bytes: 0,
        algorithms: Vec::new(),
        identifier: None,
        bagging_date: None,
        evidence_digest: None,
        seal: None,
        problems: Vec::new(),
        intact: false,
    };
    bag::check(&source, &mut report, expect, progress);
    progress.finish();
    report.intact = !report.problems.iter().any(|p| p.error);
    Ok(report)
}

/// A digest as a reviewer types it from paper — in groups, with spaces (also
/// full-width), hyphens or colons between them, in either case — as 64 lowercase hex
/// digits; or why it cannot be one.
pub fn expected_digest(typed: &str) -> Result<String, String> {
    let digits: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | ':'))
        .collect::<String>()
        .to_ascii_lowercase();
    if let Some(bad) = digits.chars().find(|c| !c.is_ascii_hexdigit()) {
        return Err(format!("期望的摘要中有“{bad}”，摘要只由 0–9 和 a–f 组成"));
    }
    if digits.len() != 64 && digits.len() != 128 {
        return Err(format!(
            "期望的摘要应为 64 位（电子材料摘要、封存值、移交包的数字摘要）或 128 位（档案版本清单摘要）十六进制数，实为 {} 位",
            digits.len()
        ));
    }
    Ok(digits)
}

/// What `dashi verify` found: a bag's report, or an OCFL object's.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Verified {
    Bag(Report),
    Object(ocfl::ObjectReport),
}

impl Verified {
    pub fn intact(&self) -> bool {
        match self {
            Verified::Bag(r) => r.intact,
            Verified::Object(r) => r.intact,
        }
    }
}

/// Verifies whatever `path` is: an OCFL object (the studio archive) or a bag (folder,
/// zip, disc image or mounted disc).
pub fn verify_any(
    path: &Path,
    expect: Option<&str>,
    progress: &dyn Progress,
) -> Result<Verified, SourceError> {
    if path.is_dir() && ocfl::is_object(path) {
        let expect = expect.map(|e| expected_digest(e).unwrap_or_else(|_| e.to_string()));
        return Ok(Verified::Object(ocfl::verify_object(
            path,
            expect.as_deref(),
            progress,
        )));
    }
    verify(path, expect, progress).map(Verified::Bag)
}
