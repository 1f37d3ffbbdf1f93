//! 四性检测 (DA/T 70-2018 文书类电子档案检测一般要求): the archive's 真实性, 完整性,
//! 可用性 and 安全性 judged item by item at one of the standard's three points — 归档,
//! 移交与接收, 长期保存 — from what the validator, the 件 descriptions (DA/T 22) and the
//! files themselves show. Each item says what was checked, how, the result (通过, 不通过,
//! 不适用) and, when it fails, which 件 and files. A 移交 package (a folder or a disc
//! image written by `dashi archive export --移交`) is judged with its catalogue and the
//! sender's report.

mod antivirus;
mod authenticity;
mod catalogued;
mod consistency;
pub mod files;
mod integrity;
mod items;
pub mod package;
mod plan;
mod process;
mod report;
mod security;
mod usability;

use crate::progress::Progress;
pub use plan::names;
pub use report::{Check, FourError, FourReport, Outcome, Property, Stage, Totals};

/// Runs the 四性检测 of `path` at `stage` (by default 归档 for an archive, 移交与接收
/// for a package); `now` is the time of the check (Unix seconds). `expect` is the digest
/// on paper: a 移交 package's digest (64 hex digits, from the 登记表), or the archive's
/// version inventory digest (128).
pub fn check(
    path: &std::path::Path,
    stage: Option<Stage>,
    now: i64,
    expect: Option<&str>,
    progress: &dyn Progress,
) -> Result<FourReport, FourError> {
    let mut package = package::Package::open(path)?;
    let stage = stage.unwrap_or(if package.is_transfer() {
        Stage::Transfer
    } else {
        Stage::Filing
    });
    match expect {
        Some(e) if e.len() == 64 && !package.is_transfer() => {
            return Err(FourError::NotAPackageDigest(path.to_path_buf()));
        }
        Some(e) if e.len() == 64 => package.expect_package = Some(e.to_string()),
        Some(e) => package.expect_version = Some(e.to_string()),
        None => {}
    }
    let mut report = run(&package, stage, now, progress)?;
    report.target = path.display().to_string();
    report.date = crate::archive::inventory::created(now)
        .get(..10)
        .unwrap_or_default()
        .to_string();
    Ok(report)
}

/// The sender's check of a 移交 package being assembled at `dir`: everything but the
/// report it is about to write.
pub fn check_sending(dir: &std::path::Path, now: i64) -> Result<FourReport, FourError> {
    let mut package = package::Package::open(dir)?;
    package.sending = true;
    let mut report = run(&package, Stage::Transfer, now, &crate::progress::Silent)?;
    report.target = "移交包".into();
    report.date = crate::archive::inventory::created(now)
        .get(..10)
        .unwrap_or_default()
        .to_string();
    Ok(report)
}

/// Judges every item of the four properties at `stage` over what `items::seen` read.
fn run(
    package: &package::Package,
    stage: Stage,
    now: i64,
    progress: &dyn Progress,
) -> Result<FourReport, FourError> {
    let (seen, pending) = items::seen(package, now, progress)?;
    let mut checks = authenticity::checks(&seen)?;
    if package.is_transfer() {
        checks.push(consistency::check(package));
    }
    checks.extend(integrity::checks(&seen)?);
    checks.extend(usability::checks(&seen)?);
    checks.extend(security::checks(&seen)?);
    checks.extend(process::checks(&seen));
    let items::Seen {
        object,
        archive,
        items,
        settings,
        n,
        state,
        opened,
        ..
    } = seen;
    let superseded: Vec<String> = (1..n)
        .flat_map(|k| archive.inventory.state(k).into_keys())
        .filter(|p| !state.contains_key(p) && !crate::archive::replaceable(p))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let studio = archive
        .application()
        .map(|a| a.studio.name.trim().to_string())
        .unwrap_or_default();
    let pages: u64 = items.iter().map(|i| u64::from(i.pages)).sum();
    for c in &mut checks {
        if c.faults.len() > items::SHOWN {
            let more = c.faults.len() - items::SHOWN;
            c.faults.truncate(items::SHOWN);
            c.faults.push(format!("……另有 {more} 处"));
        }
    }
    let checks = plan::arrange(checks, stage);
    let count = |o: Outcome| checks.iter().filter(|c| c.outcome == o).count();
    let (passed, failed, not_applicable, unverified, not_checked, manual) = (
        count(Outcome::Pass),
        count(Outcome::Fail),
        count(Outcome::NotApplicable),
        count(Outcome::Unverified),
        count(Outcome::NotChecked),
        count(Outcome::Manual),
    );
    let conclusion = report::conclusion(&checks);
    Ok(FourReport {
        stage,
        stage_words: stage.words(),
        target: String::new(),
        object: object.id.clone().unwrap_or_default(),
        studio,
        fonds: settings.fonds.clone(),
        fonds_name: settings.fonds_name.clone(),
        version: archive.inventory.head.clone(),
        digest: archive.digest.clone(),
        digest_lines: crate::seal::digest::hex_groups(&archive.digest)
            .chunks(4)
            .map(|l| l.join(" "))
            .collect(),
        totals: Totals {
            items: items.len(),
            files: state.len(),
            bytes: opened.values().map(|o| o.bytes).sum(),
            pages,
        },
        checks,
        passed,
        failed,
        not_applicable,
        unverified,
        not_checked,
        manual,
        intact: failed == 0 && unverified == 0,
        conclusion,
        date: String::new(),
        superseded,
        pending,
    })
}
