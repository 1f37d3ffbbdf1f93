//! The CSV files a clerk gives (typed digests, decisions), as Excel and WPS save them:
//! UTF-8 with or without a BOM, or GBK; cells between commas — full-width commas and
//! tabs too, as people type them — and a quoted cell may hold commas, quotes (`""`)
//! and line breaks. Read by the csv crate, so a quoted line break stays in its cell.

use std::path::Path;

use super::IntakeError;

/// One row: the line it starts on (1-based) and its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub cells: Vec<String>,
}

/// The rows of a CSV file.
pub fn read(path: &Path) -> Result<Vec<Row>, IntakeError> {
    rows(&read_text(path)?).map_err(|e| {
        IntakeError::input(
            format!("{} 不是可以读取的 CSV：{e}", path.display()),
            "用 Excel 或 WPS 另存为“CSV UTF-8（逗号分隔）”后再试",
        )
    })
}

/// The rows of CSV text.
pub fn rows(text: &str) -> Result<Vec<Row>, csv::Error> {
    let text = plain_commas(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record?;
        // From the byte where the record starts: the csv crate's own line count runs
        // one short after a CRLF (Excel's line ending), whose LF it takes as the next
        // record's first byte.
        let line = record.position().map_or(0, |p| {
            let bytes = text.as_bytes();
            let mut start = (p.byte() as usize).min(bytes.len());
            while bytes.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
                start += 1;
            }
            bytes[..start].iter().filter(|&&b| b == b'\n').count() + 1
        });
        rows.push(Row {
            line,
            cells: record.iter().map(str::to_string).collect(),
        });
    }
    Ok(rows)
}

/// Full-width commas and tabs outside quotes become commas.
fn plain_commas(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                out.push(c);
            }
            '，' | '\t' if !quoted => out.push(','),
            _ => out.push(c),
        }
    }
    out
}

/// A text file as Excel and WPS save it: UTF-8 (with or without a BOM) or GBK.
pub fn read_text(path: &Path) -> Result<String, IntakeError> {
    let bytes = std::fs::read(path).map_err(|e| {
        IntakeError::input(
            format!("无法读取 {}：{}", path.display(), crate::fsio::why(&e)),
            "核对文件路径",
        )
    })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(_) => {
            let (text, _, bad) = encoding_rs::GBK.decode(bytes);
            if bad {
                return Err(IntakeError::input(
                    format!("{} 既不是 UTF-8 也不是 GBK 编码的文本", path.display()),
                    "用 Excel 或 WPS 另存为“CSV UTF-8（逗号分隔）”后再试",
                ));
            }
            Ok(text.into_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Row, rows};

    fn cells(text: &str) -> Vec<Vec<String>> {
        rows(text).unwrap().into_iter().map(|r| r.cells).collect()
    }

    #[test]
    fn commas_full_width_commas_tabs_and_quotes() {
        assert_eq!(cells("a,\"b,c\"，d\te"), vec![vec!["a", "b,c", "d", "e"]]);
        assert_eq!(cells("\"x\"\"y\",z\r\n"), vec![vec!["x\"y", "z"]]);
        assert_eq!(cells("\"甲，乙\",1"), vec![vec!["甲，乙", "1"]]);
    }

    #[test]
    fn lines_counted_alike_for_crlf_and_lf() {
        let lines =
            |text: &str| -> Vec<usize> { rows(text).unwrap().iter().map(|r| r.line).collect() };
        assert_eq!(lines("h,d\r\n2027-001,x\r\n2027-002,y\r\n"), vec![1, 2, 3]);
        assert_eq!(lines("h,d\n2027-001,x\n2027-002,y\n"), vec![1, 2, 3]);
        assert_eq!(
            lines("h,d\r\n\"a\r\nb\",x\r\n2027-002,y\r\n"),
            vec![1, 2, 4]
        );
    }

    #[test]
    fn a_quoted_line_break_stays_in_its_cell_and_rows_keep_their_lines() {
        let text = "受理编号,决定\n2027-001,\"拟认定\n（会议纪要第3条）\"\n2027-002,不予认定\n";
        assert_eq!(
            rows(text).unwrap(),
            vec![
                Row {
                    line: 1,
                    cells: vec!["受理编号".into(), "决定".into()]
                },
                Row {
                    line: 2,
                    cells: vec!["2027-001".into(), "拟认定\n（会议纪要第3条）".into()]
                },
                Row {
                    line: 4,
                    cells: vec!["2027-002".into(), "不予认定".into()]
                },
            ]
        );
    }
}
