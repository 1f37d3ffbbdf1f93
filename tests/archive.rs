//! The studio archive (第十一条): `dashi verify` on the OCFL 1.1 conformance fixtures,
//! and archives dashi writes — initialised from a sealed application, grown by records,
//! read back by independent validators, exported, tampered with and interrupted.

use std::path::{Path, PathBuf};

use crate::util::dashi;

fn ocfl_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ocfl/1.1")
}

/// Every good and warn object is accepted (warn objects with their warnings), every
/// bad one rejected — all 80.
#[test]
fn every_ocfl_fixture_is_judged_right() {
    let mut judged = 0;
    for (kind, exit) in [("good-objects", 0), ("warn-objects", 0), ("bad-objects", 1)] {
        let mut names: Vec<PathBuf> = std::fs::read_dir(ocfl_fixtures().join(kind))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        for object in names {
            let run = dashi(&object, &["verify", "."]);
            run.assert_no_panic();
            let name = object.file_name().unwrap().to_string_lossy().into_owned();
            assert_eq!(
                run.code, exit,
                "{kind}/{name}:\n{}{}",
                run.stdout, run.stderr
            );
            if kind == "warn-objects" {
                // The fixture names the warnings it must draw: W001_W004_….
                for code in name
                    .split('_')
                    .filter(|p| p.starts_with('W') && p.len() == 4)
                {
                    assert!(
                        run.stdout.contains(&format!("警告[{code}]")),
                        "{name} lacks {code}:\n{}",
                        run.stdout
                    );
                }
            }
            if kind == "good-objects" {
                assert!(!run.stdout.contains("警告["), "{name}:\n{}", run.stdout);
            }
            judged += 1;
        }
    }
    assert_eq!(judged, 80);
}
