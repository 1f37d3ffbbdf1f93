//! 第七条(一): the master must meet one of three conditions. Categories 1 and 2 are
//! proved by a named prize or title; category 3 by one of the sub-conditions (1)–(4).
//! Every claimed honour of 市级 or above needs its certificate (第八条 5).

use crate::data::model::{Application, Honour, HonourLevel, Master, Owner};
use crate::finding::{Code, Finding};

use super::vocab::skill_rank;

/// The sub-conditions of 第七条(一) 3.
pub const CATEGORY3_CONDITIONS: [&str; 4] = [
    "（1）绝技绝活方面，在自治区、呼和浩特市处于领先水平",
    "（2）创新创优方面，在行业内获得有影响力的发明、创造和重大技术革新成果",
    "（3）技术攻关方面，攻克技术难关并取得一系列技术成果",
    "（4）工艺传承方面，坚持带徒培养技能人才，在非物质文化传承领域具有较高声誉",
];

/// The honours of 第七条(一) 1 (高技能领军人才).
pub const CATEGORY1_TITLES: &str =
    "中华技能大奖、全国劳动模范、全国五一劳动奖章、全国技术能手、享受政府特殊津贴的高级技师";
/// The honours of 第七条(一) 2.
pub const CATEGORY2_TITLES: &str =
    "自治区技师（高级技师）突出贡献奖、草原英才、自治区首席技师、北疆工匠、全区技术能手";

/// Whether an honour is one that 第七条(一) 1 names.
pub fn is_category1(h: &Honour) -> bool {
    let t = h.title.as_str();
    [
        "中华技能大奖",
        "全国劳动模范",
        "全国五一劳动奖章",
        "全国技术能手",
    ]
    .iter()
    .any(|name| t.contains(name))
        || t.contains("政府特殊津贴")
}

/// Whether an honour is one that 第七条(一) 2 names (自治区-level).
pub fn is_category2(h: &Honour) -> bool {
    let t = h.title.as_str();
    let regional = h.level == HonourLevel::Regional
        || t.contains("自治区")
        || t.contains("内蒙古")
        || t.contains("全区");
    (t.contains("技师突出贡献奖") && regional)
        || t.contains("草原英才")
        || (t.contains("首席技师") && regional)
        || t.contains("北疆工匠")
        || (t.contains("技术能手") && regional && !t.contains("全国"))
}

/// 第七条(一) and the evidence of each honour (第八条 5).
pub fn check(app: &Application, out: &mut Vec<Finding>) {
    category(&app.master, out);
    level(&app.master, out);
    honour_evidence(app, out);
}

/// 第七条（一）: the chosen category and what it needs (R111, R112).
fn category(master: &Master, out: &mut Vec<Finding>) {
    let q = &master.qualification;
    match q.category {
        1 => {
            let found: Vec<&Honour> = master.honours.iter().filter(|h| is_category1(h)).collect();
            if found.is_empty() {
                out.push(missing_honour(1, CATEGORY1_TITLES));
            }
            // 享受政府特殊津贴 counts only for a 高级技师 (or above).
            let only_allowance =
                !found.is_empty() && found.iter().all(|h| h.title.contains("政府特殊津贴"));
            if only_allowance && skill_rank(&master.skill_level).is_some_and(|r| r < 5) {
                out.push(
                    Finding::new(
                        Code::QualificationHonour,
                        "master.skill_level",
                        "第七条（一）第1项中的“享受政府特殊津贴”须为高级技师，领办人的职业技能等级低于高级技师",
                    )
                    .uses("master.honours")
                    .uses("master.qualification.category")
                    .hint("核对职业技能等级，或改选符合实际的条件"),
                );
            }
        }
        2 => {
            if !master.honours.iter().any(is_category2) {
                out.push(missing_honour(2, CATEGORY2_TITLES));
            }
        }
        3 => {
            if q.conditions.is_empty() {
                out.push(
                    Finding::new(
                        Code::QualificationCategory,
                        "master.qualification.conditions",
                        "选择了第七条（一）第3项，但没有写明具备（1）至（4）中的哪一项",
                    )
                    .uses("master.qualification.category")
                    .hint(format!(
                        "在 conditions 中填写编号，如 [1, 4]：{}",
                        CATEGORY3_CONDITIONS.join("；")
                    )),
                );
            }
            for (i, c) in q.conditions.iter().enumerate() {
                if !(1..=4).contains(c) {
                    out.push(
                        Finding::new(
                            Code::QualificationCategory,
                            format!("master.qualification.conditions[{i}]"),
                            format!("第3项只有（1）至（4）四个条件，没有（{c}）"),
                        )
                        .hint("填写 1、2、3 或 4"),
                    );
                }
            }
            if q.statement.trim().is_empty() {
                out.push(
                    Finding::new(
                        Code::QualificationCategory,
                        "master.qualification.statement",
                        "选择了第七条（一）第3项，但条件说明为空",
                    )
                    .uses("master.qualification.category")
                    .hint("简述领办人在所选条件方面的具体成就，供评审核对"),
                );
            }
        }
        other => out.push(
            Finding::new(
                Code::QualificationCategory,
                "master.qualification.category",
                format!("第七条（一）只有第1、2、3项，没有第{other}项"),
            )
            .hint("1：高技能领军人才；2：自治区级奖项或称号；3：掌握民间绝技的高技能人才"),
        ),
    }
}

/// 第二条: the master is a high-skill worker, 高级工 or above (R114).
fn level(master: &Master, out: &mut Vec<Finding>) {
    if let Some(rank) = skill_rank(&master.skill_level)
        && rank < 3
    {
        out.push(
            Finding::new(
                Code::MasterLevel,
                "master.skill_level",
                format!(
                    "领办人的职业技能等级为“{}”，不是高技能人才（高级工及以上）",
                    master.skill_level.trim()
                ),
            )
            .hint("第二条：技能大师是高技能人才；领办人须取得高级工以上等级"),
        );
    }
}

/// 第七条（一）、第八条第5项: each claimed honour has its certificate among the
/// master's evidence (R113, R137).
fn honour_evidence(app: &Application, out: &mut Vec<Finding>) {
    let master = &app.master;
    for (i, honour) in master.honours.iter().enumerate() {
        let path = format!("master.honours[{i}]");
        match &honour.evidence {
            None if honour.level != HonourLevel::Other => out.push(
                Finding::new(
                    Code::HonourEvidence,
                    format!("{path}.title"),
                    format!("“{}”没有对应的证书", honour.title),
                )
                .uses(path.clone())
                .hint("在 evidence 中加入该证书的扫描件或证书编码，并在此处写 evidence = \"编号\""),
            ),
            None => {}
            Some(id) => match app.evidence.iter().find(|e| &e.id == id) {
                None => out.push(
                    Finding::new(
                        Code::EvidenceReference,
                        format!("{path}.evidence"),
                        format!("佐证材料中没有编号为“{id}”的一项"),
                    )
                    .uses("evidence")
                    .hint("核对编号，或在 evidence 中补上这份证书"),
                ),
                Some(e) if e.owner != Owner::Master => out.push(
                    Finding::new(
                        Code::EvidenceReference,
                        format!("{path}.evidence"),
                        format!("佐证材料“{id}”属于{}，不是领办人的", e.owner.label()),
                    )
                    .uses("evidence")
                    .hint("将该材料的 owner 改为 \"领办人\"，或引用正确的编号"),
                ),
                Some(_) => {}
            },
        }
    }
}

fn missing_honour(category: u32, titles: &str) -> Finding {
    Finding::new(
        Code::QualificationHonour,
        "master.qualification.category",
        format!("选择了第七条（一）第{category}项，但获奖及荣誉称号中没有该项所列的奖项或称号"),
    )
    .uses("master.honours")
    .hint(format!(
        "第{category}项为：{titles}；在 master.honours 中填写所获奖项（附证书），或改选符合实际的一项"
    ))
}
