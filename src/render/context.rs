//! What the templates see: the data as written, plus the few values that are derived
//! for print (dates in Chinese, the member list, dated achievement sentences, the
//! paragraphs of long texts). Nothing here is markup: the escape function turns every
//! one of these strings into literal text.

use serde::Serialize;

use crate::data::model::Application;

/// One section of 附件3 after the first.
#[derive(Debug, Serialize)]
pub struct Section {
    pub heading: &'static str,
    pub paragraphs: Vec<String>,
}

/// Values derived for print, flattened next to the data's own fields.
#[derive(Debug, Serialize)]
struct Derived {
    filled_on_cn: String,
    unit_nature: String,
    fax: String,
    master_sex: &'static str,
    master_birth: String,
    master_work_start: String,
    studio_area: String,
    members_line: String,
    achievements: Vec<String>,
    facilities: Vec<String>,
    sections: Vec<Section>,
    report_body: Vec<String>,
    report_last: String,
}

/// The tera context of every template: the data, the values derived for print, and
/// `extra` — what the packet adds (evidence catalogue, digest, page counts).
pub fn context(app: &Application, extra: &impl Serialize) -> tera::Context {
    let mut context = tera::Context::from_serialize(app).expect("the data serializes");
    context.extend(tera::Context::from_serialize(derive(app)).expect("derived values serialize"));
    context.extend(tera::Context::from_serialize(extra).expect("extra values serialize"));
    context
}

fn derive(app: &Application) -> Derived {
    let mut report = paragraphs(&app.recommendation.report);
    let report_last = report.pop().unwrap_or_default();
    Derived {
        filled_on_cn: app.filled_on.chinese(),
        unit_nature: app
            .unit
            .nature
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| app.unit.kind.label().to_string()),
        fax: app.unit.fax.clone().unwrap_or_else(|| "无".into()),
        master_sex: app.master.sex.label(),
        master_birth: app.master.birth.chinese(),
        master_work_start: app.master.work_start.chinese(),
        studio_area: format!("{} 平方米", number(app.studio.area)),
        members_line: members_line(app),
        achievements: achievements(app),
        facilities: paragraphs(&app.studio.facilities),
        sections: sections(app),
        report_body: report,
        report_last,
    }
}

/// A number as people write it: no trailing `.0`, and never `-0` (a sum of benefits
/// that rounds to nothing is 0).
pub fn number(value: f64) -> String {
    let value = if value.abs() < 0.005 { 0.0 } else { value };
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Each non-empty line of a text is a paragraph.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// 工作室人员: each member with role, occupation and level.
fn members_line(app: &Application) -> String {
    let people: Vec<String> = app
        .members
        .iter()
        .map(|m| {
            format!(
                "{}（{}，{}，{}）",
                m.name.trim(),
                m.role.trim(),
                m.occupation.trim(),
                m.skill_level.trim()
            )
        })
        .collect();
    let mut line = format!("共 {} 人：", people.len());
    line.push_str(&people.join("；"));
    line
}

/// Ends a sentence with 。 unless it already ends with punctuation.
fn sentence(text: &str) -> String {
    let t = text.trim();
    if t.ends_with(['。', '！', '？', '；', '.', '）']) {
        t.to_string()
    } else {
        format!("{t}。")
    }
}

/// 业绩、获奖、创新 as dated sentences (时间、内容、结果), oldest first.
fn achievements(app: &Application) -> Vec<String> {
    let mut dated: Vec<(crate::data::dates::YearMonth, String)> = app
        .master
        .achievements
        .iter()
        .map(|a| {
            (
                a.date,
                sentence(&format!(
                    "{}，{}，{}",
                    a.date.chinese(),
                    a.content.trim().trim_end_matches(['。', '，']),
                    a.result.trim()
                )),
            )
        })
        .collect();
    dated.extend(app.master.honours.iter().map(|h| {
        (
            h.awarded_on,
            format!(
                "{}，获“{}”（{}授予，{}）。",
                h.awarded_on.chinese(),
                h.title.trim(),
                h.issuer.trim(),
                level_label(h.level)
            ),
        )
    }));
    dated.sort_by_key(|(date, _)| *date);
    dated.into_iter().map(|(_, s)| s).collect()
}

fn level_label(level: crate::data::model::HonourLevel) -> &'static str {
    use crate::data::model::HonourLevel::*;
    match level {
        National => "国家级",
        Regional => "自治区级",
        Municipal => "市级",
        Other => "其他",
    }
}

/// Sections 二 to 八 of 附件3, headed as the rules list them.
fn sections(app: &Application) -> Vec<Section> {
    let p = &app.proposal;
    [
        ("二、技能大师工作室成立的必要性和现有优势", &p.necessity),
        ("三、技能大师和工作室成员简介", &p.introduction),
        (
            "四、技能大师工作室基本条件和计划目标",
            &p.conditions_and_goals,
        ),
        (
            "五、技能大师工作室所依托的企业部门或职业培训机构实训基地有关情况",
            &p.host_base,
        ),
        ("六、加快高技能人才队伍建设的政策措施", &p.policies),
        (
            "七、企业职工教育经费用于高技能人才培养、交流等方面的费用情况",
            &p.education_fund_use,
        ),
        (
            "八、能够为技能大师工作室提供资金支持以及场所、设备等工作条件的情况",
            &p.support,
        ),
    ]
    .into_iter()
    .map(|(heading, text)| Section {
        heading,
        paragraphs: paragraphs(text),
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_sentences() {
        assert_eq!(number(320.0), "320");
        assert_eq!(number(186.5), "186.5");
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(-0.001), "0");
        assert_eq!(number(-2.5), "-2.5");
        assert_eq!(sentence("结果良好"), "结果良好。");
        assert_eq!(sentence("结果良好。"), "结果良好。");
    }
}
