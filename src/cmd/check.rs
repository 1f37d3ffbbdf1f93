//! `dashi check`: every rule and the glyph check, printed as findings.

use dashi::say;

use super::{Context, Outcome, exit_unless};
use crate::cli::CheckArgs;

pub fn run(args: &CheckArgs, context: &Context) -> Outcome {
    let renderer = context.renderer(&args.font_paths, None)?;
    let report = dashi::check::check_file(&args.file, &renderer, context.today())?;
    say!(
        "{}",
        dashi::output::findings::render(&report.doc, &report.findings, context.color)
    );
    Ok(exit_unless(report.has_errors()))
}
