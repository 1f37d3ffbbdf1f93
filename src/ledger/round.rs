//! `dashi ledger round`: a 考核 (第十二条), 验收 (第十条) or 整改复核 round. Each
//! studio's submission — its report PDF and JSON, and the archive export it was made
//! from — is opened without trust (`received`), matched to its studio in the ledger,
//! and its report computed again from the export's records and compared, figure by
//! figure and line by line (`compare`). One bad submission is that submission's
//! problem, never the round's end. The round writes the 汇总表 (xlsx and PDF), one blank
//! 专家评分表 per studio on the indicator system in use, and enters what it received in
//! the ledger as one action.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::compare::{self, Difference};
use super::entry::{Action, Figures, Person, Received, Round, RoundKind, YearFigures};
use super::provenance::{earlier_inventories, match_studio, other_application, rewritten, short};
use super::received;
use super::state::State;
use super::summary::write_outputs;
use super::{Actor, Appended, Ledger, LedgerError, RECEIVED_DIR};
use crate::archive::export::INVENTORY_TAG;
use crate::archive::version::NewFile;
use crate::intake::secret::Secret;
use crate::report::inputs::Indicators;
use crate::report::render::Thumbnails;
use crate::typeset::Renderer;

/// What `dashi ledger round` is asked.
pub struct Options<'a> {
    pub kind: RoundKind,
    /// The round's name; `2029年考核` when absent.
    pub name: Option<String>,
    /// Submission folders, or folders of them.
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub indicators: Option<PathBuf>,
    pub renderer: &'a Renderer,
}

/// One submission of the round.
pub struct Item {
    pub folder: PathBuf,
    pub outcome: Result<Checked, String>,
}

/// A submission opened and recomputed.
pub struct Checked {
    pub studio: super::entry::Studio,
    pub received: Received,
    pub differences: Vec<Difference>,
    /// The score rows for the experts: indicator, weight, the report's score, how.
    pub scores: Vec<crate::report::ScoreLine>,
    /// Already entered in this round by an earlier run (not entered again).
    pub already: bool,
    files: Vec<NewFile>,
}

/// What a round did.
pub struct Done {
    pub round: Round,
    pub items: Vec<Item>,
    pub written: Vec<PathBuf>,
    pub entered: Option<Appended>,
}

/// Runs a round.
pub fn run(actor: &Actor<'_>, options: &Options<'_>) -> Result<Done, LedgerError> {
    let ledger = Ledger::open_to_change(actor.root, actor.wait)?;
    let state = ledger.state();
    let round = Round::named(options.kind, options.name.as_deref(), actor.date);
    let indicators = crate::report::inputs::indicators(options.indicators.as_deref())
        .map_err(|e| {
            LedgerError::input(
                e.to_string(),
                "检查指标体系文件，或不加 --indicators 使用内置的指标体系",
            )
        })?
        .value
        .ok_or_else(|| {
            LedgerError::input(
                "指标体系文件有错误",
                "用 dashi report --indicators 同一文件查看错误所在，改正后重试",
            )
        })?;
    let folders = submissions(&options.inputs)?;
    let earlier = earlier_inventories(&ledger);
    let secret = super::secret(actor.root)?;
    let items: Vec<Item> = folders
        .par_iter()
        .map(|folder| Item {
            folder: folder.clone(),
            // A defect met in one submission is that submission's problem.
            outcome: crate::failure::caught(folder, || {
                check(
                    folder,
                    &secret,
                    &state,
                    &earlier,
                    &round,
                    &indicators,
                    options.renderer,
                )
            })
            .unwrap_or_else(Err),
        })
        .collect();
    // Two submissions of one studio: the second is that submission's problem.
    let mut items = items;
    let mut seen = std::collections::BTreeSet::new();
    for item in &mut items {
        if let Ok(c) = &item.outcome
            && !seen.insert(c.studio.id.clone())
        {
            item.outcome = Err(format!("工作室 {} 在本轮已有一份报送", c.studio.id));
        }
    }
    for item in &mut items {
        if let Ok(c) = &mut item.outcome {
            c.already = state
                .studios
                .get(&c.studio.id)
                .is_some_and(|s| s.has_received(&round, &c.received));
        }
    }
    let written = write_outputs(options, actor.date, &state, &round, &items, &indicators)?;
    let checked: Vec<&Checked> = items
        .iter()
        .filter_map(|i| i.outcome.as_ref().ok())
        .filter(|c| !c.already)
        .collect();
    let entered = if checked.is_empty() {
        None
    } else {
        let files = checked.iter().flat_map(|c| c.files.clone()).collect();
        let flagged = checked.iter().filter(|c| !c.differences.is_empty()).count();
        Some(super::append(
            actor,
            Action::Received {
                round: round.clone(),
                reports: checked.iter().map(|c| c.received.clone()).collect(),
            },
            files,
            &format!(
                "{}，收到 {} 份报告，{} 份与档案记录不符",
                round.name,
                checked.len(),
                flagged
            ),
        )?)
    };
    Ok(Done {
        round,
        items,
        written,
        entered,
    })
}

/// The submission folders: a folder holding a report JSON is one; any other folder
/// given holds them as subfolders.
fn submissions(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, LedgerError> {
    let holds_report = |dir: &Path| {
        std::fs::read_dir(dir).is_ok_and(|d| {
            d.flatten()
                .any(|e| e.path().extension().is_some_and(|x| x == "json"))
        })
    };
    let mut out = Vec::new();
    for input in inputs {
        if !input.is_dir() {
            return Err(LedgerError::input(
                format!("{} 不是文件夹", input.display()),
                "每个工作室的报送放在一个文件夹中：报告 PDF、报告 JSON 和档案导出包",
            ));
        }
        if holds_report(input) {
            out.push(input.clone());
            continue;
        }
        let mut inner: Vec<PathBuf> = std::fs::read_dir(input)
            .map_err(|e| {
                LedgerError::input(
                    format!("无法读取 {}：{e}", input.display()),
                    "确认文件夹可以读取",
                )
            })?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        inner.sort();
        out.extend(inner);
    }
    if out.is_empty() {
        return Err(LedgerError::input(
            "没有找到任何报送",
            "给出存放各工作室报送的文件夹（每个工作室一个子文件夹）",
        ));
    }
    Ok(out)
}

/// One submission, checked.
#[allow(clippy::too_many_arguments)]
fn check(
    folder: &Path,
    secret: &Secret,
    state: &State,
    earlier: &BTreeMap<String, PathBuf>,
    round: &Round,
    indicators: &Indicators,
    renderer: &Renderer,
) -> Result<Checked, String> {
    let submission = received::find(folder)?;
    let json = std::fs::read(&submission.json).map_err(|e| format!("无法读取报告 JSON：{e}"))?;
    let claim = compare::claimed(&json)?;
    use crate::report::Kind;
    let wanted: &[Kind] = match round.kind {
        RoundKind::Acceptance => &[Kind::Acceptance],
        RoundKind::Evaluation => &[Kind::Evaluation],
        RoundKind::Review => &[Kind::Rectification, Kind::Evaluation],
    };
    if !wanted.contains(&claim.kind) {
        return Err(format!(
            "本轮是{}，报送的是{}报告",
            round.kind.name(),
            match claim.kind {
                Kind::Evaluation => "考核自评",
                Kind::Acceptance => "验收总结",
                Kind::Rectification => "整改",
            }
        ));
    }
    let opened = received::open(&submission.export)?;
    let studio = match_studio(state, &opened, folder)?;
    if let Some((date, _)) = &studio.revoked {
        return Err(format!("工作室 {} 已于 {date} 撤销", studio.studio.id));
    }
    if round.kind == RoundKind::Review && studio.rectify.is_none() {
        return Err(format!(
            "工作室 {} 不在整改中，无需整改复核",
            studio.studio.id
        ));
    }
    let mut differences = Vec::new();
    differences.extend(other_application(&studio.studio, &opened));
    if let Some(path) = earlier.get(&studio.studio.id) {
        differences.extend(rewritten(path, &opened));
    }
    // A 整改报告 answers every indicator the 限期整改通知书 named.
    if let (Some(open), Kind::Rectification) = (&studio.rectify, claim.kind) {
        let missing: Vec<&str> = open
            .outcome
            .failed
            .iter()
            .map(|f| f.id.as_str())
            .filter(|id| !claim.focus.iter().any(|c| c == id))
            .collect();
        if !missing.is_empty() {
            differences.push(Difference {
                what: "整改报告对照的指标".into(),
                reported: if claim.focus.is_empty() {
                    "（无）".into()
                } else {
                    claim.focus.join("、")
                },
                computed: format!("限期整改通知书还列有 {}", missing.join("、")),
                records: Vec::new(),
            });
        }
    }
    if claim.version != opened.version || claim.digest != opened.digest {
        differences.push(Difference {
            what: "报告所依据的档案版本".into(),
            reported: format!("{} {}", claim.version, short(&claim.digest)),
            computed: format!("导出包为 {} {}", opened.version, short(&opened.digest)),
            records: Vec::new(),
        });
    }
    if claim.indicators_title != indicators.title {
        differences.push(Difference {
            what: "指标体系".into(),
            reported: claim.indicators_title.clone(),
            computed: format!("本轮使用“{}”", indicators.title),
            records: Vec::new(),
        });
    }
    let (computed, facts) = compare::recompute(&opened, &claim, indicators);
    differences.extend(compare::json(&claim, &computed));
    let pdf = match &submission.pdf {
        Some(path) => Some(std::fs::read(path).map_err(|e| format!("无法读取报告 PDF：{e}"))?),
        None => None,
    };
    match &pdf {
        Some(bytes) => differences.extend(pdf_differences(
            bytes, &opened, &computed, &claim, renderer,
        )?),
        None => differences.push(Difference {
            what: "报告 PDF".into(),
            reported: "（未报送）".into(),
            computed: "应与 JSON 一同报送".into(),
            records: Vec::new(),
        }),
    }
    let received = Received {
        studio: studio.studio.id.clone(),
        version: opened.version.clone(),
        digest: opened.digest.clone(),
        from: claim.period.from,
        to: claim.period.to,
        figures: figures(&computed, &facts, secret),
        findings: differences.iter().map(Difference::said).collect(),
    };
    let id = &studio.studio.id;
    let mut files = vec![
        NewFile::from_bytes(format!("{RECEIVED_DIR}/{id}/报告.json"), json),
        NewFile::from_bytes(
            format!("{RECEIVED_DIR}/{id}/{INVENTORY_TAG}"),
            opened.inventory.clone(),
        ),
    ];
    if let Some(bytes) = pdf {
        files.push(NewFile::from_bytes(
            format!("{RECEIVED_DIR}/{id}/报告.pdf"),
            bytes,
        ));
    }
    Ok(Checked {
        studio: studio.studio.clone(),
        received,
        differences,
        scores: computed.scores.clone(),
        already: false,
        files,
    })
}

/// The received PDF's text against the text of the report as computed (typeset with
/// blank thumbnails: the same pages and words, no photo decoded).
fn pdf_differences(
    bytes: &[u8],
    opened: &received::Opened,
    computed: &crate::report::Evaluation,
    claim: &compare::Claimed,
    renderer: &Renderer,
) -> Result<Vec<Difference>, String> {
    let received =
        crate::media::pdf_text::lines(bytes.to_vec()).map_err(|e| format!("报告 PDF：{e}"))?;
    let app = opened
        .archive
        .application()
        .ok_or("导出包中没有申报数据文件，无法排版报告")?;
    let ours = crate::report::render::typeset_with(
        renderer,
        &app,
        computed,
        claim.date,
        Thumbnails::Blank,
    )
    .map_err(|e| format!("无法排版由记录计算的报告：{e}"))?;
    let ours = crate::media::pdf_text::lines(ours).map_err(|e| format!("报告 PDF：{e}"))?;
    Ok(compare::pdf(&received, &ours))
}

/// The 第四章 figures of a computed report, and the 经费 records of the archive
/// (第十六条).
fn figures(
    e: &crate::report::Evaluation,
    facts: &crate::report::facts::Facts,
    secret: &Secret,
) -> Figures {
    use crate::data::record::{FundDirection, RecordKind};
    let funds: Vec<_> = facts
        .records
        .iter()
        .filter(|a| a.record.kind == RecordKind::Fund)
        .filter_map(|a| Some((a.record.id.clone(), a.record.date, a.record.fund.as_ref()?)))
        .collect();
    let sum = |d: FundDirection| {
        funds
            .iter()
            .filter(|(_, _, f)| f.direction == d)
            .map(|(_, _, f)| f.amount)
            .sum::<f64>()
    };
    Figures {
        people: people(facts, secret),
        funds_in: sum(FundDirection::In),
        funds_out: sum(FundDirection::Out),
        fund_records: funds.iter().map(|(id, _, _)| id.clone()).collect(),
        years: e
            .years
            .iter()
            .map(|y| {
                let of_year = |d: FundDirection| {
                    funds
                        .iter()
                        .filter(|(_, day, f)| f.direction == d && day.year == y.year)
                        .filter(|(_, day, _)| e.period.contains(*day))
                        .map(|(_, _, f)| f.amount)
                        .sum::<f64>()
                };
                YearFigures {
                    year: y.year,
                    trained: y.trained,
                    advanced: y.advanced,
                    exchanges: y.exchanges,
                    innovations: y.innovations,
                    benefit: y.benefit_text.clone(),
                    funds_in: of_year(FundDirection::In),
                    funds_out: of_year(FundDirection::Out),
                }
            })
            .collect(),
        rules: e.rules.len(),
        honours: e.honours.len(),
        benefit: e.benefit_total.clone(),
        total_score: e.total_score.clone(),
    }
}

/// The studio's people as its archive names them: the application's master and
/// members, then who joined or became master by a 成员 record; each ID only as its
/// keyed digest.
fn people(facts: &crate::report::facts::Facts, secret: &Secret) -> Vec<Person> {
    use crate::data::record::{MemberChangeKind, RecordKind};
    let mut out: Vec<Person> = Vec::new();
    let mut add = |name: &str, role: &str, id: &str| {
        let id = secret.id(&id.trim().to_uppercase());
        if !out.iter().any(|p| p.id == id) {
            out.push(Person {
                name: name.trim().to_string(),
                role: role.trim().to_string(),
                id,
            });
        }
    };
    if let Some(app) = &facts.app {
        add(&app.master.name, "领办人", &app.master.id_number);
        for m in &app.members {
            add(&m.name, &m.role, &m.id_number);
        }
    }
    for a in facts
        .records
        .iter()
        .filter(|a| a.record.kind == RecordKind::Member)
    {
        let Some(m) = &a.record.member else { continue };
        let role = match m.change {
            MemberChangeKind::Leader => "领办人",
            MemberChangeKind::Joins => m.role.as_deref().unwrap_or("成员"),
            _ => continue,
        };
        if let Some(id) = &m.id_number {
            add(&m.name, role, id);
        }
    }
    out
}
