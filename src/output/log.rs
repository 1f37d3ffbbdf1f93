//! What `dashi archive log` prints: each version with its time, keeper, records,
//! files and inventory digest.

use std::fmt::Write as _;

use crate::archive::log::Entry;

/// The log as a person reads it.
pub fn log(entries: &[Entry]) -> String {
    let mut out = String::new();
    for e in entries {
        if e.pending {
            let _ = writeln!(
                out,
                "{}（预归档，尚未归档）  最近一次加入 {}  {}",
                e.version, e.created, e.user
            );
        } else {
            let _ = writeln!(out, "{}（已归档）  {}  {}", e.version, e.created, e.user);
            let _ = writeln!(out, "  {}", e.message);
        }
        for r in &e.records {
            let major = if r.major { "（重大）" } else { "" };
            let corrects = r
                .corrects
                .as_ref()
                .map(|c| format!("，更正 {c}"))
                .unwrap_or_default();
            let when = match (&r.revision, r.date) {
                (Some(rev), Some(date)) => format!("  [修订 {rev}，{date}]"),
                (Some(rev), None) => format!("  [修订 {rev}]"),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "  · {} {}：{}{major}{corrects}{when}",
                r.kind, r.id, r.title
            );
        }
        let referenced = if e.referenced > 0 {
            format!("（其中 {} 个与已存档文件相同，只作引用）", e.referenced)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  新增 {} 个文件{referenced}，存储 {} 字节",
            e.files_added, e.bytes_stored
        );
        if let Some(d) = &e.inventory_digest {
            let _ = writeln!(out, "  版本清单摘要（SHA-512）：{d}");
        }
        if e.pending {
            let _ = writeln!(
                out,
                "  预归档的记录已安全存盘，尚无版本清单摘要；运行 dashi archive commit 即归档"
            );
        }
    }
    out
}

/// What `archive repair` (or a command that repaired first) did, in words.
pub fn repaired(repaired: &crate::archive::version::Repaired) -> Option<String> {
    use crate::archive::version::{Interrupted, Repaired};
    let what = |i: &Interrupted| match i {
        Interrupted::Version(v) => format!("版本 {v} 的写入"),
        Interrupted::Revision(v, r) => format!("预归档（{v} 的修订 {r}）"),
        Interrupted::Commit(v) => format!("归档（{v}）"),
        Interrupted::Withdraw(v) => format!("撤回预归档的记录（{v}）"),
    };
    Some(match repaired {
        Repaired::Nothing => return None,
        Repaired::Finished(i @ Interrupted::Withdraw(_)) => {
            format!(
                "上一次中断的{}已完整写入，予以完成，那些记录已撤回。",
                what(i)
            )
        }
        Repaired::RolledBack(i @ Interrupted::Withdraw(_)) => format!(
            "上一次中断的{}未开始改动档案，已撤销；那些记录仍为预归档，可再次撤回。",
            what(i)
        ),
        Repaired::Finished(i @ Interrupted::Revision(..)) => {
            format!(
                "上一次中断的{}已完整写入，予以完成，记录仍为预归档。",
                what(i)
            )
        }
        Repaired::Finished(i) => {
            format!(
                "上一次中断的{}已完整写入，予以完成，现为最新版本。",
                what(i)
            )
        }
        Repaired::RolledBack(i @ Interrupted::Commit(_)) => format!(
            "上一次中断的{}未开始改动档案，已撤销；预归档的记录都在，仍待归档。",
            what(i)
        ),
        Repaired::RolledBack(i) => format!(
            "上一次中断的{}未写完，已撤销，这一步没有写入档案（用 dashi archive log 查看档案中已有的记录；不在其中的记录需重新加入）。",
            what(i)
        ),
    })
}

/// What was made for major records whose add was stopped before their report.
pub fn completed(done: &crate::record::add::Completed) -> Option<String> {
    if done.filed.is_none() && done.reports.is_empty() {
        return None;
    }
    let mut text = String::new();
    if let Some(c) = &done.filed {
        text.push_str(&format!(
            "上一次加入的重大记录已存入档案但未归档，现归档为版本 {}。",
            c.version
        ));
    }
    let list: Vec<String> = done
        .reports
        .iter()
        .map(|(id, version)| format!("{id}（记录在版本 {version}）"))
        .collect();
    if !list.is_empty() {
        text.push_str(&format!(
            "这些重大记录已在档案中，缺少的重大事项报告已补上并预归档：{}。",
            list.join("、")
        ));
    }
    Some(text)
}
