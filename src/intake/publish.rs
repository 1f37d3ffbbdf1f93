//! `dashi intake publish`: after the panel and the 局长办公会议 (第九条（二）（三）),
//! the list of studios to be recognised (拟认定名单) as PDF and xlsx, with the 公示期
//! of at least five working days counted from the start date (第九条（四）).
//!
//! The decisions file (xlsx or CSV) has a header row naming a 受理编号 (or 工作室名称)
//! column and a 决定 column; 拟认定 / 认定 / 同意 / 通过 / 是 put a studio on the list,
//! 不予认定 / 不同意 / 不通过 / 否 (or an empty cell) keep it off.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::calendar::{Calendar, Period, weekday_name};
use super::{IntakeError, Ledger, Submission};
use crate::data::dates::Date;
use crate::render::Doc;
use crate::typeset::Renderer;

/// The list's file names.
pub const LIST_PDF: &str = "拟认定名单公示.pdf";
pub const LIST_XLSX: &str = "拟认定名单.xlsx";
/// 第九条（四）: 不少于5个工作日.
pub const WORKING_DAYS: u32 = 5;

const YES: [&str; 7] = ["拟认定", "认定", "同意", "通过", "是", "列入", "拟定"];
const NO: [&str; 6] = ["不予认定", "不认定", "不同意", "不通过", "否", "不列入"];

pub struct Options<'a> {
    pub dir: PathBuf,
    pub decisions: PathBuf,
    pub from: Date,
    pub holidays: Option<PathBuf>,
    pub renderer: &'a Renderer,
}

/// One studio on the list.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub number: String,
    pub studio: String,
    pub master: String,
    pub unit: String,
    pub occupation: String,
}

/// What the list shows.
#[derive(Debug, Clone, Serialize)]
pub struct List {
    pub listed: Vec<Listed>,
    pub from: String,
    pub to: String,
    pub from_cn: String,
    pub to_cn: String,
    pub from_weekday: String,
    pub to_weekday: String,
    pub working_days: u32,
    pub calendar: String,
    pub today_cn: String,
}

pub struct Published {
    pub list: List,
    pub period: Period,
    pub written: Vec<PathBuf>,
    pub notes: Vec<String>,
}

/// Makes the list.
pub fn run(options: &Options<'_>) -> Result<Published, IntakeError> {
    let ledger = Ledger::read(&options.dir)?.ok_or_else(|| {
        IntakeError::input(
            format!("{} 中没有 intake.json", options.dir.display()),
            "先运行 dashi intake 受理申报，再在同一个输出文件夹上运行 dashi intake publish",
        )
    })?;
    let calendar = match &options.holidays {
        Some(path) => Calendar::built_in().with(Calendar::load(path).map_err(|m| {
            IntakeError::input(m, "节假日文件的写法见 README 中“公示期与节假日文件”一节")
        })?),
        None => Calendar::built_in(),
    };
    let (mut listed, mut notes) = listed(&ledger, options)?;
    notes.extend(calendar.warnings.iter().cloned());
    listed.sort_by(|a, b| a.number.cmp(&b.number));
    let period = calendar
        .period(options.from, WORKING_DAYS)
        .map_err(|u| {
            IntakeError::input(
                format!(
                    "公示期从 {} 起算会进入 {} 年，而节假日安排（{}）没有 {} 年的；不知道该年的法定节假日，无法保证公示期不少于 5 个工作日（第九条（四））",
                    options.from, u.year, calendar.source, u.year
                ),
                format!(
                    "国务院公布 {} 年的节假日安排后，照 README 中“公示期与节假日文件”一节写一个节假日文件，用 --holidays 指定",
                    u.year
                ),
            )
        })?;
    if let Some(asked) = period.asked {
        notes.push(format!(
            "{asked}（{}）不是工作日，公示期从下一个工作日 {}（{}）开始",
            weekday_name(asked),
            period.from,
            weekday_name(period.from)
        ));
    }
    let today = options.renderer.source_date.unwrap_or(options.from);
    let list = List {
        listed,
        from: period.from.to_string(),
        to: period.to.to_string(),
        from_cn: period.from.chinese(),
        to_cn: period.to.chinese(),
        from_weekday: weekday_name(period.from).into(),
        to_weekday: weekday_name(period.to).into(),
        working_days: period.working_days,
        calendar: calendar.source.clone(),
        today_cn: today.chinese(),
    };
    let pdf_path = options.dir.join(LIST_PDF);
    let pdf = typeset(options.renderer, &list, today)?;
    let xlsx = super::register::list_xlsx(&list, today)
        .map_err(|e| IntakeError::Input(format!("无法生成拟认定名单：{e}"), None))?;
    let xlsx_path = options.dir.join(LIST_XLSX);
    crate::fsio::write_atomic(&pdf_path, &pdf).map_err(IntakeError::write(&pdf_path))?;
    crate::fsio::write_atomic(&xlsx_path, &xlsx).map_err(IntakeError::write(&xlsx_path))?;
    Ok(Published {
        list,
        period,
        written: vec![pdf_path, xlsx_path],
        notes,
    })
}

/// The studios the decisions list, in the order of their numbers, and notes on any
/// listed against its 初审 conclusion; a decision naming no submission is an error
/// naming its line.
fn listed(
    ledger: &Ledger,
    options: &Options<'_>,
) -> Result<(Vec<Listed>, Vec<String>), IntakeError> {
    let (chosen, notes) = chosen(ledger, &options.decisions)?;
    let listed = chosen
        .into_iter()
        .map(|s| {
            let f = s.facts.clone().unwrap_or_default();
            Listed {
                number: s.number.clone(),
                studio: f.studio,
                master: f.master,
                unit: f.unit,
                occupation: f.occupation,
            }
        })
        .collect();
    Ok((listed, notes))
}

/// The submissions the decisions file puts on the list (each once, in the file's
/// order), and notes on any listed against its 初审 conclusion; a decision naming no
/// submission is an error naming its line. The 公示 list and the bureau's ledger
/// (`crate::ledger`, 认定) read the same decisions.
pub fn chosen<'a>(
    ledger: &'a Ledger,
    decisions: &Path,
) -> Result<(Vec<&'a Submission>, Vec<String>), IntakeError> {
    let decisions_path = decisions;
    let decisions = read_decisions(decisions_path)?;
    let mut notes = Vec::new();
    let mut listed = Vec::new();
    for d in &decisions {
        // By number, or by name among the submissions not superseded: a name that
        // still matches several is not guessed at.
        let by_name: Vec<&Submission> = ledger
            .submissions
            .iter()
            .filter(|s| s.superseded_by.is_none())
            .filter(|s| s.facts.as_ref().is_some_and(|f| f.studio == d.who))
            .collect();
        if by_name.len() > 1 {
            let numbers: Vec<&str> = by_name.iter().map(|s| s.number.as_str()).collect();
            return Err(IntakeError::input(
                format!(
                    "{} 第 {} 行：工作室名称“{}”对应 {} 份申报（受理编号 {}）",
                    decisions_path.display(),
                    d.line,
                    d.who,
                    numbers.len(),
                    numbers.join("、")
                ),
                "这一行改写受理编号，写明决定的是哪一份",
            ));
        }
        let found = ledger
            .submissions
            .iter()
            .find(|s| s.number == d.who)
            .or(by_name.first().copied());
        let Some(s) = found else {
            return Err(IntakeError::input(
                format!(
                    "{} 第 {} 行：“{}”不是已受理的申报",
                    decisions_path.display(),
                    d.line,
                    d.who
                ),
                "写受理编号（如 2027-001）或受理登记表中的工作室名称",
            ));
        };
        if !d.yes {
            continue;
        }
        if !s.conclusion.admissible() {
            notes.push(format!(
                "{}（{}）初审结论为“{}”，仍按决定列入名单；请核对补正情况",
                s.number,
                studio_of(s),
                s.conclusion.verdict
            ));
        }
        if listed.iter().any(|l: &&Submission| l.number == s.number) {
            continue;
        }
        listed.push(s);
    }
    Ok((listed, notes))
}

/// The 公示 PDF.
fn typeset(renderer: &Renderer, list: &List, today: Date) -> Result<Vec<u8>, IntakeError> {
    let data = serde_json::json!({ "list": list });
    Ok(renderer.pdf_of(
        &data,
        Doc::PUBLICITY,
        "呼和浩特市人力资源和社会保障局",
        Default::default(),
        &format!("dashi/公示/{}", list.from),
        today,
    )?)
}

fn studio_of(s: &Submission) -> String {
    s.facts
        .as_ref()
        .map(|f| f.studio.clone())
        .unwrap_or_default()
}

/// One decision.
#[derive(Debug, Clone)]
struct Decision {
    line: usize,
    who: String,
    yes: bool,
}

/// Rows of a decisions file (xlsx or CSV) with their 1-based line numbers.
pub fn decision_rows(path: &Path) -> Result<Vec<(usize, Vec<String>)>, IntakeError> {
    let is_xlsx = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !is_xlsx {
        return Ok(super::table::read(path)?
            .into_iter()
            .map(|row| (row.line, row.cells))
            .collect());
    }
    let bad = |e: String| {
        IntakeError::input(
            format!("无法读取 {}：{e}", path.display()),
            "用 Excel 或 WPS 另存为 .xlsx 或 CSV 后再试",
        )
    };
    // calamine, given a damaged workbook, can fail inside itself: that is this file's
    // damage, said as such.
    crate::failure::caught(path, || xlsx_rows(path))
        .unwrap_or_else(|_| Err("文件已损坏，不是可以读取的 xlsx 工作簿".into()))
        .map_err(bad)
}

/// The rows of the first sheet of a workbook, or why it does not read.
fn xlsx_rows(path: &Path) -> Result<Vec<(usize, Vec<String>)>, String> {
    use calamine::{Reader, open_workbook_auto};
    let mut book = open_workbook_auto(path).map_err(|e| e.to_string())?;
    let sheet = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| "工作簿中没有工作表".to_string())?;
    let range = book.worksheet_range(&sheet).map_err(|e| e.to_string())?;
    let first = range.start().map_or(0, |(r, _)| r as usize);
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, row)| {
            (
                first + i + 1,
                row.iter()
                    .map(|c| c.to_string().trim().to_string())
                    .collect(),
            )
        })
        .collect())
}

fn read_decisions(path: &Path) -> Result<Vec<Decision>, IntakeError> {
    let rows = decision_rows(path)?;
    let mut rows = rows
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
    let Some((_, header)) = rows.next() else {
        return Err(IntakeError::input(
            format!("{} 是空的", path.display()),
            "第一行写表头“受理编号,决定”，以下每行一份申报",
        ));
    };
    let column = |names: &[&str]| {
        header
            .iter()
            .position(|h| names.iter().any(|n| h.trim() == *n))
    };
    let who = column(&["受理编号", "工作室名称"]);
    let decision = column(&["决定", "决定结果", "会议决定", "结论"]);
    let (Some(who), Some(decision)) = (who, decision) else {
        return Err(IntakeError::input(
            format!(
                "{} 第一行应为表头，含“受理编号”（或“工作室名称”）和“决定”两栏",
                path.display()
            ),
            "第一行写表头“受理编号,决定”，以下每行一份申报，决定写“拟认定”或“不予认定”",
        ));
    };
    let mut out = Vec::new();
    for (line, cells) in rows {
        let cell = |i: usize| {
            cells
                .get(i)
                .map(|c| c.trim().to_string())
                .unwrap_or_default()
        };
        let (name, value) = (cell(who), cell(decision));
        if name.is_empty() {
            return Err(IntakeError::input(
                format!("{} 第 {line} 行没有受理编号或工作室名称", path.display()),
                "每行写明是哪一份申报",
            ));
        }
        let yes = if YES.contains(&value.as_str()) {
            true
        } else if value.is_empty() || NO.contains(&value.as_str()) {
            false
        } else {
            return Err(IntakeError::input(
                format!(
                    "{} 第 {line} 行（{name}）：不认识的决定“{value}”",
                    path.display()
                ),
                "决定写“拟认定”（列入名单）或“不予认定”（不列入）",
            ));
        };
        out.push(Decision {
            line,
            who: name,
            yes,
        });
    }
    Ok(out)
}
