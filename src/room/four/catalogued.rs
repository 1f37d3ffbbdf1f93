//! 说明文件和目录文件规范性 (DA/T 70-2018 1-12): a 移交 package's 归档文件目录 (xlsx and
//! PDF), 文件目录.xml and 说明文件 say what its archive says. The receiver makes each
//! again from the archive and compares content: every cell of every workbook (named by
//! sheet, row and column), every line of 文件目录.xml, and the 说明文件's statements of
//! version, digest and counts.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};

use crate::archive::Archive;
use crate::data::dates::Date;
use crate::room::four::package;
use crate::room::{catalogue, listing};

/// The date the workbooks made again are dated (their cells do not show it).
const EPOCH: Date = Date {
    year: 2000,
    month: 1,
    day: 1,
};

/// What in the package's catalogue files differs from what its archive gives.
pub(super) fn faults(dir: &Path, archive: &Archive) -> Vec<String> {
    let volumes = catalogue::volumes(archive, None);
    let mut faults = Vec::new();
    let folder = dir.join(package::CATALOGUE_DIR);
    let mut expected_names = Vec::new();
    for volume in &volumes {
        let stem = volume.stem();
        for ext in ["xlsx", "pdf"] {
            expected_names.push(format!("{stem}.{ext}"));
        }
        let name = format!("{}/{stem}.xlsx", package::CATALOGUE_DIR);
        let made = catalogue::xlsx(volume, EPOCH)
            .ok()
            .and_then(|bytes| first_sheet(bytes).ok());
        let got = std::fs::read(folder.join(format!("{stem}.xlsx")))
            .map_err(|e| crate::fsio::why(&e))
            .and_then(|bytes| {
                crate::failure::caught(Path::new(&name), || first_sheet(bytes))
                    .unwrap_or_else(|_| Err("文件已损坏".into()))
            });
        match (made, got) {
            (Some(made), Ok(got)) => faults.extend(cells(&name, &made, &got)),
            (_, Err(why)) => faults.push(format!("{name}：无法读取（{why}）")),
            (None, _) => {}
        }
        if archive.application().is_some() && !folder.join(format!("{stem}.pdf")).is_file() {
            faults.push(format!(
                "{}/{stem}.pdf：归档文件目录的 PDF 不在包中",
                package::CATALOGUE_DIR
            ));
        }
    }
    if let Ok(entries) = std::fs::read_dir(&folder) {
        let mut extra: Vec<String> = entries
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !expected_names.contains(n))
            .collect();
        extra.sort();
        for n in extra {
            faults.push(format!(
                "{}/{n}：档案中没有与之对应的归档文件目录",
                package::CATALOGUE_DIR
            ));
        }
    }
    faults.extend(first_difference(
        dir,
        package::CATALOGUE_XML,
        &listing::xml(archive, &volumes),
    ));
    faults.extend(first_difference(
        dir,
        package::PROCESS,
        &listing::process_csv(archive),
    ));
    match std::fs::read_to_string(dir.join(package::README)) {
        Ok(text) => {
            for fact in listing::facts(archive, &volumes) {
                if !text.lines().any(|l| l.trim() == fact) {
                    faults.push(format!("{}：缺少“{fact}”", package::README));
                }
            }
        }
        Err(e) => faults.push(format!(
            "{}：无法读取（{}）",
            package::README,
            crate::fsio::why(&e)
        )),
    }
    faults
}

/// The first line where the package's file `name` differs from what the archive makes
/// (`made`), or why it cannot be read.
fn first_difference(dir: &Path, name: &str, made: &str) -> Option<String> {
    let got = match std::fs::read_to_string(dir.join(name)) {
        Ok(got) => got,
        Err(e) => return Some(format!("{name}：无法读取（{}）", crate::fsio::why(&e))),
    };
    let (made, got): (Vec<&str>, Vec<&str>) = (made.lines().collect(), got.lines().collect());
    let i = (0..made.len().max(got.len())).find(|&i| made.get(i) != got.get(i))?;
    Some(format!(
        "{name} 第 {} 行：包中为“{}”，按档案应为“{}”",
        i + 1,
        got.get(i).map_or("", |l| l.trim()),
        made.get(i).map_or("", |l| l.trim())
    ))
}

/// The first sheet of a workbook, with its name.
fn first_sheet(bytes: Vec<u8>) -> Result<(String, Range<Data>), String> {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| e.to_string())?;
    let name = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| "没有工作表".to_string())?;
    let range = book.worksheet_range(&name).map_err(|e| e.to_string())?;
    Ok((name, range))
}

/// Every cell that differs, as "file 工作表“…” C5（题名）：包中为“…”，按档案应为“…”".
fn cells(file: &str, made: &(String, Range<Data>), got: &(String, Range<Data>)) -> Vec<String> {
    let mut out = Vec::new();
    if made.0 != got.0 {
        out.push(format!(
            "{file}：工作表名为“{}”，按档案应为“{}”",
            got.0, made.0
        ));
    }
    let (m, g) = (&made.1, &got.1);
    let rows = m
        .end()
        .map_or(0, |e| e.0 + 1)
        .max(g.end().map_or(0, |e| e.0 + 1));
    let cols = m
        .end()
        .map_or(0, |e| e.1 + 1)
        .max(g.end().map_or(0, |e| e.1 + 1));
    let text = |r: &Range<Data>, row: u32, col: u32| {
        r.get_value((row, col))
            .map(|d| match d {
                Data::Empty => String::new(),
                Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
                other => other.to_string(),
            })
            .unwrap_or_default()
    };
    for row in 0..rows {
        for col in 0..cols {
            let (want, have) = (text(m, row, col), text(g, row, col));
            if want != have {
                let header = text(m, 0, col);
                out.push(format!(
                    "{file} 工作表“{}” {}{}（{header}）：包中为“{have}”，按档案应为“{want}”",
                    got.0,
                    column(col),
                    row + 1
                ));
            }
        }
    }
    out
}

/// The letters of a column (0 → A, 26 → AA).
fn column(mut n: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn columns_are_lettered_as_a_spreadsheet_does() {
        assert_eq!(super::column(0), "A");
        assert_eq!(super::column(4), "E");
        assert_eq!(super::column(26), "AA");
    }
}
