//! What a 四性检测 says: the point of the archive's life it judges, the four
//! properties, each item's outcome, the totals and the report, and why one could not be
//! made.

use serde::Serialize;

/// The point of the archive's life being checked (DA/T 70-2018 5, 6, 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Stage {
    #[serde(rename = "归档")]
    Filing,
    #[serde(rename = "移交与接收")]
    Transfer,
    #[serde(rename = "长期保存")]
    Preservation,
}

impl Stage {
    pub fn words(self) -> &'static str {
        match self {
            Stage::Filing => "归档",
            Stage::Transfer => "移交与接收",
            Stage::Preservation => "长期保存",
        }
    }

    pub fn from_words(text: &str) -> Option<Stage> {
        match text {
            "归档" => Some(Stage::Filing),
            "移交" | "接收" | "移交与接收" => Some(Stage::Transfer),
            "保存" | "长期保存" => Some(Stage::Preservation),
            _ => None,
        }
    }
}

/// The four properties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Property {
    #[serde(rename = "真实性")]
    Authenticity,
    #[serde(rename = "完整性")]
    Integrity,
    #[serde(rename = "可用性")]
    Usability,
    #[serde(rename = "安全性")]
    Security,
}

impl Property {
    pub const ALL: [Property; 4] = [
        Property::Authenticity,
        Property::Integrity,
        Property::Usability,
        Property::Security,
    ];

    pub fn words(self) -> &'static str {
        match self {
            Property::Authenticity => "真实性",
            Property::Integrity => "完整性",
            Property::Usability => "可用性",
            Property::Security => "安全性",
        }
    }

    fn number(self) -> u32 {
        self as u32 + 1
    }
}

/// The result of one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Outcome {
    #[serde(rename = "通过")]
    Pass,
    #[serde(rename = "不通过")]
    Fail,
    #[serde(rename = "不适用")]
    NotApplicable,
    /// Could be checked, but what to check against was not given (the sender's digest).
    #[serde(rename = "未核对")]
    Unverified,
}

impl Outcome {
    pub fn words(self) -> &'static str {
        match self {
            Outcome::Pass => "通过",
            Outcome::Fail => "不通过",
            Outcome::NotApplicable => "不适用",
            Outcome::Unverified => "未核对",
        }
    }
}

/// One item checked.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Its number: `1.3` (property, item).
    pub number: String,
    pub property: Property,
    /// 检测项目.
    pub item: String,
    /// 检测方法.
    pub method: String,
    /// 结果.
    pub outcome: Outcome,
    /// 说明: what was found, in one sentence.
    pub note: String,
    /// The 件 and files at fault, one line each ("件 档号（记录编号）：文件：问题").
    pub faults: Vec<String>,
}

/// What was checked, in figures.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    pub items: usize,
    pub files: usize,
    pub bytes: u64,
    pub pages: u64,
}

/// The 检测报告.
#[derive(Debug, Clone, Serialize)]
pub struct FourReport {
    pub stage: Stage,
    pub stage_words: &'static str,
    /// What was checked, as given.
    pub target: String,
    /// The OCFL object id.
    pub object: String,
    pub fonds: String,
    pub fonds_name: String,
    /// The filed version checked and its inventory digest.
    pub version: String,
    pub digest: String,
    /// The digest in four lines of four groups of eight.
    pub digest_lines: Vec<String>,
    pub totals: Totals,
    pub checks: Vec<Check>,
    /// Counts of 通过, 不通过, 不适用, 未核对.
    pub passed: usize,
    pub failed: usize,
    pub not_applicable: usize,
    pub unverified: usize,
    /// Whether every item passed or does not apply: none failed, none left unverified.
    pub intact: bool,
    /// The 结论 in words: 通过 only when `intact`.
    pub conclusion: String,
    /// When it was checked (China time).
    pub date: String,
    /// Records added but not yet 归档ed (not part of this check).
    pub pending: Option<String>,
}

/// Why a 检测 could not be made at all.
#[derive(Debug, thiserror::Error)]
pub enum FourError {
    #[error("{} 不是工作室档案，也不是 dashi 导出的移交包（没有 inventory.json 或 档案/inventory.json）", .0.display())]
    NotAnArchive(std::path::PathBuf),
    #[error("无法读取 {}：{}", path.display(), detail)]
    Read {
        path: std::path::PathBuf,
        detail: String,
    },
}

impl crate::failure::Failure for FourError {
    fn hint(&self) -> Option<String> {
        Some(match self {
            FourError::NotAnArchive(_) => {
                "给出档案文件夹（含 inventory.json），或 dashi archive export --移交 写出的文件夹或光盘映像".into()
            }
            FourError::Read { .. } => "确认文件存在且可以读取；光盘映像须完整".into(),
        })
    }
}

/// Numbers the items of a report: `1.1` …, property then item.
pub(super) fn number(checks: &mut [Check]) {
    for property in Property::ALL {
        for (i, c) in checks
            .iter_mut()
            .filter(|c| c.property == property)
            .enumerate()
        {
            c.number = format!("{}.{}", property.number(), i + 1);
        }
    }
}
