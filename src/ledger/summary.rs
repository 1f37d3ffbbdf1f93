//! What a round writes (`round`): the 汇总表 as xlsx and as a landscape PDF — one row
//! per studio and year of 第四章's outputs as recomputed from each studio's records,
//! with the self-score and what the comparison found — and one blank 专家评分表 per
//! studio on the indicator set in use, which `results` reads back once filled in.

use std::path::PathBuf;

use super::LedgerError;
use super::compare::Difference;
use super::entry::{Round, RoundKind, YearFigures};
use super::round::{Checked, Item, Options};
use super::sheets::{self, Table, number, text};
use super::state::State;
use crate::data::dates::Date;
use crate::render::Doc;
use crate::report::inputs::Indicators;

/// The file names a round writes.
pub fn summary_name(kind: RoundKind) -> String {
    format!("{}汇总表", kind.name())
}
pub const SCORE_DIR: &str = "专家评分表";

/// The 汇总表 (xlsx and PDF) and the 专家评分表.
pub fn write_outputs(
    options: &Options<'_>,
    date: Date,
    state: &State,
    round: &Round,
    items: &[Item],
    indicators: &Indicators,
) -> Result<Vec<PathBuf>, LedgerError> {
    crate::fsio::create_dirs(&options.out).map_err(LedgerError::write(&options.out))?;
    let mut written = Vec::new();
    let name = summary_name(round.kind);
    let xlsx = options.out.join(format!("{name}.xlsx"));
    sheets::write(&xlsx, summary_table(round, items), date)?;
    written.push(xlsx);
    let pdf_path = options.out.join(format!("{name}.pdf"));
    let data = serde_json::json!({
        "summary": summary_data(state, round, items, date),
    });
    let pdf = super::document(
        options.renderer,
        Doc::ROUND_SUMMARY,
        &data,
        &state.settings.bureau,
        &format!("dashi/台账/{}", round.name),
        date,
    )?;
    crate::fsio::write_atomic(&pdf_path, &pdf).map_err(LedgerError::write(&pdf_path))?;
    written.push(pdf_path);
    let dir = options.out.join(SCORE_DIR);
    for c in items.iter().filter_map(|i| i.outcome.as_ref().ok()) {
        crate::fsio::create_dirs(&dir).map_err(LedgerError::write(&dir))?;
        let path = dir.join(format!(
            "{}-{}.xlsx",
            c.studio.id,
            crate::portable::portable(&c.studio.name, "工作室")
        ));
        sheets::write(&path, score_table(round, c, indicators), date)?;
        written.push(path);
    }
    Ok(written)
}

const SUMMARY_COLUMNS: [(&str, f64); 13] = [
    ("编号", 10.0),
    ("工作室名称", 26.0),
    ("领办人", 8.0),
    ("档案版本", 8.0),
    ("年度", 6.0),
    ("带徒", 6.0),
    ("其中高级工以上", 9.0),
    ("技术交流", 6.0),
    ("创新成果", 6.0),
    ("经济效益（万元）", 10.0),
    ("经费收支（万元）", 12.0),
    ("自评总分", 7.0),
    ("核对结果", 60.0),
];

/// One row per studio and year; a submission that could not be read is one row
/// saying why.
fn summary_table(round: &Round, items: &[Item]) -> Table {
    let mut rows = Vec::new();
    for item in items {
        match &item.outcome {
            Ok(c) => {
                let verdict = verdict(&c.differences);
                let years = &c.received.figures.years;
                for (k, y) in years.iter().enumerate() {
                    let first = k == 0;
                    rows.push(vec![
                        text(&c.studio.id),
                        text(&c.studio.name),
                        text(&c.studio.master),
                        text(&c.received.version),
                        number(f64::from(y.year)),
                        number(y.trained as f64),
                        number(y.advanced as f64),
                        number(y.exchanges as f64),
                        number(y.innovations as f64),
                        text(&y.benefit),
                        text(funds_text(y)),
                        text(if first {
                            c.received.figures.total_score.clone()
                        } else {
                            String::new()
                        }),
                        text(if first {
                            verdict.clone()
                        } else {
                            String::new()
                        }),
                    ]);
                }
            }
            Err(why) => rows.push(vec![
                text(""),
                text(item.folder.display().to_string()),
                text(""),
                text(""),
                text(""),
                text(""),
                text(""),
                text(""),
                text(""),
                text(""),
                text(""),
                text(""),
                text(format!("未能核对：{why}")),
            ]),
        }
    }
    Table {
        name: summary_name(round.kind),
        columns: SUMMARY_COLUMNS
            .iter()
            .map(|(t, w)| (t.to_string(), *w))
            .collect(),
        rows,
        notes: vec![format!(
            "{}：各项数字由报送的档案导出包中的记录重新计算；核对结果列出报告与记录不符之处",
            round.name
        )],
    }
}

/// A year's 经费 in words: 收 5 / 支 2 (万元).
pub fn funds_text(y: &YearFigures) -> String {
    let n = crate::render::context::number;
    format!("收 {} / 支 {}", n(y.funds_in), n(y.funds_out))
}

/// The comparison's outcome in words.
fn verdict(differences: &[Difference]) -> String {
    if differences.is_empty() {
        "与档案记录一致".into()
    } else {
        let mut lines = vec![format!("{} 处与档案记录不符：", differences.len())];
        lines.extend(differences.iter().take(8).map(Difference::said));
        if differences.len() > 8 {
            lines.push(format!("等共 {} 处", differences.len()));
        }
        lines.join("\n")
    }
}

/// What the summary PDF shows.
fn summary_data(state: &State, round: &Round, items: &[Item], date: Date) -> serde_json::Value {
    let studios: Vec<serde_json::Value> = items
        .iter()
        .map(|item| match &item.outcome {
            Ok(c) => serde_json::json!({
                "id": c.studio.id,
                "name": c.studio.name,
                "master": c.studio.master,
                "version": c.received.version,
                "years": c.received.figures.years.iter().map(|y| {
                    let mut v = serde_json::to_value(y).unwrap_or_default();
                    v["funds"] = serde_json::json!(funds_text(y));
                    v
                }).collect::<Vec<_>>(),
                "total_score": c.received.figures.total_score,
                "ok": c.differences.is_empty(),
                "findings": c.differences.iter().map(Difference::said).collect::<Vec<_>>(),
                "error": null,
            }),
            Err(why) => serde_json::json!({
                "id": "",
                "name": item.folder.display().to_string(),
                "master": "",
                "version": "",
                "years": [],
                "total_score": "",
                "ok": false,
                "findings": [],
                "error": why,
            }),
        })
        .collect();
    serde_json::json!({
        "title": format!("技能大师工作室{}汇总表", round.kind.name()),
        "round": round.name,
        "bureau": state.settings.bureau,
        "date_cn": date.chinese(),
        "studios": studios,
    })
}

/// A blank 专家评分表 of one studio.
fn score_table(round: &Round, c: &Checked, indicators: &Indicators) -> Table {
    let mut rows: Vec<Vec<_>> = indicators
        .indicators
        .iter()
        .map(|i| {
            let line = c.scores.iter().find(|s| s.id == i.id);
            vec![
                text(&i.id),
                text(&i.group),
                text(&i.item),
                number(i.weight),
                text(line.map_or(String::new(), |l| l.score.clone())),
                text(line.map_or(String::new(), |l| l.how.clone())),
                crate::intake::register::Cell::Empty,
            ]
        })
        .collect();
    let label = |a: &str, b: String| {
        let mut row = vec![text(a), text(b)];
        row.extend((0..5).map(|_| crate::intake::register::Cell::Empty));
        row
    };
    rows.push(label(super::results::STUDIO_LABEL, c.studio.id.clone()));
    rows.push(label("工作室名称", c.studio.name.clone()));
    rows.push(label("评审专家签名", String::new()));
    Table {
        name: "专家评分表".into(),
        columns: [
            ("编号", 6.0),
            ("一级指标", 14.0),
            ("指标内容", 40.0),
            ("分值", 6.0),
            ("自评分", 7.0),
            ("计算依据", 30.0),
            (super::results::SCORE_COLUMN, 9.0),
        ]
        .iter()
        .map(|(t, w)| (t.to_string(), *w))
        .collect(),
        rows,
        notes: vec![format!(
            "{}：{}，指标体系“{}”。请在“{}”一栏逐项评分（不超过分值）。",
            round.name,
            c.studio.name,
            indicators.title,
            super::results::SCORE_COLUMN
        )],
    }
}
