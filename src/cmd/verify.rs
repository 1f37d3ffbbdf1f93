//! `dashi verify`: a bag (folder, zip, disc image, mounted disc) or an OCFL object,
//! every file re-hashed; the report for people or as JSON.

use dashi::failure::Plain;
use dashi::output::progress::TerminalBar;
use dashi::say;

use super::{Context, Outcome, exit_unless};
use crate::cli::VerifyArgs;

pub fn run(args: &VerifyArgs, context: &Context) -> Outcome {
    if let Some(Err(why)) = args.expect.as_deref().map(dashi::verify::expected_digest) {
        return Err(Box::new(Plain::new(why).hint(
            "照承诺书上印的电子材料摘要（或封存值）输入，可以带空格分组，整个摘要用引号括起来",
        )));
    }
    if args.four {
        return four(args, context);
    }
    let bar = TerminalBar::new("校验");
    let report = dashi::verify::verify_any(&args.path, args.expect.as_deref(), &bar)?;
    if args.json {
        say!(
            "{}\n",
            serde_json::to_string_pretty(&report).expect("a report serializes")
        );
    } else {
        say!("{}", dashi::verify::text::verified(&report));
    }
    Ok(exit_unless(!report.intact()))
}

/// `--四性`: the 四性检测 item by item, and its report when asked for.
fn four(args: &VerifyArgs, context: &Context) -> Outcome {
    let bar = TerminalBar::new("检测");
    let expect = args
        .expect
        .as_deref()
        .and_then(|e| dashi::verify::expected_digest(e).ok());
    let report = dashi::room::four::check(
        &args.path,
        args.stage,
        context.now(),
        expect.as_deref(),
        &bar,
    )?;
    if args.json {
        say!(
            "{}\n",
            serde_json::to_string_pretty(&report).expect("a report serializes")
        );
    } else {
        say!("{}", dashi::output::room::four(&report));
    }
    if let Some(output) = &args.output {
        let renderer = context.renderer(&[], None)?;
        let app = dashi::archive::Archive::open(&args.path)
            .ok()
            .and_then(|a| a.application())
            .or_else(|| {
                dashi::archive::Archive::open(
                    &args.path.join(dashi::room::four::package::ARCHIVE_DIR),
                )
                .ok()
                .and_then(|a| a.application())
            });
        let pdf = dashi::room::print::four_report(&renderer, app, &report, context.today())?;
        dashi::fsio::write_atomic(output, &pdf).map_err(|e| {
            Plain::new(format!(
                "无法写入 {}：{}",
                output.display(),
                dashi::fsio::why(&e)
            ))
        })?;
        if !args.json {
            say!("检测报告：{}\n", output.display());
        }
    }
    Ok(exit_unless(!report.intact))
}
