//! `dashi seal`: a folder sealed as a BagIt zip, or a folder that is already a bag
//! zipped as it is after verifying.

use dashi::failure::{Exit, Plain};
use dashi::output::progress::TerminalBar;
use dashi::say;

use super::{Context, Outcome};
use crate::cli::SealArgs;

pub fn run(args: &SealArgs, context: &Context) -> Outcome {
    if !args.dir.is_dir() {
        return Err(Box::new(
            Plain::new(format!("{} 不是文件夹", args.dir.display()))
                .hint("dashi seal 封存一个文件夹；生成申报材料时 dashi build 会自动封存"),
        ));
    }
    if dashi::packet::rezip::is_bag(&args.dir) {
        return rezip(args, context);
    }
    let bar = TerminalBar::new("封存");
    let bag = dashi::seal::folder::seal_folder(&args.dir, &args.output, context.today(), &bar)?;
    say!(
        "已封存 {} 个文件：{}\n",
        bag.manifest.len(),
        args.output.display()
    );
    say!(
        "封存值（tagmanifest-sha256.txt 的 SHA-256）：{}\n",
        bag.seal
    );
    Ok(Exit::Success)
}

/// A folder that is already a bag: zipped as it is, after verifying.
fn rezip(args: &SealArgs, context: &Context) -> Outcome {
    let (checking, writing) = (TerminalBar::new("校验"), TerminalBar::new("封装"));
    let done = dashi::packet::rezip::rezip(
        &args.dir,
        &args.output,
        context.today(),
        &checking,
        &writing,
    )?;
    say!(
        "{} 已是 BagIt 包，校验完好，已原样封装 {} 个文件：{}\n",
        args.dir.display(),
        done.files,
        args.output.display()
    );
    say!("封存值（未变）：{}\n", done.seal);
    Ok(Exit::Success)
}
