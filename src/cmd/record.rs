//! `dashi record new/add`: a sample record, or records checked and added to the
//! archive.

use dashi::failure::Exit;
use dashi::finding::Blocked;
use dashi::say;

use super::{Context, Outcome};
use crate::cli::{RecordAddArgs, RecordCommand, RecordNewArgs, RecordWithdrawArgs};

pub fn run(command: RecordCommand, context: &Context) -> Outcome {
    match command {
        RecordCommand::New(args) => new(&args, context),
        RecordCommand::Add(args) => add(&args, context),
        RecordCommand::Withdraw(args) => withdraw(&args, context),
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
    let options = context.add_options(&renderer);
    let added = dashi::record::add::add(&args.archive, &args.records, &options)?;
    if let Some(text) = dashi::output::log::repaired(&added.repaired) {
        say!("注：{text}\n");
    }
    if let Some(text) = dashi::output::log::completed(&added.completed) {
        say!("注：{text}\n");
    }
    if added.warnings.iter().any(|(_, f)| !f.is_empty()) {
        say!(
            "{}",
            dashi::output::findings::render_all(
                &dashi::finding::by_file(&added.warnings),
                context.color,
                Blocked::Archive
            )
        );
    }
    if let Some(c) = &added.filed_first {
        say!(
            "这次的记录属于更晚的季度，先把此前预归档的记录归档为版本 {}\n",
            c.version
        );
        say!("{} 的版本清单摘要（SHA-512）：{}\n", c.version, c.digest);
    }
    let r = &added.revised;
    say!(
        "已加入 {} 条记录（预归档，{} 的修订 {}）：存储 {} 个文件（{} 字节）\n",
        added.records.len(),
        r.version,
        r.revision,
        r.stored.len(),
        r.stored.iter().map(|(_, s)| s).sum::<u64>()
    );
    for path in &r.referenced {
        say!("  {path}：与档案中已有文件相同，只作引用，不再存储\n");
    }
    if let Some((filed, reports, paths)) = &added.reports {
        say!(
            "重大事项需要报告：记录已归档为版本 {}，报告中印有它的版本清单摘要\n",
            filed.version
        );
        say!(
            "{} 的版本清单摘要（SHA-512）：{}\n",
            filed.version,
            filed.digest
        );
        say!(
            "重大事项报告已生成并预归档（{} 的修订 {}）：\n",
            reports.version,
            reports.revision
        );
        for path in paths {
            say!("  {path}\n");
        }
    }
    if let Some(quarter) = added.pending_quarter {
        say!(
            "预归档的记录已安全存盘。加入{}或更晚的记录、出具报告、导出档案之前会自动归档；也可随时运行 dashi archive commit {} 归档\n",
            quarter.next(),
            args.archive.display()
        );
    }
    Ok(Exit::Success)
}

fn withdraw(args: &RecordWithdrawArgs, context: &Context) -> Outcome {
    let taken = dashi::record::withdraw::withdraw(
        &args.archive,
        &args.ids,
        context.now(),
        context.lock_wait,
    )?;
    if let Some(text) = dashi::output::log::repaired(&taken.repaired) {
        say!("注：{text}\n");
    }
    say!("已撤回 {} 条预归档的记录：\n", taken.records.len());
    for r in &taken.records {
        say!("  {} {}《{}》\n", r.kind, r.id, r.title);
    }
    match &taken.withdrawn.revision {
        Some(revision) => say!(
            "记作 {} 的修订 {}；还有 {} 条预归档的记录待归档\n",
            taken.withdrawn.version,
            revision,
            taken.still_pending
        ),
        None => say!("档案中已没有预归档的记录，档案回到最新的已归档版本\n"),
    }
    Ok(Exit::Success)
}
