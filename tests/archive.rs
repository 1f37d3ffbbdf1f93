//! The studio archive (第十一条): `dashi verify` on the OCFL 1.1 conformance fixtures,
//! and archives dashi writes — initialised from a sealed application, grown by records,
//! read back by independent validators, exported, tampered with and interrupted.

use std::path::{Path, PathBuf};

/// The one clock of these tests: 2026-12-05 00:00 in China, so no test depends on the
/// day it runs (records dated late in 2026 are never in the future).
pub(crate) const NOW: &str = "1796400000";

/// Runs `dashi` with `args` in `dir` at `NOW`.
fn dashi(dir: &std::path::Path, args: &[&str]) -> crate::util::Run {
    crate::util::dashi_at(dir, NOW, args)
}

fn ocfl_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ocfl/1.1")
}

/// Every good and warn object is accepted (warn objects with their warnings), every
/// bad one rejected with an error its name gives — all 80.
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
            if kind == "bad-objects" {
                // The fixture names the errors it must draw (E003_E063_empty: either).
                let named: Vec<&str> = name
                    .split('_')
                    .filter(|p| p.starts_with('E') && p.len() == 4)
                    .collect();
                assert!(
                    named
                        .iter()
                        .any(|code| run.stdout.contains(&format!("错误[{code}]"))),
                    "{name} draws none of {named:?}:\n{}",
                    run.stdout
                );
            }
            if kind == "good-objects" {
                assert!(!run.stdout.contains("警告["), "{name}:\n{}", run.stdout);
            }
            judged += 1;
        }
    }
    assert_eq!(judged, 80);
}

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use crate::render::{text_of, tool};
use crate::util::{BAG, Project, Run};

/// The sample built and sealed, and an archive made from its zip at `A`.
pub(crate) fn sample_archive() -> Project {
    let p = Project::sample();
    let run = dashi(p.dir(), &["build", "studio.toml", "-o", "out"]);
    assert_eq!(run.code, 0, "{run:?}");
    let run = dashi(
        p.dir(),
        &["archive", "init", "A", "--from", &format!("out/{BAG}.zip")],
    );
    assert_eq!(run.code, 0, "{run:?}");
    p
}

/// Writes the sample record of `kind` into `rec/` as `name`.
pub(crate) fn new_record(p: &Project, kind: &str, name: &str) -> PathBuf {
    std::fs::create_dir_all(p.path("rec")).unwrap();
    let run = dashi(&p.path("rec"), &["record", "new", kind, "-o", name]);
    assert_eq!(run.code, 0, "{run:?}");
    p.path(&format!("rec/{name}"))
}

fn add(p: &Project, records: &[&str]) -> Run {
    let mut args = vec!["record", "add", "A"];
    args.extend_from_slice(records);
    let run = dashi(p.dir(), &args);
    run.assert_no_panic();
    run
}

fn verify_archive(p: &Project, extra: &[&str]) -> Run {
    let mut args = vec!["verify", "A"];
    args.extend_from_slice(extra);
    let run = dashi(p.dir(), &args);
    run.assert_no_panic();
    run
}

/// SHA-256 of every file under the archive's version folders.
fn stored_digests(archive: &Path) -> BTreeMap<String, String> {
    use sha2::Digest;
    let mut out = BTreeMap::new();
    let mut stack = vec![archive.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path
                .strip_prefix(archive)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if rel.starts_with("logs") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else if rel.starts_with('v') {
                let digest = sha2::Sha256::digest(std::fs::read(&path).unwrap());
                out.insert(rel, format!("{digest:x}"));
            }
        }
    }
    out
}

/// The digest a line of dashi's output gives after `label`.
fn printed(run: &Run, label: &str) -> String {
    run.stdout
        .lines()
        .find_map(|l| l.split_once(label).map(|(_, v)| v.trim().to_string()))
        .unwrap_or_else(|| panic!("no “{label}” in:\n{}", run.stdout))
}

/// ocfl-py's judgement of the archive `A` in `dir`: whether valid, and the codes of
/// its errors and warnings as it writes them (`E001a`, `W013`).
fn ocfl_judgement(dir: &Path) -> (bool, BTreeSet<String>, String) {
    ocfl_judgement_of(dir, "A")
}

/// ocfl-py's judgement of the object `name` in `dir`.
fn ocfl_judgement_of(dir: &Path, name: &str) -> (bool, BTreeSet<String>, String) {
    let out = Command::new("ocfl-validate.py")
        .arg(name)
        .current_dir(dir)
        .output()
        .expect("ocfl-validate.py (pip ocfl-py, installed by tests/run)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let codes = text
        .lines()
        .filter_map(|l| l.strip_prefix('[')?.split(']').next())
        .map(str::to_string)
        .collect();
    (
        out.status.success() && text.contains("is VALID"),
        codes,
        text,
    )
}

/// ocfl-py finds the archive valid, without a warning.
pub(crate) fn ocfl_validate(dir: &Path) {
    ocfl_validate_object(dir, "A");
}

/// ocfl-py finds the object `name` in `dir` valid, without a warning.
pub(crate) fn ocfl_validate_object(dir: &Path, name: &str) {
    let (valid, codes, text) = ocfl_judgement_of(dir, name);
    assert!(valid && codes.is_empty(), "ocfl-validate.py {name}: {text}");
}

/// `dashi archive commit A`, which must succeed.
fn commit(p: &Project) -> Run {
    let run = dashi(p.dir(), &["archive", "commit", "A"]);
    assert_eq!(run.code, 0, "{run:?}");
    run
}

/// An MP4 as a player reads it: `ftyp`, a `moov` whose `mvhd` says `seconds`, and
/// `media` as the `mdat` box.
fn mp4(seconds: u32, media: &[u8]) -> Vec<u8> {
    let boxed = |kind: &[u8], body: &[u8]| {
        let mut b = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        b.extend_from_slice(kind);
        b.extend_from_slice(body);
        b
    };
    let mut mvhd = vec![0u8; 100];
    mvhd[12..16].copy_from_slice(&1000u32.to_be_bytes());
    mvhd[16..20].copy_from_slice(&(seconds * 1000).to_be_bytes());
    let mut out = boxed(b"ftyp", b"isom\0\0\x02\0isommp41");
    out.extend(boxed(b"moov", &boxed(b"mvhd", &mvhd)));
    out.extend(boxed(b"mdat", media));
    out
}

/// Where a pending record's files are: the mutable head's content folder.
const PENDING_CONTENT: &str = "A/extensions/0005-mutable-head/head/content";

#[test]
fn the_archive_grows_by_records_and_independent_validators_accept_it() {
    let p = sample_archive();
    ocfl_validate(p.dir());
    // An activity with two photos and a 50 MB video.
    let activity = new_record(&p, "活动", "活动.toml");
    let noise: Vec<u8> = (0..50u32 << 20)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let video = mp4(90, &noise);
    std::fs::write(p.path("rec/交流会录像.mp4"), &video).unwrap();
    let mut text = std::fs::read_to_string(&activity).unwrap();
    text.push_str("\n[[files]]\nfile = \"交流会录像.mp4\"\nshows = \"交流会全程录像\"\n");
    std::fs::write(&activity, text).unwrap();
    let mut before = stored_digests(&p.path("A"));
    let run = add(&p, &["rec/活动.toml"]);
    assert_eq!(run.code, 0, "{run:?}");
    // 预归档: safe on disk in the mutable head, no digest printed (none exists yet).
    assert!(
        run.stdout.contains("预归档，v2 的修订 r1"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("版本清单摘要"), "{}", run.stdout);
    assert!(
        p.path("A/extensions/0005-mutable-head/revisions/r1")
            .exists()
    );
    assert!(!p.path("A/v2").exists());
    ocfl_validate(p.dir());
    let run = verify_archive(&p, &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("预归档（v2，尚未归档）"),
        "{}",
        run.stdout
    );
    // Earlier versions are untouched by every add.
    let check_untouched = |before: &mut BTreeMap<String, String>| {
        let after = stored_digests(&p.path("A"));
        for (path, digest) in before.iter() {
            assert_eq!(after.get(path), Some(digest), "{path} changed");
        }
        *before = after;
    };
    check_untouched(&mut before);
    // An apprentice, then the grade reached: more revisions of the same head.
    new_record(&p, "带徒", "带徒.toml");
    let run = add(&p, &["rec/带徒.toml"]);
    assert!(run.stdout.contains("v2 的修订 r2"), "{}", run.stdout);
    check_untouched(&mut before);
    new_record(&p, "带徒进展", "带徒进展.toml");
    assert_eq!(add(&p, &["rec/带徒进展.toml"]).code, 0);
    check_untouched(&mut before);
    ocfl_validate(p.dir());
    let log = dashi(p.dir(), &["archive", "log", "A"]);
    assert!(
        log.stdout.contains("v2（预归档，尚未归档）"),
        "{}",
        log.stdout
    );
    assert!(log.stdout.contains("[修订 r3，"), "{}", log.stdout);
    // A major innovation: the pending records are filed as v2 first, and the report
    // names v2 and its digest; the report itself waits in the new head (v3).
    let innovation = new_record(&p, "成果", "成果.toml");
    let text = std::fs::read_to_string(&innovation)
        .unwrap()
        .replace("major = false", "major = true");
    std::fs::write(&innovation, text).unwrap();
    let run = add(&p, &["rec/成果.toml"]);
    assert_eq!(run.code, 0, "{run:?}");
    check_untouched(&mut before);
    let digest = printed(&run, "v2 的版本清单摘要（SHA-512）：");
    // Every digest dashi prints is of an inventory file that exists.
    let bytes = std::fs::read(p.path("A/v2/inventory.json")).unwrap();
    assert_eq!(digests(&bytes).0, digest);
    let pending = glob_one(
        &p.path(&format!("{PENDING_CONTENT}/r1/记录/成果")),
        "重大事项报告.pdf",
    );
    let text = text_of(&p, &pending);
    assert!(text.contains("呼和浩特市王建军技能大师工作室"), "{text}");
    assert!(text.contains("高寒地区输气管道全位置焊接操作法"), "{text}");
    assert!(text.contains("v2"), "{text}");
    assert!(
        text.contains(&digest),
        "the digest {digest} is not in:\n{text}"
    );
    // Filed by hand: v3 holds the report.
    let run = commit(&p);
    assert!(run.stdout.contains("版本 v3"), "{}", run.stdout);
    assert!(!p.path("A/extensions").exists());
    let report = glob_one(&p.path("A/v3/content/r1/记录/成果"), "重大事项报告.pdf");
    let checker = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pdfcheck.py");
    tool(
        "python3",
        &[checker.to_str().unwrap(), "pitch", &report],
        p.dir(),
    );
    // dashi's own verify and ocfl-py accept the whole archive; the log tells it.
    let run = verify_archive(&p, &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("最新版本：v3"), "{}", run.stdout);
    assert!(
        run.stdout.contains("申报材料包（v1）：完好"),
        "{}",
        run.stdout
    );
    ocfl_validate(p.dir());
    let log = dashi(p.dir(), &["archive", "log", "A"]);
    assert_eq!(log.code, 0);
    assert!(log.stdout.contains("成果 成果-"), "{}", log.stdout);
    assert!(log.stdout.contains("（重大）"), "{}", log.stdout);
    assert!(!log.stdout.contains("预归档，尚未归档"), "{}", log.stdout);
    // The report's digest proves the history up to v2.
    let run = verify_archive(&p, &["--expect", &digest]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("与 v2 的版本清单一致"),
        "{}",
        run.stdout
    );
    // Nothing pending: commit says so and makes no version.
    let run = commit(&p);
    assert!(run.stdout.contains("无需归档"), "{}", run.stdout);
}

/// The one file named `name` somewhere under `dir`, as a path from the project.
pub(crate) fn glob_one(dir: &Path, name: &str) -> String {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path().join(name);
        if path.exists() {
            let s = path.to_string_lossy().into_owned();
            return s[s.find("/A/").unwrap() + 1..].to_string();
        }
    }
    panic!("no {name} under {}", dir.display());
}

#[test]
fn export_gives_back_the_sealed_zip_and_any_later_state_as_a_valid_bag() {
    let p = sample_archive();
    new_record(&p, "制度", "制度.toml");
    assert_eq!(add(&p, &["rec/制度.toml"]).code, 0);
    let run = dashi(
        p.dir(),
        &["archive", "export", "A", "--version", "1", "-o", "v1.zip"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        std::fs::read(p.path("v1.zip")).unwrap()
            == std::fs::read(p.path(&format!("out/{BAG}.zip"))).unwrap(),
        "export of v1 differs from the sealed zip"
    );
    let run = dashi(p.dir(), &["archive", "export", "A", "-o", "v2.zip"]);
    assert_eq!(run.code, 0, "{run:?}");
    let run = dashi(p.dir(), &["verify", "v2.zip"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    // The same export twice gives the same bytes.
    assert_eq!(
        dashi(p.dir(), &["archive", "export", "A", "-o", "again.zip"]).code,
        0
    );
    assert!(
        std::fs::read(p.path("v2.zip")).unwrap() == std::fs::read(p.path("again.zip")).unwrap()
    );
}

#[test]
fn a_flipped_byte_in_any_stored_file_is_named() {
    let p = sample_archive();
    new_record(&p, "活动", "活动.toml");
    assert_eq!(add(&p, &["rec/活动.toml"]).code, 0);
    let pending = glob_one(
        &p.path(&format!("{PENDING_CONTENT}/r1/记录/活动")),
        "活动-照片1.jpg",
    );
    flip_each(&p, &[pending.as_str()]);
    commit(&p);
    let photo = glob_one(&p.path("A/v2/content/r1/记录/活动"), "活动-照片1.jpg");
    flip_each(
        &p,
        &[
            "A/v1/content/申报/data/佐证材料/02-身份证-王建军.jpg",
            photo.as_str(),
        ],
    );
}

/// Flips a byte in the middle of each file in turn: verify names it, and passes again
/// once it is put back.
fn flip_each(p: &Project, victims: &[&str]) {
    for victim in victims {
        let path = p.path(victim);
        let original = std::fs::read(&path).unwrap();
        let mut bytes = original.clone();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x01;
        std::fs::write(&path, &bytes).unwrap();
        let run = verify_archive(p, &[]);
        assert_eq!(run.code, 1, "{victim}: {}", run.stdout);
        let stored = victim.strip_prefix("A/").unwrap();
        assert!(
            run.stdout.contains(stored),
            "{victim} not named:\n{}",
            run.stdout
        );
        std::fs::write(&path, &original).unwrap();
        assert_eq!(verify_archive(p, &[]).code, 0);
    }
}

/// sha512 and sha256 of bytes, in hex.
pub(crate) fn digests(bytes: &[u8]) -> (String, String) {
    use sha2::Digest;
    (
        format!("{:x}", sha2::Sha512::digest(bytes)),
        format!("{:x}", sha2::Sha256::digest(bytes)),
    )
}

/// Replaces every occurrence of `from` by `to` in the archive's inventories, then writes
/// their sidecars again: a consistent rewrite that plain OCFL validators accept.
pub(crate) fn rewrite_inventories(archive: &Path, replacements: &[(String, String)]) {
    let mut inventories = vec![archive.join("inventory.json")];
    for entry in std::fs::read_dir(archive).unwrap() {
        let path = entry.unwrap().path().join("inventory.json");
        if path.exists() {
            inventories.push(path);
        }
    }
    for path in inventories {
        let mut text = std::fs::read_to_string(&path).unwrap();
        for (from, to) in replacements {
            text = text.replace(from.as_str(), to);
        }
        std::fs::write(&path, &text).unwrap();
        let (sha512, _) = digests(text.as_bytes());
        std::fs::write(
            path.with_file_name("inventory.json.sha512"),
            format!("{sha512}  inventory.json\n"),
        )
        .unwrap();
    }
}

#[test]
fn a_consistent_rewrite_of_an_old_version_fails_against_the_digest_on_paper() {
    let p = sample_archive();
    new_record(&p, "活动", "活动.toml");
    assert_eq!(add(&p, &["rec/活动.toml"]).code, 0);
    commit(&p);
    new_record(&p, "制度", "制度.toml");
    assert_eq!(add(&p, &["rec/制度.toml"]).code, 0);
    let head = printed(&commit(&p), "v3 的版本清单摘要（SHA-512）：");
    // Someone swaps a photo of v2 and recomputes every digest and sidecar.
    let photo = glob_one(&p.path("A/v2/content/r1/记录/活动"), "活动-照片1.jpg");
    let path = p.path(&photo);
    let old = std::fs::read(&path).unwrap();
    let mut new = old.clone();
    new.extend_from_slice(b"forged");
    std::fs::write(&path, &new).unwrap();
    let (old512, old256) = digests(&old);
    let (new512, new256) = digests(&new);
    rewrite_inventories(&p.path("A"), &[(old512, new512), (old256, new256)]);
    // Plain OCFL validators, and dashi without the paper's digest, see nothing wrong …
    ocfl_validate(p.dir());
    assert_eq!(verify_archive(&p, &[]).code, 0);
    // … the digest printed before the rewrite proves it.
    let run = verify_archive(&p, &["--expect", &head]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("不是本档案任何版本清单的摘要"),
        "{}",
        run.stdout
    );
}

#[test]
fn bad_records_are_refused_at_their_lines_and_the_archive_is_untouched() {
    let p = sample_archive();
    let record = new_record(&p, "带徒", "带徒.toml");
    let sample = std::fs::read_to_string(&record).unwrap();
    let before = std::fs::read(p.path("A/inventory.json")).unwrap();
    let cases: [(&str, &str, &str, &str); 5] = [
        (
            "missing file",
            "agreement = \"带徒-带徒协议.jpg\"",
            "agreement = \"没有这个文件.jpg\"",
            "R303",
        ),
        ("bad date", "date = \"", "date = \"2027-02-30\"\n# ", "D004"),
        ("unknown kind", "kind = \"带徒\"", "kind = \"拜师\"", "D004"),
        ("bad ID", "150105200103150017", "150105200103150018", "R305"),
        (
            "unknown key",
            "occupation = \"焊工\"",
            "occupation = \"焊工\"\nocupation = \"焊工\"",
            "D002",
        ),
    ];
    for (what, from, to, code) in cases {
        assert!(sample.contains(from), "{what}: sample has no {from}");
        std::fs::write(&record, sample.replacen(from, to, 1)).unwrap();
        let run = add(&p, &["rec/带徒.toml"]);
        assert_eq!(run.code, 1, "{what}: {run:?}");
        assert!(
            run.codes().contains(&code.to_string()),
            "{what}: {}",
            run.stdout
        );
        assert!(
            run.stdout.contains("--> rec/带徒.toml:"),
            "{what}: {}",
            run.stdout
        );
        // One closing line, saying what the errors stop.
        assert_eq!(
            run.stdout.matches("改正全部错误后才能加入档案").count(),
            1,
            "{what}: {}",
            run.stdout
        );
        assert_eq!(
            std::fs::read(p.path("A/inventory.json")).unwrap(),
            before,
            "{what}"
        );
        assert!(!p.path("A/v2").exists(), "{what}");
    }
    // A record whose id the archive already holds, and one that corrects nothing.
    std::fs::write(&record, &sample).unwrap();
    assert_eq!(add(&p, &["rec/带徒.toml"]).code, 0);
    let run = add(&p, &["rec/带徒.toml"]);
    assert!(run.codes().contains(&"R311".to_string()), "{}", run.stdout);
    std::fs::write(
        &record,
        sample
            .replace("-样例\"", "-二\"")
            .replace("level_at_start", "corrects = \"没有-1\"\nlevel_at_start"),
    )
    .unwrap();
    let fixed = std::fs::read_to_string(&record).unwrap();
    // `corrects` belongs at the top level: put it there.
    let fixed = fixed.replace("corrects = \"没有-1\"\n", "");
    let fixed = fixed.replacen("title = ", "corrects = \"没有-1\"\ntitle = ", 1);
    std::fs::write(&record, fixed).unwrap();
    let run = add(&p, &["rec/带徒.toml"]);
    assert!(run.codes().contains(&"R312".to_string()), "{}", run.stdout);
}

/// An activity record `id` whose one attachment is `file`.
fn activity_with(p: &Project, id: &str, file: &str) -> String {
    let name = format!("rec/{id}.toml");
    std::fs::write(
        p.path(&name),
        format!(
            "format_version = 1\nkind = \"活动\"\nid = \"{id}\"\ndate = \"2026-11-25\"\ntitle = \"技术交流 {id}\"\n\n[activity]\ncategory = \"技术交流\"\nplace = \"工作室\"\nparticipants = 12\nsummary = \"交流\"\n\n[[files]]\nfile = \"{file}\"\nshows = \"录像\"\n"
        ),
    )
    .unwrap();
    name
}

/// The codes of `dashi verify A --json`, as families (`E001` for ocfl-py's `E001a`).
fn dashi_codes(p: &Project) -> BTreeSet<String> {
    let run = verify_archive(p, &["--json"]);
    run.stdout
        .split("\"code\": \"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

/// A code without ocfl-py's letter suffix.
fn family(code: &str) -> String {
    code.trim_end_matches(|c: char| c.is_ascii_lowercase())
        .to_string()
}

/// What must hold after a kill: before repair, dashi verify names every code ocfl-py
/// names; repair says what it did; after it both validators accept the archive, no
/// temporary file is left, and the record `id` is in the archive `expected` times (one
/// of them).
fn repaired_after_kill(p: &Project, at: &str, id: &str, expected: &[usize]) -> &'static str {
    let (_, theirs, text) = ocfl_judgement(p.dir());
    let ours = dashi_codes(p);
    for code in &theirs {
        assert!(
            ours.contains(&family(code)),
            "{at}: ocfl-validate.py names {code}, dashi verify only {ours:?}\n{text}"
        );
    }
    let repaired = dashi(p.dir(), &["archive", "repair", "A"]);
    assert_eq!(repaired.code, 0, "{at}: {repaired:?}");
    let said = if repaired.stdout.contains("予以完成") {
        "finished"
    } else if repaired.stdout.contains("已撤销") {
        "rolled back"
    } else {
        assert!(repaired.stdout.contains("无需修复"), "{}", repaired.stdout);
        "nothing"
    };
    let run = verify_archive(p, &[]);
    assert_eq!(run.code, 0, "{at}, repaired ({said}):\n{}", run.stdout);
    assert!(!run.stdout.contains("未完成的"), "{}", run.stdout);
    ocfl_validate(p.dir());
    let log = dashi(p.dir(), &["archive", "log", "A", "--json"]).stdout;
    let times = log.matches(&format!("\"{id}\"")).count();
    assert!(
        expected.contains(&times),
        "{at}: the record {id} is in the archive {times} times"
    );
    let leftovers: Vec<String> = walk_files(&p.path("A"))
        .into_iter()
        .filter(|f| {
            f.ends_with(".tmp") || f.contains("dashi-staging") || f.contains("pending.json")
        })
        .collect();
    assert!(leftovers.is_empty(), "{at}: {leftovers:?}");
    said
}

/// Killed at every rename, removal and write of each change in turn — an add that
/// starts the mutable head, an add that revises it, a commit, and a repair — until the
/// change gets through: every step where a crash can fall.
#[test]
fn every_change_killed_at_any_step_is_repaired_to_valid_with_nothing_lost() {
    let p = sample_archive();
    std::fs::create_dir_all(p.path("rec")).unwrap();
    crate::evaluation::photo(&p.path("rec/照片.jpg"), 7, None);
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    let mut count = 0;
    let mut record = |p: &Project| {
        count += 1;
        let id = format!("活动-{count}");
        (activity_with(p, &id, "照片.jpg"), id)
    };
    for syscalls in ["rename,renameat,renameat2", "unlink,unlinkat", "write"] {
        for change in ["a new head", "a revision", "a commit"] {
            for n in 1.. {
                // Each commit killed holds two new records, not every record of the
                // commits killed before it (a commit describes and typesets its 件).
                if change == "a commit" && p.path("A/extensions").exists() {
                    drop(commit(&p));
                }
                let pending = p.path("A/extensions").exists();
                match change {
                    "a new head" if pending => drop(commit(&p)),
                    "a revision" | "a commit" if !pending => {
                        let (file, _) = record(&p);
                        assert_eq!(add(&p, &[&file]).code, 0);
                    }
                    _ => {}
                }
                let (file, id) = record(&p);
                let (args, expected): (Vec<&str>, &[usize]) = if change == "a commit" {
                    assert_eq!(add(&p, &[&file]).code, 0);
                    (vec!["archive", "commit", "A"], &[1])
                } else {
                    (vec!["record", "add", "A", &file], &[0, 1])
                };
                let (killed, run) = crate::util::killed_at(p.dir(), syscalls, n, &args);
                if !killed {
                    assert_eq!(run.code, 0, "{run:?}");
                    assert!(n > 1, "{change} makes no {syscalls} call");
                    break;
                }
                let at = format!("{change} killed at {syscalls} #{n}");
                let said = repaired_after_kill(&p, &at, &id, expected);
                *outcomes.entry(format!("{change}: {said}")).or_insert(0) += 1;
            }
        }
    }
    // A repair killed in turn: the commit it finishes was itself killed when the head
    // had its committed inventory (the 11th rename: the seven of the revision that
    // describes the 件 at 归档, then note, inventory, sidecar, head).
    for syscalls in ["rename,renameat,renameat2", "unlink,unlinkat", "write"] {
        for n in 1.. {
            let (file, id) = record(&p);
            assert_eq!(add(&p, &[&file]).code, 0);
            let (killed, _) = crate::util::killed_at(
                p.dir(),
                "rename,renameat,renameat2",
                11,
                &["archive", "commit", "A"],
            );
            assert!(killed);
            let (killed, run) =
                crate::util::killed_at(p.dir(), syscalls, n, &["archive", "repair", "A"]);
            if !killed {
                assert_eq!(run.code, 0, "{run:?}");
                assert!(run.stdout.contains("予以完成"), "{}", run.stdout);
                break;
            }
            let at = format!("a repair killed at {syscalls} #{n}");
            repaired_after_kill(&p, &at, &id, &[1]);
            *outcomes.entry("a repair".into()).or_insert(0) += 1;
        }
    }
    // Kills fell before each change was whole and after.
    for change in ["a new head", "a revision", "a commit"] {
        for said in ["finished", "rolled back"] {
            assert!(
                outcomes.contains_key(&format!("{change}: {said}")),
                "{change} never {said}: {outcomes:?}"
            );
        }
    }
    assert!(outcomes.contains_key("a repair"), "{outcomes:?}");
    eprintln!("kills and what repair did: {outcomes:?}");
}

/// A major add killed at every rename, removal, write and flush to disk: after the
/// repair that follows, its record is either not in the archive or in it with its
/// 重大事项报告 (第十一条) — never filed without it — and adding the same file again
/// either adds it or says it is already in.
#[test]
fn a_major_add_killed_anywhere_never_leaves_its_record_without_its_report() {
    let p = sample_archive();
    std::fs::create_dir_all(p.path("rec")).unwrap();
    crate::evaluation::photo(&p.path("rec/照片.jpg"), 7, None);
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    let mut count = 0;
    // Every rename, removal and flush; every third write (the writes between two of
    // them all leave the same partial file behind).
    for (syscalls, stride) in [
        ("rename,renameat,renameat2", 1),
        ("unlink,unlinkat", 1),
        ("fsync,fdatasync", 1),
        ("write", 3),
    ] {
        for n in (1..).step_by(stride) {
            count += 1;
            let id = format!("活动-重大-{count}");
            let file = activity_with(&p, &id, "照片.jpg");
            let text = std::fs::read_to_string(p.path(&file)).unwrap();
            std::fs::write(
                p.path(&file),
                text.replace("title = ", "major = true\ntitle = "),
            )
            .unwrap();
            let args = ["record", "add", "A", file.as_str()];
            let (killed, run) = crate::util::killed_at(p.dir(), syscalls, n, &args);
            if !killed {
                assert_eq!(run.code, 0, "{run:?}");
                assert!(n > 1, "a major add makes no {syscalls} call");
                break;
            }
            let at = format!("a major add killed at {syscalls} #{n}");
            // What repair says it did; then the archive verifies (ocfl-py judges it
            // once at the end: the other sweep compares the validators kill by kill).
            let repaired = dashi(p.dir(), &["archive", "repair", "A"]);
            assert_eq!(repaired.code, 0, "{at}: {repaired:?}");
            let said = ["予以完成", "已撤销", "重大事项报告已补上", "无需修复"]
                .into_iter()
                .find(|w| repaired.stdout.contains(w))
                .unwrap_or_else(|| panic!("{at}: {}", repaired.stdout));
            let run = verify_archive(&p, &[]);
            assert_eq!(run.code, 0, "{at}, repaired ({said}):\n{}", run.stdout);
            let archive = dashi::archive::Archive::open(&p.path("A")).unwrap();
            let current = archive.current();
            let state = current.state(current.head_number());
            let folder = format!("{}/活动/{id}", dashi::archive::RECORDS_DIR);
            let kept = state.contains_key(&format!("{folder}.toml"));
            let report = format!("{folder}/{}", dashi::render::Doc::MAJOR_EVENT.file_name());
            assert!(
                !kept || state.contains_key(&report),
                "{at}: the record is in the archive without its report ({said})"
            );
            let again = add(&p, &[&file]);
            if kept {
                assert_eq!(again.code, 1, "{at}: {again:?}");
                assert!(again.stdout.contains("已在档案中"), "{at}: {again:?}");
            } else {
                assert_eq!(again.code, 0, "{at}: {again:?}");
            }
            *outcomes
                .entry(format!(
                    "{said}, record {}",
                    if kept { "kept" } else { "not kept" }
                ))
                .or_insert(0) += 1;
        }
    }
    ocfl_validate(p.dir());
    eprintln!("major add kills and what repair did: {outcomes:?}");
    assert!(
        outcomes.keys().any(|k| k.contains("record kept")),
        "no kill fell after the record was written: {outcomes:?}"
    );
}

/// Every file below `dir`, hidden ones included.
fn walk_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path().to_string_lossy().into_owned());
            }
        }
    }
    out
}

#[test]
fn a_second_add_waits_for_the_first_then_refuses() {
    let p = sample_archive();
    std::fs::create_dir_all(p.path("rec")).unwrap();
    std::fs::write(p.path("rec/a.txt"), "一份文件").unwrap();
    let record = activity_with(&p, "活动-锁-1", "a.txt");
    std::fs::create_dir_all(p.path("A/logs")).unwrap();
    let held = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(p.path("A/logs/dashi.lock"))
        .unwrap();
    held.lock().unwrap();
    // The wait is the command's to set (3 s by default): 200 ms here, measured.
    let start = std::time::Instant::now();
    let run = dashi(
        p.dir(),
        &["record", "add", "A", &record, "--lock-wait", "200"],
    );
    let waited = start.elapsed();
    assert!(
        waited >= std::time::Duration::from_millis(200),
        "did not wait: {waited:?}"
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("正被另一个 dashi 使用"),
        "{}",
        run.stderr
    );
    assert!(!p.path("A/v2").exists());
    held.unlock().unwrap();
    assert_eq!(add(&p, &[&record]).code, 0);
}

/// Adds the sample record of `kind`, changed by `change`, and asserts that `code` fires
/// at a line of the record, citing its article, and that the archive stays as it was
/// (a warning lets the record in).
fn record_rule(kind: &str, code: &str, change: impl FnOnce(&str, &Path) -> String) {
    let p = sample_archive();
    let record = new_record(&p, kind, "r.toml");
    let text = change(&std::fs::read_to_string(&record).unwrap(), &p.path("rec"));
    std::fs::write(&record, text).unwrap();
    let before = std::fs::read(p.path("A/inventory.json")).unwrap();
    let run = add(&p, &["rec/r.toml"]);
    crate::util::assert_fired(&run, code);
    assert!(run.stdout.contains("--> rec/r.toml:"), "{}", run.stdout);
    let warning = dashi::finding::Code::ALL
        .iter()
        .find(|c| c.id() == code)
        .unwrap()
        .severity()
        == dashi::finding::Severity::Warning;
    if warning {
        assert_eq!(run.code, 0, "{}", run.stdout);
    } else {
        assert_eq!(run.code, 1, "{}", run.stdout);
        assert_eq!(std::fs::read(p.path("A/inventory.json")).unwrap(), before);
    }
}

#[test]
fn r301_record_id() {
    record_rule("活动", "R301", |t, _| {
        t.replacen("id = \"活动-", "id = \"活动 /", 1)
    });
}

#[test]
fn r301_a_record_id_windows_cannot_hold() {
    record_rule("活动", "R301", |t, _| {
        let id = t.lines().find(|l| l.starts_with("id = ")).unwrap();
        t.replacen(id, "id = \"Nul\"", 1)
    });
}

#[test]
fn r302_kind_table() {
    record_rule("活动", "R302", |t, _| {
        t.replace("kind = \"活动\"", "kind = \"成果\"")
    });
}

#[test]
fn r303_file_missing_or_broken() {
    record_rule("活动", "R303", |t, dir| {
        std::fs::write(dir.join("r-照片1.jpg"), b"\xff\xd8\xff not really").unwrap();
        t.to_string()
    });
}

#[test]
fn r304_file_outside_or_a_link() {
    record_rule("活动", "R304", |t, _| {
        t.replace("file = \"r-照片1.jpg\"", "file = \"../studio.toml\"")
    });
    record_rule("活动", "R304", |t, dir| {
        std::fs::remove_file(dir.join("r-照片2.jpg")).unwrap();
        std::os::unix::fs::symlink(dir.join("r-照片1.jpg"), dir.join("r-照片2.jpg")).unwrap();
        t.to_string()
    });
    // Through a linked folder: `sys/hostname` with `sys` a link to /etc.
    record_rule("活动", "R304", |t, dir| {
        std::os::unix::fs::symlink("/etc", dir.join("sys")).unwrap();
        t.replace("file = \"r-照片1.jpg\"", "file = \"sys/hostname\"")
    });
    // A Windows device name, which would reach the exported zip and disc.
    record_rule("活动", "R304", |t, dir| {
        std::fs::copy(dir.join("r-照片1.jpg"), dir.join("CON.jpg")).unwrap();
        t.replace("file = \"r-照片1.jpg\"", "file = \"CON.jpg\"")
    });
    // A name ending in a space, as on disk: said as such, not as a missing file.
    record_rule("活动", "R304", |t, dir| {
        std::fs::rename(dir.join("r-照片1.jpg"), dir.join("r-照片1.jpg ")).unwrap();
        t.replace("file = \"r-照片1.jpg\"", "file = \"r-照片1.jpg \"")
    });
}

#[test]
fn r303_an_empty_attachment() {
    record_rule("活动", "R303", |t, dir| {
        std::fs::write(dir.join("空.pdf"), b"").unwrap();
        t.replace("file = \"r-照片1.jpg\"", "file = \"空.pdf\"")
    });
}

#[test]
fn r305_apprentice_id() {
    record_rule("带徒", "R305", |t, _| {
        t.replace("150105200103150017", "150105200103150011")
    });
}

#[test]
fn r306_skill_level() {
    record_rule("带徒", "R306", |t, _| {
        t.replace("level_at_start = \"中级工\"", "level_at_start = \"中级\"")
    });
}

#[test]
fn r307_new_leader_without_approval() {
    record_rule("成员", "R307", |t, _| {
        t.replace("change = \"加入\"", "change = \"更换领办人\"")
    });
}

#[test]
fn r308_date_in_the_future() {
    record_rule("制度", "R308", |t, _| {
        let line = t.lines().find(|l| l.starts_with("date = ")).unwrap();
        t.replace(line, "date = \"2099-01-01\"")
    });
}

#[test]
fn r308_date_before_the_application() {
    record_rule("制度", "R308", |t, _| {
        let line = t.lines().find(|l| l.starts_with("date = ")).unwrap();
        t.replace(line, "date = \"2020-01-01\"")
    });
}

#[test]
fn r309_numbers() {
    record_rule("经费", "R309", |t, _| {
        t.replace("amount = 5.0", "amount = -5.0")
    });
}

#[test]
fn r310_major_rule() {
    record_rule("制度", "R310", |t, _| {
        t.replacen("title = ", "major = true\ntitle = ", 1)
    });
}

#[test]
fn r311_duplicate_in_one_add() {
    let p = sample_archive();
    new_record(&p, "制度", "a.toml");
    std::fs::copy(p.path("rec/a.toml"), p.path("rec/b.toml")).unwrap();
    let run = add(&p, &["rec/a.toml", "rec/b.toml"]);
    assert_eq!(run.code, 1);
    assert!(run.codes().contains(&"R311".to_string()), "{}", run.stdout);
    // Said as a duplicate of this add, naming the other file, not as one in the archive.
    assert!(
        run.stdout.contains("本次加入的记录中") && run.stdout.contains("a.toml"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("档案中已有"), "{}", run.stdout);
}

#[test]
fn r312_progress_of_an_unknown_apprentice() {
    record_rule("带徒进展", "R312", |t, _| t.to_string());
}

/// A folder of the archive that cannot be read is said as unreadable, never as an
/// empty folder (E024): run as an ordinary user (setpriv), since root reads any folder.
#[cfg(unix)]
#[test]
fn an_unreadable_folder_is_unreadable_not_empty() {
    let p = sample_archive();
    let locked = p.path("A/v1/content/locked");
    std::fs::create_dir_all(locked.join("inner")).unwrap();
    std::fs::write(locked.join("inner/f"), "x").unwrap();
    let out = crate::util::as_ordinary_user(p.dir(), &locked, &["verify", "A"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{out:?}");
    assert!(
        stdout.contains("错误[IO] v1/content/locked：无法读取"),
        "{stdout}"
    );
    assert!(!stdout.contains("E024"), "{stdout}");
}

/// One clock, China time: at 06:36 on 2026-12-05 in Hohhot (22:36 UTC the day before)
/// a record dated 2026-12-05 is today's, not a future one (R308), and `record new`
/// writes that day.
#[test]
fn today_is_the_day_in_china() {
    let p = sample_archive();
    // 2026-12-04T22:36:00Z.
    let moment = "1796423760";
    let at = |args: &[&str]| {
        let run = crate::util::dashi_at(p.dir(), moment, args);
        (Some(run.code), run.stdout)
    };
    std::fs::create_dir_all(p.path("rec")).unwrap();
    let (code, out) = at(&["record", "new", "制度", "-o", "rec/今天.toml"]);
    assert_eq!(code, Some(0), "{out}");
    let text = std::fs::read_to_string(p.path("rec/今天.toml")).unwrap();
    assert!(text.contains("date = \"2026-12-05\""), "{text}");
    let (code, out) = at(&["record", "add", "A", "rec/今天.toml"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(!out.contains("[R308]"), "{out}");
}

/// `--expect` names a version, but says the history is unchanged only when the whole
/// archive verifies: beside a changed file it says it cannot.
#[test]
fn expect_says_history_unchanged_only_when_everything_verifies() {
    let p = sample_archive();
    new_record(&p, "活动", "活动.toml");
    assert_eq!(add(&p, &["rec/活动.toml"]).code, 0);
    let v2 = printed(&commit(&p), "v2 的版本清单摘要（SHA-512）：");
    new_record(&p, "制度", "制度.toml");
    assert_eq!(add(&p, &["rec/制度.toml"]).code, 0);
    commit(&p);
    let run = verify_archive(&p, &["--expect", &v2]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("v2 及以前的历史未改动"),
        "{}",
        run.stdout
    );
    // A byte of v3's content changed: v2's digest still matches v2's inventory, but
    // the archive fails, and the history is not declared unchanged.
    let file = walk_files(&p.path("A/v3/content"))
        .into_iter()
        .find(|f| f.ends_with(".toml"))
        .unwrap();
    let mut bytes = std::fs::read(&file).unwrap();
    bytes[0] ^= 0x20;
    std::fs::write(&file, bytes).unwrap();
    let run = verify_archive(&p, &["--expect", &v2]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        !run.stdout.contains("历史未改动。") && !run.stdout.contains("的历史未改动\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("不能据此认为历史未改动"),
        "{}",
        run.stdout
    );
}

/// Archives dashi wrote before 预归档 (one version per add, content straight under
/// `vN/content/`) keep verifying with their digests, and accept pending records.
#[test]
fn an_archive_of_one_version_per_add_accepts_pending_records() {
    let p = sample_archive();
    new_record(&p, "活动", "活动.toml");
    assert_eq!(add(&p, &["rec/活动.toml"]).code, 0);
    commit(&p);
    // Laid out as the earlier dashi wrote it: no revision folder in v2's content.
    let content = p.path("A/v2/content");
    std::fs::rename(content.join("r1/记录"), content.join("记录")).unwrap();
    std::fs::remove_dir(content.join("r1")).unwrap();
    rewrite_inventories(
        &p.path("A"),
        &[("v2/content/r1/".to_string(), "v2/content/".to_string())],
    );
    ocfl_validate(p.dir());
    assert_eq!(verify_archive(&p, &[]).code, 0);
    let old = digests(&std::fs::read(p.path("A/v2/inventory.json")).unwrap()).0;
    // A record now goes to the mutable head; the old versions are untouched.
    new_record(&p, "制度", "制度.toml");
    let run = add(&p, &["rec/制度.toml"]);
    assert!(
        run.stdout.contains("预归档，v3 的修订 r1"),
        "{}",
        run.stdout
    );
    ocfl_validate(p.dir());
    let run = verify_archive(&p, &["--expect", &old]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("预归档（v3，尚未归档）"),
        "{}",
        run.stdout
    );
    // Export files it first, and the history up to the old v2 is unchanged.
    let run = dashi(p.dir(), &["archive", "export", "A", "-o", "v3.zip"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("已归档"), "{}", run.stdout);
    assert!(run.stdout.contains("已导出 v3"), "{}", run.stdout);
    ocfl_validate(p.dir());
    let run = verify_archive(&p, &["--expect", &old]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("v2 及以前的历史未改动"),
        "{}",
        run.stdout
    );
    assert_eq!(dashi(p.dir(), &["verify", "v3.zip"]).code, 0);
}

/// A record of a later quarter than the oldest pending one files what is pending
/// first: at most one version a quarter.
#[test]
fn a_record_of_a_later_quarter_files_the_pending_ones_first() {
    let p = sample_archive();
    std::fs::create_dir_all(p.path("rec")).unwrap();
    std::fs::write(p.path("rec/照片.jpg"), b"a file dashi keeps as it is").unwrap();
    let dated = |id: &str, date: &str| {
        let name = activity_with(&p, id, "照片.jpg");
        let text = std::fs::read_to_string(p.path(&name))
            .unwrap()
            .replace("2026-11-25", date);
        std::fs::write(p.path(&name), text).unwrap();
        name
    };
    let first = dated("活动-一", "2026-11-25");
    let second = dated("活动-二", "2026-12-01");
    let third = dated("活动-三", "2027-01-05");
    let epoch = "1800000000"; // 2027-01-15 in Beijing
    let at = |args: &[&str]| {
        let run = crate::util::dashi_at(p.dir(), epoch, args);
        assert_eq!(run.code, 0, "{run:?}");
        run.stdout
    };
    let out = at(&["record", "add", "A", &first]);
    assert!(out.contains("加入2027年第1季度或更晚的记录"), "{out}");
    // The same quarter: another revision of the same pending version.
    let out = at(&["record", "add", "A", &second]);
    assert!(out.contains("v2 的修订 r2"), "{out}");
    assert!(!p.path("A/v2").exists());
    // A later quarter: the two are filed as v2, the new one waits in v3.
    let out = at(&["record", "add", "A", &third]);
    assert!(out.contains("先把此前预归档的记录归档为版本 v2"), "{out}");
    assert!(out.contains("v3 的修订 r1"), "{out}");
    let log = at(&["archive", "log", "A", "--json"]);
    let entries: serde_json::Value = serde_json::from_str(&log).unwrap();
    let v2 = &entries[1];
    assert_eq!(v2["version"], "v2");
    assert_eq!(v2["records"].as_array().unwrap().len(), 2, "{v2}");
    assert_eq!(entries[2]["pending"], true);
    ocfl_validate(p.dir());
}

/// A record still 预归档 can be taken back: its file, its attachments and the content
/// only it used leave the archive, which stays valid to independent validators; the
/// last one taken back takes the mutable head with it. A filed record cannot be.
#[test]
fn a_pending_record_is_withdrawn_whole_and_a_filed_one_is_not() {
    let p = sample_archive();
    std::fs::create_dir_all(p.path("rec")).unwrap();
    crate::evaluation::photo(&p.path("rec/a.jpg"), 1, None);
    crate::evaluation::photo(&p.path("rec/b.jpg"), 2, None);
    let kept = activity_with(&p, "活动-留下", "a.jpg");
    let taken = activity_with(&p, "活动-撤回", "b.jpg");
    assert_eq!(add(&p, &[&kept, &taken]).code, 0);
    let run = dashi(p.dir(), &["record", "withdraw", "A", "活动-撤回"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("活动-撤回") && run.stdout.contains("还有 1 条预归档的记录"),
        "{}",
        run.stdout
    );
    let head = walk_files(&p.path(PENDING_CONTENT)).join("\n");
    assert!(
        !head.contains("活动-撤回") && head.contains("活动-留下"),
        "{head}"
    );
    ocfl_validate(p.dir());
    assert_eq!(verify_archive(&p, &[]).code, 0);
    let log = dashi(p.dir(), &["archive", "log", "A", "--json"]).stdout;
    assert!(!log.contains("\"活动-撤回\"") && log.contains("\"活动-留下\""));
    // The id is free again: the record can be added once more.
    assert_eq!(add(&p, &[&taken]).code, 0);
    // What is not pending is named.
    let run = dashi(p.dir(), &["record", "withdraw", "A", "活动-无此记录"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("没有预归档的记录 活动-无此记录"),
        "{run:?}"
    );
    // Filed records stay: a correction is the way.
    commit(&p);
    let run = dashi(p.dir(), &["record", "withdraw", "A", "活动-留下"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("已归档，不能撤回") && run.stderr.contains("corrects"),
        "{run:?}"
    );
    // The last pending record taken back takes the head with it.
    crate::evaluation::photo(&p.path("rec/c.jpg"), 3, None);
    let last = activity_with(&p, "活动-最后", "c.jpg");
    assert_eq!(add(&p, &[&last]).code, 0);
    let run = dashi(p.dir(), &["record", "withdraw", "A", "活动-最后"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("已没有预归档的记录"), "{}", run.stdout);
    assert!(!p.path("A/extensions").exists());
    ocfl_validate(p.dir());
    assert_eq!(verify_archive(&p, &[]).code, 0);
}

/// A withdrawal killed at every rename, removal and write is finished or undone by
/// repair: the archive valid, the record either gone or still pending, nothing left.
#[test]
fn a_withdrawal_killed_at_any_step_is_repaired_to_valid() {
    let p = sample_archive();
    std::fs::create_dir_all(p.path("rec")).unwrap();
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    let mut count = 0;
    let mut record = |p: &Project| {
        count += 1;
        let id = format!("活动-撤-{count}");
        let photo = format!("照片-{count}.jpg");
        crate::evaluation::photo(&p.path(&format!("rec/{photo}")), count, None);
        (activity_with(p, &id, &photo), id)
    };
    for syscalls in ["rename,renameat,renameat2", "unlink,unlinkat", "write"] {
        for change in ["a revision", "a discard"] {
            for n in 1.. {
                if p.path("A/extensions").exists() {
                    drop(commit(&p));
                }
                if change == "a revision" {
                    let (kept, _) = record(&p);
                    assert_eq!(add(&p, &[&kept]).code, 0);
                }
                let (file, id) = record(&p);
                assert_eq!(add(&p, &[&file]).code, 0);
                let args = ["record", "withdraw", "A", id.as_str()];
                let (killed, run) = crate::util::killed_at(p.dir(), syscalls, n, &args);
                if !killed {
                    assert_eq!(run.code, 0, "{run:?}");
                    assert!(n > 1, "{change} makes no {syscalls} call");
                    break;
                }
                let at = format!("{change} killed at {syscalls} #{n}");
                let said = repaired_after_kill(&p, &at, &id, &[0, 1]);
                let log = dashi(p.dir(), &["archive", "log", "A", "--json"]).stdout;
                let present = log.contains(&format!("\"{id}\""));
                match said {
                    "finished" => assert!(!present, "{at}: finished, yet {id} is there"),
                    "rolled back" => assert!(present, "{at}: undone, yet {id} is gone"),
                    _ => {}
                }
                *outcomes.entry(format!("{change}: {said}")).or_insert(0) += 1;
            }
        }
    }
    for needed in [
        "a revision: finished",
        "a revision: rolled back",
        "a discard: finished",
    ] {
        assert!(outcomes.contains_key(needed), "{needed}: {outcomes:?}");
    }
    eprintln!("withdrawal kills and what repair did: {outcomes:?}");
}

/// A damaged archive is noticed before it grows: with a stored photo deleted, or cut
/// short, `record add` and `archive commit` refuse and name it, and `archive repair`
/// says what it cannot mend instead of "nothing to repair".
#[test]
fn a_damaged_archive_takes_no_new_records() {
    let p = sample_archive();
    std::fs::create_dir_all(p.path("rec")).unwrap();
    crate::evaluation::photo(&p.path("rec/a.jpg"), 1, None);
    crate::evaluation::photo(&p.path("rec/b.jpg"), 2, None);
    let first = activity_with(&p, "活动-损-1", "a.jpg");
    let second = activity_with(&p, "活动-损-2", "b.jpg");
    assert_eq!(add(&p, &[&first]).code, 0);
    commit(&p);
    let stored = glob_one(&p.path("A/v2/content"), "记录/活动/活动-损-1/a.jpg");
    let bytes = std::fs::read(p.path(&stored)).unwrap();
    for (damage, named) in [("deleted", "缺失"), ("cut", "字节，著录为")] {
        match damage {
            "deleted" => std::fs::remove_file(p.path(&stored)).unwrap(),
            _ => std::fs::write(p.path(&stored), &bytes[..bytes.len() / 2]).unwrap(),
        }
        let before = stored_digests(&p.path("A"));
        let run = add(&p, &[&second]);
        assert_eq!(run.code, 2, "{damage}: {run:?}");
        assert!(
            run.stderr.contains("档案已损坏") && run.stderr.contains(named),
            "{damage}: {run:?}"
        );
        assert!(run.stderr.contains("dashi verify"), "{run:?}");
        let run = dashi(p.dir(), &["archive", "commit", "A"]);
        assert_eq!(run.code, 2, "{damage}: {run:?}");
        let run = dashi(p.dir(), &["archive", "repair", "A"]);
        assert_eq!(run.code, 1, "{damage}: {run:?}");
        assert!(
            run.stdout.contains("无法自动修复") && run.stdout.contains("a.jpg"),
            "{damage}: {}",
            run.stdout
        );
        assert_eq!(
            stored_digests(&p.path("A")),
            before,
            "{damage}: the archive changed"
        );
    }
    // Restored from a copy, it grows again.
    std::fs::write(p.path(&stored), &bytes).unwrap();
    assert_eq!(add(&p, &[&second]).code, 0);
}

/// A record saved in GBK (as Notepad on a Chinese Windows once did) is refused with
/// the way to save it as UTF-8 and the command that writes records, not `dashi init`.
#[test]
fn a_gbk_record_file_is_told_how_to_save_it() {
    let p = sample_archive();
    let record = new_record(&p, "活动", "活动.toml");
    let text = std::fs::read_to_string(&record).unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    std::fs::write(&record, &gbk).unwrap();
    let run = add(&p, &["rec/活动.toml"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("UTF-8")
            && run.stderr.contains("另存为")
            && run.stderr.contains("dashi record new"),
        "{run:?}"
    );
}

/// A value quoted in a message never reaches the terminal as a control character: an
/// escape sequence typed into a record id is shown as its code point.
#[test]
fn control_characters_in_messages_are_shown_not_sent() {
    let p = sample_archive();
    let run = dashi(p.dir(), &["record", "withdraw", "A", "活动\u{1b}[2J-1"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        !run.stderr.contains('\u{1b}') && run.stderr.contains("<U+001B>"),
        "{run:?}"
    );
}

/// R315: 退出 and 职务变动 name a current member: someone who never joined, or who has
/// already left, is refused at `record add`.
#[test]
fn r315_only_a_current_member_leaves_or_changes_role() {
    let p = sample_archive();
    std::fs::create_dir_all(p.path("rec")).unwrap();
    let change = |id: &str, date: &str, kind: &str, name: &str| {
        let file = format!("rec/{id}.toml");
        std::fs::write(
            p.path(&file),
            format!(
                "format_version = 1\nkind = \"成员\"\nid = \"{id}\"\ndate = \"{date}\"\ntitle = \"{name}{kind}\"\n\n[member]\nchange = \"{kind}\"\nname = \"{name}\"\nrole = \"成员\"\n"
            ),
        )
        .unwrap();
        file
    };
    let first = change("成员-1", "2026-11-25", "退出", "张伟");
    let run = add(&p, &[&first]);
    assert_eq!(run.code, 0, "{run:?}");
    for (id, kind, name) in [("成员-2", "退出", "张伟"), ("成员-3", "职务变动", "赵六")]
    {
        let file = change(id, "2026-11-26", kind, name);
        let run = add(&p, &[&file]);
        assert_eq!(run.code, 1, "{id}: {run:?}");
        crate::util::assert_fired(&run, "R315");
        assert!(
            run.stdout.contains(&format!("“{name}”不是工作室的成员")),
            "{}",
            run.stdout
        );
    }
}
