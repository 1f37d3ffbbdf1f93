//! What a user reads, checked whole: the output of `dashi build`, of `dashi check` with
//! several findings, and of `dashi verify` on a tampered bag (also `--json`), as snapshots (exit code,
//! stdout, stderr), so that any change of wording or order shows as a diff.

use crate::util::{BAG, Project, Run, dashi};

/// The whole of a run, as a user sees it.
fn transcript(run: &Run) -> String {
    format!(
        "退出码：{}\n--- stdout\n{}--- stderr\n{}",
        run.code, run.stdout, run.stderr
    )
}

#[test]
fn build_says_what_it_wrote() {
    let p = Project::sample();
    let run = dashi(p.dir(), &["build", "studio.toml", "-o", "out"]);
    insta::assert_snapshot!("build", transcript(&run));
}

#[test]
fn check_lists_every_finding_at_once() {
    let p = Project::sample();
    p.replace("high_skill = 112.0", "high_skill = 12.0")
        .replace("mobile = \"13904710826\"", "mobile = \"1390471082\"")
        .replace("postal_code = \"010070\"", "postal_code = \"01007\"");
    let run = dashi(p.dir(), &["check", "studio.toml"]);
    insta::assert_snapshot!("check", transcript(&run));
}

#[test]
fn verify_names_every_problem() {
    let p = Project::sample();
    let bag = p.unzipped_bag();
    let pdf = bag.join("data/申报材料/03-建设项目申报书.pdf");
    let mut bytes = std::fs::read(&pdf).unwrap();
    bytes[1000] ^= 0x20;
    std::fs::write(&pdf, bytes).unwrap();
    std::fs::remove_file(bag.join("data/佐证材料/02-身份证-王建军.jpg")).unwrap();
    std::fs::write(bag.join("data/申报材料/新增.txt"), "x").unwrap();
    let run = dashi(p.dir(), &["verify", BAG]);
    insta::assert_snapshot!("verify", transcript(&run));
    // The machine report says the same.
    let run = dashi(p.dir(), &["verify", BAG, "--json"]);
    insta::assert_snapshot!("verify_json", transcript(&run));
}
