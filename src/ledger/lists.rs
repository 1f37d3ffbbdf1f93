//! 撤销 (第十二条（一）–（四）) and the lists the rules ask of the bureau, all read from
//! the ledger: the 自治区级推荐名单 of 第六条 (studios that passed 验收, with their latest
//! 考核 and figures), the masters of 第十四条 (studios that passed 验收) and the funds of
//! 第十六条 (paid, against the 经费 records of the studio's archive at 验收). A 撤销ed
//! studio is marked in every list from its date on.

use std::path::{Path, PathBuf};

use super::entry::{Action, Case, Level, Revocation};
use super::sheets::{self, Table, text};
use super::state::{State, StudioState};
use super::{Actor, Appended, ISSUED_DIR, Ledger, LedgerError};
use crate::archive::version::NewFile;
use crate::data::dates::Date;
use crate::render::Doc;
use crate::typeset::Renderer;

pub struct RevokeOptions<'a> {
    pub studio: String,
    pub case: Case,
    pub body: String,
    pub reason: String,
    pub out: PathBuf,
    pub renderer: &'a Renderer,
}

/// What `revoke` did.
pub struct Revoked {
    pub studio: String,
    /// The decision written; `None` (with `appended`) when an earlier run entered it.
    pub written: Option<PathBuf>,
    pub appended: Option<Appended>,
}

/// Enters a 撤销 and writes its document: a 撤销决定 for a 市级 studio, a 情况反馈 to
/// the region for 国家级 and 自治区级.
pub fn revoke(actor: &Actor<'_>, options: &RevokeOptions<'_>) -> Result<Revoked, LedgerError> {
    let ledger = Ledger::open_to_change(actor.root, actor.wait)?;
    let state = ledger.state();
    let s = state
        .studios
        .get(&options.studio)
        .ok_or_else(|| LedgerError::UnknownStudio(options.studio.clone()))?;
    if let Some((date, r)) = &s.revoked {
        // The same 撤销 entered by an earlier run that was interrupted.
        if *date == actor.date && r.case == options.case {
            return Ok(Revoked {
                studio: options.studio.clone(),
                written: None,
                appended: None,
            });
        }
        return Err(LedgerError::input(
            format!("工作室 {} 已于 {date} 撤销", options.studio),
            "用 dashi ledger status 查看台账",
        ));
    }
    if options.case == Case::FailedAfterRectify && s.for_revocation.is_none() {
        return Err(LedgerError::input(
            format!(
                "工作室 {} 没有“整改后仍不合格”的评定，不能按第十二条（三）撤销",
                options.studio
            ),
            "第十二条（三）须先有不合格评定、限期整改后复核仍不合格；其他情形按（一）（二）（四）",
        ));
    }
    let regional = s.studio.level != Level::City;
    let title = if regional {
        "技能大师工作室情况反馈"
    } else {
        "关于撤销技能大师工作室建设项目资格的决定"
    };
    let reason = options.reason.trim();
    let data = serde_json::json!({ "r": {
        "title": title,
        "regional": regional,
        "studio": s.studio.name,
        "level": s.studio.level.name(),
        "unit": s.studio.unit,
        "master": s.studio.master,
        "recognised_cn": s.studio.recognised.chinese(),
        "case": options.case.article(),
        "reason": if reason.is_empty() { String::new() } else if reason.ends_with('。') { reason.to_string() } else { format!("{reason}。") },
        "body": options.body,
        "bureau": state.settings.bureau,
        "date_cn": actor.date.chinese(),
    }});
    let pdf = super::document(
        options.renderer,
        Doc::REVOCATION,
        &data,
        &state.settings.bureau,
        &format!("dashi/台账/撤销/{}", options.studio),
        actor.date,
    )?;
    let name = format!(
        "{}-{}-{}.pdf",
        options.studio,
        crate::portable::portable(&s.studio.name, "工作室"),
        if regional {
            "情况反馈"
        } else {
            "撤销决定"
        }
    );
    let appended = super::append(
        actor,
        Action::Revoked(Revocation {
            studio: options.studio.clone(),
            case: options.case,
            body: options.body.clone(),
            reason: options.reason.clone(),
        }),
        vec![NewFile::from_bytes(
            format!("{ISSUED_DIR}/{name}"),
            pdf.clone(),
        )],
        &format!(
            "{} {}，{}",
            options.studio,
            s.studio.name,
            options.case.words()
        ),
    )?;
    crate::fsio::create_dirs(&options.out).map_err(LedgerError::write(&options.out))?;
    let path = options.out.join(name);
    crate::fsio::write_atomic(&path, &pdf).map_err(LedgerError::write(&path))?;
    Ok(Revoked {
        studio: options.studio.clone(),
        written: Some(path),
        appended: Some(appended),
    })
}

/// One list: its name, the article it serves, columns and rows.
pub struct List {
    pub file: &'static str,
    pub title: &'static str,
    pub basis: &'static str,
    pub columns: Vec<(&'static str, f64, bool)>,
    pub rows: Vec<Vec<String>>,
    pub note: String,
}

/// The lists of 第六条 and 第十四条 on `day`.
pub fn lists(state: &State, day: Date) -> Vec<List> {
    let accepted: Vec<&StudioState> = state
        .studios
        .values()
        .filter(|s| s.accepted.is_some_and(|d| d <= day))
        .collect();
    let revoked = |s: &StudioState| s.revoked.as_ref().is_some_and(|(d, _)| *d <= day);
    let recommend = accepted
        .iter()
        .filter(|s| s.studio.level == Level::City && !revoked(s))
        .filter(|s| s.latest_evaluation().is_none_or(|r| r.passed))
        .map(|s| {
            let figures = s
                .received
                .get("考核")
                .or_else(|| s.received.get("验收"))
                .map(|(_, r)| r.figures.clone())
                .unwrap_or_default();
            let sum = |f: fn(&super::entry::YearFigures) -> usize| {
                figures.years.iter().map(f).sum::<usize>().to_string()
            };
            vec![
                s.studio.id.clone(),
                s.studio.name.clone(),
                s.studio.master.clone(),
                s.studio.unit.clone(),
                s.accepted.map(|d| d.to_string()).unwrap_or_default(),
                s.latest_evaluation()
                    .map(|r| {
                        format!(
                            "{} 合格 {}",
                            r.round,
                            crate::render::context::number(r.score)
                        )
                    })
                    .unwrap_or_else(|| "—".into()),
                sum(|y| y.trained),
                sum(|y| y.advanced),
                sum(|y| y.innovations),
                figures.benefit.clone(),
            ]
        })
        .collect();
    let masters = accepted
        .iter()
        .map(|s| {
            vec![
                s.studio.master.clone(),
                s.studio.name.clone(),
                s.studio.level.name().to_string(),
                s.studio.unit.clone(),
                s.accepted.map(|d| d.to_string()).unwrap_or_default(),
                if revoked(s) {
                    "已撤销，不再享受".into()
                } else {
                    "享受".into()
                },
            ]
        })
        .collect();
    let funds = state
        .studios
        .values()
        .filter(|s| !s.paid.is_empty())
        .map(|s| {
            let paid = s.paid_total();
            let at = s.received.get("验收").map(|(_, r)| &r.figures);
            let number = crate::render::context::number;
            vec![
                s.studio.id.clone(),
                s.studio.name.clone(),
                number(paid),
                s.paid
                    .iter()
                    .map(|(d, p)| format!("{d} {} 万元（凭证 {}）", number(p.amount), p.voucher))
                    .collect::<Vec<_>>()
                    .join("；"),
                at.map_or("—".into(), |f| number(f.funds_in)),
                at.map_or("—".into(), |f| number(f.funds_out)),
                match at {
                    None => "尚未验收".into(),
                    Some(f) if (f.funds_in - paid).abs() < 0.005 => {
                        format!("收入记录与拨付相符（{}）", f.fund_records.join("、"))
                    }
                    Some(f) => format!(
                        "收入记录比拨付{} {} 万元，请核对",
                        if f.funds_in < paid { "少" } else { "多" },
                        number((f.funds_in - paid).abs())
                    ),
                },
                if revoked(s) {
                    "已撤销".into()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    vec![
        List {
            file: "资金拨付与核算",
            title: "技能大师工作室资金拨付与核算表",
            basis: "第十六条",
            columns: vec![
                ("编号", 16.0, false),
                ("工作室名称", 0.0, true),
                ("拨付（万元）", 14.0, false),
                ("拨付日期与凭证", 0.0, true),
                ("经费收入", 12.0, false),
                ("经费支出", 12.0, false),
                ("核对", 0.0, true),
                ("备注", 12.0, false),
            ],
            rows: funds,
            note: "第十六条：项目资金的拨付、使用、管理和监督，按项目资金管理办法执行。经费收入、支出取自工作室验收时报送的档案中的经费记录（万元）。".into(),
        },
        List {
            file: "自治区级推荐名单",
            title: "自治区级技能大师工作室推荐名单",
            basis: "第六条",
            columns: vec![
                ("编号", 16.0, false),
                ("工作室名称", 0.0, true),
                ("领办人", 13.0, false),
                ("依托单位", 0.0, true),
                ("验收合格", 18.0, false),
                ("最近考核", 22.0, false),
                ("带徒", 9.0, false),
                ("高级工以上", 11.0, false),
                ("创新成果", 9.0, false),
                ("经济效益（万元）", 14.0, false),
            ],
            rows: recommend,
            note: "第六条：自治区级技能大师工作室原则上从市级技能大师工作室中遴选、推荐。列入的是验收合格、最近一次考核合格（或尚未考核）且未撤销的市级工作室；数字由各工作室最近报送的档案记录计算。".into(),
        },
        List {
            file: "验收合格工作室领办人名单",
            title: "验收合格技能大师工作室领办人名单",
            basis: "第十四条",
            columns: vec![
                ("领办人", 16.0, false),
                ("工作室名称", 0.0, true),
                ("级别", 14.0, false),
                ("依托单位", 0.0, true),
                ("验收合格", 18.0, false),
                ("高技能人才优惠政策", 22.0, false),
            ],
            rows: masters,
            note: "第十四条：获得国家级、自治区级和市级技能大师工作室建设项目且验收合格的，技能大师工作室领办人享受我市高技能人才相关优惠政策。已撤销的工作室在名单中注明。".into(),
        },
    ]
}

/// Writes each list as xlsx and PDF into `out`.
pub fn write(
    lists: &[List],
    state: &State,
    day: Date,
    out: &Path,
    renderer: &Renderer,
) -> Result<Vec<PathBuf>, LedgerError> {
    crate::fsio::create_dirs(out).map_err(LedgerError::write(out))?;
    let mut written = Vec::new();
    for list in lists {
        let xlsx = out.join(format!("{}.xlsx", list.file));
        sheets::write(
            &xlsx,
            Table {
                name: list.file.into(),
                columns: list
                    .columns
                    .iter()
                    .map(|(t, w, wide)| (t.to_string(), if *wide { 30.0 } else { w * 0.6 }))
                    .collect(),
                rows: list
                    .rows
                    .iter()
                    .map(|r| r.iter().map(text).collect())
                    .collect(),
                notes: vec![list.note.clone(), format!("截至 {}", day.chinese())],
            },
            day,
        )?;
        written.push(xlsx);
        let data = serde_json::json!({ "list": {
            "title": list.title,
            "basis": list.basis,
            "date_cn": day.chinese(),
            "columns": list.columns.iter().map(|(t, w, wide)| serde_json::json!({
                "title": t, "width": w * 1.4, "wide": wide,
            })).collect::<Vec<_>>(),
            "rows": list.rows,
            "note": list.note,
        }});
        let pdf = super::document(
            renderer,
            Doc::LEDGER_LIST,
            &data,
            &state.settings.bureau,
            &format!("dashi/台账/{}", list.file),
            day,
        )?;
        let path = out.join(format!("{}.pdf", list.file));
        crate::fsio::write_atomic(&path, &pdf).map_err(LedgerError::write(&path))?;
        written.push(path);
    }
    Ok(written)
}
