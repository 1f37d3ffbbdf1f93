//! `dashi disc`: the submission disc image from a sealed zip, a bag folder or a data
//! file.

use std::path::Path;

use dashi::failure::Exit;
use dashi::say;

use super::{Context, Outcome};
use crate::cli::DiscArgs;

pub fn run(args: &DiscArgs, context: &Context) -> Outcome {
    let options = context.renderer_options(&[], None);
    let disc = dashi::packet::disc_input::disc_from(
        || dashi::typeset::Renderer::new(&options),
        &args.input,
        &args.output,
        args.media,
        context.today(),
    )?;
    report(&disc, &args.output);
    Ok(Exit::Success)
}

/// The disc's warnings and what was written.
pub fn report(disc: &dashi::disc::Disc, path: &Path) {
    for warning in &disc.warnings {
        say!("警告：{warning}\n");
    }
    say!(
        "已生成光盘映像 {}（{} 个文件，{} 字节）\n",
        path.display(),
        disc.files,
        disc.size
    );
}
