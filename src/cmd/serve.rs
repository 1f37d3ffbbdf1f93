//! `dashi serve`: the local web form; also what a double-clicked dashi.exe opens.

use dashi::failure::Exit;
use dashi::say;

use super::{Context, Outcome};
use crate::cli::ServeArgs;

pub fn run(args: ServeArgs, context: &Context) -> Outcome {
    let renderer = context.renderer(&args.font_paths, None)?;
    let target = args.target.clone();
    dashi::serve::run(
        dashi::serve::Options {
            target: args.target,
            port: args.port,
            open: !args.no_open,
            renderer,
            request_timeout: std::time::Duration::from_secs(args.request_timeout.max(1)),
        },
        |url| {
            say!(
                "正在编辑 {}\n请在浏览器中打开（只在本机可用，按 Ctrl+C 结束）：\n{url}\n",
                dashi::serve::data_file(&target).display()
            );
        },
    )?;
    Ok(Exit::Success)
}
