//! The `dashi` binary: parses arguments, dispatches each subcommand to the library,
//! prints `错误：`/`提示：` lines and returns the documented exit code.
//!
//! Exit codes: 0 success (no 错误), 1 the data has 错误 (or a check failed),
//! 2 the input could not be read or parsed, or the command could not be carried out.

mod cli;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use cli::{BuildArgs, CheckArgs, Cli, ColorChoice, Command, InitArgs};
use dashi::build::BuildError;
use dashi::check;
use dashi::data::load::LoadError;
use dashi::diag::{self, Color};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return cli::report_usage_error(e),
    };
    let color = match cli.color {
        ColorChoice::Always => Color::Always,
        ColorChoice::Never => Color::Never,
        ColorChoice::Auto
            if std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() =>
        {
            Color::Always
        }
        ColorChoice::Auto => Color::Never,
    };
    match cli.command {
        Command::Init(args) => init(&args),
        Command::Check(args) => check(&args, color),
        Command::Build(args) => build(&args, color),
        Command::Schema => {
            print!("{}", dashi::data::schema::schema_text());
            ExitCode::SUCCESS
        }
    }
}

fn init(args: &InitArgs) -> ExitCode {
    match dashi::init::init(&args.dir, args.force) {
        Ok(files) => {
            println!(
                "已在 {} 写入样例项目（{} 个文件）。",
                args.dir.display(),
                files.len()
            );
            println!(
                "下一步：dashi check {}",
                args.dir.join(dashi::init::DATA_FILE).display()
            );
            ExitCode::SUCCESS
        }
        Err(e @ dashi::init::InitError::Exists(_)) => {
            fail(&e.to_string(), Some("换一个文件夹，或加 --force 覆盖"))
        }
        Err(e) => fail(&e.to_string(), None),
    }
}

fn check(args: &CheckArgs, color: Color) -> ExitCode {
    match check::check_file(&args.file) {
        Ok(report) => {
            print!("{}", diag::render(&report.doc, &report.findings, color));
            let _ = std::io::stdout().flush();
            if report.has_errors() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => load_failed(e, color),
    }
}

/// Reports a data file that could not be read or understood: findings with their
/// lines (exit 1 for wrong values, 2 for broken syntax), or a plain error (exit 2).
fn load_failed(e: LoadError, color: Color) -> ExitCode {
    match e {
        LoadError::Syntax { doc, findings } => {
            print!("{}", diag::render(&doc, &findings, color));
            ExitCode::from(2)
        }
        LoadError::Invalid { doc, findings } => {
            print!("{}", diag::render(&doc, &findings, color));
            ExitCode::from(1)
        }
        e => fail(
            &e.to_string(),
            Some("确认路径正确，且文件是用 dashi init 生成的 UTF-8 文本格式"),
        ),
    }
}

fn build(args: &BuildArgs, color: Color) -> ExitCode {
    let options = dashi::build::BuildOptions {
        templates: args.templates.clone(),
        font_paths: args.font_paths.clone(),
    };
    match dashi::build::build(&args.file, &args.output, &options) {
        Ok(built) => {
            if !built.warnings.is_empty() {
                print!("{}", diag::render(&built.doc, &built.warnings, color));
            }
            println!("已生成 {} 个文件：", built.files.len());
            for file in &built.files {
                println!("  {}", file.display());
            }
            ExitCode::SUCCESS
        }
        Err(BuildError::Load(e)) => load_failed(e, color),
        Err(BuildError::Findings { doc, findings }) => {
            print!("{}", diag::render(&doc, &findings, color));
            ExitCode::from(1)
        }
        Err(e @ BuildError::Template(_)) => fail(
            &e.to_string(),
            Some("检查 --templates 文件夹中的模板；删去有问题的模板即恢复使用内置模板"),
        ),
        Err(e) => fail(&e.to_string(), None),
    }
}

/// Prints an error (and a hint) to stderr; exit code 2.
fn fail(message: &str, hint: Option<&str>) -> ExitCode {
    eprintln!("错误：{message}");
    if let Some(hint) = hint {
        eprintln!("提示：{hint}");
    }
    ExitCode::from(2)
}
