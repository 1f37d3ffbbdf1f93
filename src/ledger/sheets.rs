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
