//! The README stays true: every rule code is in its table with its article, and the
//! test command it gives is the one `.ci/run` runs.

use std::path::Path;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

#[test]
fn readme_lists_every_rule_code() {
    let readme = read("README.md");
    for code in dashi::finding::Code::ALL {
        let row = format!(
            "| {} | {} | {} | {} |",
            code.id(),
            code.severity().label(),
            code.article(),
            code.what()
        );
        assert!(readme.contains(&row), "README lacks the row:\n{row}");
    }
}

#[test]
fn ci_runs_the_readme_test_command() {
    let readme = read("README.md");
    let ci = read(".ci/run");
    let command = readme
        .lines()
        .find(|l| l.contains("tests/run"))
        .expect("README names the test command")
        .trim();
    assert!(ci.contains(command), "`.ci/run` must run `{command}`");
}
