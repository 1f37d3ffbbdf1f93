//! `dashi ledger`: the bureau's years (第十二条, 第六条, 第十条, 第十四条).

use dashi::failure::Exit;
use dashi::ledger::entry::{RoundKind, Settings};
use dashi::say;

use super::{Context, Outcome};
use crate::cli::{LedgerCommand, LedgerWrite, RoundKindArg};

pub fn run(command: LedgerCommand, context: &Context) -> Outcome {
    match command {
        LedgerCommand::Init(a) => {
            let defaults = Settings::default();
            let settings = Settings {
                bureau: a.bureau.unwrap_or(defaults.bureau),
                build_years: a.build_years.unwrap_or(defaults.build_years),
                pass_mark: a.pass_mark.unwrap_or(defaults.pass_mark),
                rectify_days: a.rectify_days.unwrap_or(defaults.rectify_days),
            };
            let version = dashi::ledger::init(
                &a.write.ledger,
                settings,
                day(&a.write, context),
                &a.write.by,
                context.now(),
            )?;
            say!(
                "已建立台账 {}（版本 {version}）。\n",
                a.write.ledger.display()
            );
            Ok(Exit::Success)
        }
        LedgerCommand::Enter(a) => {
            let from = match (a.intake, a.decisions, a.list) {
                (Some(intake), Some(decisions), None) => {
                    dashi::ledger::enter::From::Intake { intake, decisions }
                }
                (None, None, Some(list)) => dashi::ledger::enter::From::List(list),
                _ => {
                    return Err(Box::new(
                        dashi::failure::Plain::new("没有说明从哪里录入").hint(
                            "公示后用 --intake 受理文件夹 --decisions 决定.xlsx --date 认定日期；此前认定的用 --list 认定名单.xlsx",
                        ),
                    ));
                }
            };
            let entered = dashi::ledger::enter::enter(&actor(&a.write, context), &from)?;
            say!("{}", dashi::output::ledger::entered(&entered));
            Ok(Exit::Success)
        }
        LedgerCommand::Status(a) => {
            let ledger = dashi::ledger::Ledger::open(&a.ledger)?;
            let state = ledger.state();
            let date = a.date.unwrap_or_else(|| context.today());
            let items = dashi::ledger::due::due(&state, date);
            let mut written = Vec::new();
            if let Some(out) = &a.output {
                let renderer = context.renderer(&[], None)?;
                written = dashi::ledger::due::write(&state, &items, date, out, &renderer)?;
            }
            say!(
                "{}",
                dashi::output::ledger::status(&items, &date.to_string(), &written)
            );
            Ok(Exit::Success)
        }
        LedgerCommand::Round(a) => {
            let renderer = context.renderer(&a.font_paths, None)?;
            let done = dashi::ledger::round::run(
                &actor(&a.write, context),
                &dashi::ledger::round::Options {
                    kind: kind(a.kind),
                    name: a.name,
                    inputs: a.inputs,
                    out: a.output,
                    indicators: a.indicators,
                    renderer: &renderer,
                },
            )?;
            say!("{}", dashi::output::ledger::round(&done));
            let flagged = done.items.iter().any(|i| {
                i.outcome
                    .as_ref()
                    .map_or(true, |c| !c.differences.is_empty())
            });
            Ok(super::exit_unless(flagged))
        }
        LedgerCommand::Results(a) => {
            let renderer = context.renderer(&a.font_paths, None)?;
            let entered = dashi::ledger::results::run(
                &actor(&a.write, context),
                &dashi::ledger::results::Options {
                    kind: kind(a.kind),
                    name: a.name,
                    sheets: a.sheets,
                    out: a.output,
                    renderer: &renderer,
                },
            )?;
            say!("{}", dashi::output::ledger::results(&entered));
            Ok(Exit::Success)
        }
        LedgerCommand::Revoke(a) => {
            let renderer = context.renderer(&a.font_paths, None)?;
            let revoked = dashi::ledger::lists::revoke(
                &actor(&a.write, context),
                &dashi::ledger::lists::RevokeOptions {
                    studio: a.studio,
                    case: a.case,
                    body: a.body,
                    reason: a.reason,
                    out: a.output,
                    renderer: &renderer,
                },
            )?;
            say!("{}", dashi::output::ledger::revoked(&revoked));
            Ok(Exit::Success)
        }
        LedgerCommand::Change(a) => {
            let renderer = context.renderer(&a.font_paths, None)?;
            let decided = dashi::ledger::change::run(
                &actor(&a.write, context),
                &dashi::ledger::change::Options {
                    studio: a.studio,
                    request: a.request,
                    decision: a.decision,
                    out: a.output,
                    renderer: &renderer,
                },
            )?;
            say!("{}", dashi::output::ledger::changed(&decided));
            let errors = decided
                .problems
                .iter()
                .any(|p| p.level == dashi::finding::Severity::Error);
            Ok(super::exit_unless(
                errors && decided.change.approved.is_none(),
            ))
        }
        LedgerCommand::Funds(a) => {
            let paid = dashi::ledger::funds::pay(
                &actor(&a.write, context),
                &a.studio,
                a.amount,
                &a.voucher,
            )?;
            say!("{}", dashi::output::ledger::paid(&paid));
            Ok(Exit::Success)
        }
        LedgerCommand::Lists(a) => {
            let ledger = dashi::ledger::Ledger::open(&a.ledger)?;
            let state = ledger.state();
            let date = a.date.unwrap_or_else(|| context.today());
            let renderer = context.renderer(&a.font_paths, None)?;
            let lists = dashi::ledger::lists::lists(&state, date);
            let written = dashi::ledger::lists::write(&lists, &state, date, &a.output, &renderer)?;
            say!("{}", dashi::output::ledger::written(&written));
            Ok(Exit::Success)
        }
    }
}

/// Who acts, as the command's options and the run's clock say.
fn actor<'a>(write: &'a LedgerWrite, context: &Context) -> dashi::ledger::Actor<'a> {
    dashi::ledger::Actor {
        root: &write.ledger,
        date: day(write, context),
        by: &write.by,
        now: context.now(),
        wait: context.lock_wait,
    }
}

fn day(write: &LedgerWrite, context: &Context) -> dashi::data::dates::Date {
    write.date.unwrap_or_else(|| context.today())
}

fn kind(k: RoundKindArg) -> RoundKind {
    match k {
        RoundKindArg::Evaluation => RoundKind::Evaluation,
        RoundKindArg::Acceptance => RoundKind::Acceptance,
        RoundKindArg::Review => RoundKind::Review,
    }
}
