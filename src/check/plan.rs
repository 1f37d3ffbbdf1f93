//! 第四章: the yearly outputs a studio promises — 3–5 young skilled workers trained a
//! year, at least 2 of them reaching 高级工 or above, and regular technical exchanges.

use crate::data::model::Application;
use crate::finding::{Code, Finding};

/// 第四章(一): at least this many trained a year.
pub const MIN_APPRENTICES: u32 = 3;
/// 第四章(一): at least this many of them at 高级工 or above.
pub const MIN_ADVANCED: u32 = 2;

/// Plan targets against 第四章.
pub fn check(app: &Application, out: &mut Vec<Finding>) {
    let plan = &app.plan;
    if plan.apprentices_per_year < MIN_APPRENTICES {
        out.push(
            Finding::new(
                Code::PlanApprentices,
                "plan.apprentices_per_year",
                format!(
                    "计划年均培养 {} 名青年技术技能骨干，少于第四章（一）的 3-5 名",
                    plan.apprentices_per_year
                ),
            )
            .hint("考核时按年均 3-5 名评估，建议计划不少于 3 名"),
        );
    }
    if plan.advanced_per_year > plan.apprentices_per_year {
        out.push(
            Finding::new(
                Code::PlanConsistency,
                "plan.advanced_per_year",
                format!(
                    "其中获得高级工以上的 {} 人多于培养总数 {} 人",
                    plan.advanced_per_year, plan.apprentices_per_year
                ),
            )
            .uses("plan.apprentices_per_year")
            .hint("高级工以上人数是培养总数的一部分，请核对"),
        );
    } else if plan.advanced_per_year < MIN_ADVANCED {
        out.push(
            Finding::new(
                Code::PlanAdvanced,
                "plan.advanced_per_year",
                format!(
                    "计划其中获得高级工以上等级的为 {} 人，少于第四章（一）要求的 2 人",
                    plan.advanced_per_year
                ),
            )
            .hint("考核时要求不少于 2 人获得高级工以上职业资格或技能等级"),
        );
    }
    if plan.exchanges_per_year == 0 {
        out.push(
            Finding::new(
                Code::PlanExchanges,
                "plan.exchanges_per_year",
                "计划中没有技术交流活动",
            )
            .hint("第四章（三）要求定期开展技术交流活动，建议每年至少一次"),
        );
    }
}
