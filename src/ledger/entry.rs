//! One entry of the bureau's ledger: a dated, attributed action, stored once as JSON
//! (`条目/NNNN-<action>.json`) in its own version and never changed or removed. What
//! the ledger knows is what its entries say, read in order (`state`).

use serde::{Deserialize, Serialize};

use crate::data::dates::{Date, YearMonth};

/// The entries' format.
pub const FORMAT: &str = "dashi-ledger/1";

/// One action.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub format: String,
    /// 1, 2, 3 … in the order entered.
    pub number: u32,
    /// The day the action takes effect (认定日期, 评定日期, 撤销日期).
    pub date: Date,
    /// Who entered it (经办人).
    pub by: String,
    pub action: Action,
}

/// What an entry does.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    /// The ledger's settings; a later entry replaces them from its date on.
    Settings(Settings),
    /// 认定: studios brought in, from intake's decisions or from a list kept before
    /// dashi.
    Recognised {
        source: String,
        studios: Vec<Studio>,
    },
    /// Reports received in a round, each verified and recomputed.
    Received {
        round: Round,
        reports: Vec<Received>,
    },
    /// Results of a round entered from the experts' scores.
    Results { round: Round, results: Vec<Outcome> },
    /// 撤销 (第十二条（一）–（四）).
    Revoked(Revocation),
    /// Funds paid to a studio (第四章, 第十六条).
    Paid(Payment),
    /// 领办人变更 (第十二条（二）): a request received, and the decision once made.
    MasterChanged(MasterChange),
}

impl Action {
    /// Its name in the entry's file name and in the history.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Settings(_) => "设置",
            Action::Recognised { .. } => "认定",
            Action::Received { .. } => "收到报告",
            Action::Results { .. } => "评定结果",
            Action::Revoked(_) => "撤销",
            Action::Paid(_) => "拨付资金",
            Action::MasterChanged(_) => "领办人变更",
        }
    }
}

/// The ledger's settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Settings {
    /// The bureau (机关名称) printed on its documents.
    pub bureau: String,
    /// 建设期 in years, from 认定 to 验收 (第十条).
    pub build_years: u32,
    /// The score at or above which a round's result is 合格.
    pub pass_mark: f64,
    /// Days a studio has for 整改 after a 不合格 result (第十二条（三）).
    pub rectify_days: u32,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            bureau: "呼和浩特市人力资源和社会保障局".into(),
            build_years: 2,
            pass_mark: 60.0,
            rectify_days: 90,
        }
    }
}

/// 第十二条: 考核 every two years.
pub const EVALUATION_YEARS: u32 = 2;

/// A studio's level (第三条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Level {
    #[serde(rename = "市级")]
    City,
    #[serde(rename = "自治区级")]
    Region,
    #[serde(rename = "国家级")]
    National,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::City => "市级",
            Level::Region => "自治区级",
            Level::National => "国家级",
        }
    }

    pub fn parse(text: &str) -> Option<Level> {
        match text.trim() {
            "市级" | "" => Some(Level::City),
            "自治区级" | "区级" => Some(Level::Region),
            "国家级" => Some(Level::National),
            _ => None,
        }
    }
}

/// One studio as 认定ed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Studio {
    /// 受理编号 (or the number a list kept before dashi gave it): the studio's key.
    pub id: String,
    pub name: String,
    pub master: String,
    pub unit: String,
    /// 统一社会信用代码 of the unit.
    pub credit_code: String,
    pub occupation: String,
    pub level: Level,
    pub recognised: Date,
    /// The seal of the application it was 认定ed on, when dashi received it: the
    /// studio's archive begins with that bag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal: Option<String>,
}

/// Which round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoundKind {
    /// 考核 (第十二条).
    #[serde(rename = "考核")]
    Evaluation,
    /// 验收 (第十条).
    #[serde(rename = "验收")]
    Acceptance,
    /// 整改后复核 (第十二条（三）).
    #[serde(rename = "整改复核")]
    Review,
}

impl RoundKind {
    pub fn name(self) -> &'static str {
        match self {
            RoundKind::Evaluation => "考核",
            RoundKind::Acceptance => "验收",
            RoundKind::Review => "整改复核",
        }
    }
}

/// A round: its kind and name (`2029年考核`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    pub kind: RoundKind,
    pub name: String,
}

impl Round {
    /// The round of `kind` named `name`, or by the year of `date` (`2029年考核`).
    pub fn named(kind: RoundKind, name: Option<&str>, date: Date) -> Round {
        Round {
            kind,
            name: name.map_or_else(|| format!("{}年{}", date.year, kind.name()), str::to_string),
        }
    }
}

/// One report received and recomputed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Received {
    pub studio: String,
    /// The archive version the report names, and that version's inventory digest as
    /// recomputed from the export.
    pub version: String,
    pub digest: String,
    pub from: YearMonth,
    pub to: YearMonth,
    /// The figures as recomputed from the export.
    pub figures: Figures,
    /// What the comparison found, in words (empty: the report is what its records say).
    pub findings: Vec<String>,
}

/// A report's 第四章 figures, per year, as recomputed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Figures {
    pub years: Vec<YearFigures>,
    pub rules: usize,
    pub honours: usize,
    pub benefit: String,
    pub total_score: String,
    /// 经费 records in effect: received (收入) and spent (支出), in 万元, and the
    /// records.
    #[serde(default)]
    pub funds_in: f64,
    #[serde(default)]
    pub funds_out: f64,
    #[serde(default)]
    pub fund_records: Vec<String>,
    /// The studio's people as its archive names them (the application's master and
    /// members, and members who joined since), each ID kept only as its keyed digest:
    /// what a later 领办人变更 is cross-checked against.
    #[serde(default)]
    pub people: Vec<Person>,
}

/// One person of a studio, the ID as its keyed digest (`hmac-sha256:…`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    pub role: String,
    pub id: String,
}

/// One year of 第四章's outputs.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct YearFigures {
    pub year: u32,
    /// 带徒.
    pub trained: usize,
    /// 其中高级工以上.
    pub advanced: usize,
    /// 技术交流.
    pub exchanges: usize,
    /// 技术创新成果.
    pub innovations: usize,
    /// 经济效益（万元）.
    pub benefit: String,
    /// 经费 received and spent that year (万元), from the 经费 records (第四章, 第十六条).
    #[serde(default)]
    pub funds_in: f64,
    #[serde(default)]
    pub funds_out: f64,
}

/// One studio's result in a round.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Outcome {
    pub studio: String,
    pub passed: bool,
    pub score: f64,
    /// The indicators scored below their share of the pass mark, with their scores.
    pub failed: Vec<Shortfall>,
    /// The 整改 deadline of a 不合格 result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Date>,
}

/// An indicator a studio fell short on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Shortfall {
    pub id: String,
    pub item: String,
    pub weight: f64,
    pub score: f64,
    /// The recomputed figure behind it (年均带徒 1.5 名 …), when the report had one.
    pub how: String,
}

/// The cases of 第十二条.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Case {
    /// （一）所依托单位被撤销或注销.
    #[serde(rename = "（一）")]
    UnitDissolved,
    /// （二）领办人变更而不再具备建设条件.
    #[serde(rename = "（二）")]
    MasterGone,
    /// （三）绩效评估不合格，限期整改后仍不合格.
    #[serde(rename = "（三）")]
    FailedAfterRectify,
    /// （四）其他情形.
    #[serde(rename = "（四）")]
    Other,
}

impl Case {
    pub fn parse(text: &str) -> Option<Case> {
        match text
            .trim()
            .trim_matches(|c| c == '（' || c == '）' || c == '(' || c == ')')
        {
            "一" | "1" => Some(Case::UnitDissolved),
            "二" | "2" => Some(Case::MasterGone),
            "三" | "3" => Some(Case::FailedAfterRectify),
            "四" | "4" => Some(Case::Other),
            _ => None,
        }
    }

    /// The article and case: `第十二条（三）`.
    pub fn article(self) -> &'static str {
        match self {
            Case::UnitDissolved => "第十二条（一）",
            Case::MasterGone => "第十二条（二）",
            Case::FailedAfterRectify => "第十二条（三）",
            Case::Other => "第十二条（四）",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Case::UnitDissolved => "第十二条（一）所依托单位被撤销或注销",
            Case::MasterGone => "第十二条（二）建设期内变更领办人后不再具备建设条件",
            Case::FailedAfterRectify => "第十二条（三）绩效评估不合格，限期整改后仍不合格",
            Case::Other => "第十二条（四）其他情形",
        }
    }
}

/// A 撤销.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Revocation {
    pub studio: String,
    pub case: Case,
    /// The body that decided (局长办公会 for 市级).
    pub body: String,
    /// The decision's document number or its reason, in words.
    pub reason: String,
}

/// Funds paid to a studio.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Payment {
    pub studio: String,
    /// 万元.
    pub amount: f64,
    /// The voucher's number (凭证号).
    pub voucher: String,
}

/// A change of 领办人 (第十二条（二）).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MasterChange {
    pub studio: String,
    /// The seal of the sealed request: what identifies it.
    pub seal: String,
    pub former_master: String,
    pub new_master: String,
    /// The studio's name with the new master (附件3 第1项).
    pub new_name: String,
    pub reason: String,
    pub left_on: Date,
    /// `None`: received, waiting for the decision.
    pub approved: Option<bool>,
    /// What the checks and cross-checks found, in words.
    pub findings: Vec<String>,
}
