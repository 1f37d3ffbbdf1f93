//! `dashi verify`: the Library of Congress conformance bags, dashi's own bags (folder
//! and zip, with `--expect`), tampering of every kind, and hostile zips.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::render::{build, tool};
use crate::util::{BAG, Project, Run, dashi};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bagit")
}

fn verify(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["verify"];
    all.extend_from_slice(args);
    let run = dashi(dir, &all);
    run.assert_no_panic();
    run
}

#[test]
fn conformance_suite_every_bag_judged_right() {
    let root = fixtures();
    let mut judged = 0;
    for version in ["v0.97", "v1.0"] {
        for (group, accept) in [
            ("valid", true),
            ("warning", true),
            ("invalid", false),
            ("linux-only", false),
        ] {
            let dir = root.join(version).join(group);
            let Ok(bags) = std::fs::read_dir(&dir) else {
                continue;
            };
            for bag in bags {
                let bag = bag.unwrap().path();
                let run = verify(&root, &[bag.to_str().unwrap()]);
                if accept {
                    assert_eq!(
                        run.code, 0,
                        "{bag:?} should pass:\n{}{}",
                        run.stdout, run.stderr
                    );
                    if group == "warning" {
                        assert!(
                            run.stdout.contains("警告："),
                            "{bag:?} should warn:\n{}",
                            run.stdout
                        );
                    }
                } else {
                    assert!(
                        matches!(run.code, 1 | 2),
                        "{bag:?} should fail:\n{}",
                        run.stdout
                    );
                }
                judged += 1;
            }
        }
    }
    assert_eq!(judged, 40, "the suite has 40 bags besides windows-only");
}

/// A built sample: the project, its zip, and the unzipped bag folder.
fn sealed() -> (Project, PathBuf, PathBuf, String) {
    let p = Project::sample();
    let run = build(&p, "out");
    assert_eq!(run.code, 0);
    let digest = run.printed("已印在承诺书上）：");
    let zip = p.path(&format!("out/{BAG}.zip"));
    let dest = p.path("unzipped");
    tool(
        "unzip",
        &["-q", zip.to_str().unwrap(), "-d", dest.to_str().unwrap()],
        p.dir(),
    );
    (p, zip, dest.join(BAG), digest)
}

#[test]
fn dashis_bags_verify_as_folder_and_zip_and_match_the_paper() {
    let (p, zip, folder, digest) = sealed();
    for target in [&zip, &folder] {
        let run = verify(p.dir(), &[target.to_str().unwrap(), "--expect", &digest]);
        assert_eq!(run.code, 0, "{}", run.stdout);
        assert!(run.stdout.contains("校验通过"), "{}", run.stdout);
        assert!(run.stdout.contains(&digest));
    }
    let seal = tool(
        "sha256sum",
        &[folder.join("tagmanifest-sha256.txt").to_str().unwrap()],
        p.dir(),
    );
    let seal = seal.split_whitespace().next().unwrap();
    assert_eq!(
        verify(p.dir(), &[zip.to_str().unwrap(), "--expect", seal]).code,
        0
    );
    let wrong = "0".repeat(64);
    let run = verify(p.dir(), &[zip.to_str().unwrap(), "--expect", &wrong]);
    assert_eq!(run.code, 1);
    // Typed from the paper: in groups, upper case, a full-width space among them.
    let grouped: Vec<String> = digest
        .to_uppercase()
        .as_bytes()
        .chunks(8)
        .map(|c| String::from_utf8(c.to_vec()).unwrap())
        .collect();
    let typed = format!(
        "{}\u{3000}{}",
        grouped[..4].join(" "),
        grouped[4..].join(" ")
    );
    let run = verify(p.dir(), &[zip.to_str().unwrap(), "--expect", &typed]);
    assert_eq!(run.code, 0, "{run:?}");
    // A digest cut short is a typing slip, not a broken bag.
    let run = verify(p.dir(), &[zip.to_str().unwrap(), "--expect", &digest[..60]]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("64 位") && run.stderr.contains("60 位"),
        "{}",
        run.stderr
    );
    let run = verify(p.dir(), &[zip.to_str().unwrap(), "--json"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["intact"], true);
    assert_eq!(report["evidence_digest"], digest.as_str());
    assert_eq!(verify(p.dir(), &["nothere.zip"]).code, 2);
}

#[test]
fn tampering_is_detected_and_named() {
    let (p, _, folder, _) = sealed();
    let target = folder.to_str().unwrap().to_string();
    // Edit bag-info.txt.
    let info = folder.join("bag-info.txt");
    let original = std::fs::read(&info).unwrap();
    std::fs::write(
        &info,
        String::from_utf8_lossy(&original).replace("2026-11-20", "2026-11-21"),
    )
    .unwrap();
    let run = verify(p.dir(), &[&target]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("[已篡改] bag-info.txt"),
        "{}",
        run.stdout
    );
    std::fs::write(&info, &original).unwrap();
    // Delete a file, add a file.
    let pdf = folder.join("data/申报材料/03-建设项目申报书.pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    std::fs::remove_file(&pdf).unwrap();
    let run = verify(p.dir(), &[&target]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("[缺失] data/申报材料/03-建设项目申报书.pdf"),
        "{}",
        run.stdout
    );
    std::fs::write(&pdf, &bytes).unwrap();
    std::fs::write(folder.join("data/申报材料/新增.txt"), "x").unwrap();
    let run = verify(p.dir(), &[&target]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("[多余] data/申报材料/新增.txt"),
        "{}",
        run.stdout
    );
    std::fs::remove_file(folder.join("data/申报材料/新增.txt")).unwrap();
    assert_eq!(verify(p.dir(), &[&target]).code, 0);
}

#[test]
fn links_and_pipes_in_a_bag_folder_are_refused_not_followed() {
    let (p, _, folder, _) = sealed();
    let target = folder.to_str().unwrap().to_string();
    // A listed file replaced by a link to an identical copy outside the bag: the bag
    // would verify here and lose the file on the next copy.
    let pdf = folder.join("data/申报材料/03-建设项目申报书.pdf");
    let outside = p.path("outside.pdf");
    std::fs::rename(&pdf, &outside).unwrap();
    std::os::unix::fs::symlink(&outside, &pdf).unwrap();
    let run = verify(p.dir(), &[&target]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("data/申报材料/03-建设项目申报书.pdf")
            && run.stderr.contains("符号链接"),
        "{}",
        run.stderr
    );
    std::fs::remove_file(&pdf).unwrap();
    std::fs::rename(&outside, &pdf).unwrap();
    // A link back up the tree, and a named pipe that would block a reader forever.
    std::os::unix::fs::symlink("..", folder.join("data/loop")).unwrap();
    assert_eq!(verify(p.dir(), &[&target]).code, 1);
    std::fs::remove_file(folder.join("data/loop")).unwrap();
    tool(
        "mkfifo",
        &[folder.join("data/pipe").to_str().unwrap()],
        p.dir(),
    );
    let run = verify(p.dir(), &[&target]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("管道"), "{}", run.stderr);
    std::fs::remove_file(folder.join("data/pipe")).unwrap();
    assert_eq!(verify(p.dir(), &[&target]).code, 0);
}

#[test]
fn random_single_byte_flips_never_go_unnoticed() {
    let (p, _, folder, _) = sealed();
    let target = folder.to_str().unwrap().to_string();
    // With the seal from the paper, even a change to the tag manifest that keeps its
    // meaning (a hex digit's case) is caught.
    let seal = tool(
        "sha256sum",
        &[folder.join("tagmanifest-sha256.txt").to_str().unwrap()],
        p.dir(),
    );
    let seal = seal.split_whitespace().next().unwrap().to_string();
    let mut files = Vec::new();
    collect(&folder, &mut files);
    files.retain(|f| std::fs::metadata(f).unwrap().len() > 0);
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..60 {
        let file = &files[(next() % files.len() as u64) as usize];
        let mut bytes = std::fs::read(file).unwrap();
        let at = (next() % bytes.len() as u64) as usize;
        let bit = 1u8 << (next() % 8);
        bytes[at] ^= bit;
        std::fs::write(file, &bytes).unwrap();
        let run = verify(p.dir(), &[&target, "--expect", &seal]);
        let rel = file
            .strip_prefix(&folder)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert_eq!(
            run.code, 1,
            "flip in {rel} at {at} went unnoticed:\n{}",
            run.stdout
        );
        if rel.starts_with("data/") {
            assert!(
                run.stdout.contains(&format!("[已篡改] {rel}")),
                "{rel}:\n{}",
                run.stdout
            );
        }
        bytes[at] ^= bit;
        std::fs::write(file, &bytes).unwrap();
    }
    assert_eq!(verify(p.dir(), &[&target]).code, 0);
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// A zip with the given (name, content) entries, written by the zip crate as is.
fn crafted(path: &Path, entries: &[(&str, &[u8])]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, content) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(content).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn hostile_zips_are_refused_and_nothing_is_written() {
    let p = Project::sample();
    let bagit: &[u8] = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
    for (name, entries) in [
        (
            "dotdot.zip",
            vec![("b/bagit.txt", bagit), ("b/../../x", b"x".as_slice())],
        ),
        (
            "absolute.zip",
            vec![("/etc/x", b"x".as_slice()), ("b/bagit.txt", bagit)],
        ),
        (
            "backslash.zip",
            vec![("b/bagit.txt", bagit), ("b\\..\\x", b"x".as_slice())],
        ),
        (
            "nfc.zip",
            vec![
                ("b/bagit.txt", bagit),
                ("b/data/Nu\u{301}n\u{303}ez", b"x".as_slice()),
                ("b/data/Núñez", b"y".as_slice()),
            ],
        ),
    ] {
        let zip = p.path(name);
        crafted(&zip, &entries);
        let before = std::fs::read_dir(p.dir()).unwrap().count();
        let run = verify(p.dir(), &[name]);
        assert_eq!(run.code, 1, "{name} is an integrity failure: {run:?}");
        assert!(run.stderr.contains("不安全"), "{name}: {}", run.stderr);
        assert_eq!(
            std::fs::read_dir(p.dir()).unwrap().count(),
            before,
            "{name} wrote something"
        );
        assert!(!p.dir().parent().unwrap().join("x").exists());
    }
}

/// A zip writer at `path` (readable too, for shallow copies) holding a bag `b/` with
/// its bagit.txt, and the deflate options for more entries.
fn deflated_bag_zip(path: &Path) -> (zip::ZipWriter<std::fs::File>, zip::write::SimpleFileOptions) {
    let file = std::fs::File::options()
        .read(true)
        .write(true)
        .create_new(true)
        .open(path)
        .unwrap();
    let mut writer = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    writer.start_file("b/bagit.txt", options).unwrap();
    writer
        .write_all(b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
        .unwrap();
    (writer, options)
}

#[test]
fn a_zip_whose_entries_share_data_is_refused() {
    // An overlapping zip bomb: one deflated megabyte of zeros referenced by a hundred
    // entries, every declared size true.
    let p = Project::sample();
    {
        let (mut writer, options) = deflated_bag_zip(&p.path("overlap.zip"));
        writer.start_file("b/data/zeros-000", options).unwrap();
        writer.write_all(&vec![0u8; 1 << 20]).unwrap();
        for i in 1..100 {
            writer
                .shallow_copy_file("b/data/zeros-000", &format!("b/data/zeros-{i:03}"))
                .unwrap();
        }
        writer.finish().unwrap();
    }
    let run = verify(p.dir(), &["overlap.zip"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("重叠") && run.stderr.contains("b/data/zeros-0"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_zip_bomb_is_stopped_at_its_declared_size() {
    let p = Project::sample();
    let zip = p.path("bomb.zip");
    {
        let (mut writer, options) = deflated_bag_zip(&zip);
        writer.start_file("b/manifest-sha256.txt", options).unwrap();
        writer
            .write_all(format!("{}  data/zeros\n", "0".repeat(64)).as_bytes())
            .unwrap();
        writer.start_file("b/data/zeros", options).unwrap();
        let chunk = vec![0u8; 1 << 20];
        for _ in 0..2048 {
            writer.write_all(&chunk).unwrap();
        }
        writer.finish().unwrap();
    }
    // Claim the 2 GiB entry (2 MB compressed) holds 1 KiB, in both headers.
    let mut bytes = std::fs::read(&zip).unwrap();
    let u32_at = |b: &[u8], i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap());
    for i in 0..bytes.len() - 4 {
        let sig = u32_at(&bytes, i);
        if sig == 0x0403_4b50 && u32_at(&bytes, i + 22) == 1 << 31 {
            bytes[i + 22..i + 26].copy_from_slice(&1024u32.to_le_bytes());
        }
        if sig == 0x0201_4b50 && u32_at(&bytes, i + 24) == 1 << 31 {
            bytes[i + 24..i + 28].copy_from_slice(&1024u32.to_le_bytes());
        }
    }
    std::fs::write(&zip, &bytes).unwrap();
    let start = std::time::Instant::now();
    let run = verify(p.dir(), &["bomb.zip"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("data/zeros"), "{}", run.stdout);
    // It stopped after the declared kilobyte instead of inflating 2 GiB.
    assert!(start.elapsed().as_secs() < 20);
}

#[test]
fn an_oversized_tag_file_is_refused_by_name() {
    let p = Project::sample();
    p.sparse_bag("huge", 1);
    let manifest = std::fs::File::create(p.path("huge/manifest-sha256.txt")).unwrap();
    manifest.set_len(65 << 20).unwrap();
    let run = verify(p.dir(), &["huge"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.contains("manifest-sha256.txt 超过 64 MiB"),
        "{}",
        run.stdout
    );
}

/// Zips that show one file to one tool and another to the next: two entries of one
/// name (the manifest matching the second), a local header naming another file than
/// the directory does, and a symlink entry. Each verified as whole before; each is
/// refused now. And a directory of more entries than any submission has is refused
/// before it is read.
#[test]
fn zips_that_show_other_bytes_to_other_tools_are_refused() {
    let p = Project::sample();
    let script = r#"
import hashlib, sys, zipfile
kind, out = sys.argv[1], sys.argv[2]
second = b"the bytes the manifest names\n"
manifest = "%s  data/a.txt\n" % hashlib.sha256(second).hexdigest()
bagit = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
with zipfile.ZipFile(out, "w") as z:
    z.writestr("b/bagit.txt", bagit)
    z.writestr("b/manifest-sha256.txt", manifest)
    if kind == "duplicate":
        z.writestr("b/data/a.txt", b"the bytes another tool shows\n")
        z.writestr("b/data/a.txt", second)
    elif kind == "local":
        z.writestr("b/data/a.txt", second)
    elif kind == "symlink":
        z.writestr("b/data/a.txt", second)
        link = zipfile.ZipInfo("b/data/link")
        link.create_system = 3
        link.external_attr = (0o120777 << 16)
        z.writestr(link, "/etc/hostname")
    elif kind == "many":
        z.writestr("b/data/a.txt", second)
        for i in range(60000):
            z.writestr("b/data/e%d" % i, b"")
if kind == "local":
    data = bytearray(open(out, "rb").read())
    at = data.index(b"b/data/a.txt")  # the first occurrence: the local header's
    data[at:at + 12] = b"b/data/z.txt"
    open(out, "wb").write(bytes(data))
"#;
    let make = |kind: &str| {
        let out = p.path(&format!("{kind}.zip"));
        let status = Command::new("python3")
            .args(["-W", "ignore", "-c", script, kind, out.to_str().unwrap()])
            .status()
            .unwrap();
        assert!(status.success(), "{kind}");
        out
    };
    for (kind, said, code) in [
        ("duplicate", "重名", 1),
        ("local", "本地文件头中的文件名与目录中的不同", 1),
        ("symlink", "符号链接", 1),
        ("many", "超过 50000 个的上限", 2),
    ] {
        let zip = make(kind);
        let run = verify(p.dir(), &[zip.to_str().unwrap()]);
        run.assert_no_panic();
        assert_eq!(run.code, code, "{kind}: {run:?}");
        assert!(run.stderr.contains(said), "{kind}: {}", run.stderr);
    }
}

/// A file the system refuses to read is 无法读取, never 已篡改 (run as an ordinary user
/// through setpriv, since root reads anything).
#[test]
fn a_file_that_cannot_be_read_is_not_called_altered() {
    let p = Project::sample();
    let bag = p.unzipped_bag();
    let pledge = std::fs::read_dir(bag.join("data/申报材料"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("承诺书"))
        .unwrap();
    let out = crate::util::as_ordinary_user(p.dir(), &pledge, &["verify", bag.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{out:?}");
    assert!(
        stdout.contains("[无法读取]") && stdout.contains("承诺书"),
        "{stdout}"
    );
    assert!(!stdout.contains("已篡改"), "{stdout}");
}

/// A byte changed inside a compressed entry is said in Chinese (the zip reader's
/// "Invalid checksum" or a deflate error are not shown as they are).
#[test]
fn a_damaged_compressed_entry_is_said_in_chinese() {
    let p = Project::sample();
    let run = dashi(p.dir(), &["build", "studio.toml", "-o", "out"]);
    assert_eq!(run.code, 0, "{run:?}");
    let zip = p.path(&format!("out/{BAG}.zip"));
    let mut bytes = std::fs::read(&zip).unwrap();
    let name = "data/源数据/studio.toml".as_bytes();
    let at = bytes.windows(name.len()).position(|w| w == name).unwrap();
    bytes[at + name.len() + 40] ^= 0x01;
    std::fs::write(&zip, bytes).unwrap();
    let run = verify(p.dir(), &[zip.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("[已篡改]"), "{}", run.stdout);
    assert!(
        !run.stdout.contains("Invalid") && !run.stdout.contains("deflate"),
        "{}",
        run.stdout
    );
}
