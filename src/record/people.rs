//! The people of the records judged together, in date order: 退出 and 职务变动 only of a
//! current member (R315), a 带徒进展 under its own apprentice (R314), and a grade that
//! goes down only with its reason (R317). `report --check` judges the whole archive
//! with it; `record add` the records it adds, after those already archived.

use std::collections::{BTreeMap, BTreeSet};

use crate::check::vocab::{skill_name, skill_rank};
use crate::data::model::Application;
use crate::data::record::{MemberChangeKind, Record};
use crate::finding::{Code, Finding};

/// The findings about people, each with the id of the record it is about. `records`
/// are in effect (corrections applied) and in date order.
pub fn check(app: Option<&Application>, records: &[&Record]) -> Vec<(String, Finding)> {
    let mut members: BTreeSet<String> = app
        .map(|a| {
            std::iter::once(a.master.name.trim().to_string())
                .chain(a.members.iter().map(|m| m.name.trim().to_string()))
                .collect()
        })
        .unwrap_or_default();
    // Each apprentice (by the 带徒 record's id): the name, and the best grade so far.
    let mut apprentices: BTreeMap<String, (String, Option<u8>)> = BTreeMap::new();
    let mut out = Vec::new();
    for r in records {
        let id = r.id.trim().to_string();
        if let Some(m) = &r.member {
            let name = m.name.trim().to_string();
            let current = match m.change {
                MemberChangeKind::Joins | MemberChangeKind::Leader => {
                    members.insert(name.clone());
                    true
                }
                MemberChangeKind::Leaves => members.remove(&name),
                MemberChangeKind::Role => members.contains(&name),
            };
            if !current {
                out.push((id.clone(), not_a_member(r, &name, m.change)));
            }
        }
        if let Some(a) = &r.apprentice {
            let start = a.level_at_start.as_deref().and_then(skill_rank);
            apprentices.insert(id.clone(), (a.name.trim().to_string(), start));
        }
        let Some(p) = &r.progress else { continue };
        let Some((name, best)) = apprentices.get_mut(p.apprentice.trim()) else {
            continue;
        };
        if name != p.name.trim() {
            out.push((
                id.clone(),
                Finding::new(
                    Code::ProgressPerson,
                    "progress.name",
                    format!(
                        "带徒记录 {} 的学徒是“{name}”，这里写的是“{}”",
                        p.apprentice.trim(),
                        p.name.trim()
                    ),
                )
                .hint("核对带徒记录编号和学徒姓名：进展要记在取得等级的那位学徒名下；已归档的记录用更正记录（corrects）改正"),
            ));
        }
        let rank = skill_rank(&p.level);
        let explained = p.reason.as_deref().is_some_and(|w| !w.trim().is_empty());
        if let (Some(rank), Some(before)) = (rank, *best)
            && rank < before
            && !explained
        {
            out.push((
                id.clone(),
                Finding::new(
                    Code::GradeDown,
                    "progress.level",
                    format!(
                        "{}此前已达到{}，这里记的是{}，等级下降了",
                        name.as_str(),
                        skill_name(before),
                        p.level.trim()
                    ),
                )
                .hint("若确是等级下降（或此前记错），在 [progress] 中写明 reason = \"原因\"；若是录入有误，核对等级"),
            ));
        }
        *best = (*best).max(rank);
    }
    out
}

fn not_a_member(r: &Record, name: &str, change: MemberChangeKind) -> Finding {
    let what = if change == MemberChangeKind::Leaves {
        "退出"
    } else {
        "职务变动"
    };
    Finding::new(
        Code::NotAMember,
        "member.name",
        format!("{} 时“{name}”不是工作室的成员，不能记{what}", r.date),
    )
    .hint("核对姓名：只有申报时的成员、领办人和以“加入”记录进来的人可以退出或变动职务；已退出的人不能再退出")
}
