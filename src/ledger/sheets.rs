//! The ledger's workbooks, in the register's house style (`crate::intake::register`):
//! the status list, a round's 考核汇总表, the blank 专家评分表 of each studio and the
//! reading of one filled in, and the lists of 第六条, 第十四条.

use std::path::Path;

use rust_xlsxwriter::XlsxError;

use super::LedgerError;
use crate::data::dates::Date;
use crate::intake::register::{Cell, made_by_unix, sheet, workbook, write_row};

/// A table for a workbook: its sheet name, columns (title, width) and rows.
pub struct Table {
    pub name: String,
    pub columns: Vec<(String, f64)>,
    pub rows: Vec<Vec<Cell>>,
    /// Lines below the table (notes, the date).
    pub notes: Vec<String>,
}

/// A workbook of one table, dated `date`.
pub fn xlsx(table: Table, date: Date) -> Result<Vec<u8>, XlsxError> {
    let columns: Vec<(&str, f64)> = table
        .columns
        .iter()
        .map(|(t, w)| (t.as_str(), *w))
        .collect();
    let mut book = workbook(date)?;
    let rows = table.rows.len();
    let sheet = sheet(&mut book, &table.name, &columns, rows)?;
    for (i, row) in table.rows.into_iter().enumerate() {
        write_row(sheet, (i + 1) as u32, row, &columns)?;
    }
    for (k, note) in table.notes.into_iter().enumerate() {
        sheet.write_string((rows + 2 + k) as u32, 0, note)?;
    }
    book.save_to_buffer().map(made_by_unix)
}

/// Writes `table` to `path` atomically.
pub fn write(path: &Path, table: Table, date: Date) -> Result<(), LedgerError> {
    let bytes = xlsx(table, date)
        .map_err(|e| LedgerError::input(format!("无法生成 {}：{e}", path.display()), "重试一次"))?;
    crate::fsio::write_atomic(path, &bytes).map_err(LedgerError::write(path))
}

pub fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

pub fn number(n: f64) -> Cell {
    Cell::Number(n)
}

pub fn date(d: Date) -> Cell {
    Cell::Date(d)
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
