//! What the archive-room commands print: the settings, a catalogue written, and the
//! 四性检测 item by item.

use crate::room::four::{FourReport, Property};
use crate::room::settings::{self, Settings};

/// The settings as `dashi archive set` lists them.
pub fn settings(s: &Settings) -> String {
    let mut out = format!(
        "全宗号：{}\n全宗名称：{}\n档案门类代码：{}\n机构（问题）代码：{}\n经办人：{}\n保管期限：",
        if s.fonds.is_empty() {
            "（未给出；档案馆给出后用 dashi archive set 档案 --全宗号 … 填入）"
        } else {
            &s.fonds
        },
        s.fonds_name,
        s.category,
        s.unit,
        if s.operator.trim().is_empty() {
            "（未设置，记本机登录账户名）"
        } else {
            s.operator.trim()
        }
    );
    let table: Vec<String> = settings::kinds()
        .into_iter()
        .map(|k| format!("{k} {}", s.retention_of(k).code()))
        .collect();
    out += &table.join("、");
    out += "\n档号示例：";
    out += &crate::room::item::archival_code(
        &s.fonds,
        &s.category,
        2027,
        s.retention_of("活动"),
        &s.unit,
        1,
    );
    out.push('\n');
    out
}

/// The 四性检测 for people: each item with its result, the faults under it, then the
/// conclusion.
pub fn four(report: &FourReport) -> String {
    let mut out = format!(
        "电子档案四性检测（DA/T 70-2018，{}环节）：{}\n档案版本 {}，{} 件、{} 页、{} 个文件、{} 字节\n",
        report.stage_words,
        report.target,
        report.version,
        report.totals.items,
        report.totals.pages,
        report.totals.files,
        report.totals.bytes
    );
    for property in Property::ALL {
        out += &format!("{}检测\n", property.words());
        for c in report.checks.iter().filter(|c| c.property == property) {
            let mark = c.outcome.words();
            out += &format!("  {} {}：{}。{}\n", c.number, c.item, mark, c.note);
            for f in &c.faults {
                out += &format!("      {f}\n");
            }
        }
    }
    if let Some(p) = &report.pending {
        out += &format!("注：{p}\n");
    }
    if !report.superseded.is_empty() {
        out += &format!(
            "注：另有 {} 个文件已由更正记录移出当前档案，作为历史保留在以前的版本中（固化信息照常核对，不作为当前档案检测）：{}\n",
            report.superseded.len(),
            report.superseded.join("、")
        );
    }
    out += &format!(
        "结论：{}（通过 {} 项，不通过 {} 项，未核对 {} 项，未检测 {} 项，人工检测 {} 项，不适用 {} 项）\n",
        report.conclusion,
        report.passed,
        report.failed,
        report.unverified,
        report.not_checked,
        report.manual,
        report.not_applicable
    );
    out += &format!(
        "{} 的版本清单摘要（SHA-512）：{}\n",
        report.version, report.digest
    );
    out
}
