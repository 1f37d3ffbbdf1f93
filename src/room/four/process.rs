//! 过程信息 (DA/T 70-2018 2-5) and 过程安全性 (4-7), read from the archive's own log:
//! every filed version says when it was made, by whom and what it did, and the versions
//! follow one another in time, none dated after the check.

use super::items::{Seen, item, note};
use super::report::{Check, Property};
use crate::archive::log;

/// The two items.
pub(super) fn checks(seen: &Seen<'_>) -> Vec<Check> {
    let entries: Vec<log::Entry> = log::log(&seen.archive)
        .into_iter()
        .filter(|e| !e.pending)
        .collect();
    let mut gaps = Vec::new();
    let mut operators: Vec<&str> = Vec::new();
    for e in &entries {
        let mut lacks = Vec::new();
        if e.created.trim().is_empty() {
            lacks.push("时间");
        }
        if e.user.trim().is_empty() {
            lacks.push("经办人");
        }
        if e.message.trim().is_empty() {
            lacks.push("说明");
        }
        if !lacks.is_empty() {
            gaps.push(format!("{}：没有记下{}", e.version, lacks.join("、")));
        }
        if !e.user.trim().is_empty() && !operators.contains(&e.user.as_str()) {
            operators.push(&e.user);
        }
    }
    let info = item(
        Property::Integrity,
        "过程信息完整性检测",
        "读取档案每个版本的处理记录（版本清单中的时间、经办人和说明），核对每一次归档、更正和设置都记有三者",
        gaps.clone(),
        note(
            &gaps,
            format!(
                "{} 个版本都记有时间、经办人和说明；经办人：{}",
                entries.len(),
                operators.join("、")
            ),
            "处理记录不全",
        ),
    );
    let now = crate::archive::inventory::created(seen.now);
    let mut order = Vec::new();
    for pair in entries.windows(2) {
        if pair[1].created < pair[0].created {
            order.push(format!(
                "{}（{}）早于它之前的 {}（{}）",
                pair[1].version, pair[1].created, pair[0].version, pair[0].created
            ));
        }
    }
    for e in &entries {
        if e.created > now {
            order.push(format!(
                "{}：记录的时间 {} 晚于检测时间 {now}",
                e.version, e.created
            ));
        }
    }
    let safe = item(
        Property::Security,
        "过程安全性检测",
        "核对各版本按时间先后相继生成，没有晚于检测时间的版本（中断的更改留下的文件由 4-3 检查）",
        order.clone(),
        note(
            &order,
            format!("{} 个版本依次生成，没有中断或倒置", entries.len()),
            "处理过程异常",
        ),
    );
    vec![info, safe]
}
