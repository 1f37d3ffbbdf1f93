//! `dashi verify`: a bag (folder, zip, disc image, mounted disc) or an OCFL object,
//! every file re-hashed; the report for people or as JSON.

use dashi::failure::Plain;
use dashi::output::progress::TerminalBar;
use dashi::say;

use super::{Outcome, exit_unless};
use crate::cli::VerifyArgs;

pub fn run(args: &VerifyArgs) -> Outcome {
    if let Some(Err(why)) = args.expect.as_deref().map(dashi::verify::expected_digest) {
        return Err(Box::new(Plain::new(why).hint(
            "照承诺书上印的电子材料摘要（或封存值）输入，可以带空格分组，整个摘要用引号括起来",
        )));
    }
    let bar = TerminalBar::new("校验");
    let report = dashi::verify::verify_any(&args.path, args.expect.as_deref(), &bar)?;
    if args.json {
        say!(
            "{}\n",
            serde_json::to_string_pretty(&report).expect("a report serializes")
        );
    } else {
        say!("{}", dashi::output::verify::verified(&report));
    }
    Ok(exit_unless(!report.intact()))
}
