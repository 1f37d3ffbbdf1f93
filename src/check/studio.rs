//! The studio itself: its name (附件3 item 1), its place in Hohhot (第三条), its
//! premises, its members, and the texts the forms cannot be printed without.

use crate::data::model::Application;
use crate::finding::{Code, Finding};

/// Names that show a place lies in Hohhot's administrative area (第三条).
const HOHHOT_PLACES: [&str; 13] = [
    "呼和浩特",
    "呼市",
    "新城区",
    "回民区",
    "玉泉区",
    "赛罕区",
    "土默特左旗",
    "托克托县",
    "和林格尔县",
    "清水河县",
    "武川县",
    "如意",
    "金桥",
];

/// The name 附件3 item 1 prescribes.
pub fn expected_name(master_name: &str) -> String {
    format!("呼和浩特市{}技能大师工作室", master_name.trim())
}

/// Name, place, premises, members and required texts.
pub fn check(app: &Application, out: &mut Vec<Finding>) {
    let expected = expected_name(&app.master.name);
    if app.studio.name.trim() != expected {
        out.push(
            Finding::new(
                Code::StudioName,
                "studio.name",
                format!("工作室名称“{}”不符合规定格式", app.studio.name.trim()),
            )
            .uses("master.name")
            .hint(format!(
                "按附件3 第1项，名称应为 \"{expected}\"（呼和浩特市+领办人姓名+技能大师工作室）"
            )),
        );
    }

    let location = &app.studio.location;
    if !location.trim().is_empty() && !HOHHOT_PLACES.iter().any(|p| location.contains(p)) {
        out.push(
            Finding::new(
                Code::StudioInHohhot,
                "studio.location",
                "工作室地点中看不出位于呼和浩特市行政区域内",
            )
            .hint("第三条：工作室以呼和浩特市行政区域内的技能大师为领办人；地点请写明区县，如“呼和浩特市赛罕区……”"),
        );
    }

    if !(app.studio.area.is_finite() && app.studio.area > 0.0) {
        out.push(
            Finding::new(
                Code::StudioPremises,
                "studio.area",
                "工作室面积须大于 0 平方米",
            )
            .hint("第三条：工作室须有固定场所；填写场所面积（平方米）"),
        );
    }

    if app.members.is_empty() {
        out.push(
            Finding::new(Code::NoMembers, "members", "没有填写工作室成员")
                .hint("用 [[members]] 逐一填写成员；第十条要求配备工作室成员"),
        );
    }

    if app.master.achievements.is_empty() && app.master.honours.is_empty() {
        out.push(
            Finding::new(
                Code::EmptyText,
                "master",
                "没有填写技能大师的工作业绩、获奖情况或创新成果",
            )
            .uses("master.achievements")
            .uses("master.honours")
            .hint("用 [[master.achievements]] 逐项写明时间、内容、结果（附件2 填写要求二）"),
        );
    }

    for (path, text) in required_texts(app) {
        if text.trim().is_empty() {
            out.push(
                Finding::new(
                    Code::EmptyText,
                    path.clone(),
                    format!("“{}”不能为空", crate::data::schema::label(&path)),
                )
                .hint("按附件2、附件3 的要求如实填写"),
            );
        }
    }
}

/// Texts that appear on the forms and must be written (formats are checked elsewhere).
fn required_texts(app: &Application) -> Vec<(String, &str)> {
    let p = &app.proposal;
    let mut texts: Vec<(String, &str)> = [
        ("studio.name", app.studio.name.as_str()),
        ("studio.occupation", &app.studio.occupation),
        ("studio.location", &app.studio.location),
        ("studio.facilities", &app.studio.facilities),
        ("unit.name", &app.unit.name),
        ("unit.legal_representative", &app.unit.legal_representative),
        ("unit.head.name", &app.unit.head.name),
        ("unit.contact.name", &app.unit.contact.name),
        ("unit.bank", &app.unit.bank),
        ("unit.address", &app.unit.address),
        ("master.name", &app.master.name),
        ("master.employer_and_title", &app.master.employer_and_title),
        ("master.occupation", &app.master.occupation),
        ("proposal.necessity", &p.necessity),
        ("proposal.introduction", &p.introduction),
        ("proposal.conditions_and_goals", &p.conditions_and_goals),
        ("proposal.host_base", &p.host_base),
        ("proposal.policies", &p.policies),
        ("proposal.education_fund_use", &p.education_fund_use),
        ("proposal.support", &p.support),
        ("recommendation.opinion", &app.recommendation.opinion),
        ("recommendation.report", &app.recommendation.report),
    ]
    .into_iter()
    .map(|(path, text)| (path.to_string(), text))
    .collect();
    for (i, m) in app.members.iter().enumerate() {
        texts.push((format!("members[{i}].name"), &m.name));
        texts.push((format!("members[{i}].role"), &m.role));
        texts.push((format!("members[{i}].occupation"), &m.occupation));
    }
    for (i, a) in app.master.achievements.iter().enumerate() {
        texts.push((format!("master.achievements[{i}].content"), &a.content));
        texts.push((format!("master.achievements[{i}].result"), &a.result));
    }
    for (i, h) in app.master.honours.iter().enumerate() {
        texts.push((format!("master.honours[{i}].title"), &h.title));
        texts.push((format!("master.honours[{i}].issuer"), &h.issuer));
    }
    for (i, e) in app.evidence.iter().enumerate() {
        texts.push((format!("evidence[{i}].id"), &e.id));
        texts.push((format!("evidence[{i}].title"), &e.title));
    }
    texts
}
