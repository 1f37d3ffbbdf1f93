//! `dashi intake` (第九条): many submissions verified, re-checked and cross-checked;
//! `dashi intake publish`: the 公示 list.

use dashi::failure::{Exit, Plain};
use dashi::output::progress::ItemBar;
use dashi::say;

use super::{Context, Outcome};
use crate::cli::{IntakeArgs, IntakeCommand, PublishArgs};

pub fn run(args: IntakeArgs, context: &Context) -> Outcome {
    if let Some(IntakeCommand::Publish(p)) = args.command {
        return publish(p, context);
    }
    let Some(out) = args.output else {
        return Err(Box::new(
            Plain::new("没有给出输出文件夹")
                .hint("加上 -o 输出文件夹，如 dashi intake 收件 -o 受理2027"),
        ));
    };
    if args.inputs.is_empty() {
        return Err(Box::new(
            Plain::new("没有给出要受理的申报")
                .hint("给出压缩包、光盘映像、包文件夹，或存放它们的文件夹"),
        ));
    }
    let renderer = context.renderer(&args.font_paths, None)?;
    let done = dashi::intake::run(&dashi::intake::Options {
        inputs: args.inputs,
        out: out.clone(),
        received: args.received.unwrap_or_else(|| context.today()),
        digests: args.digests,
        full_id: args.full_id,
        renderer: &renderer,
        progress: &ItemBar::default(),
    })?;
    say!("{}", dashi::output::intake::intake(&done, &out));
    Ok(Exit::Success)
}

fn publish(p: PublishArgs, context: &Context) -> Outcome {
    let renderer = context.renderer(&p.font_paths, None)?;
    let published = dashi::intake::publish::run(&dashi::intake::publish::Options {
        dir: p.dir,
        decisions: p.decisions,
        from: p.from,
        holidays: p.holidays,
        renderer: &renderer,
    })?;
    say!("{}", dashi::output::intake::published(&published));
    Ok(Exit::Success)
}
