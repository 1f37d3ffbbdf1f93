//! `dashi ledger results`: a round's results entered from the experts' filled-in
//! 专家评分表 (xlsx): each studio's total against the ledger's pass mark, 合格 or
//! 不合格. A 不合格 in a 考核 or 验收 opens 整改 with its deadline and writes the
//! 限期整改通知书 (第十二条（三）), kept in the ledger as issued; a 不合格 after 整改
//! lists the studio for 撤销. All the sheets are read before anything is entered: a bad
//! one is an error naming its file and line, and nothing is entered.

use std::path::{Path, PathBuf};

use super::entry::{Action, Outcome, Round, RoundKind, Shortfall};
use super::{Actor, Appended, ISSUED_DIR, Ledger, LedgerError};
use crate::archive::version::NewFile;
use crate::render::Doc;
use crate::typeset::Renderer;

pub struct Options<'a> {
    pub kind: RoundKind,
    pub name: Option<String>,
    pub sheets: Vec<PathBuf>,
    pub out: PathBuf,
    pub renderer: &'a Renderer,
}

/// What was entered.
pub struct Entered {
    pub round: Round,
    pub outcomes: Vec<(String, Outcome)>,
    /// Studios whose same result an earlier run already entered.
    pub already: Vec<String>,
    /// The notices written (整改通知书).
    pub written: Vec<PathBuf>,
    /// The ledger's new version; `None` when everything was already entered.
    pub appended: Option<Appended>,
}

/// Reads every sheet, enters the results as one action, writes the notices.
pub fn run(actor: &Actor<'_>, options: &Options<'_>) -> Result<Entered, LedgerError> {
    let ledger = Ledger::open_to_change(actor.root, actor.wait)?;
    let state = ledger.state();
    let settings = &state.settings;
    let round = Round::named(options.kind, options.name.as_deref(), actor.date);
    let mut outcomes: Vec<(String, Outcome)> = Vec::new();
    let mut already = Vec::new();
    for path in sheet_files(&options.sheets)? {
        let (id, scored) = scores(&path)?;
        let Some(studio) = state.studios.get(&id) else {
            return Err(LedgerError::input(
                format!("{}：台账中没有工作室 {id}", path.display()),
                "用本轮 dashi ledger round 写出的评分表填写，不要改动“工作室编号”一行",
            ));
        };
        if studio.revoked.is_some() {
            return Err(LedgerError::input(
                format!("{}：工作室 {id} 已撤销", path.display()),
                "已撤销的工作室不再评定",
            ));
        }
        if !studio.received.contains_key(round.kind.name()) {
            return Err(LedgerError::input(
                format!(
                    "{}：还没有收到工作室 {id} 的{}报告",
                    path.display(),
                    round.kind.name()
                ),
                "先用 dashi ledger round 收取并核对该工作室的报告，再录入评分",
            ));
        }
        if outcomes.iter().any(|(i, _)| i == &id) {
            return Err(LedgerError::input(
                format!("{}：工作室 {id} 的评分表给了两份", path.display()),
                "每个工作室一份评分表",
            ));
        }
        let score: f64 = scored.iter().map(|s| s.score).sum();
        let score = (score * 100.0).round() / 100.0;
        let passed = score >= settings.pass_mark;
        let share = settings.pass_mark / 100.0;
        let failed = if passed {
            Vec::new()
        } else {
            scored
                .iter()
                .filter(|s| s.score < s.weight * share)
                .map(|s| Shortfall {
                    id: s.id.clone(),
                    item: s.item.clone(),
                    weight: s.weight,
                    score: s.score,
                    how: s.how.clone(),
                })
                .collect()
        };
        let deadline = (!passed && round.kind != RoundKind::Review)
            .then(|| actor.date.plus_days(i64::from(settings.rectify_days)))
            .flatten();
        let outcome = Outcome {
            studio: id.clone(),
            passed,
            score,
            failed,
            deadline,
        };
        // Entered by an earlier run that was interrupted: not entered twice.
        if studio.has_result(&round, &outcome) {
            already.push(id);
            continue;
        }
        outcomes.push((id, outcome));
    }
    // The notices, made before anything is entered: a notice that cannot be typeset
    // leaves the ledger as it was.
    let mut notices = Vec::new();
    for (id, o) in &outcomes {
        let Some(deadline) = o.deadline else { continue };
        let s = &state.studios[id].studio;
        let data = serde_json::json!({ "notice": {
            "number": format!("{}　{}", round.name, id),
            "unit": s.unit,
            "studio": s.name,
            "master": s.master,
            "round": round.name,
            "score": crate::render::context::number(o.score),
            "pass_mark": crate::render::context::number(settings.pass_mark),
            "deadline_cn": deadline.chinese(),
            "failed": o.failed.iter().map(|f| serde_json::json!({
                "id": f.id, "item": f.item,
                "weight": crate::render::context::number(f.weight),
                "score": crate::render::context::number(f.score),
                "how": f.how,
            })).collect::<Vec<_>>(),
            "bureau": settings.bureau,
            "date_cn": actor.date.chinese(),
        }});
        let pdf = super::document(
            options.renderer,
            Doc::RECTIFY_NOTICE,
            &data,
            &settings.bureau,
            &format!("dashi/台账/{}/{id}", round.name),
            actor.date,
        )?;
        let name = format!(
            "{id}-{}-限期整改通知书.pdf",
            crate::portable::portable(&s.name, "工作室")
        );
        notices.push((name, pdf));
    }
    let passed = outcomes.iter().filter(|(_, o)| o.passed).count();
    if outcomes.is_empty() {
        return Ok(Entered {
            round,
            outcomes,
            already,
            written: Vec::new(),
            appended: None,
        });
    }
    let appended = super::append(
        actor,
        Action::Results {
            round: round.clone(),
            results: outcomes.iter().map(|(_, o)| o.clone()).collect(),
        },
        notices
            .iter()
            .map(|(name, pdf)| NewFile::from_bytes(format!("{ISSUED_DIR}/{name}"), pdf.clone()))
            .collect(),
        &format!(
            "{}，{} 个工作室：合格 {passed}，不合格 {}",
            round.name,
            outcomes.len(),
            outcomes.len() - passed
        ),
    )?;
    let mut written = Vec::new();
    if !notices.is_empty() {
        crate::fsio::create_dirs(&options.out).map_err(LedgerError::write(&options.out))?;
    }
    for (name, pdf) in notices {
        let path = options.out.join(name);
        crate::fsio::write_atomic(&path, &pdf).map_err(LedgerError::write(&path))?;
        written.push(path);
    }
    Ok(Entered {
        round,
        outcomes,
        already,
        written,
        appended: Some(appended),
    })
}

/// The sheets given: files, or the xlsx files in folders given.
fn sheet_files(given: &[PathBuf]) -> Result<Vec<PathBuf>, LedgerError> {
    let mut out = Vec::new();
    for path in given {
        if path.is_dir() {
            let mut inner: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| {
                    LedgerError::input(
                        format!("无法读取 {}：{e}", path.display()),
                        "确认文件夹可以读取",
                    )
                })?
                .flatten()
                .map(|e| e.path())
                .filter(|p| is_sheet(p))
                .collect();
            inner.sort();
            out.extend(inner);
        } else {
            out.push(path.clone());
        }
    }
    if out.is_empty() {
        return Err(LedgerError::input(
            "没有给出评分表",
            "给出填好的专家评分表（xlsx），或存放它们的文件夹",
        ));
    }
    Ok(out)
}

fn is_sheet(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("csv"))
        && !path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("~$"))
}

/// The label a score sheet carries of its studio (first column), read back by
/// `scores`.
pub const STUDIO_LABEL: &str = "工作室编号";
/// The column the experts fill in.
pub const SCORE_COLUMN: &str = "专家评分";

/// One indicator row of a filled score sheet.
#[derive(Debug, Clone)]
pub struct Scored {
    pub id: String,
    pub item: String,
    pub weight: f64,
    pub score: f64,
    /// The figure behind the indicator (计算依据), as the round wrote it.
    pub how: String,
}

/// A filled score sheet: its studio and each indicator's score. A row with no score,
/// a score that is not a number or exceeds its weight is an error naming the line.
pub fn scores(path: &Path) -> Result<(String, Vec<Scored>), LedgerError> {
    let rows = crate::intake::publish::decision_rows(path)?;
    let hint = "用 dashi ledger round 写出的专家评分表填写“专家评分”一栏，其余不动";
    let mut rows = rows.into_iter();
    let header = rows
        .by_ref()
        .find(|(_, cells)| cells.iter().any(|c| c == SCORE_COLUMN))
        .map(|(_, cells)| cells)
        .ok_or_else(|| {
            LedgerError::input(
                format!(
                    "{} 中没有“{SCORE_COLUMN}”一栏，不是专家评分表",
                    path.display()
                ),
                hint,
            )
        })?;
    let at = |name: &str| header.iter().position(|h| h == name);
    let how_at = at("计算依据");
    let (Some(id_at), Some(item_at), Some(weight_at), Some(score_at)) =
        (at("编号"), at("指标内容"), at("分值"), at(SCORE_COLUMN))
    else {
        return Err(LedgerError::input(
            format!(
                "{} 的表头缺少编号、指标内容、分值或专家评分",
                path.display()
            ),
            hint,
        ));
    };
    let mut studio = None;
    let mut out = Vec::new();
    for (line, cells) in rows {
        let cell = |i: usize| cells.get(i).map(|c| c.trim()).unwrap_or_default();
        if cell(0) == STUDIO_LABEL {
            studio = Some(cell(1).to_string());
            continue;
        }
        if cell(id_at).is_empty() || cell(weight_at).parse::<f64>().is_err() {
            continue;
        }
        let weight: f64 = cell(weight_at).parse().unwrap_or(0.0);
        let bad = |what: String| {
            LedgerError::input(
                format!("{} 第 {line} 行（{}）：{what}", path.display(), cell(id_at)),
                format!("“{SCORE_COLUMN}”一栏填 0 到 {weight} 之间的数"),
            )
        };
        let score: f64 = match cell(score_at) {
            "" => return Err(bad("没有填专家评分".into())),
            s => s.parse().map_err(|_| bad(format!("“{s}”不是数")))?,
        };
        if !(0.0..=weight).contains(&score) {
            return Err(bad(format!("评分 {score} 超出分值 {weight}")));
        }
        out.push(Scored {
            id: cell(id_at).to_string(),
            item: cell(item_at).to_string(),
            weight,
            score,
            how: how_at.map(|i| cell(i).to_string()).unwrap_or_default(),
        });
    }
    let studio = studio.filter(|s| !s.is_empty()).ok_or_else(|| {
        LedgerError::input(
            format!("{} 中没有“{STUDIO_LABEL}”一行", path.display()),
            hint,
        )
    })?;
    if out.is_empty() {
        return Err(LedgerError::input(
            format!("{} 中没有评分", path.display()),
            hint,
        ));
    }
    Ok((studio, out))
}
