//! The `dashi` binary: parses arguments, dispatches each subcommand to its module in
//! `cmd/`, prints a failure through `dashi::output` and returns the documented exit
//! code.
//!
//! Exit codes: 0 success (no 错误), 1 the data has 错误 (or a check failed),
//! 2 the input could not be read or parsed, or the command could not be carried out.
//! Each library error says which of these it is and what to do (`dashi::failure`).

mod cli;
mod cmd;

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

use cli::{Cli, ColorChoice, Command, ServeArgs};
use cmd::Context;
use dashi::data::dates::Date;
use dashi::output::Color;

fn main() -> ExitCode {
    // Double-clicked in Explorer: the web form of the folder dashi.exe is in opens in the
    // browser; if it cannot start, what dashi does is shown and the window stays open.
    if std::env::args_os().len() == 1 && dashi::console::own_window() {
        return double_clicked();
    }
    // A defect of dashi's: said in words. One met by an item of a batch is that item's
    // error (`dashi::failure::caught`) and said with it.
    std::panic::set_hook(Box::new(|info| {
        if !dashi::failure::is_caught() {
            eprintln!(
                "dashi 内部错误（这是 dashi 自身的缺陷，请把以下信息和所用的文件发给维护者）：{info}"
            );
        }
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return cli::report_usage_error(e),
    };
    let color = match cli.color {
        ColorChoice::Always => Color::Always,
        ColorChoice::Never => Color::Never,
        ColorChoice::Auto if dashi::console::shows_colours() => Color::Always,
        ColorChoice::Auto => Color::Never,
    };
    // One pool for all work: nested parallel steps share its threads. A worker waiting
    // inside one packet's parallel step may take up another whole packet of a batch on
    // its own stack, so the stacks are larger than rayon's 2 MiB (only the pages used
    // are memory).
    let mut pool = rayon::ThreadPoolBuilder::new().stack_size(32 << 20);
    if let Some(jobs) = cli.jobs {
        pool = pool.num_threads(usize::from(jobs));
    }
    let _ = pool.build_global();
    let context = Context {
        color,
        source_epoch: cli.source_date_epoch,
        source_date: cli.source_date_epoch.and_then(Date::china_day),
        lock_wait: cli
            .lock_wait
            .map_or(dashi::archive::lock::WAIT, Duration::from_millis),
    };
    let outcome = match cli.command {
        Command::Init(args) => cmd::init::run(&args),
        Command::Check(args) => cmd::check::run(&args, &context),
        Command::Build(args) => cmd::build::run(&args, &context),
        Command::Seal(args) => cmd::seal::run(&args, &context),
        Command::Verify(args) => cmd::verify::run(&args, &context),
        Command::Disc(args) => cmd::disc::run(&args, &context),
        Command::Archive(command) => cmd::archive::run(command, &context),
        Command::Report(args) => cmd::report::run(&args, &context),
        Command::Record(command) => cmd::record::run(command, &context),
        Command::Intake(args) => cmd::intake::run(args, &context),
        Command::Change(args) => cmd::change::run(&args, &context),
        Command::Ledger(command) => cmd::ledger::run(command, &context),
        Command::Serve(args) => cmd::serve::run(args, &context),
        Command::Roster(args) => cmd::roster::run(&args),
        Command::Schema(args) => cmd::schema::run(&args),
    };
    let exit = outcome.unwrap_or_else(|failure| dashi::output::failure(failure.as_ref(), color));
    ExitCode::from(exit.code())
}

/// dashi.exe started from Explorer: the web form of its own folder.
fn double_clicked() -> ExitCode {
    dashi::say!("dashi 正在启动网页表单；关闭这个窗口即结束。\n");
    let args = ServeArgs {
        target: ".".into(),
        port: 0,
        no_open: false,
        font_paths: Vec::new(),
        request_timeout: 30,
    };
    let context = Context {
        color: Color::Never,
        source_epoch: None,
        source_date: None,
        lock_wait: dashi::archive::lock::WAIT,
    };
    if let Err(failure) = cmd::serve::run(args, &context) {
        dashi::output::failure(failure.as_ref(), Color::Never);
        let _ = <Cli as clap::CommandFactory>::command().print_help();
        dashi::output::wait_for_key();
    }
    ExitCode::SUCCESS
}
