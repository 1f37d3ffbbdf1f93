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
