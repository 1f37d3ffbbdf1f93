//! `dashi archive init/log/export/repair`: the studio's OCFL archive.

use dashi::archive::{self, Archive};
use dashi::failure::Exit;
use dashi::output::progress::TerminalBar;
use dashi::say;

use super::{Context, Outcome};
use crate::cli::{
    ArchiveCatalogueArgs, ArchiveCommand, ArchiveCommitArgs, ArchiveExportArgs, ArchiveInitArgs,
    ArchiveLogArgs, ArchiveSetArgs,
};

pub fn run(command: ArchiveCommand, context: &Context) -> Outcome {
    match command {
        ArchiveCommand::Init(args) => init(&args, context),
        ArchiveCommand::Log(args) => log(&args),
        ArchiveCommand::Export(args) => export(&args, context),
        ArchiveCommand::Commit(args) => commit(&args, context),
        ArchiveCommand::Set(args) => set(&args, context),
        ArchiveCommand::Catalogue(args) => catalogue(&args, context),
        ArchiveCommand::Repair(args) => {
            let repaired = archive::version::repair_archive(&args.archive, context.lock_wait)?;
            if let Some(text) = dashi::output::log::repaired(&repaired) {
                say!("{text}\n");
            }
            // A major add stopped after its record: its report is made now.
            let completed = complete_majors(&args.archive, context)?;
            if let Some(text) = dashi::output::log::completed(&completed) {
                say!("{text}\n");
            }
            // What repair cannot mend is said, never "无需修复".
            let damage = dashi::room::filing::damage(&Archive::open(&args.archive)?);
            if !damage.is_empty() {
                say!("档案已损坏，无法自动修复（{} 处）：\n", damage.len());
                for d in &damage {
                    say!("  {d}\n");
                }
                say!(
                    "运行 dashi verify {} 查看详情；从备份恢复这些文件（或整份档案）。\n",
                    args.archive.display()
                );
                return Ok(Exit::Findings);
            }
            if matches!(repaired, archive::version::Repaired::Nothing)
                && completed.reports.is_empty()
            {
                say!("档案没有中断的添加或归档，也没有缺失的文件，无需修复。\n");
            }
            Ok(Exit::Success)
        }
    }
}

/// The reports of major records whose add was stopped part way (`record::add`).
fn complete_majors(
    root: &std::path::Path,
    context: &Context,
) -> Result<dashi::record::add::Completed, Box<dyn dashi::failure::Failure>> {
    let renderer = context.renderer(&[], None)?;
    Ok(dashi::record::add::complete_majors(
        root,
        &context.add_options(&renderer),
    )?)
}

/// Files the pending records (归档) first, saying what was done; what export and
/// `archive commit` share.
fn file_pending(
    root: &std::path::Path,
    message: Option<&str>,
    context: &Context,
) -> Result<Option<archive::version::Committed>, archive::ArchiveError> {
    let renderer = context.renderer(&[], None).ok();
    let (repaired, committed) = dashi::room::filing::file_pending(
        root,
        message,
        archive::inventory::created(context.now()),
        context.lock_wait,
        renderer.as_ref(),
    )?;
    if let Some(text) = dashi::output::log::repaired(&repaired) {
        say!("注：{text}\n");
    }
    if let Some(c) = &committed {
        say!(
            "已归档为版本 {}（存储 {} 个文件，{} 字节）\n",
            c.version,
            c.stored.len(),
            c.stored.iter().map(|(_, s)| s).sum::<u64>()
        );
        say!("{} 的版本清单摘要（SHA-512）：{}\n", c.version, c.digest);
    }
    // A major record whose add had stopped before its report gets it now.
    match complete_majors(root, context) {
        Ok(completed) => {
            if let Some(text) = dashi::output::log::completed(&completed) {
                say!("注：{text}\n");
            }
        }
        Err(e) => say!(
            "注：有重大记录缺少重大事项报告，这次没能补上（{e}）；运行 dashi archive repair {} 再试。\n",
            root.display()
        ),
    }
    Ok(committed)
}

fn commit(args: &ArchiveCommitArgs, context: &Context) -> Outcome {
    if file_pending(&args.archive, args.message.as_deref(), context)?.is_none() {
        say!("没有预归档的记录，无需归档。\n");
    }
    Ok(Exit::Success)
}

fn init(args: &ArchiveInitArgs, context: &Context) -> Outcome {
    let options = context.renderer_options(&[], None);
    let (made, bag) = archive::init::from_input(
        || dashi::typeset::Renderer::new(&options),
        &args.from,
        &args.archive,
        archive::inventory::created(context.now()),
    )?;
    say!(
        "已建立工作室档案 {}（{}，{} 个文件，{} 字节）\n",
        args.archive.display(),
        made.version,
        made.files,
        made.bytes
    );
    say!("档案标识：{}\n", made.id);
    if let Some(seal) = &bag.seal {
        say!("第一版是封存的申报材料，封存值：{seal}\n");
    }
    say!("版本清单摘要（SHA-512）：{}\n", made.digest);
    say!(
        "下一步：dashi record new 活动，写好后 dashi record add {} 活动.toml\n",
        args.archive.display()
    );
    Ok(Exit::Success)
}

fn log(args: &ArchiveLogArgs) -> Outcome {
    let opened = Archive::open(&args.archive)?;
    let entries = archive::log::log(&opened);
    if args.json {
        say!(
            "{}\n",
            serde_json::to_string_pretty(&entries).expect("a log serializes")
        );
    } else {
        say!("{}", dashi::output::log::log(&entries));
    }
    Ok(Exit::Success)
}

fn set(args: &ArchiveSetArgs, context: &Context) -> Outcome {
    use dashi::room::set::{self, Changes};
    let changes = Changes {
        file: args.file.clone(),
        fonds: args.fonds.clone(),
        fonds_name: args.fonds_name.clone(),
        category: args.category.clone(),
        unit: args.unit.clone(),
        operator: args.operator.clone(),
        retention: args.retention.clone(),
    };
    if changes.is_empty() {
        let opened = Archive::open(&args.archive)?;
        say!("{}", dashi::output::room::settings(&set::current(&opened)));
        return Ok(Exit::Success);
    }
    let done = set::set(
        &args.archive,
        &changes,
        archive::inventory::created(context.now()),
        context.lock_wait,
    )?;
    say!("{}", dashi::output::room::settings(&done.settings));
    if done.changed {
        say!(
            "已修改档案设置（预归档）：下次归档时生效。全宗号填入每一件（已有的件也改用它，备注中记下更改）；其余改动只影响以后编号的件，已编的件号不变。\n"
        );
    } else {
        say!("设置与原来相同，档案未改动。\n");
    }
    Ok(Exit::Success)
}

fn catalogue(args: &ArchiveCatalogueArgs, context: &Context) -> Outcome {
    // The catalogue lists what is filed: pending records are filed (numbered) first.
    file_pending(&args.archive, None, context)?;
    let opened = Archive::open(&args.archive)?;
    let volumes = dashi::room::catalogue::volumes(&opened, args.year);
    if volumes.is_empty() {
        return Err(Box::new(
            dashi::failure::Plain::new(match args.year {
                Some(y) => format!("档案中没有 {y} 年度的件"),
                None => "档案中还没有编号的件".into(),
            })
            .hint("用 dashi archive log 查看档案中的记录和年度"),
        ));
    }
    let renderer = context.renderer(&[], None)?;
    let maker =
        dashi::room::print::SheetMaker::new(&renderer, opened.application(), context.today());
    std::fs::create_dir_all(&args.output).map_err(|e| {
        dashi::failure::Plain::new(format!(
            "无法建立文件夹 {}：{}",
            args.output.display(),
            dashi::fsio::why(&e)
        ))
    })?;
    for volume in &volumes {
        let xlsx = dashi::room::catalogue::xlsx(volume, context.today())
            .map_err(|e| dashi::failure::Plain::new(format!("无法写出归档文件目录：{e}")))?;
        let mut written = vec![args.output.join(format!("{}.xlsx", volume.stem()))];
        dashi::fsio::write_atomic(&written[0], &xlsx).map_err(|e| {
            dashi::failure::Plain::new(format!(
                "无法写入 {}：{}",
                written[0].display(),
                dashi::fsio::why(&e)
            ))
        })?;
        if let Some(maker) = &maker {
            let pdf = maker.catalogue(volume)?;
            let path = args.output.join(format!("{}.pdf", volume.stem()));
            dashi::fsio::write_atomic(&path, &pdf).map_err(|e| {
                dashi::failure::Plain::new(format!(
                    "无法写入 {}：{}",
                    path.display(),
                    dashi::fsio::why(&e)
                ))
            })?;
            written.push(path);
        }
        say!(
            "归档文件目录 {}年 {}：{} 件，{} 页 → {}\n",
            volume.year,
            volume.retention.words(),
            volume.items.len(),
            volume.pages(),
            written
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join("、")
        );
    }
    say!("由档案版本 {} 的著录信息编制。\n", opened.inventory.head);
    Ok(Exit::Success)
}

fn transfer(args: &ArchiveExportArgs, context: &Context) -> Outcome {
    file_pending(&args.archive, None, context)?;
    let renderer = context.renderer(&[], None)?;
    let done = dashi::room::transfer::export(
        &args.archive,
        &args.output,
        &renderer,
        context.today(),
        context.now(),
        args.media,
    )?;
    say!("{}", dashi::output::room::four(&done.report));
    say!(
        "已写出移交包 {}：档案、{} 册归档文件目录、检测报告、说明和 SHA256SUMS\n",
        args.output.display(),
        done.volumes
    );
    let app = Archive::open(&args.archive)?.application();
    let (studio, unit) = app
        .clone()
        .map_or_else(Default::default, |a| (a.studio.name, a.unit.name));
    let rows = dashi::room::transfer::register_rows(&done, &studio, &unit, context.today());
    let csv = dashi::room::transfer::register_path(&args.output, "csv");
    let pdf = dashi::room::transfer::register_path(&args.output, "pdf");
    let paper = dashi::room::print::transfer_register(
        &renderer,
        app,
        &rows,
        &done.digest,
        &studio,
        context.today(),
    )?;
    let csv_text = dashi::room::transfer::register_csv(&rows);
    for (path, bytes) in [(&csv, csv_text.as_bytes()), (&pdf, &paper[..])] {
        dashi::fsio::write_atomic(path, bytes).map_err(|e| {
            dashi::failure::Plain::new(format!(
                "无法写入 {}：{}",
                path.display(),
                dashi::fsio::why(&e)
            ))
        })?;
    }
    say!(
        "移交包的数字摘要（SHA-256）：{}\n请打印移交与接收登记表 {}（另有可编辑的 {}），双方核对、签名；接收方用 dashi verify {} --四性 --环节 移交 --expect 这个摘要 核对\n",
        done.digest,
        pdf.display(),
        csv.display(),
        args.output.display()
    );
    if let Some(disc) = &done.disc {
        for w in &disc.warnings {
            say!("注意：{w}\n");
        }
    }
    Ok(super::exit_unless(!done.report.intact))
}

fn export(args: &ArchiveExportArgs, context: &Context) -> Outcome {
    if args.transfer {
        return transfer(args, context);
    }
    // A version already filed is exported as it is; the newest is filed first.
    let filed = Archive::open(&args.archive)?.inventory.head_number();
    if args.version.is_none_or(|v| v > filed) {
        file_pending(&args.archive, None, context)?;
    }
    let opened = Archive::open(&args.archive)?;
    let n = args
        .version
        .unwrap_or_else(|| opened.inventory.head_number());
    let bar = TerminalBar::new("导出");
    let done = archive::export::export(&opened, n, &args.output, &bar)?;
    say!(
        "已导出 {}（{} 个文件）：{}\n",
        done.version,
        done.files,
        args.output.display()
    );
    say!(
        "封存值（tagmanifest-sha256.txt 的 SHA-256）：{}\n",
        done.seal
    );
    Ok(Exit::Success)
}
