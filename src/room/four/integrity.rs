//! 完整性 (DA/T 70-2018): every 件 of the archive is described and counted as the
//! catalogue and the sender's report count it, 件号 run without gaps, the required
//! metadata is there, and so is every file.

use super::items::{Seen, item, note};
use super::report::{Check, FourError, Property};
use std::collections::{BTreeMap, BTreeSet};

use crate::room::four::package;
use crate::room::{filing, settings};

/// The items of 完整性.
pub(super) fn checks(seen: &Seen<'_>) -> Result<Vec<Check>, FourError> {
    let Seen {
        package,
        archive,
        items,
        state,
        opened,
        missing,
        ..
    } = seen;
    let mut checks = Vec::new();
    let mut totals_faults = Vec::new();
    // `archive` is the archive as filed: its pending records were set aside.
    let undescribed = filing::describe(archive, None, "")
        .map(|(_, ids)| ids)
        .unwrap_or_default();
    for id in &undescribed {
        totals_faults.push(format!(
            "件 {id}：档案中有这一件，但没有著录或著录未包含它的全部文件（运行 dashi archive commit 归档时补编档号和著录）"
        ));
    }
    let described_bytes: u64 = items.iter().flat_map(|i| &i.files).map(|f| f.bytes).sum();
    let actual_bytes: u64 = items
        .iter()
        .flat_map(|i| &i.files)
        .filter_map(|f| opened.get(&f.path).map(|o| o.bytes))
        .sum();
    if described_bytes != actual_bytes {
        totals_faults.push(format!(
            "著录的总字节数 {described_bytes} 与档案中文件的实际总字节数 {actual_bytes} 不符"
        ));
    }
    let pages: u64 = items.iter().map(|i| u64::from(i.pages)).sum();
    if let Some(dir) = &package.transfer {
        match catalogue_rows(&dir.join(package::CATALOGUE_DIR)) {
            Ok((rows, listed_pages)) => {
                if rows != items.len() {
                    totals_faults.push(format!(
                        "归档文件目录列有 {rows} 件，档案著录有 {} 件",
                        items.len()
                    ));
                }
                if listed_pages != pages {
                    totals_faults.push(format!(
                        "归档文件目录合计 {listed_pages} 页，档案著录合计 {pages} 页"
                    ));
                }
            }
            Err(why) => totals_faults.push(format!("归档文件目录无法读取：{why}")),
        }
        if let Some(sent) = std::fs::read(dir.join(package::REPORT_JSON))
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        {
            let sent_items = sent["totals"]["items"].as_u64();
            let sent_bytes = sent["totals"]["bytes"].as_u64();
            if sent_items != Some(items.len() as u64) {
                totals_faults.push(format!(
                    "移交方检测报告记载 {} 件，接收到 {} 件",
                    sent_items.map_or("（无）".into(), |n| n.to_string()),
                    items.len()
                ));
            }
            let state_bytes: u64 = opened.values().map(|o| o.bytes).sum();
            if sent_bytes != Some(state_bytes) {
                totals_faults.push(format!(
                    "移交方检测报告记载 {} 字节，接收到 {state_bytes} 字节",
                    sent_bytes.map_or("（无）".into(), |n| n.to_string())
                ));
            }
        }
    }
    checks.push(item(
        Property::Integrity,
        "总件数、总字节数相符性检测",
        if package.is_transfer() {
            "核对档案中的每一件都已著录，著录的件数、页数与归档文件目录相符，件数和字节数与移交方检测报告相符"
        } else {
            "核对档案中的每一件（申报材料、每条记录及其更正、每份报告）都已著录，著录的总字节数与文件实际大小相符"
        },
        totals_faults.clone(),
        note(
            &totals_faults,
            format!("共 {} 件、{pages} 页、{actual_bytes} 字节，相符", items.len()),
            "件数或字节数不符",
        ),
    ));
    checks.push(scope(items, &undescribed));
    checks.push(package_metadata(seen));
    let mut runs = Vec::new();
    let mut by_class: BTreeMap<(u32, settings::Retention), Vec<u32>> = BTreeMap::new();
    for i in items.iter() {
        by_class
            .entry((i.year, i.retention))
            .or_default()
            .push(i.number);
    }
    for ((year, retention), mut numbers) in by_class.clone() {
        numbers.sort_unstable();
        let set: BTreeSet<u32> = numbers.iter().copied().collect();
        let max = numbers.last().copied().unwrap_or(0);
        let gaps: Vec<String> = (1..=max)
            .filter(|k| !set.contains(k))
            .map(|k| format!("{k:04}"))
            .collect();
        if !gaps.is_empty() {
            runs.push(format!(
                "{year} 年 {}：缺件号 {}",
                retention.words(),
                gaps.join("、")
            ));
        }
        if set.len() != numbers.len() {
            runs.push(format!("{year} 年 {}：件号重复", retention.words()));
        }
    }
    checks.push(item(
        Property::Integrity,
        "连续性元数据项检测",
        "在每个年度和保管期限内，件号应从 0001 起连续、不重复",
        runs.clone(),
        note(
            &runs,
            format!("{} 个年度、保管期限的件号连续", by_class.len()),
            "件号不连续",
        ),
    ));
    let mut required = Vec::new();
    for i in items.iter() {
        let at = format!("件 {}（{}）", i.archival_code, i.id);
        for (value, what) in [
            (&i.title, "题名"),
            (&i.author, "责任者"),
            (&i.date, "日期"),
            (&i.filed_in, "归档版本"),
        ] {
            if value.trim().is_empty() {
                required.push(format!("{at}：缺{what}"));
            }
        }
        if i.pages == 0 {
            required.push(format!("{at}：页数为 0"));
        }
        if i.files.is_empty() {
            required.push(format!("{at}：没有著录文件"));
        }
    }
    checks.push(item(
        Property::Integrity,
        "元数据项完整性检测",
        "检查每件的必备著录项：档号、题名、责任者、日期、页数、归档版本和文件清单",
        required.clone(),
        note(
            &required,
            format!("{} 件的必备著录项齐全", items.len()),
            "著录项缺失",
        ),
    ));
    let mut absent = missing.clone();
    for i in items.iter() {
        for f in &i.files {
            if !state.contains_key(&f.path) {
                absent.push(format!(
                    "件 {}（{}）：{}：著录的文件不在档案中",
                    i.archival_code, i.id, f.path
                ));
            }
        }
    }
    checks.push(item(
        Property::Integrity,
        "内容数据完整性检测",
        "核对每件著录的文件、每条记录所列的附件都在档案中，版本清单列出的每个存储文件都存在",
        absent.clone(),
        note(&absent, format!("{} 个文件齐全", state.len()), "文件缺失"),
    ));

    Ok(checks)
}

/// 2-9 归档范围 (第十一条): every 件 is of a kind the studio's 专门档案 holds (its
/// application, the records of its members, activities and work, and the reports on
/// it), and the application (申报表) is there, once. `undescribed` are the ids of 件
/// not yet described (2-1 names them); the application among them still counts.
fn scope(items: &[crate::room::item::Item], undescribed: &[String]) -> Check {
    let kinds = settings::kinds();
    let mut faults: Vec<String> = items
        .iter()
        .filter(|i| !kinds.contains(&i.kind.as_str()))
        .map(|i| {
            format!(
                "件 {}（{}）：类别“{}”不在专门档案的归档范围内",
                i.archival_code, i.id, i.kind
            )
        })
        .collect();
    let applications = items
        .iter()
        .filter(|i| i.kind == settings::APPLICATION)
        .count()
        + undescribed
            .iter()
            .filter(|id| id.as_str() == settings::APPLICATION)
            .count();
    match applications {
        0 => faults.push("档案中没有申报材料（第十一条：专门档案包括申报表）".into()),
        1 => {}
        n => faults.push(format!("档案中有 {n} 件申报材料，应只有一件")),
    }
    item(
        Property::Integrity,
        "归档范围检测",
        &format!(
            "核对每件都在第十一条所定专门档案的归档范围内（{}），申报材料在档案中且只有一件",
            kinds.join("、")
        ),
        faults.clone(),
        note(
            &faults,
            format!("{} 件都在归档范围内", items.len()),
            "超出归档范围",
        ),
    )
}

/// 2-10 信息包元数据完整性: the archive object keeps, beside the root's, every
/// version's own inventory (dashi writes one for each; OCFL only warns without one,
/// W010), so each version's state can be read as it was filed.
fn package_metadata(seen: &Seen<'_>) -> Check {
    let faults: Vec<String> = seen
        .object
        .problems
        .iter()
        .filter(|p| p.code == crate::verify::ocfl::Code::W010)
        .map(|p| p.message.clone())
        .collect();
    item(
        Property::Integrity,
        "信息包元数据完整性检测",
        "核对档案对象除根目录的版本清单外，每个版本目录都保存着该版本自己的版本清单（OCFL W010），各版本的状态可以按归档时的样子读出",
        faults.clone(),
        note(
            &faults,
            format!("{} 个版本的版本清单齐全", seen.object.versions.len()),
            "版本清单缺失",
        ),
    )
}

/// The rows and summed 页数 of the catalogue workbooks in a folder.
fn catalogue_rows(dir: &std::path::Path) -> Result<(usize, u64), String> {
    use calamine::{DataType, Reader, open_workbook_auto};
    let mut rows = 0;
    let mut pages = 0u64;
    let mut found = false;
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| crate::fsio::why(&e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xlsx"))
        .collect();
    names.sort();
    for path in names {
        found = true;
        // calamine, given a damaged workbook, can fail inside itself: that is this
        // file's damage.
        let (n, p) = crate::failure::caught(&path, || -> Result<(usize, u64), String> {
            let mut book = open_workbook_auto(&path).map_err(|e| e.to_string())?;
            let Some(sheet) = book.sheet_names().first().cloned() else {
                return Ok((0, 0));
            };
            let range = book.worksheet_range(&sheet).map_err(|e| e.to_string())?;
            let mut counted = (0, 0u64);
            for row in range.rows().skip(1) {
                if row.first().is_some_and(|c| !c.is_empty()) {
                    counted.0 += 1;
                    counted.1 += row.get(7).and_then(|c| c.as_f64()).unwrap_or(0.0) as u64;
                }
            }
            Ok(counted)
        })
        .unwrap_or_else(|_| Err("文件已损坏，不是可以读取的 xlsx 工作簿".into()))
        .map_err(|e| format!("{}：{e}", path.display()))?;
        rows += n;
        pages += p;
    }
    if !found {
        return Err("没有 xlsx 文件".into());
    }
    Ok((rows, pages))
}
