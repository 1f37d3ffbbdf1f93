//! `dashi ledger status`: what falls due on a day (default today, China time) — 考核
//! every two years from 认定 (第十二条), 验收 at the end of the 建设期 (第十条), open
//! 整改 deadlines (第十二条（三）), studios still 不合格 after 整改, listed for 撤销, and
//! funds paid and not yet accounted at 验收 (第十六条) —
//! on screen, as xlsx and as a one-page PDF.

use serde::Serialize;

use super::entry::EVALUATION_YEARS;
use super::state::{State, StudioState};
use crate::data::dates::Date;

/// How many days ahead a coming date is listed.
pub const AHEAD_DAYS: i64 = 90;

/// One thing due.
#[derive(Debug, Clone, Serialize)]
pub struct Due {
    pub studio: String,
    pub name: String,
    pub master: String,
    /// 考核, 验收, 整改期限, 撤销.
    pub what: String,
    pub due: Option<Date>,
    /// 逾期 12 天, 30 天后到期, 今天到期, 待决定.
    pub when: String,
    pub article: &'static str,
    /// Negative: days overdue; for sorting.
    #[serde(skip)]
    pub days: i64,
}

/// Everything due on `day` or within `AHEAD_DAYS` after it, overdue first.
pub fn due(state: &State, day: Date) -> Vec<Due> {
    let mut out = Vec::new();
    for s in state.active() {
        let item = |what: &str, due: Date, article: &'static str| {
            let days = due.days_since_epoch() - day.days_since_epoch();
            (days <= AHEAD_DAYS).then(|| Due {
                studio: s.studio.id.clone(),
                name: s.studio.name.clone(),
                master: s.studio.master.clone(),
                what: what.into(),
                due: Some(due),
                when: when(days),
                article,
                days,
            })
        };
        if let Some(d) = next_evaluation(s) {
            out.extend(item("考核", d, "第十二条"));
        }
        if s.accepted.is_none()
            && let Some(d) = s.studio.recognised.plus_years(state.settings.build_years)
        {
            out.extend(item("验收", d, "第十条"));
        }
        if let Some(r) = &s.rectify {
            out.extend(item(
                &format!("整改期满，复核（{}不合格）", r.round),
                r.deadline,
                "第十二条（三）",
            ));
        }
        if !s.paid.is_empty() && s.accepted.is_none() {
            let accounted_at = s.studio.recognised.plus_years(state.settings.build_years);
            let days = accounted_at.map_or(0, |d| d.days_since_epoch() - day.days_since_epoch());
            out.push(Due {
                studio: s.studio.id.clone(),
                name: s.studio.name.clone(),
                master: s.studio.master.clone(),
                what: format!(
                    "已拨付资金 {} 万元，待验收时对照经费记录核算",
                    crate::render::context::number(s.paid_total())
                ),
                due: accounted_at,
                when: "待核算".into(),
                article: "第十六条",
                days,
            });
        }
        if let Some((received, c)) = &s.pending_change {
            out.push(Due {
                studio: s.studio.id.clone(),
                name: s.studio.name.clone(),
                master: s.studio.master.clone(),
                what: format!(
                    "领办人变更待核准：{}→{}（{} 收到）",
                    c.former_master, c.new_master, received
                ),
                due: None,
                when: "待核准".into(),
                article: "第十二条（二）",
                days: i64::MIN,
            });
        }
        if s.for_revocation.is_some() {
            out.push(Due {
                studio: s.studio.id.clone(),
                name: s.studio.name.clone(),
                master: s.studio.master.clone(),
                what: "整改后仍不合格，提请局长办公会研究撤销".into(),
                due: None,
                when: "待决定".into(),
                article: "第十二条（三）",
                days: i64::MIN,
            });
        }
    }
    out.sort_by(|a, b| (a.days, &a.studio).cmp(&(b.days, &b.studio)));
    out
}

/// The next 考核 of a studio: two years after 认定 for each one entered, counting
/// those entered.
pub fn next_evaluation(s: &StudioState) -> Option<Date> {
    let done = s.evaluations().count() as u32;
    s.studio
        .recognised
        .plus_years(EVALUATION_YEARS * (done + 1))
}

fn when(days: i64) -> String {
    match days {
        0 => "今天到期".into(),
        d if d < 0 => format!("逾期 {} 天", -d),
        d => format!("{d} 天后到期"),
    }
}

/// The status list as a table.
pub fn table(items: &[Due], day: Date) -> super::sheets::Table {
    use super::sheets::{date, text};
    super::sheets::Table {
        name: "到期事项".into(),
        columns: [
            ("编号", 10.0),
            ("工作室名称", 28.0),
            ("领办人", 8.0),
            ("事项", 30.0),
            ("到期日", 12.0),
            ("状态", 14.0),
            ("依据", 14.0),
        ]
        .iter()
        .map(|(t, w)| (t.to_string(), *w))
        .collect(),
        rows: items
            .iter()
            .map(|d| {
                vec![
                    text(&d.studio),
                    text(&d.name),
                    text(&d.master),
                    text(&d.what),
                    d.due.map_or(text(""), date),
                    text(&d.when),
                    text(d.article),
                ]
            })
            .collect(),
        notes: vec![format!(
            "截至 {}，列出已到期和 {AHEAD_DAYS} 天内到期的事项",
            day.chinese()
        )],
    }
}

/// Writes `到期事项.xlsx` and the one-page `到期事项.pdf` into `out`.
pub fn write(
    state: &State,
    items: &[Due],
    day: Date,
    out: &std::path::Path,
    renderer: &crate::typeset::Renderer,
) -> Result<Vec<std::path::PathBuf>, super::LedgerError> {
    use super::LedgerError;
    crate::fsio::create_dirs(out).map_err(LedgerError::write(out))?;
    let xlsx = out.join("到期事项.xlsx");
    super::sheets::write(&xlsx, table(items, day), day)?;
    let data = serde_json::json!({ "status": {
        "day_cn": day.chinese(),
        "ahead": AHEAD_DAYS,
        "bureau": state.settings.bureau,
        "items": items.iter().map(|d| serde_json::json!({
            "studio": d.studio, "name": d.name, "master": d.master, "what": d.what,
            "due": d.due.map(|d| d.to_string()).unwrap_or_default(),
            "when": d.when, "article": d.article,
            "days": d.days.max(i64::from(i32::MIN)),
        })).collect::<Vec<_>>(),
        "studios": state.studios.len(),
        "revoked": state.studios.values().filter(|s| s.revoked.is_some()).count(),
        "build_years": state.settings.build_years,
    }});
    let pdf = super::document(
        renderer,
        crate::render::Doc::LEDGER_STATUS,
        &data,
        &state.settings.bureau,
        &format!("dashi/台账/到期事项/{day}"),
        day,
    )?;
    let path = out.join("到期事项.pdf");
    crate::fsio::write_atomic(&path, &pdf).map_err(LedgerError::write(&path))?;
    Ok(vec![xlsx, path])
}
