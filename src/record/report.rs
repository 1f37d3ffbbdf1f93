//! The report of a major activity or result (第十一条 开展重大活动或取得重大成果，应及时
//! 向市人社部门报告): what happened, when, who, the results, the evidence with each
//! file's place in the archive, and the archive version holding it with the digest of
//! that version's inventory (text and QR), so the bureau can check the archive against
//! the paper. The words are made here; the layout is `templates/major_event.typ`.

use serde::Serialize;

use crate::data::dates::Date;
use crate::data::model::HonourLevel;
use crate::data::record::{ActivityKind, FundDirection, InnovationKind, Record, RecordKind};
use crate::render::context::{number, paragraphs};

/// What the report template shows.
#[derive(Debug, Clone, Serialize)]
pub struct EventReport {
    pub title: String,
    pub opening: Vec<String>,
    pub facts: Vec<Fact>,
    pub details: Vec<String>,
    pub files: Vec<FileLine>,
    pub version: String,
    pub digest: String,
    /// The digest in four lines of four groups of eight.
    pub digest_lines: Vec<String>,
    pub date: String,
    /// The 归档章 of the record's 件 (DA/T 22-2015), set once the record is filed.
    pub stamp: Option<crate::room::filing::Stamp>,
}

/// One row of the facts table.
#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    pub label: String,
    pub value: String,
}

/// One evidence file.
#[derive(Debug, Clone, Serialize)]
pub struct FileLine {
    pub path: String,
    pub shows: String,
    pub size: String,
}

/// The report of `record`, stored in the archive at `version` whose inventory digest is
/// `digest`; `files` are its files as (archive path, what it shows, bytes).
pub fn event_report(
    record: &Record,
    studio: &str,
    version: &str,
    digest: &str,
    files: Vec<(String, String, u64)>,
    today: Date,
) -> EventReport {
    let what = match record.kind {
        RecordKind::Activity => "重大活动",
        RecordKind::Innovation => "重大成果",
        _ => "重大事项",
    };
    let title = format!("关于{}{}的报告", studio, quoted(&record.title));
    let opening = vec![format!(
        "根据《呼和浩特市技能大师工作室建设项目实施细则》第十一条，现将{}{}{}的情况报告如下。",
        record.date.chinese(),
        studio,
        format_args!("{what}{}", quoted(&record.title))
    )];
    let mut facts = vec![
        fact("事项", &record.title),
        fact("日期", &record.date.chinese()),
        fact("类别", record.kind.label()),
    ];
    let mut details = Vec::new();
    if let Some(a) = &record.activity {
        facts.push(fact("活动形式", activity_label(a.category)));
        facts.push(fact("地点", &a.place));
        facts.push(fact("参加人数", &format!("{} 人", a.participants)));
        details.extend(paragraphs(&a.summary));
    }
    if let Some(i) = &record.innovation {
        facts.push(fact("成果类别", innovation_label(i.category)));
        if let Some(benefit) = i.benefit {
            facts.push(fact("经济效益", &format!("{} 万元", number(benefit))));
        }
        if let Some(n) = &i.number {
            facts.push(fact("专利号或证书编号", n));
        }
        if let Some(spread) = &i.spread {
            facts.push(fact("推广应用", spread));
        }
        details.extend(paragraphs(&i.result));
    }
    if let Some(h) = &record.honour {
        facts.push(fact("获得者", &h.holder));
        facts.push(fact("级别", honour_label(h.level)));
        facts.push(fact("授予单位", &h.issuer));
    }
    if let Some(f) = &record.fund {
        let direction = match f.direction {
            FundDirection::In => "收入",
            FundDirection::Out => "支出",
        };
        facts.push(fact(
            direction,
            &format!("{} 万元，{}", number(f.amount), f.purpose),
        ));
    }
    if let Some(corrects) = &record.corrects {
        details.push(format!("本报告更正档案中的记录 {corrects}。"));
    }
    let files = files
        .into_iter()
        .map(|(path, shows, size)| FileLine {
            path,
            shows,
            size: human_size(size),
        })
        .collect();
    let groups = crate::seal::digest::hex_groups(digest);
    let digest_lines = groups.chunks(4).map(|line| line.join(" ")).collect();
    EventReport {
        title,
        opening,
        facts,
        details,
        files,
        version: version.to_string(),
        digest: digest.to_string(),
        digest_lines,
        date: today.chinese(),
        stamp: None,
    }
}

fn fact(label: &str, value: &str) -> Fact {
    Fact {
        label: label.to_string(),
        value: value.trim().to_string(),
    }
}

/// 《…》 around a title unless it already has them.
fn quoted(title: &str) -> String {
    let t = title.trim();
    if t.starts_with('《') || t.starts_with('“') {
        t.to_string()
    } else {
        format!("“{t}”")
    }
}

fn activity_label(kind: ActivityKind) -> &'static str {
    match kind {
        ActivityKind::Exchange => "技术交流",
        ActivityKind::Training => "培训",
        ActivityKind::Competition => "竞赛",
        ActivityKind::Lecture => "讲座",
        ActivityKind::Other => "其他",
    }
}

fn innovation_label(kind: InnovationKind) -> &'static str {
    match kind {
        InnovationKind::Innovation => "技术革新",
        InnovationKind::Breakthrough => "技术攻关",
        InnovationKind::Patent => "专利",
        InnovationKind::Method => "操作法",
        InnovationKind::Craft => "绝技绝活",
    }
}

fn honour_label(level: HonourLevel) -> &'static str {
    match level {
        HonourLevel::National => "国家级",
        HonourLevel::Regional => "自治区级",
        HonourLevel::Municipal => "市级",
        HonourLevel::Other => "其他",
    }
}

/// Bytes as people read them.
pub fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.1} GB", b as f64 / (1u64 << 30) as f64),
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / (1u64 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.0} KB", b as f64 / (1u64 << 10) as f64),
        b => format!("{b} 字节"),
    }
}
