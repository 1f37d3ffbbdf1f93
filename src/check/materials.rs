//! 第八条: the materials of an application. Item 4 asks for the unit's licence (or
//! registration certificate, or approval document); item 5 for the ID cards and
//! qualification certificates of the master and every member, and the certificates of
//! their awards and technical recognitions — as copies, or where allowed by number.
//! Every declared scan must be a whole JPEG, PNG or PDF.

use std::collections::BTreeMap;

use crate::data::model::{Application, Evidence, EvidenceKind, Owner};
use crate::finding::{Code, Finding};

use rayon::prelude::*;

use crate::media::scan::{self, ScanProblem};

/// Who a piece of evidence belongs to, resolved: the unit, the master, or member i.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holder {
    Unit,
    Master,
    Member(usize),
}

/// 第八条 materials and the evidence files themselves.
pub fn check(app: &Application, base_dir: &std::path::Path, out: &mut Vec<Finding>) {
    let holders = resolve_holders(app, out);

    // Every scan read and decoded on every core; their findings in the entries' order.
    fn file_of(e: &Evidence) -> Option<&str> {
        e.file.as_deref().filter(|f| !f.trim().is_empty())
    }
    let inspected: Vec<Option<Result<scan::Scan, ScanProblem>>> = app
        .evidence
        .par_iter()
        .map(|e| file_of(e).map(|file| scan::inspect(&base_dir.join(file))))
        .collect();
    for ((i, e), inspected) in app.evidence.iter().enumerate().zip(inspected) {
        entry(i, e, out);
        if let (Some(file), Some(inspected)) = (file_of(e), inspected) {
            scan_file(i, e, file, inspected, out);
        }
    }

    let has = |holder: Holder, pred: &dyn Fn(&Evidence) -> bool| {
        app.evidence
            .iter()
            .zip(&holders)
            .any(|(e, h)| *h == Some(holder) && pred(e))
    };
    let has_copy = |e: &Evidence| e.file.as_deref().is_some_and(|f| !f.trim().is_empty());

    if !has(Holder::Unit, &|e| e.kind.is_unit_licence() && has_copy(e)) {
        out.push(
            Finding::new(
                Code::UnitLicence,
                "evidence",
                "缺少申报单位营业执照（事业单位法人证书）或主管部门批准成立文件的复印件",
            )
            .hint("在 evidence 中加入一项 kind = \"营业执照\"、owner = \"单位\" 并给出扫描件 file"),
        );
    }

    let mut people = vec![(
        Holder::Master,
        "master".to_string(),
        app.master.name.as_str(),
    )];
    for (i, m) in app.members.iter().enumerate() {
        people.push((Holder::Member(i), format!("members[{i}]"), &m.name));
    }
    for (holder, path, name) in people {
        let who = super::called(
            name,
            match holder {
                Holder::Member(i) => Some(i),
                _ => None,
            },
        );
        if !has(holder, &|e| e.kind == EvidenceKind::IdCard && has_copy(e)) {
            out.push(
                Finding::new(
                    Code::IdCardCopy,
                    format!("{path}.name"),
                    format!("缺少{who}的身份证复印件"),
                )
                .uses("evidence")
                .hint(owner_hint(holder, name, "身份证")),
            );
        }
        if !has(holder, &|e| e.kind.is_qualification()) {
            out.push(
                Finding::new(
                    Code::QualificationCopy,
                    format!("{path}.skill_level"),
                    format!("缺少{who}的职业资格证书或职业技能等级证书"),
                )
                .uses("evidence")
                .hint(owner_hint(holder, name, "职业技能等级证书")),
            );
        }
    }
}

/// 第八条: an evidence entry's scan is there, readable, of a kind the volume takes, and
/// undamaged (R134, R135, R138).
fn scan_file(
    i: usize,
    e: &Evidence,
    file: &str,
    inspected: Result<scan::Scan, ScanProblem>,
    out: &mut Vec<Finding>,
) {
    if let Ok(scan::Scan {
        damage: Some(damage),
        kind,
    }) = &inspected
    {
        out.push(
        Finding::new(
            Code::EvidenceDamaged,
            format!("evidence[{i}].file"),
            format!(
                "佐证材料“{}”的文件 {file}：{} 图像数据有损坏（{damage}），打印出来可能有花纹或错位",
                e.title,
                kind.label()
            ),
        )
        .hint("用原件重新扫描，或从扫描仪重新导出这个文件，替换后再运行检查"),
    );
    }
    if let Err(problem) = inspected {
        let code = match problem {
            ScanProblem::Missing | ScanProblem::NotAFile | ScanProblem::Unreadable(_) => {
                Code::EvidenceFile
            }
            _ => Code::EvidenceContent,
        };
        let hint = match code {
            Code::EvidenceFile => "核对文件名和位置：路径相对于数据文件所在的文件夹",
            _ => "重新扫描或重新导出该文件（JPEG、PNG 或 PDF），再运行检查",
        };
        out.push(
            Finding::new(
                code,
                format!("evidence[{i}].file"),
                format!("佐证材料“{}”的文件 {file}：{problem}", e.title),
            )
            .hint(hint),
        );
    }
}

fn owner_hint(holder: Holder, name: &str, kind: &str) -> String {
    match holder {
        Holder::Member(_) if name.trim().is_empty() => format!(
            "先填写这位成员的姓名，再在 evidence 中加入 kind = \"{kind}\"、owner = \"成员\"、member = 该姓名的一项"
        ),
        Holder::Member(_) => format!(
            "在 evidence 中加入 kind = \"{kind}\"、owner = \"成员\"、member = \"{name}\" 的一项"
        ),
        _ => format!("在 evidence 中加入 kind = \"{kind}\"、owner = \"领办人\" 的一项"),
    }
}

/// One evidence entry on its own: a copy or (where allowed) a number.
fn entry(i: usize, e: &Evidence, out: &mut Vec<Finding>) {
    let has_file = e.file.as_deref().is_some_and(|f| !f.trim().is_empty());
    let has_number = e
        .certificate_number
        .as_deref()
        .is_some_and(|n| !n.trim().is_empty());
    if !has_file && !has_number {
        out.push(
            Finding::new(
                Code::EvidenceEntry,
                format!("evidence[{i}]"),
                format!("佐证材料“{}”既没有扫描件也没有证书编码", e.title),
            )
            .hint(
                "给出扫描件 file = \"evidence/….jpg\"，或（证书类材料）certificate_number = \"…\"",
            ),
        );
    } else if !has_file && !e.kind.number_allowed() {
        out.push(
            Finding::new(
                Code::EvidenceEntry,
                format!("evidence[{i}].certificate_number"),
                format!("“{}”须提供复印件，不能只填编码", e.kind.label()),
            )
            .hint("第八条第5项只允许证书、奖项和技术认定以证书编码代替复印件；请给出扫描件 file"),
        );
    }
}

/// Resolves each entry's owner, reporting duplicate ids and unknown members.
fn resolve_holders(app: &Application, out: &mut Vec<Finding>) -> Vec<Option<Holder>> {
    let mut first_of: BTreeMap<&str, usize> = BTreeMap::new();
    let mut holders = Vec::with_capacity(app.evidence.len());
    for (i, e) in app.evidence.iter().enumerate() {
        let id = e.id.trim();
        if let Some(first) = first_of.get(id) {
            out.push(
                Finding::new(
                    Code::EvidenceReference,
                    format!("evidence[{i}].id"),
                    format!("编号“{id}”与第 {} 项重复", first + 1),
                )
                .hint("每项佐证材料的编号须不同"),
            );
        } else if !id.is_empty() {
            first_of.insert(id, i);
        }

        let holder = match (e.owner, e.member.as_deref().map(str::trim)) {
            (Owner::Unit, None) => Some(Holder::Unit),
            (Owner::Master, None) => Some(Holder::Master),
            (Owner::Member, Some(name)) => {
                match app.members.iter().position(|m| m.name.trim() == name) {
                    Some(m) => Some(Holder::Member(m)),
                    None => {
                        out.push(
                            Finding::new(
                                Code::EvidenceReference,
                                format!("evidence[{i}].member"),
                                format!("工作室成员中没有“{name}”"),
                            )
                            .uses("members")
                            .hint("member 须与 [[members]] 中某人的 name 完全一致"),
                        );
                        None
                    }
                }
            }
            (Owner::Member, None) => {
                out.push(
                    Finding::new(
                        Code::EvidenceReference,
                        format!("evidence[{i}].owner"),
                        format!("佐证材料“{}”属于成员，但没有写是哪位成员", e.title),
                    )
                    .hint("加上 member = \"成员姓名\""),
                );
                None
            }
            (owner, Some(_)) => {
                out.push(
                    Finding::new(
                        Code::EvidenceReference,
                        format!("evidence[{i}].member"),
                        format!(
                            "佐证材料“{}”属于{}，不应填写成员姓名",
                            e.title,
                            owner.label()
                        ),
                    )
                    .hint("成员的材料写 owner = \"成员\"；否则删去 member"),
                );
                None
            }
        };
        holders.push(holder);
    }
    holders
}
