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
use super::received;
use super::sheets::{self, Table, number, text};
use super::state::{State, StudioState};
use super::{Appended, Ledger, LedgerError, RECEIVED_DIR};
use crate::archive::export::INVENTORY_TAG;
use crate::archive::version::NewFile;
use crate::data::dates::Date;
use crate::intake::secret::Secret;
use crate::render::Doc;
use crate::report::inputs::Indicators;
use crate::report::render::Thumbnails;
use crate::typeset::Renderer;

/// What `dashi ledger round` is asked.
pub struct Options<'a> {
    pub ledger: PathBuf,
    pub kind: RoundKind,
    /// The round's name; `2029年考核` when absent.
    pub name: Option<String>,
    /// Submission folders, or folders of them.
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub date: Date,
    pub by: String,
    pub indicators: Option<PathBuf>,
    pub renderer: &'a Renderer,
    pub now: i64,
    pub wait: std::time::Duration,
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

/// The file names a round writes.
pub fn summary_name(kind: RoundKind) -> String {
    format!("{}汇总表", kind.name())
}
pub const SCORE_DIR: &str = "专家评分表";

/// Runs a round.
pub fn run(options: &Options<'_>) -> Result<Done, LedgerError> {
    let ledger = Ledger::open_to_change(&options.ledger, options.wait)?;
    let state = ledger.state();
    let round = Round {
        kind: options.kind,
        name: options
            .name
            .clone()
            .unwrap_or_else(|| format!("{}年{}", options.date.year, options.kind.name())),
    };
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
    let secret = super::secret(&options.ledger)?;
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
    let written = write_outputs(options, &state, &round, &items, &indicators)?;
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
            &super::Actor {
                root: &options.ledger,
                date: options.date,
                by: &options.by,
                now: options.now,
                wait: options.wait,
            },
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

/// An archive begun from another application than the one the studio was 认定ed on:
/// the archive's id names the seal of the bag it began with (`urn:dashi:studio:<代码>:
/// <封存值前 16 位>`), and the ledger keeps the seal intake received.
fn other_application(
    studio: &super::entry::Studio,
    opened: &received::Opened,
) -> Option<Difference> {
    let seal = studio.seal.as_deref()?.to_lowercase();
    let began = opened
        .archive_id
        .rsplit(':')
        .next()
        .unwrap_or_default()
        .to_lowercase();
    if began.len() == 16 && seal.starts_with(&began) {
        return None;
    }
    Some(Difference {
        what: "档案的来源".into(),
        reported: format!("档案 {} 不是由认定时的申报材料建立的", opened.archive_id),
        computed: format!("认定时受理的申报材料封存值为 {}", short(&seal)),
        records: Vec::new(),
    })
}

/// The inventory each studio sent last, as the ledger keeps it (`收到/NNNN/编号/…`).
fn earlier_inventories(ledger: &Ledger) -> BTreeMap<String, PathBuf> {
    let head = ledger.archive.inventory.head_number();
    let mut out = BTreeMap::new();
    for logical in ledger.archive.inventory.state(head).keys() {
        let parts: Vec<&str> = logical.split('/').collect();
        if let [RECEIVED_DIR, _, id, INVENTORY_TAG] = parts[..]
            && let Some(path) = ledger.archive.stored(head, logical)
        {
            // Paths in number order: the last one kept is the newest.
            out.insert(id.to_string(), path);
        }
    }
    out
}

/// The history an export's inventory lists against the one the studio sent before:
/// every version it listed then must be there still, unchanged. A studio cannot rewrite
/// records it already reported on, however consistently it rebuilds its archive.
fn rewritten(earlier: &Path, opened: &received::Opened) -> Option<Difference> {
    let (before, _) = crate::archive::inventory::read(earlier).ok()?;
    let now: BTreeMap<&str, serde_json::Value> = opened
        .archive
        .inventory
        .versions
        .0
        .iter()
        .map(|(name, block)| {
            (
                name.as_str(),
                serde_json::to_value(block.version()).unwrap_or_default(),
            )
        })
        .collect();
    let changed: Vec<&str> = before
        .versions
        .0
        .iter()
        .filter(|(name, block)| {
            now.get(name.as_str())
                != Some(&serde_json::to_value(block.version()).unwrap_or_default())
        })
        .map(|(name, _)| name.as_str())
        .collect();
    if changed.is_empty() {
        return None;
    }
    Some(Difference {
        what: "档案的历史".into(),
        reported: format!(
            "导出包中的版本 {} 与此前报送时不同或已不存在",
            changed.join("、")
        ),
        computed: format!("此前报送的档案有版本 v1 至 {}", before.head),
        records: Vec::new(),
    })
}

fn short(digest: &str) -> String {
    digest.chars().take(16).collect()
}

/// The studio a submission is of: by the application its archive began with (the seal
/// and 统一社会信用代码 in the archive's id), else by the unit's code and the studio's
/// name, else by the folder's name being the studio's 编号.
fn match_studio<'s>(
    state: &'s State,
    opened: &received::Opened,
    folder: &Path,
) -> Result<&'s StudioState, String> {
    let mut parts = opened.archive_id.rsplitn(3, ':');
    let seal16 = parts.next().unwrap_or_default().to_lowercase();
    let credit = parts.next().unwrap_or_default().to_uppercase();
    let by_seal = state.studios.values().find(|s| {
        s.studio
            .seal
            .as_deref()
            .is_some_and(|seal| seal.to_lowercase().starts_with(&seal16) && seal16.len() == 16)
            && s.studio.credit_code.eq_ignore_ascii_case(&credit)
    });
    let name = opened
        .archive
        .application()
        .map(|a| a.studio.name.trim().to_string());
    let by_name = || {
        state.studios.values().find(|s| {
            s.studio.credit_code.eq_ignore_ascii_case(&credit)
                && name.as_deref() == Some(s.studio.name.as_str())
        })
    };
    let by_folder = || {
        let folder = folder.file_name()?.to_string_lossy().into_owned();
        state.studios.get(&folder)
    };
    by_seal.or_else(by_name).or_else(by_folder).ok_or_else(|| {
        format!(
            "台账中找不到这个工作室（档案 {}{}）",
            opened.archive_id,
            name.map(|n| format!("，{n}")).unwrap_or_default()
        )
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

/// The 汇总表 (xlsx and PDF) and the 专家评分表.
fn write_outputs(
    options: &Options<'_>,
    state: &State,
    round: &Round,
    items: &[Item],
    indicators: &Indicators,
) -> Result<Vec<PathBuf>, LedgerError> {
    crate::fsio::create_dirs(&options.out).map_err(LedgerError::write(&options.out))?;
    let mut written = Vec::new();
    let name = summary_name(round.kind);
    let xlsx = options.out.join(format!("{name}.xlsx"));
    sheets::write(&xlsx, summary_table(round, items), options.date)?;
    written.push(xlsx);
    let pdf_path = options.out.join(format!("{name}.pdf"));
    let data = serde_json::json!({
        "summary": summary_data(state, round, items, options.date),
    });
    let pdf = super::document(
        options.renderer,
        Doc::ROUND_SUMMARY,
        &data,
        &state.settings.bureau,
        &format!("dashi/台账/{}", round.name),
        options.date,
    )?;
    crate::fsio::write_atomic(&pdf_path, &pdf).map_err(LedgerError::write(&pdf_path))?;
    written.push(pdf_path);
    let dir = options.out.join(SCORE_DIR);
    for c in items.iter().filter_map(|i| i.outcome.as_ref().ok()) {
        crate::fsio::create_dirs(&dir).map_err(LedgerError::write(&dir))?;
        let path = dir.join(format!(
            "{}-{}.xlsx",
            c.studio.id,
            crate::portable::portable(&c.studio.name, "工作室")
        ));
        sheets::write(&path, score_table(round, c, indicators), options.date)?;
        written.push(path);
    }
    Ok(written)
}

const SUMMARY_COLUMNS: [(&str, f64); 13] = [
    ("编号", 10.0),
    ("工作室名称", 26.0),
    ("领办人", 8.0),
    ("档案版本", 8.0),
    ("年度", 6.0),
    ("带徒", 6.0),
    ("其中高级工以上", 9.0),
    ("技术交流", 6.0),
    ("创新成果", 6.0),
    ("经济效益（万元）", 10.0),
    ("经费收支（万元）", 12.0),
    ("自评总分", 7.0),
    ("核对结果", 60.0),
];

/// One row per studio and year; a submission that could not be read is one row
/// saying why.
fn summary_table(round: &Round, items: &[Item]) -> Table {
    let mut rows = Vec::new();
    for item in items {
        match &item.outcome {
            Ok(c) => {
                let verdict = verdict(&c.differences);
                let years = &c.received.figures.years;
                for (k, y) in years.iter().enumerate() {
                    let first = k == 0;
                    rows.push(vec![
                        text(&c.studio.id),
                        text(&c.studio.name),
                        text(&c.studio.master),
                        text(&c.received.version),
                        number(f64::from(y.year)),
                        number(y.trained as f64),
                        number(y.advanced as f64),
                        number(y.exchanges as f64),
                        number(y.innovations as f64),
                        text(&y.benefit),
                        text(funds_text(y)),
                        text(if first {
                            c.received.figures.total_score.clone()
                        } else {
                            String::new()
                        }),
                        text(if first {
                            verdict.clone()
                        } else {
                            String::new()
                        }),
                    ]);
                }
            }
            Err(why) => rows.push(vec![
                text(""),
                text(item.folder.display().to_string()),
                text(""),
                text(""),
                text(""),
                text(""),
                text(""),
                text(""),
                text(""),
                text(""),
                text(""),
                text(""),
                text(format!("未能核对：{why}")),
            ]),
        }
    }
    Table {
        name: summary_name(round.kind),
        columns: SUMMARY_COLUMNS
            .iter()
            .map(|(t, w)| (t.to_string(), *w))
            .collect(),
        rows,
        notes: vec![format!(
            "{}：各项数字由报送的档案导出包中的记录重新计算；核对结果列出报告与记录不符之处",
            round.name
        )],
    }
}

/// A year's 经费 in words: 收 5 / 支 2 (万元).
pub fn funds_text(y: &YearFigures) -> String {
    let n = crate::render::context::number;
    format!("收 {} / 支 {}", n(y.funds_in), n(y.funds_out))
}

/// The comparison's outcome in words.
fn verdict(differences: &[Difference]) -> String {
    if differences.is_empty() {
        "与档案记录一致".into()
    } else {
        let mut lines = vec![format!("{} 处与档案记录不符：", differences.len())];
        lines.extend(differences.iter().take(8).map(Difference::said));
        if differences.len() > 8 {
            lines.push(format!("等共 {} 处", differences.len()));
        }
        lines.join("\n")
    }
}

/// What the summary PDF shows.
fn summary_data(state: &State, round: &Round, items: &[Item], date: Date) -> serde_json::Value {
    let studios: Vec<serde_json::Value> = items
        .iter()
        .map(|item| match &item.outcome {
            Ok(c) => serde_json::json!({
                "id": c.studio.id,
                "name": c.studio.name,
                "master": c.studio.master,
                "version": c.received.version,
                "years": c.received.figures.years.iter().map(|y| {
                    let mut v = serde_json::to_value(y).unwrap_or_default();
                    v["funds"] = serde_json::json!(funds_text(y));
                    v
                }).collect::<Vec<_>>(),
                "total_score": c.received.figures.total_score,
                "ok": c.differences.is_empty(),
                "findings": c.differences.iter().map(Difference::said).collect::<Vec<_>>(),
                "error": null,
            }),
            Err(why) => serde_json::json!({
                "id": "",
                "name": item.folder.display().to_string(),
                "master": "",
                "version": "",
                "years": [],
                "total_score": "",
                "ok": false,
                "findings": [],
                "error": why,
            }),
        })
        .collect();
    serde_json::json!({
        "title": format!("技能大师工作室{}汇总表", round.kind.name()),
        "round": round.name,
        "bureau": state.settings.bureau,
        "date_cn": date.chinese(),
        "studios": studios,
    })
}

/// A blank 专家评分表 of one studio.
fn score_table(round: &Round, c: &Checked, indicators: &Indicators) -> Table {
    let mut rows: Vec<Vec<_>> = indicators
        .indicators
        .iter()
        .map(|i| {
            let line = c.scores.iter().find(|s| s.id == i.id);
            vec![
                text(&i.id),
                text(&i.group),
                text(&i.item),
                number(i.weight),
                text(line.map_or(String::new(), |l| l.score.clone())),
                text(line.map_or(String::new(), |l| l.how.clone())),
                crate::intake::register::Cell::Empty,
            ]
        })
        .collect();
    let label = |a: &str, b: String| {
        let mut row = vec![text(a), text(b)];
        row.extend((0..5).map(|_| crate::intake::register::Cell::Empty));
        row
    };
    rows.push(label(super::results::STUDIO_LABEL, c.studio.id.clone()));
    rows.push(label("工作室名称", c.studio.name.clone()));
    rows.push(label("评审专家签名", String::new()));
    Table {
        name: "专家评分表".into(),
        columns: [
            ("编号", 6.0),
            ("一级指标", 14.0),
            ("指标内容", 40.0),
            ("分值", 6.0),
            ("自评分", 7.0),
            ("计算依据", 30.0),
            (super::results::SCORE_COLUMN, 9.0),
        ]
        .iter()
        .map(|(t, w)| (t.to_string(), *w))
        .collect(),
        rows,
        notes: vec![format!(
            "{}：{}，指标体系“{}”。请在“{}”一栏逐项评分（不超过分值）。",
            round.name,
            c.studio.name,
            indicators.title,
            super::results::SCORE_COLUMN
        )],
    }
}
