//! `dashi archive init/log/export/repair`: the studio's OCFL archive.

use dashi::archive::version::Repaired;
use dashi::archive::{self, Archive};
use dashi::failure::Exit;
use dashi::output::progress::TerminalBar;
use dashi::say;

use super::{Context, Outcome};
use crate::cli::{ArchiveCommand, ArchiveExportArgs, ArchiveInitArgs, ArchiveLogArgs};

pub fn run(command: ArchiveCommand, context: &Context) -> Outcome {
    match command {
        ArchiveCommand::Init(args) => init(&args, context),
        ArchiveCommand::Log(args) => log(&args),
        ArchiveCommand::Export(args) => export(&args),
        ArchiveCommand::Repair(args) => {
            match archive::version::repair_archive(&args.archive, context.lock_wait)? {
                Repaired::Nothing => say!("档案没有中断的添加，无需修复。\n"),
                Repaired::Finished(v) => {
                    say!("已完成中断的添加：{v} 已完整写入，现为最新版本。\n")
                }
                Repaired::RolledBack(v) => {
                    say!("已回滚中断的添加：{v} 未写完，已撤销，档案保持原来的版本。\n")
                }
            }
            Ok(Exit::Success)
        }
    }
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

fn export(args: &ArchiveExportArgs) -> Outcome {
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
