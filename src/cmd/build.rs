//! `dashi build`: one data file into its packet, or many (a folder, several files) each
//! into its own folder with a summary table; optionally the disc image too.

use dashi::failure::{Exit, Plain};
use dashi::output::progress::ItemBar;
use dashi::packet::{self, Renderer, batch};
use dashi::say;

use super::{Context, Outcome, exit_unless};
use crate::cli::BuildArgs;

pub fn run(args: &BuildArgs, context: &Context) -> Outcome {
    let renderer = context.renderer(&args.font_paths, args.templates.clone())?;
    if args.inputs.len() == 1 && !args.inputs[0].is_dir() {
        one(args, &renderer, context)
    } else {
        many(args, &renderer, context)
    }
}

fn one(args: &BuildArgs, renderer: &Renderer, context: &Context) -> Outcome {
    let built = packet::build_with(renderer, &args.inputs[0], &args.output)?;
    if !built.warnings.is_empty() {
        say!(
            "{}",
            dashi::output::findings::render(&built.doc, &built.warnings, context.color)
        );
    }
    say!("已生成 {} 个文件：\n", built.files.len());
    for file in &built.files {
        say!("  {}\n", file.display());
    }
    say!(
        "电子材料摘要（SHA-256，已印在承诺书上）：{}\n",
        built.digest
    );
    say!(
        "封存值（tagmanifest-sha256.txt 的 SHA-256）：{}\n",
        built.seal
    );
    if args.disc {
        let (iso, disc) = packet::disc_input::disc_for(&built, args.media)?;
        super::disc::report(&disc, &iso);
    }
    Ok(Exit::Success)
}

fn many(args: &BuildArgs, renderer: &Renderer, context: &Context) -> Outcome {
    let inputs = batch::inputs(&args.inputs).map_err(|e| {
        Plain::new(e.to_string())
            .hint("确认文件夹存在并且可以读取；给出数据文件或含有数据文件的文件夹")
    })?;
    if inputs.is_empty() {
        return Err(Box::new(
            Plain::new("没有找到数据文件（.toml 或 .json）")
                .hint("给出数据文件，或含有数据文件的文件夹"),
        ));
    }
    let outcomes = batch::build_many(renderer, &inputs, &args.output, &ItemBar::default());
    say!("{}", dashi::output::batch::batch(&outcomes, context.color));
    let mut discs_ok = true;
    if args.disc {
        for built in outcomes.iter().filter_map(|o| o.result.as_ref().ok()) {
            match packet::disc_input::disc_for(built, args.media) {
                Ok((iso, disc)) => super::disc::report(&disc, &iso),
                Err(e) => {
                    dashi::output::error(&format!("{}：{e}", built.studio), None);
                    discs_ok = false;
                }
            }
        }
    }
    Ok(exit_unless(
        !discs_ok || outcomes.iter().any(|o| o.result.is_err()),
    ))
}
