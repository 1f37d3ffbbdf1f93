//! `dashi init`: the sample project.

use dashi::failure::Exit;
use dashi::say;

use super::Outcome;
use crate::cli::InitArgs;

pub fn run(args: &InitArgs) -> Outcome {
    let files = dashi::init::init(&args.dir, args.force)?;
    say!(
        "已在 {} 写入样例项目（{} 个文件）。\n",
        args.dir.display(),
        files.len()
    );
    say!(
        "下一步：dashi check {}\n",
        args.dir.join(dashi::init::DATA_FILE).display()
    );
    Ok(Exit::Success)
}
