//! A verification report in words, as `dashi verify` prints it for people: a bag's report (each problem, the recorded
//! digests, the closing line) and an OCFL object's (head, digests, problems).

use std::fmt::Write as _;

use crate::verify::ocfl::ObjectReport;
use crate::verify::{Report, Verified};

/// The report of whatever was verified.
pub fn verified(verified: &Verified) -> String {
    match verified {
        Verified::Bag(r) => bag(r),
        Verified::Object(r) => object(r),
    }
}

/// The Chinese report for people.
pub fn bag(report: &Report) -> String {
    let mut out = String::new();
    for p in &report.problems {
        out.push_str(&p.line());
        out.push('\n');
    }
    if let Some(id) = &report.identifier {
        match &report.bagging_date {
            Some(date) => out.push_str(&format!("包：{id}（封存日期 {date}）\n")),
            None => out.push_str(&format!("包：{id}\n")),
        }
    }
    // A broken bag's recorded values must not pass for a match with the paper.
    let caveat = if report.intact {
        ""
    } else {
        "（包未通过校验，不能据此与纸面核对）"
    };
    if let Some(d) = &report.evidence_digest {
        out.push_str(&format!("电子材料摘要{caveat}：{d}\n"));
    }
    if let Some(s) = &report.seal {
        out.push_str(&format!("封存值{caveat}：{s}\n"));
    }
    let errors = report.problems.iter().filter(|p| p.error).count();
    let warnings = report.problems.len() - errors;
    if report.intact {
        out.push_str(&format!(
            "校验通过：{} 个数据文件（{} 字节）完好，{warnings} 个警告。\n",
            report.payload_files, report.payload_bytes
        ));
    } else {
        out.push_str(&format!(
            "校验未通过：{errors} 个错误，{warnings} 个警告。\n"
        ));
    }
    out
}

/// The report of an OCFL object (a studio archive) as a reviewer reads it.
pub fn object(report: &ObjectReport) -> String {
    let mut out = String::new();
    // What the object is, by the id dashi gives it: a bureau's ledger (台账), a studio's
    // archive, or an object of another tool.
    let what = match report.id.as_deref() {
        Some(id) if id.starts_with("urn:dashi:ledger:") => "台账",
        Some(id) if id.starts_with("urn:dashi:") => "工作室档案",
        _ => "档案",
    };
    let _ = writeln!(out, "OCFL 对象（{what}）：{}", report.object);
    if let Some(id) = &report.id {
        let _ = writeln!(out, "对象标识：{id}");
    }
    if let (Some(head), Some(digest)) = (&report.head, &report.head_inventory_digest) {
        let _ = writeln!(
            out,
            "最新版本：{head}（共 {} 个版本，{} 个文件，{} 字节）",
            report.versions.len(),
            report.stored_files,
            report.stored_bytes
        );
        let _ = writeln!(
            out,
            "最新版本清单摘要（{}）：{digest}",
            report
                .digest_algorithm
                .as_deref()
                .unwrap_or("sha512")
                .to_uppercase()
        );
    }
    if let Some(app) = &report.application {
        let state = if app.intact {
            "完好"
        } else {
            "未通过校验"
        };
        let _ = writeln!(out, "申报材料包（v1）：{state}");
        if let Some(seal) = &app.seal {
            let _ = writeln!(out, "  封存值：{seal}");
        }
        if let Some(digest) = &app.evidence_digest {
            let _ = writeln!(out, "  电子材料摘要：{digest}");
        }
    }
    // The history is unchanged only when the whole object verifies: a forged head can
    // carry an old version's inventory bytes.
    match &report.expected_version {
        Some(version) if report.intact => {
            let _ = writeln!(
                out,
                "核对摘要：与 {version} 的版本清单一致，{version} 及以前的历史未改动"
            );
        }
        Some(version) => {
            let _ = writeln!(
                out,
                "核对摘要：与 {version} 的版本清单一致，但档案未通过校验（见下），不能据此认为历史未改动"
            );
        }
        None => {}
    }
    if let Some(head) = &report.pending_head {
        let _ = writeln!(
            out,
            "预归档（{}，尚未归档）：{} 次修订，{} 个文件，其中新存 {} 个（{} 字节）已逐一核对摘要",
            head.version, head.revisions, head.files, head.stored_files, head.stored_bytes
        );
    }
    if let Some(pending) = &report.pending {
        let cause = if report.problems.is_empty() {
            ""
        } else {
            "，下列问题可能由它造成"
        };
        // A ledger is repaired by any ledger command, before it reads.
        let repair = if what == "台账" {
            "dashi ledger status"
        } else {
            "dashi archive repair"
        };
        let _ = writeln!(out, "注意：{pending}{cause}；运行 {repair} 完成或回滚");
    }
    for p in &report.problems {
        let level = if p.error { "错误" } else { "警告" };
        match &p.path {
            Some(path) => {
                let _ = writeln!(out, "{level}[{}] {path}：{}", p.code, p.message);
            }
            None => {
                let _ = writeln!(out, "{level}[{}] {}", p.code, p.message);
            }
        }
    }
    let errors = report.problems.iter().filter(|p| p.error).count();
    let warnings = report.problems.len() - errors;
    if report.intact {
        let _ = writeln!(out, "{}完好：0 个错误，{warnings} 个警告。", whole(what));
    } else {
        let _ = writeln!(
            out,
            "{}未通过校验：{errors} 个错误，{warnings} 个警告。",
            whole(what)
        );
    }
    out
}

/// How the last line names the object: a ledger as 台账, any archive as 档案.
fn whole(what: &str) -> &str {
    if what == "台账" { what } else { "档案" }
}
