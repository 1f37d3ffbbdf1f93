//! 第七条(二): the host unit. 企事业单位 and 科研机构 spend at least half of the staff
//! education fund on high-skill training; 职业培训机构 and other training carriers run
//! vocational training; every host provides funding, a site and equipment.

use crate::data::model::Application;
use crate::finding::{Code, Finding};

/// The share of the education fund that 第七条(二) requires for high-skill training.
pub const MIN_HIGH_SKILL_SHARE: f64 = 0.5;

/// 第七条(二) conditions of the host unit.
pub fn check(app: &Application, out: &mut Vec<Finding>) {
    let unit = &app.unit;
    if unit.kind.is_training_carrier() {
        if unit.runs_vocational_training != Some(true) {
            out.push(
                Finding::new(
                    Code::VocationalTraining,
                    "unit.runs_vocational_training",
                    format!(
                        "依托单位类型为“{}”，须积极开展职业技能培训",
                        unit.kind.label()
                    ),
                )
                .uses("unit.kind")
                .hint("开展职业技能培训的，填写 runs_vocational_training = true"),
            );
        }
    } else {
        education_fund(app, out);
    }

    let provisions = [
        ("unit.provides_funding", unit.provides_funding, "资金支持"),
        ("unit.provides_site", unit.provides_site, "场所"),
        ("unit.provides_equipment", unit.provides_equipment, "设备"),
    ];
    for (path, provided, what) in provisions {
        if !provided {
            out.push(
                Finding::new(
                    Code::WorkingConditions,
                    path,
                    format!("依托单位须为技能大师工作室提供{what}"),
                )
                .hint("第七条（二）要求依托单位提供相应的资金支持以及场所、设备；具备后改为 true"),
            );
        }
    }
}

fn education_fund(app: &Application, found: &mut Vec<Finding>) {
    // Which figures are needed depends on the unit's kind; each figure is judged
    // against the others.
    let mut more = Vec::new();
    fund_figures(app, &mut more);
    found.extend(
        more.into_iter()
            .map(|f| f.uses("unit.kind").uses("unit.education_fund")),
    );
}

fn fund_figures(app: &Application, out: &mut Vec<Finding>) {
    let kind = app.unit.kind.label();
    let Some(fund) = &app.unit.education_fund else {
        out.push(
            Finding::new(
                Code::FundFigures,
                "unit.education_fund",
                format!("依托单位类型为“{kind}”，须填写职工教育经费及用于高技能人才培养的费用"),
            )
            .hint("加上 [unit.education_fund]，写明 year、total 和 high_skill（万元）"),
        );
        return;
    };
    if !(fund.total.is_finite() && fund.total > 0.0) {
        out.push(
            Finding::new(
                Code::FundFigures,
                "unit.education_fund.total",
                "职工教育经费总额须大于 0",
            )
            .hint("填写上一年度职工教育经费总额，单位万元"),
        );
        return;
    }
    if !(fund.high_skill.is_finite() && fund.high_skill >= 0.0) || fund.high_skill > fund.total {
        out.push(
            Finding::new(
                Code::FundFigures,
                "unit.education_fund.high_skill",
                format!(
                    "用于高技能人才的费用 {} 万元不在 0 与总额 {} 万元之间",
                    fund.high_skill, fund.total
                ),
            )
            .hint("核对两个数字：这一部分是总额的一部分"),
        );
        return;
    }
    let share = fund.high_skill / fund.total;
    if share < MIN_HIGH_SKILL_SHARE {
        out.push(
            Finding::new(
                Code::EducationFund,
                "unit.education_fund.high_skill",
                format!(
                    "{} 年职工教育经费 {} 万元中用于高技能人才培养、交流的为 {} 万元，占 {:.1}%，低于第七条（二）要求的 50%",
                    fund.year,
                    fund.total,
                    fund.high_skill,
                    share * 100.0
                ),
            )
            .hint(format!(
                "至少须 {} 万元；核对财务数字，达不到时依托单位暂不具备申报条件",
                fund.total * MIN_HIGH_SKILL_SHARE
            )),
        );
    }
}
