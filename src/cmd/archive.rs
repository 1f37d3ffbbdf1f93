//! `dashi archive init/log/export/repair`: the studio's OCFL archive.

use dashi::archive::{self, Archive};
use dashi::failure::Exit;
use dashi::output::progress::TerminalBar;
use dashi::say;

use super::{Context, Outcome};
use crate::cli::{
    ArchiveCommand, ArchiveCommitArgs, ArchiveExportArgs, ArchiveInitArgs, ArchiveLogArgs,
};

pub fn run(command: ArchiveCommand, context: &Context) -> Outcome {
    match command {
        ArchiveCommand::Init(args) => init(&args, context),
        ArchiveCommand::Log(args) => log(&args),
        ArchiveCommand::Export(args) => export(&args, context),
        ArchiveCommand::Commit(args) => commit(&args, context),
        ArchiveCommand::Repair(args) => {
            let repaired = archive::version::repair_archive(&args.archive, context.lock_wait)?;
            match dashi::output::log::repaired(&repaired) {
                Some(text) => say!("{text}\n"),
                None => say!("档案没有中断的添加或归档，无需修复。\n"),
            }
            Ok(Exit::Success)
        }
    }
}

/// Files the pending records (归档) first, saying what was done; what export and
/// `archive commit` share.
fn file_pending(
    root: &std::path::Path,
    message: Option<&str>,
    context: &Context,
) -> Result<Option<archive::version::Committed>, archive::ArchiveError> {
    let renderer = context.renderer(&[], None).ok();
    let (repaired, committed) = archive::room::filing::file_pending(
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
            "已归档：预归档的记录存为版本 {}（存储 {} 个文件，{} 字节）\n",
            c.version,
            c.stored.len(),
            c.stored.iter().map(|(_, s)| s).sum::<u64>()
        );
        say!("{} 的版本清单摘要（SHA-512）：{}\n", c.version, c.digest);
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

fn export(args: &ArchiveExportArgs, context: &Context) -> Outcome {
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
