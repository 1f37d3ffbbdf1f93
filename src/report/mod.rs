//! `dashi report`: the biennial evaluation of 第十二条 (考核自评报告) and the acceptance
//! summary of 第十条 (验收总结), computed from the studio archive — apprentices and the
//! grades they reached per year against 第四章 and the studio's own plan, rules,
//! innovations and their benefit, exchanges, photos and videos, and a self-score table
//! whose indicator set is a file. Every figure cites the records it comes from, and the
//! report names the archive version it was computed from and its inventory digest.
//! The findings of `check` come first; the document is typeset by `render`.

pub mod check;
pub mod command;
pub mod facts;
pub mod inputs;
pub mod render;
pub mod samples;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::check::vocab::skill_rank;
use crate::data::dates::{Date, YearMonth};
use crate::data::record::{ActivityKind, MemberChangeKind, RecordKind};
use crate::render::context::{number, paragraphs};
use facts::{Archived, Facts};
use inputs::{Indicators, Measure, SelfEvaluation};

/// The months a report covers, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: YearMonth,
    pub to: YearMonth,
}

impl Period {
    pub fn contains(&self, day: Date) -> bool {
        (self.from..=self.to).contains(&day.year_month())
    }

    /// The calendar years the period touches.
    pub fn years(&self) -> Vec<u32> {
        (self.from.year..=self.to.year).collect()
    }

    /// The months of `year` inside the period.
    pub fn months_in(&self, year: u32) -> u32 {
        let first = if year == self.from.year {
            self.from.month
        } else {
            1
        };
        let last = if year == self.to.year {
            self.to.month
        } else {
            12
        };
        if year < self.from.year || year > self.to.year || last < first {
            0
        } else {
            last - first + 1
        }
    }

    /// Whether `year` is judged on its own against 第四章 (R401, R402): the period holds
    /// at least half of it, or lies within it. A month or two of a year at either end (a
    /// studio approved in December) is counted in the totals but not judged as a year.
    pub fn judges(&self, year: u32) -> bool {
        self.months_in(year) >= 6 || (self.from.year == year && self.to.year == year)
    }

    /// How many years the period counts for the yearly plan and averages: its months
    /// in whole years, rounded, at least one (2026-12 to 2031-12 is five years).
    pub fn counted_years(&self) -> u32 {
        let months = (self.to.year * 12 + self.to.month)
            .saturating_sub(self.from.year * 12 + self.from.month)
            + 1;
        ((months + 6) / 12).max(1)
    }
}

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Kind {
    /// 考核自评报告 (第十二条).
    #[serde(rename = "考核")]
    Evaluation,
    /// 验收总结 (第十条): plan against what was done.
    #[serde(rename = "验收")]
    Acceptance,
    /// 整改报告 (第十二条（三）): the period since a 限期整改通知书, against the
    /// indicators it names.
    #[serde(rename = "整改")]
    Rectification,
}

/// A label and a value, for the facts tables.
#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    pub label: String,
    pub value: String,
}

/// One member at the period's end.
#[derive(Debug, Clone, Serialize)]
pub struct MemberLine {
    pub name: String,
    pub role: String,
    pub level: String,
    /// The record that made the last change, if any.
    pub record: Option<String>,
}

/// One apprentice.
#[derive(Debug, Clone, Serialize)]
pub struct ApprenticeLine {
    pub record: String,
    pub name: String,
    pub start: String,
    pub level: String,
    pub certificate: String,
    pub reached_on: String,
    pub progress_record: String,
}

/// One year of 带徒传技 and exchanges.
#[derive(Debug, Clone, Serialize)]
pub struct YearLine {
    pub year: u32,
    pub trained: usize,
    /// 其中高级工以上 (第四章（一）): of the apprentices taken on this year, how many
    /// reached 高级工 or above within the period.
    pub advanced: usize,
    /// 当年取得高级工以上: apprentices (of any year) whose first grade of 高级工 or above
    /// came this year.
    pub reached: usize,
    pub plan_trained: u32,
    pub plan_advanced: u32,
    /// Whether 第四章（一） is met: 3–5 trained, of whom at least 2 at 高级工 or above.
    pub meets: bool,
    /// Whether the year is judged on its own (the period holds all of it).
    pub judged: bool,
    pub exchanges: usize,
    pub plan_exchanges: u32,
    pub innovations: usize,
    pub benefit: f64,
    pub benefit_text: String,
    pub cites: Vec<String>,
    /// The records each figure rests on, for the score table's 依据记录.
    #[serde(skip)]
    pub advanced_cites: Vec<String>,
    #[serde(skip)]
    pub exchange_cites: Vec<String>,
}

/// A dated record line (rules, activities, honours).
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub record: String,
    pub date: String,
    pub title: String,
    pub detail: String,
}

/// One innovation.
#[derive(Debug, Clone, Serialize)]
pub struct InnovationLine {
    pub record: String,
    pub date: String,
    pub title: String,
    pub category: String,
    pub result: String,
    pub benefit: String,
    pub number: String,
    pub spread: String,
}

/// One photo of the contact sheet.
#[derive(Debug, Clone, Serialize)]
pub struct PhotoLine {
    pub record: String,
    pub date: String,
    /// The day its EXIF says it was taken, if it says.
    pub taken: Option<String>,
    pub caption: String,
    /// Where the template finds its thumbnail.
    pub thumbnail: String,
    /// Whether a thumbnail could be made.
    pub present: bool,
    #[serde(skip)]
    pub stored: std::path::PathBuf,
}

/// One video.
#[derive(Debug, Clone, Serialize)]
pub struct VideoLine {
    pub record: String,
    pub name: String,
    pub size: String,
    pub duration: String,
}

/// One row of the self-score table.
#[derive(Debug, Clone, Serialize)]
pub struct ScoreLine {
    pub id: String,
    pub group: String,
    pub item: String,
    pub weight: String,
    pub score: String,
    pub how: String,
    /// The records the score rests on, by id.
    pub basis: Vec<String>,
}

/// One row of the acceptance table: what the application promised, what was done.
#[derive(Debug, Clone, Serialize)]
pub struct PlanLine {
    pub item: String,
    pub planned: String,
    pub done: String,
    pub met: bool,
}

/// Everything a report shows (also its JSON).
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub kind: Kind,
    pub title: String,
    pub studio: String,
    pub unit: String,
    pub period: Period,
    pub period_text: String,
    pub date: String,
    pub basics: Vec<Fact>,
    pub members: Vec<MemberLine>,
    pub roster: Vec<ApprenticeLine>,
    pub years: Vec<YearLine>,
    pub trained_total: usize,
    pub advanced_total: usize,
    pub rules: Vec<Line>,
    pub innovations: Vec<InnovationLine>,
    pub benefit_total: String,
    pub activities: Vec<Line>,
    pub honours: Vec<Line>,
    pub photos: Vec<PhotoLine>,
    pub videos: Vec<VideoLine>,
    pub indicators_title: String,
    pub scores: Vec<ScoreLine>,
    pub total_score: String,
    pub problems: Vec<String>,
    pub plans: Vec<String>,
    pub acceptance: Vec<PlanLine>,
    pub shortfalls: Vec<String>,
    /// For 整改: the score lines of the indicators the notice named, in its order.
    pub rectified: Vec<ScoreLine>,
    pub version: String,
    pub digest: String,
    pub digest_lines: Vec<String>,
    /// Records dated outside the period, not counted.
    pub outside: Vec<String>,
}

/// The years' figures, computed once.
struct Counts {
    years: Vec<YearLine>,
}

/// Computes the report of `kind` for `period` from `facts`.
pub fn evaluate(
    facts: &Facts,
    kind: Kind,
    period: Period,
    indicators: &Indicators,
    own: &SelfEvaluation,
    today: Date,
    focus: &[String],
) -> Evaluation {
    let app = facts.app.as_ref();
    let studio = app.map_or_else(
        || "本工作室".to_string(),
        |a| a.studio.name.trim().to_string(),
    );
    let unit = app.map_or_else(String::new, |a| a.unit.name.trim().to_string());
    let inside: Vec<&Archived> = facts
        .records
        .iter()
        .filter(|a| period.contains(a.record.date))
        .collect();
    let outside = facts
        .records
        .iter()
        .filter(|a| !period.contains(a.record.date))
        .map(|a| a.record.id.clone())
        .collect();
    let roster = roster(facts, period);
    let counts = counts(facts, &inside, period);
    let rules = rule_lines(&inside);
    let innovations = innovation_lines(&inside);
    let benefit_total = money_sum(counts.years.iter().map(|y| y.benefit));
    let activities = activity_lines(&inside);
    let honours = honour_lines(&inside);
    let (photos, videos) = media_of(&inside);
    let measured = Measured {
        counts: &counts,
        rules: rules.len(),
        innovations: innovations.len(),
        benefit: benefit_total,
        activities: &inside,
        years: f64::from(period.counted_years()),
    };
    let scores = scores(indicators, own, &measured);
    let total: f64 = scores
        .iter()
        .filter_map(|s| s.score.parse::<f64>().ok())
        .sum();
    let (acceptance, shortfalls) = match kind {
        Kind::Acceptance => acceptance(facts, &counts, &measured, period),
        Kind::Evaluation | Kind::Rectification => (Vec::new(), Vec::new()),
    };
    let rectified = focus
        .iter()
        .filter_map(|id| scores.iter().find(|s| s.id == id.trim()).cloned())
        .collect();
    let groups = crate::seal::digest::hex_groups(&facts.digest);
    Evaluation {
        kind,
        title: match kind {
            Kind::Evaluation => "技能大师工作室考核自评报告".into(),
            Kind::Acceptance => "技能大师工作室建设项目验收总结".into(),
            Kind::Rectification => "技能大师工作室整改报告".into(),
        },
        studio,
        unit,
        period,
        period_text: format!("{}至{}", period.from.chinese(), period.to.chinese()),
        date: today.chinese(),
        basics: basics(facts),
        members: members(facts, period),
        trained_total: counts.years.iter().map(|y| y.trained).sum(),
        advanced_total: counts.years.iter().map(|y| y.advanced).sum(),
        roster,
        years: counts.years.clone(),
        rules,
        innovations,
        benefit_total: format!("{} 万元", number(benefit_total)),
        activities,
        honours,
        photos,
        videos,
        indicators_title: indicators.title.clone(),
        scores,
        total_score: number(total),
        problems: paragraphs(&own.problems),
        plans: paragraphs(&own.plans),
        acceptance,
        shortfalls,
        rectified,
        version: facts.head.clone(),
        digest: facts.digest.clone(),
        digest_lines: groups.chunks(4).map(|l| l.join(" ")).collect(),
        outside,
    }
}

/// The records of `kind` among `inside`, in order.
fn of_kind<'a>(
    inside: &'a [&'a Archived],
    kind: RecordKind,
) -> impl Iterator<Item = &'a Archived> + 'a {
    inside
        .iter()
        .copied()
        .filter(move |a| a.record.kind == kind)
}

/// The rules adopted (制度).
fn rule_lines(inside: &[&Archived]) -> Vec<Line> {
    of_kind(inside, RecordKind::Rule)
        .map(|a| Line {
            record: a.record.id.clone(),
            date: a.record.date.to_string(),
            title: a.record.title.clone(),
            detail: a
                .record
                .rule
                .as_ref()
                .and_then(|r| r.summary.clone())
                .unwrap_or_default(),
        })
        .collect()
}

/// The innovations and results (成果) with their benefit.
fn innovation_lines(inside: &[&Archived]) -> Vec<InnovationLine> {
    of_kind(inside, RecordKind::Innovation)
        .filter_map(|a| {
            let i = a.record.innovation.as_ref()?;
            Some(InnovationLine {
                record: a.record.id.clone(),
                date: a.record.date.to_string(),
                title: a.record.title.clone(),
                category: serde_label(&i.category),
                result: paragraphs(&i.result).join(""),
                benefit: i
                    .benefit
                    .map(|b| format!("{} 万元", number(b)))
                    .unwrap_or_default(),
                number: i.number.clone().unwrap_or_default(),
                spread: i.spread.clone().unwrap_or_default(),
            })
        })
        .collect()
}

/// The activities (活动): kind, place and people.
fn activity_lines(inside: &[&Archived]) -> Vec<Line> {
    of_kind(inside, RecordKind::Activity)
        .filter_map(|a| {
            let act = a.record.activity.as_ref()?;
            Some(Line {
                record: a.record.id.clone(),
                date: a.record.date.to_string(),
                title: a.record.title.clone(),
                detail: format!(
                    "{}，{}，{} 人",
                    serde_label(&act.category),
                    act.place.trim(),
                    act.participants
                ),
            })
        })
        .collect()
}

/// The honours (荣誉): holder, level and issuer.
fn honour_lines(inside: &[&Archived]) -> Vec<Line> {
    of_kind(inside, RecordKind::Honour)
        .filter_map(|a| {
            let h = a.record.honour.as_ref()?;
            Some(Line {
                record: a.record.id.clone(),
                date: a.record.date.to_string(),
                title: a.record.title.clone(),
                detail: format!(
                    "{}，{}，{}",
                    h.holder.trim(),
                    serde_label(&h.level),
                    h.issuer.trim()
                ),
            })
        })
        .collect()
}

/// A value as its serde name writes it (the Chinese label of an enum).
fn serde_label(value: &impl Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn basics(facts: &Facts) -> Vec<Fact> {
    let Some(app) = &facts.app else {
        return Vec::new();
    };
    let fact = |label: &str, value: String| Fact {
        label: label.into(),
        value,
    };
    vec![
        fact("工作室", app.studio.name.trim().into()),
        fact("职业（工种）", app.studio.occupation.trim().into()),
        fact(
            "领办人",
            format!(
                "{}（{}）",
                app.master.name.trim(),
                app.master.skill_level.trim()
            ),
        ),
        fact("依托单位", app.unit.name.trim().into()),
        fact(
            "场所",
            format!(
                "{}，{} 平方米",
                app.studio.location.trim(),
                number(app.studio.area)
            ),
        ),
        fact("设施设备", paragraphs(&app.studio.facilities).join("")),
    ]
}

/// The members at the period's end: the application's list with the 成员 records
/// applied in date order.
fn members(facts: &Facts, period: Period) -> Vec<MemberLine> {
    let Some(app) = &facts.app else {
        return Vec::new();
    };
    let mut list: Vec<MemberLine> = std::iter::once(MemberLine {
        name: app.master.name.trim().into(),
        role: "领办人".into(),
        level: app.master.skill_level.trim().into(),
        record: None,
    })
    .chain(app.members.iter().map(|m| MemberLine {
        name: m.name.trim().into(),
        role: m.role.trim().into(),
        level: m.skill_level.trim().into(),
        record: None,
    }))
    .collect();
    for a in facts
        .records
        .iter()
        .filter(|a| a.record.kind == RecordKind::Member && a.record.date.year_month() <= period.to)
    {
        let Some(m) = &a.record.member else { continue };
        let name = m.name.trim().to_string();
        let id = Some(a.record.id.clone());
        match m.change {
            MemberChangeKind::Joins => list.push(MemberLine {
                name,
                role: m.role.clone().unwrap_or_else(|| "成员".into()),
                level: m.skill_level.clone().unwrap_or_default(),
                record: id,
            }),
            MemberChangeKind::Leaves => list.retain(|l| l.name != name),
            MemberChangeKind::Role => {
                if let Some(l) = list.iter_mut().find(|l| l.name == name) {
                    if let Some(role) = &m.role {
                        l.role = role.clone();
                    }
                    if let Some(level) = &m.skill_level {
                        l.level = level.clone();
                    }
                    l.record = id;
                }
            }
            MemberChangeKind::Leader => {
                for l in list.iter_mut().filter(|l| l.role == "领办人") {
                    l.role = "成员".into();
                }
                list.retain(|l| l.name != name);
                list.insert(
                    0,
                    MemberLine {
                        name,
                        role: "领办人".into(),
                        level: m.skill_level.clone().unwrap_or_default(),
                        record: id,
                    },
                );
            }
        }
    }
    list
}

/// Every apprentice taken on up to the period's end, with the highest grade reached.
fn roster(facts: &Facts, period: Period) -> Vec<ApprenticeLine> {
    let upto: Vec<&Archived> = facts
        .records
        .iter()
        .filter(|a| a.record.date.year_month() <= period.to)
        .collect();
    upto.iter()
        .filter(|a| a.record.kind == RecordKind::Apprentice)
        .filter_map(|a| {
            let app = a.record.apprentice.as_ref()?;
            let best = upto
                .iter()
                .filter(|p| p.record.kind == RecordKind::Progress)
                .filter_map(|p| Some((p, p.record.progress.as_ref()?)))
                .filter(|(_, pr)| pr.apprentice.trim() == a.record.id.trim())
                .max_by_key(|(p, pr)| (skill_rank(&pr.level).unwrap_or(0), p.record.date));
            Some(ApprenticeLine {
                record: a.record.id.clone(),
                name: app.name.trim().into(),
                start: a.record.date.to_string(),
                level: best
                    .map(|(_, pr)| pr.level.trim().to_string())
                    .or_else(|| app.level_at_start.clone())
                    .unwrap_or_default(),
                certificate: best
                    .and_then(|(_, pr)| pr.certificate_number.clone())
                    .unwrap_or_default(),
                reached_on: best
                    .map(|(p, _)| p.record.date.to_string())
                    .unwrap_or_default(),
                progress_record: best.map(|(p, _)| p.record.id.clone()).unwrap_or_default(),
            })
        })
        .collect()
}

/// Per year: apprentices taken on, of them reaching 高级工 or above, exchanges,
/// innovations and their benefit — each citing its records.
fn counts(facts: &Facts, inside: &[&Archived], period: Period) -> Counts {
    let plan = facts.app.as_ref().map(|a| &a.plan);
    let mut first_advanced: BTreeMap<String, &Archived> = BTreeMap::new();
    for a in &facts.records {
        if let Some(p) = &a.record.progress
            && skill_rank(&p.level).is_some_and(|r| r >= 3)
        {
            first_advanced
                .entry(p.apprentice.trim().to_string())
                .or_insert(a);
        }
    }
    let years = period
        .years()
        .into_iter()
        .map(|year| {
            let in_year = |a: &&&Archived| a.record.date.year == year;
            let mut cites = Vec::new();
            let trained: Vec<&&Archived> = inside
                .iter()
                .filter(in_year)
                .filter(|a| a.record.kind == RecordKind::Apprentice)
                .collect();
            cites.extend(trained.iter().map(|a| a.record.id.clone()));
            // An apprentice counts once, in the year of the first grade of 高级工 or above.
            let reached: Vec<&&Archived> = first_advanced
                .values()
                .filter(|a| a.record.date.year == year && period.contains(a.record.date))
                .collect();
            cites.extend(reached.iter().map(|a| a.record.id.clone()));
            // 其中高级工以上: a part of this year's apprentices (第四章（一）).
            let of_trained: Vec<&Archived> = trained
                .iter()
                .filter_map(|t| first_advanced.get(t.record.id.trim()).copied())
                .filter(|a| period.contains(a.record.date))
                .collect();
            for a in &of_trained {
                if !cites.contains(&a.record.id) {
                    cites.push(a.record.id.clone());
                }
            }
            let advanced = of_trained.len();
            let exchanges: Vec<&&Archived> = inside
                .iter()
                .filter(in_year)
                .filter(|a| {
                    a.record
                        .activity
                        .as_ref()
                        .is_some_and(|act| act.category == ActivityKind::Exchange)
                })
                .collect();
            cites.extend(exchanges.iter().map(|a| a.record.id.clone()));
            let innovations: Vec<&&Archived> = inside
                .iter()
                .filter(in_year)
                .filter(|a| a.record.kind == RecordKind::Innovation)
                .collect();
            cites.extend(innovations.iter().map(|a| a.record.id.clone()));
            let benefit = money_sum(
                innovations
                    .iter()
                    .filter_map(|a| a.record.innovation.as_ref()?.benefit),
            );
            let n = trained.len();
            YearLine {
                year,
                trained: n,
                advanced,
                reached: reached.len(),
                plan_trained: plan.map_or(0, |p| p.apprentices_per_year),
                plan_advanced: plan.map_or(0, |p| p.advanced_per_year),
                meets: (3..=5).contains(&n) && advanced >= 2,
                judged: period.judges(year),
                exchanges: exchanges.len(),
                plan_exchanges: plan.map_or(0, |p| p.exchanges_per_year),
                innovations: innovations.len(),
                benefit,
                benefit_text: number(benefit),
                cites,
                advanced_cites: of_trained.iter().map(|a| a.record.id.clone()).collect(),
                exchange_cites: exchanges.iter().map(|a| a.record.id.clone()).collect(),
            }
        })
        .collect();
    Counts { years }
}

/// The photos and videos attached to the period's records.
fn media_of(inside: &[&Archived]) -> (Vec<PhotoLine>, Vec<VideoLine>) {
    let mut photos = Vec::new();
    let mut videos = Vec::new();
    for a in inside {
        for file in &a.files {
            let (logical, stored) = (&file.logical, &file.stored);
            if crate::media::is_photo(stored) && a.record.kind == RecordKind::Activity {
                photos.push(PhotoLine {
                    record: a.record.id.clone(),
                    date: a.record.date.to_string(),
                    taken: crate::media::taken_on(stored).map(|d| d.to_string()),
                    caption: file.shows.clone(),
                    thumbnail: format!("/photos/{}.jpg", photos.len() + 1),
                    present: true,
                    stored: stored.clone(),
                });
            } else if crate::media::is_video(stored) {
                let size = std::fs::metadata(stored).map_or(0, |m| m.len());
                videos.push(VideoLine {
                    record: a.record.id.clone(),
                    name: logical.rsplit('/').next().unwrap_or(logical).to_string(),
                    size: crate::record::report::human_size(size),
                    duration: crate::media::video_seconds(stored)
                        .map(|s| format!("{}分{:02}秒", (s as u64) / 60, (s as u64) % 60))
                        .unwrap_or_else(|| "—".into()),
                });
            }
        }
    }
    (photos, videos)
}

/// A sum of amounts in 万元, added as whole 元 so that 41.4 + 160.2 is 201.6, not
/// 201.60000000000002 (what a reviewer would see in the JSON).
fn money_sum(amounts: impl Iterator<Item = f64>) -> f64 {
    let yuan: i64 = amounts.map(|v| (v * 10_000.0).round() as i64).sum();
    yuan as f64 / 10_000.0
}

/// What computed indicators measure.
struct Measured<'a> {
    counts: &'a Counts,
    rules: usize,
    innovations: usize,
    benefit: f64,
    activities: &'a [&'a Archived],
    years: f64,
}

fn scores(indicators: &Indicators, own: &SelfEvaluation, m: &Measured<'_>) -> Vec<ScoreLine> {
    let trained: usize = m.counts.years.iter().map(|y| y.trained).sum();
    let advanced: usize = m.counts.years.iter().map(|y| y.advanced).sum();
    let exchanges: usize = m.counts.years.iter().map(|y| y.exchanges).sum();
    let plan_exchanges = m
        .counts
        .years
        .first()
        .map_or(1, |y| y.plan_exchanges.max(1));
    let acts: Vec<&&Archived> = m
        .activities
        .iter()
        .filter(|a| a.record.kind == RecordKind::Activity)
        .collect();
    let with_photos = acts
        .iter()
        .filter(|a| a.files.iter().any(|f| crate::media::is_photo(&f.stored)))
        .count();
    let ids = |kind: RecordKind| -> Vec<String> {
        m.activities
            .iter()
            .filter(|a| a.record.kind == kind)
            .map(|a| a.record.id.clone())
            .collect()
    };
    indicators
        .indicators
        .iter()
        .map(|i| {
            let part = |achieved: f64, target: f64| (achieved / target).min(1.0);
            let (share, how, basis) = match i.measure {
                Some(Measure::Apprentices) => (
                    Some(part(trained as f64 / m.years, 3.0)),
                    format!("年均 {} 名，按 3 名计", number(trained as f64 / m.years)),
                    ids(RecordKind::Apprentice),
                ),
                Some(Measure::Advanced) => (
                    Some(part(advanced as f64 / m.years, 2.0)),
                    format!("年均 {} 人，按 2 人计", number(advanced as f64 / m.years)),
                    // The progress records that counted: each apprentice's first grade
                    // of 高级工 or above.
                    m.counts
                        .years
                        .iter()
                        .flat_map(|y| y.advanced_cites.iter().cloned())
                        .collect(),
                ),
                Some(Measure::Innovations) => (
                    Some(part(m.innovations as f64 / m.years, 1.0)),
                    format!(
                        "年均 {} 项，按 1 项计",
                        number(m.innovations as f64 / m.years)
                    ),
                    ids(RecordKind::Innovation),
                ),
                Some(Measure::Benefit) => (
                    Some(if m.benefit > 0.0 { 1.0 } else { 0.0 }),
                    format!("经济效益合计 {} 万元", number(m.benefit)),
                    ids(RecordKind::Innovation),
                ),
                Some(Measure::Exchanges) => (
                    Some(part(exchanges as f64 / m.years, f64::from(plan_exchanges))),
                    format!(
                        "年均 {} 次，计划 {} 次",
                        number(exchanges as f64 / m.years),
                        plan_exchanges
                    ),
                    // The 技术交流 activities only.
                    m.counts
                        .years
                        .iter()
                        .flat_map(|y| y.exchange_cites.iter().cloned())
                        .collect(),
                ),
                Some(Measure::Rules) => (
                    Some(part(m.rules as f64, 2.0)),
                    format!("{} 项，按 2 项计", m.rules),
                    ids(RecordKind::Rule),
                ),
                Some(Measure::Photos) => (
                    Some(if acts.is_empty() {
                        0.0
                    } else {
                        with_photos as f64 / acts.len() as f64
                    }),
                    format!("{} 次活动中 {} 次有照片", acts.len(), with_photos),
                    ids(RecordKind::Activity),
                ),
                None => (
                    own.scores.get(&i.id).map(|s| s / i.weight),
                    "工作室自评".into(),
                    Vec::new(),
                ),
            };
            ScoreLine {
                id: i.id.clone(),
                group: i.group.clone(),
                item: i.item.clone(),
                weight: number(i.weight),
                score: share.map_or_else(
                    || "未自评".into(),
                    |s| number((s * i.weight * 10.0).round() / 10.0),
                ),
                how,
                basis,
            }
        })
        .collect()
}

/// 验收: what the application planned against what the records show.
fn acceptance(
    facts: &Facts,
    counts: &Counts,
    m: &Measured<'_>,
    period: Period,
) -> (Vec<PlanLine>, Vec<String>) {
    let Some(app) = &facts.app else {
        return (Vec::new(), Vec::new());
    };
    let years = period.counted_years();
    let trained: usize = counts.years.iter().map(|y| y.trained).sum();
    let advanced: usize = counts.years.iter().map(|y| y.advanced).sum();
    let exchanges: usize = counts.years.iter().map(|y| y.exchanges).sum();
    let plan = &app.plan;
    let lines = vec![
        PlanLine {
            item: "培养青年技术技能骨干".into(),
            planned: format!(
                "{} 名（年均 {} 名 × {years} 年）",
                plan.apprentices_per_year * years,
                plan.apprentices_per_year
            ),
            done: format!("{trained} 名"),
            met: trained as u32 >= plan.apprentices_per_year * years,
        },
        PlanLine {
            item: "其中获得高级工以上等级".into(),
            planned: format!("{} 人", plan.advanced_per_year * years),
            done: format!("{advanced} 人"),
            met: advanced as u32 >= plan.advanced_per_year * years,
        },
        PlanLine {
            item: "技术交流活动".into(),
            planned: format!("{} 次", plan.exchanges_per_year * years),
            done: format!("{exchanges} 次"),
            met: exchanges as u32 >= plan.exchanges_per_year * years,
        },
        PlanLine {
            item: "技术创新成果（第四章（二））".into(),
            planned: "总结推广，产生经济效益".into(),
            done: format!("{} 项，经济效益 {} 万元", m.innovations, number(m.benefit)),
            met: m.innovations > 0 && m.benefit > 0.0,
        },
        PlanLine {
            item: "工作制度（第四章（三））".into(),
            planned: "建立完善的工作制度".into(),
            done: format!("{} 项", m.rules),
            met: m.rules > 0,
        },
    ];
    let shortfalls = lines
        .iter()
        .filter(|l| !l.met)
        .map(|l| format!("{}：计划 {}，完成 {}。", l.item, l.planned, l.done))
        .collect();
    (lines, shortfalls)
}

#[cfg(test)]
mod tests {
    #[test]
    fn money_is_summed_as_whole_yuan_and_written_without_float_noise() {
        let sum = super::money_sum([67.2, 67.2, 67.2].into_iter());
        assert_eq!(serde_json::to_string(&sum).unwrap(), "201.6");
        assert_eq!(super::money_sum(std::iter::empty()), 0.0);
    }

    use super::*;

    #[test]
    fn periods() {
        let p = Period {
            from: YearMonth::parse("2027-01").unwrap(),
            to: YearMonth::parse("2028-12").unwrap(),
        };
        assert_eq!(p.years(), vec![2027, 2028]);
        assert!(p.contains(Date::parse("2028-12-31").unwrap()));
        assert!(!p.contains(Date::parse("2029-01-01").unwrap()));
    }
}
