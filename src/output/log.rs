//! What `dashi archive log` prints: each version with its time, keeper, records,
//! files and inventory digest.

use std::fmt::Write as _;

use crate::archive::log::Entry;

/// The log as a person reads it.
pub fn log(entries: &[Entry]) -> String {
    let mut out = String::new();
    for e in entries {
        let _ = writeln!(out, "{}  {}  {}", e.version, e.created, e.user);
        let _ = writeln!(out, "  {}", e.message);
        for r in &e.records {
            let major = if r.major { "（重大）" } else { "" };
            let corrects = r
                .corrects
                .as_ref()
                .map(|c| format!("，更正 {c}"))
                .unwrap_or_default();
            let _ = writeln!(out, "  · {} {}：{}{major}{corrects}", r.kind, r.id, r.title);
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
    }
    out
}
