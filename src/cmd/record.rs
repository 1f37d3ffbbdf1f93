//! `dashi record new/add`: a sample record, or records checked and added to the
//! archive.

use dashi::archive::version::Repaired;
use dashi::failure::Exit;
use dashi::finding::Blocked;
use dashi::say;

use super::{Context, Outcome};
use crate::cli::{RecordAddArgs, RecordCommand, RecordNewArgs};

pub fn run(command: RecordCommand, context: &Context) -> Outcome {
    match command {
        RecordCommand::New(args) => new(&args, context),
        RecordCommand::Add(args) => add(&args, context),
    }
}

fn new(args: &RecordNewArgs, context: &Context) -> Outcome {
    let kind = args.kind;
    let dest = args
        .output
        .clone()
        .unwrap_or_else(|| format!("{}.toml", kind.label()).into());
    let written = dashi::record::sample::write(kind, &dest, context.today(), args.force)?;
    say!("已写入样例记录（{} 个文件）：\n", written.len());
    for file in &written {
        say!("  {}\n", file.display());
    }
    say!(
        "改好后运行：dashi record add 档案文件夹 {}\n",
        dest.display()
    );
    Ok(Exit::Success)
}

fn add(args: &RecordAddArgs, context: &Context) -> Outcome {
    let renderer = context.renderer(&args.font_paths, None)?;
    let options = dashi::record::add::AddOptions {
        today: context.today(),
        now: context.now(),
        user: None,
        renderer: &renderer,
        lock_wait: context.lock_wait,
    };
    let added = dashi::record::add::add(&args.archive, &args.records, &options)?;
    match &added.repaired {
        Repaired::Nothing => {}
        Repaired::Finished(v) => say!("注：上一次中断的添加 {v} 已完整写入，先予完成。\n"),
        Repaired::RolledBack(v) => say!("注：上一次中断的添加 {v} 未写完，已回滚。\n"),
    }
    if added.warnings.iter().any(|(_, f)| !f.is_empty()) {
        say!(
            "{}",
            dashi::output::findings::render_all(&added.warnings, context.color, Blocked::Archive)
        );
    }
    let c = &added.committed;
    say!(
        "已加入 {} 条记录，档案版本 {}：存储 {} 个文件（{} 字节）\n",
        added.records.len(),
        c.version,
        c.stored.len(),
        c.stored.iter().map(|(_, s)| s).sum::<u64>()
    );
    for path in &c.referenced {
        say!("  {path}：与档案中已有文件相同，只作引用，不再存储\n");
    }
    say!("{} 的版本清单摘要（SHA-512）：{}\n", c.version, c.digest);
    if let Some((reports, paths)) = &added.reports {
        say!(
            "重大事项报告已生成并存入档案版本 {}（报告中印有 {} 的版本清单摘要）：\n",
            reports.version,
            c.version
        );
        for path in paths {
            say!("  {path}\n");
        }
        say!(
            "{} 的版本清单摘要（SHA-512）：{}\n",
            reports.version,
            reports.digest
        );
    }
    Ok(Exit::Success)
}
