//! A received report against the same report computed again from its export: every
//! value of its JSON, and every line of its PDF's text. A figure changed by hand is a
//! difference that names the figure, both values and the records behind it; a report
//! made from another version than the export is one too.

use serde_json::Value;

use super::received::Opened;
use crate::data::dates::{Date, YearMonth};
use crate::report::inputs::{Indicators, SelfEvaluation};
use crate::report::{Evaluation, Kind, Period};

/// One thing the report says otherwise than its records.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// What it is, in words (`2028 年带徒人数`, `PDF 第 3 页`).
    pub what: String,
    pub reported: String,
    pub computed: String,
    /// The records the computed value rests on.
    pub records: Vec<String>,
}

impl Difference {
    /// The difference in one sentence.
    pub fn said(&self) -> String {
        let records = if self.records.is_empty() {
            String::new()
        } else {
            format!("（依据记录 {}）", self.records.join("、"))
        };
        format!(
            "{}：报告为“{}”，由档案记录计算为“{}”{records}",
            self.what, self.reported, self.computed
        )
    }
}

/// Why a report cannot be recomputed at all.
pub type Unreadable = String;

/// What the studio's report says of itself, read from its JSON: enough to compute it
/// again (kind, period, date, indicator set, self-scores and texts).
pub struct Claimed {
    pub value: Value,
    pub kind: Kind,
    pub period: Period,
    pub date: Date,
    pub own: SelfEvaluation,
    pub version: String,
    pub digest: String,
    pub indicators_title: String,
    /// For 整改: the indicators it answers.
    pub focus: Vec<String>,
}

/// Reads a report's JSON.
pub fn claimed(bytes: &[u8]) -> Result<Claimed, Unreadable> {
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| format!("报告的 JSON 无法读取：{e}"))?;
    let text = |key: &str| value.get(key).and_then(Value::as_str).unwrap_or_default();
    let kind = match text("kind") {
        "考核" => Kind::Evaluation,
        "验收" => Kind::Acceptance,
        "整改" => Kind::Rectification,
        other => {
            return Err(format!(
                "报告的 JSON 中 kind 为“{other}”，不是考核、验收或整改"
            ));
        }
    };
    let month = |key: &str| {
        value
            .pointer(&format!("/period/{key}"))
            .and_then(Value::as_str)
            .and_then(YearMonth::parse)
            .ok_or_else(|| format!("报告的 JSON 中没有可用的期间（period.{key}）"))
    };
    let period = Period {
        from: month("from")?,
        to: month("to")?,
    };
    let date = chinese_date(text("date"))
        .ok_or_else(|| format!("报告的 JSON 中的日期“{}”无法读取", text("date")))?;
    let lines = |key: &str| -> String {
        value
            .get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    };
    let mut own = SelfEvaluation {
        format_version: 1,
        problems: lines("problems"),
        plans: lines("plans"),
        ..SelfEvaluation::default()
    };
    for score in value
        .get("scores")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let id = score.get("id").and_then(Value::as_str);
        let points = score
            .get("score")
            .and_then(Value::as_str)
            .and_then(|s| s.parse::<f64>().ok());
        if let (Some(id), Some(points)) = (id, points) {
            own.scores.insert(id.to_string(), points);
        }
    }
    Ok(Claimed {
        kind,
        period,
        date,
        own,
        version: text("version").to_string(),
        digest: text("digest").to_string(),
        indicators_title: text("indicators_title").to_string(),
        focus: value
            .get("rectified")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| s.get("id").and_then(Value::as_str).map(str::to_string))
            .collect(),
        value,
    })
}

/// `2028年12月1日`.
fn chinese_date(text: &str) -> Option<Date> {
    let (y, rest) = text.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let d = rest.strip_suffix('日')?;
    Date::parse(&format!(
        "{:04}-{:02}-{:02}",
        y.trim().parse::<u32>().ok()?,
        m.trim().parse::<u32>().ok()?,
        d.trim().parse::<u32>().ok()?
    ))
}

/// The report computed again from the export, as the studio asked for it: the
/// indicators in use, the self-scores of the indicators records cannot measure, and
/// the studio's own texts are taken from the claim; every figure comes from the records.
pub fn recompute(
    opened: &Opened,
    claim: &Claimed,
    indicators: &Indicators,
) -> (Evaluation, crate::report::facts::Facts) {
    let facts = crate::report::facts::gather(&opened.archive);
    let mut own = claim.own.clone();
    // Measured indicators are never the studio's to score.
    own.scores.retain(|id, _| {
        indicators
            .indicators
            .iter()
            .any(|i| &i.id == id && i.measure.is_none())
    });
    let evaluation = crate::report::evaluate(
        &facts,
        claim.kind,
        claim.period,
        indicators,
        &own,
        claim.date,
        &claim.focus,
    );
    (evaluation, facts)
}

/// The JSON's values that differ from the computed report's, each named.
pub fn json(claim: &Claimed, computed: &Evaluation) -> Vec<Difference> {
    let computed = serde_json::to_value(computed).expect("a report serializes");
    let mut out = Vec::new();
    walk("", &claim.value, &computed, &computed, &mut out);
    out
}

/// Walks both trees; `root` is the computed report, for the names of figures.
fn walk(path: &str, got: &Value, want: &Value, root: &Value, out: &mut Vec<Difference>) {
    match (got, want) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, w) in b {
                // The digest printed in groups: the digest itself is compared.
                if path.is_empty() && key == "digest_lines" {
                    continue;
                }
                let g = a.get(key).unwrap_or(&Value::Null);
                walk(&format!("{path}/{key}"), g, w, root, out);
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (g, w)) in a.iter().zip(b).enumerate() {
                walk(&format!("{path}/{i}"), g, w, root, out);
            }
        }
        _ if same(got, want) => {}
        _ => out.push(Difference {
            what: name_of(path, root),
            reported: shown(got),
            computed: shown(want),
            records: records_of(path, root),
        }),
    }
}

/// Whether two values say the same (numbers by value: `3` and `3.0` alike).
fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-9,
        _ => a == b,
    }
}

fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "（无）".into(),
        Value::Array(a) => format!("{} 项", a.len()),
        other => other.to_string(),
    }
}

/// The words for a JSON path of a report.
fn name_of(path: &str, root: &Value) -> String {
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let field = |key: &str| -> &'static str {
        match key {
            "trained" => "带徒人数",
            "advanced" => "其中高级工以上人数",
            "reached" => "当年取得高级工以上人数",
            "exchanges" => "技术交流次数",
            "innovations" => "技术创新成果数",
            "benefit" | "benefit_text" => "经济效益",
            "plan_trained" => "计划带徒人数",
            "plan_advanced" => "计划高级工以上人数",
            "plan_exchanges" => "计划交流次数",
            "meets" => "是否达到第四章要求",
            "score" => "得分",
            "level" => "等级",
            "name" => "姓名",
            "title" => "名称",
            "date" => "日期",
            "cites" | "basis" | "record" => "依据记录",
            "version" => "档案版本",
            "digest" => "版本清单摘要",
            "trained_total" => "带徒合计",
            "advanced_total" => "高级工以上合计",
            "benefit_total" => "经济效益合计",
            "total_score" => "自评总分",
            "roster" => "学徒名册",
            "members" => "工作室成员",
            "rules" => "制度",
            "activities" => "活动",
            "honours" => "荣誉",
            "photos" => "照片",
            "videos" => "视频",
            "scores" => "评分表",
            "acceptance" => "验收对照表",
            "years" => "年度表",
            "outside" => "考核期以外的记录",
            "period_text" => "考核期",
            "studio" => "工作室名称",
            "unit" => "依托单位",
            _ => "",
        }
    };
    match parts[..] {
        ["years", i, key, ..] => {
            let year = root
                .pointer(&format!("/years/{i}/year"))
                .map(|y| y.to_string())
                .unwrap_or_default();
            format!("{year} 年{}", or_key(field(key), key))
        }
        ["scores", i, key, ..] => {
            let id = root
                .pointer(&format!("/scores/{i}/id"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            let item = root
                .pointer(&format!("/scores/{i}/item"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            format!("评分表 {id}（{item}）{}", or_key(field(key), key))
        }
        [list, i, key, ..] if !field(list).is_empty() => {
            let n = i.parse::<usize>().map_or(0, |n| n + 1);
            format!("{}第 {n} 条的{}", field(list), or_key(field(key), key))
        }
        [key] | [key, ..] => or_key(field(key), key).to_string(),
        [] => "报告".into(),
    }
}

fn or_key<'a>(word: &'a str, key: &'a str) -> &'a str {
    if word.is_empty() { key } else { word }
}

/// The records a value of the computed report rests on: the citing fields of the
/// object it is in (`cites`, `basis`, `record`).
fn records_of(path: &str, root: &Value) -> Vec<String> {
    let mut at = path.to_string();
    while let Some(cut) = at.rfind('/') {
        at.truncate(cut);
        let Some(object) = root.pointer(&at).and_then(Value::as_object) else {
            continue;
        };
        let mut out = Vec::new();
        for key in ["cites", "basis", "record", "progress_record"] {
            match object.get(key) {
                Some(Value::String(s)) if !s.is_empty() => out.push(s.clone()),
                Some(Value::Array(a)) => {
                    out.extend(a.iter().filter_map(Value::as_str).map(str::to_string))
                }
                _ => {}
            }
        }
        if !out.is_empty() {
            out.dedup();
            return out;
        }
    }
    Vec::new()
}

/// The lines of the received PDF that differ from those of the computed report's PDF,
/// in order (a longest-common-subsequence diff of the two texts). Lines the two
/// renderings may legitimately differ on (a thumbnail that could not be made) are
/// left out.
pub fn pdf(received: &[String], computed: &[String]) -> Vec<Difference> {
    let ignore = |l: &String| !l.contains("无法生成缩略图");
    let a: Vec<&String> = received.iter().filter(|l| ignore(l)).collect();
    let b: Vec<&String> = computed.iter().filter(|l| ignore(l)).collect();
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: the common length of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out: Vec<Difference> = Vec::new();
    let mut removed: Vec<&String> = Vec::new();
    let mut added: Vec<&String> = Vec::new();
    let mut flush = |removed: &mut Vec<&String>, added: &mut Vec<&String>| {
        for k in 0..removed.len().max(added.len()) {
            out.push(Difference {
                what: "PDF 中的一行".into(),
                reported: removed
                    .get(k)
                    .map_or("（无此行）".into(), |s| s.replace('\t', " ")),
                computed: added
                    .get(k)
                    .map_or("（无此行）".into(), |s| s.replace('\t', " ")),
                records: Vec::new(),
            });
        }
        removed.clear();
        added.clear();
    };
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            flush(&mut removed, &mut added);
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            added.push(b[j]);
            j += 1;
        } else {
            removed.push(a[i]);
            i += 1;
        }
    }
    flush(&mut removed, &mut added);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_line_is_paired_with_what_it_should_say() {
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let got = s(&["甲", "2028\t3\t2", "乙"]);
        let want = s(&["甲", "2028\t2\t2", "乙"]);
        let d = pdf(&got, &want);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].reported, "2028 3 2");
        assert_eq!(d[0].computed, "2028 2 2");
        assert!(pdf(&want, &want).is_empty());
    }

    #[test]
    fn a_changed_figure_is_named_with_its_records() {
        let computed = serde_json::json!({
            "years": [{"year": 2028, "trained": 2, "cites": ["R1", "R2"]}],
            "total_score": "80"
        });
        let mut got = computed.clone();
        got["years"][0]["trained"] = serde_json::json!(5);
        let mut out = Vec::new();
        walk("", &got, &computed, &computed, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].what, "2028 年带徒人数");
        assert_eq!(
            (out[0].reported.as_str(), out[0].computed.as_str()),
            ("5", "2")
        );
        assert_eq!(out[0].records, ["R1", "R2"]);
    }

    #[test]
    fn report_dates_are_read_as_printed() {
        assert_eq!(
            chinese_date("2028年12月1日")
                .map(|d| d.to_string())
                .as_deref(),
            Some("2028-12-01")
        );
        assert_eq!(chinese_date("2028-12-01"), None);
    }
}
