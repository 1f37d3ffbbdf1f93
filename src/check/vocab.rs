//! Closed vocabularies of the form: 民族 (the 56 groups), 政治面貌 (GB/T 4762) and
//! vocational skill levels (the national scale, with 特级技师 and 首席技师).

use crate::data::model::Application;
use crate::finding::{Code, Finding};

/// The 56 ethnic groups, in the order of GB/T 3304.
pub const ETHNICITIES: [&str; 56] = [
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
];

/// 政治面貌 of GB/T 4762, each with the short forms commonly written on forms.
pub const POLITICAL_STATUSES: [&[&str]; 13] = [
    &["中国共产党党员", "中共党员"],
    &["中国共产党预备党员", "中共预备党员"],
    &["中国共产主义青年团团员", "共青团员"],
    &["中国国民党革命委员会会员", "民革会员", "民革党员"],
    &["中国民主同盟盟员", "民盟盟员"],
    &["中国民主建国会会员", "民建会员"],
    &["中国民主促进会会员", "民进会员"],
    &["中国农工民主党党员", "农工党党员"],
    &["中国致公党党员", "致公党党员"],
    &["九三学社社员"],
    &["台湾民主自治同盟盟员", "台盟盟员"],
    &["无党派民主人士", "无党派人士"],
    &["群众"],
];

/// The national skill scale, lowest first; each rank with the names it is written by.
pub const SKILL_LEVELS: [&[&str]; 7] = [
    &["初级工", "五级"],
    &["中级工", "四级"],
    &["高级工", "三级"],
    &["技师", "二级"],
    &["高级技师", "一级"],
    &["特级技师"],
    &["首席技师"],
];

/// Rank on the national scale: 1 初级工 … 3 高级工 … 5 高级技师, 6 特级技师, 7 首席技师.
/// Accepts `高级技师`, `一级`, `一级/高级技师`, `高级技师（一级）`; both names must agree.
pub fn skill_rank(level: &str) -> Option<u8> {
    let cleaned: String = level
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .replace("职业技能等级", "")
        .replace("职业资格", "");
    let mut rank = None;
    for token in cleaned
        .split(['/', '／', '（', '）', '(', ')', '、'])
        .filter(|t| !t.is_empty())
    {
        let r = SKILL_LEVELS
            .iter()
            .position(|names| names.contains(&token))? as u8
            + 1;
        if rank.is_some_and(|old| old != r) {
            return None;
        }
        rank = Some(r);
    }
    rank
}

/// The usual name of a rank (3 → 高级工).
pub fn skill_name(rank: u8) -> &'static str {
    SKILL_LEVELS[usize::from(rank.clamp(1, 7)) - 1][0]
}

/// Whether an ethnicity is one of the 56; otherwise the one it most likely means.
fn ethnicity_suggestion(value: &str) -> Option<&'static str> {
    let stem = value.trim_end_matches('族');
    if stem.is_empty() {
        return None;
    }
    ETHNICITIES
        .iter()
        .find(|e| e.trim_end_matches('族') == stem)
        .or_else(|| ETHNICITIES.iter().find(|e| e.starts_with(stem)))
        .or_else(|| {
            // 蒙族 → 蒙古族, 维族 → 维吾尔族: first character and the 族 suffix.
            let first = stem.chars().next()?;
            let mut found = ETHNICITIES.iter().filter(|e| e.starts_with(first));
            let one = found.next()?;
            found.next().is_none().then_some(one)
        })
        .copied()
}

fn political_suggestion(value: &str) -> Option<&'static str> {
    match value {
        "党员" | "共产党员" | "中共" | "中国共产党" => Some("中共党员"),
        "预备党员" => Some("中共预备党员"),
        "团员" | "共青团" => Some("共青团员"),
        "无党派" | "无" => Some("无党派人士"),
        "普通群众" | "一般群众" => Some("群众"),
        _ => None,
    }
}

fn is_political_status(value: &str) -> bool {
    POLITICAL_STATUSES
        .iter()
        .any(|names| names.contains(&value))
}

/// 民族, 政治面貌 and skill levels of the master and members (附件2 填写要求五).
pub fn check(app: &Application, out: &mut Vec<Finding>) {
    let ethnicity = app.master.ethnicity.trim();
    if !ETHNICITIES.contains(&ethnicity) {
        let mut f = Finding::new(
            Code::Ethnicity,
            "master.ethnicity",
            format!("“{ethnicity}”不是 56 个民族的全称之一"),
        );
        f = match ethnicity_suggestion(ethnicity) {
            Some(s) => f.hint(format!("是不是要写 “{s}”？民族须写全称")),
            None => f.hint("填写民族全称，如“汉族”“蒙古族”“回族”“满族”"),
        };
        out.push(f);
    }

    let status = app.master.political_status.trim();
    if !is_political_status(status) {
        let mut f = Finding::new(
            Code::PoliticalStatus,
            "master.political_status",
            format!("“{status}”不是 GB/T 4762 规定的政治面貌"),
        );
        f = match political_suggestion(status) {
            Some(s) => f.hint(format!("是不是要写 “{s}”？")),
            None => f.hint("可填：中共党员、中共预备党员、共青团员、各民主党派成员（如民盟盟员、九三学社社员）、无党派人士、群众"),
        };
        out.push(f);
    }

    let levels = std::iter::once(("master.skill_level".to_string(), &app.master.skill_level))
        .chain(
            app.members
                .iter()
                .enumerate()
                .map(|(i, m)| (format!("members[{i}].skill_level"), &m.skill_level)),
        );
    for (path, level) in levels {
        if skill_rank(level).is_none() {
            out.push(
                Finding::new(
                    Code::SkillLevel,
                    path,
                    format!("“{}”不是国家职业技能等级的名称", level.trim()),
                )
                .hint("可填：初级工、中级工、高级工、技师、高级技师、特级技师、首席技师，或“一级/高级技师”这样的写法"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_skill_levels() {
        assert_eq!(skill_rank("高级技师"), Some(5));
        assert_eq!(skill_rank("一级/高级技师"), Some(5));
        assert_eq!(skill_rank("高级技师（一级）"), Some(5));
        assert_eq!(skill_rank("三级"), Some(3));
        assert_eq!(skill_rank("首席技师"), Some(7));
        assert_eq!(skill_rank("一级/技师"), None);
        assert_eq!(skill_rank("大师"), None);
        assert_eq!(skill_name(3), "高级工");
    }

    #[test]
    fn suggests_full_ethnicity_names() {
        assert_eq!(ethnicity_suggestion("蒙古"), Some("蒙古族"));
        assert_eq!(ethnicity_suggestion("蒙族"), Some("蒙古族"));
        assert_eq!(ethnicity_suggestion("汉"), Some("汉族"));
        assert_eq!(ethnicity_suggestion("维族"), Some("维吾尔族"));
    }

    #[test]
    fn there_are_56_distinct_groups() {
        let set: std::collections::BTreeSet<_> = ETHNICITIES.iter().collect();
        assert_eq!(set.len(), 56);
    }
}
