//! The rules of a record on its own (第十一条 and the standards it relies on): an id
//! the archive can name it by, the table its kind asks for, files that exist, are
//! whole and can be stored (no links, nothing outside the record's folder, names every
//! system keeps), valid resident IDs and skill levels, the approval of a new 领办人
//! (第十二条（二）), dates that have happened, numbers that make sense. What needs the
//! archive (ids already used, records corrected or referred to) is judged when the
//! record is added.

use std::path::{Component, Path};

use crate::check::identity;
use crate::check::vocab::skill_rank;
use crate::data::dates::Date;
use crate::finding::{Code, Finding};
use crate::media::scan::{self, ScanKind};
use crate::portable::{is_invisible, shown};

use crate::data::record::{FundDirection, MemberChangeKind, Record};

/// The longest file name the archive keeps (a disc's Joliet limit, extension included).
pub const MAX_NAME_CHARS: usize = 64;

/// Every rule of one record; `base` is the record file's folder, `today` the date it is
/// added.
pub fn run(record: &Record, base: &Path, today: Date) -> Vec<Finding> {
    let mut out = Vec::new();
    id(record, &mut out);
    kind_table(record, &mut out);
    files(record, base, &mut out);
    people(record, &mut out);
    date(record, today, &mut out);
    numbers(record, &mut out);
    if record.major && !record.kind.may_be_major() {
        out.push(
            Finding::new(
                Code::RecordMajor,
                "major",
                format!("“{}”类记录不是重大活动或重大成果", record.kind.label()),
            )
            .uses("kind")
            .hint("第十一条所说的重大事项指重大活动或重大成果；删去 major = true"),
        );
    }
    out
}

/// Whether a record id is one the archive can use as a file name.
pub fn valid_id(id: &str) -> bool {
    let n = id.chars().count();
    (1..=40).contains(&n)
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || is_han(c))
        && crate::portable::is_portable(id)
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2EBEF)
}

fn id(record: &Record, out: &mut Vec<Finding>) {
    if !valid_id(record.id.trim()) || record.id.trim() != record.id {
        out.push(
            Finding::new(
                Code::RecordId,
                "id",
                format!("记录编号“{}”不能用", record.id),
            )
            .hint("编号由汉字、字母、数字和 - _ 组成，不超过 40 个字符，不能是 CON、NUL、COM1 这类 Windows 设备名，如“活动-2027-001”"),
        );
    }
}

fn kind_table(record: &Record, out: &mut Vec<Finding>) {
    let wanted = record.kind.table();
    let filled = record.filled_tables();
    if !filled.contains(&wanted) {
        out.push(
            Finding::new(
                Code::RecordKindTable,
                "kind",
                format!(
                    "类别为“{}”，但没有填写 [{wanted}] 部分",
                    record.kind.label()
                ),
            )
            .hint(format!(
                "加上 [{wanted}] 部分，写法见 dashi record new {}",
                record.kind.label()
            )),
        );
    }
    for other in filled.into_iter().filter(|t| *t != wanted) {
        out.push(
            Finding::new(
                Code::RecordKindTable,
                other,
                format!(
                    "类别为“{}”的记录不应填写 [{other}] 部分",
                    record.kind.label()
                ),
            )
            .uses("kind")
            .hint("一条记录只写一件事；其他事项另写一条记录"),
        );
    }
}

/// Every named file: inside the record's folder, a regular file (no link), a name the
/// archive keeps, readable, and for images whole.
fn files(record: &Record, base: &Path, out: &mut Vec<Finding>) {
    for (path, file) in record.named_files() {
        let raw: &str = file;
        let written = Path::new(file.trim());
        // What the user reads: a name with an invisible direction mark shown escaped.
        let file = &shown(file);
        let outside = written.is_absolute()
            || written
                .components()
                .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
        if file.trim().is_empty() || outside {
            out.push(
                Finding::new(
                    Code::RecordFileName,
                    path,
                    format!("文件路径“{file}”指向记录文件所在文件夹以外"),
                )
                .hint("把文件放到记录文件所在的文件夹（或其子文件夹）中，写相对路径"),
            );
            continue;
        }
        let name = written
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(why) = bad_name(&name) {
            out.push(
                Finding::new(
                    Code::RecordFileName,
                    path.clone(),
                    format!("文件名“{}”{why}", shown(&name)),
                )
                .hint("给文件改一个短一些、只含常用字符的名字"),
            );
        }
        let full = base.join(written);
        // No link on the way to the file either: `sys/hostname` through a link `sys`
        // to /etc would archive a file from outside the record's folder.
        if through_link(base, written) {
            out.push(
                Finding::new(
                    Code::RecordFileName,
                    path,
                    format!("文件路径“{file}”经过一个链接（快捷方式），指向记录文件所在文件夹以外"),
                )
                .hint("档案只收记录文件夹中的普通文件：把原文件复制到这里"),
            );
            continue;
        }
        let meta = match std::fs::symlink_metadata(&full) {
            Ok(m) => m,
            Err(_) if raw != raw.trim() && base.join(raw).is_file() => {
                // The file on disk has the spaces the data file has: say so, not "missing".
                out.push(
                    Finding::new(
                        Code::RecordFileName,
                        path,
                        format!("文件名“{}”首尾带有空格", shown(raw)),
                    )
                    .hint("把文件改名，去掉名字前后的空格（Windows 上这样的名字无法保存），数据文件中也写去掉空格后的名字"),
                );
                continue;
            }
            Err(_) => {
                out.push(
                    Finding::new(Code::RecordFile, path, format!("文件“{file}”不存在"))
                        .hint("核对文件名和位置：路径相对于记录文件所在的文件夹"),
                );
                continue;
            }
        };
        if meta.file_type().is_symlink() || !meta.is_file() {
            out.push(
                Finding::new(
                    Code::RecordFileName,
                    path,
                    format!("“{file}”不是普通文件（是链接、文件夹或设备）"),
                )
                .hint("档案只收普通文件：把原文件复制到这里"),
            );
            continue;
        }
        if meta.len() == 0 {
            out.push(
                Finding::new(
                    Code::RecordFile,
                    path,
                    format!("文件“{file}”是空的（0 字节）"),
                )
                .hint("核对是否选错了文件，或复制时没有复制完整"),
            );
            continue;
        }
        if let Err(e) = std::fs::File::open(&full) {
            out.push(Finding::new(
                Code::RecordFile,
                path,
                format!("文件“{file}”无法读取：{e}"),
            ));
            continue;
        }
        let image = matches!(
            scan::sniff(&full),
            Some(ScanKind::Jpeg | ScanKind::Png | ScanKind::Tiff)
        );
        if image && let Err(problem) = scan::inspect(&full) {
            out.push(
                Finding::new(Code::RecordFile, path, format!("图像“{file}”：{problem}"))
                    .hint("重新拍摄、扫描或导出这张图像"),
            );
            continue;
        }
        if let Some(finding) = before_filing(&full, &name, file, path) {
            out.push(finding);
        }
    }
}

/// The file checks the 四性检测 runs at 归档, run before a file goes in: a file that would
/// fail them is refused now, while it can still be replaced.
fn before_filing(full: &Path, name: &str, file: &str, path: String) -> Option<Finding> {
    let opened = crate::room::four::files::open(full, name);
    let (why, what_to_do) = if let Some(active) = &opened.active {
        (
            format!("{active}，档案不收程序、脚本和带活动内容的文件"),
            "改附原件的 PDF（不带脚本或动作）或图像；程序和脚本不能归档",
        )
    } else if let Some(sealed) = &opened.sealed {
        (
            format!("{sealed}，归档后无法检测其内容"),
            "附上未加密的 PDF；压缩包请解开后逐个附上其中的文件",
        )
    } else if let Some(broken) = &opened.broken {
        (
            format!("无法完整打开：{broken}"),
            "从原件重新导出或扫描这个文件",
        )
    } else if !opened.listed {
        let kind = opened.kind.map_or("未知格式", |k| k.name());
        (
            format!("是{kind}，不是档案收存的格式"),
            "转成 PDF、OFD、JPEG、PNG、TIFF、MP4 或 UTF-8 文本后再附上",
        )
    } else {
        return None;
    };
    Some(Finding::new(Code::RecordFileFails, path, format!("文件“{file}”{why}")).hint(what_to_do))
}

/// Why a file name cannot go into the archive (and on a disc, and onto Windows).
pub fn bad_name(name: &str) -> Option<String> {
    if name.chars().count() > MAX_NAME_CHARS {
        return Some(format!("超过 {MAX_NAME_CHARS} 个字符"));
    }
    if let Some(c) = name
        .chars()
        .find(|c| c.is_control() || "\\/:*?\"<>|%".contains(*c))
    {
        return Some(format!("含有不能用于文件名的字符“{}”", c.escape_default()));
    }
    if let Some(c) = name.chars().find(|c| is_invisible(*c)) {
        return Some(format!(
            "含有看不见的方向或格式控制字符 {}，会让名字显示得与实际不同（例如把 .exe 显示成 .jpg）",
            shown(&c.to_string())
        ));
    }
    if name.ends_with('.') || name.ends_with(' ') || name.starts_with('.') {
        return Some("以点或空格开头或结尾".into());
    }
    if crate::portable::is_reserved(name) {
        return Some("是 Windows 的设备名（CON、NUL、COM1 等），在 Windows 上无法打开".into());
    }
    None
}

/// Whether a folder on the way from `base` to `written` is a link, or the file lies
/// outside `base` once links are resolved.
fn through_link(base: &Path, written: &Path) -> bool {
    let mut at = base.to_path_buf();
    let parts: Vec<_> = written.components().collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        at.push(part);
        if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return true;
        }
    }
    match (base.canonicalize(), base.join(written).canonicalize()) {
        (Ok(root), Ok(file)) => !file.starts_with(root),
        _ => false,
    }
}

/// Resident IDs and skill levels of the people a record names.
fn people(record: &Record, out: &mut Vec<Finding>) {
    let mut ids: Vec<(&str, &str)> = Vec::new();
    let mut levels: Vec<(&str, &str)> = Vec::new();
    if let Some(a) = &record.apprentice {
        ids.push(("apprentice.id_number", &a.id_number));
        if let Some(level) = &a.level_at_start {
            levels.push(("apprentice.level_at_start", level));
        }
    }
    if let Some(p) = &record.progress {
        levels.push(("progress.level", &p.level));
    }
    if let Some(m) = &record.member {
        if let Some(id) = &m.id_number {
            ids.push(("member.id_number", id));
        }
        if let Some(level) = &m.skill_level {
            levels.push(("member.skill_level", level));
        }
        let needs_id = matches!(m.change, MemberChangeKind::Joins | MemberChangeKind::Leader);
        if needs_id && m.id_number.as_deref().is_none_or(|i| i.trim().is_empty()) {
            out.push(
                Finding::new(
                    Code::RecordIdNumber,
                    "member",
                    format!("{}的身份证号没有填写", m.name),
                )
                .uses("member.change")
                .hint("加入工作室和更换领办人时填写 id_number"),
            );
        }
        if m.change == MemberChangeKind::Leader && m.approval.is_none() {
            out.push(
                Finding::new(
                    Code::LeaderApproval,
                    "member",
                    format!("更换领办人为{}，但没有附核准文件", m.name),
                )
                .uses("member.change")
                .hint("第十二条（二）：更换领办人须报上级部门核准；在 approval 中填写核准文件的扫描件"),
            );
        }
    }
    for (path, id) in ids {
        if let Err(problem) = identity::parse(id) {
            out.push(
                Finding::new(
                    Code::RecordIdNumber,
                    path,
                    format!(
                        "身份证号“{}”不对：{}",
                        id.trim(),
                        identity::describe(problem)
                    ),
                )
                .hint("按身份证原件填写 18 位号码"),
            );
        }
    }
    for (path, level) in levels {
        if skill_rank(level).is_none() {
            out.push(
                Finding::new(
                    Code::RecordSkillLevel,
                    path,
                    format!("“{}”不是国家职业技能等级的名称", level.trim()),
                )
                .hint("填写 初级工、中级工、高级工、技师、高级技师（或 五级 至 一级）、特级技师、首席技师"),
            );
        }
    }
}

fn date(record: &Record, today: Date, out: &mut Vec<Finding>) {
    if record.date > today {
        out.push(
            Finding::new(
                Code::RecordDate,
                "date",
                format!("日期 {} 晚于今天（{today}）", record.date),
            )
            .hint("档案只记已经发生的事；核对日期"),
        );
    }
}

fn numbers(record: &Record, out: &mut Vec<Finding>) {
    let mut bad = |path: &str, message: String| {
        out.push(
            Finding::new(Code::RecordNumber, path, message)
                .hint("核对数字：金额和效益以万元为单位，不能为负"),
        );
    };
    if let Some(benefit) = record.innovation.as_ref().and_then(|i| i.benefit)
        && !(benefit.is_finite() && benefit >= 0.0)
    {
        bad(
            "innovation.benefit",
            format!("经济效益 {benefit} 万元不合理"),
        );
    }
    if let Some(fund) = &record.fund
        && !(fund.amount.is_finite() && fund.amount > 0.0)
    {
        let what = match fund.direction {
            FundDirection::In => "收入",
            FundDirection::Out => "支出",
        };
        bad(
            "fund.amount",
            format!("{what}金额 {} 万元不合理", fund.amount),
        );
    }
    if let Some(activity) = &record.activity
        && activity.participants == 0
    {
        bad("activity.participants", "参加人数为 0".into());
    }
}
