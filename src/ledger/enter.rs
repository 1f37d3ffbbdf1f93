//! 认定 entered into the ledger: from intake after 公示 (the same decisions file the
//! 公示 list was made from, and the 认定 date), or from a list of studios 认定ed before
//! dashi (xlsx or CSV with a header row).

use std::path::{Path, PathBuf};

use super::entry::{Action, Level, Studio};
use super::state::State;
use super::{Actor, Appended, Ledger, LedgerError};
use crate::data::dates::Date;

/// Where the studios come from.
pub enum From {
    /// intake's output folder and the decisions file of the 公示.
    Intake { intake: PathBuf, decisions: PathBuf },
    /// A list of studios 认定ed before dashi.
    List(PathBuf),
}

/// What `enter` did.
pub struct Entered {
    pub studios: Vec<Studio>,
    pub notes: Vec<String>,
    /// `None` when there was nothing new to enter.
    pub appended: Option<Appended>,
}

/// `dashi ledger enter`: the studios `from` names, 认定ed on `date` (a list gives each
/// its own date), entered as one action; those already in the ledger are noted and
/// left as they are.
pub fn enter(actor: &Actor<'_>, from: &From) -> Result<Entered, LedgerError> {
    let ledger = Ledger::open_to_change(actor.root, actor.wait)?;
    let state = ledger.state();
    let ((studios, notes), source) = match from {
        From::Intake { intake, decisions } => (
            from_intake(&state, intake, decisions, actor.date)?,
            format!(
                "受理 {}，会议决定 {}",
                intake.display(),
                decisions.display()
            ),
        ),
        From::List(list) => (
            from_list(&state, list)?,
            format!("认定名单 {}", list.display()),
        ),
    };
    let appended = if studios.is_empty() {
        None
    } else {
        let summary = format!("{} 个工作室，{source}", studios.len());
        Some(super::append(
            actor,
            Action::Recognised {
                source,
                studios: studios.clone(),
            },
            Vec::new(),
            &summary,
        )?)
    };
    Ok(Entered {
        studios,
        notes,
        appended,
    })
}

/// The studios the decisions put on the list, 认定ed on `date`; those the ledger
/// already holds are named in the notes and left as they are.
pub fn from_intake(
    state: &State,
    dir: &Path,
    decisions: &Path,
    date: Date,
) -> Result<(Vec<Studio>, Vec<String>), LedgerError> {
    let intake = crate::intake::Ledger::read(dir)?.ok_or_else(|| {
        LedgerError::input(
            format!("{} 中没有 intake.json", dir.display()),
            "给出 dashi intake 的输出文件夹（受理时用 -o 指定的那个）",
        )
    })?;
    let (chosen, mut notes) = crate::intake::publish::chosen(&intake, decisions)?;
    let mut studios = Vec::new();
    for s in chosen {
        let f = s.facts.clone().unwrap_or_default();
        if state.studios.contains_key(&s.number) {
            notes.push(format!(
                "{}（{}）已在台账中，未重复录入",
                s.number, f.studio
            ));
            continue;
        }
        studios.push(Studio {
            id: s.number.clone(),
            name: f.studio,
            master: f.master,
            unit: f.unit,
            credit_code: f.credit_code,
            occupation: f.occupation,
            level: Level::City,
            recognised: date,
            seal: s.seal.clone(),
        });
    }
    Ok((studios, notes))
}

/// The columns of a list kept before dashi: (names the header may use, required).
const COLUMNS: [(&[&str], bool); 8] = [
    (&["编号", "受理编号", "工作室编号"], true),
    (&["工作室名称", "工作室"], true),
    (&["领办人", "技能大师", "领办人姓名"], true),
    (&["依托单位", "单位名称", "单位"], true),
    (&["统一社会信用代码", "信用代码"], false),
    (&["职业（工种）", "职业(工种)", "职业", "工种"], false),
    (&["级别"], false),
    (&["认定日期", "认定时间"], true),
];

/// The studios of a list kept before dashi (xlsx or CSV, header row first); a bad
/// row is an error naming the file, the line and the column.
pub fn from_list(state: &State, path: &Path) -> Result<(Vec<Studio>, Vec<String>), LedgerError> {
    let rows = crate::intake::publish::decision_rows(path)?;
    let mut rows = rows
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
    let header_hint = "第一行写表头：编号、工作室名称、领办人、依托单位、认定日期（可另有统一社会信用代码、职业（工种）、级别），以下每行一个工作室";
    let Some((_, header)) = rows.next() else {
        return Err(LedgerError::input(
            format!("{} 是空的", path.display()),
            header_hint,
        ));
    };
    let mut at = Vec::new();
    for (names, required) in COLUMNS {
        let found = header
            .iter()
            .position(|h| names.iter().any(|n| h.trim() == *n));
        if required && found.is_none() {
            return Err(LedgerError::input(
                format!(
                    "{} 第一行没有“{}”一栏",
                    path.display(),
                    names.first().copied().unwrap_or_default()
                ),
                header_hint,
            ));
        }
        at.push(found);
    }
    let mut studios: Vec<Studio> = Vec::new();
    let mut notes = Vec::new();
    for (line, cells) in rows {
        let cell = |i: usize| {
            at[i]
                .and_then(|c| cells.get(c))
                .map(|c| c.trim().to_string())
                .unwrap_or_default()
        };
        let bad = |column: usize, what: String, hint: &str| {
            LedgerError::input(
                format!(
                    "{} 第 {line} 行“{}”栏：{what}",
                    path.display(),
                    COLUMNS[column].0.first().copied().unwrap_or_default()
                ),
                hint.to_string(),
            )
        };
        for required in [0, 1, 2, 3] {
            if cell(required).is_empty() {
                return Err(bad(required, "是空的".into(), "每个工作室都要写明这一栏"));
            }
        }
        let recognised = cell_date(&cell(7)).ok_or_else(|| {
            bad(
                7,
                format!("“{}”不是日期", cell(7)),
                "写成 2024-06-01 这样的日期",
            )
        })?;
        let level = Level::parse(&cell(6)).ok_or_else(|| {
            bad(
                6,
                format!("不认识的级别“{}”", cell(6)),
                "写“市级”“自治区级”或“国家级”，不写即为市级",
            )
        })?;
        let id = cell(0);
        if state.studios.contains_key(&id) {
            notes.push(format!("{id}（{}）已在台账中，未重复录入", cell(1)));
            continue;
        }
        if studios.iter().any(|s| s.id == id) {
            return Err(bad(
                0,
                format!("编号 {id} 在表中出现了两次"),
                "每个工作室一个编号",
            ));
        }
        studios.push(Studio {
            id,
            name: cell(1),
            master: cell(2),
            unit: cell(3),
            credit_code: cell(4).to_uppercase(),
            occupation: cell(5),
            level,
            recognised,
            seal: None,
        });
    }
    Ok((studios, notes))
}

/// A date cell: `2024-06-01`, `2024/6/1`, `2024年6月1日`, or a spreadsheet's day
/// number (days since 1899-12-30, as Excel stores dates).
fn cell_date(text: &str) -> Option<Date> {
    let mut text = text.trim();
    // calamine gives a date cell as its day number, or as `2024-06-01 00:00:00`.
    if let Some((day, time)) = text.split_once(' ')
        && time.contains(':')
    {
        text = day;
    }
    if let Some(d) = Date::parse(text) {
        return Some(d);
    }
    let parts: Vec<&str> = text
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    if let [y, m, d] = parts[..] {
        return Date::parse(&format!(
            "{:04}-{:02}-{:02}",
            y.parse::<u32>().ok()?,
            m.parse::<u32>().ok()?,
            d.parse::<u32>().ok()?
        ));
    }
    // Day 61 is 1900-03-01 (Excel counts a 29 February 1900 that never was).
    let serial: f64 = text.parse().ok()?;
    if !(61.0..2_958_466.0).contains(&serial) {
        return None;
    }
    Date::parse("1900-03-01")?.plus_days(serial.floor() as i64 - 61)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_as_spreadsheets_write_them() {
        let d = |s| cell_date(s).map(|d| d.to_string());
        assert_eq!(d("2024-06-01").as_deref(), Some("2024-06-01"));
        assert_eq!(d("2024/6/1").as_deref(), Some("2024-06-01"));
        assert_eq!(d("2024年6月1日").as_deref(), Some("2024-06-01"));
        assert_eq!(d("45444").as_deref(), Some("2024-06-01"));
        assert_eq!(d("2024-06-01 00:00:00").as_deref(), Some("2024-06-01"));
        assert_eq!(d("明年"), None);
        assert_eq!(d("2024-02-30"), None);
    }
}
