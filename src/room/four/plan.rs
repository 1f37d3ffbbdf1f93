//! Which of DA/T 70-2018's items each 环节 checks, in the standard's order and with its
//! numbers (x-y: property, item). An item of ours that covers several of the standard's
//! carries all their numbers (`1-9～1-11`); the three checks against malicious code
//! (an antivirus, programs and scripts, PDF actions) all stand under 4-2.
//!
//! 归档 is online (no carrier), so the carrier items are left out; 1-14 compares a
//! package with what its sender sent, so it belongs to 移交与接收 alone; 长期保存
//! re-checks what time can change (fixity, completeness, readability, security) and
//! leaves the description rules judged at 归档 (1-2 to 1-8) alone.

use super::report::{Check, Stage};

/// At which 环节 an item is checked.
#[derive(Clone, Copy)]
struct At {
    filing: bool,
    transfer: bool,
    preservation: bool,
}

const ALL: At = At {
    filing: true,
    transfer: true,
    preservation: true,
};
const BEFORE_KEEPING: At = At {
    filing: true,
    transfer: true,
    preservation: false,
};
const CARRIER: At = At {
    filing: false,
    transfer: true,
    preservation: true,
};
const TRANSFER: At = At {
    filing: false,
    transfer: true,
    preservation: false,
};

/// Every item: its DA/T 70 number, its name in our report, where it is checked.
const PLAN: &[(&str, &str, At)] = &[
    ("1-1", "固化信息有效性检测", ALL),
    (
        "1-2～1-5",
        "元数据项数据类型、长度和值域检测",
        BEFORE_KEEPING,
    ),
    ("1-6", "元数据项特殊字符检测", BEFORE_KEEPING),
    ("1-7", "档号规范性检测", BEFORE_KEEPING),
    ("1-8", "元数据项重复性检测", BEFORE_KEEPING),
    ("1-9～1-11", "元数据与内容一致性检测", ALL),
    ("1-12、1-13", "信息包结构检测", ALL),
    ("1-14", "信息包一致性检测", TRANSFER),
    ("2-1、2-2", "总件数、总字节数相符性检测", ALL),
    ("2-3、2-4", "元数据项完整性检测", ALL),
    ("2-5", "过程信息完整性检测", ALL),
    ("2-6", "连续性元数据项检测", ALL),
    ("2-7、2-8、2-11", "内容数据完整性检测", ALL),
    ("2-9", "归档范围检测", BEFORE_KEEPING),
    ("2-10", "信息包元数据完整性检测", ALL),
    ("3-1", "元数据可读性检测", ALL),
    ("3-2", "目标数据库中的元数据可访问性检测", ALL),
    ("3-3", "内容数据格式检测", ALL),
    ("3-4", "内容数据可读性检测", ALL),
    ("3-5", "软硬件环境检测", ALL),
    ("3-8", "加密和非公开压缩检测", ALL),
    ("4-1", "杀毒软件检测", ALL),
    ("4-2", "病毒检测", ALL),
    ("4-2", "可执行程序、脚本和宏检测", ALL),
    ("4-2", "PDF 活动内容检测", ALL),
    ("4-3", "非归档文件检测", ALL),
    ("4-4", "载体读取检测", CARRIER),
    ("4-5", "载体外观检测", CARRIER),
    ("4-6", "光盘合格性检测", TRANSFER),
    ("4-7", "过程安全性检测", ALL),
];

/// The items of `checks` that `stage` checks, in the standard's order, numbered.
pub(super) fn arrange(checks: Vec<Check>, stage: Stage) -> Vec<Check> {
    let mut out: Vec<(usize, Check)> = checks
        .into_iter()
        .filter_map(|mut c| {
            let found = PLAN
                .iter()
                .enumerate()
                .find(|(_, (_, name, _))| *name == c.item);
            // Every item is planned: one left out of PLAN would vanish from the report.
            debug_assert!(found.is_some(), "{} is not in PLAN", c.item);
            let (at, (code, _, when)) = found?;
            let included = match stage {
                Stage::Filing => when.filing,
                Stage::Transfer => when.transfer,
                Stage::Preservation => when.preservation,
            };
            c.number = (*code).into();
            included.then_some((at, c))
        })
        .collect();
    out.sort_by_key(|(at, _)| *at);
    out.into_iter().map(|(_, c)| c).collect()
}

/// The names of the items `stage` checks (for tests and the README).
pub fn names(stage: Stage) -> Vec<&'static str> {
    PLAN.iter()
        .filter(|(_, _, at)| match stage {
            Stage::Filing => at.filing,
            Stage::Transfer => at.transfer,
            Stage::Preservation => at.preservation,
        })
        .map(|(_, name, _)| *name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_stage_has_its_own_items() {
        let filing = names(Stage::Filing);
        let transfer = names(Stage::Transfer);
        let keeping = names(Stage::Preservation);
        assert!(!filing.contains(&"信息包一致性检测") && transfer.contains(&"信息包一致性检测"));
        assert!(!filing.contains(&"载体外观检测") && keeping.contains(&"载体外观检测"));
        assert!(!keeping.contains(&"档号规范性检测") && filing.contains(&"档号规范性检测"));
        assert!(transfer.len() > filing.len() && filing.len() > keeping.len());
    }
}
