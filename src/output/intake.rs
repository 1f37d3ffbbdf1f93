//! What `dashi intake` prints: one line a submission (number, name, integrity,
//! conclusion, problem count), the notes, and the files written.

use crate::intake::Done;
use crate::intake::publish::Published;

/// The summary of an intake run.
pub fn intake(done: &Done, out: &std::path::Path) -> String {
    let mut text = String::new();
    let all = &done.ledger.submissions;
    for s in all {
        let name = s
            .facts
            .as_ref()
            .map(|f| f.studio.as_str())
            .filter(|n| !n.is_empty())
            .unwrap_or("（未能读取名称）");
        let carried = if s.carried {
            "（沿用上次结果）"
        } else {
            ""
        };
        text.push_str(&format!(
            "{}  {name}{carried}\n    来源：{}（{}）\n    完整性：{}\n    初审结论：{}；问题 {} 个\n",
            s.number,
            s.input,
            s.form,
            s.integrity.summary,
            s.conclusion.line(),
            s.problems.len()
        ));
        for p in &s.problems {
            text.push_str(&format!("      {} {}：{}\n", p.code, p.level, p.message));
        }
    }
    for note in &done.notes {
        text.push_str(&format!("注意：{note}\n"));
    }
    let admissible = all.iter().filter(|s| s.conclusion.admissible()).count();
    let ineligible = all
        .iter()
        .filter(|s| s.conclusion.verdict == crate::intake::INELIGIBLE)
        .count();
    text.push_str(&format!(
        "共受理 {} 份：符合条件 {admissible} 份，不符合条件 {ineligible} 份，需补正 {} 份。\n已写入 {}：\n",
        all.len(),
        all.len() - admissible - ineligible,
        out.display()
    ));
    for file in &done.written {
        text.push_str(&format!("  {file}\n"));
    }
    text
}

/// The summary of `intake publish`.
pub fn published(p: &Published) -> String {
    let l = &p.list;
    let mut text = format!(
        "拟认定名单 {} 个工作室；公示期 {}（{}）至 {}（{}），共 {} 个工作日。\n",
        l.listed.len(),
        l.from,
        l.from_weekday,
        l.to,
        l.to_weekday,
        l.working_days
    );
    for note in &p.notes {
        text.push_str(&format!("注意：{note}\n"));
    }
    text.push_str("已生成：\n");
    for path in &p.written {
        text.push_str(&format!("  {}\n", path.display()));
    }
    text
}
