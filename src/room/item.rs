//! One 件 as the archive room describes it (DA/T 22-2015 5.1, 5.4, 5.5): its 档号 and
//! the catalogue's columns, the records it holds (a record and its corrections are one
//! 件), and each of its files with the size, format, page count and digest it had when
//! it was 归档ed — what the 四性检测 compares the content with. Stored with the other
//! 件 of its 年度 in `归档信息/<年度>.json` (one file a year keeps the inventories small:
//! every version lists every file of its state), written again when one of them is
//! numbered or gains a file (a major-event report, a correction).

use serde::{Deserialize, Serialize};

use super::settings::Retention;

/// The folder of the 件 descriptions in the archive.
pub const DIR: &str = crate::archive::ITEMS_DIR;

/// The 件 of the application.
pub const APPLICATION_ID: &str = "申报";

/// The description of one 件.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// 档号: 全宗号-门类代码·年度-保管期限-机构代码-件号.
    pub archival_code: String,
    pub fonds: String,
    pub category: String,
    pub year: u32,
    pub retention: Retention,
    pub unit: String,
    /// 件号, from 1 within 年度 and 保管期限.
    pub number: u32,
    /// The 件's id: a record's id (its first record, for a corrected one), or `申报`.
    pub id: String,
    /// The kind of 件: `申报`, a record kind, or `报告`.
    pub kind: String,
    /// 题名.
    pub title: String,
    /// 责任者.
    pub author: String,
    /// 日期, 8 digits (e.g. 20270315).
    pub date: String,
    /// 文号 (none for the studio's own records).
    #[serde(default)]
    pub reference: String,
    /// 密级 (none).
    #[serde(default)]
    pub classification: String,
    /// 页数: the pages of its documents.
    pub pages: u32,
    /// 备注.
    #[serde(default)]
    pub remarks: String,
    /// The records it holds, oldest first (a correction after what it corrects).
    #[serde(default)]
    pub records: Vec<String>,
    /// The version that first filed it.
    pub filed_in: String,
    /// Its files.
    pub files: Vec<ItemFile>,
}

/// One file of a 件, as filed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemFile {
    /// The logical path in the archive.
    pub path: String,
    pub bytes: u64,
    /// The format as identified from the bytes (`PDF`, `PDF/A`, `JPEG`, …).
    pub format: String,
    /// Its pages counted in the 件's 页数 (a PDF's pages; 1 for a scanned page; 0 for
    /// photos, videos and data files).
    pub pages: u32,
    /// The sha512 digest the inventory has for it.
    pub sha512: String,
}

/// The 档号 of its parts (DA/T 22-2015 5.4: 件号 in 4 digits); without the 全宗号
/// segment while the archive has given none.
pub fn archival_code(
    fonds: &str,
    category: &str,
    year: u32,
    retention: Retention,
    unit: &str,
    number: u32,
) -> String {
    let code = format!("{category}·{year}-{}-{unit}-{number:04}", retention.code());
    if fonds.is_empty() {
        code
    } else {
        format!("{fonds}-{code}")
    }
}

/// The parts of a well-formed 档号: 全宗号, 门类代码, 年度, 保管期限, 机构代码, 件号.
pub fn parse_code(code: &str) -> Option<(String, String, u32, Retention, String, u32)> {
    let mut parts: Vec<&str> = code.split('-').collect();
    if parts.len() == 4 {
        // No 全宗号 yet.
        parts.insert(0, "");
    }
    let [fonds, class_year, retention, unit, number] = parts.as_slice() else {
        return None;
    };
    let (category, year) = class_year.split_once('·')?;
    let upper_digits = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    };
    let ok = (fonds.is_empty() || (fonds.len() == 4 && upper_digits(fonds)))
        && category.len() == 2
        && category.chars().all(|c| c.is_ascii_uppercase())
        && year.len() == 4
        && year.chars().all(|c| c.is_ascii_digit())
        && (1..=4).contains(&unit.len())
        && upper_digits(unit)
        && number.len() == 4
        && number.chars().all(|c| c.is_ascii_digit());
    if !ok {
        return None;
    }
    Some((
        fonds.to_string(),
        category.to_string(),
        year.parse().ok()?,
        Retention::from_code(retention)?,
        unit.to_string(),
        number.parse().ok().filter(|n| *n > 0)?,
    ))
}

/// The logical path of the descriptions of a 年度.
pub fn logical(year: u32) -> String {
    format!("{DIR}/{year}.json")
}

impl Item {
    /// Its 日期 as a day, when it is one written in 8 digits.
    pub fn day(&self) -> Option<crate::data::dates::Date> {
        let digits = |r: std::ops::Range<usize>| {
            self.date
                .get(r)
                .filter(|t| t.bytes().all(|b| b.is_ascii_digit()))
        };
        let text = format!("{}-{}-{}", digits(0..4)?, digits(4..6)?, digits(6..8)?);
        (self.date.len() == 8)
            .then(|| crate::data::dates::Date::parse(&text))
            .flatten()
    }
}

/// The descriptions of one 年度 as stored.
#[derive(Debug, Serialize, Deserialize)]
struct YearFile {
    year: u32,
    items: Vec<Item>,
}

/// The descriptions of a 年度 as stored: pretty JSON, in 档号 order.
pub fn to_json(year: u32, items: &[Item]) -> Vec<u8> {
    let mut items = items.to_vec();
    items.sort_by(|a, b| a.archival_code.cmp(&b.archival_code));
    let mut bytes = serde_json::to_vec_pretty(&YearFile { year, items }).expect("items serialize");
    bytes.push(b'\n');
    bytes
}

/// The descriptions in a stored file, if it reads.
pub fn parse(bytes: &[u8]) -> Option<Vec<Item>> {
    serde_json::from_slice::<YearFile>(bytes)
        .ok()
        .map(|f| f.items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_reads_back_into_its_parts() {
        let code = archival_code("J001", "WS", 2027, Retention::Thirty, "GZS", 12);
        assert_eq!(code, "J001-WS·2027-D30-GZS-0012");
        let (f, c, y, r, u, n) = parse_code(&code).unwrap();
        assert_eq!(
            (f.as_str(), c.as_str(), y, r, u.as_str(), n),
            ("J001", "WS", 2027, Retention::Thirty, "GZS", 12)
        );
        for bad in [
            "J001-WS2027-D30-GZS-0012",
            "J01-WS·2027-D30-GZS-0012",
            "J001-WS·2027-D20-GZS-0012",
            "J001-WS·2027-D30-GZS-12",
            "J001-WS·2027-D30-GZS-0000",
        ] {
            assert!(parse_code(bad).is_none(), "{bad}");
        }
    }
}
