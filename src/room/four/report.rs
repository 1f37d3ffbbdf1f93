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
    /// A program could have judged it, but none was there to run (an antivirus).
    #[serde(rename = "未检测")]
    NotChecked,
    /// Only a person can judge it (a disc's surface): the result is written by hand.
    #[serde(rename = "人工检测")]
    Manual,
}

impl Outcome {
    pub fn words(self) -> &'static str {
        match self {
            Outcome::Pass => "通过",
            Outcome::Fail => "不通过",
            Outcome::NotApplicable => "不适用",
            Outcome::Unverified => "未核对",
            Outcome::NotChecked => "未检测",
            Outcome::Manual => "人工检测",
        }
    }
}

/// One item checked.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Its number in DA/T 70-2018 at the 环节 checked: `1-7`, or `1-9～1-11` for an
    /// item that covers several of the standard's.
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
    /// The studio whose archive it is, as its application names it (empty when the
    /// archive holds none that reads).
    pub studio: String,
    pub fonds: String,
    pub fonds_name: String,
    /// The filed version checked and its inventory digest.
    pub version: String,
    pub digest: String,
    /// The digest in four lines of four groups of eight.
    pub digest_lines: Vec<String>,
    pub totals: Totals,
    pub checks: Vec<Check>,
    /// Counts of 通过, 不通过, 不适用, 未核对, 未检测 and 人工检测.
    pub passed: usize,
    pub failed: usize,
    pub not_applicable: usize,
    pub unverified: usize,
    pub not_checked: usize,
    pub manual: usize,
    /// Whether the machine found the object sound: no item failed and the package was
    /// checked against the sender's digest. Items left to a person or to an absent
    /// antivirus keep the 结论 from reading 通过, not the exit status.
    pub intact: bool,
    /// The 结论 in words: 通过 only when every item passed or does not apply.
    pub conclusion: String,
    /// When it was checked (China time).
    pub date: String,
    /// Files earlier versions hold that a correction took out of the archive: kept as
    /// history, not part of today's archive, so not judged as it.
    pub superseded: Vec<String>,
    /// Records added but not yet 归档ed (not part of this check).
    pub pending: Option<String>,
}

/// Why a 检测 could not be made at all.
#[derive(Debug, thiserror::Error)]
pub enum FourError {
    #[error("{} 不是工作室档案，也不是 dashi 导出的移交包（没有 inventory.json 或 档案/inventory.json）", .0.display())]
    NotAnArchive(std::path::PathBuf),
    #[error("--expect 给出的是 64 位的摘要（移交包的数字摘要），但 {} 是档案，不是移交包", .0.display())]
    NotAPackageDigest(std::path::PathBuf),
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
            FourError::NotAPackageDigest(_) => {
                "核对档案时给出版本清单摘要（128 位，印在检测报告和考核、验收报告末页）；登记表上的数字摘要用于核对移交包（dashi verify 移交.iso --四性 --expect 摘要）".into()
            }
        })
    }
}

/// The 结论 from the counts: 通过 only when nothing failed and nothing is left undone;
/// otherwise what the machine judged and what is left ("机检 N 项通过；人工检测 M 项待填写").
pub(super) fn conclusion(checks: &[Check]) -> String {
    let count = |o: Outcome| checks.iter().filter(|c| c.outcome == o).count();
    if count(Outcome::Fail) > 0 {
        return "不通过".into();
    }
    let (unverified, not_checked, manual) = (
        count(Outcome::Unverified),
        count(Outcome::NotChecked),
        count(Outcome::Manual),
    );
    if unverified + not_checked + manual == 0 {
        return "通过".into();
    }
    let mut out = format!("机检 {} 项通过", count(Outcome::Pass));
    if unverified > 0 {
        out += &format!("，{unverified} 项未核对");
    }
    if not_checked > 0 {
        out += &format!("，{not_checked} 项未检测");
    }
    if manual > 0 {
        out += &format!("；人工检测 {manual} 项待填写");
    }
    out + "，尚不能判定为通过"
}
