//! The two files a report reads besides the archive: the indicator set (a default is
//! built in; the bureau may give its own) and the studio's self-evaluation (self-scores,
//! 存在问题, 下一步计划). Both are read with the same diagnostics as every dashi file.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::data::load::{self, Document, LoadError};
use crate::data::schema::Format;
use crate::finding::{Code, Finding};

/// The built-in indicator set.
pub const DEFAULT_INDICATORS: &str = include_str!("indicators.toml");

/// An indicator set.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "考核指标")]
pub struct Indicators {
    #[serde(rename = "$schema", default)]
    #[schemars(title = "数据格式说明文件")]
    pub schema: Option<String>,
    #[schemars(title = "格式版本", description = "目前为 1")]
    pub format_version: u32,
    #[schemars(title = "指标体系名称")]
    pub title: String,
    #[schemars(title = "指标")]
    pub indicators: Vec<Indicator>,
}

/// One indicator.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    #[schemars(title = "编号", description = "自评文件中用它给分，如 A1")]
    pub id: String,
    #[schemars(title = "一级指标")]
    pub group: String,
    #[schemars(title = "指标内容")]
    pub item: String,
    #[schemars(title = "权重（分值）")]
    pub weight: f64,
    #[serde(default)]
    #[schemars(
        title = "由档案记录计算",
        description = "apprentices、advanced、innovations、benefit、exchanges、rules、photos；不填由工作室自评"
    )]
    pub measure: Option<Measure>,
}

/// What a computed indicator measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    /// Apprentices taken on per year, against 3 (第四章（一）).
    Apprentices,
    /// Apprentices reaching 高级工 or above per year, against 2.
    Advanced,
    /// Results per year, against 1 (第四章（二）).
    Innovations,
    /// Results with an economic benefit.
    Benefit,
    /// Technical exchanges per year, against the plan (第四章（三）).
    Exchanges,
    /// Rules adopted in the period, against 2.
    Rules,
    /// Activities with photos, against all activities.
    Photos,
}

/// The studio's self-evaluation.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "考核自评")]
pub struct SelfEvaluation {
    #[serde(rename = "$schema", default)]
    #[schemars(title = "数据格式说明文件")]
    pub schema: Option<String>,
    #[schemars(title = "格式版本", description = "目前为 1")]
    pub format_version: u32,
    #[serde(default)]
    #[schemars(
        title = "自评分",
        description = "指标编号 = 分数，如 A1 = 9；由档案记录计算的指标不必填"
    )]
    pub scores: BTreeMap<String, f64>,
    #[serde(default)]
    #[schemars(title = "存在问题", description = "可分段")]
    pub problems: String,
    #[serde(default)]
    #[schemars(title = "下一步计划", description = "可分段")]
    pub plans: String,
}

pub fn indicators_format() -> &'static Format {
    static FORMAT: OnceLock<Format> = OnceLock::new();
    FORMAT.get_or_init(Format::of::<Indicators>)
}

pub fn evaluation_format() -> &'static Format {
    static FORMAT: OnceLock<Format> = OnceLock::new();
    FORMAT.get_or_init(Format::of::<SelfEvaluation>)
}

/// A file read with its findings.
pub struct Read<T> {
    pub doc: Document,
    pub value: Option<T>,
    pub findings: Vec<Finding>,
}

/// The indicator set from `path`, or the built-in one; the weights must sum to 100.
pub fn indicators(path: Option<&Path>) -> Result<Read<Indicators>, LoadError> {
    let partial = match path {
        Some(path) => load::load_as::<Indicators>(indicators_format(), path),
        None => load::read_as::<Indicators>(
            indicators_format(),
            Path::new("内置考核指标.toml"),
            DEFAULT_INDICATORS.to_string(),
        ),
    };
    let read = settle(partial)?;
    let mut read = read;
    if let Some(set) = &read.value {
        let total: f64 = set.indicators.iter().map(|i| i.weight).sum();
        if (total - 100.0).abs() > 1e-6 {
            read.findings.push(
                Finding::new(
                    Code::IndicatorWeights,
                    "indicators",
                    format!(
                        "各项权重合计为 {}，不是 100",
                        crate::render::context::number(total)
                    ),
                )
                .hint("调整 weight，使合计为 100"),
            );
        }
    }
    Ok(read)
}

/// The self-evaluation at `path` (none: nothing self-scored); each score must lie
/// between 0 and its indicator's weight.
pub fn evaluation(
    path: Option<&Path>,
    set: Option<&Indicators>,
) -> Result<Read<SelfEvaluation>, LoadError> {
    let Some(path) = path else {
        return Ok(Read {
            doc: Document {
                path: Path::new("（未提供自评文件）").to_path_buf(),
                text: String::new(),
                index: Default::default(),
                format: evaluation_format(),
            },
            value: Some(SelfEvaluation::default()),
            findings: Vec::new(),
        });
    };
    let mut read = settle(load::load_as::<SelfEvaluation>(evaluation_format(), path))?;
    if let (Some(own), Some(set)) = (&read.value, set) {
        for (id, score) in &own.scores {
            let path = format!("scores.{id}");
            match set.indicators.iter().find(|i| &i.id == id) {
                None => read.findings.push(
                    Finding::new(Code::SelfScore, path, format!("没有编号为“{id}”的指标"))
                        .hint("编号见报告的自评表或指标文件"),
                ),
                Some(i) if !(0.0..=i.weight).contains(score) => read.findings.push(
                    Finding::new(
                        Code::SelfScore,
                        path,
                        format!("“{}”的自评分 {score} 不在 0 与 {} 之间", i.item, i.weight),
                    )
                    .hint("按该项权重给分"),
                ),
                Some(_) => {}
            }
        }
    }
    Ok(read)
}

fn settle<T>(partial: Result<load::Partial<T>, LoadError>) -> Result<Read<T>, LoadError> {
    match partial {
        Ok(p) => {
            let clean = p.findings.is_empty();
            Ok(Read {
                doc: p.doc,
                value: clean.then_some(p.value),
                findings: p.findings,
            })
        }
        Err(LoadError::Invalid { doc, findings }) => Ok(Read {
            doc: *doc,
            value: None,
            findings,
        }),
        Err(e) => Err(e),
    }
}
