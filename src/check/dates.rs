//! Dates that must make sense together (附件2 填写要求一: 如实填写，仔细核对): nobody
//! starts work before 16 or wins a prize before being born, and nothing happened after
//! the form was filled in. The filing date is the reference, so checks are repeatable.

use crate::data::model::Application;
use crate::finding::{Code, Finding};

/// The youngest legal working age in China.
const MIN_WORKING_AGE: i64 = 16;

/// A 填报时间 after today: every other date is judged against it, so a form dated
/// ahead would let an award of the future pass.
pub fn filed_by(app: &Application, today: crate::data::dates::Date, out: &mut Vec<Finding>) {
    if app.filled_on > today {
        out.push(
            Finding::new(
                Code::Dates,
                "filled_on",
                format!("填报时间 {} 晚于今天 {today}", app.filled_on),
            )
            .hint("填写实际填报（盖章）的日期，不能晚于今天"),
        );
    }
}

/// Date sanity of the master's record and the fund figures.
pub fn check(app: &Application, out: &mut Vec<Finding>) {
    let filed = app.filled_on.year_month();
    let master = &app.master;
    // Every date here is judged against the filing date or the birth date.
    let mut push = |path: String, message: String, hint: &str| {
        out.push(
            Finding::new(Code::Dates, path, message)
                .uses("filled_on")
                .uses("master.birth")
                .uses("master.work_start")
                .hint(hint),
        );
    };

    if master.birth > filed {
        push(
            "master.birth".into(),
            format!("出生年月 {} 晚于填报时间 {}", master.birth, app.filled_on),
            "核对出生年月和填报时间",
        );
    }
    if master.birth.years_until(master.work_start) < MIN_WORKING_AGE {
        push(
            "master.work_start".into(),
            format!(
                "参加工作时间 {} 时，领办人（{} 出生）不满 16 周岁",
                master.work_start, master.birth
            ),
            "核对参加工作时间和出生年月",
        );
    }
    if master.work_start > filed {
        push(
            "master.work_start".into(),
            format!(
                "参加工作时间 {} 晚于填报时间 {}",
                master.work_start, app.filled_on
            ),
            "核对参加工作时间",
        );
    }

    let dated = master
        .honours
        .iter()
        .enumerate()
        .map(|(i, h)| (format!("master.honours[{i}].awarded_on"), h.awarded_on))
        .chain(
            master
                .achievements
                .iter()
                .enumerate()
                .map(|(i, a)| (format!("master.achievements[{i}].date"), a.date)),
        );
    for (path, when) in dated {
        if when > filed {
            push(
                path,
                format!("时间 {when} 晚于填报时间 {}", app.filled_on),
                "只填写已经取得的业绩和奖项",
            );
        } else if when < master.birth {
            push(
                path,
                format!("时间 {when} 早于领办人出生年月 {}", master.birth),
                "核对时间",
            );
        }
    }

    if let Some(fund) = &app.unit.education_fund
        && fund.year > app.filled_on.year
    {
        push(
            "unit.education_fund.year".into(),
            format!("经费年度 {} 晚于填报年份 {}", fund.year, app.filled_on.year),
            "填写已有决算数字的年度，一般为上一年度",
        );
    }
}
