//! 受理登记表.xlsx (one row a submission) and 拟认定名单.xlsx, written with
//! rust_xlsxwriter: a frozen, filtered header row repeated on every printed page,
//! columns wide enough for Chinese, A4 landscape, and the workbook dated by the intake
//! (not the clock), so the same intake gives the same bytes.

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};

use super::publish::List;
use super::{Ledger, Submission};
use crate::data::dates::Date;

/// The register's columns and their widths (Excel's units: about one per Latin
/// character, two per Chinese character). The first `PRINTED` are the print area: at
/// `PRINT_SCALE` % on A4 landscape they fit the page width, and the 10.5 pt text prints
/// at 8.4 pt; the others are for the screen (and the 初审意见表 says it all on paper).
/// Each row is as tall as its most wrapped cell.
pub const COLUMNS: [(&str, f64); 22] = [
    ("序号", 5.0),
    ("受理编号", 10.0),
    ("收件日期", 12.0),
    ("工作室名称", 26.0),
    ("领办人", 8.0),
    ("依托单位", 22.0),
    ("完整性", 18.0),
    ("初审结论", 28.0),
    ("问题数", 7.0),
    ("来源文件", 26.0),
    ("职业（工种）", 13.0),
    ("技能等级", 10.0),
    ("第七条（一）条件", 26.0),
    ("单位类型", 12.0),
    ("统一社会信用代码", 21.0),
    ("联系人", 9.0),
    ("电话", 15.0),
    ("成员数", 8.0),
    ("佐证材料份数", 13.0),
    ("页数", 7.0),
    ("电子材料摘要", 36.0),
    ("问题摘要", 70.0),
];

/// How many of the first columns print.
pub const PRINTED: usize = 10;

/// The print scale of the register, in per cent.
pub const PRINT_SCALE: u16 = 80;

/// One cell's value.
pub enum Cell {
    Text(String),
    Number(f64),
    Date(Date),
    /// A date shown in 8 digits (20270315), as DA/T 22 writes 日期.
    Day8(Date),
    Empty,
}

fn row(index: usize, s: &Submission) -> Vec<Cell> {
    let f = s.facts.clone().unwrap_or_default();
    let text = |t: &str| {
        if t.trim().is_empty() {
            Cell::Empty
        } else {
            Cell::Text(crate::portable::shown(t))
        }
    };
    let count = |n: Option<usize>| n.map_or(Cell::Empty, |n| Cell::Number(n as f64));
    let read = !f.data_file.is_empty();
    let summary: Vec<String> = s
        .problems
        .iter()
        .map(|p| format!("{} {}", p.code, p.message))
        .collect();
    let received = Date::parse(&s.received).map_or(Cell::Empty, Cell::Date);
    vec![
        Cell::Number((index + 1) as f64),
        text(&s.number),
        received,
        text(&f.studio),
        text(&f.master),
        text(&f.unit),
        text(&s.integrity.summary),
        text(&s.conclusion.line()),
        Cell::Number(s.problems.len() as f64),
        // The same register from dashi.exe: paths with `/` whatever the system.
        text(&s.input.replace('\\', "/")),
        text(&f.occupation),
        text(&f.skill_level),
        text(&f.condition),
        text(&f.unit_kind),
        text(&f.credit_code),
        text(&f.contact),
        text(&f.phone),
        if read {
            Cell::Number(f.members as f64)
        } else {
            Cell::Empty
        },
        count(s.evidence_items),
        count(s.pages),
        text(s.evidence_digest.as_deref().unwrap_or("")),
        text(&summary.join("\n")),
    ]
}

fn formats() -> (Format, Format) {
    let font = |f: Format| f.set_font_name("宋体").set_font_size(10.5);
    let header = font(Format::new())
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0xD9E1F2));
    let body = font(Format::new())
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    (header, body)
}

pub(crate) fn workbook(date: Date) -> Result<Workbook, XlsxError> {
    let mut book = Workbook::new();
    let when = ExcelDateTime::from_ymd(date.year as u16, date.month as u8, date.day as u8)?;
    book.set_properties(
        &DocProperties::new()
            .set_author("dashi")
            .set_creation_datetime(&when),
    );
    Ok(book)
}

/// Sets up a sheet: header row, widths, frozen and filtered header, A4 landscape.
pub(crate) fn sheet<'a>(
    book: &'a mut Workbook,
    name: &str,
    columns: &[(&str, f64)],
    rows: usize,
) -> Result<&'a mut Worksheet, XlsxError> {
    let (header, _) = formats();
    let sheet = book.add_worksheet();
    sheet.set_name(name)?;
    for (c, (title, width)) in columns.iter().enumerate() {
        sheet.set_column_width(c as u16, *width)?;
        sheet.write_string_with_format(0, c as u16, *title, &header)?;
    }
    sheet.set_row_height(0, 30)?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows as u32, (columns.len() - 1) as u16)?;
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_repeat_rows(0, 0)?;
    sheet.set_print_fit_to_pages(1, 0);
    Ok(sheet)
}

/// The height of a row, in points, that shows every line of its cells wrapped in
/// their columns (Excel and LibreOffice keep a written height; without one a wrapped
/// cell prints cut to one line).
fn row_height(cells: &[Cell], columns: &[(&str, f64)]) -> f64 {
    let lines = cells
        .iter()
        .zip(columns)
        .map(|(cell, (_, width))| match cell {
            Cell::Text(text) => {
                // A column of width w holds about w - 1 units of text, a Chinese
                // character taking two; LibreOffice's 宋体 substitute fits about a
                // sixth less, and a line does not begin with a closing mark.
                let room = ((*width - 1.0) * 0.85).max(1.0);
                text.split('\n')
                    .map(|line| {
                        let units = unicode_width::UnicodeWidthStr::width(line) as f64;
                        (units / room).ceil().max(1.0)
                    })
                    .sum::<f64>()
            }
            _ => 1.0,
        })
        .fold(1.0, f64::max);
    // 10.5 pt text on 15 pt lines (Excel's and LibreOffice's), with a little air.
    lines * 15.0 + 4.0
}

pub(crate) fn write_row(
    sheet: &mut Worksheet,
    r: u32,
    cells: Vec<Cell>,
    columns: &[(&str, f64)],
) -> Result<(), XlsxError> {
    let (_, body) = formats();
    sheet.set_row_height(r, row_height(&cells, columns))?;
    for (c, cell) in cells.into_iter().enumerate() {
        let c = c as u16;
        match cell {
            Cell::Text(t) => sheet.write_string_with_format(r, c, t, &body)?,
            Cell::Number(n) => sheet.write_number_with_format(r, c, n, &body)?,
            Cell::Date(d) => {
                let day = ExcelDateTime::from_ymd(d.year as u16, d.month as u8, d.day as u8)?;
                let format = body.clone().set_num_format("yyyy-mm-dd");
                sheet.write_datetime_with_format(r, c, &day, &format)?
            }
            Cell::Day8(d) => {
                let day = ExcelDateTime::from_ymd(d.year as u16, d.month as u8, d.day as u8)?;
                let format = body.clone().set_num_format("yyyymmdd");
                sheet.write_datetime_with_format(r, c, &day, &format)?
            }
            Cell::Empty => sheet.write_blank(r, c, &body)?,
        };
    }
    Ok(())
}

/// The register's bytes.
pub fn xlsx(ledger: &Ledger, not_received: &[String], date: Date) -> Result<Vec<u8>, XlsxError> {
    let mut book = workbook(date)?;
    let rows = ledger.submissions.len();
    let sheet = sheet(&mut book, "受理登记表", &COLUMNS, rows)?;
    for (i, s) in ledger.submissions.iter().enumerate() {
        write_row(sheet, (i + 1) as u32, row(i, s), &COLUMNS)?;
    }
    sheet.set_print_fit_to_pages(0, 0);
    sheet.set_print_scale(PRINT_SCALE);
    // Half-inch side margins: the ten printed columns fit the width in Excel and in
    // LibreOffice, whose columns come out a little wider.
    sheet.set_margins(0.5, 0.5, 0.75, 0.75, 0.3, 0.3);
    sheet.set_print_area(0, 0, rows.max(1) as u32, (PRINTED - 1) as u16)?;
    if !not_received.is_empty() {
        const SKIPPED: [(&str, f64); 1] = [("未受理的文件或文件夹及原因", 120.0)];
        let skipped = self::sheet(&mut book, "未受理", &SKIPPED, not_received.len())?;
        for (i, why) in not_received.iter().enumerate() {
            write_row(
                skipped,
                (i + 1) as u32,
                vec![Cell::Text(crate::portable::shown(&why.replace('\\', "/")))],
                &SKIPPED,
            )?;
        }
    }
    book.save_to_buffer().map(made_by_unix)
}

/// The workbook's zip entries marked "made by Unix", as the zip crate marks them on
/// Linux; built for Windows it marks them "made by DOS", and the same register would
/// differ by those bytes alone. Only the central directory's system byte changes.
pub(crate) fn made_by_unix(mut zip: Vec<u8>) -> Vec<u8> {
    let u16_at = |z: &[u8], at: usize| usize::from(u16::from_le_bytes([z[at], z[at + 1]]));
    let u32_at =
        |z: &[u8], at: usize| u32::from_le_bytes([z[at], z[at + 1], z[at + 2], z[at + 3]]) as usize;
    let Some(end) = zip.windows(4).rposition(|w| w == b"PK\x05\x06") else {
        return zip;
    };
    if end + 22 > zip.len() {
        return zip;
    }
    let (count, mut at) = (u16_at(&zip, end + 10), u32_at(&zip, end + 16));
    for _ in 0..count {
        if at + 46 > zip.len() || &zip[at..at + 4] != b"PK\x01\x02" {
            break;
        }
        zip[at + 5] = 3;
        at += 46 + u16_at(&zip, at + 28) + u16_at(&zip, at + 30) + u16_at(&zip, at + 32);
    }
    zip
}

/// The 拟认定名单's bytes.
pub fn list_xlsx(list: &List, date: Date) -> Result<Vec<u8>, XlsxError> {
    const LIST_COLUMNS: [(&str, f64); 5] = [
        ("序号", 6.0),
        ("工作室名称", 34.0),
        ("领办人", 10.0),
        ("依托单位", 34.0),
        ("职业（工种）", 16.0),
    ];
    let mut book = workbook(date)?;
    let sheet = sheet(&mut book, "拟认定名单", &LIST_COLUMNS, list.listed.len())?;
    for (i, l) in list.listed.iter().enumerate() {
        let cells = vec![
            Cell::Number((i + 1) as f64),
            Cell::Text(l.studio.clone()),
            Cell::Text(l.master.clone()),
            Cell::Text(l.unit.clone()),
            Cell::Text(l.occupation.clone()),
        ];
        write_row(sheet, (i + 1) as u32, cells, &LIST_COLUMNS)?;
    }
    let note = format!(
        "公示期：{}至{}（{} 个工作日）",
        list.from_cn, list.to_cn, list.working_days
    );
    sheet.write_string((list.listed.len() + 2) as u32, 0, note)?;
    book.save_to_buffer().map(made_by_unix)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    #[test]
    fn entries_made_by_dos_become_made_by_unix() {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().system(zip::System::Dos);
        for name in ["a.xml", "b/c.xml"] {
            writer.start_file(name, options).unwrap();
            writer.write_all(b"<x/>").unwrap();
        }
        let dos = writer.finish().unwrap().into_inner();
        let systems = |zip: &[u8]| -> Vec<u8> {
            zip.windows(4)
                .enumerate()
                .filter(|(_, w)| *w == b"PK\x01\x02")
                .map(|(at, _)| zip[at + 5])
                .collect()
        };
        assert_eq!(systems(&dos), vec![0, 0]);
        let unix = super::made_by_unix(dos.clone());
        assert_eq!(systems(&unix), vec![3, 3]);
        assert_eq!(unix.len(), dos.len());
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(unix)).unwrap();
        assert_eq!(archive.len(), 2);
        std::io::copy(&mut archive.by_index(1).unwrap(), &mut std::io::sink()).unwrap();
    }
}
