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

#[test]
fn four_typical_slips_are_reported_in_one_run() {
    let p = Project::sample();
    p.replace("occupation = \"焊工\"", "职业 = \"焊工\"")
        .replace(
            "filled_on = \"2026-11-20\"",
            "filled_on = \"2026年11月20日\"",
        )
        .replace("area = 320", "area = \"320平方米\"")
        .replace("ethnicity = \"汉族\"", "ethnicity = \"汉\"");
    let run = p.check();
    assert_eq!(run.code, 1, "{}", run.stdout);
    let mut codes = run.codes();
    codes.sort();
    assert_eq!(codes, ["D002", "D004", "D004", "R171"], "{}", run.stdout);
    // The Chinese key names the English one to write.
    assert!(
        run.stdout.contains("“职业”应写作 occupation"),
        "{}",
        run.stdout
    );
    // Each number or date written with its unit says what to write instead.
    assert!(
        run.stdout.contains("filled_on = \"2026-11-20\""),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("area = 320"), "{}", run.stdout);
    assert!(run.stdout.contains("单位“平方米”不用写"), "{}", run.stdout);
    assert!(run.stdout.contains("汉族"), "{}", run.stdout);
    // Rules that rest on a value that could not be read stay silent: the area is not
    // reported as 0, the filing date not as 2000-01-01.
    assert!(!run.stdout.contains("[R125]"), "{}", run.stdout);
    assert!(!run.stdout.contains("[R181]"), "{}", run.stdout);
}

#[test]
fn a_misspelt_required_key_is_one_finding_not_two() {
    let p = Project::sample();
    p.replace("area = 320", "aera = 320");
    let run = p.check();
    assert_eq!(run.codes(), ["D002"], "{}", run.stdout);
    assert!(run.stdout.contains("“area”"), "{}", run.stdout);
}

#[test]
fn wrong_values_everywhere_are_all_reported_and_nothing_panics() {
    let p = Project::sample();
    p.replace("area = 320", "area = true")
        .replace("sex = \"男\"", "sex = \"男性\"")
        .replace("apprentices_per_year = 4", "apprentices_per_year = -4")
        .replace("format_version = 1", "format_version = 1\n$schema = 3");
    let run = p.check();
    run.assert_no_panic();
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.codes().iter().filter(|c| *c == "D004").count() >= 3,
        "{}",
        run.stdout
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let p = Project::sample();
    assert_eq!(
        dashi(p.dir(), &["build", "studio.toml", "-o", "out"]).code,
        0
    );
    let zip = format!("verify out/{}.zip --json | head -c1", crate::util::BAG);
    for args in [
        "schema | true",
        "schema | head -c1",
        "check studio.toml | head -c1",
        zip.as_str(),
    ] {
        let (cmd, rest) = args.split_once(" | ").unwrap();
        let script = format!(
            "set -o pipefail; {:?} {cmd} | {rest} >/dev/null",
            env!("CARGO_BIN_EXE_dashi")
        );
        let out = std::process::Command::new("bash")
            .args(["-c", &script])
            .current_dir(p.dir())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args}: {stderr}");
    }
}

#[test]
fn a_rare_character_is_found_by_check_and_printed_from_a_font_that_has_it() {
    let p = Project::sample();
    // The scans keep their file names (王建军-…), confirmed as meant.
    p.write_data(&crate::renamed::renamed(&p.data(), "王建军", "王喆"));
    let run = p.check();
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.codes().contains(&"R201".to_string()), "{}", run.stdout);
    assert!(run.stdout.contains("--font-path"), "{}", run.stdout);
    // The way out the hint describes: a folder with a font that has 喆.
    let noto = std::path::Path::new("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc");
    assert!(noto.exists(), "tests/run installs fonts-noto-cjk");
    std::fs::create_dir(p.path("fonts")).unwrap();
    std::os::unix::fs::symlink(noto, p.path("fonts/NotoSerifCJK-Regular.ttc")).unwrap();
    let run = dashi(p.dir(), &["check", "studio.toml", "--font-path", "fonts"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.codes(), ["R203"], "{}", run.stdout);
    assert!(run.stdout.contains("Noto Serif CJK SC"), "{}", run.stdout);
    let run = dashi(
        p.dir(),
        &["build", "studio.toml", "-o", "out", "--font-path", "fonts"],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    for doc in &crate::render::DOCS[1..5] {
        let text = crate::render::text_of(&p, &format!("out/{doc}"));
        assert!(text.contains("喆"), "{doc} lacks 喆");
    }
    let pitch = crate::render::tool(
        "python3",
        &[
            &format!("{}/tests/pdfcheck.py", env!("CARGO_MANIFEST_DIR")),
            "pitch",
            "out/02-建设项目申报表.pdf",
        ],
        p.dir(),
    );
    assert!(pitch.contains("100.0%"), "{pitch}");
}
