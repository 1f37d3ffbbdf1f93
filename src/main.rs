//! The `dashi` binary: parses arguments, dispatches each subcommand to the library,
//! prints `错误：`/`提示：` lines and returns the documented exit code.
//!
//! Exit codes: 0 success (no 错误), 1 the data has 错误 (or a check failed),
//! 2 the input could not be read or parsed, or the command could not be carried out.
//! Each library error says which of these it is and what to do (`dashi::failure`).

mod cli;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;

use cli::{
    ArchiveCommand, BuildArgs, CheckArgs, Cli, ColorChoice, Command, DiscArgs, InitArgs,
    IntakeArgs, IntakeCommand, RecordCommand, ReportArgs, SealArgs, ServeArgs, VerifyArgs,
};
use dashi::data::dates::Date;
use dashi::diag::{self, Color};
use dashi::failure::{Exit, Failure, Plain};
use dashi::packet::{self, BuildOptions, Renderer, batch};

/// Writes to standard output. A reader that has gone away (`dashi schema | head -1`)
/// ends the program quietly with success, as ripgrep and typst do.
macro_rules! say {
    ($($arg:tt)*) => { emit(format_args!($($arg)*)) };
}

fn emit(args: std::fmt::Arguments<'_>) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_fmt(args).and_then(|()| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("错误：无法输出：{e}");
        std::process::exit(2);
    }
}

/// What every command may need besides its own arguments.
struct Context {
    color: Color,
    /// The fixed time of outputs (`SOURCE_DATE_EPOCH`, Unix seconds), read once here.
    source_epoch: Option<i64>,
    /// Its day.
    source_date: Option<Date>,
}

impl Context {
    /// Today, or the fixed source date when one is given.
    fn today(&self) -> Date {
        self.source_date.unwrap_or_else(Date::today)
    }

    /// Now in Unix seconds, or the fixed source time.
    fn now(&self) -> i64 {
        self.source_epoch.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        })
    }
}

type Outcome = Result<Exit, Box<dyn Failure>>;

fn main() -> ExitCode {
    // Double-clicked in Explorer: the web form of the folder dashi.exe is in opens in the
    // browser; if it cannot start, what dashi does is shown and the window stays open.
    if std::env::args_os().len() == 1 && dashi::console::own_window() {
        say!("dashi 正在启动网页表单；关闭这个窗口即结束。\n");
        let args = ServeArgs {
            target: ".".into(),
            port: 0,
            no_open: false,
            font_paths: Vec::new(),
        };
        let context = Context {
            color: Color::Never,
            source_epoch: None,
            source_date: None,
        };
        if let Err(failure) = serve(args, &context) {
            report(failure.as_ref(), Color::Never);
            let _ = <Cli as clap::CommandFactory>::command().print_help();
            dashi::console::wait_for_key();
        }
        return ExitCode::SUCCESS;
    }
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
    let context = Context {
        color,
        source_epoch: cli.source_date_epoch,
        source_date: cli.source_date_epoch.and_then(Date::from_unix),
    };
    let outcome = match cli.command {
        Command::Init(args) => init(&args),
        Command::Check(args) => check(&args, &context),
        Command::Build(args) => build(&args, &context),
        Command::Seal(args) => seal(&args, &context),
        Command::Verify(args) => verify(&args),
        Command::Disc(args) => disc(&args, &context),
        Command::Archive(command) => archive(command, &context),
        Command::Report(args) => evaluation_report(&args, &context),
        Command::Record(command) => record(command, &context),
        Command::Intake(args) => intake(args, &context),
        Command::Serve(args) => serve(args, &context),
        Command::Schema(args) => {
            match args.which {
                None => say!("{}", dashi::data::schema::schema_text()),
                Some(cli::SchemaWhich::Record) => say!("{}", dashi::record::format().text()),
                Some(cli::SchemaWhich::Indicators) => {
                    say!("{}", dashi::report::inputs::indicators_format().text())
                }
                Some(cli::SchemaWhich::Evaluation) => {
                    say!("{}", dashi::report::inputs::evaluation_format().text())
                }
            }
            Ok(Exit::Success)
        }
    };
    let exit = outcome.unwrap_or_else(|failure| report(failure.as_ref(), color));
    ExitCode::from(exit.code())
}

/// Prints a failure: its findings or report, then `错误：` and `提示：` lines.
fn report(failure: &dyn Failure, color: Color) -> Exit {
    if let Some(details) = failure.details(color) {
        say!("{details}");
    }
    if !failure.details_suffice() {
        eprintln!("错误：{failure}");
        if let Some(hint) = failure.hint() {
            eprintln!("提示：{hint}");
        }
    }
    failure.exit()
}

fn init(args: &InitArgs) -> Outcome {
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

fn check(args: &CheckArgs, context: &Context) -> Outcome {
    let options = BuildOptions {
        font_paths: args.font_paths.clone(),
        ..BuildOptions::default()
    };
    let renderer = Renderer::new(&options)?;
    let report = packet::check(&renderer, &args.file)?;
    say!(
        "{}",
        diag::render(&report.doc, &report.findings, context.color)
    );
    Ok(if report.has_errors() {
        Exit::Findings
    } else {
        Exit::Success
    })
}

fn build(args: &BuildArgs, context: &Context) -> Outcome {
    let options = BuildOptions {
        templates: args.templates.clone(),
        font_paths: args.font_paths.clone(),
        source_date: context.source_date,
    };
    let renderer = Renderer::new(&options)?;
    if args.inputs.len() == 1 && !args.inputs[0].is_dir() {
        build_one(args, &renderer, context)
    } else {
        build_batch(args, &renderer, context)
    }
}

fn build_one(args: &BuildArgs, renderer: &Renderer, context: &Context) -> Outcome {
    let built = packet::build_with(renderer, &args.inputs[0], &args.output)?;
    if !built.warnings.is_empty() {
        say!(
            "{}",
            diag::render(&built.doc, &built.warnings, context.color)
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
        report_disc(&disc, &iso);
    }
    Ok(Exit::Success)
}

fn build_batch(args: &BuildArgs, renderer: &Renderer, context: &Context) -> Outcome {
    let inputs =
        batch::inputs(&args.inputs).map_err(|e| Plain::new(format!("无法读取输入：{e}")))?;
    if inputs.is_empty() {
        return Err(Box::new(
            Plain::new("没有找到数据文件（.toml 或 .json）")
                .hint("给出数据文件，或含有数据文件的文件夹"),
        ));
    }
    let threads = args.jobs.unwrap_or_else(dashi::parallel::cores);
    let bar = dashi::progress::counter_bar(inputs.len());
    let outcomes = batch::build_many(renderer, &inputs, &args.output, threads, &|outcome| {
        if let Some(bar) = &bar {
            bar.set_message(outcome.input.display().to_string());
            bar.inc(1);
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    say!(
        "{}",
        batch::summary(&outcomes, context.color == Color::Always)
    );
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
    Ok(if discs_ok && outcomes.iter().all(|o| o.result.is_ok()) {
        Exit::Success
    } else {
        Exit::Findings
    })
}

fn seal(args: &SealArgs, context: &Context) -> Outcome {
    if !args.dir.is_dir() {
        return Err(Box::new(
            Plain::new(format!("{} 不是文件夹", args.dir.display()))
                .hint("dashi seal 封存一个文件夹；生成申报材料时 dashi build 会自动封存"),
        ));
    }
    if packet::rezip::is_bag(&args.dir) {
        return rezip(args, context);
    }
    let bar = dashi::progress::TerminalBar::new("封存");
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

/// `dashi seal` of a folder that is already a bag: zipped as it is, after verifying.
fn rezip(args: &SealArgs, context: &Context) -> Outcome {
    let (checking, writing) = (
        dashi::progress::TerminalBar::new("校验"),
        dashi::progress::TerminalBar::new("封装"),
    );
    let done = packet::rezip::rezip(
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

fn disc(args: &DiscArgs, context: &Context) -> Outcome {
    let options = BuildOptions {
        source_date: context.source_date,
        ..BuildOptions::default()
    };
    let renderer = || Renderer::new(&options);
    let disc = packet::disc_input::disc_from(
        renderer,
        &args.input,
        &args.output,
        args.media,
        context.today(),
    )?;
    report_disc(&disc, &args.output);
    Ok(Exit::Success)
}

fn report_disc(disc: &dashi::disc::Disc, path: &Path) {
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

fn verify(args: &VerifyArgs) -> Outcome {
    if let Some(Err(why)) = args.expect.as_deref().map(dashi::verify::expected_digest) {
        return Err(Box::new(Plain::new(why).hint(
            "照承诺书上印的电子材料摘要（或封存值）输入，可以带空格分组，整个摘要用引号括起来",
        )));
    }
    let bar = dashi::progress::TerminalBar::new("校验");
    let report = dashi::verify::verify_any(&args.path, args.expect.as_deref(), &bar)?;
    if args.json {
        say!(
            "{}\n",
            serde_json::to_string_pretty(&report).expect("a report serializes")
        );
    } else {
        say!("{}", report.render());
    }
    Ok(if report.intact() {
        Exit::Success
    } else {
        Exit::Findings
    })
}

fn archive(command: ArchiveCommand, context: &Context) -> Outcome {
    use dashi::archive::{self, Archive};
    match command {
        ArchiveCommand::Init(args) => {
            let options = BuildOptions {
                source_date: context.source_date,
                ..BuildOptions::default()
            };
            let (made, bag) = archive::init::from_input(
                || Renderer::new(&options),
                &args.from,
                &args.archive,
                archive::inventory::created(context.now()),
            )?;
            say!(
                "已建立工作室档案 {}（{}，{} 个文件，{} 字节）\n",
                args.archive.display(),
                made.version,
                made.files,
                made.bytes
            );
            say!("档案标识：{}\n", made.id);
            if let Some(seal) = &bag.seal {
                say!("第一版是封存的申报材料，封存值：{seal}\n");
            }
            say!("版本清单摘要（SHA-512）：{}\n", made.digest);
            say!(
                "下一步：dashi record new 活动，写好后 dashi record add {} 活动.toml\n",
                args.archive.display()
            );
            Ok(Exit::Success)
        }
        ArchiveCommand::Log(args) => {
            let opened = Archive::open(&args.archive)?;
            let entries = archive::log::log(&opened);
            if args.json {
                say!(
                    "{}\n",
                    serde_json::to_string_pretty(&entries).expect("a log serializes")
                );
            } else {
                say!("{}", archive::log::render(&entries));
            }
            Ok(Exit::Success)
        }
        ArchiveCommand::Export(args) => {
            let opened = Archive::open(&args.archive)?;
            let n = args
                .version
                .unwrap_or_else(|| opened.inventory.head_number());
            let bar = dashi::progress::TerminalBar::new("导出");
            let done = archive::export::export(&opened, n, &args.output, &bar)?;
            say!(
                "已导出 {}（{} 个文件）：{}\n",
                done.version,
                done.files,
                args.output.display()
            );
            say!(
                "封存值（tagmanifest-sha256.txt 的 SHA-256）：{}\n",
                done.seal
            );
            Ok(Exit::Success)
        }
        ArchiveCommand::Repair(args) => {
            if !args.archive.join("inventory.json").is_file() {
                return Err(archive::ArchiveError::NotAnArchive(args.archive.clone()).into());
            }
            let _lock = archive::lock::Lock::acquire(&args.archive, archive::lock::WAIT)?;
            match archive::version::repair(&args.archive)? {
                archive::version::Repaired::Nothing => say!("档案没有中断的添加，无需修复。\n"),
                archive::version::Repaired::Finished(v) => {
                    say!("已完成中断的添加：{v} 已完整写入，现为最新版本。\n")
                }
                archive::version::Repaired::RolledBack(v) => {
                    say!("已回滚中断的添加：{v} 未写完，已撤销，档案保持原来的版本。\n")
                }
            }
            Ok(Exit::Success)
        }
    }
}

fn record(command: RecordCommand, context: &Context) -> Outcome {
    match command {
        RecordCommand::New(args) => {
            let Some(kind) = dashi::record::model::RecordKind::from_label(&args.kind) else {
                return Err(Box::new(
                    Plain::new(format!("没有“{}”这个记录类别", args.kind))
                        .hint("类别为：带徒、带徒进展、活动、成果、制度、成员、荣誉、经费"),
                ));
            };
            let dest = args
                .output
                .clone()
                .unwrap_or_else(|| format!("{}.toml", kind.label()).into());
            let written = dashi::record::sample::write(kind, &dest, context.today(), args.force)?;
            say!("已写入样例记录（{} 个文件）：\n", written.len());
            for file in &written {
                say!("  {}\n", file.display());
            }
            say!(
                "改好后运行：dashi record add 档案文件夹 {}\n",
                dest.display()
            );
            Ok(Exit::Success)
        }
        RecordCommand::Add(args) => {
            let renderer = Renderer::new(&BuildOptions {
                font_paths: args.font_paths.clone(),
                source_date: context.source_date,
                ..BuildOptions::default()
            })?;
            let options = dashi::record::add::AddOptions {
                today: context.today(),
                now: context.now(),
                user: None,
                renderer: &renderer,
            };
            let added = dashi::record::add::add(&args.archive, &args.records, &options)?;
            match &added.repaired {
                dashi::archive::version::Repaired::Nothing => {}
                dashi::archive::version::Repaired::Finished(v) => {
                    say!("注：上一次中断的添加 {v} 已完整写入，先予完成。\n")
                }
                dashi::archive::version::Repaired::RolledBack(v) => {
                    say!("注：上一次中断的添加 {v} 未写完，已回滚。\n")
                }
            }
            if added.warnings.iter().any(|(_, f)| !f.is_empty()) {
                say!(
                    "{}",
                    diag::render_all(&added.warnings, context.color, diag::Blocked::Archive)
                );
            }
            let c = &added.committed;
            say!(
                "已加入 {} 条记录，档案版本 {}：存储 {} 个文件（{} 字节）\n",
                added.records.len(),
                c.version,
                c.stored.len(),
                c.stored.iter().map(|(_, s)| s).sum::<u64>()
            );
            for path in &c.referenced {
                say!("  {path}：与档案中已有文件相同，只作引用，不再存储\n");
            }
            say!("{} 的版本清单摘要（SHA-512）：{}\n", c.version, c.digest);
            if let Some((reports, paths)) = &added.reports {
                say!(
                    "重大事项报告已生成并存入档案版本 {}（报告中印有 {} 的版本清单摘要）：\n",
                    reports.version,
                    c.version
                );
                for path in paths {
                    say!("  {path}\n");
                }
                say!(
                    "{} 的版本清单摘要（SHA-512）：{}\n",
                    reports.version,
                    reports.digest
                );
            }
            Ok(Exit::Success)
        }
    }
}

fn evaluation_report(args: &ReportArgs, context: &Context) -> Outcome {
    use dashi::data::dates::YearMonth;
    use dashi::report::Kind;
    if let Some(dir) = &args.samples {
        let written = dashi::report::samples::write(dir)?;
        say!("已写入（{} 个文件）：\n", written.len());
        for file in &written {
            say!("  {}\n", file.display());
        }
        say!(
            "自评文件改好后运行：dashi report 档案文件夹 --from 起始年月 --to 截止年月 --evaluation {}\n\
             考核指标：市人社局有自己的指标时按同样格式改写，用 --indicators {} 指定\n",
            dir.join(dashi::report::samples::EVALUATION).display(),
            dir.join(dashi::report::samples::INDICATORS).display()
        );
        return Ok(Exit::Success);
    }
    let (Some(archive), Some(to)) = (&args.archive, &args.to) else {
        return Err(Box::new(
            Plain::new("没有给出档案文件夹和截止月份")
                .hint("如：dashi report 档案文件夹 --from 2027-01 --to 2028-12"),
        ));
    };
    let month = |text: &str| {
        YearMonth::parse(text.trim()).ok_or_else(|| {
            Box::new(
                Plain::new(format!("“{text}”不是年月"))
                    .hint("按“年-月”写，如 --from 2027-01 --to 2028-12"),
            ) as Box<dyn Failure>
        })
    };
    let kind = match args.kind.trim() {
        "考核" => Kind::Evaluation,
        "验收" => Kind::Acceptance,
        other => {
            return Err(Box::new(
                Plain::new(format!("没有“{other}”这种报告")).hint("--kind 考核 或 --kind 验收"),
            ));
        }
    };
    let from = args.from.as_deref().map(month).transpose()?;
    let to = month(to)?;
    if kind == Kind::Evaluation && from.is_none() {
        return Err(Box::new(
            Plain::new("考核报告须给出起始月份").hint("加上 --from 2027-01（考核期的第一个月）"),
        ));
    }
    let renderer = Renderer::new(&BuildOptions {
        font_paths: args.font_paths.clone(),
        source_date: context.source_date,
        ..BuildOptions::default()
    })?;
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| dashi::report::render::doc(kind).file_name().into());
    let options = dashi::report::command::Options {
        archive: archive.clone(),
        kind,
        from,
        to,
        output,
        indicators: args.indicators.clone(),
        evaluation: args.evaluation.clone(),
        check_only: args.check,
        record: args.record,
        today: context.today(),
        now: context.now(),
        renderer: &renderer,
    };
    let done = dashi::report::command::run(&options)?;
    let findings = dashi::report::command::render_findings(&done.findings, context.color);
    if args.json {
        if !findings.is_empty() {
            eprint!("{findings}");
        }
        say!(
            "{}\n",
            serde_json::to_string_pretty(&done.evaluation).expect("a report serializes")
        );
    } else {
        if !findings.is_empty() {
            say!("{findings}\n");
        }
        let e = &done.evaluation;
        say!(
            "{}（{}），依据档案版本 {}：新带徒 {} 名，其中高级工以上 {} 人；制度 {} 项；成果 {} 项，经济效益 {}；活动 {} 次；照片 {} 张\n",
            e.title,
            e.period_text,
            e.version,
            e.trained_total,
            e.advanced_total,
            e.rules.len(),
            e.innovations.len(),
            e.benefit_total,
            e.activities.len(),
            e.photos.len()
        );
        if let Some(path) = &done.written {
            say!("已生成：{}\n", path.display());
        }
        say!(
            "所依据版本 {} 的版本清单摘要（SHA-512，已印在报告末页）：{}\n",
            e.version,
            e.digest
        );
        if let Some(c) = &done.recorded {
            say!(
                "报告已加入档案，版本 {}（版本清单摘要 {}）\n",
                c.version,
                c.digest
            );
        }
    }
    Ok(Exit::Success)
}

fn intake(args: IntakeArgs, context: &Context) -> Outcome {
    let date = |text: &str, option: &str| {
        Date::parse(text.trim()).ok_or_else(|| {
            Box::new(
                Plain::new(format!("{option} 的“{text}”不是日期"))
                    .hint(format!("按“年-月-日”写，如 {option} 2027-03-15")),
            ) as Box<dyn Failure>
        })
    };
    if let Some(IntakeCommand::Publish(p)) = args.command {
        let renderer = Renderer::new(&BuildOptions {
            font_paths: p.font_paths.clone(),
            source_date: context.source_date,
            ..BuildOptions::default()
        })?;
        let published = dashi::intake::publish::run(&dashi::intake::publish::Options {
            dir: p.dir,
            decisions: p.decisions,
            from: date(&p.from, "--from")?,
            holidays: p.holidays,
            renderer: &renderer,
        })?;
        say!("{}", dashi::intake::summary::published(&published));
        return Ok(Exit::Success);
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
    let received = match &args.received {
        Some(text) => date(text, "--received")?,
        None => context.today(),
    };
    let renderer = Renderer::new(&BuildOptions {
        font_paths: args.font_paths.clone(),
        source_date: context.source_date,
        ..BuildOptions::default()
    })?;
    let done = dashi::intake::run(&dashi::intake::Options {
        inputs: args.inputs,
        out: out.clone(),
        received,
        digests: args.digests,
        full_id: args.full_id,
        renderer: &renderer,
    })?;
    say!("{}", dashi::intake::summary::intake(&done, &out));
    Ok(Exit::Success)
}

fn serve(args: ServeArgs, context: &Context) -> Outcome {
    let renderer = Renderer::new(&BuildOptions {
        font_paths: args.font_paths.clone(),
        source_date: context.source_date,
        ..BuildOptions::default()
    })?;
    let target = args.target.clone();
    dashi::serve::run(
        dashi::serve::Options {
            target: args.target,
            port: args.port,
            open: !args.no_open,
            renderer,
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
