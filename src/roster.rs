//! A member roster from Excel (xlsx, xls, WPS's et saved as xlsx) or CSV, as HR keeps
//! it: a header row, then one member per row. Columns are found by their header (姓名,
//! 性别, 身份证号, 工作室职务, 职业（工种）, 职业技能等级, and the short forms people write);
//! what cannot be taken from a cell is said with its row and column, and the rest of
//! the row is still taken. The form and `dashi roster` show the result before any
//! member is replaced or added.

use std::io::Cursor;

use serde_json::{Map, Value};

/// The member fields a roster can fill: key, the header as the form names it, and the
/// other headers people write for it (compared without spaces or bracket styles).
const COLUMNS: [(&str, &str, &[&str]); 6] = [
    ("name", "姓名", &[]),
    ("sex", "性别", &[]),
    (
        "id_number",
        "身份证号",
        &["身份证号码", "公民身份号码", "身份证"],
    ),
    ("role", "工作室职务", &["职务"]),
    ("occupation", "职业（工种）", &["职业", "工种", "职业工种"]),
    (
        "skill_level",
        "职业技能等级",
        &["技能等级", "等级", "职业资格等级"],
    ),
];

/// A roster as read: the members (each a member of the data file's `members`), what
/// could not be taken, and the headers that name no member field.
#[derive(Debug, Default, serde::Serialize)]
pub struct Roster {
    pub members: Vec<Value>,
    pub problems: Vec<Problem>,
    pub ignored: Vec<String>,
}

/// One cell (or row) that could not be taken as it is.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Problem {
    /// The row as the spreadsheet numbers it (the header is row 1).
    pub row: usize,
    /// The column's header.
    pub column: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "第 {} 行“{}”：{}", self.row, self.column, self.message)
    }
}

/// Why a file is no roster at all.
#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    #[error("“{name}”不是可以读取的 Excel 或 CSV 表格：{why}")]
    Unreadable { name: String, why: String },
    #[error(
        "“{name}”中没有“姓名”一列：第一行应是表头（姓名、性别、身份证号、工作室职务、职业（工种）、职业技能等级）"
    )]
    NoNames { name: String },
    #[error("“{name}”中除表头外没有一行有姓名")]
    Empty { name: String },
}

impl crate::failure::Failure for RosterError {
    fn hint(&self) -> Option<String> {
        Some(match self {
            RosterError::Unreadable { .. } => {
                "用 Excel 或 WPS 另存为“Excel 工作簿（*.xlsx）”或“CSV UTF-8（逗号分隔）”后再试"
                    .into()
            }
            RosterError::NoNames { .. } | RosterError::Empty { .. } => {
                "第一行写表头，从第二行起每行一位成员".into()
            }
        })
    }
}

/// Reads the roster in `bytes`, a file named `name` (its ending says CSV or Excel).
pub fn read(name: &str, bytes: &[u8]) -> Result<Roster, RosterError> {
    let unreadable = |why: String| RosterError::Unreadable {
        name: name.to_string(),
        why,
    };
    let rows: Vec<(usize, Vec<Cell>)> = if name.to_lowercase().ends_with(".csv") {
        let text = text_of(bytes)
            .ok_or_else(|| unreadable("既不是 UTF-8 也不是 GBK 编码的文本".into()))?;
        crate::intake::table::rows(&text)
            .map_err(|e| unreadable(e.to_string()))?
            .into_iter()
            .map(|r| (r.line, r.cells.into_iter().map(Cell::Text).collect()))
            .collect()
    } else {
        sheet_rows(bytes).map_err(unreadable)?
    };
    let mut rows = rows
        .into_iter()
        .filter(|(_, cells)| !cells.iter().all(Cell::is_blank));
    let Some((_, header)) = rows.next() else {
        return Err(RosterError::NoNames { name: name.into() });
    };
    let mut roster = Roster::default();
    let mut found: Vec<(usize, &str, String)> = Vec::new();
    for (i, cell) in header.iter().enumerate() {
        let said = cell.text();
        let plain = plain(&said);
        if plain.is_empty() {
            continue;
        }
        let column = COLUMNS.iter().find(|(_, title, other)| {
            plain == self::plain(title) || other.iter().any(|o| plain == self::plain(o))
        });
        match column {
            Some((key, ..)) if !found.iter().any(|(_, k, _)| k == key) => {
                found.push((i, key, said.trim().to_string()))
            }
            _ => roster.ignored.push(said.trim().to_string()),
        }
    }
    if !found.iter().any(|(_, key, _)| *key == "name") {
        return Err(RosterError::NoNames { name: name.into() });
    }
    for (row, cells) in rows {
        let mut member = Map::new();
        let mut said = Vec::new();
        for (i, key, header) in &found {
            let cell = cells.get(*i).cloned().unwrap_or(Cell::Text(String::new()));
            let problem = |message: String| Problem {
                row,
                column: header.clone(),
                message,
            };
            match taken(key, &cell) {
                Ok(value) => {
                    member.insert((*key).into(), Value::String(value));
                }
                Err(message) => {
                    member.insert((*key).into(), Value::String(String::new()));
                    said.push(problem(message));
                }
            }
        }
        let name = member.get("name").and_then(Value::as_str).unwrap_or("");
        if name.is_empty() {
            let header = &found
                .iter()
                .find(|(_, k, _)| *k == "name")
                .expect("found")
                .2;
            roster.problems.push(Problem {
                row,
                column: header.clone(),
                message: "没有姓名，这一行没有导入".into(),
            });
            continue;
        }
        // 性别 left out is read from a valid identity number.
        let id = member
            .get("id_number")
            .and_then(Value::as_str)
            .unwrap_or("");
        let sex_blank = member
            .get("sex")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty);
        if let (true, Ok(parsed)) = (sex_blank, crate::check::identity::parse(id)) {
            let sex = parsed.sex.label();
            member.insert("sex".into(), Value::String(sex.into()));
            // A 性别 cell that could not be taken now says what was filled in instead.
            if let Some(p) = said
                .iter_mut()
                .find(|p| p.message.ends_with("这一格没有导入") && p.column == sex_header(&found))
            {
                p.message = p.message.replace(
                    "这一格没有导入",
                    &format!("已按身份证号填为“{sex}”，请核对"),
                );
            }
        }
        for (key, ..) in COLUMNS {
            member
                .entry(key)
                .or_insert_with(|| Value::String(String::new()));
        }
        // A 性别 still unknown is left out: the form asks for it.
        if member.get("sex").and_then(Value::as_str) == Some("") {
            member.remove("sex");
        }
        roster.problems.extend(said);
        roster.members.push(Value::Object(member));
    }
    if roster.members.is_empty() {
        return Err(RosterError::Empty { name: name.into() });
    }
    Ok(roster)
}

/// The header of the 性别 column, if the roster has one.
fn sex_header(found: &[(usize, &str, String)]) -> String {
    found
        .iter()
        .find(|(_, key, _)| *key == "sex")
        .map(|(_, _, header)| header.clone())
        .unwrap_or_default()
}

/// A cell as a spreadsheet holds it.
#[derive(Debug, Clone)]
enum Cell {
    Text(String),
    /// A number (Excel keeps a long digit string typed without a leading ' as one).
    Number(f64),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
        }
    }

    fn is_blank(&self) -> bool {
        matches!(self, Cell::Text(t) if t.trim().is_empty())
    }
}

/// The value for `key` from `cell`, or why it cannot be taken.
fn taken(key: &str, cell: &Cell) -> Result<String, String> {
    let text = cell.text().trim().to_string();
    match key {
        "id_number" => {
            if let Cell::Number(n) = cell
                && n.abs() >= 1e15
            {
                return Err("身份证号在表格中存成了数字，末几位已经丢失：请把这一列设为“文本”后重新输入，这一格没有导入".into());
            }
            // Taken as it is: the form's checks say what is wrong with a bad one.
            Ok(text.to_uppercase())
        }
        "sex" => match text.as_str() {
            "" => Ok(String::new()),
            "男" | "男性" => Ok("男".into()),
            "女" | "女性" => Ok("女".into()),
            other => Err(format!("“{other}”不是“男”或“女”，这一格没有导入")),
        },
        _ => Ok(text),
    }
}

/// A header compared without spaces and with one style of brackets.
fn plain(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' | '（' | ')' | '）' => ' ',
            c => c,
        })
        .filter(|c| *c != ' ')
        .collect()
}

/// CSV bytes as Excel and WPS save them: UTF-8 (with or without a BOM) or GBK.
fn text_of(bytes: &[u8]) -> Option<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(text.to_string()),
        Err(_) => {
            let (text, _, bad) = encoding_rs::GBK.decode(bytes);
            (!bad).then(|| text.into_owned())
        }
    }
}

/// The rows of the first sheet of a workbook, numbered as the spreadsheet shows them.
fn sheet_rows(bytes: &[u8]) -> Result<Vec<(usize, Vec<Cell>)>, String> {
    use calamine::{Data, Reader};
    let mut book =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| "其中没有工作表".to_string())?
        .map_err(|e| e.to_string())?;
    let first = range.start().map_or(0, |(row, _)| row as usize);
    let left = range.start().map_or(0, |(_, col)| col as usize);
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut row: Vec<Cell> = vec![Cell::Text(String::new()); left];
            row.extend(cells.iter().map(|c| match c {
                Data::Int(n) => Cell::Number(*n as f64),
                Data::Float(n) => Cell::Number(*n),
                Data::Empty => Cell::Text(String::new()),
                other => Cell::Text(other.to_string()),
            }));
            (first + i + 1, row)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_by_header_and_each_bad_cell_said_with_its_row() {
        let csv = "序号, 姓名 ,性别,身份证号码,职务,职业(工种),技能等级,备注\n\
                   1,张三,,150102199003070015,技术骨干,焊工,高级技师,\n\
                   2,李四,M,150102199003070015,,焊工,技师,\n\
                   3,,男,,,,,空行\n";
        let roster = read("名册.csv", csv.as_bytes()).unwrap();
        assert_eq!(roster.members.len(), 2);
        assert_eq!(roster.members[0]["name"], "张三");
        assert_eq!(roster.members[0]["sex"], "男", "read from the ID number");
        assert_eq!(roster.members[0]["occupation"], "焊工");
        assert_eq!(roster.members[0]["skill_level"], "高级技师");
        assert_eq!(roster.members[0]["role"], "技术骨干");
        assert_eq!(roster.ignored, vec!["序号", "备注"]);
        let said: Vec<String> = roster.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(said.len(), 2, "{said:?}");
        assert!(said[0].starts_with("第 3 行“性别”：“M”"), "{said:?}");
        assert!(
            said[0].ends_with("已按身份证号填为“男”，请核对"),
            "{said:?}"
        );
        assert!(said[1].starts_with("第 4 行“姓名”"), "{said:?}");
    }

    #[test]
    fn a_file_without_names_is_said() {
        assert!(matches!(
            read("x.csv", "a,b\n1,2\n".as_bytes()),
            Err(RosterError::NoNames { .. })
        ));
        assert!(matches!(
            read("x.xlsx", b"not a workbook"),
            Err(RosterError::Unreadable { .. })
        ));
    }
}
