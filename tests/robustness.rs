//! Whatever the input, `dashi check` answers with a finding or an error and exit 1 or
//! 2 — never a panic (exit 101).

use crate::fuzz;
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
    let run = crate::util::dashi_at(
        p.dir(),
        crate::archive::NOW,
        &["record", "add", "A", "rec/活动.toml"],
    );
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

// The fuzz run (tests/fuzz.rs): every reader of a user's file.

#[test]
fn mutations_are_seeded_and_repeatable() {
    let seed = b"0123456789abcdef".to_vec();
    let run = |s| {
        let mut rng = fuzz::Rng::new(s);
        (0..50)
            .map(|_| fuzz::mutate(&mut rng, &seed, &[b"XY"]))
            .collect::<Vec<_>>()
    };
    assert_eq!(run(7), run(7));
    assert_ne!(run(7), run(8));
    assert!(run(7).iter().any(|m| m != &seed));
}

/// The engine finds what it is for: a reader that panics on some inputs, and one that
/// turns a defect into its error, are both failures, with their inputs kept.
#[test]
fn the_fuzz_engine_reports_panics_and_caught_defects() {
    let reader = fuzz::Reader {
        name: "engine-test",
        seeds: vec![("seed.bin".into(), b"0123456789".to_vec())],
        tokens: vec![b"XY", b"ZZ"],
        read: Box::new(|path| {
            let bytes = std::fs::read(path).unwrap();
            if bytes.windows(2).any(|w| w == b"XY") {
                panic!("XY met");
            }
            if bytes.windows(2).any(|w| w == b"ZZ") {
                return Err("dashi 处理时出现内部错误：ZZ".into());
            }
            Ok(())
        }),
    };
    let failed = fuzz::fuzz(&reader, 300, 1, &fuzz::Unwatched);
    assert!(failed.iter().any(|f| f.what == "XY met"), "{failed:?}");
    assert!(failed.iter().any(|f| f.what.contains("ZZ")), "{failed:?}");
    assert!(failed.len() < 300, "every input failed: {failed:?}");
    for f in &failed {
        assert!(
            std::fs::read(&f.input).is_ok_and(|b| b.windows(2).any(|w| w == b"XY" || w == b"ZZ"))
        );
    }
}

/// Every reader, `RUNS` mutations each, in parallel over the readers.
#[test]
fn no_reader_panics_on_mutated_input() {
    use rayon::prelude::*;
    let readers = fuzz::readers();
    let failed: Vec<fuzz::Failed> = readers
        .par_iter()
        .flat_map(|r| fuzz::fuzz(r, fuzz::RUNS, 0x5EED, &fuzz::Unwatched))
        .collect();
    let lines: Vec<String> = failed
        .iter()
        .map(|f| {
            format!(
                "{} run {}: {} ({})",
                f.reader,
                f.run,
                f.what,
                f.input.display()
            )
        })
        .collect();
    assert!(failed.is_empty(), "{}", lines.join("\n"));
}

/// The crafted scan that crashed `check`: a valid JPEG with a bad Huffman table
/// added before its end marker (24 bytes: more one-bit codes than one bit holds).
#[test]
fn a_jpeg_with_an_overflowing_huffman_table_is_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scan.jpg");
    std::fs::write(&path, fuzz::crafted_jpeg()).unwrap();
    assert!(fuzz::scan_reader(&path).is_ok());
}

/// A defect of dashi's met by one submission of an intake batch (made on purpose
/// through the debug build's DASHI_TEST_DEFECT) is that submission's row, to be judged
/// by hand; the other submission is judged and the register is written.
#[test]
fn a_defect_in_one_submission_leaves_the_intake_batch_whole() {
    let p = Project::sample();
    p.batch("batch", &["赵一".to_string(), "钱二".to_string()]);
    let run = dashi(p.dir(), &["build", "batch", "-o", "out"]);
    assert_eq!(run.code, 0, "{run:?}");
    std::fs::create_dir(p.path("in")).unwrap();
    for (name, zip) in [("赵一", "a.zip"), ("钱二", "b.zip")] {
        let studio = format!("呼和浩特市{name}技能大师工作室");
        std::fs::copy(
            p.path(&format!("out/{studio}/{studio}.zip")),
            p.path(&format!("in/{zip}")),
        )
        .unwrap();
    }
    let run = crate::util::dashi_env(
        p.dir(),
        ("DASHI_TEST_DEFECT", "a.zip"),
        &["intake", "in", "-o", "受理", "--received", "2027-03-15"],
    );
    run.assert_no_panic();
    assert_eq!(run.code, 0, "{run:?}");
    let rows = crate::intake::register(&p.path("受理/受理登记表.xlsx"));
    assert_eq!(rows.len(), 2, "{rows:?}");
    let all = format!("{rows:?}");
    assert!(all.contains("内部错误"), "{all}");
    assert!(all.contains("钱二"), "{all}");
}
