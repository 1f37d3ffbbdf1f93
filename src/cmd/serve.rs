//! `dashi serve`: the local web form; also what a double-clicked dashi.exe opens.

use dashi::failure::Exit;
use dashi::say;
use dashi::serve::Started;

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
        |started| {
            let file = dashi::serve::data_file(&target);
            match started {
                Started::Serving(url) => say!(
                    "正在编辑 {}\n请在浏览器中打开（只在本机可用，按 Ctrl+C 结束）：\n{url}\n",
                    file.display()
                ),
                Started::Moved { url, old } => say!(
                    "正在编辑 {}\n上次用的端口 {old} 已被其他程序占用，这次换了新地址。\
                     停在旧地址上的网页连不回来，它没有保存的修改也不会出现在新地址上：\
                     请在新地址打开，对照旧网页补上那些修改后再关掉旧网页。\n\
                     请在浏览器中打开（只在本机可用，按 Ctrl+C 结束）：\n{url}\n",
                    file.display()
                ),
                Started::AlreadyServing(url) => say!(
                    "{} 的 dashi serve 已经在运行，不再启动第二个。\n请在浏览器中打开：\n{url}\n",
                    file.display()
                ),
            }
        },
    )?;
    Ok(Exit::Success)
}
