//! The `dashi` binary: parses arguments, dispatches each subcommand to the library,
//! prints `错误：`/`提示：` lines and returns the documented exit code.
//!
//! Exit codes: 0 success (no 错误), 1 the data has 错误 (or a check failed),
//! 2 the input could not be read or parsed, or the command could not be carried out.

mod cli;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use cli::{
    BuildArgs, CheckArgs, Cli, ColorChoice, Command, DiscArgs, InitArgs, SealArgs, VerifyArgs,
};
use dashi::check;
use dashi::data::load::LoadError;
use dashi::diag::{self, Color};
use dashi::packet::{self, BuildError, BuildOptions, Renderer, batch};

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
        Command::Seal(args) => seal(&args),
        Command::Verify(args) => verify(&args),
        Command::Disc(args) => disc(&args),
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
    let options = BuildOptions {
        templates: args.templates.clone(),
        font_paths: args.font_paths.clone(),
    };
    let single = args.inputs.len() == 1 && !args.inputs[0].is_dir();
    let renderer = match Renderer::new(&options) {
        Ok(renderer) => renderer,
        Err(e) => return build_failed(e, color),
    };
    if single {
        return match packet::build_with(&renderer, &args.inputs[0], &args.output) {
            Ok(built) => {
                if !built.warnings.is_empty() {
                    print!("{}", diag::render(&built.doc, &built.warnings, color));
                }
                println!("已生成 {} 个文件：", built.files.len());
                for file in &built.files {
                    println!("  {}", file.display());
                }
                println!("电子材料摘要（SHA-256，已印在承诺书上）：{}", built.digest);
                println!(
                    "封存值（tagmanifest-sha256.txt 的 SHA-256）：{}",
                    built.seal
                );
                if args.disc {
                    match packet::disc_input::disc_for(&built, args.media) {
                        Ok((iso, disc)) => report_disc(&disc, &iso),
                        Err(e) => return fail(&e.to_string(), None),
                    }
                }
                for volume in built.volumes.iter().filter(|v| !v.pdfa) {
                    println!(
                        "注：{} 含 PDF 格式的扫描件，PDF/A 不允许嵌入 PDF，已按普通 PDF 输出。",
                        volume.file
                    );
                }
                ExitCode::SUCCESS
            }
            Err(e) => build_failed(e, color),
        };
    }
    let inputs = match batch::inputs(&args.inputs) {
        Ok(inputs) if !inputs.is_empty() => inputs,
        Ok(_) => return fail("没有找到数据文件（.toml 或 .json）", None),
        Err(e) => return fail(&format!("无法读取输入：{e}"), None),
    };
    let threads = args.jobs.unwrap_or_else(dashi::parallel::cores);
    let bar = dashi::progress::counter_bar(inputs.len());
    let outcomes = batch::build_many(&renderer, &inputs, &args.output, threads, &|outcome| {
        if let Some(bar) = &bar {
            bar.set_message(outcome.input.display().to_string());
            bar.inc(1);
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    print!("{}", batch::summary(&outcomes, color == Color::Always));
    let mut discs_ok = true;
    if args.disc {
        for built in outcomes.iter().filter_map(|o| o.result.as_ref().ok()) {
            match packet::disc_input::disc_for(built, args.media) {
                Ok((iso, disc)) => report_disc(&disc, &iso),
                Err(e) => {
                    eprintln!("错误：{}：{e}", built.studio);
                    discs_ok = false;
                }
            }
        }
    }
    if discs_ok && outcomes.iter().all(|o| o.result.is_ok()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn seal(args: &SealArgs) -> ExitCode {
    if !args.dir.is_dir() {
        return fail(
            &format!("{} 不是文件夹", args.dir.display()),
            Some("dashi seal 封存一个文件夹；生成申报材料时 dashi build 会自动封存"),
        );
    }
    if packet::rezip::is_bag(&args.dir) {
        return rezip(args);
    }
    let date = dashi::data::dates::Date::today_or_epoch();
    let bar = dashi::progress::TerminalBar::new("封存");
    match dashi::seal::folder::seal_folder(&args.dir, &args.output, date, &bar) {
        Ok(bag) => {
            let files = bag.manifest.len();
            println!("已封存 {} 个文件：{}", files, args.output.display());
            println!("封存值（tagmanifest-sha256.txt 的 SHA-256）：{}", bag.seal);
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_string(), None),
    }
}

/// `dashi seal` of a folder that is already a bag: zipped as it is, after verifying.
fn rezip(args: &SealArgs) -> ExitCode {
    let (checking, writing) = (
        dashi::progress::TerminalBar::new("校验"),
        dashi::progress::TerminalBar::new("封装"),
    );
    match packet::rezip::rezip(&args.dir, &args.output, &checking, &writing) {
        Ok(done) => {
            println!(
                "{} 已是 BagIt 包，校验完好，已原样封装 {} 个文件：{}",
                args.dir.display(),
                done.files,
                args.output.display()
            );
            println!("封存值（未变）：{}", done.seal);
            ExitCode::SUCCESS
        }
        Err(packet::rezip::RezipError::Broken(report)) => {
            print!("{}", dashi::verify::render(&report));
            eprintln!(
                "错误：{} 是 BagIt 包，但没有通过校验，不能原样封装",
                args.dir.display()
            );
            eprintln!(
                "提示：找回完好的原件；若要把这个文件夹整体作为新包的内容，把它放进另一个文件夹后封存那个文件夹"
            );
            ExitCode::from(1)
        }
        Err(e) => fail(&e.to_string(), None),
    }
}

fn disc(args: &DiscArgs) -> ExitCode {
    let renderer = || Renderer::new(&BuildOptions::default());
    match packet::disc_input::disc_from(renderer, &args.input, &args.output, args.media) {
        Ok(disc) => {
            report_disc(&disc, &args.output);
            ExitCode::SUCCESS
        }
        Err(packet::disc_input::DiscInputError::Build(e)) => build_failed(e, Color::Never),
        Err(packet::disc_input::DiscInputError::Broken(report)) => {
            print!("{}", dashi::verify::render(&report));
            eprintln!("错误：{} 没有通过校验，不能制作光盘", args.input.display());
            eprintln!("提示：用完好的压缩包或包文件夹制作光盘，或用数据文件重新生成");
            ExitCode::from(1)
        }
        Err(e) => fail(&e.to_string(), None),
    }
}

fn report_disc(disc: &dashi::disc::Disc, path: &std::path::Path) {
    for warning in &disc.warnings {
        println!("警告：{warning}");
    }
    println!(
        "已生成光盘映像 {}（{} 个文件，{} 字节）",
        path.display(),
        disc.files,
        disc.size
    );
}

fn verify(args: &VerifyArgs) -> ExitCode {
    if let Some(Err(why)) = args.expect.as_deref().map(dashi::verify::expected_digest) {
        return fail(
            &why,
            Some(
                "照承诺书上印的电子材料摘要（或封存值）输入，可以带空格分组，整个摘要用引号括起来",
            ),
        );
    }
    let bar = dashi::progress::TerminalBar::new("校验");
    match dashi::verify::verify(&args.path, args.expect.as_deref(), &bar) {
        Ok(report) => {
            if args.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report).expect("a report serializes")
                );
            } else {
                print!("{}", dashi::verify::render(&report));
            }
            if report.intact {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e @ dashi::verify::source::SourceError::UnsafeEntry { .. }) => {
            // A bag that tries to escape or shadow its own files is an integrity failure.
            eprintln!("错误：{e}");
            eprintln!("提示：此包被改动过或不是 dashi 生成的，不要使用其中的文件");
            ExitCode::from(1)
        }
        Err(e) => fail(&e.to_string(), Some("给出解压后的包文件夹或 .zip 压缩包")),
    }
}

/// Reports why a single build stopped.
fn build_failed(e: BuildError, color: Color) -> ExitCode {
    match e {
        BuildError::Load(e) => load_failed(e, color),
        BuildError::Findings { doc, findings } => {
            print!("{}", diag::render(&doc, &findings, color));
            ExitCode::from(1)
        }
        e @ BuildError::Template(_) => fail(
            &e.to_string(),
            Some("检查 --templates 文件夹中的模板；删去有问题的模板即恢复使用内置模板"),
        ),
        e => fail(&e.to_string(), None),
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
