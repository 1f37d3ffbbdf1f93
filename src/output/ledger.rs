//! What the ledger's commands print: what was entered, what falls due, what a round
//! found in each submission, the results, and the files written.

use std::path::PathBuf;

use crate::ledger::due::{AHEAD_DAYS, Due};
use crate::ledger::enter::Entered;
use crate::ledger::results::Entered as Scored;
use crate::ledger::round::Done;

fn files(written: &[PathBuf]) -> String {
    let mut text = String::new();
    if !written.is_empty() {
        text.push_str("已生成：\n");
        for path in written {
            text.push_str(&format!("  {}\n", path.display()));
        }
    }
    text
}

/// `ledger enter`.
pub fn entered(e: &Entered) -> String {
    let (studios, notes) = (&e.studios, &e.notes);
    let version = e.appended.as_ref().map(|a| a.version.as_str());
    let mut text = String::new();
    for s in studios {
        text.push_str(&format!(
            "  {}  {}（领办人 {}，{}认定）\n",
            s.id, s.name, s.master, s.recognised
        ));
    }
    for note in notes {
        text.push_str(&format!("注意：{note}\n"));
    }
    match version {
        Some(v) => text.push_str(&format!(
            "已录入 {} 个工作室（台账版本 {v}）。\n",
            studios.len()
        )),
        None => text.push_str("没有需要录入的工作室，台账未改变。\n"),
    }
    text
}

/// `ledger status`.
pub fn status(items: &[Due], day: &str, written: &[PathBuf]) -> String {
    let mut text = format!("截至 {day}，已到期和 {AHEAD_DAYS} 天内到期的事项：\n");
    if items.is_empty() {
        text.push_str("  没有。\n");
    }
    for d in items {
        let due = d.due.map(|d| d.to_string()).unwrap_or_default();
        text.push_str(&format!(
            "  {}  {}  {}（{}）  {due}  {}\n",
            d.studio, d.name, d.what, d.article, d.when
        ));
    }
    text + &files(written)
}

/// `ledger round`.
pub fn round(done: &Done) -> String {
    let mut text = format!("{}：\n", done.round.name);
    let mut flagged = 0;
    let mut failed = 0;
    for item in &done.items {
        match &item.outcome {
            Ok(c) if c.differences.is_empty() => text.push_str(&format!(
                "  {}  {}：报告与档案记录一致（{}）{}\n",
                c.studio.id,
                c.studio.name,
                c.received.version,
                if c.already {
                    "，此前已记入台账"
                } else {
                    ""
                }
            )),
            Ok(c) => {
                flagged += 1;
                text.push_str(&format!(
                    "  {}  {}：{} 处与档案记录不符\n",
                    c.studio.id,
                    c.studio.name,
                    c.differences.len()
                ));
                for d in &c.differences {
                    text.push_str(&format!("      {}\n", d.said()));
                }
            }
            Err(why) => {
                failed += 1;
                text.push_str(&format!("  {}：未能核对：{why}\n", item.folder.display()));
            }
        }
    }
    let read = done.items.len() - failed;
    text.push_str(&format!(
        "共 {} 份报送：核对 {read} 份，其中 {flagged} 份与记录不符；{failed} 份未能核对。\n",
        done.items.len()
    ));
    if let Some(a) = &done.entered {
        text.push_str(&format!("已记入台账（台账版本 {}）。\n", a.version));
    }
    text + &files(&done.written)
}

/// `ledger results`.
pub fn results(e: &Scored) -> String {
    let mut text = format!("{}：\n", e.round.name);
    for (id, o) in &e.outcomes {
        let verdict = if o.passed { "合格" } else { "不合格" };
        text.push_str(&format!(
            "  {id}  {} 分，{verdict}{}\n",
            crate::render::context::number(o.score),
            o.deadline
                .map(|d| format!("，限期 {d} 前整改"))
                .unwrap_or_default()
        ));
    }
    for id in &e.already {
        text.push_str(&format!("  {id}  此前已记入台账，未重复录入\n"));
    }
    if let Some(a) = &e.appended {
        text.push_str(&format!("已记入台账（台账版本 {}）。\n", a.version));
    }
    text + &files(&e.written)
}

/// `ledger revoke`.
pub fn revoked(r: &crate::ledger::lists::Revoked) -> String {
    let head = match &r.appended {
        Some(a) => format!("工作室 {} 已撤销（台账版本 {}）。\n", r.studio, a.version),
        None => format!("工作室 {} 的撤销此前已记入台账。\n", r.studio),
    };
    head + &files(r.written.as_slice())
}

/// `ledger lists` (and any command that only writes files).
pub fn written(written: &[PathBuf]) -> String {
    files(written)
}

/// `ledger funds`.
pub fn paid(p: &crate::ledger::funds::Paid) -> String {
    let amount = crate::render::context::number(p.payment.amount);
    match &p.appended {
        Some(a) => format!(
            "已记入：{} {} 拨付 {amount} 万元（凭证 {}，台账版本 {}）。\n",
            p.studio, p.name, p.payment.voucher, a.version
        ),
        None => format!("凭证 {} 的拨付此前已记入台账。\n", p.payment.voucher),
    }
}

/// `ledger change`.
pub fn changed(d: &crate::ledger::change::Decided) -> String {
    let c = &d.change;
    let mut text = format!(
        "工作室 {}：领办人变更 {}→{}（{}，{} 离任）\n",
        c.studio, c.former_master, c.new_master, c.reason, c.left_on
    );
    if d.problems.is_empty() {
        text.push_str("  检查和交叉核对没有发现问题。\n");
    }
    for p in &d.problems {
        text.push_str(&format!(
            "  {}[{}]：{}\n",
            p.level.label(),
            p.code.id(),
            p.message
        ));
        if let Some(hint) = &p.hint {
            text.push_str(&format!("      提示：{hint}\n"));
        }
    }
    let verdict = match c.approved {
        None => "已收取，待核准（列在到期事项中）",
        Some(true) => "已核准：新领办人记入台账",
        Some(false) => "不予核准",
    };
    match &d.appended {
        Some(a) => text.push_str(&format!("{verdict}（台账版本 {}）。\n", a.version)),
        None => text.push_str(&format!("{verdict}：此前已记入台账。\n")),
    }
    if let Some(path) = &d.written {
        text.push_str(&format!("已生成：\n  {}\n", path.display()));
    }
    if let Some(path) = &d.record {
        text.push_str(&format!(
            "  {}（交工作室：与核准意见一起用 dashi record add 加入专门档案）\n",
            path.display()
        ));
    }
    text
}
