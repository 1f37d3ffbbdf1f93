//! 归档文件目录 (DA/T 22-2015 5.5): the 件 of a filed version, one volume per 年度 and
//! 保管期限, in 件号 order, with the columns 序号, 档号, 文号, 责任者, 题名, 日期, 密级,
//! 页数, 备注; written as xlsx (real numbers and dates, A4 landscape, header repeated)
//! and, by `print`, as a bound PDF with its cover.

use std::collections::BTreeMap;

use rust_xlsxwriter::XlsxError;
use serde::Serialize;

use super::item::{self, Item};
use super::settings::{self, Retention, Settings};
use crate::archive::Archive;
use crate::data::dates::Date;
use crate::intake::register::{Cell, made_by_unix, sheet, workbook, write_row};

/// The catalogue's columns and their widths in Excel's units; at 10.5 pt, fitted to
/// the width of A4 landscape, they print at about 9 pt.
pub const COLUMNS: [(&str, f64); 9] = [
    ("序号", 5.0),
    ("档号", 26.0),
    ("文号", 8.0),
    ("责任者", 18.0),
    ("题名", 44.0),
    ("日期", 10.0),
    ("密级", 6.0),
    ("页数", 6.0),
    ("备注", 24.0),
];

/// One volume of the catalogue: the 件 of one 年度 and 保管期限.
#[derive(Debug, Clone, Serialize)]
pub struct Volume {
    pub fonds: String,
    pub fonds_name: String,
    pub year: u32,
    pub retention: Retention,
    pub retention_words: &'static str,
    pub unit: String,
    pub items: Vec<Item>,
    /// Their pages together.
    pub pages: u32,
    /// The version described and its inventory digest.
    pub version: String,
    pub digest: String,
}

impl Volume {
    /// The file stem of its xlsx and PDF: `归档文件目录-2027-永久`.
    pub fn stem(&self) -> String {
        format!("归档文件目录-{}-{}", self.year, self.retention.words())
    }

    pub fn pages(&self) -> u32 {
        self.pages
    }
}

/// The 件 described in the newest filed version (pending records are not 归档ed yet).
pub fn items(archive: &Archive) -> Vec<Item> {
    let n = archive.inventory.head_number();
    let state = archive.inventory.state(n);
    let mut items: Vec<Item> = state
        .iter()
        .filter(|(p, _)| crate::archive::replaceable(p) && p.starts_with(item::DIR))
        .filter_map(|(_, digest)| {
            let path = archive.root.join(archive.inventory.content_of(digest)?);
            item::parse(&std::fs::read(path).ok()?)
        })
        .flatten()
        .collect();
    items.sort_by(|a, b| a.archival_code.cmp(&b.archival_code));
    items
}

/// The settings the newest filed version holds (defaults when none).
pub fn settings_of(archive: &Archive) -> Settings {
    settings::stored_in(archive, &archive.inventory)
        .unwrap_or_else(|| settings::defaults_of(archive))
}

/// The volumes of the catalogue, for one year or all.
pub fn volumes(archive: &Archive, year: Option<u32>) -> Vec<Volume> {
    let settings = settings_of(archive);
    let mut by: BTreeMap<(u32, Retention), Vec<Item>> = BTreeMap::new();
    for i in items(archive) {
        if year.is_none_or(|y| y == i.year) {
            by.entry((i.year, i.retention)).or_default().push(i);
        }
    }
    by.into_iter()
        .map(|((year, retention), mut items)| {
            items.sort_by_key(|i| i.number);
            Volume {
                fonds: settings.fonds.clone(),
                fonds_name: settings.fonds_name.clone(),
                year,
                retention,
                retention_words: retention.words(),
                unit: settings.unit.clone(),
                pages: items.iter().map(|i| i.pages).sum(),
                items,
                version: archive.inventory.head.clone(),
                digest: archive.digest.clone(),
            }
        })
        .collect()
}

/// A volume as xlsx: one row a 件, 序号 and 页数 as numbers, 日期 as a date shown in
/// 8 digits; dated `date` so the same archive gives the same bytes.
pub fn xlsx(volume: &Volume, date: Date) -> Result<Vec<u8>, XlsxError> {
    let mut book = workbook(date)?;
    let name = format!("{}年{}", volume.year, volume.retention.words());
    let rows = volume.items.len();
    let sheet = sheet(&mut book, &name, &COLUMNS, rows)?;
    for (i, item) in volume.items.iter().enumerate() {
        let text = |t: &str| {
            if t.trim().is_empty() {
                Cell::Empty
            } else {
                Cell::Text(t.to_string())
            }
        };
        let day = item.day();
        write_row(
            sheet,
            (i + 1) as u32,
            vec![
                Cell::Number((i + 1) as f64),
                text(&item.archival_code),
                text(&item.reference),
                text(&item.author),
                text(&item.title),
                day.map_or(Cell::Empty, Cell::Day8),
                text(&item.classification),
                Cell::Number(f64::from(item.pages)),
                text(&item.remarks),
            ],
            &COLUMNS,
        )?;
    }
    sheet.set_header(format!(
        "&L全宗号 {} {}&C&\"宋体,Bold\"归档文件目录&R{}年 {}",
        volume.fonds,
        volume.fonds_name.replace('&', "&&"),
        volume.year,
        volume.retention.words()
    ));
    sheet.set_footer("&C第 &P 页 共 &N 页");
    book.save_to_buffer().map(made_by_unix)
}
