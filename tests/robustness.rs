//! Whatever the input, `dashi check` answers with a finding or an error and exit 1 or
//! 2 — never a panic (exit 101).

use crate::util::{Project, dashi};

#[test]
fn truncated_data_files_never_panic() {
    let p = Project::sample();
    let text = p.data();
    let bytes = text.as_bytes();
    let mut cut = 1;
    while cut < bytes.len() {
        std::fs::write(p.path("cut.toml"), &bytes[..cut]).unwrap();
        let run = dashi(p.dir(), &["check", "cut.toml"]);
        run.assert_no_panic();
        // A cut inside the closing comments still leaves a whole, valid file.
        assert!(matches!(run.code, 0..=2), "cut at {cut}: {run:?}");
        let last_value = "张伟-高级工证书.jpg\"";
        if cut < text.find(last_value).unwrap() + last_value.len() {
            assert_ne!(run.code, 0, "cut at {cut} passed: {run:?}");
        }
        cut += 97;
    }
}

#[test]
fn random_bytes_never_panic() {
    let p = Project::sample();
    let mut state = 0x2545F4914F6CDD1Du64;
    for len in [1usize, 7, 100, 4096] {
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        std::fs::write(p.path("noise.toml"), &bytes).unwrap();
        std::fs::write(p.path("noise.json"), &bytes).unwrap();
        for file in ["noise.toml", "noise.json"] {
            let run = dashi(p.dir(), &["check", file]);
            run.assert_no_panic();
            assert_eq!(run.code, 2, "{run:?}");
        }
    }
}

#[test]
fn wrong_types_everywhere_never_panic() {
    let p = Project::sample();
    let original = p.data();
    let lines: Vec<&str> = original.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some((key, _)) = line.split_once(" = ") else {
            continue;
        };
        if key.starts_with('#') || key.contains(' ') {
            continue;
        }
        for value in ["[1, 2]", "{ a = 1 }", "-5", "\"\"", "true"] {
            let mut changed: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            changed[i] = format!("{key} = {value}");
            p.write_data(&changed.join("\n"));
            let run = p.check();
            assert!(matches!(run.code, 0..=2), "{run:?}");
        }
    }
}

#[test]
fn unreadable_paths_exit_2() {
    let p = Project::sample();
    let run = dashi(p.dir(), &["check", "nothere.toml"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("无法读取"), "{}", run.stderr);
    let run = dashi(p.dir(), &["check", "evidence"]);
    run.assert_no_panic();
    assert_eq!(run.code, 2);
}

#[test]
fn byte_order_mark_is_accepted() {
    let p = Project::sample();
    p.write_data(&format!("\u{feff}{}", p.data()));
    assert_eq!(p.check().code, 0);
}

#[test]
fn a_source_date_past_year_9999_is_refused_in_words() {
    // 253402300800 is 10000-01-01 00:00 UTC: no four-digit year, so no date of a form.
    let p = Project::sample();
    for epoch in [
        "253402300800",
        "9223372036854775807",
        "-9223372036854775808",
    ] {
        let run = crate::util::dashi_at(p.dir(), epoch, &["check", "studio.toml"]);
        run.assert_no_panic();
        assert_eq!(run.code, 2, "{run:?}");
        assert!(run.stderr.contains("SOURCE_DATE_EPOCH"), "{run:?}");
    }
    // The last day in China time that has a four-digit year still works.
    let run = crate::util::dashi_at(p.dir(), "253402271999", &["check", "studio.toml"]);
    assert_eq!(run.code, 0, "{run:?}");
}

/// The scan that crashed `check`, `build` and `record add` (a bad Huffman table before
/// the end marker): now a finding about that file in each.
#[test]
fn a_crafted_scan_is_a_finding_in_check_build_and_record_add() {
    let p = Project::sample();
    std::fs::write(p.path("evidence/营业执照.jpg"), crate::fuzz::crafted_jpeg()).unwrap();
    for args in [
        &["check", "studio.toml"][..],
        &["build", "studio.toml", "-o", "out"][..],
    ] {
        let run = dashi(p.dir(), args);
        run.assert_no_panic();
        assert!(matches!(run.code, 0 | 1), "{run:?}");
        let codes = run.codes();
        assert!(
            codes.contains(&"R135".to_string()) || codes.contains(&"R138".to_string()),
            "{run:?}"
        );
        assert!(run.stdout.contains("营业执照.jpg"), "{run:?}");
    }
    // As a record's photo.
    let p = crate::archive::sample_archive();
    let record = crate::archive::new_record(&p, "活动", "活动.toml");
    let text = std::fs::read_to_string(&record).unwrap();
    let photo = text
        .lines()
        .find_map(|l| l.strip_prefix("file = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("the sample names a file")
        .to_string();
    std::fs::write(p.path(&format!("rec/{photo}")), crate::fuzz::crafted_jpeg()).unwrap();
    let run = dashi(p.dir(), &["record", "add", "A", "rec/活动.toml"]);
    run.assert_no_panic();
    assert!(matches!(run.code, 0 | 1), "{run:?}");
}

/// A defect of dashi's met by one packet of a batch (made on purpose through the debug
/// build's DASHI_TEST_DEFECT) is that packet's error; the others are built.
#[test]
fn a_defect_in_one_packet_of_a_batch_leaves_the_others_built() {
    let p = Project::sample();
    let files = p.batch("batch", &["赵一".to_string(), "钱二".to_string()]);
    let run = crate::util::dashi_env(
        p.dir(),
        ("DASHI_TEST_DEFECT", "000.toml"),
        &["build", "batch", "-o", "out"],
    );
    assert_ne!(run.code, 101, "{run:?}");
    assert_ne!(run.code, 0, "{run:?}");
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(all.contains("内部错误"), "{run:?}");
    assert!(all.contains("000.toml"), "{run:?}");
    assert!(
        p.path("out/呼和浩特市钱二技能大师工作室").is_dir(),
        "{run:?}"
    );
    assert!(
        !p.path("out/呼和浩特市赵一技能大师工作室").exists(),
        "{run:?}"
    );
    assert_eq!(files.len(), 2);
}
