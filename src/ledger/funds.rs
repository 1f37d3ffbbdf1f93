//! Funds paid to a studio (第四章: up to 5 万元 for a 市级 studio; 第十六条: paid,
//! used and accounted under the finance rules): each payment an entry with its date and
//! voucher, accounted at 验收 against the 经费 records of the studio's own archive
//! (`lists`).

use super::entry::{Action, Payment};
use super::{Actor, Appended, Ledger, LedgerError};

/// What a payment entry did.
pub struct Paid {
    pub studio: String,
    pub name: String,
    pub payment: Payment,
    /// `None`: the same payment (date and voucher) was already entered.
    pub appended: Option<Appended>,
}

/// Enters a payment of `amount` 万元 to `studio` on the actor's day, voucher `voucher`.
pub fn pay(
    actor: &Actor<'_>,
    studio: &str,
    amount: f64,
    voucher: &str,
) -> Result<Paid, LedgerError> {
    let ledger = Ledger::open_to_change(actor.root, actor.wait)?;
    let state = ledger.state();
    let s = state
        .studios
        .get(studio)
        .ok_or_else(|| LedgerError::UnknownStudio(studio.to_string()))?;
    let voucher = voucher.trim();
    if voucher.is_empty() {
        return Err(LedgerError::input(
            "凭证号是空的",
            "用 --voucher 写明拨付凭证的编号",
        ));
    }
    if !(amount > 0.0 && amount <= 1000.0) {
        return Err(LedgerError::input(
            format!("金额 {amount} 万元不在 0 到 1000 之间"),
            "以万元为单位写正数，如 5",
        ));
    }
    let payment = Payment {
        studio: studio.to_string(),
        amount,
        voucher: voucher.to_string(),
    };
    // The same payment entered by a run that was interrupted is not entered twice.
    let already = s
        .paid
        .iter()
        .any(|(d, p)| *d == actor.date && p.voucher == voucher);
    let appended = if already {
        None
    } else {
        Some(super::append(
            actor,
            Action::Paid(payment.clone()),
            Vec::new(),
            &format!(
                "{studio} {}，{} 万元，凭证 {voucher}",
                s.studio.name,
                crate::render::context::number(amount)
            ),
        )?)
    };
    Ok(Paid {
        studio: studio.to_string(),
        name: s.studio.name.clone(),
        payment,
        appended,
    })
}
