//! `dashi init`, `dashi check` and `dashi schema` as a user runs them.

use crate::util::{Project, dashi};

#[test]
fn sample_passes_with_no_errors() {
    let p = Project::sample();
    let run = p.check();
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("0 个错误"), "{}", run.stdout);
    assert!(run.codes().is_empty(), "{}", run.stdout);
}

#[test]
fn init_writes_the_committed_sample() {
    let p = Project::sample();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    for entry in walk(&root) {
        let rel = entry.strip_prefix(&root).unwrap();
        let written = std::fs::read(p.dir().join(rel)).unwrap_or_else(|_| panic!("{rel:?}"));
        assert!(written == std::fs::read(&entry).unwrap(), "{rel:?} differs");
    }
    let schema = dashi(p.dir(), &["schema"]);
    assert_eq!(schema.code, 0);
    assert!(
        schema.stdout == std::fs::read_to_string(root.join("studio.schema.json")).unwrap(),
        "samples/studio.schema.json is stale: run `dashi schema > samples/studio.schema.json`"
    );
    assert!(p.data().starts_with("#:schema ./studio.schema.json\n"));
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn init_never_overwrites_without_force() {
    let p = Project::sample();
    p.replace("format_version = 1", "format_version = 1 # mine");
    let run = dashi(p.dir(), &["init", "."]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("已存在"), "{}", run.stderr);
    assert!(p.data().contains("# mine"));
    assert_eq!(dashi(p.dir(), &["init", "--force", "."]).code, 0);
    assert!(!p.data().contains("# mine"));
}

#[test]
fn flipped_id_check_digit_is_located_and_explained() {
    let p = Project::sample();
    p.replace("\"15010519780512031X\"", "\"150105197805120311\"");
    let run = p.check();
    assert_eq!(run.code, 1);
    let line = p
        .data()
        .lines()
        .position(|l| l.contains("150105197805120311"))
        .unwrap()
        + 1;
    assert!(
        run.stdout.contains(&format!("studio.toml:{line}:13")),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("身份证号"));
    assert!(run.stdout.contains("最后一位应为 X"), "{}", run.stdout);
    insta::assert_snapshot!("id_check_digit", run.stdout);
}

#[test]
fn json_data_is_read_and_located_too() {
    let p = Project::sample();
    let value: serde_json::Value = toml::from_str(&p.data()).unwrap();
    let mut text = serde_json::to_string_pretty(&value).unwrap();
    std::fs::write(p.path("studio.json"), &text).unwrap();
    let run = dashi(p.dir(), &["check", "studio.json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);

    text = text.replace("\"汉族\"", "\"汉\"");
    std::fs::write(p.path("studio.json"), &text).unwrap();
    let run = dashi(p.dir(), &["check", "studio.json"]);
    assert_eq!(run.code, 1);
    let line = text.lines().position(|l| l.contains("\"汉\"")).unwrap() + 1;
    assert!(
        run.stdout.contains(&format!("studio.json:{line}:")),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("汉族"));
}

#[test]
fn findings_are_all_reported_at_once() {
    let p = Project::sample();
    p.replace("ethnicity = \"汉族\"", "ethnicity = \"汉\"")
        .replace("postal_code = \"010070\"", "postal_code = \"0100\"")
        .replace("exchanges_per_year = 4", "exchanges_per_year = 0");
    let run = p.check();
    assert_eq!(run.code, 1);
    let codes = run.codes();
    for code in ["R171", "R164", "R194"] {
        assert!(codes.contains(&code.to_string()), "{codes:?}");
    }
    assert!(run.stdout.contains("2 个错误，1 个警告"), "{}", run.stdout);
}

#[test]
fn warnings_alone_pass() {
    let p = Project::sample();
    p.replace("exchanges_per_year = 4", "exchanges_per_year = 0");
    let run = p.check();
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("警告[R194]"));
    assert!(run.stdout.contains("0 个错误，1 个警告"));
}

#[test]
fn help_is_chinese() {
    let run = dashi(std::path::Path::new("."), &["--help"]);
    assert_eq!(run.code, 0);
    for word in ["检查", "样例", "用法"] {
        assert!(run.stdout.contains(word), "{}", run.stdout);
    }
}
