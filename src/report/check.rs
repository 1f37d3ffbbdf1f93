//! What a report finds before it is written (`dashi report --check`): years below 第四章
//! (R401, R402), apprentices without agreement and grades without certificate (R403,
//! R404), a photo used for two activities or taken far from its activity's date (R405,
//! R406), records outside the period (R407) or later than the report (R408). Each is
//! located in the archived record file it is about, as `dashi check` locates findings.

use std::collections::BTreeMap;
use std::path::Path;

use super::facts::{Archived, Facts};
use super::{Evaluation, Period};
use crate::data::dates::Date;
use crate::data::load::{self, Document};
use crate::data::record::RecordKind;
use crate::finding::{Code, Finding};

/// Findings by the file they are located in.
pub type Located = Vec<(Document, Vec<Finding>)>;

/// A photo may be taken this many days from its activity's date.
const PHOTO_DAYS: i64 = 7;

/// Every finding of the report; `archive` names the archive for findings about it as a
/// whole.
pub fn run(
    facts: &Facts,
    evaluation: &Evaluation,
    period: Period,
    today: Date,
    archive: &Path,
) -> Located {
    let mut located: Located = Vec::new();
    let whole = of_the_whole(evaluation);
    if !whole.is_empty() {
        located.push((
            Document {
                path: archive.to_path_buf(),
                text: String::new(),
                index: Default::default(),
                format: crate::data::record::format(),
            },
            whole,
        ));
    }
    // The people of the records, judged again over the whole archive (R314, R315, R317).
    let records: Vec<&crate::data::record::Record> =
        facts.records.iter().map(|a| &a.record).collect();
    let mut people: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
    for (id, finding) in crate::record::people::check(facts.app.as_ref(), &records) {
        people.entry(id).or_default().push(finding);
    }
    // Photos by content: the first activity that used each.
    let mut seen_photos: BTreeMap<String, String> = BTreeMap::new();
    for a in &facts.records {
        let mut found = of_record(a, period, today);
        found.extend(people.remove(a.record.id.trim()).unwrap_or_default());
        if period.contains(a.record.date) && a.record.kind == RecordKind::Activity {
            found.extend(of_photos(a, &mut seen_photos));
        }
        if !found.is_empty() {
            located.push((record_document(&a.stored), found));
        }
    }
    located
}

/// R401, R402 for each year; R407 for records outside the period.
fn of_the_whole(evaluation: &Evaluation) -> Vec<Finding> {
    let mut whole = Vec::new();
    for y in evaluation.years.iter().filter(|y| y.judged) {
        if y.trained < 3 || y.advanced < 2 {
            whole.push(
                Finding::new(
                    Code::YearApprentices,
                    "",
                    format!(
                        "{} 年新带徒 {} 名，其中达到高级工以上 {} 人；第四章（一）要求年均培养 3–5 名、其中高级工以上不少于 2 人",
                        y.year, y.trained, y.advanced
                    ),
                )
                .hint("核对该年的带徒和带徒进展记录是否都已加入档案；确实不足的，在“存在问题”中说明"),
            );
        }
        if y.exchanges == 0 {
            whole.push(
                Finding::new(
                    Code::YearExchanges,
                    "",
                    format!("{} 年没有技术交流活动的记录", y.year),
                )
                .hint("第四章（三）要求定期开展技术交流活动；核对活动记录（类别“技术交流”）"),
            );
        }
    }
    if !evaluation.outside.is_empty() {
        whole.push(
            Finding::new(
                Code::OutsidePeriod,
                "",
                format!(
                    "{} 条记录的日期不在考核期（{}）内，未计入：{}",
                    evaluation.outside.len(),
                    evaluation.period_text,
                    first_of(&evaluation.outside, 10)
                ),
            )
            .hint("核对考核期（--from、--to）是否正确"),
        );
    }
    whole
}

/// The first `n` of a list, then how many in all ("甲、乙 等 150 条"); the whole list
/// is in the report's JSON.
fn first_of(list: &[String], n: usize) -> String {
    if list.len() <= n {
        list.join("、")
    } else {
        format!(
            "{} 等 {} 条（全部列在 --json 的 outside 中）",
            list[..n].join("、"),
            list.len()
        )
    }
}

/// R408 (later than the report), R403 (no agreement), R404 (no certificate) for one
/// archived record.
fn of_record(a: &Archived, period: Period, today: Date) -> Vec<Finding> {
    let mut found = Vec::new();
    let r = &a.record;
    let counted = period.contains(r.date);
    if r.date > today {
        found.push(
            Finding::new(
                Code::FutureRecord,
                "date",
                format!("日期 {} 晚于报告日期 {today}", r.date),
            )
            .hint("核对记录日期；档案只记已经发生的事，更正时另写一条记录"),
        );
    }
    if counted
        && r.kind == RecordKind::Apprentice
        && r.apprentice.as_ref().is_some_and(|x| x.agreement.is_none())
    {
        found.push(
            Finding::new(
                Code::NoAgreement,
                "apprentice",
                format!("{}没有带徒协议", r.title),
            )
            .hint("补一条更正记录（corrects），附上师徒协议的扫描件"),
        );
    }
    if counted
        && r.kind == RecordKind::Progress
        && r.progress.as_ref().is_some_and(|p| {
            p.certificate_number
                .as_deref()
                .is_none_or(|n| n.trim().is_empty())
        })
        && a.files.is_empty()
    {
        found.push(
            Finding::new(
                Code::NoCertificate,
                "progress",
                format!("“{}”既没有证书编号也没有证书扫描件", r.title),
            )
            .hint("补一条更正记录，写明证书编号或附上证书扫描件"),
        );
    }
    found
}

/// R405 (a photo used for two activities) and R406 (taken far from the activity's
/// date) for one activity; `seen` holds each photo's first activity.
fn of_photos(a: &Archived, seen_photos: &mut BTreeMap<String, String>) -> Vec<Finding> {
    let mut found = Vec::new();
    let r = &a.record;
    for file in &a.files {
        let (path, stored) = (file.field.clone(), &file.stored);
        if !crate::media::is_photo(stored) {
            continue;
        }
        // Identical files have one digest (and one stored copy) in the archive.
        match seen_photos.get(&file.digest) {
            Some(first) if first != &r.id => found.push(
                Finding::new(
                    Code::PhotoReused,
                    path.clone(),
                    format!("这张照片也用于活动 {first}"),
                )
                .hint("每次活动附上它自己的照片"),
            ),
            Some(_) => {}
            None => {
                seen_photos.insert(file.digest.clone(), r.id.clone());
            }
        }
        if let Some(days) = photo_days_off(stored, r.date)
            && days > PHOTO_DAYS
        {
            found.push(
                Finding::new(
                    Code::PhotoDate,
                    path,
                    format!(
                        "影像资料拍摄时间与活动日期不符：照片拍摄于活动日期（{}）{} 天之外",
                        r.date, days
                    ),
                )
                .hint("核对照片是否属于这次活动，或活动日期是否写错"),
            );
        }
    }
    found
}

/// How many days a photo's EXIF time lies from `day`, when it has one.
fn photo_days_off(photo: &Path, day: Date) -> Option<i64> {
    let date = crate::media::taken_on(photo)?;
    Some((date.days_since_epoch() - day.days_since_epoch()).abs())
}

/// The archived record file as a document, so findings show its lines.
fn record_document(stored: &Path) -> Document {
    let text = std::fs::read_to_string(stored).unwrap_or_default();
    match load::read_as::<crate::data::record::Record>(
        crate::data::record::format(),
        stored,
        text.clone(),
    ) {
        Ok(partial) => partial.doc,
        Err(_) => Document {
            path: stored.to_path_buf(),
            text,
            index: Default::default(),
            format: crate::data::record::format(),
        },
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_long_list_of_records_is_cut_with_its_count() {
        let ids: Vec<String> = (1..=150).map(|n| format!("活动-{n}")).collect();
        let said = super::first_of(&ids, 10);
        assert!(
            said.starts_with("活动-1、活动-2") && said.contains("等 150 条"),
            "{said}"
        );
        assert!(!said.contains("活动-11"), "{said}");
        assert_eq!(super::first_of(&ids[..2], 10), "活动-1、活动-2");
    }
}
